/*
 * Calendar, date/time arithmetic, extract and date_trunc (see datetime.h).
 * The algorithms are PostgreSQL's (timestamp.c, datetime.c) re-expressed on
 * a 1970 epoch: month arithmetic works on broken-down fields and clamps to
 * the end of the month, interval scaling cascades fractions downward, age()
 * borrows from the month of the earlier operand.  Civil date conversion is
 * Howard Hinnant's days_from_civil, exact for any int64 year range we use.
 */
#include "types/datetime.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "types/numeric.h"

#define DAYS_PER_MONTH 30
#define MONTHS_PER_YEAR 12
#define UNIX_EPOCH_JULIAN 2440588 /* Julian day number of 1970-01-01 */

static int64_t floor_div(int64_t a, int64_t b);
static int64_t floor_mod(int64_t a, int64_t b);
static int timestamp_out_of_range(tn_error *err);
static int interval_out_of_range(tn_error *err);
static void shift_months(int *year, int *month, int *day, int32_t months);
static int add_months_and_days(int64_t ts, int32_t months, int32_t days, int64_t *out,
                               tn_error *err);
static int scale_interval(const tn_interval *span, double factor, bool divide, tn_interval *out,
                          tn_error *err);
static int iso_year_start(int year);
static void iso_week(int64_t days, int *iso_year, int *week);
static int extract_fields(tn_datetime_unit unit, const tn_datetime_fields *f, int64_t days,
                          int64_t *out);
static int unsupported_unit(tn_datetime_unit unit, tn_type_id type, tn_error *err);

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* a - floor_div(a, b) * b for b > 0, without the product (which overflows
 * for timestamps near the int64 limits, as corrupt data may hold). */
static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

static int timestamp_out_of_range(tn_error *err)
{
    return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "timestamp out of range");
}

static int interval_out_of_range(tn_error *err)
{
    return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "interval out of range");
}

/* ---- calendar ---- */

bool tn_date_is_leap(int64_t year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int tn_date_days_in_month(int64_t year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && tn_date_is_leap(year) ? 29 : days[month - 1];
}

int64_t tn_date_from_ymd(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = floor_div(year, 400);
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void tn_date_to_ymd(int64_t days, int *year, int *month, int *day)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t day_of_era = days - era * 146097;
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * day_of_year + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *day = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int)(year_of_era + era * 400 + (m <= 2));
}

int tn_date_day_of_week(int64_t days)
{
    return (int)(days - floor_div(days + 4, 7) * 7 + 4); /* 1970-01-01 was a Thursday */
}

void tn_timestamp_to_fields(int64_t ts, tn_datetime_fields *out)
{
    int64_t days = floor_div(ts, TN_USECS_PER_DAY);
    int64_t time = floor_mod(ts, TN_USECS_PER_DAY);
    tn_date_to_ymd(days, &out->year, &out->month, &out->day);
    out->hour = (int)(time / TN_USECS_PER_HOUR);
    time -= out->hour * TN_USECS_PER_HOUR;
    out->minute = (int)(time / TN_USECS_PER_MINUTE);
    time -= out->minute * TN_USECS_PER_MINUTE;
    out->second = (int)(time / TN_USECS_PER_SEC);
    out->micros = (int32_t)(time - out->second * TN_USECS_PER_SEC);
}

int tn_timestamp_from_fields(const tn_datetime_fields *f, int64_t *out)
{
    int64_t days = tn_date_from_ymd(f->year, f->month, f->day);
    int64_t time = ((f->hour * INT64_C(60) + f->minute) * 60 + f->second) * TN_USECS_PER_SEC + f->micros;
    int64_t ts;
    if (!tn_date_in_range(days) || __builtin_mul_overflow(days, TN_USECS_PER_DAY, &ts) ||
        __builtin_add_overflow(ts, time, &ts) || !tn_timestamp_in_range(ts))
        return -1;
    *out = ts;
    return 0;
}

/* ---- conversions ---- */

int tn_date_to_timestamp(int32_t date, int64_t *out, tn_error *err)
{
    if (!tn_date_is_finite(date)) {
        *out = date == TN_DATE_NOBEGIN ? TN_TIMESTAMP_NOBEGIN : TN_TIMESTAMP_NOEND;
        return 0;
    }
    if (date >= TN_TIMESTAMP_NOEND / TN_USECS_PER_DAY || date < TN_DATE_MIN_DAYS)
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range for timestamp");
    *out = date * TN_USECS_PER_DAY;
    return 0;
}

int tn_timestamp_to_date(int64_t ts, int32_t *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(ts)) {
        *out = ts == TN_TIMESTAMP_NOBEGIN ? TN_DATE_NOBEGIN : TN_DATE_NOEND;
        return 0;
    }
    int64_t days = floor_div(ts, TN_USECS_PER_DAY);
    if (!tn_date_in_range(days))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range");
    *out = (int32_t)days;
    return 0;
}

int tn_timestamptz_to_timestamp(int64_t ts, const tn_timezone *zone, int64_t *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(ts)) {
        *out = ts;
        return 0;
    }
    int64_t local;
    if (__builtin_add_overflow(ts, tn_timezone_offset_at(zone, ts, NULL) * TN_USECS_PER_SEC, &local) ||
        !tn_timestamp_in_range(local))
        return timestamp_out_of_range(err);
    *out = local;
    return 0;
}

int tn_timestamp_to_timestamptz(int64_t ts, const tn_timezone *zone, int64_t *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(ts)) {
        *out = ts;
        return 0;
    }
    int64_t utc;
    if (__builtin_sub_overflow(ts, tn_timezone_offset_of_local(zone, ts) * TN_USECS_PER_SEC, &utc) ||
        !tn_timestamp_in_range(utc))
        return timestamp_out_of_range(err);
    *out = utc;
    return 0;
}

/* ---- arithmetic ---- */

int tn_date_add_days(int32_t date, int64_t days, int32_t *out, tn_error *err)
{
    if (!tn_date_is_finite(date)) {
        *out = date;
        return 0;
    }
    int64_t result = (int64_t)date + days;
    if (days > INT32_MAX || days < INT32_MIN || !tn_date_in_range(result))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range");
    *out = (int32_t)result;
    return 0;
}

int tn_date_diff(int32_t a, int32_t b, int32_t *out, tn_error *err)
{
    if (!tn_date_is_finite(a) || !tn_date_is_finite(b))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "cannot subtract infinite dates");
    *out = a - b; /* both within the valid range: no overflow */
    return 0;
}

/* Moves a civil date by months, clamping the day to the new month's end. */
static void shift_months(int *year, int *month, int *day, int32_t months)
{
    int64_t month_index = (int64_t)*year * 12 + (*month - 1) + months;
    *year = (int)floor_div(month_index, 12);
    *month = (int)(month_index - (int64_t)*year * 12) + 1;
    int last = tn_date_days_in_month(*year, *month);
    if (*day > last)
        *day = last;
}

/* PostgreSQL's timestamp_pl_interval without the time part. */
static int add_months_and_days(int64_t ts, int32_t months, int32_t days, int64_t *out,
                               tn_error *err)
{
    tn_datetime_fields f;
    tn_timestamp_to_fields(ts, &f);
    if (months != 0)
        shift_months(&f.year, &f.month, &f.day, months);
    if (days != 0) {
        int64_t julian = tn_date_from_ymd(f.year, f.month, f.day) + days;
        tn_date_to_ymd(julian, &f.year, &f.month, &f.day);
    }
    if (tn_timestamp_from_fields(&f, out) != 0)
        return timestamp_out_of_range(err);
    return 0;
}

int tn_date_add_months(int32_t date, int32_t months, int32_t *out, tn_error *err)
{
    if (!tn_date_is_finite(date)) {
        *out = date;
        return 0;
    }
    int year, month, day;
    tn_date_to_ymd(date, &year, &month, &day);
    shift_months(&year, &month, &day, months);
    int64_t days = tn_date_from_ymd(year, month, day);
    if (!tn_date_in_range(days))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range");
    *out = (int32_t)days;
    return 0;
}

int tn_timestamp_add_interval(int64_t ts, const tn_interval *span, int64_t *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(ts)) {
        *out = ts;
        return 0;
    }
    if ((span->months != 0 || span->days != 0) &&
        add_months_and_days(ts, span->months, span->days, &ts, err) != 0)
        return -1;
    if (__builtin_add_overflow(ts, span->micros, &ts) || !tn_timestamp_in_range(ts))
        return timestamp_out_of_range(err);
    *out = ts;
    return 0;
}

int tn_timestamp_sub_interval(int64_t ts, const tn_interval *span, int64_t *out, tn_error *err)
{
    tn_interval negated = {0, 0, 0};
    if (tn_interval_negate(span, &negated, err) != 0)
        return -1;
    return tn_timestamp_add_interval(ts, &negated, out, err);
}

int tn_timestamptz_add_interval(int64_t ts, const tn_interval *span, const tn_timezone *zone,
                                int64_t *out, tn_error *err)
{
    /* Months and days move the wall clock (a day across a DST change is
     * 23 or 25 hours); the time part is added to the instant, as
     * PostgreSQL's timestamptz_pl_interval. */
    int64_t local = 0;
    tn_interval calendar = {span->months, span->days, 0};
    tn_interval clock = {0, 0, span->micros};
    if (span->months != 0 || span->days != 0) {
        if (tn_timestamptz_to_timestamp(ts, zone, &local, err) != 0 ||
            tn_timestamp_add_interval(local, &calendar, &local, err) != 0 ||
            tn_timestamp_to_timestamptz(local, zone, &ts, err) != 0)
            return -1;
    }
    return tn_timestamp_add_interval(ts, &clock, out, err);
}

int tn_timestamp_diff(int64_t a, int64_t b, tn_interval *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(a) || !tn_timestamp_is_finite(b))
        return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                            "cannot subtract infinite timestamps");
    tn_interval span = {0, 0, 0};
    if (__builtin_sub_overflow(a, b, &span.micros))
        return interval_out_of_range(err);
    return tn_interval_justify_hours(&span, out, err);
}

int tn_timestamp_age(int64_t a, int64_t b, tn_interval *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(a) || !tn_timestamp_is_finite(b))
        return interval_out_of_range(err);
    tn_datetime_fields f1, f2;
    tn_timestamp_to_fields(a, &f1);
    tn_timestamp_to_fields(b, &f2);
    int64_t micros = f1.micros - f2.micros, sec = f1.second - f2.second;
    int64_t min = f1.minute - f2.minute, hour = f1.hour - f2.hour;
    int64_t day = f1.day - f2.day, mon = f1.month - f2.month, year = (int64_t)f1.year - f2.year;
    int sign = a < b ? -1 : 1;
    micros *= sign, sec *= sign, min *= sign, hour *= sign, day *= sign, mon *= sign, year *= sign;
    /* borrow negative fields from the next larger one */
    for (; micros < 0; sec--)
        micros += TN_USECS_PER_SEC;
    for (; sec < 0; min--)
        sec += 60;
    for (; min < 0; hour--)
        min += 60;
    for (; hour < 0; day--)
        hour += 24;
    const tn_datetime_fields *earlier = a < b ? &f1 : &f2;
    for (; day < 0; mon--)
        day += tn_date_days_in_month(earlier->year, earlier->month);
    for (; mon < 0; year--)
        mon += 12;
    int64_t months = sign * (year * 12 + mon);
    int64_t time = sign * (((hour * 60 + min) * 60 + sec) * TN_USECS_PER_SEC + micros);
    if (months > INT32_MAX || months < INT32_MIN)
        return interval_out_of_range(err);
    out->months = (int32_t)months;
    out->days = (int32_t)(sign * day);
    out->micros = time;
    return 0;
}

int tn_interval_add(const tn_interval *a, const tn_interval *b, tn_interval *out, tn_error *err)
{
    tn_interval r;
    if (__builtin_add_overflow(a->months, b->months, &r.months) ||
        __builtin_add_overflow(a->days, b->days, &r.days) ||
        __builtin_add_overflow(a->micros, b->micros, &r.micros))
        return interval_out_of_range(err);
    *out = r;
    return 0;
}

int tn_interval_sub(const tn_interval *a, const tn_interval *b, tn_interval *out, tn_error *err)
{
    tn_interval r;
    if (__builtin_sub_overflow(a->months, b->months, &r.months) ||
        __builtin_sub_overflow(a->days, b->days, &r.days) ||
        __builtin_sub_overflow(a->micros, b->micros, &r.micros))
        return interval_out_of_range(err);
    *out = r;
    return 0;
}

int tn_interval_negate(const tn_interval *a, tn_interval *out, tn_error *err)
{
    tn_interval zero = {0, 0, 0};
    return tn_interval_sub(&zero, a, out, err);
}

/* Rounds to microsecond precision the way PostgreSQL's TSROUND does. */
static double round_to_micros(double value)
{
    return rint(value * 1000000.0) / 1000000.0;
}

static bool fits_int32(double value)
{
    return !isnan(value) && value >= -2147483648.0 && value < 2147483648.0;
}

/* PostgreSQL's interval_mul / interval_div: whole months and days scale
 * directly, their fractions cascade down to days and seconds. */
static int scale_interval(const tn_interval *span, double factor, bool divide, tn_interval *out,
                          tn_error *err)
{
    double month_product = divide ? span->months / factor : span->months * factor;
    double day_product = divide ? span->days / factor : span->days * factor;
    if (!fits_int32(month_product) || !fits_int32(day_product))
        return interval_out_of_range(err);
    tn_interval r;
    r.months = (int32_t)month_product;
    r.days = (int32_t)day_product;
    double month_remainder_days = round_to_micros((month_product - r.months) * DAYS_PER_MONTH);
    double sec_remainder = round_to_micros(
        (day_product - r.days + month_remainder_days - (int)month_remainder_days) * 86400.0);
    if (fabs(sec_remainder) >= 86400.0) {
        int extra_days = (int)(sec_remainder / 86400.0);
        if (__builtin_add_overflow(r.days, extra_days, &r.days))
            return interval_out_of_range(err);
        sec_remainder -= extra_days * 86400.0;
    }
    if (__builtin_add_overflow(r.days, (int32_t)month_remainder_days, &r.days))
        return interval_out_of_range(err);
    double time = rint((divide ? span->micros / factor : span->micros * factor) +
                       sec_remainder * 1000000.0);
    if (isnan(time) || time < -9223372036854775808.0 || time >= 9223372036854775808.0)
        return interval_out_of_range(err);
    r.micros = (int64_t)time;
    *out = r;
    return 0;
}

int tn_interval_mul(const tn_interval *a, double factor, tn_interval *out, tn_error *err)
{
    return scale_interval(a, factor, false, out, err);
}

int tn_interval_div(const tn_interval *a, double divisor, tn_interval *out, tn_error *err)
{
    if (divisor == 0.0)
        return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
    return scale_interval(a, divisor, true, out, err);
}

int tn_interval_justify_hours(const tn_interval *a, tn_interval *out, tn_error *err)
{
    tn_interval r = *a;
    int64_t whole_days = r.micros / TN_USECS_PER_DAY;
    r.micros -= whole_days * TN_USECS_PER_DAY;
    if (whole_days > INT32_MAX || whole_days < INT32_MIN ||
        __builtin_add_overflow(r.days, (int32_t)whole_days, &r.days))
        return interval_out_of_range(err);
    if (r.days > 0 && r.micros < 0) {
        r.micros += TN_USECS_PER_DAY;
        r.days--;
    } else if (r.days < 0 && r.micros > 0) {
        r.micros -= TN_USECS_PER_DAY;
        r.days++;
    }
    *out = r;
    return 0;
}

int tn_interval_justify_days(const tn_interval *a, tn_interval *out, tn_error *err)
{
    tn_interval r = *a;
    int32_t whole_months = r.days / DAYS_PER_MONTH;
    r.days -= whole_months * DAYS_PER_MONTH;
    if (__builtin_add_overflow(r.months, whole_months, &r.months))
        return interval_out_of_range(err);
    if (r.months > 0 && r.days < 0) {
        r.days += DAYS_PER_MONTH;
        r.months--;
    } else if (r.months < 0 && r.days > 0) {
        r.days -= DAYS_PER_MONTH;
        r.months++;
    }
    *out = r;
    return 0;
}

int tn_interval_justify_interval(const tn_interval *a, tn_interval *out, tn_error *err)
{
    tn_interval r = *a;
    int64_t whole_days = r.micros / TN_USECS_PER_DAY;
    r.micros -= whole_days * TN_USECS_PER_DAY;
    int64_t days = r.days + whole_days;
    int64_t months = r.months + days / DAYS_PER_MONTH;
    days -= days / DAYS_PER_MONTH * DAYS_PER_MONTH;
    if (months > 0 && (days < 0 || (days == 0 && r.micros < 0))) {
        days += DAYS_PER_MONTH;
        months--;
    } else if (months < 0 && (days > 0 || (days == 0 && r.micros > 0))) {
        days -= DAYS_PER_MONTH;
        months++;
    }
    if (days > 0 && r.micros < 0) {
        r.micros += TN_USECS_PER_DAY;
        days--;
    } else if (days < 0 && r.micros > 0) {
        r.micros -= TN_USECS_PER_DAY;
        days++;
    }
    if (months > INT32_MAX || months < INT32_MIN)
        return interval_out_of_range(err);
    r.months = (int32_t)months;
    r.days = (int32_t)days;
    *out = r;
    return 0;
}

int tn_interval_compare(const tn_interval *a, const tn_interval *b)
{
    tn_int128 span_a = (tn_int128)a->micros +
                       (tn_int128)((int64_t)a->months * DAYS_PER_MONTH + a->days) * TN_USECS_PER_DAY;
    tn_int128 span_b = (tn_int128)b->micros +
                       (tn_int128)((int64_t)b->months * DAYS_PER_MONTH + b->days) * TN_USECS_PER_DAY;
    return span_a < span_b ? -1 : span_a > span_b;
}

/* ---- units ---- */

static const struct {
    const char *name;
    tn_datetime_unit unit;
} unit_names[] = {
    {"microseconds", TN_UNIT_MICROSECONDS}, {"microsecond", TN_UNIT_MICROSECONDS},
    {"microsecon", TN_UNIT_MICROSECONDS},  {"us", TN_UNIT_MICROSECONDS},
    {"usec", TN_UNIT_MICROSECONDS},        {"usecs", TN_UNIT_MICROSECONDS},
    {"useconds", TN_UNIT_MICROSECONDS},    {"milliseconds", TN_UNIT_MILLISECONDS},
    {"millisecond", TN_UNIT_MILLISECONDS}, {"millisecon", TN_UNIT_MILLISECONDS},
    {"ms", TN_UNIT_MILLISECONDS},          {"msec", TN_UNIT_MILLISECONDS},
    {"msecs", TN_UNIT_MILLISECONDS},       {"mseconds", TN_UNIT_MILLISECONDS},
    {"second", TN_UNIT_SECOND},            {"seconds", TN_UNIT_SECOND},
    {"s", TN_UNIT_SECOND},                 {"sec", TN_UNIT_SECOND},
    {"secs", TN_UNIT_SECOND},              {"minute", TN_UNIT_MINUTE},
    {"minutes", TN_UNIT_MINUTE},           {"m", TN_UNIT_MINUTE},
    {"min", TN_UNIT_MINUTE},               {"mins", TN_UNIT_MINUTE},
    {"hour", TN_UNIT_HOUR},                {"hours", TN_UNIT_HOUR},
    {"h", TN_UNIT_HOUR},                   {"hr", TN_UNIT_HOUR},
    {"hrs", TN_UNIT_HOUR},                 {"day", TN_UNIT_DAY},
    {"days", TN_UNIT_DAY},                 {"d", TN_UNIT_DAY},
    {"week", TN_UNIT_WEEK},                {"weeks", TN_UNIT_WEEK},
    {"w", TN_UNIT_WEEK},                   {"month", TN_UNIT_MONTH},
    {"months", TN_UNIT_MONTH},             {"mon", TN_UNIT_MONTH},
    {"mons", TN_UNIT_MONTH},               {"quarter", TN_UNIT_QUARTER},
    {"qtr", TN_UNIT_QUARTER},              {"year", TN_UNIT_YEAR},
    {"years", TN_UNIT_YEAR},               {"y", TN_UNIT_YEAR},
    {"yr", TN_UNIT_YEAR},                  {"yrs", TN_UNIT_YEAR},
    {"decade", TN_UNIT_DECADE},            {"decades", TN_UNIT_DECADE},
    {"dec", TN_UNIT_DECADE},               {"decs", TN_UNIT_DECADE},
    {"century", TN_UNIT_CENTURY},          {"centuries", TN_UNIT_CENTURY},
    {"c", TN_UNIT_CENTURY},                {"cent", TN_UNIT_CENTURY},
    {"millennium", TN_UNIT_MILLENNIUM},    {"millennia", TN_UNIT_MILLENNIUM},
    {"mil", TN_UNIT_MILLENNIUM},           {"mils", TN_UNIT_MILLENNIUM},
    {"dow", TN_UNIT_DOW},                  {"isodow", TN_UNIT_ISODOW},
    {"doy", TN_UNIT_DOY},                  {"epoch", TN_UNIT_EPOCH},
    {"isoyear", TN_UNIT_ISOYEAR},          {"julian", TN_UNIT_JULIAN},
    {"j", TN_UNIT_JULIAN},                 {"jd", TN_UNIT_JULIAN},
    {"timezone", TN_UNIT_TIMEZONE},        {"timezone_h", TN_UNIT_TIMEZONE_HOUR},
    {"timezone_m", TN_UNIT_TIMEZONE_MINUTE}, {"ago", TN_UNIT_AGO},
};

/* The unit's name in messages: its first spelling above. */
static const char *unit_name(tn_datetime_unit unit)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        if (unit_names[i].unit == unit)
            return unit_names[i].name;
    }
    return "?";
}

int tn_datetime_unit_lookup(const char *name, size_t length, tn_datetime_unit *out)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        if (strlen(unit_names[i].name) == length && strncasecmp(unit_names[i].name, name, length) == 0) {
            *out = unit_names[i].unit;
            return 0;
        }
    }
    /* PostgreSQL reads only the first 10 characters (TOKMAXLEN), which is
     * how "timezone_hour" finds "timezone_h". */
    return length > 10 ? tn_datetime_unit_lookup(name, 10, out) : -1;
}

int tn_datetime_unit_parse(const char *name, size_t length, tn_type_id type,
                           tn_datetime_unit *out, tn_error *err)
{
    if (tn_datetime_unit_lookup(name, length, out) == 0 && *out != TN_UNIT_AGO)
        return 0;
    char lower[64];
    size_t n = length < sizeof lower - 1 ? length : sizeof lower - 1;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)name[i]);
    lower[n] = '\0';
    return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "unit \"%s\" not recognized for type %s",
                        lower, tn_type_id_name(type));
}

static int unsupported_unit(tn_datetime_unit unit, tn_type_id type, tn_error *err)
{
    return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "unit \"%s\" not supported for type %s",
                        unit_name(unit), tn_type_id_name(type));
}

/* ---- extract ---- */

/* Monday of the ISO week that holds January 4th of year, in days. */
static int iso_year_start(int year)
{
    int64_t jan4 = tn_date_from_ymd(year, 1, 4);
    return (int)(jan4 - (tn_date_day_of_week(jan4) + 6) % 7);
}

static void iso_week(int64_t days, int *iso_year, int *week)
{
    int year, month, day;
    tn_date_to_ymd(days, &year, &month, &day);
    int64_t start = iso_year_start(year);
    if (days < start) {
        year--;
        start = iso_year_start(year);
    } else if (days >= iso_year_start(year + 1)) {
        year++;
        start = iso_year_start(year);
    }
    *iso_year = year;
    *week = (int)((days - start) / 7 + 1);
}

/* The integer-valued units shared by dates and timestamps.  Returns -1
 * for units that are not such. */
static int extract_fields(tn_datetime_unit unit, const tn_datetime_fields *f, int64_t days,
                          int64_t *out)
{
    int64_t year = f->year;
    int iso_year, week;
    switch (unit) {
    case TN_UNIT_DAY: *out = f->day; return 0;
    case TN_UNIT_MONTH: *out = f->month; return 0;
    case TN_UNIT_QUARTER: *out = (f->month - 1) / 3 + 1; return 0;
    case TN_UNIT_YEAR: *out = year > 0 ? year : year - 1; return 0; /* no year 0 */
    case TN_UNIT_DECADE: *out = year >= 0 ? year / 10 : -((8 - (year - 1)) / 10); return 0;
    case TN_UNIT_CENTURY: *out = year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100); return 0;
    case TN_UNIT_MILLENNIUM:
        *out = year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
        return 0;
    case TN_UNIT_WEEK: iso_week(days, &iso_year, &week); *out = week; return 0;
    case TN_UNIT_ISOYEAR:
        iso_week(days, &iso_year, &week);
        *out = iso_year > 0 ? iso_year : iso_year - 1;
        return 0;
    case TN_UNIT_DOW: *out = tn_date_day_of_week(days); return 0;
    case TN_UNIT_ISODOW: *out = tn_date_day_of_week(days) == 0 ? 7 : tn_date_day_of_week(days); return 0;
    case TN_UNIT_DOY: *out = days - tn_date_from_ymd(year, 1, 1) + 1; return 0;
    default: return -1;
    }
}

/* Units whose value keeps growing with time: extract gives +-Infinity for
 * an infinite timestamp (which tarn's numeric cannot hold); the others NULL. */
static bool is_monotonic_unit(tn_datetime_unit unit)
{
    return unit == TN_UNIT_YEAR || unit == TN_UNIT_DECADE || unit == TN_UNIT_CENTURY ||
           unit == TN_UNIT_MILLENNIUM || unit == TN_UNIT_JULIAN || unit == TN_UNIT_ISOYEAR ||
           unit == TN_UNIT_EPOCH;
}

int tn_datetime_extract(tn_datetime_unit unit, tn_type_id type, int64_t value,
                        const tn_timezone *zone, tn_int128 *out, int *scale, tn_error *err)
{
    if (type == TN_TYPE_TIME)
        return tn_time_extract(unit, value, out, scale, err);
    bool is_date = type == TN_TYPE_DATE;
    bool finite = is_date ? tn_date_is_finite((int32_t)value) : tn_timestamp_is_finite(value);
    if (!finite) {
        if (unit == TN_UNIT_AGO || unit == TN_UNIT_TIMEZONE || unit == TN_UNIT_TIMEZONE_HOUR ||
            unit == TN_UNIT_TIMEZONE_MINUTE || (is_date && unit <= TN_UNIT_HOUR))
            return unsupported_unit(unit, type, err);
        if (is_monotonic_unit(unit))
            return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                                "cannot convert infinity to numeric");
        return 1;
    }
    int64_t ts = value;
    if (type == TN_TYPE_TIMESTAMPTZ && unit != TN_UNIT_EPOCH) {
        if (unit == TN_UNIT_TIMEZONE || unit == TN_UNIT_TIMEZONE_HOUR || unit == TN_UNIT_TIMEZONE_MINUTE) {
            int32_t off = tn_timezone_offset_at(zone, ts, NULL);
            *out = unit == TN_UNIT_TIMEZONE ? off : unit == TN_UNIT_TIMEZONE_HOUR ? off / 3600 : off / 60 % 60;
            *scale = 0;
            return 0;
        }
        if (tn_timestamptz_to_timestamp(ts, zone, &ts, err) != 0)
            return -1;
    }
    /* dates reach 5874897 AD, past what microseconds can count: no
     * detour through a timestamp */
    tn_datetime_fields f = {0, 1, 1, 0, 0, 0, 0};
    int64_t days = is_date ? value : floor_div(ts, TN_USECS_PER_DAY);
    if (is_date)
        tn_date_to_ymd(days, &f.year, &f.month, &f.day);
    else
        tn_timestamp_to_fields(ts, &f);
    int64_t sec_micros = f.second * TN_USECS_PER_SEC + f.micros;
    int64_t integer;
    *scale = 0;
    if (extract_fields(unit, &f, days, &integer) == 0) {
        *out = integer;
        return 0;
    }
    if (is_date && unit != TN_UNIT_EPOCH && unit != TN_UNIT_JULIAN)
        return unsupported_unit(unit, type, err);
    switch (unit) {
    case TN_UNIT_MICROSECONDS: *out = sec_micros; return 0;
    case TN_UNIT_MILLISECONDS: *out = sec_micros; *scale = 3; return 0;
    case TN_UNIT_SECOND: *out = sec_micros; *scale = 6; return 0;
    case TN_UNIT_MINUTE: *out = f.minute; return 0;
    case TN_UNIT_HOUR: *out = f.hour; return 0;
    case TN_UNIT_EPOCH:
        *out = is_date ? value * 86400 : value;
        *scale = is_date ? 0 : 6;
        return 0;
    case TN_UNIT_JULIAN: {
        int64_t julian = days + UNIX_EPOCH_JULIAN;
        if (is_date) {
            *out = julian;
            return 0;
        }
        /* julian day + time of day / day, with numeric division's scale */
        tn_int128 fraction;
        int fraction_scale;
        if (tn_numeric_div(floor_mod(ts, TN_USECS_PER_DAY), 0, TN_USECS_PER_DAY, 0, &fraction,
                           &fraction_scale, err) != 0)
            return -1;
        return tn_numeric_add(julian, 0, fraction, fraction_scale, out, scale, err);
    }
    default: return unsupported_unit(unit, type, err);
    }
}

int tn_interval_extract(tn_datetime_unit unit, const tn_interval *span, tn_int128 *out, int *scale,
                        tn_error *err)
{
    int64_t year = span->months / 12, month = span->months % 12;
    int64_t hour = span->micros / TN_USECS_PER_HOUR;
    int64_t rest = span->micros - hour * TN_USECS_PER_HOUR;
    int64_t minute = rest / TN_USECS_PER_MINUTE;
    int64_t sec_micros = rest - minute * TN_USECS_PER_MINUTE;
    *scale = 0;
    switch (unit) {
    case TN_UNIT_MICROSECONDS: *out = sec_micros; return 0;
    case TN_UNIT_MILLISECONDS: *out = sec_micros; *scale = 3; return 0;
    case TN_UNIT_SECOND: *out = sec_micros; *scale = 6; return 0;
    case TN_UNIT_MINUTE: *out = minute; return 0;
    case TN_UNIT_HOUR: *out = hour; return 0;
    case TN_UNIT_DAY: *out = span->days; return 0;
    case TN_UNIT_MONTH: *out = month; return 0;
    case TN_UNIT_QUARTER: *out = month / 3 + 1; return 0;
    case TN_UNIT_YEAR: *out = year; return 0;
    case TN_UNIT_DECADE: *out = year / 10; return 0;
    case TN_UNIT_CENTURY: *out = year / 100; return 0;
    case TN_UNIT_MILLENNIUM: *out = year / 1000; return 0;
    case TN_UNIT_EPOCH: {
        /* a year is 365.25 days, a month 30 days; counted in quarter days
         * to stay exact (PostgreSQL's interval_part) */
        int64_t quarter_days = INT64_C(1461) * (span->months / 12) + INT64_C(120) * (span->months % 12) +
                               INT64_C(4) * span->days;
        *out = (tn_int128)span->micros + (tn_int128)quarter_days * 21600 * TN_USECS_PER_SEC;
        *scale = 6;
        return 0;
    }
    default: return unsupported_unit(unit, TN_TYPE_INTERVAL, err);
    }
}

/* ---- date_trunc ---- */

int tn_timestamp_trunc(tn_datetime_unit unit, tn_type_id type, int64_t ts,
                       const tn_timezone *zone, int64_t *out, tn_error *err)
{
    if (!tn_timestamp_is_finite(ts)) {
        *out = ts;
        return 0;
    }
    bool with_zone = type == TN_TYPE_TIMESTAMPTZ;
    /* Below a day PostgreSQL keeps the value's own offset, so truncating
     * 02:30+02 on a fall-back night gives 02:00+02, not 02:00+01. */
    int32_t offset = with_zone ? tn_timezone_offset_at(zone, ts, NULL) : 0;
    if (with_zone && tn_timestamptz_to_timestamp(ts, zone, &ts, err) != 0)
        return -1;
    tn_datetime_fields f;
    tn_timestamp_to_fields(ts, &f);
    int year = f.year;
    switch (unit) {
    case TN_UNIT_WEEK: {
        int64_t days = floor_div(ts, TN_USECS_PER_DAY);
        days -= (tn_date_day_of_week(days) + 6) % 7; /* back to Monday */
        tn_date_to_ymd(days, &f.year, &f.month, &f.day);
        f.hour = f.minute = f.second = f.micros = 0;
        break;
    }
    case TN_UNIT_MILLENNIUM:
        f.year = year > 0 ? ((year + 999) / 1000) * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1;
        goto year;
    case TN_UNIT_CENTURY:
        f.year = year > 0 ? ((year + 99) / 100) * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1;
        goto year;
    case TN_UNIT_DECADE:
        f.year = year > 0 ? (year / 10) * 10 : -((8 - (year - 1)) / 10) * 10;
        goto year;
    case TN_UNIT_YEAR:
    year:
        f.month = 1;
        /* fall through */
    case TN_UNIT_QUARTER: f.month = 3 * ((f.month - 1) / 3) + 1; /* fall through */
    case TN_UNIT_MONTH: f.day = 1; /* fall through */
    case TN_UNIT_DAY: f.hour = 0; /* fall through */
    case TN_UNIT_HOUR: f.minute = 0; /* fall through */
    case TN_UNIT_MINUTE: f.second = 0; /* fall through */
    case TN_UNIT_SECOND: f.micros = 0; break;
    case TN_UNIT_MILLISECONDS: f.micros = f.micros / 1000 * 1000; break;
    case TN_UNIT_MICROSECONDS: break;
    case TN_UNIT_TIMEZONE:
    case TN_UNIT_TIMEZONE_HOUR:
    case TN_UNIT_TIMEZONE_MINUTE: return unsupported_unit(unit, type, err);
    default:
        /* fields that are not units of time (dow, epoch...) */
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "unit \"%s\" not recognized for type %s",
                            unit_name(unit), tn_type_id_name(type));
    }
    if (tn_timestamp_from_fields(&f, &ts) != 0)
        return timestamp_out_of_range(err);
    if (with_zone && unit < TN_UNIT_DAY) {
        tn_timezone fixed = {offset, NULL};
        return tn_timestamp_to_timestamptz(ts, &fixed, out, err);
    }
    if (with_zone)
        return tn_timestamp_to_timestamptz(ts, zone, out, err);
    *out = ts;
    return 0;
}

/* ---- time of day ---- */

int tn_time_from_timestamp(int64_t ts, int64_t *out)
{
    if (!tn_timestamp_is_finite(ts))
        return 1;
    *out = floor_mod(ts, TN_USECS_PER_DAY);
    return 0;
}

int64_t tn_time_from_interval(const tn_interval *span)
{
    return floor_mod(span->micros, TN_USECS_PER_DAY);
}

int64_t tn_time_add_interval(int64_t time, const tn_interval *span)
{
    /* the span's days and months do not move a time of day */
    return floor_mod(time + span->micros % TN_USECS_PER_DAY, TN_USECS_PER_DAY);
}

int tn_date_add_time(int32_t date, int64_t time, int64_t *out, tn_error *err)
{
    if (!tn_date_is_finite(date)) {
        *out = date == TN_DATE_NOEND ? TN_TIMESTAMP_NOEND : TN_TIMESTAMP_NOBEGIN;
        return 0;
    }
    int64_t ts = (int64_t)date * TN_USECS_PER_DAY + time;
    if (!tn_date_in_range(date) || !tn_timestamp_in_range(ts))
        return timestamp_out_of_range(err);
    *out = ts;
    return 0;
}

int tn_time_extract(tn_datetime_unit unit, int64_t time, tn_int128 *out, int *scale, tn_error *err)
{
    int64_t sec_micros = time % TN_USECS_PER_MINUTE;
    *scale = 0;
    switch (unit) {
    case TN_UNIT_MICROSECONDS: *out = sec_micros; return 0;
    case TN_UNIT_MILLISECONDS: *out = sec_micros; *scale = 3; return 0;
    case TN_UNIT_SECOND: *out = sec_micros; *scale = 6; return 0;
    case TN_UNIT_MINUTE: *out = time / TN_USECS_PER_MINUTE % 60; return 0;
    case TN_UNIT_HOUR: *out = time / TN_USECS_PER_HOUR; return 0;
    case TN_UNIT_EPOCH: *out = time; *scale = 6; return 0;
    default: return unsupported_unit(unit, TN_TYPE_TIME, err);
    }
}

int tn_interval_trunc(tn_datetime_unit unit, const tn_interval *span, tn_interval *out, tn_error *err)
{
    int64_t years = span->months / 12, months = span->months % 12, days = span->days;
    int64_t hours = span->micros / TN_USECS_PER_HOUR, minutes = span->micros / TN_USECS_PER_MINUTE % 60;
    int64_t seconds = span->micros / TN_USECS_PER_SEC % 60, micros = span->micros % TN_USECS_PER_SEC;
    switch (unit) {
    case TN_UNIT_MILLENNIUM: years = years / 1000 * 1000; /* fall through */
    case TN_UNIT_CENTURY: years = years / 100 * 100; /* fall through */
    case TN_UNIT_DECADE: years = years / 10 * 10; /* fall through */
    case TN_UNIT_YEAR: months = 0; /* fall through */
    case TN_UNIT_QUARTER: months = 3 * (months / 3); /* fall through */
    case TN_UNIT_MONTH: days = 0; /* fall through */
    case TN_UNIT_DAY: hours = 0; /* fall through */
    case TN_UNIT_HOUR: minutes = 0; /* fall through */
    case TN_UNIT_MINUTE: seconds = 0; /* fall through */
    case TN_UNIT_SECOND: micros = 0; break;
    case TN_UNIT_MILLISECONDS: micros = micros / 1000 * 1000; break;
    case TN_UNIT_MICROSECONDS: break;
    default:
        unsupported_unit(unit, TN_TYPE_INTERVAL, err);
        if (unit == TN_UNIT_WEEK)
            tn_error_detail(err, "Months usually have fractional weeks.");
        return -1;
    }
    out->months = (int32_t)(years * 12 + months);
    out->days = (int32_t)days;
    out->micros = ((hours * 60 + minutes) * 60 + seconds) * TN_USECS_PER_SEC + micros;
    return 0;
}
