/*
 * Arithmetic operators: + - * / % and unary - and + over integers, floats,
 * NUMERIC, dates, timestamps and intervals, with PostgreSQL's results and
 * errors (22003 "integer out of range", 22012 "division by zero", float
 * overflow and underflow).  Integer and float kernels are stamped per C
 * type from one template; NUMERIC and date/time kernels call the types
 * layer once per valid row because each value may fail on its own.
 */
#include "exec/exec_int.h"

#include <math.h>

#include "types/datetime.h"
#include "types/numeric.h"

static int range_error(tn_error *err, const char *message)
{
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "%s", message);
}

static int zero_error(tn_error *err)
{
    return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
}

#define INT16_RANGE "smallint out of range"
#define INT32_RANGE "integer out of range"
#define INT64_RANGE "bigint out of range"

/* ---- integers ---- */

#define INT_KERNEL_HEAD(NAME, CT)                                                                  \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        const CT *a = args[0]->data;                                                               \
        const CT *b = args[1]->data;                                                               \
        CT *r = out->data;                                                                         \
        uint32_t sa = tn_stride(args[0]), sb = tn_stride(args[1]);

#define INT_OVERFLOW_KERNEL(NAME, CT, BUILTIN, MESSAGE)                                            \
    INT_KERNEL_HEAD(NAME, CT)                                                                      \
    for (uint32_t i = 0; i < count; i++) {                                                         \
        if (BUILTIN(a[i * sa], b[i * sb], &r[i]) && tn_vector_is_valid(out, i))                    \
            return range_error(err, MESSAGE);                                                      \
    }                                                                                              \
    return 0;                                                                                      \
    }

/* Division and modulo test the divisor of every row: a zero (or -1 with
 * the minimum value) under a NULL must not trap. */
#define INT_DIVIDE_KERNELS(ID, CT, MESSAGE)                                                        \
    INT_KERNEL_HEAD(div_##ID, CT)                                                                  \
    for (uint32_t i = 0; i < count; i++) {                                                         \
        CT x = a[i * sa], y = b[i * sb];                                                           \
        if (y == 0 || y == -1) {                                                                   \
            if (!tn_vector_is_valid(out, i)) {                                                     \
                r[i] = 0;                                                                          \
                continue;                                                                          \
            }                                                                                      \
            if (y == 0)                                                                            \
                return zero_error(err);                                                            \
            if (__builtin_sub_overflow((CT)0, x, &r[i]))                                           \
                return range_error(err, MESSAGE);                                                  \
            continue;                                                                              \
        }                                                                                          \
        r[i] = (CT)(x / y);                                                                        \
    }                                                                                              \
    return 0;                                                                                      \
    }                                                                                              \
    INT_KERNEL_HEAD(mod_##ID, CT)                                                                  \
    for (uint32_t i = 0; i < count; i++) {                                                         \
        CT x = a[i * sa], y = b[i * sb];                                                           \
        if (y == 0 || y == -1) {                                                                   \
            if (y == 0 && tn_vector_is_valid(out, i))                                              \
                return zero_error(err);                                                            \
            r[i] = 0;                                                                              \
            continue;                                                                              \
        }                                                                                          \
        r[i] = (CT)(x % y);                                                                        \
    }                                                                                              \
    return 0;                                                                                      \
    }

#define INT_KERNELS(ID, CT)                                                                        \
    INT_OVERFLOW_KERNEL(add_##ID, CT, __builtin_add_overflow, ID##_RANGE)                          \
    INT_OVERFLOW_KERNEL(sub_##ID, CT, __builtin_sub_overflow, ID##_RANGE)                          \
    INT_OVERFLOW_KERNEL(mul_##ID, CT, __builtin_mul_overflow, ID##_RANGE)                          \
    INT_DIVIDE_KERNELS(ID, CT, ID##_RANGE)                                                         \
    TN_ROW_KERNEL1(neg_##ID, CT, CT, {                                                             \
        if (__builtin_sub_overflow((CT)0, x, &r[i]))                                               \
            return range_error(err, ID##_RANGE);                                                   \
    })
TN_INTEGER_TYPES(INT_KERNELS)

/* ---- floats ---- */

#define FLOAT_KERNELS(ID, CT)                                                                      \
    TN_ROW_KERNEL2(add_##ID, CT, CT, CT, {                                                         \
        r[i] = x + y;                                                                              \
        if (isinf(r[i]) && !isinf(x) && !isinf(y))                                                 \
            return range_error(err, "value out of range: overflow");                               \
    })                                                                                             \
    TN_ROW_KERNEL2(sub_##ID, CT, CT, CT, {                                                         \
        r[i] = x - y;                                                                              \
        if (isinf(r[i]) && !isinf(x) && !isinf(y))                                                 \
            return range_error(err, "value out of range: overflow");                               \
    })                                                                                             \
    TN_ROW_KERNEL2(mul_##ID, CT, CT, CT, {                                                         \
        r[i] = x * y;                                                                              \
        if (isinf(r[i]) && !isinf(x) && !isinf(y))                                                 \
            return range_error(err, "value out of range: overflow");                               \
        if (r[i] == 0 && x != 0 && y != 0)                                                         \
            return range_error(err, "value out of range: underflow");                              \
    })                                                                                             \
    TN_ROW_KERNEL2(div_##ID, CT, CT, CT, {                                                         \
        if (y == 0)                                                                                \
            return zero_error(err);                                                                \
        r[i] = x / y;                                                                              \
        if (isinf(r[i]) && !isinf(x))                                                              \
            return range_error(err, "value out of range: overflow");                               \
        if (r[i] == 0 && x != 0 && !isinf(y))                                                      \
            return range_error(err, "value out of range: underflow");                              \
    })                                                                                             \
    TN_ROW_KERNEL1(neg_##ID, CT, CT, { r[i] = -x; })
TN_FLOAT_TYPES(FLOAT_KERNELS)

/* ---- NUMERIC: each value at its own scale ----
 *
 * The result of an unconstrained numeric operator carries the scale
 * PostgreSQL gives that very value: + - % the larger operand scale, * the
 * sum, / select_div_scale of the two operands.  The type's scale chosen at
 * bind time is only the estimate for readers that need one (a column of
 * one scale). */

typedef int (*numeric_operation)(tn_int128 a, int a_scale, tn_int128 b, int b_scale,
                                 tn_int128 *out, int *out_scale, tn_error *err);

static int numeric_rows(tn_vector **args, uint32_t count, tn_vector *out,
                        numeric_operation operation, tn_error *err)
{
    const tn_int128 *a = args[0]->data, *b = args[1]->data;
    uint32_t sa = tn_stride(args[0]), sb = tn_stride(args[1]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        tn_int128 value;
        int scale;
        if (operation(a[i * sa], tn_vector_numeric_scale(args[0], i), b[i * sb],
                      tn_vector_numeric_scale(args[1], i), &value, &scale, err) != 0 ||
            tn_vector_set_numeric(out, i, value, scale, err) != 0)
            return -1;
    }
    return 0;
}

#define NUMERIC_KERNEL(NAME, OPERATION)                                                            \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        return numeric_rows(args, count, out, OPERATION, err);                                     \
    }
NUMERIC_KERNEL(add_numeric, tn_numeric_add)
NUMERIC_KERNEL(sub_numeric, tn_numeric_sub)
NUMERIC_KERNEL(mul_numeric, tn_numeric_mul)
NUMERIC_KERNEL(div_numeric, tn_numeric_div)
NUMERIC_KERNEL(mod_numeric, tn_numeric_mod)

TN_ROW_KERNEL1(neg_numeric, tn_int128, tn_int128, {
    if (tn_vector_set_numeric(out, i, -x, tn_vector_numeric_scale(args[0], i), err) != 0)
        return -1;
})

TN_ROW_KERNEL1(plus_numeric, tn_int128, tn_int128, {
    if (tn_vector_set_numeric(out, i, x, tn_vector_numeric_scale(args[0], i), err) != 0)
        return -1;
})

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static int bind_numeric_result(tn_expr *call, int scale)
{
    call->type = tn_type_numeric(0, scale > TN_NUMERIC_MAX_PRECISION ? TN_NUMERIC_MAX_PRECISION : scale);
    return 0;
}

static int bind_numeric_max_scale(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    return bind_numeric_result(call, max_int(call->args[0]->type.scale, call->args[1]->type.scale));
}

static int bind_numeric_mul(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    return bind_numeric_result(call, call->args[0]->type.scale + call->args[1]->type.scale);
}

/* Division: the scale of two operands of similar magnitude (16 significant
 * decimals); each row's actual scale follows its values. */
static int bind_numeric_div(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    return bind_numeric_result(call, max_int(16, max_int(call->args[0]->type.scale,
                                                         call->args[1]->type.scale)));
}

static int bind_numeric_unary(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    call->type = tn_type_numeric(0, call->args[0]->type.scale);
    return 0;
}

static int identity(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                    uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    (void)err;
    memcpy(out->data, args[0]->data, tn_type_size(out->type.id) * count);
    return 0;
}

/* ---- dates, timestamps, intervals ---- */

TN_ROW_KERNEL2(date_plus_int, int32_t, int32_t, int32_t,
               { if (tn_date_add_days(x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(int_plus_date, int32_t, int32_t, int32_t,
               { if (tn_date_add_days(y, x, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(date_minus_int, int32_t, int32_t, int32_t,
               { if (tn_date_add_days(x, -(int64_t)y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(date_minus_date, int32_t, int32_t, int32_t,
               { if (tn_date_diff(x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(date_plus_interval, int32_t, tn_interval, int64_t, {
    int64_t ts;
    if (tn_date_to_timestamp(x, &ts, err) != 0 || tn_timestamp_add_interval(ts, &y, &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(interval_plus_date, tn_interval, int32_t, int64_t, {
    int64_t ts;
    if (tn_date_to_timestamp(y, &ts, err) != 0 || tn_timestamp_add_interval(ts, &x, &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(date_minus_interval, int32_t, tn_interval, int64_t, {
    int64_t ts;
    if (tn_date_to_timestamp(x, &ts, err) != 0 || tn_timestamp_sub_interval(ts, &y, &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(ts_plus_interval, int64_t, tn_interval, int64_t,
               { if (tn_timestamp_add_interval(x, &y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(interval_plus_ts, tn_interval, int64_t, int64_t,
               { if (tn_timestamp_add_interval(y, &x, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(ts_minus_interval, int64_t, tn_interval, int64_t,
               { if (tn_timestamp_sub_interval(x, &y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(tstz_plus_interval, int64_t, tn_interval, int64_t, {
    if (tn_timestamptz_add_interval(x, &y, tn_exec_timezone(context), &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(interval_plus_tstz, tn_interval, int64_t, int64_t, {
    if (tn_timestamptz_add_interval(y, &x, tn_exec_timezone(context), &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(tstz_minus_interval, int64_t, tn_interval, int64_t, {
    tn_interval negated;
    if (tn_interval_negate(&y, &negated, err) != 0 ||
        tn_timestamptz_add_interval(x, &negated, tn_exec_timezone(context), &r[i], err) != 0)
        return -1;
})
TN_ROW_KERNEL2(ts_minus_ts, int64_t, int64_t, tn_interval,
               { if (tn_timestamp_diff(x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(interval_add, tn_interval, tn_interval, tn_interval,
               { if (tn_interval_add(&x, &y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(interval_sub, tn_interval, tn_interval, tn_interval,
               { if (tn_interval_sub(&x, &y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(interval_mul, tn_interval, double, tn_interval,
               { if (tn_interval_mul(&x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(mul_interval, double, tn_interval, tn_interval,
               { if (tn_interval_mul(&y, x, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(interval_div, tn_interval, double, tn_interval,
               { if (tn_interval_div(&x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL1(interval_neg, tn_interval, tn_interval,
               { if (tn_interval_negate(&x, &r[i], err) != 0) return -1; })

#define ARITH_ENTRIES(ID, CT)                                \
    TN_FN2("+", ID, ID, ID, add_##ID, NULL),                 \
    TN_FN2("-", ID, ID, ID, sub_##ID, NULL),                 \
    TN_FN2("*", ID, ID, ID, mul_##ID, NULL),                 \
    TN_FN2("/", ID, ID, ID, div_##ID, NULL),                 \
    TN_FN1("-", ID, ID, neg_##ID, NULL),                     \
    TN_FN1("+", ID, ID, identity, NULL),
#define MOD_ENTRIES(ID, CT) TN_FN2("%", ID, ID, ID, mod_##ID, NULL),

static const tn_scalar_function functions[] = {
    TN_INTEGER_TYPES(ARITH_ENTRIES)
    TN_INTEGER_TYPES(MOD_ENTRIES)
    TN_FLOAT_TYPES(ARITH_ENTRIES)
    TN_FN2("+", NUMERIC, NUMERIC, NUMERIC, add_numeric, bind_numeric_max_scale),
    TN_FN2("-", NUMERIC, NUMERIC, NUMERIC, sub_numeric, bind_numeric_max_scale),
    TN_FN2("*", NUMERIC, NUMERIC, NUMERIC, mul_numeric, bind_numeric_mul),
    TN_FN2("/", NUMERIC, NUMERIC, NUMERIC, div_numeric, bind_numeric_div),
    TN_FN2("%", NUMERIC, NUMERIC, NUMERIC, mod_numeric, bind_numeric_max_scale),
    TN_FN1("-", NUMERIC, NUMERIC, neg_numeric, bind_numeric_unary),
    TN_FN1("+", NUMERIC, NUMERIC, plus_numeric, bind_numeric_unary),
    TN_FN2("+", DATE, INT32, DATE, date_plus_int, NULL),
    TN_FN2("+", INT32, DATE, DATE, int_plus_date, NULL),
    TN_FN2("-", DATE, INT32, DATE, date_minus_int, NULL),
    TN_FN2("-", DATE, DATE, INT32, date_minus_date, NULL),
    TN_FN2("+", DATE, INTERVAL, TIMESTAMP, date_plus_interval, NULL),
    TN_FN2("+", INTERVAL, DATE, TIMESTAMP, interval_plus_date, NULL),
    TN_FN2("-", DATE, INTERVAL, TIMESTAMP, date_minus_interval, NULL),
    TN_FN2("+", TIMESTAMP, INTERVAL, TIMESTAMP, ts_plus_interval, NULL),
    TN_FN2("+", INTERVAL, TIMESTAMP, TIMESTAMP, interval_plus_ts, NULL),
    TN_FN2("-", TIMESTAMP, INTERVAL, TIMESTAMP, ts_minus_interval, NULL),
    TN_FN2("-", TIMESTAMP, TIMESTAMP, INTERVAL, ts_minus_ts, NULL),
    TN_FN2("+", TIMESTAMPTZ, INTERVAL, TIMESTAMPTZ, tstz_plus_interval, NULL),
    TN_FN2("+", INTERVAL, TIMESTAMPTZ, TIMESTAMPTZ, interval_plus_tstz, NULL),
    TN_FN2("-", TIMESTAMPTZ, INTERVAL, TIMESTAMPTZ, tstz_minus_interval, NULL),
    TN_FN2("-", TIMESTAMPTZ, TIMESTAMPTZ, INTERVAL, ts_minus_ts, NULL),
    TN_FN2("+", INTERVAL, INTERVAL, INTERVAL, interval_add, NULL),
    TN_FN2("-", INTERVAL, INTERVAL, INTERVAL, interval_sub, NULL),
    TN_FN2("*", INTERVAL, FLOAT64, INTERVAL, interval_mul, NULL),
    TN_FN2("*", FLOAT64, INTERVAL, INTERVAL, mul_interval, NULL),
    TN_FN2("/", INTERVAL, FLOAT64, INTERVAL, interval_div, NULL),
    TN_FN1("-", INTERVAL, INTERVAL, interval_neg, NULL),
    TN_FN1("+", INTERVAL, INTERVAL, identity, NULL),
};

const tn_function_list tn_func_arith_list = {functions, sizeof functions / sizeof functions[0]};
