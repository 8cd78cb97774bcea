/*
 * Comparison operators (= <> < <= > >=) and IS [NOT] DISTINCT FROM for
 * every type.  Scalar types compare with C operators in one stamped loop;
 * floats follow PostgreSQL (NaN equals NaN and sorts above everything);
 * NUMERIC compares across scales; text compares bytewise (the C
 * collation).  IS DISTINCT FROM is non-strict: it runs the type's "=" over
 * the whole vector once and then settles the rows where a NULL took part.
 */
#include "exec/exec_int.h"

#include <math.h>

#include "types/datetime.h"
#include "types/numeric.h"
#include "types/value.h"

/* A three-way comparison per type, returning <0, 0, >0. */
#define CMP_SCALAR(x, y) (((x) > (y)) - ((x) < (y)))

#define cmp_float tn_compare_double

/* Which rows a comparison may look at.  Scalars compare every row
 * branch-free (garbage under NULLs is harmless); string views under a NULL
 * may point at freed bytes, so text compares valid rows only. */
#define EVERY_ROW(args, i) 1
#define VALID_ROWS(args, i) (tn_vector_is_valid((args)[0], (i)) && tn_vector_is_valid((args)[1], (i)))

#define COMPARE_KERNEL(NAME, CT, CMP, ROWS, TEST)                                                  \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        (void)err;                                                                                 \
        const CT *a = args[0]->data;                                                               \
        const CT *b = args[1]->data;                                                               \
        uint8_t *r = out->data;                                                                    \
        uint32_t sa = tn_stride(args[0]), sb = tn_stride(args[1]);                                 \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            int sca = tn_vector_numeric_scale(args[0], i), scb = tn_vector_numeric_scale(args[1], i); \
            (void)sca;                                                                             \
            (void)scb;                                                                             \
            int c = ROWS(args, i) ? CMP(a[i * sa], b[i * sb]) : 0;                                 \
            r[i] = (uint8_t)(TEST);                                                                \
        }                                                                                          \
        return 0;                                                                                  \
    }

#define CMP_NUMERIC(x, y) (sca == scb ? CMP_SCALAR(x, y) : tn_numeric_compare(x, sca, y, scb))
#define CMP_TEXT(x, y) tn_string_compare(&(x), &(y))
#define CMP_INTERVAL(x, y) tn_interval_compare(&(x), &(y))

/* The six operators for one type: NAME_eq, NAME_ne, ... */
#define COMPARE_KERNELS(NAME, CT, CMP, ROWS)                 \
    COMPARE_KERNEL(NAME##_eq, CT, CMP, ROWS, c == 0)        \
    COMPARE_KERNEL(NAME##_ne, CT, CMP, ROWS, c != 0)        \
    COMPARE_KERNEL(NAME##_lt, CT, CMP, ROWS, c < 0)         \
    COMPARE_KERNEL(NAME##_le, CT, CMP, ROWS, c <= 0)        \
    COMPARE_KERNEL(NAME##_gt, CT, CMP, ROWS, c > 0)         \
    COMPARE_KERNEL(NAME##_ge, CT, CMP, ROWS, c >= 0)        \
    DISTINCT_KERNELS(NAME)                            \
    NULLIF_KERNEL(NAME, CT, CMP)                      \
    EXTREME_KERNEL(NAME##_greatest, CT, CMP, >)       \
    EXTREME_KERNEL(NAME##_least, CT, CMP, <)

/* IS DISTINCT FROM: "=" on all rows, then NULLs decide. */
#define DISTINCT_KERNELS(NAME)                                                                     \
    static int NAME##_distinct(tn_exec_context *context, const tn_expr *call, tn_vector **args,    \
                               uint32_t count, tn_vector *out, tn_error *err)                      \
    {                                                                                              \
        NAME##_eq(context, call, args, count, out, err);                                           \
        return settle_distinct(args, count, out, true);                                            \
    }                                                                                              \
    static int NAME##_not_distinct(tn_exec_context *context, const tn_expr *call,                  \
                                   tn_vector **args, uint32_t count, tn_vector *out, tn_error *err)\
    {                                                                                              \
        NAME##_eq(context, call, args, count, out, err);                                           \
        return settle_distinct(args, count, out, false);                                           \
    }

/* nullif(a, b): a, or NULL when a = b (non-strict: a NULL b keeps a). */
#define NULLIF_KERNEL(NAME, CT, CMP)                                                               \
    static int NAME##_nullif(tn_exec_context *context, const tn_expr *call, tn_vector **args,      \
                             uint32_t count, tn_vector *out, tn_error *err)                        \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        const CT *a = args[0]->data;                                                               \
        const CT *b = args[1]->data;                                                               \
        uint32_t sa = tn_stride(args[0]), sb = tn_stride(args[1]);                                 \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            int sca = tn_vector_numeric_scale(args[0], i), scb = tn_vector_numeric_scale(args[1], i); \
            (void)sca;                                                                             \
            (void)scb;                                                                             \
            if (tn_vector_copy_row(out, i, args[0], i) != 0)                                       \
                return tn_error_oom(err);                                                          \
            bool valid_a = tn_vector_is_valid(args[0], i);                                         \
            bool same = valid_a && tn_vector_is_valid(args[1], i) && CMP(a[i * sa], b[i * sb]) == 0; \
            if ((!valid_a || same) && tn_vector_set_null(out, i) != 0)                             \
                return tn_error_oom(err);                                                          \
        }                                                                                          \
        return 0;                                                                                  \
    }

/* greatest/least(...): NULL arguments are ignored; NULL when all are.  On
 * ties the first argument wins (a NUMERIC keeps its own scale). */
#define EXTREME_KERNEL(NAME, CT, CMP, OP)                                                          \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            int best = -1;                                                                         \
            for (int k = 0; k < call->arg_count; k++) {                                            \
                if (!tn_vector_is_valid(args[k], i))                                               \
                    continue;                                                                      \
                if (best < 0) {                                                                    \
                    best = k;                                                                      \
                    continue;                                                                      \
                }                                                                                  \
                CT value = ((const CT *)args[k]->data)[i * tn_stride(args[k])];                    \
                CT current = ((const CT *)args[best]->data)[i * tn_stride(args[best])];            \
                int sca = tn_vector_numeric_scale(args[k], i), scb = tn_vector_numeric_scale(args[best], i); \
                (void)sca;                                                                         \
                (void)scb;                                                                         \
                if (CMP(value, current) OP 0)                                                      \
                    best = k;                                                                      \
            }                                                                                      \
            if ((best < 0 ? tn_vector_set_null(out, i) : tn_vector_copy_row(out, i, args[best], i)) != 0) \
                return tn_error_oom(err);                                                          \
        }                                                                                          \
        return 0;                                                                                  \
    }

/* Rows with a NULL: distinct unless both are NULL.  Otherwise the "="
 * result r becomes !r for IS DISTINCT FROM. */
static int settle_distinct(tn_vector **args, uint32_t count, tn_vector *out, bool distinct)
{
    uint8_t *r = out->data;
    bool has_nulls = args[0]->validity != NULL || args[1]->validity != NULL;
    for (uint32_t i = 0; i < count; i++) {
        bool equal = r[i] != 0;
        if (has_nulls) {
            bool null_a = !tn_vector_is_valid(args[0], i), null_b = !tn_vector_is_valid(args[1], i);
            if (null_a || null_b)
                equal = null_a && null_b;
        }
        r[i] = (uint8_t)(distinct ? !equal : equal);
    }
    return 0;
}

#define SCALAR_COMPARE(ID, CT) COMPARE_KERNELS(cmp_##ID, CT, CMP_SCALAR, EVERY_ROW)
TN_INTEGER_TYPES(SCALAR_COMPARE)
COMPARE_KERNELS(cmp_BOOL, uint8_t, CMP_SCALAR, EVERY_ROW)
COMPARE_KERNELS(cmp_DATE, int32_t, CMP_SCALAR, EVERY_ROW)
COMPARE_KERNELS(cmp_TIMESTAMP, int64_t, CMP_SCALAR, EVERY_ROW)
COMPARE_KERNELS(cmp_FLOAT32, float, cmp_float, EVERY_ROW)
COMPARE_KERNELS(cmp_FLOAT64, double, cmp_float, EVERY_ROW)
COMPARE_KERNELS(cmp_NUMERIC, tn_int128, CMP_NUMERIC, EVERY_ROW)
COMPARE_KERNELS(cmp_TEXT, tn_string, CMP_TEXT, VALID_ROWS)
COMPARE_KERNELS(cmp_INTERVAL, tn_interval, CMP_INTERVAL, EVERY_ROW)

/* The result keeps the argument's exact type (NUMERIC scale, VARCHAR). */
static int bind_first_type(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    (void)err;
    call->type = call->args[0]->type;
    return 0;
}

/* greatest/least: the common type (an unconstrained NUMERIC when the
 * arguments' typmods differ; each value keeps its scale). */
static int bind_common(tn_arena *arena, tn_expr *call, tn_error *err)
{
    (void)arena;
    tn_type common;
    if (tn_common_type(call->args, call->arg_count, call->function->name, &common, err) != 0)
        return -1;
    call->type = common;
    return 0;
}

#define COMPARE_ENTRIES_AS(ID, KERNEL)                                                             \
    TN_FN2("=", ID, ID, BOOL, KERNEL##_eq, NULL), TN_FN2("<>", ID, ID, BOOL, KERNEL##_ne, NULL),   \
    TN_FN2("<", ID, ID, BOOL, KERNEL##_lt, NULL), TN_FN2("<=", ID, ID, BOOL, KERNEL##_le, NULL),   \
    TN_FN2(">", ID, ID, BOOL, KERNEL##_gt, NULL), TN_FN2(">=", ID, ID, BOOL, KERNEL##_ge, NULL),   \
    {"IS DISTINCT FROM", 2, {TN_T(ID), TN_T(ID)}, TN_TYPE_BOOL, TN_IMMUTABLE, false,               \
     KERNEL##_distinct, NULL},                                                                     \
    {"IS NOT DISTINCT FROM", 2, {TN_T(ID), TN_T(ID)}, TN_TYPE_BOOL, TN_IMMUTABLE, false,           \
     KERNEL##_not_distinct, NULL},                                                                \
    {"nullif", 2, {TN_T(ID), TN_T(ID)}, TN_T(ID), TN_IMMUTABLE, false, KERNEL##_nullif,            \
     bind_first_type},                                                                             \
    {"greatest", -1, {TN_T(ID)}, TN_T(ID), TN_IMMUTABLE, false, KERNEL##_greatest, bind_common},   \
    {"least", -1, {TN_T(ID)}, TN_T(ID), TN_IMMUTABLE, false, KERNEL##_least, bind_common},
#define COMPARE_ENTRIES(ID, CT) COMPARE_ENTRIES_AS(ID, cmp_##ID)

static const tn_scalar_function functions[] = {
    TN_INTEGER_TYPES(COMPARE_ENTRIES)
    TN_FLOAT_TYPES(COMPARE_ENTRIES)
    COMPARE_ENTRIES(BOOL, uint8_t)
    COMPARE_ENTRIES(NUMERIC, tn_int128)
    COMPARE_ENTRIES(TEXT, tn_string)
    COMPARE_ENTRIES(DATE, int32_t)
    COMPARE_ENTRIES_AS(TIMESTAMP, cmp_TIMESTAMP)
    COMPARE_ENTRIES_AS(TIMESTAMPTZ, cmp_TIMESTAMP)
    COMPARE_ENTRIES(INTERVAL, tn_interval)
    COMPARE_ENTRIES_AS(TIME, cmp_TIMESTAMP)
    COMPARE_ENTRIES_AS(BYTEA, cmp_TEXT)
};

const tn_function_list tn_func_compare_list = {functions, sizeof functions / sizeof functions[0]};
