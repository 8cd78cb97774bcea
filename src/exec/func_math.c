/*
 * Mathematical functions: abs, sign, round, trunc, floor, ceil, mod,
 * power, sqrt, cbrt, exp, ln, log, pi, random and the trigonometric ones,
 * with PostgreSQL's overloads (double precision and NUMERIC, integers for
 * abs and mod) and its domain errors (2201E, 2201F).  NUMERIC rounding uses
 * the types layer; a NUMERIC round/trunc whose digits are a constant gets
 * PostgreSQL's exact result scale.
 */
#include "exec/exec_int.h"

#include <math.h>

#include "types/numeric.h"

static int range_error(tn_error *err, const char *message)
{
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "%s", message);
}

/* ---- abs, sign, mod over integers ---- */

#define INT_MATH(ID, CT)                                                                           \
    TN_ROW_KERNEL1(abs_##ID, CT, CT, {                                                             \
        if (x < 0 && __builtin_sub_overflow((CT)0, x, &r[i]))                                      \
            return range_error(err, ID##_RANGE);                                                   \
        if (x >= 0)                                                                                \
            r[i] = x;                                                                              \
    })                                                                                             \
    TN_ROW_KERNEL2(mod_##ID, CT, CT, CT, {                                                         \
        if (y == 0)                                                                                \
            return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");              \
        r[i] = y == -1 ? 0 : (CT)(x % y);                                                          \
    })
#define INT16_RANGE "smallint out of range"
#define INT32_RANGE "integer out of range"
#define INT64_RANGE "bigint out of range"
TN_INTEGER_TYPES(INT_MATH)

TN_ROW_KERNEL1(abs_FLOAT32, float, float, { r[i] = fabsf(x); })
TN_ROW_KERNEL1(abs_FLOAT64, double, double, { r[i] = fabs(x); })
/* NUMERIC kernels read each row's own scale and store each result at the
 * scale PostgreSQL gives that value. */
#define ROW_SCALE(k) tn_vector_numeric_scale(args[k], i)

TN_ROW_KERNEL1(abs_NUMERIC, tn_int128, tn_int128, {
    if (tn_vector_set_numeric(out, i, x < 0 ? -x : x, ROW_SCALE(0), err) != 0)
        return -1;
})
TN_ROW_KERNEL1(sign_FLOAT64, double, double, { r[i] = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; })
TN_ROW_KERNEL1(sign_NUMERIC, tn_int128, tn_int128, {
    r[i] = (x > 0) - (x < 0);
    r[i] *= tn_numeric_pow10(out->type.scale);
})

TN_ROW_KERNEL2(mod_NUMERIC, tn_int128, tn_int128, tn_int128, {
    int scale;
    tn_int128 value;
    if (tn_numeric_mod(x, ROW_SCALE(0), y, ROW_SCALE(1), &value, &scale, err) != 0 ||
        tn_vector_set_numeric(out, i, value, scale, err) != 0)
        return -1;
})

/* ---- rounding ---- */

TN_ROW_KERNEL1(round_FLOAT64, double, double, { r[i] = rint(x); })
TN_ROW_KERNEL1(trunc_FLOAT64, double, double, { r[i] = trunc(x); })
TN_ROW_KERNEL1(floor_FLOAT64, double, double, { r[i] = floor(x); })
TN_ROW_KERNEL1(ceil_FLOAT64, double, double, { r[i] = ceil(x); })

/* NUMERIC round/trunc to digits: the result's scale is max(digits, 0). */
#define NUMERIC_ROUNDING(NAME, OPERATION)                                                          \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        const tn_int128 *a = args[0]->data;                                                        \
        const int32_t *digits = call->arg_count > 1 ? args[1]->data : NULL;                        \
        uint32_t sa = tn_stride(args[0]), sd = call->arg_count > 1 ? tn_stride(args[1]) : 0;       \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            if (!tn_vector_is_valid(out, i))                                                       \
                continue;                                                                          \
            tn_int128 value;                                                                       \
            int scale, want = digits != NULL ? digits[i * sd] : 0;                                 \
            if (OPERATION(a[i * sa], ROW_SCALE(0), want, &value, &scale, err) != 0 ||              \
                tn_vector_set_numeric(out, i, value, scale, err) != 0)                             \
                return -1;                                                                         \
        }                                                                                          \
        return 0;                                                                                  \
    }
NUMERIC_ROUNDING(round_NUMERIC, tn_numeric_round)
NUMERIC_ROUNDING(trunc_NUMERIC, tn_numeric_trunc)

/* floor/ceil of a NUMERIC: truncate, then step away from zero when a
 * fraction was cut on the side that needs it. */
static int floor_ceil(const tn_vector *arg, uint32_t count, tn_vector *out, bool ceiling, tn_error *err)
{
    const tn_int128 *a = arg->data;
    uint32_t sa = tn_stride(arg);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        tn_int128 value;
        int scale, arg_scale = tn_vector_numeric_scale(arg, i);
        if (tn_numeric_trunc(a[i * sa], arg_scale, 0, &value, &scale, err) != 0)
            return -1;
        tn_int128 whole = value * tn_numeric_pow10(arg_scale);
        if (ceiling && a[i * sa] > whole)
            value += 1;
        if (!ceiling && a[i * sa] < whole)
            value -= 1;
        if (tn_vector_set_numeric(out, i, value, 0, err) != 0)
            return -1;
    }
    return 0;
}

static int floor_NUMERIC(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return floor_ceil(args[0], count, out, false, err);
}

static int ceil_NUMERIC(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                        uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return floor_ceil(args[0], count, out, true, err);
}

/* Result scale of a NUMERIC round/trunc: the constant digits (at least 0),
 * else the input's scale. */
static int bind_rounding(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    int scale = 0;
    if (call->arg_count > 1) {
        const tn_expr *digits = call->args[1];
        if (digits->kind == TN_EXPR_CONSTANT && !digits->value.is_null)
            scale = digits->value.u.integer > 0 ? (int)digits->value.u.integer : 0;
        else
            scale = call->args[0]->type.scale;
        if (scale > TN_NUMERIC_MAX_PRECISION)
            scale = TN_NUMERIC_MAX_PRECISION;
    }
    call->type = tn_type_numeric(0, scale);
    return 0;
}

static int bind_same_scale(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    int scale = call->args[0]->type.scale;
    if (call->arg_count > 1 && call->args[1]->type.scale > scale)
        scale = call->args[1]->type.scale;
    call->type = tn_type_numeric(0, scale);
    return 0;
}

/* ---- powers, roots, logarithms ---- */

TN_ROW_KERNEL1(sqrt_FLOAT64, double, double, {
    if (x < 0)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                            "cannot take square root of a negative number");
    r[i] = sqrt(x);
})
TN_ROW_KERNEL1(cbrt_FLOAT64, double, double, { r[i] = cbrt(x); })
TN_ROW_KERNEL1(exp_FLOAT64, double, double, {
    r[i] = exp(x);
    if (isinf(r[i]) && !isinf(x))
        return range_error(err, "value out of range: overflow");
    if (r[i] == 0 && !isinf(x))
        return range_error(err, "value out of range: underflow");
})

static int check_log_argument(double x, tn_error *err)
{
    if (x == 0)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_LOG, 0, "cannot take logarithm of zero");
    if (x < 0)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_LOG, 0,
                            "cannot take logarithm of a negative number");
    return 0;
}

TN_ROW_KERNEL1(ln_FLOAT64, double, double, {
    if (check_log_argument(x, err) != 0)
        return -1;
    r[i] = log(x);
})
TN_ROW_KERNEL1(log10_FLOAT64, double, double, {
    if (check_log_argument(x, err) != 0)
        return -1;
    r[i] = log10(x);
})

TN_ROW_KERNEL2(power_FLOAT64, double, double, double, {
    if (x == 0 && y < 0)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                            "zero raised to a negative power is undefined");
    if (x < 0 && floor(y) != y)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                            "a negative number raised to a non-integer power yields a complex result");
    r[i] = pow(x, y);
    if (isinf(r[i]) && !isinf(x) && !isinf(y))
        return range_error(err, "value out of range: overflow");
})

#define TRIG(NAME, FN) TN_ROW_KERNEL1(NAME##_FLOAT64, double, double, { r[i] = FN(x); })
TRIG(sin, sin)
TRIG(cos, cos)
TRIG(tan, tan)
TRIG(asin, asin)
TRIG(acos, acos)
TRIG(atan, atan)
TRIG(degrees, 180.0 / M_PI *)
TRIG(radians, M_PI / 180.0 *)
TN_ROW_KERNEL2(atan2_FLOAT64, double, double, double, { r[i] = atan2(x, y); })

static int pi_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                     uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    (void)args;
    (void)err;
    for (uint32_t i = 0; i < count; i++)
        ((double *)out->data)[i] = M_PI;
    return 0;
}

/* random(): xorshift64* over the session's state, a fresh value per row. */
static int random_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    (void)call;
    (void)args;
    (void)err;
    uint64_t local = 0x9E3779B97F4A7C15u;
    uint64_t *state = context->random_state != NULL ? context->random_state : &local;
    if (*state == 0)
        *state = 0x9E3779B97F4A7C15u;
    for (uint32_t i = 0; i < count; i++) {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        uint64_t bits = *state * 0x2545F4914F6CDD1Du;
        ((double *)out->data)[i] = (double)(bits >> 11) * (1.0 / 9007199254740992.0);
    }
    return 0;
}

/* ---- NUMERIC sqrt, exp, ln, log, power: PostgreSQL's result scales ----
 * The scale depends on the value (numeric.c's rules below); it is exact
 * when the arguments are constants (bind time), else taken for values of
 * magnitude 1..10^4.  The value itself is computed in long double (about
 * 19 significant digits) and rounded to the scale, half away from zero. */

#define MIN_SIG_DIGITS 16

static int clamp_scale(int scale)
{
    return scale < 0 ? 0 : scale > TN_NUMERIC_MAX_PRECISION ? TN_NUMERIC_MAX_PRECISION : scale;
}

static long double numeric_long(tn_int128 value, int scale)
{
    return (long double)value / powl(10.0L, scale);
}

/* PostgreSQL's estimate_ln_dweight: decimal weight of ln(x). */
static int ln_dweight(long double x)
{
    if (x <= 0)
        return 0;
    if (x >= 0.9L && x <= 1.1L) {
        long double delta = fabsl(x - 1);
        return delta == 0 ? 0 : (int)floorl(log10l(delta));
    }
    return (int)log10l(fabsl(logl(x)));
}

/* Decimal digits before the point in NBASE (10^4) groups, as weight. */
static int nbase_weight(long double x)
{
    if (x < 1)
        return x <= 0 ? 0 : -1 - (int)floorl(-log10l(x) / 4);
    return (int)floorl(log10l(x) / 4);
}

typedef enum { OP_SQRT, OP_EXP, OP_LN, OP_LOG, OP_POWER } numeric_op;

/* Result scale of op for argument values (a, b) with scales (sa, sb). */
static int numeric_op_scale(numeric_op op, long double a, int sa, long double b, int sb)
{
    int scale = 0;
    switch (op) {
    case OP_SQRT:
        scale = MIN_SIG_DIGITS - ((nbase_weight(a) + 1) * 4 / 2 - 1);
        break;
    case OP_EXP:
        scale = MIN_SIG_DIGITS - (int)(a * 0.434294481903252L);
        break;
    case OP_LN: scale = MIN_SIG_DIGITS - ln_dweight(a); break;
    case OP_LOG: scale = MIN_SIG_DIGITS - (ln_dweight(b) - ln_dweight(a)); break;
    case OP_POWER:
        if (b == floorl(b) && fabsl(b) <= INT32_MAX)
            scale = MIN_SIG_DIGITS;
        else
            scale = a == 0 ? MIN_SIG_DIGITS
                           : MIN_SIG_DIGITS - (int)(logl(fabsl(a)) * b * 0.434294481903252L);
        break;
    }
    if (scale < sa)
        scale = sa;
    if ((op == OP_LOG || op == OP_POWER) && scale < sb)
        scale = sb;
    return clamp_scale(scale);
}

static int numeric_op_bind(tn_expr *call, numeric_op op)
{
    const tn_expr *a = call->args[0], *b = call->arg_count > 1 ? call->args[1] : NULL;
    int sa = a->type.scale, sb = b != NULL ? b->type.scale : 0;
    long double va = 1, vb = 1;
    if (op == OP_EXP || op == OP_POWER)
        va = 2;
    if (op == OP_POWER)
        vb = 0.5L;
    bool constant = a->kind == TN_EXPR_CONSTANT && !a->value.is_null &&
                    (b == NULL || (b->kind == TN_EXPR_CONSTANT && !b->value.is_null));
    if (constant) {
        va = numeric_long(a->value.u.numeric, sa);
        if (b != NULL)
            vb = numeric_long(b->value.u.numeric, sb);
    }
    call->type = tn_type_numeric(0, numeric_op_scale(op, va, sa, vb, sb));
    return 0;
}

#define NUMERIC_OP_BIND(NAME, OP)                                                                  \
    static int NAME(tn_arena *arena, tn_expr *call, tn_error *err)                                 \
    {                                                                                              \
        (void)arena;                                                                               \
        (void)err;                                                                                 \
        return numeric_op_bind(call, OP);                                                          \
    }
NUMERIC_OP_BIND(bind_sqrt, OP_SQRT)
NUMERIC_OP_BIND(bind_exp, OP_EXP)
NUMERIC_OP_BIND(bind_ln, OP_LN)
NUMERIC_OP_BIND(bind_log, OP_LOG)
NUMERIC_OP_BIND(bind_power, OP_POWER)

static int from_long(long double value, int scale, tn_int128 *out, tn_error *err)
{
    long double scaled = roundl(value * powl(10.0L, scale));
    if (!(fabsl(scaled) < 1e38L))
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value overflows numeric format");
    *out = (tn_int128)scaled;
    return 0;
}

/* x^n exactly for an integer n, rounded to scale; 1 when the exact value
 * does not fit (the caller then uses long double). */
static int integer_power(tn_int128 x, int sx, int64_t n, int scale, tn_int128 *out, tn_error *err)
{
    if (n == 0) {
        *out = tn_numeric_pow10(scale);
        return 0;
    }
    tn_int128 result = 1;
    int result_scale = 0;
    tn_error local = TN_ERROR_INIT;
    for (int64_t k = 0; k < (n < 0 ? -n : n); k++) {
        if (k > 256 || tn_numeric_mul(result, result_scale, x, sx, &result, &result_scale, &local) != 0) {
            tn_error_clear(&local);
            return 1;
        }
        if (result_scale > TN_NUMERIC_MAX_PRECISION) {
            if (tn_numeric_rescale(result, result_scale, TN_NUMERIC_MAX_PRECISION, &result, &local) != 0) {
                tn_error_clear(&local);
                return 1;
            }
            result_scale = TN_NUMERIC_MAX_PRECISION;
        }
    }
    if (n < 0)
        return tn_numeric_div_scaled(1, 0, result, result_scale, scale, out, err);
    return tn_numeric_rescale(result, result_scale, scale, out, err);
}

static int numeric_op_row(numeric_op op, tn_int128 a, int sa, tn_int128 b, int sb, int scale,
                          tn_int128 *out, tn_error *err)
{
    long double x = numeric_long(a, sa), y = numeric_long(b, sb), result = 0;
    switch (op) {
    case OP_SQRT:
        if (a < 0)
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                                "cannot take square root of a negative number");
        result = sqrtl(x);
        break;
    case OP_EXP:
        result = expl(x);
        if (isinf(result))
            return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value overflows numeric format");
        break;
    case OP_LN:
        if (check_log_argument((double)x, err) != 0)
            return -1;
        result = logl(x);
        break;
    case OP_LOG:
        if (check_log_argument((double)x, err) != 0 || check_log_argument((double)y, err) != 0)
            return -1;
        if (a == tn_numeric_pow10(sa))
            return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
        result = logl(y) / logl(x);
        break;
    case OP_POWER:
        if (a == 0 && b < 0)
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                                "zero raised to a negative power is undefined");
        if (y == floorl(y) && fabsl(y) <= 1000) {
            int status = integer_power(a, sa, (int64_t)y, scale, out, err);
            if (status <= 0)
                return status;
        } else if (a < 0) {
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_POWER, 0,
                                "a negative number raised to a non-integer power yields a complex result");
        }
        result = powl(x, y);
        break;
    }
    return from_long(result, scale, out, err);
}

/* One row of op: the value's own result scale, then the value. */
static int numeric_op_store(numeric_op op, tn_int128 a, int sa, tn_int128 b, int sb, tn_vector *out,
                            uint32_t row, tn_error *err)
{
    int scale = numeric_op_scale(op, numeric_long(a, sa), sa, numeric_long(b, sb), sb);
    tn_int128 value;
    if (numeric_op_row(op, a, sa, b, sb, scale, &value, err) != 0)
        return -1;
    return tn_vector_set_numeric(out, row, value, scale, err);
}

#define NUMERIC_OP_KERNEL(NAME, OP)                                                                \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        const tn_int128 *a = args[0]->data;                                                        \
        const tn_int128 *b = call->arg_count > 1 ? args[1]->data : NULL;                           \
        uint32_t sa = tn_stride(args[0]), sb = call->arg_count > 1 ? tn_stride(args[1]) : 0;       \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            if (!tn_vector_is_valid(out, i))                                                       \
                continue;                                                                          \
            if (numeric_op_store(OP, a[i * sa], ROW_SCALE(0), b != NULL ? b[i * sb] : 0,           \
                                 b != NULL ? ROW_SCALE(1) : 0, out, i, err) != 0)                  \
                return -1;                                                                         \
        }                                                                                          \
        return 0;                                                                                  \
    }
NUMERIC_OP_KERNEL(sqrt_NUMERIC, OP_SQRT)
NUMERIC_OP_KERNEL(exp_NUMERIC, OP_EXP)
NUMERIC_OP_KERNEL(ln_NUMERIC, OP_LN)
NUMERIC_OP_KERNEL(log_NUMERIC, OP_LOG)
NUMERIC_OP_KERNEL(power_NUMERIC, OP_POWER)

/* log(x) of a NUMERIC is log(10, x), as PostgreSQL defines it. */
static int log10_NUMERIC(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    const tn_int128 *a = args[0]->data;
    uint32_t sa = tn_stride(args[0]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (numeric_op_store(OP_LOG, 10, 0, a[i * sa], ROW_SCALE(0), out, i, err) != 0)
            return -1;
    }
    return 0;
}

static int bind_log10(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    const tn_expr *a = call->args[0];
    long double value = a->kind == TN_EXPR_CONSTANT && !a->value.is_null
                            ? numeric_long(a->value.u.numeric, a->type.scale) : 1;
    call->type = tn_type_numeric(0, numeric_op_scale(OP_LOG, 10, 0, value, a->type.scale));
    return 0;
}

/* ---- more trigonometry, integer functions ---- */

TN_ROW_KERNEL1(cot_FLOAT64, double, double, { r[i] = 1.0 / tan(x); })
#define DEGREE_TRIG(NAME, EXPR) TN_ROW_KERNEL1(NAME##_FLOAT64, double, double, { r[i] = (EXPR); })
/* PostgreSQL makes the exact angles exact (sind(30) = 0.5). */
static double exact_trig(double value)
{
    double rounded = rint(value * 1e12) / 1e12;
    return fabs(rounded - value) <= 1e-13 * (fabs(value) > 1 ? fabs(value) : 1) ? rounded : value;
}
DEGREE_TRIG(sind, exact_trig(sin(x * M_PI / 180.0)))
DEGREE_TRIG(cosd, exact_trig(cos(x * M_PI / 180.0)))
DEGREE_TRIG(tand, exact_trig(tan(x * M_PI / 180.0)))
DEGREE_TRIG(asind, exact_trig(asin(x) * 180.0 / M_PI))
DEGREE_TRIG(acosd, exact_trig(acos(x) * 180.0 / M_PI))
DEGREE_TRIG(atand, exact_trig(atan(x) * 180.0 / M_PI))
TRIG(sinh, sinh)
TRIG(cosh, cosh)
TRIG(tanh, tanh)
TRIG(asinh, asinh)
TRIG(acosh, acosh)
TRIG(atanh, atanh)
TN_ROW_KERNEL2(atan2d_FLOAT64, double, double, double, { r[i] = exact_trig(atan2(x, y) * 180.0 / M_PI); })

#define GCD_LCM(ID, CT)                                                                            \
    TN_ROW_KERNEL2(gcd_##ID, CT, CT, CT, {                                                         \
        CT u = x, v = y;                                                                           \
        while (v != 0) {                                                                           \
            CT t = (CT)(u % v);                                                                    \
            u = v;                                                                                 \
            v = t;                                                                                 \
        }                                                                                          \
        if (u < 0 && __builtin_sub_overflow((CT)0, u, &u))                                         \
            return range_error(err, ID##_RANGE);                                                   \
        r[i] = u;                                                                                  \
    })                                                                                             \
    TN_ROW_KERNEL2(lcm_##ID, CT, CT, CT, {                                                         \
        if (x == 0 || y == 0) {                                                                    \
            r[i] = 0;                                                                              \
            continue;                                                                              \
        }                                                                                          \
        CT u = x, v = y;                                                                           \
        while (v != 0) {                                                                           \
            CT t = (CT)(u % v);                                                                    \
            u = v;                                                                                 \
            v = t;                                                                                 \
        }                                                                                          \
        CT product;                                                                                \
        if (__builtin_mul_overflow((CT)(x / u), y, &product) ||                                    \
            (product < 0 && __builtin_sub_overflow((CT)0, product, &product)))                     \
            return range_error(err, ID##_RANGE);                                                   \
        r[i] = product;                                                                            \
    })
GCD_LCM(INT32, int32_t)
GCD_LCM(INT64, int64_t)

/* div(x, y): the integer quotient, truncated toward zero, scale 0. */
TN_ROW_KERNEL2(div_NUMERIC, tn_int128, tn_int128, tn_int128, {
    if (y == 0)
        return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
    tn_int128 quotient;
    if (tn_numeric_div_scaled(x, ROW_SCALE(0), y, ROW_SCALE(1), 1, &quotient, err) != 0)
        return -1;
    r[i] = quotient / 10;
})

static int bind_scale_zero(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    call->type = tn_type_numeric(0, 0);
    return 0;
}

/* width_bucket(operand, low, high, count) over doubles. */
static int width_bucket_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                               uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        double operand = *(const double *)tn_vector_row_ptr(args[0], i);
        double low = *(const double *)tn_vector_row_ptr(args[1], i);
        double high = *(const double *)tn_vector_row_ptr(args[2], i);
        int32_t buckets = *(const int32_t *)tn_vector_row_ptr(args[3], i);
        if (buckets <= 0)
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_WIDTH_BUCKET, 0,
                                "count must be greater than zero");
        if (isnan(operand) || isnan(low) || isnan(high))
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_WIDTH_BUCKET, 0,
                                "operand, lower bound, and upper bound cannot be NaN");
        if (isinf(low) || isinf(high))
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_WIDTH_BUCKET, 0,
                                "lower and upper bounds must be finite");
        if (low == high)
            return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_WIDTH_BUCKET, 0,
                                "lower bound cannot equal upper bound");
        int32_t result;
        if (low < high) {
            result = operand < low ? 0 : operand >= high ? buckets + 1
                   : (int32_t)((double)buckets * ((operand - low) / (high - low))) + 1;
        } else {
            result = operand > low ? 0 : operand <= high ? buckets + 1
                   : (int32_t)((double)buckets * ((low - operand) / (low - high))) + 1;
        }
        if (result > buckets + 1 || (result == buckets + 1 && buckets == INT32_MAX))
            return range_error(err, "integer out of range");
        ((int32_t *)out->data)[i] = result;
    }
    return 0;
}

/* setseed(x): x in [-1, 1] makes the session's random() sequence repeat.
 * PostgreSQL's result is void, which prints as an empty string. */
TN_ROW_KERNEL1(setseed_kernel, double, tn_string, {
    if (x < -1 || x > 1 || isnan(x))
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "setseed parameter %g is out of allowed range [-1,1]", x);
    if (context->random_state != NULL)
        *context->random_state = (uint64_t)((x + 1.0) * 4294967295.0) * 0x9E3779B97F4A7C15u + 1;
    r[i] = tn_string_make("", 0);
})

/* PostgreSQL's integer operators: & | # ~ << >>. */
#define BITWISE(ID, CT, UT)                                                                        \
    TN_ROW_KERNEL2(and_##ID, CT, CT, CT, { r[i] = (CT)(x & y); })                                  \
    TN_ROW_KERNEL2(or_##ID, CT, CT, CT, { r[i] = (CT)(x | y); })                                   \
    TN_ROW_KERNEL2(xor_##ID, CT, CT, CT, { r[i] = (CT)(x ^ y); })                                  \
    TN_ROW_KERNEL1(not_##ID, CT, CT, { r[i] = (CT)~x; })                                           \
    TN_ROW_KERNEL2(shl_##ID, CT, int32_t, CT, { r[i] = (CT)((UT)x << ((UT)y & (sizeof(CT) * 8 - 1))); }) \
    TN_ROW_KERNEL2(shr_##ID, CT, int32_t, CT, { r[i] = (CT)(x >> ((UT)y & (sizeof(CT) * 8 - 1))); })
BITWISE(INT16, int16_t, uint16_t)
BITWISE(INT32, int32_t, uint32_t)
BITWISE(INT64, int64_t, uint64_t)

/* factorial(n) as NUMERIC. */
TN_ROW_KERNEL1(factorial_kernel, int64_t, tn_int128, {
    if (x < 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "factorial of a negative number is undefined");
    tn_int128 product = 1;
    for (int64_t k = 2; k <= x; k++) {
        if (k > 33 || __builtin_mul_overflow(product, (tn_int128)k, &product))
            return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value overflows numeric format");
    }
    r[i] = product;
})

TN_ROW_KERNEL1(scale_kernel, tn_int128, int32_t, {
    (void)x;
    r[i] = ROW_SCALE(0);
})

#define ABS_ENTRY(ID, CT) TN_FN1("abs", ID, ID, abs_##ID, NULL),
#define MOD_ENTRY(ID, CT) TN_FN2("mod", ID, ID, ID, mod_##ID, NULL),
#define AT_ENTRY(ID, CT) TN_FN1("@", ID, ID, abs_##ID, NULL),
#define BITWISE_ENTRIES(ID, CT)                                                                    \
    TN_FN2("&", ID, ID, ID, and_##ID, NULL), TN_FN2("|", ID, ID, ID, or_##ID, NULL),               \
    TN_FN2("#", ID, ID, ID, xor_##ID, NULL), TN_FN1("~", ID, ID, not_##ID, NULL),                  \
    TN_FN2("<<", ID, INT32, ID, shl_##ID, NULL), TN_FN2(">>", ID, INT32, ID, shr_##ID, NULL),
#define FLOAT_FN1(NAME, KERNEL) TN_FN1(NAME, FLOAT64, FLOAT64, KERNEL##_FLOAT64, NULL)

static const tn_scalar_function functions[] = {
    TN_INTEGER_TYPES(ABS_ENTRY)
    TN_FLOAT_TYPES(ABS_ENTRY)
    TN_FN1("abs", NUMERIC, NUMERIC, abs_NUMERIC, bind_same_scale),
    TN_INTEGER_TYPES(MOD_ENTRY)
    TN_FN2("mod", NUMERIC, NUMERIC, NUMERIC, mod_NUMERIC, bind_same_scale),
    FLOAT_FN1("sign", sign),
    TN_FN1("sign", NUMERIC, NUMERIC, sign_NUMERIC, bind_scale_zero),
    FLOAT_FN1("round", round),
    TN_FN1("round", NUMERIC, NUMERIC, round_NUMERIC, bind_rounding),
    TN_FN2("round", NUMERIC, INT32, NUMERIC, round_NUMERIC, bind_rounding),
    FLOAT_FN1("trunc", trunc),
    TN_FN1("trunc", NUMERIC, NUMERIC, trunc_NUMERIC, bind_rounding),
    TN_FN2("trunc", NUMERIC, INT32, NUMERIC, trunc_NUMERIC, bind_rounding),
    FLOAT_FN1("floor", floor),
    TN_FN1("floor", NUMERIC, NUMERIC, floor_NUMERIC, bind_rounding),
    FLOAT_FN1("ceil", ceil),
    TN_FN1("ceil", NUMERIC, NUMERIC, ceil_NUMERIC, bind_rounding),
    FLOAT_FN1("ceiling", ceil),
    TN_FN1("ceiling", NUMERIC, NUMERIC, ceil_NUMERIC, bind_rounding),
    FLOAT_FN1("sqrt", sqrt),
    FLOAT_FN1("cbrt", cbrt),
    FLOAT_FN1("exp", exp),
    FLOAT_FN1("ln", ln),
    FLOAT_FN1("log", log10),
    FLOAT_FN1("log10", log10),
    TN_FN2("power", FLOAT64, FLOAT64, FLOAT64, power_FLOAT64, NULL),
    TN_FN2("pow", FLOAT64, FLOAT64, FLOAT64, power_FLOAT64, NULL),
    FLOAT_FN1("sin", sin),
    FLOAT_FN1("cos", cos),
    FLOAT_FN1("tan", tan),
    FLOAT_FN1("asin", asin),
    FLOAT_FN1("acos", acos),
    FLOAT_FN1("atan", atan),
    TN_FN2("atan2", FLOAT64, FLOAT64, FLOAT64, atan2_FLOAT64, NULL),
    FLOAT_FN1("degrees", degrees),
    FLOAT_FN1("radians", radians),
    TN_FN1("sqrt", NUMERIC, NUMERIC, sqrt_NUMERIC, bind_sqrt),
    TN_FN1("exp", NUMERIC, NUMERIC, exp_NUMERIC, bind_exp),
    TN_FN1("ln", NUMERIC, NUMERIC, ln_NUMERIC, bind_ln),
    TN_FN1("log", NUMERIC, NUMERIC, log10_NUMERIC, bind_log10),
    TN_FN1("log10", NUMERIC, NUMERIC, log10_NUMERIC, bind_log10),
    TN_FN2("log", NUMERIC, NUMERIC, NUMERIC, log_NUMERIC, bind_log),
    TN_FN2("power", NUMERIC, NUMERIC, NUMERIC, power_NUMERIC, bind_power),
    TN_FN2("pow", NUMERIC, NUMERIC, NUMERIC, power_NUMERIC, bind_power),
    TN_FN2("^", FLOAT64, FLOAT64, FLOAT64, power_FLOAT64, NULL),
    TN_FN2("^", NUMERIC, NUMERIC, NUMERIC, power_NUMERIC, bind_power),
    TN_FN1("|/", FLOAT64, FLOAT64, sqrt_FLOAT64, NULL),
    TN_FN1("||/", FLOAT64, FLOAT64, cbrt_FLOAT64, NULL),
    TN_INTEGER_TYPES(AT_ENTRY)
    TN_FLOAT_TYPES(AT_ENTRY)
    TN_FN1("@", NUMERIC, NUMERIC, abs_NUMERIC, bind_same_scale),
    TN_INTEGER_TYPES(BITWISE_ENTRIES)
    FLOAT_FN1("cot", cot),
    FLOAT_FN1("sind", sind),
    FLOAT_FN1("cosd", cosd),
    FLOAT_FN1("tand", tand),
    FLOAT_FN1("asind", asind),
    FLOAT_FN1("acosd", acosd),
    FLOAT_FN1("atand", atand),
    TN_FN2("atan2d", FLOAT64, FLOAT64, FLOAT64, atan2d_FLOAT64, NULL),
    FLOAT_FN1("sinh", sinh),
    FLOAT_FN1("cosh", cosh),
    FLOAT_FN1("tanh", tanh),
    FLOAT_FN1("asinh", asinh),
    FLOAT_FN1("acosh", acosh),
    FLOAT_FN1("atanh", atanh),
    TN_FN2("gcd", INT32, INT32, INT32, gcd_INT32, NULL),
    TN_FN2("gcd", INT64, INT64, INT64, gcd_INT64, NULL),
    TN_FN2("lcm", INT32, INT32, INT32, lcm_INT32, NULL),
    TN_FN2("lcm", INT64, INT64, INT64, lcm_INT64, NULL),
    TN_FN2("div", NUMERIC, NUMERIC, NUMERIC, div_NUMERIC, bind_scale_zero),
    {"width_bucket", 4, {TN_TYPE_FLOAT64, TN_TYPE_FLOAT64, TN_TYPE_FLOAT64, TN_TYPE_INT32}, TN_TYPE_INT32,
     TN_IMMUTABLE, true, width_bucket_kernel, NULL},
    TN_FN1("factorial", INT64, NUMERIC, factorial_kernel, bind_scale_zero),
    TN_FN1("scale", NUMERIC, INT32, scale_kernel, NULL),
    {"setseed", 1, {TN_TYPE_FLOAT64}, TN_TYPE_TEXT, TN_VOLATILE, true, setseed_kernel, NULL},
    {"pi", 0, {0}, TN_TYPE_FLOAT64, TN_IMMUTABLE, true, pi_kernel, NULL},
    {"random", 0, {0}, TN_TYPE_FLOAT64, TN_VOLATILE, false, random_kernel, NULL},
};

const tn_function_list tn_func_math_list = {functions, sizeof functions / sizeof functions[0]};
