/*
 * Text input with PostgreSQL 15's rules and messages (see parse.h).
 *
 * Numbers: integers are read digit by digit with overflow checks (never
 * strtol, which would accept "0x10" or "1e3"); floats through strtod/strtof
 * with PostgreSQL's out-of-range rule (overflow, or underflow to zero, is
 * an error; denormals are fine); numerics by numeric.c.
 *
 * Dates and times follow PostgreSQL's two stages.  split_fields is its
 * ParseDateTime: the text becomes typed fields (number, date such as
 * "2024-01-15" or "15-jan-2024", time "10:30:00.5", signed number or zone
 * "+05:30", word).  decode_datetime is its DecodeDateTime, which reads the
 * fields left to right, each filling year/month/day/time/zone and marking
 * them in a mask so a repeated field is an error; decode_interval is its
 * DecodeInterval, which reads right to left so that a unit word reaches the
 * number before it.  Decoders return a DT_* code that report_datetime turns
 * into PostgreSQL's message for the type at hand.
 */
#include "types/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "types/numeric.h"

#define MAX_FIELDS 25
#define MAX_DATE_LENGTH 128 /* PostgreSQL's MAXDATELEN */

enum dt_result {
    DT_OK = 0,
    DT_BAD_FORMAT = -1,
    DT_FIELD_OVERFLOW = -2,
    DT_MD_FIELD_OVERFLOW = -3, /* month/day out of range: maybe DateStyle */
    DT_TZ_OVERFLOW = -4,
    DT_INTERVAL_OVERFLOW = -5,
    DT_INTERVAL_RANGE = -6, /* fields fine, total months beyond int32 */
};

typedef enum field_kind { F_NUMBER, F_DATE, F_TIME, F_STRING, F_SIGNED, F_SPECIAL } field_kind;

typedef struct dt_fields {
    int count;
    field_kind kinds[MAX_FIELDS];
    char *texts[MAX_FIELDS];               /* NUL-terminated, lower case, in buf */
    char buf[2 * MAX_DATE_LENGTH + MAX_FIELDS];
} dt_fields;

/* Masks of what a date/time text has given so far. */
enum {
    M_YEAR = 1 << 0, M_MONTH = 1 << 1, M_DAY = 1 << 2, M_TIME = 1 << 3, M_TZ = 1 << 4,
    M_AMPM = 1 << 5, M_ADBC = 1 << 6, M_DOW = 1 << 7, M_SPECIAL = 1 << 8, M_DOY = 1 << 9,
    M_DATE = M_YEAR | M_MONTH | M_DAY,
};

typedef enum special { S_NONE, S_EPOCH, S_INFINITY, S_MINUS_INFINITY } special;

typedef struct dt_value {
    int64_t year;
    int month, day, hour, minute, second;
    int day_of_year;    /* "2024-001": month and day come from it, when M_DOY */
    int64_t micros;
    unsigned mask;
    bool is_bc, is_two_digit_year, has_text_month;
    int ampm;           /* 0 none, 1 am, 2 pm */
    int32_t utc_offset; /* seconds east, when M_TZ */
    special special;
    bool is_time_only;  /* TIME input: a date is optional (and ignored) */
} dt_value;

static int parse_int_text(const char *text, size_t length, tn_type_id type, int64_t *out, tn_error *err);
static const char *copy_text(const char *text, size_t length, char *local, size_t local_size);
static int split_fields(const char *text, size_t length, dt_fields *out);
static int decode_datetime(dt_fields *fields, bool is_time_only, dt_value *v);
static int decode_interval(dt_fields *fields, tn_interval *out);
static int decode_iso_interval(const char *text, size_t length, tn_interval *out);
static int report_datetime(int code, const char *type_name, const char *text, size_t length, tn_error *err);

/* ---- booleans and numbers ---- */

static void trim(const char **text, size_t *length)
{
    while (*length > 0 && isspace((unsigned char)**text))
        (*text)++, (*length)--;
    while (*length > 0 && isspace((unsigned char)(*text)[*length - 1]))
        (*length)--;
}

int tn_parse_bool(const char *text, size_t length, bool *out, tn_error *err)
{
    const char *s = text;
    size_t n = length;
    trim(&s, &n);
    /* a prefix of the word; "o" alone is ambiguous between on and off */
    static const struct {
        const char *word;
        size_t min_length;
        bool value;
    } words[] = {{"true", 1, true}, {"false", 1, false}, {"yes", 1, true},
                 {"no", 1, false},  {"on", 2, true},     {"off", 2, false}};
    for (size_t i = 0; i < sizeof words / sizeof words[0] && n > 0; i++) {
        if (n >= words[i].min_length && n <= strlen(words[i].word) &&
            strncasecmp(s, words[i].word, n) == 0) {
            *out = words[i].value;
            return 0;
        }
    }
    if (n == 1 && (s[0] == '1' || s[0] == '0')) {
        *out = s[0] == '1';
        return 0;
    }
    return tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0,
                        "invalid input syntax for type boolean: \"%.*s\"", (int)length, text);
}

static int parse_int_text(const char *text, size_t length, tn_type_id type, int64_t *out, tn_error *err)
{
    int64_t min = type == TN_TYPE_INT16 ? INT16_MIN : type == TN_TYPE_INT32 ? INT32_MIN : INT64_MIN;
    int64_t max = type == TN_TYPE_INT16 ? INT16_MAX : type == TN_TYPE_INT32 ? INT32_MAX : INT64_MAX;
    size_t pos = 0;
    while (pos < length && isspace((unsigned char)text[pos]))
        pos++;
    bool negative = false;
    if (pos < length && (text[pos] == '+' || text[pos] == '-'))
        negative = text[pos++] == '-';
    if (pos >= length || !isdigit((unsigned char)text[pos]))
        goto syntax;
    /* accumulate negatively so that INT64_MIN is reachable */
    int64_t value = 0;
    for (; pos < length && isdigit((unsigned char)text[pos]); pos++) {
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_sub_overflow(value, text[pos] - '0', &value))
            goto range;
    }
    while (pos < length && isspace((unsigned char)text[pos]))
        pos++;
    if (pos != length)
        goto syntax;
    if (!negative) {
        if (value == INT64_MIN)
            goto range;
        value = -value;
    }
    if (value < min || value > max)
        goto range;
    *out = value;
    return 0;
range:
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value \"%.*s\" is out of range for type %s",
                        (int)length, text, tn_type_id_name(type));
syntax:
    return tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type %s: \"%.*s\"",
                        tn_type_id_name(type), (int)length, text);
}

int tn_parse_int(const char *text, size_t length, tn_type_id type, int64_t *out, tn_error *err)
{
    return parse_int_text(text, length, type, out, err);
}

/* A NUL-terminated copy for strtod: local when it fits, else malloc'd
 * (the caller frees it when it differs from local).  NULL when out of memory. */
static const char *copy_text(const char *text, size_t length, char *local, size_t local_size)
{
    char *copy = length < local_size ? local : malloc(length + 1);
    if (copy != NULL) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

/* float8in / float4in: strtod does the reading; PostgreSQL rejects
 * overflow and underflow to zero but keeps denormals. */
static int parse_float(const char *text, size_t length, bool is_float4, double *out, tn_error *err)
{
    const char *type_name = is_float4 ? "real" : "double precision";
    char local[128];
    const char *copy = copy_text(text, length, local, sizeof local);
    if (copy == NULL)
        return tn_error_oom(err);
    const char *start = copy;
    while (isspace((unsigned char)*start))
        start++;
    char *end;
    errno = 0;
    double value = is_float4 ? strtof(start, &end) : strtod(start, &end);
    bool range_error = errno == ERANGE && (value == 0 || isinf(value));
    bool syntax_error = *start == '\0' || end == start;
    while (!syntax_error && isspace((unsigned char)*end))
        end++;
    syntax_error = syntax_error || *end != '\0';
    if (copy != local)
        free((void *)copy);
    if (syntax_error)
        return tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type %s: \"%.*s\"",
                            type_name, (int)length, text);
    if (range_error)
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "\"%.*s\" is out of range for type %s",
                            (int)length, text, type_name);
    *out = value;
    return 0;
}

int tn_parse_float64(const char *text, size_t length, double *out, tn_error *err)
{
    return parse_float(text, length, false, out, err);
}

int tn_parse_float32(const char *text, size_t length, float *out, tn_error *err)
{
    double value;
    if (parse_float(text, length, true, &value, err) != 0)
        return -1;
    *out = (float)value;
    return 0;
}

int tn_parse_numeric(const char *text, size_t length, tn_type type, tn_int128 *out, tn_error *err)
{
    tn_int128 value;
    int scale;
    if (tn_numeric_parse(text, length, &value, &scale, err) != 0)
        return tn_numeric_report_overflow(type, err);
    return tn_numeric_apply_typmod(value, scale, type, out, err);
}

/* ---- splitting date/time text into fields (PostgreSQL's ParseDateTime) ---- */

typedef enum word_kind { W_MONTH, W_DOW, W_AMPM, W_ADBC, W_ZONE, W_ISO_T, W_SPECIAL, W_ALLBALLS } word_kind;

static const struct {
    const char *name;
    word_kind kind;
    int value;
} date_words[] = {
    {"jan", W_MONTH, 1},       {"january", W_MONTH, 1},   {"feb", W_MONTH, 2},
    {"february", W_MONTH, 2},  {"mar", W_MONTH, 3},       {"march", W_MONTH, 3},
    {"apr", W_MONTH, 4},       {"april", W_MONTH, 4},     {"may", W_MONTH, 5},
    {"jun", W_MONTH, 6},       {"june", W_MONTH, 6},      {"jul", W_MONTH, 7},
    {"july", W_MONTH, 7},      {"aug", W_MONTH, 8},       {"august", W_MONTH, 8},
    {"sep", W_MONTH, 9},       {"sept", W_MONTH, 9},      {"september", W_MONTH, 9},
    {"oct", W_MONTH, 10},      {"october", W_MONTH, 10},  {"nov", W_MONTH, 11},
    {"november", W_MONTH, 11}, {"dec", W_MONTH, 12},      {"december", W_MONTH, 12},
    {"sun", W_DOW, 0},         {"sunday", W_DOW, 0},      {"mon", W_DOW, 1},
    {"monday", W_DOW, 1},      {"tue", W_DOW, 2},         {"tues", W_DOW, 2},
    {"tuesday", W_DOW, 2},     {"wed", W_DOW, 3},         {"wednesday", W_DOW, 3},
    {"thu", W_DOW, 4},         {"thur", W_DOW, 4},        {"thurs", W_DOW, 4},
    {"thursday", W_DOW, 4},    {"fri", W_DOW, 5},         {"friday", W_DOW, 5},
    {"sat", W_DOW, 6},         {"saturday", W_DOW, 6},    {"am", W_AMPM, 1},
    {"pm", W_AMPM, 2},         {"ad", W_ADBC, 0},         {"bc", W_ADBC, 1},
    {"z", W_ZONE, 0},          {"zulu", W_ZONE, 0},       {"utc", W_ZONE, 0},
    {"gmt", W_ZONE, 0},        {"ut", W_ZONE, 0},         {"t", W_ISO_T, 0},
    {"epoch", W_SPECIAL, S_EPOCH}, {"infinity", W_SPECIAL, S_INFINITY},
    {"-infinity", W_SPECIAL, S_MINUS_INFINITY}, {"allballs", W_ALLBALLS, 0},
};

static int lookup_word(const char *word)
{
    for (size_t i = 0; i < sizeof date_words / sizeof date_words[0]; i++) {
        if (strcmp(date_words[i].name, word) == 0)
            return (int)i;
    }
    return -1;
}

static int split_fields(const char *text, size_t length, dt_fields *out)
{
    if (length > MAX_DATE_LENGTH)
        return DT_BAD_FORMAT;
    const char *cp = text, *end = text + length;
    char *bp = out->buf;
#define PEEK (cp < end ? *cp : '\0')
#define TAKE() (*bp++ = *cp++)
#define TAKE_LOWER() (*bp++ = (char)tolower((unsigned char)*cp++))
    out->count = 0;
    while (cp < end) {
        unsigned char c = (unsigned char)*cp;
        if (isspace(c)) {
            cp++;
            continue;
        }
        if (out->count == MAX_FIELDS)
            return DT_BAD_FORMAT;
        char *start = bp;
        field_kind kind;
        if (isdigit(c)) {
            while (isdigit((unsigned char)PEEK))
                TAKE();
            if (PEEK == ':') {
                kind = F_TIME;
                while (isdigit((unsigned char)PEEK) || PEEK == ':' || PEEK == '.')
                    TAKE();
            } else if (PEEK == '-' || PEEK == '/' || PEEK == '.') {
                char delimiter = PEEK;
                TAKE();
                if (isdigit((unsigned char)PEEK)) {
                    kind = delimiter == '.' ? F_NUMBER : F_DATE;
                    while (isdigit((unsigned char)PEEK))
                        TAKE();
                    if (PEEK == delimiter) { /* three fields need matching delimiters */
                        kind = F_DATE;
                        while (isdigit((unsigned char)PEEK) || PEEK == delimiter)
                            TAKE();
                    }
                } else {
                    kind = F_DATE;
                    while (isalnum((unsigned char)PEEK) || PEEK == delimiter)
                        TAKE_LOWER();
                }
            } else {
                kind = F_NUMBER;
            }
        } else if (c == '.') {
            TAKE();
            while (isdigit((unsigned char)PEEK))
                TAKE();
            kind = F_NUMBER;
        } else if (isalpha(c)) {
            kind = F_STRING;
            while (isalpha((unsigned char)PEEK))
                TAKE_LOWER();
            bool is_date = PEEK == '-' || PEEK == '/' || PEEK == '.';
            if (PEEK == '+' || isdigit((unsigned char)PEEK)) {
                *bp = '\0';
                is_date = lookup_word(start) < 0;
            }
            if (is_date) {
                kind = F_DATE;
                do
                    TAKE_LOWER();
                while (PEEK == '+' || PEEK == '-' || PEEK == '/' || PEEK == '_' || PEEK == '.' ||
                       PEEK == ':' || isalnum((unsigned char)PEEK));
            }
        } else if (c == '+' || c == '-') {
            TAKE();
            while (isspace((unsigned char)PEEK))
                cp++;
            if (isdigit((unsigned char)PEEK)) {
                kind = F_SIGNED;
                while (isdigit((unsigned char)PEEK) || PEEK == ':' || PEEK == '.' || PEEK == '-')
                    TAKE();
            } else if (isalpha((unsigned char)PEEK)) {
                kind = F_SPECIAL;
                while (isalpha((unsigned char)PEEK))
                    TAKE_LOWER();
            } else {
                return DT_BAD_FORMAT;
            }
        } else if (ispunct(c)) {
            cp++;
            continue;
        } else {
            return DT_BAD_FORMAT;
        }
        *bp++ = '\0';
        out->kinds[out->count] = kind;
        out->texts[out->count++] = start;
    }
#undef PEEK
#undef TAKE
#undef TAKE_LOWER
    return DT_OK;
}

/* ---- decoding dates and times (PostgreSQL's DecodeDateTime) ---- */

/* Reads a run of digits as a non-negative int, rejecting overflow. */
static int read_int(const char **cp, int64_t *out)
{
    const char *p = *cp;
    int64_t value = 0;
    if (!isdigit((unsigned char)*p))
        return DT_BAD_FORMAT;
    for (; isdigit((unsigned char)*p); p++) {
        value = value * 10 + (*p - '0');
        if (value > INT32_MAX)
            return DT_FIELD_OVERFLOW;
    }
    *cp = p;
    *out = value;
    return DT_OK;
}

/* ".123456" -> microseconds, rounded as PostgreSQL does (rint of a double). */
static int read_fraction(const char *cp, int64_t *micros)
{
    if (cp[1] == '\0') { /* "10:30:00." */
        *micros = 0;
        return DT_OK;
    }
    char *end;
    double fraction = strtod(cp, &end);
    if (*end != '\0' || end == cp)
        return DT_BAD_FORMAT;
    *micros = (int64_t)rint(fraction * 1000000.0);
    return DT_OK;
}

/* "hh:mm", "hh:mm:ss[.f]" or "mm:ss.f" into the time of v. */
static int decode_time(const char *text, dt_value *v)
{
    const char *cp = text;
    int64_t hour, minute, second = 0, micros = 0;
    int code;
    if ((code = read_int(&cp, &hour)) != DT_OK)
        return code;
    if (*cp++ != ':' || (code = read_int(&cp, &minute)) != DT_OK)
        return code != DT_OK ? code : DT_BAD_FORMAT;
    if (*cp == '.') { /* mm:ss.fff */
        if ((code = read_fraction(cp, &micros)) != DT_OK)
            return code;
        second = minute, minute = hour, hour = 0;
    } else if (*cp == ':') {
        cp++;
        if ((code = read_int(&cp, &second)) != DT_OK)
            return code;
        if (*cp == '.' && (code = read_fraction(cp, &micros)) != DT_OK)
            return code;
        if (*cp != '.' && *cp != '\0')
            return DT_BAD_FORMAT;
    } else if (*cp != '\0') {
        return DT_BAD_FORMAT;
    }
    if (hour > 24 || minute > 59 || second > 60 || micros > TN_USECS_PER_SEC ||
        ((hour * 60 + minute) * 60 + second) * TN_USECS_PER_SEC + micros > TN_USECS_PER_DAY)
        return DT_FIELD_OVERFLOW;
    v->hour = (int)hour, v->minute = (int)minute, v->second = (int)second, v->micros = micros;
    return DT_OK;
}

/* "+05", "-0530", "+05:30[:15]" (PostgreSQL's DecodeTimezone). */
static int decode_zone(const char *text, int32_t *utc_offset)
{
    const char *cp = text + 1;
    int64_t hour, minute = 0, second = 0;
    if (read_int(&cp, &hour) != DT_OK)
        return DT_BAD_FORMAT;
    if (*cp == ':') {
        cp++;
        if (read_int(&cp, &minute) != DT_OK)
            return DT_BAD_FORMAT;
        if (*cp == ':') {
            cp++;
            if (read_int(&cp, &second) != DT_OK)
                return DT_BAD_FORMAT;
        }
    } else if (*cp == '\0' && strlen(text) > 3) {
        minute = hour % 100;
        hour /= 100;
    }
    if (hour > 15 || minute >= 60 || second >= 60)
        return DT_TZ_OVERFLOW;
    if (*cp != '\0')
        return DT_BAD_FORMAT;
    int32_t offset = (int32_t)((hour * 60 + minute) * 60 + second);
    *utc_offset = text[0] == '-' ? -offset : offset;
    return DT_OK;
}

/* Concatenated digits: "20240115" / "240115" as a date when the date is
 * still missing, "103000" / "1030" as a time (DecodeNumberField). */
static int decode_number_field(const char *text, dt_value *v, unsigned *field_mask)
{
    char digits[MAX_DATE_LENGTH];
    size_t length = strlen(text);
    const char *point = strchr(text, '.');
    int code;
    if (point != NULL) {
        if ((code = read_fraction(point, &v->micros)) != DT_OK)
            return code;
        length = (size_t)(point - text);
    }
    memcpy(digits, text, length);
    digits[length] = '\0';
    if (point == NULL && (v->mask & M_DATE) != M_DATE && length >= 6) {
        v->day = atoi(digits + length - 2);
        digits[length - 2] = '\0';
        v->month = atoi(digits + length - 4);
        digits[length - 4] = '\0';
        if (length - 4 > 9)
            return DT_FIELD_OVERFLOW;
        v->year = atoll(digits);
        v->is_two_digit_year = length - 4 == 2;
        *field_mask = M_DATE;
        return DT_OK;
    }
    if (!(v->mask & M_TIME) && (length == 6 || length == 4)) {
        v->second = length == 6 ? atoi(digits + 4) : 0;
        digits[4] = '\0';
        v->minute = atoi(digits + 2);
        digits[2] = '\0';
        v->hour = atoi(digits);
        if (point == NULL)
            v->micros = 0;
        *field_mask = M_TIME;
        return DT_OK;
    }
    return DT_BAD_FORMAT;
}

/* One numeric date part, placed by what is already known and MDY order
 * (DecodeNumber). */
static int decode_number(const char *text, dt_value *v, unsigned *field_mask)
{
    const char *cp = text;
    int64_t value;
    int code = read_int(&cp, &value);
    if (code != DT_OK)
        return code;
    size_t length = (size_t)(cp - text);
    if (*cp == '.') {
        if (length > 2)
            return decode_number_field(text, v, field_mask);
        if ((code = read_fraction(cp, &v->micros)) != DT_OK)
            return code;
    } else if (*cp != '\0') {
        return DT_BAD_FORMAT;
    }
    if (length == 3 && (v->mask & M_DATE) == M_YEAR && value >= 1 && value <= 366) {
        v->day_of_year = (int)value;
        *field_mask = M_DOY | M_MONTH | M_DAY;
        return DT_OK;
    }
    switch (v->mask & M_DATE) {
    case 0:
        if (length >= 3)
            *field_mask = M_YEAR, v->year = value;
        else
            *field_mask = M_MONTH, v->month = (int)value;
        break;
    case M_YEAR: *field_mask = M_MONTH, v->month = (int)value; break;
    case M_MONTH:
        if (v->has_text_month && length >= 3)
            *field_mask = M_YEAR, v->year = value;
        else
            *field_mask = M_DAY, v->day = (int)value;
        break;
    case M_YEAR | M_MONTH:
        if (v->has_text_month && length >= 3 && v->is_two_digit_year) {
            /* DD-MON-YYYY: the first number was the day after all */
            *field_mask = M_DAY;
            v->day = (int)v->year;
            v->year = value;
            v->is_two_digit_year = false;
        } else {
            *field_mask = M_DAY, v->day = (int)value;
        }
        break;
    case M_DAY: *field_mask = M_MONTH, v->month = (int)value; break;
    case M_MONTH | M_DAY: *field_mask = M_YEAR, v->year = value; break;
    case M_DATE: return decode_number_field(text, v, field_mask);
    default: return DT_BAD_FORMAT;
    }
    if (*field_mask == M_YEAR)
        v->is_two_digit_year = length <= 2;
    return DT_OK;
}

/* A date field with separators, possibly with a month name (DecodeDate). */
static int decode_date(char *text, dt_value *v, unsigned *field_mask)
{
    char *parts[MAX_FIELDS];
    int count = 0;
    char *cp = text;
    unsigned prior_mask = v->mask;
    while (*cp != '\0' && count < MAX_FIELDS) {
        while (*cp != '\0' && !isalnum((unsigned char)*cp))
            cp++;
        if (*cp == '\0')
            return DT_BAD_FORMAT;
        parts[count++] = cp;
        if (isdigit((unsigned char)*cp))
            while (isdigit((unsigned char)*cp))
                cp++;
        else
            while (isalpha((unsigned char)*cp))
                cp++;
        if (*cp != '\0')
            *cp++ = '\0';
    }
    unsigned mask = 0;
    for (int i = 0; i < count; i++) { /* month names first: they are unambiguous */
        if (!isalpha((unsigned char)*parts[i]))
            continue;
        int word = lookup_word(parts[i]);
        if (word < 0 || date_words[word].kind != W_MONTH || ((v->mask | mask) & M_MONTH))
            return DT_BAD_FORMAT;
        v->month = date_words[word].value;
        v->has_text_month = true;
        mask |= M_MONTH;
        v->mask |= M_MONTH;
        parts[i] = NULL;
    }
    for (int i = 0; i < count; i++) {
        unsigned part_mask = 0;
        if (parts[i] == NULL)
            continue;
        int code = decode_number(parts[i], v, &part_mask);
        if (code != DT_OK)
            return code;
        if (v->mask & part_mask)
            return DT_BAD_FORMAT;
        v->mask |= part_mask;
        mask |= part_mask;
    }
    /* a date with separators must come before any time, am/pm or day name */
    if (((prior_mask | mask) & ~(M_TZ | M_DOY)) != M_DATE)
        return DT_BAD_FORMAT;
    v->mask &= ~mask; /* the caller records the whole field's mask */
    *field_mask = mask;
    return DT_OK;
}

/* With month and day known, "hhmm[ss]-zz" is a run-together time and zone
 * (a zone name such as "America/New_York" would also land here: not
 * supported). */
static int decode_time_with_zone(char *text, dt_value *v, unsigned *field_mask)
{
    char *dash = strchr(text, '-');
    if (!isdigit((unsigned char)text[0]) || (v->mask & M_TIME) || dash == NULL)
        return DT_BAD_FORMAT;
    int code = decode_zone(dash, &v->utc_offset);
    if (code != DT_OK)
        return code;
    *dash = '\0';
    if ((code = decode_number_field(text, v, field_mask)) != DT_OK)
        return code;
    *field_mask |= M_TZ;
    return DT_OK;
}

static int decode_word(const char *text, const dt_fields *fields, int index, dt_value *v,
                       unsigned *field_mask)
{
    int word = lookup_word(text);
    if (word < 0)
        return DT_BAD_FORMAT;
    int value = date_words[word].value;
    switch (date_words[word].kind) {
    case W_MONTH:
        /* "15 January": a number read as the month becomes the day */
        if ((v->mask & M_MONTH) && !v->has_text_month && !(v->mask & M_DAY) && v->month >= 1 &&
            v->month <= 31) {
            v->day = v->month;
            *field_mask = M_DAY;
            v->mask &= ~M_MONTH;
        }
        v->has_text_month = true;
        v->month = value;
        *field_mask |= M_MONTH;
        return DT_OK;
    case W_DOW: *field_mask = M_DOW; return DT_OK;
    case W_AMPM: v->ampm = value; *field_mask = M_AMPM; return DT_OK;
    case W_ADBC: v->is_bc = value == 1; *field_mask = M_ADBC; return DT_OK;
    case W_ZONE: v->utc_offset = 0; *field_mask = M_TZ; return DT_OK;
    case W_ISO_T:
        /* 'T' between date and time: the next field must be a time */
        if (index + 1 >= fields->count ||
            (fields->kinds[index + 1] != F_TIME && fields->kinds[index + 1] != F_NUMBER))
            return DT_BAD_FORMAT;
        return DT_OK;
    case W_ALLBALLS: /* 00:00:00 UTC */
        v->hour = v->minute = v->second = 0;
        v->micros = 0;
        v->utc_offset = 0;
        *field_mask = M_TIME | M_TZ;
        return DT_OK;
    case W_SPECIAL:
        v->special = (special)value;
        *field_mask = M_DATE | M_TIME | M_TZ | M_SPECIAL;
        return DT_OK;
    }
    return DT_BAD_FORMAT;
}

/* Checks and completes the date parts (ValidateDate) and am/pm. */
static int validate_datetime(dt_value *v)
{
    if (v->mask & M_YEAR) {
        if (v->is_bc) {
            if (v->year <= 0)
                return DT_FIELD_OVERFLOW;
            v->year = -(v->year - 1);
        } else if (v->is_two_digit_year) {
            v->year += v->year < 70 ? 2000 : v->year < 100 ? 1900 : 0;
        } else if (v->year <= 0) {
            return DT_FIELD_OVERFLOW;
        }
    }
    if (v->mask & M_DOY) {
        int year;
        tn_date_to_ymd(tn_date_from_ymd(v->year, 1, 1) + v->day_of_year - 1, &year, &v->month, &v->day);
    }
    if ((v->mask & M_MONTH) && (v->month < 1 || v->month > 12))
        return DT_MD_FIELD_OVERFLOW;
    if ((v->mask & M_DAY) && (v->day < 1 || v->day > 31))
        return DT_MD_FIELD_OVERFLOW;
    if ((v->mask & M_DATE) == M_DATE && v->day > tn_date_days_in_month(v->year, v->month))
        return DT_FIELD_OVERFLOW;
    if (v->ampm != 0 && v->hour > 12)
        return DT_FIELD_OVERFLOW;
    if (v->ampm == 1 && v->hour == 12)
        v->hour = 0;
    else if (v->ampm == 2 && v->hour != 12)
        v->hour += 12;
    if (v->special == S_NONE && (v->mask & M_DATE) != M_DATE && !v->is_time_only)
        return DT_BAD_FORMAT;
    return DT_OK;
}

static int decode_datetime(dt_fields *fields, bool is_time_only, dt_value *v)
{
    memset(v, 0, sizeof *v);
    v->is_time_only = is_time_only;
    for (int i = 0; i < fields->count; i++) {
        char *text = fields->texts[i];
        unsigned field_mask = 0;
        int code = DT_OK;
        switch (fields->kinds[i]) {
        case F_DATE:
            if ((v->mask & (M_MONTH | M_DAY)) == (M_MONTH | M_DAY))
                code = decode_time_with_zone(text, v, &field_mask);
            else
                code = decode_date(text, v, &field_mask);
            break;
        case F_TIME:
            code = decode_time(text, v);
            field_mask = M_TIME;
            break;
        case F_SIGNED:
            code = decode_zone(text, &v->utc_offset);
            field_mask = M_TZ;
            break;
        case F_NUMBER: {
            size_t length = strlen(text);
            const char *point = strchr(text, '.');
            if (point != NULL && !(v->mask & M_DATE))
                code = decode_date(text, v, &field_mask);
            else if ((point != NULL && (size_t)(point - text) > 2) ||
                     (point == NULL && length >= 6 && (!(v->mask & M_DATE) || !(v->mask & M_TIME))))
                code = decode_number_field(text, v, &field_mask);
            else
                code = decode_number(text, v, &field_mask);
            break;
        }
        case F_STRING:
        case F_SPECIAL: code = decode_word(text, fields, i, v, &field_mask); break;
        }
        if (code != DT_OK)
            return code;
        if (field_mask & v->mask)
            return DT_BAD_FORMAT;
        v->mask |= field_mask;
    }
    if (v->special != S_NONE)
        return v->mask == (M_DATE | M_TIME | M_TZ | M_SPECIAL) ? DT_OK : DT_BAD_FORMAT;
    return validate_datetime(v);
}

static int report_datetime(int code, const char *type_name, const char *text, size_t length, tn_error *err)
{
    int n = (int)length;
    switch (code) {
    case DT_FIELD_OVERFLOW:
    case DT_MD_FIELD_OVERFLOW:
        tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date/time field value out of range: \"%.*s\"", n, text);
        if (code == DT_MD_FIELD_OVERFLOW)
            tn_error_hint(err, "Perhaps you need a different \"datestyle\" setting.");
        return -1;
    case DT_TZ_OVERFLOW:
        return tn_error_set(err, TN_ERR_INVALID_TIME_ZONE_DISPLACEMENT, 0,
                            "time zone displacement out of range: \"%.*s\"", n, text);
    case DT_INTERVAL_OVERFLOW:
        return tn_error_set(err, TN_ERR_INTERVAL_FIELD_OVERFLOW, 0, "interval field value out of range: \"%.*s\"", n,
                            text);
    default:
        return tn_error_set(err, TN_ERR_INVALID_DATETIME_FORMAT, 0, "invalid input syntax for type %s: \"%.*s\"",
                            type_name, n, text);
    }
}

/* Splits and decodes text, reporting errors against type_name. */
static int read_datetime(const char *text, size_t length, const char *type_name, dt_value *v, tn_error *err)
{
    bool is_time_only = strcmp(type_name, "time") == 0;
    dt_fields fields;
    int code = split_fields(text, length, &fields);
    if (code == DT_OK)
        code = decode_datetime(&fields, is_time_only, v);
    if (code == DT_OK && is_time_only && v->special != S_NONE)
        code = DT_BAD_FORMAT;
    return code == DT_OK ? 0 : report_datetime(code, type_name, text, length, err);
}

int tn_parse_date(const char *text, size_t length, int32_t *out, tn_error *err)
{
    dt_value v;
    if (read_datetime(text, length, "date", &v, err) != 0)
        return -1;
    if (v.special != S_NONE) {
        *out = v.special == S_EPOCH ? 0 : v.special == S_INFINITY ? TN_DATE_NOEND : TN_DATE_NOBEGIN;
        return 0;
    }
    int64_t days = tn_date_from_ymd(v.year, v.month, v.day);
    if (v.year > 6000000 || !tn_date_in_range(days))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range: \"%.*s\"", (int)length, text);
    *out = (int32_t)days;
    return 0;
}

/* The shared body of timestamp and timestamptz input; zone NULL for the
 * type without zone (a zone in the text is then ignored). */
static int parse_timestamp(const char *text, size_t length, const tn_timezone *zone, int64_t *out, tn_error *err)
{
    const char *type_name = zone != NULL ? "timestamp with time zone" : "timestamp without time zone";
    dt_value v;
    if (read_datetime(text, length, zone != NULL ? type_name : "timestamp", &v, err) != 0)
        return -1;
    if (v.special != S_NONE) {
        *out = v.special == S_EPOCH ? 0 : v.special == S_INFINITY ? TN_TIMESTAMP_NOEND : TN_TIMESTAMP_NOBEGIN;
        return 0;
    }
    tn_datetime_fields f = {(int)v.year, v.month, v.day, v.hour, v.minute, v.second, 0};
    int64_t ts;
    if (v.year > 300000 || tn_timestamp_from_fields(&f, &ts) != 0 || __builtin_add_overflow(ts, v.micros, &ts))
        goto range;
    if (zone != NULL)
        ts -= ((v.mask & M_TZ) ? v.utc_offset : tn_timezone_offset_of_local(zone, ts)) * TN_USECS_PER_SEC;
    if (!tn_timestamp_in_range(ts))
        goto range;
    *out = ts;
    return 0;
range:
    return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "timestamp out of range: \"%.*s\"", (int)length, text);
}

int tn_parse_time(const char *text, size_t length, int64_t *out, tn_error *err)
{
    dt_value v;
    if (read_datetime(text, length, "time", &v, err) != 0)
        return -1;
    *out = ((v.hour * INT64_C(60) + v.minute) * 60 + v.second) * TN_USECS_PER_SEC + v.micros;
    if (*out > TN_USECS_PER_DAY)
        return report_datetime(DT_FIELD_OVERFLOW, "time", text, length, err);
    return 0;
}

int tn_parse_timestamp(const char *text, size_t length, int64_t *out, tn_error *err)
{
    return parse_timestamp(text, length, NULL, out, err);
}

int tn_parse_timestamptz(const char *text, size_t length, const tn_timezone *zone, int64_t *out, tn_error *err)
{
    return parse_timestamp(text, length, zone, out, err);
}

/* ---- intervals (PostgreSQL's DecodeInterval) ---- */

/* Accumulates interval fields as PostgreSQL's pg_itm_in does. */
typedef struct itm {
    int64_t micros;
    int32_t days, months, years;
} itm;

static bool add_fraction_micros(double fraction, int64_t scale, itm *t)
{
    if (fraction == 0)
        return true;
    fraction *= (double)scale;
    int64_t micros = (int64_t)fraction;
    micros += (int64_t)rint(fraction - (double)micros);
    return !__builtin_add_overflow(t->micros, micros, &t->micros);
}

static bool add_micros(int64_t value, double fraction, int64_t scale, itm *t)
{
    int64_t micros;
    return !__builtin_mul_overflow(value, scale, &micros) && add_fraction_micros(fraction, scale, t) &&
           !__builtin_add_overflow(t->micros, micros, &t->micros);
}

static bool add_days(int64_t value, int scale, itm *t)
{
    int64_t days;
    return !__builtin_mul_overflow(value, (int64_t)scale, &days) && days >= INT32_MIN && days <= INT32_MAX &&
           !__builtin_add_overflow(t->days, (int32_t)days, &t->days);
}

static bool add_fraction_days(double fraction, int scale, itm *t)
{
    if (fraction == 0)
        return true;
    fraction *= scale;
    int extra = (int)fraction;
    return !__builtin_add_overflow(t->days, extra, &t->days) &&
           add_fraction_micros(fraction - extra, TN_USECS_PER_DAY, t);
}

static bool add_years(int64_t value, double fraction, int scale, itm *t)
{
    int64_t years;
    int extra_months = (int)rint(fraction * scale * 12);
    return !__builtin_mul_overflow(value, (int64_t)scale, &years) && years >= INT32_MIN && years <= INT32_MAX &&
           !__builtin_add_overflow(t->years, (int32_t)years, &t->years) &&
           !__builtin_add_overflow(t->months, extra_months, &t->months);
}

static bool add_months(int64_t value, double fraction, itm *t)
{
    return value >= INT32_MIN && value <= INT32_MAX && !__builtin_add_overflow(t->months, (int32_t)value, &t->months) &&
           add_fraction_days(fraction, 30, t);
}

/* Adds value + fraction of unit; false on overflow. */
static bool add_unit(tn_datetime_unit unit, int64_t value, double fraction, itm *t)
{
    switch (unit) {
    case TN_UNIT_MICROSECONDS: return add_micros(value, fraction, 1, t);
    case TN_UNIT_MILLISECONDS: return add_micros(value, fraction, 1000, t);
    case TN_UNIT_SECOND: return add_micros(value, fraction, TN_USECS_PER_SEC, t);
    case TN_UNIT_MINUTE: return add_micros(value, fraction, TN_USECS_PER_MINUTE, t);
    case TN_UNIT_HOUR: return add_micros(value, fraction, TN_USECS_PER_HOUR, t);
    case TN_UNIT_DAY: return add_days(value, 1, t) && add_fraction_micros(fraction, TN_USECS_PER_DAY, t);
    case TN_UNIT_WEEK: return add_days(value, 7, t) && add_fraction_days(fraction, 7, t);
    case TN_UNIT_MONTH: return add_months(value, fraction, t);
    case TN_UNIT_YEAR: return add_years(value, fraction, 1, t);
    case TN_UNIT_DECADE: return add_years(value, fraction, 10, t);
    case TN_UNIT_CENTURY: return add_years(value, fraction, 100, t);
    case TN_UNIT_MILLENNIUM: return add_years(value, fraction, 1000, t);
    default: return false;
    }
}

/* "[-]hh:mm[:ss[.f]]" or "mm:ss.f" as a signed time (hours unbounded, as
 * long as the total fits in int64 microseconds).  As in PostgreSQL, the
 * time replaces the microseconds gathered so far from fractions of fields
 * to its right ('02:00 1.5 days' is 1 day 02:00:00). */
static int interval_time(const char *text, itm *t)
{
    const char *cp = text + (text[0] == '-' || text[0] == '+');
    int64_t hour = 0, minute, second = 0, micros = 0, total;
    if (!isdigit((unsigned char)*cp))
        return DT_BAD_FORMAT;
    for (; isdigit((unsigned char)*cp); cp++) {
        if (__builtin_mul_overflow(hour, 10, &hour) || __builtin_add_overflow(hour, *cp - '0', &hour))
            return DT_FIELD_OVERFLOW;
    }
    if (*cp++ != ':' || read_int(&cp, &minute) != DT_OK)
        return DT_BAD_FORMAT;
    if (*cp == '.') {
        if (read_fraction(cp, &micros) != DT_OK)
            return DT_BAD_FORMAT;
        second = minute, minute = hour, hour = 0;
    } else if (*cp == ':') {
        cp++;
        if (read_int(&cp, &second) != DT_OK || (*cp == '.' && read_fraction(cp, &micros) != DT_OK) ||
            (*cp != '.' && *cp != '\0'))
            return DT_BAD_FORMAT;
    } else if (*cp != '\0') {
        return DT_BAD_FORMAT;
    }
    if (minute > 59 || second > 60 || micros > TN_USECS_PER_SEC ||
        __builtin_mul_overflow(hour, TN_USECS_PER_HOUR, &total) ||
        __builtin_add_overflow(total, minute * TN_USECS_PER_MINUTE + second * TN_USECS_PER_SEC + micros, &total))
        return DT_FIELD_OVERFLOW;
    t->micros = text[0] == '-' ? -total : total;
    return DT_OK;
}

/* A signed number field: "5", "-1.5", "1-2" (years-months). */
static int interval_number(const char *text, tn_datetime_unit *unit, itm *t)
{
    const char *cp = text + (text[0] == '-' || text[0] == '+');
    int64_t value = 0;
    double fraction = 0;
    bool negative = text[0] == '-';
    if ((!isdigit((unsigned char)*cp) && *cp != '.') || *unit == TN_UNIT_AGO)
        return DT_BAD_FORMAT; /* "5 ago": a number needs a unit between it and ago */
    for (; isdigit((unsigned char)*cp); cp++) {
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, *cp - '0', &value))
            return DT_FIELD_OVERFLOW;
    }
    if (*cp == '-') { /* SQL years-months */
        int64_t months;
        cp++;
        if (read_int(&cp, &months) != DT_OK || *cp != '\0')
            return DT_BAD_FORMAT;
        if (months >= 12)
            return DT_FIELD_OVERFLOW;
        value = value * 12 + months;
        *unit = TN_UNIT_MONTH;
    } else if (*cp == '.' && cp[1] != '\0') {
        char *end;
        fraction = strtod(cp, &end);
        if (*end != '\0' || end == cp)
            return DT_BAD_FORMAT;
    } else if (*cp == '.') {
        /* "1." is 1 */
    } else if (*cp != '\0') {
        return DT_BAD_FORMAT;
    }
    if (negative)
        value = -value, fraction = -fraction;
    return add_unit(*unit, value, fraction, t) ? DT_OK : DT_FIELD_OVERFLOW;
}

/* Bits for the units already given, so "1 day 2 days" is an error. */
static unsigned unit_mask(tn_datetime_unit unit, bool has_fraction)
{
    if (unit == TN_UNIT_SECOND && has_fraction)
        return 1u << TN_UNIT_SECOND | 1u << TN_UNIT_MILLISECONDS | 1u << TN_UNIT_MICROSECONDS;
    return 1u << unit;
}

static int finish_interval(itm *t, bool is_before, tn_interval *out)
{
    if (is_before) {
        if (t->micros == INT64_MIN || t->days == INT32_MIN || t->months == INT32_MIN || t->years == INT32_MIN)
            return DT_FIELD_OVERFLOW;
        t->micros = -t->micros, t->days = -t->days, t->months = -t->months, t->years = -t->years;
    }
    int64_t months = (int64_t)t->years * 12 + t->months;
    if (months > INT32_MAX || months < INT32_MIN)
        return DT_INTERVAL_RANGE;
    out->months = (int32_t)months;
    out->days = t->days;
    out->micros = t->micros;
    return DT_OK;
}

static int decode_interval(dt_fields *fields, tn_interval *out)
{
    itm t = {0, 0, 0, 0};
    unsigned mask = 0;
    bool is_before = false, have_unit = false;
    tn_datetime_unit unit = TN_UNIT_SECOND;
    for (int i = fields->count - 1; i >= 0; i--) {
        const char *text = fields->texts[i];
        unsigned field_mask;
        int code;
        field_kind kind = fields->kinds[i];
        if (kind == F_TIME || (kind == F_SIGNED && strchr(text, ':') != NULL)) {
            if ((code = interval_time(text, &t)) != DT_OK)
                return code;
            field_mask = 1u << TN_UNIT_HOUR | 1u << TN_UNIT_MINUTE |
                         unit_mask(TN_UNIT_SECOND, true);
            unit = TN_UNIT_DAY, have_unit = true; /* "1 02:00": a bare number before a time is days */
        } else if (kind == F_NUMBER || kind == F_DATE || kind == F_SIGNED) {
            if (!have_unit)
                unit = TN_UNIT_SECOND;
            tn_datetime_unit used = unit;
            if ((code = interval_number(text, &used, &t)) != DT_OK)
                return code;
            field_mask = unit_mask(used, strchr(text, '.') != NULL);
            if (used == TN_UNIT_HOUR)
                unit = TN_UNIT_DAY, have_unit = true;
        } else {
            tn_datetime_unit found;
            if (tn_datetime_unit_lookup(text, strlen(text), &found) != 0)
                return DT_BAD_FORMAT;
            if (found == TN_UNIT_AGO)
                is_before = true;
            else if (found > TN_UNIT_MILLENNIUM || found == TN_UNIT_QUARTER)
                return DT_BAD_FORMAT;
            unit = found, have_unit = true;
            continue;
        }
        if (field_mask & mask)
            return DT_BAD_FORMAT;
        mask |= field_mask;
    }
    if (mask == 0)
        return DT_BAD_FORMAT;
    return finish_interval(&t, is_before, out);
}

/* ISO 8601 designators: P[nY][nM][nW][nD][T[nH][nM][nS]], n may be signed
 * and fractional (PostgreSQL's DecodeISO8601Interval, designator form). */
static int decode_iso_interval(const char *text, size_t length, tn_interval *out)
{
    char local[MAX_DATE_LENGTH + 1];
    if (length < 2 || length > MAX_DATE_LENGTH || text[0] != 'P')
        return DT_BAD_FORMAT;
    memcpy(local, text, length);
    local[length] = '\0';
    itm t = {0, 0, 0, 0};
    bool in_date = true;
    for (char *cp = local + 1; *cp != '\0';) {
        if (*cp == 'T') {
            in_date = false;
            cp++;
            continue;
        }
        char *end;
        errno = 0;
        double number = strtod(cp, &end);
        if (end == cp || errno == ERANGE || !(isdigit((unsigned char)*cp) || *cp == '-' || *cp == '+' || *cp == '.'))
            return DT_BAD_FORMAT;
        if (fabs(number) >= 9.2e18)
            return DT_FIELD_OVERFLOW;
        int64_t value = (int64_t)number;
        double fraction = number - (double)value;
        char designator = *end;
        cp = end + (*end != '\0');
        tn_datetime_unit unit;
        if (in_date && designator == 'Y') unit = TN_UNIT_YEAR;
        else if (in_date && designator == 'M') unit = TN_UNIT_MONTH;
        else if (in_date && designator == 'W') unit = TN_UNIT_WEEK;
        else if (in_date && designator == 'D') unit = TN_UNIT_DAY;
        else if (!in_date && designator == 'H') unit = TN_UNIT_HOUR;
        else if (!in_date && designator == 'M') unit = TN_UNIT_MINUTE;
        else if (!in_date && designator == 'S') unit = TN_UNIT_SECOND;
        else return DT_BAD_FORMAT;
        if (!add_unit(unit, value, fraction, &t))
            return DT_FIELD_OVERFLOW;
    }
    return finish_interval(&t, false, out);
}

int tn_parse_interval(const char *text, size_t length, tn_interval *out, tn_error *err)
{
    dt_fields fields;
    int code = split_fields(text, length, &fields);
    if (code == DT_OK)
        code = decode_interval(&fields, out);
    if (code == DT_BAD_FORMAT)
        code = decode_iso_interval(text, length, out);
    if (code == DT_OK)
        return 0;
    if (code == DT_INTERVAL_RANGE)
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "interval out of range");
    return report_datetime(code == DT_FIELD_OVERFLOW ? DT_INTERVAL_OVERFLOW : code, "interval", text, length, err);
}

/* ---- any type ---- */

int tn_parse_value(const char *text, size_t length, tn_type type, const tn_timezone *zone, tn_value *out,
                   tn_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    int scale;
    switch (type.id) {
    case TN_TYPE_BOOL: return tn_parse_bool(text, length, &out->u.boolean, err);
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64: return tn_parse_int(text, length, type.id, &out->u.integer, err);
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: return parse_float(text, length, type.id == TN_TYPE_FLOAT32, &out->u.floating, err);
    case TN_TYPE_NUMERIC:
        if (type.precision > 0)
            return tn_parse_numeric(text, length, type, &out->u.numeric, err);
        if (tn_numeric_parse(text, length, &out->u.numeric, &scale, err) != 0)
            return -1;
        out->type.scale = (int16_t)scale;
        return 0;
    case TN_TYPE_TEXT: out->u.string = tn_string_make(text, (uint32_t)length); return 0;
    case TN_TYPE_DATE: {
        int32_t date;
        if (tn_parse_date(text, length, &date, err) != 0)
            return -1;
        out->u.integer = date;
        return 0;
    }
    case TN_TYPE_TIMESTAMP: return tn_parse_timestamp(text, length, &out->u.integer, err);
    case TN_TYPE_TIMESTAMPTZ: return tn_parse_timestamptz(text, length, zone, &out->u.integer, err);
    case TN_TYPE_INTERVAL: return tn_parse_interval(text, length, &out->u.interval, err);
    case TN_TYPE_TIME: return tn_parse_time(text, length, &out->u.integer, err);
    case TN_TYPE_BYTEA: /* its bytes need an arena: tn_bytea_parse */
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "bytea input needs tn_bytea_parse");
    case TN_TYPE_NULL:
    case TN_TYPE__COUNT: break;
    }
    out->is_null = true;
    return 0;
}
