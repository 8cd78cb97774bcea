/*
 * to_char, to_date and to_timestamp for dates and timestamps: PostgreSQL's
 * template formatting (formatting.c) in the C locale (month and day names
 * in English).  A template is read into nodes once per distinct template
 * text; the node walk then writes or reads one value.  to_char for numbers
 * is in func_format_number.c.  The session zone is UTC, so TZ prints "UTC"
 * for timestamptz and nothing for timestamp without time zone.
 */
#include "exec/exec_int.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/datetime.h"
#include "types/numeric.h"

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])
#define MAX_NODES 256
#define OUT_SIZE 1024

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const roman_months[] = {"I", "II", "III", "IV", "V", "VI",
                                           "VII", "VIII", "IX", "X", "XI", "XII"};

/* ---- date/time templates ---- */

typedef enum dch_key {
    DCH_LITERAL, DCH_AD_DOTS, DCH_AM_DOTS, DCH_AD, DCH_AM, DCH_BC_DOTS, DCH_PM_DOTS, DCH_BC, DCH_PM,
    DCH_CC, DCH_DAY, DCH_DDD, DCH_DD, DCH_DY, DCH_D, DCH_FF1, DCH_FF2, DCH_FF3, DCH_FF4, DCH_FF5,
    DCH_FF6, DCH_HH24, DCH_HH12, DCH_HH, DCH_IDDD, DCH_ID, DCH_IW, DCH_IYYY, DCH_IYY, DCH_IY, DCH_I,
    DCH_J, DCH_MI, DCH_MM, DCH_MONTH, DCH_MON, DCH_MS, DCH_OF, DCH_Q, DCH_RM, DCH_SSSSS, DCH_SSSS,
    DCH_SS, DCH_TZH, DCH_TZM, DCH_TZ, DCH_US, DCH_WW, DCH_W, DCH_Y_YYY, DCH_YYYY, DCH_YYY, DCH_YY,
    DCH_Y,
} dch_key;

/* Longest spellings first, as PostgreSQL's keyword search finds them. */
static const struct {
    const char *name;
    dch_key key;
    bool is_text; /* casing of the spelling picks the output's casing */
} dch_keywords[] = {
    {"A.D.", DCH_AD_DOTS, true}, {"A.M.", DCH_AM_DOTS, true}, {"AD", DCH_AD, true},
    {"AM", DCH_AM, true},        {"B.C.", DCH_BC_DOTS, true}, {"BC", DCH_BC, true},
    {"CC", DCH_CC, false},       {"DAY", DCH_DAY, true},      {"DDD", DCH_DDD, false},
    {"DD", DCH_DD, false},       {"DY", DCH_DY, true},        {"D", DCH_D, false},
    {"FF1", DCH_FF1, false},     {"FF2", DCH_FF2, false},     {"FF3", DCH_FF3, false},
    {"FF4", DCH_FF4, false},     {"FF5", DCH_FF5, false},     {"FF6", DCH_FF6, false},
    {"HH24", DCH_HH24, false},   {"HH12", DCH_HH12, false},   {"HH", DCH_HH, false},
    {"IDDD", DCH_IDDD, false},   {"ID", DCH_ID, false},       {"IW", DCH_IW, false},
    {"IYYY", DCH_IYYY, false},   {"IYY", DCH_IYY, false},     {"IY", DCH_IY, false},
    {"I", DCH_I, false},         {"J", DCH_J, false},         {"MI", DCH_MI, false},
    {"MM", DCH_MM, false},       {"MONTH", DCH_MONTH, true},  {"MON", DCH_MON, true},
    {"MS", DCH_MS, false},       {"OF", DCH_OF, false},       {"P.M.", DCH_PM_DOTS, true},
    {"PM", DCH_PM, true},        {"Q", DCH_Q, false},         {"RM", DCH_RM, true},
    {"SSSSS", DCH_SSSSS, false}, {"SSSS", DCH_SSSS, false},   {"SS", DCH_SS, false},
    {"TZH", DCH_TZH, false},     {"TZM", DCH_TZM, false},     {"TZ", DCH_TZ, true},
    {"US", DCH_US, false},       {"WW", DCH_WW, false},       {"W", DCH_W, false},
    {"Y,YYY", DCH_Y_YYY, false}, {"YYYY", DCH_YYYY, false},   {"YYY", DCH_YYY, false},
    {"YY", DCH_YY, false},       {"Y", DCH_Y, false},
};

enum { CASE_UPPER, CASE_LOWER, CASE_CAPITAL };

typedef struct dch_node {
    dch_key key;
    bool fill;        /* FM prefix */
    int th;           /* 0, 1 "TH", 2 "th" suffix */
    int casing;
    const char *text; /* DCH_LITERAL: bytes */
    size_t length;
} dch_node;

/* Matches a keyword spelled all upper, all lower or (text keywords)
 * capitalized, as PostgreSQL's table lists them. */
static int match_keyword(const char *p, size_t left, int *casing)
{
    for (size_t k = 0; k < sizeof dch_keywords / sizeof dch_keywords[0]; k++) {
        const char *name = dch_keywords[k].name;
        size_t n = strlen(name);
        if (n > left)
            continue;
        bool upper = true, lower = true, capital = dch_keywords[k].is_text && n > 1;
        for (size_t c = 0; c < n; c++) {
            char want = name[c], have = p[c];
            upper &= have == want;
            lower &= have == (char)tolower((unsigned char)want);
            if (c == 0)
                capital &= have == want;
            else
                capital &= have == (char)tolower((unsigned char)want);
        }
        if (!dch_keywords[k].is_text && !upper && !lower)
            continue;
        if (upper || lower || capital) {
            *casing = upper ? CASE_UPPER : lower ? CASE_LOWER : CASE_CAPITAL;
            if (!dch_keywords[k].is_text && lower && !upper)
                *casing = CASE_UPPER;
            return (int)k;
        }
    }
    return -1;
}

/* Splits a template into nodes; literal text (quoted or not) is kept. */
static int parse_dch(const char *p, size_t length, dch_node *nodes, int *count, tn_error *err)
{
    int n = 0;
    size_t i = 0;
    while (i < length) {
        if (n >= MAX_NODES - 1)
            return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "format template too long");
        dch_node *node = &nodes[n];
        memset(node, 0, sizeof *node);
        if (i + 2 <= length && (strncmp(p + i, "FM", 2) == 0 || strncmp(p + i, "fm", 2) == 0)) {
            int casing;
            if (match_keyword(p + i + 2, length - i - 2, &casing) >= 0) {
                node->fill = true;
                i += 2;
            }
        }
        if (i + 2 <= length && (strncmp(p + i, "TM", 2) == 0 || strncmp(p + i, "tm", 2) == 0)) {
            int casing;
            if (match_keyword(p + i + 2, length - i - 2, &casing) >= 0)
                i += 2;
        }
        int casing = CASE_UPPER;
        int k = match_keyword(p + i, length - i, &casing);
        if (k >= 0) {
            node->key = dch_keywords[k].key;
            node->casing = casing;
            i += strlen(dch_keywords[k].name);
            if (i + 2 <= length && (strncmp(p + i, "TH", 2) == 0 || strncmp(p + i, "th", 2) == 0)) {
                node->th = p[i] == 'T' ? 1 : 2;
                i += 2;
            }
            if (i + 2 <= length && (strncmp(p + i, "SP", 2) == 0 || strncmp(p + i, "sp", 2) == 0))
                i += 2;
            n++;
            continue;
        }
        node->key = DCH_LITERAL;
        if (p[i] == '"') {
            size_t start = ++i;
            while (i < length && p[i] != '"') {
                if (p[i] == '\\' && i + 1 < length)
                    i++;
                i++;
            }
            node->text = p + start;
            node->length = i - start;
            if (i < length)
                i++;
        } else {
            if (p[i] == '\\' && i + 1 < length && p[i + 1] == '"')
                i++;
            node->text = p + i;
            node->length = 1;
            i++;
        }
        n++;
    }
    *count = n;
    return 0;
}

/* A literal node's bytes without the backslashes of escaped quotes. */
static size_t literal_bytes(const dch_node *node, char *out)
{
    size_t used = 0;
    for (size_t k = 0; k < node->length; k++) {
        if (node->text[k] == '\\' && k + 1 < node->length)
            k++;
        out[used++] = node->text[k];
    }
    return used;
}

/* The fields to_char reads from one value. */
typedef struct dch_value {
    int64_t days;  /* since 1970-01-01 */
    int year, month, day, hour, minute, second;
    int32_t micros;
    bool has_zone;
} dch_value;

static int iso_year_start(int year)
{
    int64_t jan4 = tn_date_from_ymd(year, 1, 4);
    return (int)(jan4 - (tn_date_day_of_week(jan4) + 6) % 7);
}

/* ISO 8601 year and week of days. */
static void iso_week(int64_t days, int year, int *iso_year, int *week)
{
    int64_t start = iso_year_start(year + 1);
    if (days >= start) {
        year++;
    } else {
        start = iso_year_start(year);
        if (days < start)
            start = iso_year_start(--year);
    }
    *iso_year = year;
    *week = (int)((days - start) / 7) + 1;
}

static void apply_case(char *s, int casing)
{
    for (size_t k = 0; s[k]; k++) {
        unsigned char c = (unsigned char)s[k];
        if (casing == CASE_UPPER || (casing == CASE_CAPITAL && k == 0))
            s[k] = (char)toupper(c);
        else
            s[k] = (char)tolower(c);
    }
}

/* Writes a name padded to width (unless fill mode) in the node's casing. */
static void put_name(char *s, const char *name, size_t abbreviate, const dch_node *node, int width)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%.*s", abbreviate ? (int)abbreviate : 15, name);
    apply_case(buf, node->casing);
    sprintf(s, "%-*s", node->fill ? 0 : width, buf);
}

static int adjust_year(int year)
{
    return year <= 0 ? -(year - 1) : year;
}

/* Formats one node of value into s (at most 64 bytes). */
static void format_dch_node(const dch_node *node, const dch_value *v, char *s)
{
    int fm = node->fill;
    int year = adjust_year(v->year);
    int iso_year, week;
    bool dots = false, lower = node->casing == CASE_LOWER;
    s[0] = '\0';
    switch (node->key) {
    case DCH_LITERAL: return;
    case DCH_AD_DOTS: case DCH_BC_DOTS: dots = true; /* fall through */
    case DCH_AD: case DCH_BC:
        strcpy(s, v->year <= 0 ? (dots ? "B.C." : "BC") : (dots ? "A.D." : "AD"));
        if (lower)
            apply_case(s, CASE_LOWER);
        return;
    case DCH_AM_DOTS: case DCH_PM_DOTS: dots = true; /* fall through */
    case DCH_AM: case DCH_PM:
        strcpy(s, v->hour >= 12 ? (dots ? "P.M." : "PM") : (dots ? "A.M." : "AM"));
        if (lower)
            apply_case(s, CASE_LOWER);
        return;
    case DCH_CC: {
        int century = v->year > 0 ? (v->year - 1) / 100 + 1 : v->year / 100 - 1;
        if (century <= 99 && century >= -99)
            sprintf(s, "%0*d", fm ? 0 : century >= 0 ? 2 : 3, century);
        else
            sprintf(s, "%d", century);
        break;
    }
    case DCH_MONTH: put_name(s, month_names[v->month - 1], 0, node, 9); return;
    case DCH_MON: put_name(s, month_names[v->month - 1], 3, node, 0); return;
    case DCH_DAY: put_name(s, day_names[tn_date_day_of_week(v->days)], 0, node, 9); return;
    case DCH_DY: put_name(s, day_names[tn_date_day_of_week(v->days)], 3, node, 0); return;
    case DCH_RM:
        sprintf(s, "%-*s", fm ? 0 : 4, roman_months[v->month - 1]);
        if (lower)
            apply_case(s, CASE_LOWER);
        return;
    case DCH_TZ:
        if (v->has_zone)
            strcpy(s, lower ? "utc" : "UTC");
        return;
    case DCH_OF: case DCH_TZH: strcpy(s, "+00"); return;
    case DCH_TZM: strcpy(s, "00"); return;
    case DCH_DDD:
        sprintf(s, "%0*d", fm ? 0 : 3, (int)(v->days - tn_date_from_ymd(v->year, 1, 1)) + 1);
        break;
    case DCH_DD: sprintf(s, "%0*d", fm ? 0 : 2, v->day); break;
    case DCH_D: sprintf(s, "%d", tn_date_day_of_week(v->days) + 1); break;
    case DCH_ID: sprintf(s, "%d", (tn_date_day_of_week(v->days) + 6) % 7 + 1); break;
    case DCH_IDDD:
        iso_week(v->days, v->year, &iso_year, &week);
        sprintf(s, "%0*d", fm ? 0 : 3, (int)(v->days - iso_year_start(iso_year)) + 1);
        break;
    case DCH_FF1: case DCH_FF2: case DCH_FF3: case DCH_FF4: case DCH_FF5: case DCH_FF6: {
        int digits = (int)(node->key - DCH_FF1) + 1, divisor = 1;
        for (int k = digits; k < 6; k++)
            divisor *= 10;
        sprintf(s, "%0*d", digits, v->micros / divisor);
        break;
    }
    case DCH_HH24: sprintf(s, "%0*d", fm ? 0 : 2, v->hour); break;
    case DCH_HH12: case DCH_HH:
        sprintf(s, "%0*d", fm ? 0 : 2, v->hour % 12 == 0 ? 12 : v->hour % 12);
        break;
    case DCH_IW:
        iso_week(v->days, v->year, &iso_year, &week);
        sprintf(s, "%0*d", fm ? 0 : 2, week);
        break;
    case DCH_IYYY: case DCH_IYY: case DCH_IY: case DCH_I: {
        iso_week(v->days, v->year, &iso_year, &week);
        int y = adjust_year(iso_year), width = 4 - (int)(node->key - DCH_IYYY);
        int modulus = width == 4 ? 0 : width == 3 ? 1000 : width == 2 ? 100 : 10;
        sprintf(s, "%0*d", fm ? 0 : width, modulus ? y % modulus : y);
        break;
    }
    case DCH_J: sprintf(s, "%lld", (long long)(v->days + 2440588)); break;
    case DCH_MI: sprintf(s, "%0*d", fm ? 0 : 2, v->minute); break;
    case DCH_MM: sprintf(s, "%0*d", fm ? 0 : 2, v->month); break;
    case DCH_MS: sprintf(s, "%0*d", fm ? 0 : 3, v->micros / 1000); break;
    case DCH_US: sprintf(s, "%0*d", fm ? 0 : 6, v->micros); break;
    case DCH_Q: sprintf(s, "%d", (v->month - 1) / 3 + 1); break;
    case DCH_SSSSS: case DCH_SSSS: sprintf(s, "%d", v->hour * 3600 + v->minute * 60 + v->second); break;
    case DCH_SS: sprintf(s, "%0*d", fm ? 0 : 2, v->second); break;
    case DCH_WW:
        sprintf(s, "%0*d", fm ? 0 : 2, (int)(v->days - tn_date_from_ymd(v->year, 1, 1)) / 7 + 1);
        break;
    case DCH_W: sprintf(s, "%d", (v->day - 1) / 7 + 1); break;
    case DCH_Y_YYY: sprintf(s, "%d,%03d", year / 1000, year % 1000); break;
    case DCH_YYYY: sprintf(s, "%0*d", fm ? 0 : 4, year); break;
    case DCH_YYY: sprintf(s, "%0*d", fm ? 0 : 3, year % 1000); break;
    case DCH_YY: sprintf(s, "%0*d", fm ? 0 : 2, year % 100); break;
    case DCH_Y: sprintf(s, "%d", year % 10); break;
    }
    if (node->th)
        tn_to_char_th_suffix(s, node->th == 1);
}

/* Templates are parsed once per distinct text: a constant template at
 * bind time, else per row. */
typedef struct parsed_template {
    dch_node nodes[MAX_NODES];
    int count;
} parsed_template;

static int to_char_datetime(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out,
                            tn_error *err)
{
    parsed_template local;
    const parsed_template *parsed = call->bind_data;
    bool per_row = parsed == NULL && !args[1]->is_constant;
    tn_type_id type = args[0]->type.id;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int64_t ts = ((const int64_t *)args[0]->data)[args[0]->is_constant ? 0 : i];
        if (!tn_timestamp_is_finite(ts)) {
            if (tn_vector_set_null(out, i) != 0)
                return tn_error_oom(err);
            continue;
        }
        if (parsed == NULL || per_row) {
            const tn_string *format = STR(args[1], i);
            if (parse_dch(tn_string_data(format), format->length, local.nodes, &local.count, err) != 0)
                return -1;
            parsed = &local;
        }
        tn_datetime_fields fields;
        tn_timestamp_to_fields(ts, &fields);
        dch_value v = {tn_date_from_ymd(fields.year, fields.month, fields.day), fields.year,
                       fields.month, fields.day, fields.hour, fields.minute, fields.second,
                       fields.micros, type == TN_TYPE_TIMESTAMPTZ};
        char *text = tn_arena_alloc(out->arena, (size_t)parsed->count * 64 + 1);
        if (text == NULL)
            return tn_error_oom(err);
        size_t used = 0;
        for (int k = 0; k < parsed->count; k++) {
            const dch_node *node = &parsed->nodes[k];
            if (node->key == DCH_LITERAL) {
                used += literal_bytes(node, text + used);
                continue;
            }
            format_dch_node(node, &v, text + used);
            used += strlen(text + used);
        }
        ((tn_string *)out->data)[i] = tn_string_make(text, (uint32_t)used);
    }
    return 0;
}

static int to_char_timestamp_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                    uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return to_char_datetime(call, args, count, out, err);
}

static int bind_dch_template(tn_arena *arena, tn_expr *call, tn_error *err)
{
    const tn_expr *format = call->args[1];
    if (format->kind != TN_EXPR_CONSTANT || format->value.is_null)
        return 0;
    parsed_template *parsed = tn_arena_alloc(arena, sizeof *parsed);
    if (parsed == NULL)
        return tn_error_oom(err);
    const tn_string *text = &format->value.u.string;
    if (parse_dch(tn_string_data(text), text->length, parsed->nodes, &parsed->count, err) != 0)
        return -1;
    call->bind_data = parsed;
    return 0;
}

/* ---- to_date, to_timestamp: reading a value by template ---- */

typedef struct dch_parse {
    int year, month, day, hour, minute, second, micros;
    int day_of_year, pm, bc, century;
    bool has_year, has_day_of_year, has_pm, has_century, hour12, year_short;
    int year_digits;
} dch_parse;

static int bad_value(const char *text, size_t length, const dch_node *node, tn_error *err)
{
    const char *name = "field";
    for (size_t k = 0; k < sizeof dch_keywords / sizeof dch_keywords[0]; k++) {
        if (dch_keywords[k].key == node->key) {
            name = dch_keywords[k].name;
            break;
        }
    }
    int shown = 0;
    while ((size_t)shown < length && shown < 1 + (int)strlen(name) && !isspace((unsigned char)text[shown]))
        shown++;
    tn_error_set(err, TN_ERR_INVALID_DATETIME_FORMAT, 0, "invalid value \"%.*s\" for \"%s\"", shown,
                 text, name);
    tn_error_detail(err, "Value must be an integer.");
    return -1;
}

/* Reads an integer of at most max_digits (all digits when the next node
 * is not a number, as PostgreSQL reads "2024-3-5"). */
static int read_int(const char **p, const char *end, int max_digits, const dch_node *node, int *out,
                    tn_error *err)
{
    const char *s = *p;
    while (s < end && isspace((unsigned char)*s))
        s++;
    bool negative = false;
    if (s < end && (*s == '-' || *s == '+')) {
        negative = *s == '-';
        s++;
    }
    const char *start = s;
    int64_t value = 0;
    while (s < end && isdigit((unsigned char)*s) && (s - start < max_digits || max_digits == 0)) {
        value = value * 10 + (*s - '0');
        if (value > INT32_MAX)
            return bad_value(start, (size_t)(end - start), node, err);
        s++;
    }
    if (s == start)
        return bad_value(start, (size_t)(end - start), node, err);
    *out = negative ? -(int)value : (int)value;
    *p = s;
    return 0;
}

static int read_name(const char **p, const char *end, const char *const *names, int count,
                     size_t abbreviate, const dch_node *node, int *out, tn_error *err)
{
    for (int k = 0; k < count; k++) {
        size_t n = abbreviate ? abbreviate : strlen(names[k]);
        if ((size_t)(end - *p) >= n && strncasecmp(*p, names[k], n) == 0) {
            *out = k;
            *p += n;
            return 0;
        }
    }
    const char *name = node->key == DCH_MONTH ? "MONTH" : node->key == DCH_MON ? "MON"
                     : node->key == DCH_DAY ? "DAY" : "DY";
    tn_error_set(err, TN_ERR_INVALID_DATETIME_FORMAT, 0, "invalid value \"%.*s\" for \"%s\"",
                 (int)((size_t)(end - *p) < 3 ? (size_t)(end - *p) : 3), *p, name);
    tn_error_detail(err, "The given value did not match any of the allowed values for this field.");
    return -1;
}

/* The width a number field reads: all its digits when a separator (or
 * nothing, or a name) follows, as PostgreSQL's from_char_parse_int_len. */
static int width_of(const dch_node *node, const dch_node *next, int width)
{
    if (node->fill || next == NULL || next->key == DCH_LITERAL)
        return 0;
    for (size_t k = 0; k < sizeof dch_keywords / sizeof dch_keywords[0]; k++)
        if (dch_keywords[k].key == next->key)
            return dch_keywords[k].is_text ? 0 : width;
    return width;
}

static int parse_dch_node(const dch_node *node, const dch_node *next, const char **p, const char *end,
                          dch_parse *out, tn_error *err)
{
    int value, index;
    switch (node->key) {
    case DCH_YYYY: case DCH_IYYY:
        if (read_int(p, end, width_of(node, next, 4), node, &out->year, err) != 0)
            return -1;
        out->has_year = true;
        return 0;
    case DCH_Y_YYY: {
        int thousands;
        if (read_int(p, end, 0, node, &thousands, err) != 0)
            return -1;
        if (*p < end && **p == ',')
            (*p)++;
        if (read_int(p, end, 3, node, &value, err) != 0)
            return -1;
        out->year = thousands * 1000 + value;
        out->has_year = true;
        return 0;
    }
    case DCH_YYY: case DCH_YY: case DCH_Y: case DCH_IYY: case DCH_IY: case DCH_I: {
        const char *start = *p;
        int digits = node->key == DCH_YYY || node->key == DCH_IYY ? 3
                   : node->key == DCH_YY || node->key == DCH_IY ? 2 : 1;
        if (read_int(p, end, digits, node, &value, err) != 0)
            return -1;
        int read = (int)(*p - start);
        /* PostgreSQL's adjust_partial_year_to_2020 */
        if (read <= 1 && digits == 1)
            value += 2020;
        else if (read <= 2 && digits <= 2)
            value += value < 70 ? 2000 : 1900;
        else if (read <= 3 && digits == 3)
            value += value < 100 ? 2000 : 1000;
        out->year = value;
        out->has_year = true;
        return 0;
    }
    case DCH_CC:
        if (read_int(p, end, 0, node, &out->century, err) != 0)
            return -1;
        out->has_century = true;
        return 0;
    case DCH_MM: return read_int(p, end, width_of(node, next, 2), node, &out->month, err);
    case DCH_DD: return read_int(p, end, width_of(node, next, 2), node, &out->day, err);
    case DCH_DDD: case DCH_IDDD:
        out->has_day_of_year = true;
        return read_int(p, end, width_of(node, next, 3), node, &out->day_of_year, err);
    case DCH_HH24: return read_int(p, end, width_of(node, next, 2), node, &out->hour, err);
    case DCH_HH: case DCH_HH12:
        out->hour12 = true;
        return read_int(p, end, width_of(node, next, 2), node, &out->hour, err);
    case DCH_MI: return read_int(p, end, width_of(node, next, 2), node, &out->minute, err);
    case DCH_SS: return read_int(p, end, width_of(node, next, 2), node, &out->second, err);
    case DCH_MS:
        if (read_int(p, end, 3, node, &value, err) != 0)
            return -1;
        out->micros += value * 1000;
        return 0;
    case DCH_US: case DCH_FF1: case DCH_FF2: case DCH_FF3: case DCH_FF4: case DCH_FF5: case DCH_FF6: {
        const char *start = *p;
        if (read_int(p, end, 6, node, &value, err) != 0)
            return -1;
        for (long read = *p - start; read < 6; read++)
            value *= 10;
        out->micros += value;
        return 0;
    }
    case DCH_SSSSS: case DCH_SSSS:
        if (read_int(p, end, 0, node, &value, err) != 0)
            return -1;
        out->hour = value / 3600;
        out->minute = value / 60 % 60;
        out->second = value % 60;
        return 0;
    case DCH_MONTH: case DCH_MON:
        if (read_name(p, end, month_names, 12, node->key == DCH_MON ? 3 : 0, node, &index, err) != 0)
            return -1;
        out->month = index + 1;
        return 0;
    case DCH_RM:
        for (int k = 11; k >= 0; k--) {
            size_t n = strlen(roman_months[k]);
            if ((size_t)(end - *p) >= n && strncasecmp(*p, roman_months[k], n) == 0) {
                out->month = k + 1;
                *p += n;
                return 0;
            }
        }
        return read_name(p, end, month_names, 0, 0, node, &index, err);
    case DCH_DAY: case DCH_DY:
        return read_name(p, end, day_names, 7, node->key == DCH_DY ? 3 : 0, node, &index, err);
    case DCH_AM: case DCH_PM: case DCH_AM_DOTS: case DCH_PM_DOTS: {
        bool dots = node->key == DCH_AM_DOTS || node->key == DCH_PM_DOTS;
        size_t n = dots ? 4 : 2;
        if ((size_t)(end - *p) < n) {
            tn_error_set(err, TN_ERR_INVALID_DATETIME_FORMAT, 0,
                         "invalid value \"%.*s\" for \"%s\"", (int)(end - *p), *p, dots ? "A.M." : "AM");
            tn_error_detail(err, "The given value did not match any of the allowed values for this field.");
            return -1;
        }
        out->pm = tolower((unsigned char)**p) == 'p';
        out->has_pm = true;
        *p += n;
        return 0;
    }
    case DCH_AD: case DCH_BC: case DCH_AD_DOTS: case DCH_BC_DOTS: {
        size_t n = node->key == DCH_AD_DOTS || node->key == DCH_BC_DOTS ? 4 : 2;
        out->bc = (size_t)(end - *p) >= 1 && tolower((unsigned char)**p) == 'b';
        *p += (size_t)(end - *p) < n ? (size_t)(end - *p) : n;
        return 0;
    }
    case DCH_D: case DCH_ID: case DCH_W: case DCH_WW: case DCH_IW: case DCH_Q: case DCH_J:
        return read_int(p, end, 0, node, &value, err);
    case DCH_TZ: case DCH_OF: case DCH_TZH: case DCH_TZM:
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                            "formatting field \"TZ\" is only supported in to_char");
    case DCH_LITERAL: return 0;
    }
    return 0;
}

static int field_overflow(const tn_string *input, tn_error *err)
{
    return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                        "date/time field value out of range: \"%.*s\"", (int)input->length,
                        tn_string_data(input));
}

/* Parses input by template into a timestamp (microseconds). */
static int parse_timestamp(const tn_string *input, const tn_string *format, int64_t *out,
                           tn_error *err)
{
    dch_node nodes[MAX_NODES];
    int count;
    if (parse_dch(tn_string_data(format), format->length, nodes, &count, err) != 0)
        return -1;
    dch_parse fields;
    memset(&fields, 0, sizeof fields);
    fields.month = 1;
    fields.day = 1;
    const char *p = tn_string_data(input), *end = p + input->length;
    for (int k = 0; k < count && p < end; k++) {
        const dch_node *node = &nodes[k];
        if (node->key != DCH_LITERAL) {
            while (p < end && isspace((unsigned char)*p) && node->key != DCH_LITERAL)
                p++;
            if (parse_dch_node(node, k + 1 < count ? &nodes[k + 1] : NULL, &p, end, &fields, err) != 0)
                return -1;
            continue;
        }
        /* A literal skips one input character (spaces: all of them). */
        if (isspace((unsigned char)node->text[0])) {
            while (p < end && isspace((unsigned char)*p))
                p++;
        } else if (!isdigit((unsigned char)*p) || !isdigit((unsigned char)node->text[0])) {
            p += node->length <= (size_t)(end - p) ? node->length : (size_t)(end - p);
        }
    }
    if (fields.has_century && !fields.has_year)
        fields.year = (fields.century - 1) * 100 + 1;
    /* "-2022" and "2022 BC" are both 2022 BC, which is year -2021 in the
     * astronomical numbering tarn keeps (year 0 is 1 BC), as PostgreSQL. */
    if (fields.bc)
        fields.year = -fields.year;
    if (fields.year < 0)
        fields.year += 1;
    if (fields.hour12 || fields.has_pm) {
        if (fields.hour < 1 || fields.hour > 12) {
            tn_error_set(err, TN_ERR_INVALID_DATETIME_FORMAT, 0,
                         "hour \"%d\" is invalid for the 12-hour clock", fields.hour);
            tn_error_hint(err, "Use the 24-hour clock, or give an hour between 1 and 12.");
            return -1;
        }
        if (fields.pm && fields.hour < 12)
            fields.hour += 12;
        else if (!fields.pm && fields.hour == 12)
            fields.hour = 0;
    }
    int64_t days;
    if (fields.has_day_of_year) {
        if (fields.day_of_year < 1 || fields.day_of_year > (tn_date_is_leap(fields.year) ? 366 : 365))
            return field_overflow(input, err);
        days = tn_date_from_ymd(fields.year, 1, 1) + fields.day_of_year - 1;
    } else {
        if (fields.month < 1 || fields.month > 12 || fields.day < 1 ||
            fields.day > tn_date_days_in_month(fields.year, fields.month))
            return field_overflow(input, err);
        days = tn_date_from_ymd(fields.year, fields.month, fields.day);
    }
    if (fields.hour < 0 || fields.hour > 24 || fields.minute < 0 || fields.minute > 59 ||
        fields.second < 0 || fields.second > 60 || fields.micros < 0 || fields.micros > 999999)
        return field_overflow(input, err);
    if (!tn_date_in_range(days))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range: \"%.*s\"",
                            (int)input->length, tn_string_data(input));
    *out = days * INT64_C(86400000000) +
           ((int64_t)fields.hour * 3600 + fields.minute * 60 + fields.second) * INT64_C(1000000) +
           fields.micros;
    if (!tn_timestamp_in_range(*out))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "timestamp out of range");
    return 0;
}

TN_ROW_KERNEL2(to_timestamp_kernel, tn_string, tn_string, int64_t, {
    if (parse_timestamp(&x, &y, &r[i], err) != 0)
        return -1;
})

TN_ROW_KERNEL2(to_date_kernel, tn_string, tn_string, int32_t, {
    int64_t ts;
    if (parse_timestamp(&x, &y, &ts, err) != 0 || tn_timestamp_to_date(ts, &r[i], err) != 0)
        return -1;
})

/* to_timestamp(double precision): seconds since the Unix epoch. */
TN_ROW_KERNEL1(to_timestamp_epoch_kernel, double, int64_t, {
    if (isnan(x))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                            "timestamp cannot be NaN");
    if (isinf(x)) {
        r[i] = x > 0 ? TN_TIMESTAMP_NOEND : TN_TIMESTAMP_NOBEGIN;
        continue;
    }
    double micros = rint(x * 1000000.0);
    if (!(micros >= (double)TN_TIMESTAMP_MIN && micros < (double)TN_TIMESTAMP_NOEND))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                            "timestamp out of range: \"%g\"", x);
    r[i] = (int64_t)micros;
})


static const tn_scalar_function functions[] = {
    TN_FN2("to_char", TIMESTAMP, TEXT, TEXT, to_char_timestamp_kernel, bind_dch_template),
    {"to_char", 2, {TN_TYPE_TIMESTAMPTZ, TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_STABLE, true,
     to_char_timestamp_kernel, bind_dch_template},
    {"to_timestamp", 2, {TN_TYPE_TEXT, TN_TYPE_TEXT}, TN_TYPE_TIMESTAMPTZ, TN_STABLE, true,
     to_timestamp_kernel, NULL},
    {"to_date", 2, {TN_TYPE_TEXT, TN_TYPE_TEXT}, TN_TYPE_DATE, TN_STABLE, true, to_date_kernel, NULL},
    TN_FN1("to_timestamp", FLOAT64, TIMESTAMPTZ, to_timestamp_epoch_kernel, NULL),
};

const tn_function_list tn_func_format_list = {functions, sizeof functions / sizeof functions[0]};
