/*
 * Date and time functions: now() and its synonyms (the statement's start
 * time, so every row and every call in a statement agrees), current_date,
 * date_part / extract, date_trunc, age, make_date, make_timestamp,
 * make_interval, justify_* and isfinite.  The calendar work is
 * the types layer's (types/datetime.h); this file parses the unit argument
 * and picks result types.  Results that depend on the session's TimeZone
 * (timestamptz fields, current_date, localtimestamp) read it from the
 * context and are STABLE, so the binder never folds them in another zone;
 * AT TIME ZONE (timezone(zone, ts)) and date_trunc(unit, ts, zone) look
 * the named zone up in types/timezone.h.  current_setting reads TimeZone.
 */
#include "exec/exec_int.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "types/datetime.h"
#include "types/format.h"
#include "types/numeric.h"
#include "types/timezone.h"

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])

static int now_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                      uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    (void)args;
    (void)err;
    for (uint32_t i = 0; i < count; i++)
        ((int64_t *)out->data)[i] = context->statement_time;
    return 0;
}

static int current_date_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                               uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    (void)args;
    int32_t date;
    int64_t local;
    if (tn_timestamptz_to_timestamp(context->statement_time, tn_exec_timezone(context), &local, err) != 0 ||
        tn_timestamp_to_date(local, &date, err) != 0)
        return -1;
    for (uint32_t i = 0; i < count; i++)
        ((int32_t *)out->data)[i] = date;
    return 0;
}

static int localtimestamp_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    (void)args;
    int64_t local;
    if (tn_timestamptz_to_timestamp(context->statement_time, tn_exec_timezone(context), &local, err) != 0)
        return -1;
    for (uint32_t i = 0; i < count; i++)
        ((int64_t *)out->data)[i] = local;
    return 0;
}

/* Parses the unit of row i, reusing the previous answer for a constant. */
static int unit_of(const tn_vector *units, uint32_t row, tn_type_id type, tn_datetime_unit *unit,
                   bool *parsed, tn_error *err)
{
    if (units->is_constant && *parsed)
        return 0;
    const tn_string *name = STR(units, row);
    *parsed = true;
    return tn_datetime_unit_parse(tn_string_data(name), name->length, type, unit, err);
}

/* One extraction as (value, scale); 1 when the result is NULL. */
static int extract_one(tn_datetime_unit unit, const tn_vector *source, uint32_t row,
                       const tn_timezone *zone, tn_int128 *value, int *scale, tn_error *err)
{
    uint32_t index = source->is_constant ? 0 : row;
    switch (source->type.id) {
    case TN_TYPE_DATE:
        return tn_datetime_extract(unit, TN_TYPE_DATE, ((const int32_t *)source->data)[index], zone,
                                   value, scale, err);
    case TN_TYPE_INTERVAL:
        return tn_interval_extract(unit, &((const tn_interval *)source->data)[index], value, scale, err);
    default:
        return tn_datetime_extract(unit, source->type.id, ((const int64_t *)source->data)[index],
                                   zone, value, scale, err);
    }
}

/* date_part (double precision) and extract (numeric at the unit's own scale,
 * as PostgreSQL: 0 for year, 6 for seconds). */
static int extract_rows(tn_vector **args, uint32_t count, const tn_timezone *zone, tn_vector *out,
                        tn_error *err)
{
    tn_datetime_unit unit = TN_UNIT_SECOND;
    bool parsed = false;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        tn_int128 value;
        int scale;
        if (unit_of(args[0], i, args[1]->type.id, &unit, &parsed, err) != 0)
            return -1;
        int status = extract_one(unit, args[1], i, zone, &value, &scale, err);
        if (status < 0)
            return -1;
        if (status == 1) {
            if (tn_vector_set_null(out, i) != 0)
                return tn_error_oom(err);
            continue;
        }
        if (out->type.id == TN_TYPE_FLOAT64)
            ((double *)out->data)[i] = tn_numeric_to_double(value, scale);
        else if (tn_vector_set_numeric(out, i, value, scale, err) != 0)
            return -1;
    }
    return 0;
}

static int extract_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                          uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    return extract_rows(args, count, tn_exec_timezone(context), out, err);
}

/* extract's scale comes from its (constant) unit: 6 for seconds and epoch
 * of timestamps, 3 for milliseconds, else 0. */
static int bind_extract(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    const tn_expr *unit_expr = call->args[0];
    int scale = 6;
    if (unit_expr->kind == TN_EXPR_CONSTANT && !unit_expr->value.is_null) {
        tn_datetime_unit unit;
        const tn_string *name = &unit_expr->value.u.string;
        tn_type_id type = call->args[1]->type.id;
        if (tn_datetime_unit_parse(tn_string_data(name), name->length, type, &unit, err) != 0)
            return -1;
        tn_int128 value;
        tn_timezone zone = tn_timezone_utc();
        tn_interval zero = {0, 0, 0};
        int status = type == TN_TYPE_INTERVAL
                         ? tn_interval_extract(unit, &zero, &value, &scale, err)
                         : tn_datetime_extract(unit, type, 0, &zone, &value, &scale, err);
        if (status < 0)
            return -1;
    }
    call->type = tn_type_numeric(0, scale);
    return 0;
}

static int trunc_rows(tn_vector **args, uint32_t count, const tn_timezone *zone, tn_vector *out,
                      tn_error *err)
{
    tn_datetime_unit unit = TN_UNIT_SECOND;
    bool parsed = false;
    const int64_t *values = args[1]->data;
    uint32_t sv = tn_stride(args[1]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (unit_of(args[0], i, out->type.id, &unit, &parsed, err) != 0 ||
            tn_timestamp_trunc(unit, out->type.id, values[i * sv], zone,
                               &((int64_t *)out->data)[i], err) != 0)
            return -1;
    }
    return 0;
}

static int date_trunc_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                             uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    return trunc_rows(args, count, tn_exec_timezone(context), out, err);
}

/* The zone named by row i of names (text, or an interval as a fixed
 * offset), looked up once when the name is constant. */
static int zone_of(const tn_vector *names, uint32_t row, tn_timezone *zone, bool *found, tn_error *err)
{
    if (names->is_constant && *found)
        return 0;
    *found = true;
    if (names->type.id == TN_TYPE_INTERVAL) {
        const tn_interval *span = &((const tn_interval *)names->data)[names->is_constant ? 0 : row];
        if (span->months != 0 || span->days != 0) {
            char text[TN_FORMAT_SIZE];
            text[tn_format_interval(span, text)] = '\0';
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                "interval time zone \"%s\" must not include months or days", text);
        }
        zone->rules = NULL;
        zone->utc_offset = (int32_t)(span->micros / TN_USECS_PER_SEC);
        return 0;
    }
    const tn_string *name = STR(names, row);
    return tn_timezone_lookup(tn_string_data(name), name->length, zone, err);
}

/* date_trunc(unit, timestamptz, zone): truncated in zone, not the session's. */
static int date_trunc_zone_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                  uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    tn_datetime_unit unit = TN_UNIT_SECOND;
    bool parsed = false, found = false;
    tn_timezone zone;
    const int64_t *values = args[1]->data;
    uint32_t sv = tn_stride(args[1]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (unit_of(args[0], i, TN_TYPE_TIMESTAMPTZ, &unit, &parsed, err) != 0 ||
            zone_of(args[2], i, &zone, &found, err) != 0 ||
            tn_timestamp_trunc(unit, TN_TYPE_TIMESTAMPTZ, values[i * sv], &zone, &((int64_t *)out->data)[i],
                               err) != 0)
            return -1;
    }
    return 0;
}

/* timezone(zone, ts): AT TIME ZONE.  A timestamptz becomes the wall-clock
 * time in zone; a timestamp is read as a wall-clock time in zone. */
static int at_time_zone_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                               uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    tn_timezone zone;
    bool found = false;
    const int64_t *values = args[1]->data;
    uint32_t sv = tn_stride(args[1]);
    bool to_local = args[1]->type.id == TN_TYPE_TIMESTAMPTZ;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int64_t *r = &((int64_t *)out->data)[i];
        if (zone_of(args[0], i, &zone, &found, err) != 0 ||
            (to_local ? tn_timestamptz_to_timestamp(values[i * sv], &zone, r, err)
                      : tn_timestamp_to_timestamptz(values[i * sv], &zone, r, err)) != 0)
            return -1;
    }
    return 0;
}

/* current_setting(name): only TimeZone has a value to report. */
static int current_setting_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                  uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *name = STR(args[0], i);
        if (name->length != 8 || strncasecmp(tn_string_data(name), "timezone", 8) != 0)
            return tn_error_set(err, TN_ERR_UNDEFINED_OBJECT, 0, "unrecognized configuration parameter \"%.*s\"",
                                (int)name->length, tn_string_data(name));
        const char *text = tn_timezone_name(tn_exec_timezone(context));
        if (tn_vector_set_string(out, i, text, strlen(text)) != 0)
            return tn_error_oom(err);
    }
    return 0;
}

static int interval_trunc_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    tn_datetime_unit unit = TN_UNIT_SECOND;
    bool parsed = false;
    const tn_interval *values = args[1]->data;
    uint32_t sv = tn_stride(args[1]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (unit_of(args[0], i, TN_TYPE_INTERVAL, &unit, &parsed, err) != 0 ||
            tn_interval_trunc(unit, &values[i * sv], &((tn_interval *)out->data)[i], err) != 0)
            return -1;
    }
    return 0;
}

TN_ROW_KERNEL2(age_kernel, int64_t, int64_t, tn_interval,
               { if (tn_timestamp_age(x, y, &r[i], err) != 0) return -1; })

static int make_date_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                            uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    const int32_t *years = args[0]->data, *months = args[1]->data, *days = args[2]->data;
    uint32_t sy = tn_stride(args[0]), sm = tn_stride(args[1]), sd = tn_stride(args[2]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int32_t year = years[i * sy], month = months[i * sm], day = days[i * sd];
        int64_t astronomical = year < 0 ? (int64_t)year + 1 : year;
        if (year == 0 || month < 1 || month > 12 || day < 1 ||
            day > tn_date_days_in_month(astronomical, month))
            return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                                "date field value out of range: %d-%02d-%02d", year, month, day);
        int64_t date = tn_date_from_ymd(astronomical, month, day);
        if (!tn_date_in_range(date))
            return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "date out of range: %d-%02d-%02d",
                                year, month, day);
        ((int32_t *)out->data)[i] = (int32_t)date;
    }
    return 0;
}

#define JUSTIFY(NAME, FN)                                                                          \
    TN_ROW_KERNEL1(NAME, tn_interval, tn_interval, {                                               \
        if (FN(&x, &r[i], err) != 0)                                                               \
            return -1;                                                                             \
    })
JUSTIFY(justify_days_kernel, tn_interval_justify_days)
JUSTIFY(justify_hours_kernel, tn_interval_justify_hours)
JUSTIFY(justify_interval_kernel, tn_interval_justify_interval)

/* age(t): from midnight of the statement's day, as PostgreSQL's age(timestamp). */
static int age1_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                       uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    int64_t midnight = context->statement_time - (context->statement_time % INT64_C(86400000000) +
                                                  INT64_C(86400000000)) % INT64_C(86400000000);
    const int64_t *values = args[0]->data;
    uint32_t sv = tn_stride(args[0]);
    for (uint32_t i = 0; i < count; i++) {
        if (tn_vector_is_valid(out, i) &&
            tn_timestamp_age(midnight, values[i * sv], &((tn_interval *)out->data)[i], err) != 0)
            return -1;
    }
    return 0;
}

/* make_timestamp(year, month, day, hour, min, sec double). */
static int make_timestamp_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int32_t part[5];
        for (int k = 0; k < 5; k++) {
            double value = *(const double *)tn_vector_row_ptr(args[k], i);
            part[k] = value >= INT32_MIN && value <= INT32_MAX ? (int32_t)value : INT32_MIN;
        }
        double seconds = *(const double *)tn_vector_row_ptr(args[5], i);
        int64_t year = part[0] < 0 ? (int64_t)part[0] + 1 : part[0];
        if (part[0] == 0 || part[1] < 1 || part[1] > 12 || part[2] < 1 ||
            part[2] > tn_date_days_in_month(year, part[1]) || part[3] < 0 || part[3] > 24 ||
            part[4] < 0 || part[4] > 59 || !(seconds >= 0 && seconds <= 60) ||
            (part[3] == 24 && (part[4] > 0 || seconds > 0)))
            return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0,
                                "date field value out of range: %d-%02d-%02d", part[0], part[1], part[2]);
        int64_t micros = (int64_t)rint(seconds * 1000000.0);
        int64_t days = tn_date_from_ymd(year, part[1], part[2]);
        int64_t ts = days * INT64_C(86400000000) + ((int64_t)part[3] * 3600 + part[4] * 60) * INT64_C(1000000) + micros;
        if (!tn_date_in_range(days) || !tn_timestamp_in_range(ts))
            return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "timestamp out of range");
        ((int64_t *)out->data)[i] = ts;
    }
    return 0;
}

/* make_interval(years, months, weeks, days, hours, mins, secs), trailing
 * arguments optional (named arguments need the binder). */
static int make_interval_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int64_t part[6] = {0, 0, 0, 0, 0, 0};
        double seconds = 0;
        for (int k = 0; k < call->arg_count; k++) {
            double value = *(const double *)tn_vector_row_ptr(args[k], i);
            if (k == 6)
                seconds = value;
            else if (value >= INT32_MIN && value <= INT32_MAX)
                part[k] = (int64_t)value;
            else
                return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "integer out of range");
        }
        int64_t months = part[0] * 12 + part[1], days = part[2] * 7 + part[3];
        double micros = (double)(part[4] * 3600 + part[5] * 60) * 1e6 + seconds * 1e6;
        if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN ||
            isnan(micros) || fabs(micros) >= 9.2e18)
            return tn_error_set(err, TN_ERR_DATETIME_FIELD_OVERFLOW, 0, "interval out of range");
        tn_interval *r = &((tn_interval *)out->data)[i];
        r->months = (int32_t)months;
        r->days = (int32_t)days;
        r->micros = (int64_t)rint(micros);
    }
    return 0;
}

TN_ROW_KERNEL1(isfinite_date_kernel, int32_t, uint8_t, { r[i] = tn_date_is_finite(x); })
TN_ROW_KERNEL1(isfinite_timestamp_kernel, int64_t, uint8_t, { r[i] = tn_timestamp_is_finite(x); })

/* The catalog holds at most four typed arguments, so make_timestamp and
 * make_interval take their arguments as double precision (variadic) and
 * check the count here. */
static int check_arity(const tn_expr *call, const char *name, int low, int high, tn_error *err)
{
    if (call->arg_count >= low && call->arg_count <= high)
        return 0;
    tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, call->location,
                 "function %s with %d arguments does not exist", name, call->arg_count);
    tn_error_hint(err, "No function matches the given name and argument types. You might need to "
                       "add explicit type casts.");
    return -1;
}

static int bind_make_timestamp(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    return check_arity(call, "make_timestamp", 6, 6, err);
}

static int bind_make_interval(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    return check_arity(call, "make_interval", 1, 7, err);
}

#define STABLE0(NAME, R, KERNEL) {NAME, 0, {0}, TN_T(R), TN_STABLE, true, KERNEL, NULL}
#define STABLE2(NAME, A, B, R, KERNEL, BIND) \
    {NAME, 2, {TN_T(A), TN_T(B)}, TN_T(R), TN_STABLE, true, KERNEL, BIND}
#define PART_ENTRIES(ID, FN)                                                                       \
    FN("date_part", TEXT, ID, FLOAT64, extract_kernel, NULL),                                      \
    FN("extract", TEXT, ID, NUMERIC, extract_kernel, bind_extract),

static const tn_scalar_function functions[] = {
    STABLE0("now", TIMESTAMPTZ, now_kernel),
    STABLE0("current_timestamp", TIMESTAMPTZ, now_kernel),
    STABLE0("transaction_timestamp", TIMESTAMPTZ, now_kernel),
    STABLE0("statement_timestamp", TIMESTAMPTZ, now_kernel),
    STABLE0("localtimestamp", TIMESTAMP, localtimestamp_kernel),
    STABLE0("current_date", DATE, current_date_kernel),
    PART_ENTRIES(DATE, TN_FN2)
    PART_ENTRIES(TIMESTAMP, TN_FN2)
    PART_ENTRIES(TIMESTAMPTZ, STABLE2)
    PART_ENTRIES(INTERVAL, TN_FN2)
    PART_ENTRIES(TIME, TN_FN2)
    TN_FN2("date_trunc", TEXT, TIMESTAMP, TIMESTAMP, date_trunc_kernel, NULL),
    STABLE2("date_trunc", TEXT, TIMESTAMPTZ, TIMESTAMPTZ, date_trunc_kernel, NULL),
    TN_FN3("date_trunc", TEXT, TIMESTAMPTZ, TEXT, TIMESTAMPTZ, date_trunc_zone_kernel, NULL),
    TN_FN2("timezone", TEXT, TIMESTAMPTZ, TIMESTAMP, at_time_zone_kernel, NULL),
    TN_FN2("timezone", TEXT, TIMESTAMP, TIMESTAMPTZ, at_time_zone_kernel, NULL),
    TN_FN2("timezone", INTERVAL, TIMESTAMPTZ, TIMESTAMP, at_time_zone_kernel, NULL),
    TN_FN2("timezone", INTERVAL, TIMESTAMP, TIMESTAMPTZ, at_time_zone_kernel, NULL),
    {"current_setting", 1, {TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_STABLE, true, current_setting_kernel, NULL},
    TN_FN2("date_trunc", TEXT, INTERVAL, INTERVAL, interval_trunc_kernel, NULL),
    TN_FN2("age", TIMESTAMP, TIMESTAMP, INTERVAL, age_kernel, NULL),
    STABLE2("age", TIMESTAMPTZ, TIMESTAMPTZ, INTERVAL, age_kernel, NULL),
    TN_FN3("make_date", INT32, INT32, INT32, DATE, make_date_kernel, NULL),
    TN_FN1("justify_days", INTERVAL, INTERVAL, justify_days_kernel, NULL),
    TN_FN1("justify_hours", INTERVAL, INTERVAL, justify_hours_kernel, NULL),
    TN_FN1("justify_interval", INTERVAL, INTERVAL, justify_interval_kernel, NULL),
    {"age", 1, {TN_TYPE_TIMESTAMP}, TN_TYPE_INTERVAL, TN_STABLE, true, age1_kernel, NULL},
    {"age", 1, {TN_TYPE_TIMESTAMPTZ}, TN_TYPE_INTERVAL, TN_STABLE, true, age1_kernel, NULL},
    TN_FN1("isfinite", DATE, BOOL, isfinite_date_kernel, NULL),
    TN_FN1("isfinite", TIMESTAMP, BOOL, isfinite_timestamp_kernel, NULL),
    TN_FN1("isfinite", TIMESTAMPTZ, BOOL, isfinite_timestamp_kernel, NULL),
    {"make_timestamp", -1, {TN_TYPE_FLOAT64}, TN_TYPE_TIMESTAMP, TN_IMMUTABLE, true,
     make_timestamp_kernel, bind_make_timestamp},
    {"make_interval", -1, {TN_TYPE_FLOAT64}, TN_TYPE_INTERVAL, TN_IMMUTABLE, true, make_interval_kernel,
     bind_make_interval},
};

const tn_function_list tn_func_datetime_list = {functions, sizeof functions / sizeof functions[0]};
