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
TN_ROW_KERNEL1(abs_NUMERIC, tn_int128, tn_int128, { r[i] = x < 0 ? -x : x; })
TN_ROW_KERNEL1(sign_FLOAT64, double, double, { r[i] = x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; })
TN_ROW_KERNEL1(sign_NUMERIC, tn_int128, tn_int128, {
    r[i] = (x > 0) - (x < 0);
    r[i] *= tn_numeric_pow10(out->type.scale);
})

TN_ROW_KERNEL2(mod_NUMERIC, tn_int128, tn_int128, tn_int128, {
    int scale;
    tn_int128 value;
    if (tn_numeric_mod(x, args[0]->type.scale, y, args[1]->type.scale, &value, &scale, err) != 0 ||
        tn_numeric_rescale(value, scale, out->type.scale, &r[i], err) != 0)
        return -1;
})

/* ---- rounding ---- */

TN_ROW_KERNEL1(round_FLOAT64, double, double, { r[i] = rint(x); })
TN_ROW_KERNEL1(trunc_FLOAT64, double, double, { r[i] = trunc(x); })
TN_ROW_KERNEL1(floor_FLOAT64, double, double, { r[i] = floor(x); })
TN_ROW_KERNEL1(ceil_FLOAT64, double, double, { r[i] = ceil(x); })

/* NUMERIC round/trunc to digits, brought to the column's scale. */
#define NUMERIC_ROUNDING(NAME, OPERATION)                                                          \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        const tn_int128 *a = args[0]->data;                                                        \
        const int32_t *digits = call->arg_count > 1 ? args[1]->data : NULL;                        \
        uint32_t sa = tn_stride(args[0]), sd = call->arg_count > 1 ? tn_stride(args[1]) : 0;       \
        tn_int128 *r = out->data;                                                                  \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            if (!tn_vector_is_valid(out, i))                                                       \
                continue;                                                                          \
            tn_int128 value;                                                                       \
            int scale, want = digits != NULL ? digits[i * sd] : 0;                                 \
            if (OPERATION(a[i * sa], args[0]->type.scale, want, &value, &scale, err) != 0 ||       \
                tn_numeric_rescale(value, scale, out->type.scale, &r[i], err) != 0)                \
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
    tn_int128 *r = out->data;
    uint32_t sa = tn_stride(arg);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        tn_int128 value;
        int scale;
        if (tn_numeric_trunc(a[i * sa], arg->type.scale, 0, &value, &scale, err) != 0)
            return -1;
        tn_int128 whole = value * tn_numeric_pow10(arg->type.scale);
        if (ceiling && a[i * sa] > whole)
            value += 1;
        if (!ceiling && a[i * sa] < whole)
            value -= 1;
        r[i] = value;
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

#define ABS_ENTRY(ID, CT) TN_FN1("abs", ID, ID, abs_##ID, NULL),
#define MOD_ENTRY(ID, CT) TN_FN2("mod", ID, ID, ID, mod_##ID, NULL),
#define FLOAT_FN1(NAME, KERNEL) TN_FN1(NAME, FLOAT64, FLOAT64, KERNEL##_FLOAT64, NULL)

static const tn_scalar_function functions[] = {
    TN_INTEGER_TYPES(ABS_ENTRY)
    TN_FLOAT_TYPES(ABS_ENTRY)
    TN_FN1("abs", NUMERIC, NUMERIC, abs_NUMERIC, bind_same_scale),
    TN_INTEGER_TYPES(MOD_ENTRY)
    TN_FN2("mod", NUMERIC, NUMERIC, NUMERIC, mod_NUMERIC, bind_same_scale),
    FLOAT_FN1("sign", sign),
    TN_FN1("sign", NUMERIC, NUMERIC, sign_NUMERIC, bind_same_scale),
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
    {"pi", 0, {0}, TN_TYPE_FLOAT64, TN_IMMUTABLE, true, pi_kernel, NULL},
    {"random", 0, {0}, TN_TYPE_FLOAT64, TN_VOLATILE, false, random_kernel, NULL},
};

const tn_function_list tn_func_math_list = {functions, sizeof functions / sizeof functions[0]};
