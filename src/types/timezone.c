/*
 * Time zones with rules: a reader for the tz database's TZif files (RFC
 * 8536, versions 1 to 4; the 64-bit block is used when present), the
 * POSIX TZ rule of a file's footer or of a name ('EST5EDT,M3.2.0,M11.1.0')
 * for instants after the last listed transition, the per-process cache of
 * loaded zones, and the offset lookups datetime.h declares.
 *
 * A zone is a sorted list of UTC transition instants, each naming the local
 * time type (offset, DST flag, abbreviation) in effect from it on; before
 * the first transition type 0 applies (RFC 8536 3.2).  After the last one
 * the footer rule, when there is one, gives each year's two transitions;
 * lookups there gather the transitions of the neighbouring years, so
 * southern-hemisphere rules (DST across New Year) need no special case.
 *
 * Leap-second records are skipped: the system database ("posix" layout)
 * has none, and PostgreSQL ignores them too.
 */
#include "types/timezone.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LENGTH 255
#define ABBREV_SIZE 16
#define SECS_PER_DAY INT64_C(86400)
#define MAX_FILE_SIZE (1 << 20)

typedef struct zone_type {
    int32_t offset; /* seconds east */
    bool is_dst;
    char abbrev[ABBREV_SIZE];
} zone_type;

/* One date of a POSIX rule: Jn (julian_noleap), n (zero_based) or Mm.w.d. */
typedef enum rule_kind { RULE_JULIAN_NOLEAP, RULE_ZERO_BASED, RULE_MONTH_WEEK_DAY } rule_kind;
typedef struct rule_date {
    rule_kind kind;
    int day, week, month; /* day: day number, or weekday 0 = Sunday */
    int32_t time;         /* seconds after local midnight (may be negative or > 24h) */
} rule_date;

typedef struct posix_rule {
    zone_type std, dst;
    bool has_dst;
    rule_date start, end; /* DST begins at start (local standard time), ends at end (local DST) */
} posix_rule;

struct tn_tz_rules {
    char name[NAME_MAX_LENGTH + 1]; /* canonical spelling, for SHOW */
    char key[NAME_MAX_LENGTH + 1];  /* upper-cased name the cache is keyed on */
    int64_t *times;                 /* transitions, UTC seconds, ascending */
    uint8_t *type_of;               /* type index after each transition */
    int time_count;
    zone_type *types;
    int type_count;
    bool has_rule;
    posix_rule rule;
    struct tn_tz_rules *next; /* the cache's list */
};

/* A transition: from instant on, type is in effect. */
typedef struct transition {
    int64_t at;
    const zone_type *type;
} transition;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static tn_tz_rules *cache_head;

/* ---- POSIX TZ strings ---- */

static const char *parse_abbrev(const char *p, char *out)
{
    size_t n = 0;
    if (*p == '<') {
        p++;
        while (*p && *p != '>' && (isalnum((unsigned char)*p) || strchr("+-:", *p) != NULL))
            out[n < ABBREV_SIZE - 1 ? n++ : n] = *p++;
        if (*p != '>')
            return NULL;
        p++;
    } else {
        while (isalpha((unsigned char)*p))
            out[n < ABBREV_SIZE - 1 ? n++ : n] = *p++;
    }
    out[n] = '\0';
    return p;
}

/* [+-]hh[:mm[:ss]] as seconds; max_hours bounds hh (24 for offsets, 167 for rule times). */
static const char *parse_hms(const char *p, int max_hours, int32_t *out)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p))
        return NULL;
    long parts[3] = {0, 0, 0};
    for (int idx = 0; idx < 3; idx++) {
        if (idx > 0) {
            if (*p != ':')
                break;
            p++;
            if (!isdigit((unsigned char)*p))
                return NULL;
        }
        int digits = 0;
        while (isdigit((unsigned char)*p) && digits < 3) {
            parts[idx] = parts[idx] * 10 + (*p++ - '0');
            digits++;
        }
    }
    if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59)
        return NULL;
    *out = (int32_t)(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]));
    return p;
}

static const char *parse_number(const char *p, int min, int max, int *out)
{
    if (!isdigit((unsigned char)*p))
        return NULL;
    long value = 0;
    while (isdigit((unsigned char)*p) && value <= max)
        value = value * 10 + (*p++ - '0');
    if (value < min || value > max)
        return NULL;
    *out = (int)value;
    return p;
}

static const char *parse_rule_date(const char *p, rule_date *out)
{
    if (*p == 'J') {
        out->kind = RULE_JULIAN_NOLEAP;
        p = parse_number(p + 1, 1, 365, &out->day);
    } else if (*p == 'M') {
        out->kind = RULE_MONTH_WEEK_DAY;
        if (!(p = parse_number(p + 1, 1, 12, &out->month)) || *p++ != '.' ||
            !(p = parse_number(p, 1, 5, &out->week)) || *p++ != '.')
            return NULL;
        p = parse_number(p, 0, 6, &out->day);
    } else {
        out->kind = RULE_ZERO_BASED;
        p = parse_number(p, 0, 365, &out->day);
    }
    if (p == NULL)
        return NULL;
    out->time = 7200;
    if (*p == '/')
        p = parse_hms(p + 1, 167, &out->time);
    return p;
}

/* std offset [dst [offset] [,start[/time],end[/time]]], with PostgreSQL's
 * leniency of an empty std abbreviation ('+02').  A missing rule is the
 * US one, as PostgreSQL's posixrules default. */
static bool parse_posix(const char *spec, posix_rule *out)
{
    memset(out, 0, sizeof *out);
    const char *p = parse_abbrev(spec, out->std.abbrev);
    int32_t west;
    if (p == NULL || *p == '\0' || !(p = parse_hms(p, 24, &west)))
        return false;
    out->std.offset = -west;
    if (out->std.abbrev[0] == '\0')
        snprintf(out->std.abbrev, ABBREV_SIZE, "%+03d", -west / 3600);
    if (*p == '\0')
        return true;
    if (!(p = parse_abbrev(p, out->dst.abbrev)) || out->dst.abbrev[0] == '\0')
        return false;
    out->has_dst = true;
    out->dst.is_dst = true;
    out->dst.offset = out->std.offset + 3600;
    if (*p != '\0' && *p != ',') {
        if (!(p = parse_hms(p, 24, &west)))
            return false;
        out->dst.offset = -west;
    }
    if (*p == '\0')
        p = ",M3.2.0,M11.1.0";
    if (*p++ != ',' || !(p = parse_rule_date(p, &out->start)) || *p++ != ',' ||
        !(p = parse_rule_date(p, &out->end)))
        return false;
    return *p == '\0';
}

/* Days since 1970 of a rule date in year. */
static int64_t rule_day(const rule_date *date, int64_t year)
{
    int64_t jan1 = tn_date_from_ymd(year, 1, 1);
    switch (date->kind) {
    case RULE_JULIAN_NOLEAP:
        return jan1 + date->day - 1 + (tn_date_is_leap(year) && date->day >= 60);
    case RULE_ZERO_BASED: return jan1 + date->day;
    case RULE_MONTH_WEEK_DAY: break;
    }
    int64_t first = tn_date_from_ymd(year, date->month, 1);
    int64_t day = first + (date->day - tn_date_day_of_week(first) + 7) % 7 + (date->week - 1) * 7;
    while (day - first >= tn_date_days_in_month(year, date->month))
        day -= 7;
    return day;
}

/* The rule's transitions in the years around the UTC second t, ascending. */
static int rule_transitions(const posix_rule *rule, int64_t t, transition out[6])
{
    int year, month, day;
    int64_t days = t / SECS_PER_DAY - (t % SECS_PER_DAY < 0);
    tn_date_to_ymd(days, &year, &month, &day);
    int count = 0;
    for (int64_t y = (int64_t)year - 1; y <= (int64_t)year + 1; y++) {
        transition start = {rule_day(&rule->start, y) * SECS_PER_DAY + rule->start.time - rule->std.offset,
                            &rule->dst};
        transition end = {rule_day(&rule->end, y) * SECS_PER_DAY + rule->end.time - rule->dst.offset,
                          &rule->std};
        bool start_first = start.at <= end.at;
        out[count++] = start_first ? start : end;
        out[count++] = start_first ? end : start;
    }
    return count;
}

/* ---- lookups ---- */

/* The type in effect at UTC second t and, when there is one, the next
 * transition after t (returns true then). */
static bool find_transition(const tn_tz_rules *rules, int64_t t, const zone_type **now, transition *next)
{
    int lo = 0, hi = rules->time_count; /* first transition > t */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (rules->times[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    *now = lo > 0 ? &rules->types[rules->type_of[lo - 1]] : &rules->types[0];
    if (lo < rules->time_count) {
        next->at = rules->times[lo];
        next->type = &rules->types[rules->type_of[lo]];
        return true;
    }
    if (!rules->has_rule)
        return false;
    if (!rules->rule.has_dst) {
        *now = &rules->rule.std;
        return false;
    }
    transition list[6];
    int count = rule_transitions(&rules->rule, t, list);
    *now = &rules->rule.std;
    for (int idx = 0; idx < count; idx++) {
        if (list[idx].at > t) {
            *next = list[idx];
            return true;
        }
        *now = list[idx].type;
    }
    return false;
}

static int64_t floor_seconds(int64_t micros)
{
    return micros / TN_USECS_PER_SEC - (micros % TN_USECS_PER_SEC < 0);
}

int32_t tn_timezone_offset_at(const tn_timezone *zone, int64_t utc, const char **abbrev)
{
    if (zone->rules == NULL) {
        if (abbrev != NULL)
            *abbrev = zone->utc_offset == 0 ? "UTC" : "";
        return zone->utc_offset;
    }
    const zone_type *now;
    transition next;
    find_transition(zone->rules, floor_seconds(utc), &now, &next);
    if (abbrev != NULL)
        *abbrev = now->abbrev;
    return now->offset;
}

int32_t tn_timezone_offset_of_local(const tn_timezone *zone, int64_t local)
{
    if (zone->rules == NULL)
        return zone->utc_offset;
    /* PostgreSQL's DetermineTimeZoneOffset: offsets stay under a day and
     * transitions over two days apart, so the first transition after
     * local - 1 day is the only one that can matter. */
    int64_t t = floor_seconds(local);
    const zone_type *before;
    transition next;
    if (!find_transition(zone->rules, t - SECS_PER_DAY, &before, &next))
        return before->offset;
    int64_t before_time = t - before->offset, after_time = t - next.type->offset;
    if (before_time < next.at && after_time < next.at)
        return before->offset;
    if (before_time >= next.at && after_time >= next.at)
        return next.type->offset;
    return before_time > after_time ? before->offset : next.type->offset;
}

/* ---- TZif files ---- */

typedef struct reader {
    const uint8_t *data;
    size_t size, pos;
} reader;

static bool take(reader *r, size_t n, const uint8_t **out)
{
    if (r->size - r->pos < n)
        return false;
    *out = r->data + r->pos;
    r->pos += n;
    return true;
}

static int64_t read_be(const uint8_t *p, int width)
{
    uint64_t value = 0;
    for (int idx = 0; idx < width; idx++)
        value = value << 8 | p[idx];
    if (width == 4)
        return (int32_t)(uint32_t)value;
    return (int64_t)value;
}

static int corrupt(tn_error *err, const char *name, const char *why)
{
    return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid time zone file \"%s\": %s", name, why);
}

/* Reads one header and its data block (time width 4 or 8) into rules. */
static int read_block(reader *r, int width, tn_tz_rules *rules, const char *name, tn_error *err)
{
    const uint8_t *header;
    if (!take(r, 44, &header) || memcmp(header, "TZif", 4) != 0)
        return corrupt(err, name, "bad header");
    int64_t counts[6]; /* isut, isstd, leap, time, type, char */
    for (int idx = 0; idx < 6; idx++) {
        counts[idx] = read_be(header + 20 + 4 * idx, 4);
        if (counts[idx] < 0 || counts[idx] > MAX_FILE_SIZE)
            return corrupt(err, name, "bad counts");
    }
    int64_t time_count = counts[3], type_count = counts[4], char_count = counts[5];
    if (type_count == 0 || type_count > 256 || (counts[0] && counts[0] != type_count) ||
        (counts[1] && counts[1] != type_count))
        return corrupt(err, name, "bad type count");
    const uint8_t *times, *indexes, *types, *chars, *skipped;
    if (!take(r, (size_t)(time_count * width), &times) || !take(r, (size_t)time_count, &indexes) ||
        !take(r, (size_t)(type_count * 6), &types) || !take(r, (size_t)char_count, &chars) ||
        !take(r, (size_t)(counts[2] * (width + 4) + counts[1] + counts[0]), &skipped))
        return corrupt(err, name, "truncated");
    free(rules->times);
    free(rules->type_of);
    free(rules->types);
    rules->times = malloc((size_t)(time_count ? time_count : 1) * sizeof(int64_t));
    rules->type_of = malloc((size_t)(time_count ? time_count : 1));
    rules->types = calloc((size_t)type_count, sizeof(zone_type));
    if (!rules->times || !rules->type_of || !rules->types)
        return tn_error_oom(err);
    rules->time_count = (int)time_count;
    rules->type_count = (int)type_count;
    for (int64_t idx = 0; idx < time_count; idx++) {
        rules->times[idx] = read_be(times + idx * width, width);
        rules->type_of[idx] = indexes[idx];
        if (indexes[idx] >= type_count || (idx > 0 && rules->times[idx] <= rules->times[idx - 1]))
            return corrupt(err, name, "bad transition");
    }
    for (int64_t idx = 0; idx < type_count; idx++) {
        const uint8_t *entry = types + idx * 6;
        zone_type *type = &rules->types[idx];
        type->offset = (int32_t)read_be(entry, 4);
        type->is_dst = entry[4] != 0;
        if (type->offset <= -25 * 3600 || type->offset >= 26 * 3600 || entry[5] >= char_count)
            return corrupt(err, name, "bad local time type");
        const char *abbrev = (const char *)chars + entry[5];
        size_t length = strnlen(abbrev, (size_t)(char_count - entry[5]));
        if (length >= ABBREV_SIZE)
            length = ABBREV_SIZE - 1;
        memcpy(type->abbrev, abbrev, length);
    }
    return 0;
}

tn_tz_rules *tn_timezone_rules_parse(const uint8_t *data, size_t size, const char *name, tn_error *err)
{
    tn_tz_rules *rules = calloc(1, sizeof *rules);
    if (rules == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    snprintf(rules->name, sizeof rules->name, "%s", name);
    reader r = {data, size, 0};
    if (read_block(&r, 4, rules, name, err) != 0)
        goto fail;
    if (data[4] >= '2') { /* the 64-bit block and the footer follow */
        if (read_block(&r, 8, rules, name, err) != 0)
            goto fail;
        const uint8_t *newline;
        if (!take(&r, 1, &newline) || *newline != '\n') {
            corrupt(err, name, "missing footer");
            goto fail;
        }
        const char *footer = (const char *)data + r.pos;
        const char *end = memchr(footer, '\n', size - r.pos);
        if (end == NULL || end - footer > 200) {
            corrupt(err, name, "bad footer");
            goto fail;
        }
        char spec[256];
        memcpy(spec, footer, (size_t)(end - footer));
        spec[end - footer] = '\0';
        if (spec[0] != '\0') {
            if (!parse_posix(spec, &rules->rule)) {
                corrupt(err, name, "bad footer rule");
                goto fail;
            }
            rules->has_rule = true;
        }
    }
    return rules;
fail:
    tn_timezone_rules_free(rules);
    return NULL;
}

tn_tz_rules *tn_timezone_rules_posix(const char *spec, const char *name)
{
    posix_rule rule;
    if (!parse_posix(spec, &rule))
        return NULL;
    tn_tz_rules *rules = calloc(1, sizeof *rules);
    zone_type *types = calloc(1, sizeof *types);
    if (rules == NULL || types == NULL) {
        free(rules);
        free(types);
        return NULL;
    }
    snprintf(rules->name, sizeof rules->name, "%s", name);
    *types = rule.std;
    rules->types = types;
    rules->type_count = 1;
    rules->rule = rule;
    rules->has_rule = true;
    return rules;
}

void tn_timezone_rules_free(tn_tz_rules *rules)
{
    if (rules == NULL)
        return;
    free(rules->times);
    free(rules->type_of);
    free(rules->types);
    free(rules);
}

/* ---- finding and caching zones ---- */

/* Zone names may hold letters, digits and "_+-/"; no component starts with
 * a dot, so a name never leaves the database directory. */
static bool is_file_name(const char *name)
{
    if (name[0] == '\0' || name[0] == '/')
        return false;
    for (const char *p = name; *p; p++) {
        if (*p == '.' && (p == name || p[-1] == '/'))
            return false;
        if (!isalnum((unsigned char)*p) && !strchr("_+-/.", *p))
            return false;
    }
    return true;
}

/* Resolves name component by component, case-insensitively, into path
 * (the directory's spelling, also the canonical name). */
static bool resolve_path(const char *name, char *path, size_t size, char *canonical)
{
    size_t dir_length = (size_t)snprintf(path, size, "%s", TN_TIMEZONE_DIR);
    canonical[0] = '\0';
    const char *part = name;
    while (*part) {
        size_t length = strcspn(part, "/");
        DIR *dir = opendir(path);
        if (dir == NULL)
            return false;
        const struct dirent *entry;
        bool found = false;
        while ((entry = readdir(dir)) != NULL) {
            if (strlen(entry->d_name) == length && strncasecmp(entry->d_name, part, length) == 0 &&
                dir_length + length + 2 < size) {
                dir_length += (size_t)snprintf(path + dir_length, size - dir_length, "/%s", entry->d_name);
                /* canonical is never longer than name, which fits */
                size_t used = strlen(canonical);
                if (used + 1 + length > NAME_MAX_LENGTH)
                    break;
                if (used > 0)
                    canonical[used++] = '/';
                memcpy(canonical + used, entry->d_name, length + 1);
                found = true;
                break;
            }
        }
        closedir(dir);
        if (!found)
            return false;
        part += length;
        while (*part == '/')
            part++;
    }
    return true;
}

/* Loads a tz database file; NULL without error text when there is none. */
static tn_tz_rules *load_file(const char *name, tn_error *err)
{
    char path[4096], canonical[NAME_MAX_LENGTH + 1];
    if (!is_file_name(name) || !resolve_path(name, path, sizeof path, canonical))
        return NULL;
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    uint8_t *data = malloc(MAX_FILE_SIZE);
    size_t size = data != NULL ? fread(data, 1, MAX_FILE_SIZE, file) : 0;
    fclose(file);
    tn_tz_rules *rules = NULL;
    if (size >= 44 && memcmp(data, "TZif", 4) == 0)
        rules = tn_timezone_rules_parse(data, size, canonical, err);
    free(data);
    return rules;
}

/* The cached zone for the upper-cased key, loading it on first use. */
static const tn_tz_rules *find_zone(const char *name, const char *key, tn_error *err)
{
    pthread_mutex_lock(&cache_lock);
    tn_tz_rules *rules = cache_head;
    while (rules != NULL && strcmp(rules->key, key) != 0)
        rules = rules->next;
    if (rules == NULL) {
        rules = load_file(name, err);
        if (rules == NULL && !tn_error_is_set(err))
            rules = tn_timezone_rules_posix(key, key);
        if (rules != NULL) {
            snprintf(rules->key, sizeof rules->key, "%s", key);
            rules->next = cache_head;
            cache_head = rules;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return rules;
}

/* The zone named name[0, length), NULL when there is none (err set only
 * for a corrupt file or lack of memory). */
static const tn_tz_rules *lookup_rules(const char *name, size_t length, tn_error *err)
{
    char text[NAME_MAX_LENGTH + 1], key[NAME_MAX_LENGTH + 1];
    if (length == 0 || length > NAME_MAX_LENGTH || memchr(name, '\0', length) != NULL)
        return NULL;
    memcpy(text, name, length);
    text[length] = '\0';
    for (size_t idx = 0; idx <= length; idx++)
        key[idx] = (char)toupper((unsigned char)text[idx]);
    return find_zone(text, key, err);
}

int tn_timezone_lookup(const char *name, size_t length, tn_timezone *out, tn_error *err)
{
    const tn_tz_rules *rules = lookup_rules(name, length, err);
    if (rules == NULL)
        return tn_error_is_set(err) ? -1
                                    : tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                                   "time zone \"%.*s\" not recognized",
                                                   (int)(length > 200 ? 200 : length), name);
    out->utc_offset = 0;
    out->rules = rules;
    return 0;
}

int tn_timezone_parse_setting(const char *value, tn_timezone *out, tn_error *err)
{
    char *end, spec[80];
    const char *name = value;
    errno = 0;
    double hours = strtod(value, &end);
    if (end != value && *end == '\0') {
        /* PostgreSQL names such a zone by its POSIX spelling: <+05:30>-05:30. */
        if (errno != 0 || !isfinite(hours) || fabs(hours) >= 24)
            goto invalid;
        long east = lround(hours * 3600), size = labs(east);
        char hms[32];
        int n = snprintf(hms, sizeof hms, "%02ld", size / 3600);
        if (size % 3600 != 0)
            n += snprintf(hms + n, sizeof hms - (size_t)n, ":%02ld", size / 60 % 60);
        if (size % 60 != 0)
            snprintf(hms + n, sizeof hms - (size_t)n, ":%02ld", size % 60);
        snprintf(spec, sizeof spec, "<%c%s>%c%s", east < 0 ? '-' : '+', hms, east < 0 ? '+' : '-', hms);
        name = spec;
    }
    const tn_tz_rules *rules = lookup_rules(name, strlen(name), err);
    if (rules != NULL) {
        out->utc_offset = 0;
        out->rules = rules;
        return 0;
    }
    if (tn_error_is_set(err))
        return -1;
invalid:
    return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid value for parameter \"TimeZone\": \"%s\"",
                        value);
}

const char *tn_timezone_name(const tn_timezone *zone)
{
    return zone->rules != NULL ? zone->rules->name : "UTC";
}
