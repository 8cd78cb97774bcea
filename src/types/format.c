/*
 * Text output with PostgreSQL's exact spelling (see format.h).
 *
 * Floats: PostgreSQL 12+ prints the shortest decimal that reads back to the
 * same binary value (Ryu).  We find that digit string by asking printf for
 * the fewest significant digits that strtod/strtof reads back exactly, then
 * lay it out as PostgreSQL's Ryu code does: fixed notation when the decimal
 * exponent is in [-4, 15) for double ([-4, 6) for real), else d.ddde+XX.
 */
#include "types/format.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/bytea.h"
#include "types/numeric.h"

static bool reads_back(const char *text, double value, bool is_float4);
static bool is_halfway(const char *text, double value, bool is_float4);
static size_t format_shortest(double value, bool is_float4, char *buf);
static size_t format_date_part(int64_t days, char *buf, bool *is_bc);
static size_t format_time_part(int64_t micros_of_day, char *buf);
static size_t append_seconds(char *buf, int64_t seconds, int64_t micros);

size_t tn_format_bool(bool value, char *buf)
{
    buf[0] = value ? 't' : 'f';
    buf[1] = '\0';
    return 1;
}

size_t tn_format_int64(int64_t value, char *buf)
{
    return (size_t)snprintf(buf, TN_FORMAT_SIZE, "%" PRId64, value);
}

/* Whether text reads back as value (strtod rounds to nearest, ties to
 * even). */
static bool reads_back(const char *text, double value, bool is_float4)
{
    return is_float4 ? strtof(text, NULL) == (float)value : strtod(text, NULL) == value;
}

/* PostgreSQL's Ryu excludes the bounds of the rounding interval: a decimal
 * exactly halfway to the neighbouring float reads back (ties to even) but
 * does not count.  The halfway point is exact in the wider type. */
static bool is_halfway(const char *text, double value, bool is_float4)
{
    if (is_float4) {
        float single = (float)value;
        double exact = strtod(text, NULL);
        float neighbour = nextafterf(single, exact > single ? INFINITY : -INFINITY);
        return exact != single && exact == ((double)single + neighbour) / 2;
    }
    long double exact = strtold(text, NULL);
    double neighbour = nextafter(value, exact > value ? INFINITY : -INFINITY);
    return exact != value && exact == ((long double)value + neighbour) / 2;
}

static size_t format_shortest(double value, bool is_float4, char *buf)
{
    if (isnan(value))
        return (size_t)snprintf(buf, TN_FORMAT_SIZE, "NaN");
    if (isinf(value))
        return (size_t)snprintf(buf, TN_FORMAT_SIZE, value < 0 ? "-Infinity" : "Infinity");
    if (value == 0)
        return (size_t)snprintf(buf, TN_FORMAT_SIZE, signbit(value) ? "-0" : "0");
    /* More digits are never farther from the value, so "reads back" is
     * monotonic in the digit count: binary search it, then step past a
     * halfway decimal (rare, so checked once at the end). */
    char scientific[40];
    int low = 1, high = is_float4 ? 9 : 17;
    while (low < high) {
        int digits = (low + high) / 2;
        snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
        if (reads_back(scientific, value, is_float4))
            high = digits;
        else
            low = digits + 1;
    }
    snprintf(scientific, sizeof scientific, "%.*e", low - 1, value);
    while (low < (is_float4 ? 9 : 17) && is_halfway(scientific, value, is_float4))
        snprintf(scientific, sizeof scientific, "%.*e", low++, value);
    /* scientific is "-d.ddde+XX": collect the digits and the exponent */
    char digits[24];
    int count = 0;
    const char *p = scientific + (scientific[0] == '-');
    for (; *p != 'e'; p++) {
        if (*p != '.')
            digits[count++] = *p;
    }
    int exponent = atoi(p + 1);
    while (count > 1 && digits[count - 1] == '0')
        count--;
    size_t n = 0;
    if (value < 0)
        buf[n++] = '-';
    if (exponent >= -4 && exponent < (is_float4 ? 6 : 15)) {
        if (exponent < 0) {
            buf[n++] = '0';
            buf[n++] = '.';
            for (int i = -1; i > exponent; i--)
                buf[n++] = '0';
            for (int i = 0; i < count; i++)
                buf[n++] = digits[i];
        } else {
            for (int i = 0; i < count || i <= exponent; i++) {
                if (i == exponent + 1)
                    buf[n++] = '.';
                buf[n++] = i < count ? digits[i] : '0';
            }
        }
        buf[n] = '\0';
        return n;
    }
    buf[n++] = digits[0];
    if (count > 1) {
        buf[n++] = '.';
        for (int i = 1; i < count; i++)
            buf[n++] = digits[i];
    }
    n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
    return n;
}

size_t tn_format_float64(double value, char *buf)
{
    return format_shortest(value, false, buf);
}

size_t tn_format_float32(float value, char *buf)
{
    return format_shortest(value, true, buf);
}

size_t tn_format_numeric(tn_int128 value, int scale, char *buf)
{
    return tn_numeric_to_string(value, scale, buf);
}

/* "YYYY-MM-DD" with the year of era; *is_bc tells whether " BC" is due. */
static size_t format_date_part(int64_t days, char *buf, bool *is_bc)
{
    int year, month, day;
    tn_date_to_ymd(days, &year, &month, &day);
    *is_bc = year <= 0;
    return (size_t)snprintf(buf, TN_FORMAT_SIZE, "%04d-%02d-%02d", *is_bc ? 1 - year : year, month, day);
}

/* Seconds as two digits plus the fraction without trailing zeros. */
static size_t append_seconds(char *buf, int64_t seconds, int64_t micros)
{
    size_t n = (size_t)snprintf(buf, 32, "%02" PRId64, seconds < 0 ? -seconds : seconds);
    if (micros != 0) {
        n += (size_t)snprintf(buf + n, 32, ".%06" PRId64, micros < 0 ? -micros : micros);
        while (buf[n - 1] == '0')
            n--;
        buf[n] = '\0';
    }
    return n;
}

static size_t format_time_part(int64_t micros_of_day, char *buf)
{
    int64_t hour = micros_of_day / TN_USECS_PER_HOUR;
    int64_t minute = micros_of_day / TN_USECS_PER_MINUTE % 60;
    int64_t second = micros_of_day / TN_USECS_PER_SEC % 60;
    size_t n = (size_t)snprintf(buf, 16, "%02" PRId64 ":%02" PRId64 ":", hour, minute);
    return n + append_seconds(buf + n, second, micros_of_day % TN_USECS_PER_SEC);
}

size_t tn_format_time(int64_t micros_of_day, char *buf)
{
    size_t n = format_time_part(micros_of_day, buf);
    buf[n] = '\0';
    return n;
}

size_t tn_format_date(int32_t date, char *buf)
{
    if (!tn_date_is_finite(date))
        return (size_t)snprintf(buf, TN_FORMAT_SIZE, date == TN_DATE_NOEND ? "infinity" : "-infinity");
    bool is_bc;
    size_t n = format_date_part(date, buf, &is_bc);
    if (is_bc)
        n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, " BC");
    return n;
}

/* The shared body of timestamp and timestamptz output; offset in seconds
 * east of UTC, or no zone suffix when show_zone is false. */
static size_t format_timestamp(int64_t ts, bool show_zone, int32_t offset, char *buf)
{
    if (!tn_timestamp_is_finite(ts))
        return (size_t)snprintf(buf, TN_FORMAT_SIZE, ts == TN_TIMESTAMP_NOEND ? "infinity" : "-infinity");
    int64_t days = ts / TN_USECS_PER_DAY;
    int64_t time = ts % TN_USECS_PER_DAY;
    if (time < 0) {
        time += TN_USECS_PER_DAY;
        days--;
    }
    bool is_bc;
    size_t n = format_date_part(days, buf, &is_bc);
    buf[n++] = ' ';
    n += format_time_part(time, buf + n);
    if (show_zone) {
        int32_t magnitude = offset < 0 ? -offset : offset;
        char sign = offset < 0 ? '-' : '+';
        int hours = magnitude / 3600, minutes = magnitude / 60 % 60, seconds = magnitude % 60;
        if (seconds != 0)
            n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "%c%02d:%02d:%02d", sign, hours, minutes, seconds);
        else if (minutes != 0)
            n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "%c%02d:%02d", sign, hours, minutes);
        else
            n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "%c%02d", sign, hours);
    }
    if (is_bc)
        n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, " BC");
    return n;
}

size_t tn_format_timestamp(int64_t ts, char *buf)
{
    return format_timestamp(ts, false, 0, buf);
}

size_t tn_format_timestamptz(int64_t ts, const tn_timezone *zone, char *buf)
{
    /* a value beyond the range (corrupt data) is shown unshifted rather
     * than overflowing */
    int64_t local = ts;
    int32_t offset = tn_timestamp_is_finite(ts) ? tn_timezone_offset_at(zone, ts, NULL) : 0;
    if (tn_timestamp_is_finite(ts) && __builtin_add_overflow(ts, offset * TN_USECS_PER_SEC, &local))
        local = ts;
    return format_timestamp(local, true, offset, buf);
}

/* One "N unit[s]" part of the postgres interval style.  A part after a
 * negative one shows an explicit '+' on positive values, as PostgreSQL's
 * AddPostgresIntPart does. */
static size_t add_interval_part(char *buf, int64_t value, const char *unit, bool *is_zero,
                                bool *is_before)
{
    if (value == 0)
        return 0;
    size_t n = (size_t)snprintf(buf, 48, "%s%s%" PRId64 " %s%s", *is_zero ? "" : " ",
                                *is_before && value > 0 ? "+" : "", value, unit, value != 1 ? "s" : "");
    *is_before = value < 0;
    *is_zero = false;
    return n;
}

size_t tn_format_interval(const tn_interval *span, char *buf)
{
    int64_t year = span->months / 12, month = span->months % 12;
    int64_t hour = span->micros / TN_USECS_PER_HOUR;
    int64_t rest = span->micros % TN_USECS_PER_HOUR;
    int64_t minute = rest / TN_USECS_PER_MINUTE;
    rest %= TN_USECS_PER_MINUTE;
    int64_t second = rest / TN_USECS_PER_SEC, micros = rest % TN_USECS_PER_SEC;
    bool is_zero = true, is_before = false;
    size_t n = 0;
    n += add_interval_part(buf + n, year, "year", &is_zero, &is_before);
    n += add_interval_part(buf + n, month, "mon", &is_zero, &is_before);
    n += add_interval_part(buf + n, span->days, "day", &is_zero, &is_before);
    if (is_zero || span->micros != 0) {
        bool minus = span->micros < 0;
        n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "%s%s%02" PRId64 ":%02" PRId64 ":",
                              is_zero ? "" : " ", minus ? "-" : (is_before ? "+" : ""),
                              hour < 0 ? -hour : hour, minute < 0 ? -minute : minute);
        n += append_seconds(buf + n, second, micros);
    }
    buf[n] = '\0';
    return n;
}

const char *tn_format_value(const tn_value *value, const tn_timezone *zone, char *buf,
                            size_t *length)
{
    if (value->is_null || value->type.id == TN_TYPE_NULL)
        return NULL;
    size_t n = 0;
    switch (value->type.id) {
    case TN_TYPE_BOOL: n = tn_format_bool(value->u.boolean, buf); break;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64: n = tn_format_int64(value->u.integer, buf); break;
    case TN_TYPE_FLOAT32: n = tn_format_float32((float)value->u.floating, buf); break;
    case TN_TYPE_FLOAT64: n = tn_format_float64(value->u.floating, buf); break;
    case TN_TYPE_NUMERIC: n = tn_format_numeric(value->u.numeric, value->type.scale, buf); break;
    case TN_TYPE_DATE: n = tn_format_date((int32_t)value->u.integer, buf); break;
    case TN_TYPE_TIMESTAMP: n = tn_format_timestamp(value->u.integer, buf); break;
    case TN_TYPE_TIMESTAMPTZ: n = tn_format_timestamptz(value->u.integer, zone, buf); break;
    case TN_TYPE_INTERVAL: n = tn_format_interval(&value->u.interval, buf); break;
    case TN_TYPE_TIME: n = tn_format_time(value->u.integer, buf); break;
    case TN_TYPE_BYTEA: {
        /* cut to fit, for messages; exact text: tn_bytea_format_hex */
        size_t fits = (TN_FORMAT_SIZE - 6) / 2;
        bool is_cut = value->u.string.length > fits;
        n = tn_bytea_hex_into(tn_string_data(&value->u.string), is_cut ? fits : value->u.string.length, buf);
        if (is_cut)
            n += (size_t)snprintf(buf + n, TN_FORMAT_SIZE - n, "...");
        break;
    }
    case TN_TYPE_TEXT:
        *length = value->u.string.length;
        return tn_string_data(&value->u.string);
    case TN_TYPE_NULL:
    case TN_TYPE__COUNT: return NULL;
    }
    *length = n;
    return buf;
}
