/*
 * Dates, timestamps and intervals: the calendar, arithmetic, extract and
 * date_trunc, with PostgreSQL's results and messages.  Text input is in
 * parse.h and output in format.h; both use the calendar here.
 *
 * Representation (types.h): DATE is int32 days since 1970-01-01, TIMESTAMP
 * and TIMESTAMPTZ int64 microseconds since 1970-01-01 00:00 (UTC for TZ),
 * INTERVAL months + days + microseconds.  The calendar is the proleptic
 * Gregorian one with astronomical years (1 BC is year 0), as PostgreSQL's.
 * 'infinity' and '-infinity' are the extreme values of the storage type,
 * as in PostgreSQL.  Valid finite dates run from 4714-11-24 BC (Julian day
 * 0) to 5874897 AD; timestamps from 4714-11-24 BC to 294247-01-10 AD
 * (PostgreSQL reaches 294276 AD because its epoch is 2000, not 1970).
 *
 * Time zones: tn_timezone is a fixed offset from UTC or a named zone with
 * transitions (timezone.c reads the tz database).  Every function whose
 * PostgreSQL result depends on the session zone takes one.
 */
#ifndef TN_TYPES_DATETIME_H
#define TN_TYPES_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "types/types.h"

#define TN_DATE_NOBEGIN INT32_MIN       /* '-infinity' */
#define TN_DATE_NOEND INT32_MAX         /* 'infinity' */
#define TN_TIMESTAMP_NOBEGIN INT64_MIN
#define TN_TIMESTAMP_NOEND INT64_MAX

#define TN_USECS_PER_SEC INT64_C(1000000)
#define TN_USECS_PER_MINUTE INT64_C(60000000)
#define TN_USECS_PER_HOUR INT64_C(3600000000)
#define TN_USECS_PER_DAY INT64_C(86400000000)

/* Days since 1970 of the first and one past the last valid date. */
#define TN_DATE_MIN_DAYS (-2440588)          /* 4714-11-24 BC */
#define TN_DATE_END_DAYS 2145042906          /* 5874898-01-01 */
/* Microseconds since 1970 of the first valid timestamp. */
#define TN_TIMESTAMP_MIN INT64_C(-210866803200000000)

typedef struct tn_tz_rules tn_tz_rules; /* a named zone: timezone.h */

typedef struct tn_timezone {
    int32_t utc_offset;       /* without rules: seconds east of Greenwich, +05:30 is 19800 */
    const tn_tz_rules *rules; /* a zone with transitions (process lifetime), or NULL */
} tn_timezone;

static inline tn_timezone tn_timezone_utc(void)
{
    tn_timezone zone = {0};
    return zone;
}

/* Seconds east of Greenwich in zone at the UTC instant utc (microseconds);
 * *abbrev (may be NULL) gets the zone's abbreviation then ("CEST", "+02"). */
int32_t tn_timezone_offset_at(const tn_timezone *zone, int64_t utc, const char **abbrev);
/* The offset that turns the wall-clock time local (microseconds) in zone
 * into UTC.  A time skipped by a spring-forward transition takes the offset
 * before it and an ambiguous one the offset after it, as PostgreSQL's
 * DetermineTimeZoneOffset. */
int32_t tn_timezone_offset_of_local(const tn_timezone *zone, int64_t local);

/* A timestamp broken into civil fields. */
typedef struct tn_datetime_fields {
    int year;      /* astronomical: 0 is 1 BC */
    int month;     /* 1..12 */
    int day;       /* 1..31 */
    int hour;      /* 0..23 */
    int minute;
    int second;
    int32_t micros;
} tn_datetime_fields;

/* ---- calendar ---- */

bool tn_date_is_leap(int64_t year);
int tn_date_days_in_month(int64_t year, int month);
/* Days since 1970-01-01 of a civil date (no range check). */
int64_t tn_date_from_ymd(int64_t year, int month, int day);
void tn_date_to_ymd(int64_t days, int *year, int *month, int *day);
/* 0 = Sunday .. 6 = Saturday. */
int tn_date_day_of_week(int64_t days);
static inline bool tn_date_is_finite(int32_t date)
{
    return date != TN_DATE_NOBEGIN && date != TN_DATE_NOEND;
}
static inline bool tn_timestamp_is_finite(int64_t ts)
{
    return ts != TN_TIMESTAMP_NOBEGIN && ts != TN_TIMESTAMP_NOEND;
}
static inline bool tn_date_in_range(int64_t days)
{
    return days >= TN_DATE_MIN_DAYS && days < TN_DATE_END_DAYS;
}
static inline bool tn_timestamp_in_range(int64_t ts)
{
    return ts >= TN_TIMESTAMP_MIN && ts < TN_TIMESTAMP_NOEND;
}

/* Finite timestamp <-> fields.  from_fields returns -1 (no error text)
 * when the result is outside the timestamp range; the caller reports it. */
void tn_timestamp_to_fields(int64_t ts, tn_datetime_fields *out);
int tn_timestamp_from_fields(const tn_datetime_fields *fields, int64_t *out);

/* ---- conversions (infinities map to infinities) ---- */

/* 22008 "date out of range for timestamp". */
int tn_date_to_timestamp(int32_t date, int64_t *out, tn_error *err);
/* 22008 "date out of range" (cannot happen for valid timestamps). */
int tn_timestamp_to_date(int64_t ts, int32_t *out, tn_error *err);
/* Local wall-clock time in zone <-> UTC instant: 22008 "timestamp out of range". */
int tn_timestamptz_to_timestamp(int64_t ts, const tn_timezone *zone, int64_t *out, tn_error *err);
int tn_timestamp_to_timestamptz(int64_t ts, const tn_timezone *zone, int64_t *out, tn_error *err);

/* ---- arithmetic ---- */

/* date + days (date - days with a negative count): 22008 "date out of range". */
int tn_date_add_days(int32_t date, int64_t days, int32_t *out, tn_error *err);
/* date + months, clamped to the month's last day (Jan 31 + 1 month =
 * Feb 29 in a leap year): 22008 "date out of range". */
int tn_date_add_months(int32_t date, int32_t months, int32_t *out, tn_error *err);
/* date - date in days: 22008 "cannot subtract infinite dates". */
int tn_date_diff(int32_t a, int32_t b, int32_t *out, tn_error *err);
/* timestamp + interval: months first (end of month clamped), then days,
 * then microseconds; 22008 "timestamp out of range". */
int tn_timestamp_add_interval(int64_t ts, const tn_interval *span, int64_t *out, tn_error *err);
int tn_timestamp_sub_interval(int64_t ts, const tn_interval *span, int64_t *out, tn_error *err);
/* The same for timestamptz: months and days move the wall clock in zone. */
int tn_timestamptz_add_interval(int64_t ts, const tn_interval *span, const tn_timezone *zone,
                                int64_t *out, tn_error *err);
/* a - b as an interval of days and time (justify_hours applied), 22008
 * "cannot subtract infinite timestamps". */
int tn_timestamp_diff(int64_t a, int64_t b, tn_interval *out, tn_error *err);
/* age(a, b): symbolic years, months, days and time. */
int tn_timestamp_age(int64_t a, int64_t b, tn_interval *out, tn_error *err);

/* Interval arithmetic: 22008 "interval out of range" on overflow. */
int tn_interval_add(const tn_interval *a, const tn_interval *b, tn_interval *out, tn_error *err);
int tn_interval_sub(const tn_interval *a, const tn_interval *b, tn_interval *out, tn_error *err);
int tn_interval_negate(const tn_interval *a, tn_interval *out, tn_error *err);
int tn_interval_mul(const tn_interval *a, double factor, tn_interval *out, tn_error *err);
/* 22012 "division by zero". */
int tn_interval_div(const tn_interval *a, double divisor, tn_interval *out, tn_error *err);
int tn_interval_justify_hours(const tn_interval *a, tn_interval *out, tn_error *err);
int tn_interval_justify_days(const tn_interval *a, tn_interval *out, tn_error *err);
int tn_interval_justify_interval(const tn_interval *a, tn_interval *out, tn_error *err);
/* Orders by the span with a month as 30 days and a day as 24 hours, so
 * '1 mon' = '30 days' (PostgreSQL's interval_cmp). */
int tn_interval_compare(const tn_interval *a, const tn_interval *b);

/* ---- extract, date_part, date_trunc ---- */

typedef enum tn_datetime_unit {
    TN_UNIT_MICROSECONDS,
    TN_UNIT_MILLISECONDS,
    TN_UNIT_SECOND,
    TN_UNIT_MINUTE,
    TN_UNIT_HOUR,
    TN_UNIT_DAY,
    TN_UNIT_WEEK,
    TN_UNIT_MONTH,
    TN_UNIT_QUARTER,
    TN_UNIT_YEAR,
    TN_UNIT_DECADE,
    TN_UNIT_CENTURY,
    TN_UNIT_MILLENNIUM,
    TN_UNIT_DOW,
    TN_UNIT_ISODOW,
    TN_UNIT_DOY,
    TN_UNIT_EPOCH,
    TN_UNIT_ISOYEAR,
    TN_UNIT_JULIAN,
    TN_UNIT_TIMEZONE,
    TN_UNIT_TIMEZONE_HOUR,
    TN_UNIT_TIMEZONE_MINUTE,
    TN_UNIT_AGO, /* only in interval input */
} tn_datetime_unit;

/* Looks a unit name up, case-insensitively, with PostgreSQL's spellings
 * ("years", "yr", "mins", "us", "mils"...).  Returns -1 when unknown. */
int tn_datetime_unit_lookup(const char *name, size_t length, tn_datetime_unit *out);
/* The same, reporting 22023 'unit "x" not recognized for type <type>'. */
int tn_datetime_unit_parse(const char *name, size_t length, tn_type_id type,
                           tn_datetime_unit *out, tn_error *err);

/* extract(unit from value) for a DATE (value = days), TIMESTAMP or
 * TIMESTAMPTZ (value = micros; TZ fields read in zone) as a numeric
 * (*out at *scale): PostgreSQL 14+ returns numeric, with scale 6 for second
 * and epoch of timestamps, 3 for milliseconds.  Returns 1 (and no value)
 * when the result is NULL (most units of an infinite timestamp).
 * 0A000 'unit "x" not supported for type <type>'. */
int tn_datetime_extract(tn_datetime_unit unit, tn_type_id type, int64_t value,
                        const tn_timezone *zone, tn_int128 *out, int *scale, tn_error *err);
int tn_interval_extract(tn_datetime_unit unit, const tn_interval *span, tn_int128 *out, int *scale,
                        tn_error *err);
/* date_trunc(unit, interval): PostgreSQL's interval_trunc (0A000 for
 * week, whose months have fractional weeks). */
int tn_interval_trunc(tn_datetime_unit unit, const tn_interval *span, tn_interval *out, tn_error *err);

/* ---- time of day (TIME: microseconds since midnight, 0..24:00) ---- */

/* The time of day of a timestamp; 1 (no value) when it is infinite, as
 * PostgreSQL's timestamp -> time cast gives NULL. */
int tn_time_from_timestamp(int64_t ts, int64_t *out);
/* interval -> time: the span's time part modulo a day. */
int64_t tn_time_from_interval(const tn_interval *span);
/* time + interval wraps around midnight; days and months do nothing. */
int64_t tn_time_add_interval(int64_t time, const tn_interval *span);
/* date + time: 22008 "timestamp out of range". */
int tn_date_add_time(int32_t date, int64_t time, int64_t *out, tn_error *err);
/* extract(unit from time): microseconds, milliseconds, second, minute,
 * hour, epoch; others 0A000 'unit "x" not supported for type time ...'. */
int tn_time_extract(tn_datetime_unit unit, int64_t time, tn_int128 *out, int *scale, tn_error *err);

/* date_trunc(unit, ts) of a TIMESTAMP (or TIMESTAMPTZ in zone). */
int tn_timestamp_trunc(tn_datetime_unit unit, tn_type_id type, int64_t ts,
                       const tn_timezone *zone, int64_t *out, tn_error *err);

#endif
