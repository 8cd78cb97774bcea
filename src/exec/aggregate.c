/*
 * Aggregate functions: count, sum, avg, min, max, bool_and/bool_or/every,
 * string_agg and the variance/stddev family (array_agg is refused: no arrays), with PostgreSQL's result types (sum of int2/int4 is
 * bigint, of int8 numeric; avg of integers is numeric).  Each is a row of
 * the table at the bottom: state size, a vectorized update (stamped per
 * type where the type matters), combine for merging threads' states, and
 * finalize.  DISTINCT and FILTER reach update as a row mask, decided by
 * the aggregate operator (op_hash_aggregate.c).
 */
#include "exec/exec_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "types/datetime.h"
#include "types/numeric.h"

#define SKIP_ROW(row) ((mask != NULL && !mask[row]) || !tn_vector_is_valid(args[0], row))
#define ROW_VALUE(CT, row) (((const CT *)args[0]->data)[(row) * tn_stride(args[0])])

static int numeric_overflow(tn_error *err)
{
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value overflows numeric format");
}

static bool exceeds_numeric(tn_int128 value)
{
    tn_int128 limit = tn_numeric_pow10(TN_NUMERIC_MAX_PRECISION);
    return value >= limit || value <= -limit;
}

/* ---- count ---- */

static int count_star_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                             tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                             tn_error *err)
{
    (void)aggregate;
    (void)args;
    (void)arena;
    (void)err;
    for (uint32_t row = 0; row < count; row++)
        *(int64_t *)(states[row] + offset) += mask == NULL || mask[row];
    return 0;
}

static int count_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                        tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                        tn_error *err)
{
    (void)aggregate;
    (void)arena;
    (void)err;
    for (uint32_t row = 0; row < count; row++)
        *(int64_t *)(states[row] + offset) += !SKIP_ROW(row);
    return 0;
}

static int count_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                         tn_arena *arena, tn_error *err)
{
    (void)aggregate;
    (void)arena;
    (void)err;
    *(int64_t *)target += *(const int64_t *)source;
    return 0;
}

static int count_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                          uint32_t row, tn_error *err)
{
    (void)aggregate;
    (void)err;
    ((int64_t *)out->data)[row] = *(const int64_t *)state;
    return 0;
}

/* ---- sum and avg: a running sum, a count, a "seen a value" flag ----
 * A NUMERIC sum is kept at the largest scale among its inputs, as
 * PostgreSQL's numeric sum keeps the largest display scale. */

typedef struct sum_state {
    union {
        int64_t integer;
        tn_int128 numeric;
        double floating;
        tn_interval interval;
    } sum;
    int64_t count;
    int32_t scale; /* NUMERIC sums */
} sum_state;

/* Adds value (at scale) to a NUMERIC running sum at *sum_scale, raising
 * the sum's scale when the value has more decimals. */
static int add_numeric(tn_int128 *sum, int32_t *sum_scale, tn_int128 value, int scale, tn_error *err)
{
    if (scale > *sum_scale) {
        if (tn_numeric_rescale(*sum, *sum_scale, scale, sum, err) != 0)
            return -1;
        *sum_scale = scale;
    } else if (scale < *sum_scale && tn_numeric_rescale(value, scale, *sum_scale, &value, err) != 0) {
        return -1;
    }
    *sum += value;
    return exceeds_numeric(*sum) ? numeric_overflow(err) : 0;
}

#define SUM_UPDATE(NAME, CT, ADD)                                                                  \
    static int NAME(const tn_bound_aggregate *aggregate, char **states, size_t offset,             \
                    tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,        \
                    tn_error *err)                                                                 \
    {                                                                                              \
        (void)aggregate;                                                                           \
        (void)arena;                                                                               \
        (void)err;                                                                                 \
        for (uint32_t row = 0; row < count; row++) {                                               \
            if (SKIP_ROW(row))                                                                     \
                continue;                                                                          \
            sum_state *state = (sum_state *)(states[row] + offset);                                \
            CT value = ROW_VALUE(CT, row);                                                         \
            ADD                                                                                    \
            state->count++;                                                                        \
        }                                                                                          \
        return 0;                                                                                  \
    }

#define ADD_TO_INT64                                                                               \
    if (__builtin_add_overflow(state->sum.integer, (int64_t)value, &state->sum.integer))           \
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "bigint out of range");
#define ADD_TO_NUMERIC                                                                             \
    state->sum.numeric += (tn_int128)value;                                                        \
    if (exceeds_numeric(state->sum.numeric))                                                       \
        return numeric_overflow(err);
#define ADD_TO_DOUBLE state->sum.floating += (double)value;
#define ADD_TO_INTERVAL                                                                            \
    if (tn_interval_add(&state->sum.interval, &value, &state->sum.interval, err) != 0)             \
        return -1;

SUM_UPDATE(sum_int16_update, int16_t, ADD_TO_INT64)
SUM_UPDATE(sum_int32_update, int32_t, ADD_TO_INT64)
SUM_UPDATE(sum_int64_update, int64_t, ADD_TO_NUMERIC)
SUM_UPDATE(sum_numeric_update, tn_int128,
           if (add_numeric(&state->sum.numeric, &state->scale, value,
                           tn_vector_numeric_scale(args[0], row), err) != 0) return -1;)
SUM_UPDATE(sum_float32_update, float, ADD_TO_DOUBLE)
SUM_UPDATE(sum_float64_update, double, ADD_TO_DOUBLE)
SUM_UPDATE(sum_interval_update, tn_interval, ADD_TO_INTERVAL)
SUM_UPDATE(avg_int16_update, int16_t, ADD_TO_NUMERIC)
SUM_UPDATE(avg_int32_update, int32_t, ADD_TO_NUMERIC)

static int sum_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                       tn_arena *arena, tn_error *err)
{
    (void)arena;
    sum_state *to = target;
    const sum_state *from = source;
    to->count += from->count;
    switch (aggregate->function->arg_types[0]) {
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
        if (aggregate->type.id == TN_TYPE_INT64) {
            if (__builtin_add_overflow(to->sum.integer, from->sum.integer, &to->sum.integer))
                return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "bigint out of range");
            return 0;
        }
        /* avg of small integers sums as numeric */
        __attribute__((fallthrough));
    case TN_TYPE_INT64:
    case TN_TYPE_NUMERIC:
        return add_numeric(&to->sum.numeric, &to->scale, from->sum.numeric, from->scale, err);
    case TN_TYPE_INTERVAL:
        return tn_interval_add(&to->sum.interval, &from->sum.interval, &to->sum.interval, err);
    default:
        to->sum.floating += from->sum.floating;
        return 0;
    }
}

static int sum_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                        uint32_t row, tn_error *err)
{
    const sum_state *sum = state;
    if (sum->count == 0)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    switch (aggregate->type.id) {
    case TN_TYPE_INT64: ((int64_t *)out->data)[row] = sum->sum.integer; break;
    case TN_TYPE_NUMERIC: return tn_vector_set_numeric(out, row, sum->sum.numeric, sum->scale, err);
    case TN_TYPE_FLOAT32: ((float *)out->data)[row] = (float)sum->sum.floating; break;
    case TN_TYPE_FLOAT64: ((double *)out->data)[row] = sum->sum.floating; break;
    case TN_TYPE_INTERVAL: ((tn_interval *)out->data)[row] = sum->sum.interval; break;
    default: break;
    }
    return 0;
}

static int avg_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                        uint32_t row, tn_error *err)
{
    const sum_state *sum = state;
    if (sum->count == 0)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    switch (aggregate->type.id) {
    case TN_TYPE_FLOAT64:
        ((double *)out->data)[row] = sum->sum.floating / (double)sum->count;
        return 0;
    case TN_TYPE_INTERVAL:
        return tn_interval_div(&sum->sum.interval, (double)sum->count,
                               &((tn_interval *)out->data)[row], err);
    default: {
        tn_int128 value;
        int scale;
        return tn_numeric_avg(sum->sum.numeric, sum->scale, sum->count, &value, &scale, err) != 0
                   ? -1 : tn_vector_set_numeric(out, row, value, scale, err);
    }
    }
}

/* ---- min and max ---- */

typedef struct extreme_state {
    union {
        int64_t integer;
        double floating;
        tn_int128 numeric;
        tn_string string;
        tn_interval interval;
        uint8_t boolean;
        int16_t int16;
        int32_t int32;
        float float32;
    } value;
    bool has_value;
    uint8_t scale; /* NUMERIC: the kept value's own scale */
} extreme_state;

#define CMP_PLAIN(a, b) (((a) > (b)) - ((a) < (b)))
#define CMP_RAW(ID) tn_value_compare_raw(ID, &value, &state->value)

#define EXTREME_UPDATE(NAME, CT, FIELD, TEST)                                                      \
    static int NAME(const tn_bound_aggregate *aggregate, char **states, size_t offset,             \
                    tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,        \
                    tn_error *err)                                                                 \
    {                                                                                              \
        (void)aggregate;                                                                           \
        (void)arena;                                                                               \
        (void)err;                                                                                 \
        for (uint32_t row = 0; row < count; row++) {                                               \
            if (SKIP_ROW(row))                                                                     \
                continue;                                                                          \
            extreme_state *state = (extreme_state *)(states[row] + offset);                        \
            CT value = ROW_VALUE(CT, row);                                                         \
            if (!state->has_value || (TEST)) {                                                     \
                state->value.FIELD = value;                                                        \
                state->has_value = true;                                                           \
            }                                                                                      \
        }                                                                                          \
        return 0;                                                                                  \
    }

#define EXTREME_PAIR(ID, CT, FIELD)                                                                \
    EXTREME_UPDATE(min_##ID##_update, CT, FIELD, tn_value_compare_raw(TN_TYPE_##ID, &value, &state->value.FIELD) < 0) \
    EXTREME_UPDATE(max_##ID##_update, CT, FIELD, tn_value_compare_raw(TN_TYPE_##ID, &value, &state->value.FIELD) > 0)

#define EXTREME_PLAIN(ID, CT, FIELD)                                                               \
    EXTREME_UPDATE(min_##ID##_update, CT, FIELD, value < state->value.FIELD)                       \
    EXTREME_UPDATE(max_##ID##_update, CT, FIELD, value > state->value.FIELD)

EXTREME_PLAIN(BOOL, uint8_t, boolean)
EXTREME_PLAIN(INT16, int16_t, int16)
EXTREME_PLAIN(INT32, int32_t, int32)
EXTREME_PLAIN(INT64, int64_t, integer)
EXTREME_PLAIN(DATE, int32_t, int32)
EXTREME_PLAIN(TIMESTAMP, int64_t, integer)
EXTREME_PLAIN(TIMESTAMPTZ, int64_t, integer)
EXTREME_PLAIN(TIME, int64_t, integer)
EXTREME_PAIR(FLOAT32, float, float32)
EXTREME_PAIR(FLOAT64, double, floating)
EXTREME_PAIR(INTERVAL, tn_interval, interval)

/* NUMERIC compares across scales and keeps the winner's scale; on ties the
 * later value wins, as PostgreSQL's numeric_smaller and numeric_larger
 * return their second argument. */
static void numeric_extreme(char **states, size_t offset, tn_vector **args, uint32_t count,
                            const uint8_t *mask, int sign)
{
    for (uint32_t row = 0; row < count; row++) {
        if (SKIP_ROW(row))
            continue;
        extreme_state *state = (extreme_state *)(states[row] + offset);
        tn_int128 value = ROW_VALUE(tn_int128, row);
        int scale = tn_vector_numeric_scale(args[0], row);
        if (!state->has_value ||
            tn_numeric_compare(value, scale, state->value.numeric, state->scale) * sign >= 0) {
            state->value.numeric = value;
            state->scale = (uint8_t)scale;
            state->has_value = true;
        }
    }
}

static int min_NUMERIC_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                              tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                              tn_error *err)
{
    (void)aggregate;
    (void)arena;
    (void)err;
    numeric_extreme(states, offset, args, count, mask, -1);
    return 0;
}

static int max_NUMERIC_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                              tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                              tn_error *err)
{
    (void)aggregate;
    (void)arena;
    (void)err;
    numeric_extreme(states, offset, args, count, mask, 1);
    return 0;
}

/* Text keeps its own copy of the current extreme. */
static int keep_string(extreme_state *state, const tn_string *value, tn_arena *arena, tn_error *err)
{
    const char *data = tn_string_data(value);
    if (value->length > TN_STRING_INLINE) {
        char *copy = tn_arena_alloc(arena, value->length);
        if (copy == NULL)
            return tn_error_oom(err);
        memcpy(copy, data, value->length);
        data = copy;
    }
    state->value.string = tn_string_make(data, value->length);
    state->has_value = true;
    return 0;
}

static int text_extreme(char **states, size_t offset, tn_vector **args, uint32_t count,
                        const uint8_t *mask, tn_arena *arena, int sign, tn_error *err)
{
    for (uint32_t row = 0; row < count; row++) {
        if (SKIP_ROW(row))
            continue;
        extreme_state *state = (extreme_state *)(states[row] + offset);
        const tn_string *value = &ROW_VALUE(tn_string, row);
        if ((!state->has_value || tn_string_compare(value, &state->value.string) * sign > 0) &&
            keep_string(state, value, arena, err) != 0)
            return -1;
    }
    return 0;
}

static int min_TEXT_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                           tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                           tn_error *err)
{
    (void)aggregate;
    return text_extreme(states, offset, args, count, mask, arena, -1, err);
}

static int max_TEXT_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                           tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                           tn_error *err)
{
    (void)aggregate;
    return text_extreme(states, offset, args, count, mask, arena, 1, err);
}

/* Merges through update: the source's value as a one-row vector. */
static int extreme_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                           tn_arena *arena, tn_error *err)
{
    const extreme_state *from = source;
    if (!from->has_value)
        return 0;
    tn_vector value;
    memset(&value, 0, sizeof value);
    value.type = aggregate->type;
    value.data = (void *)&from->value;
    value.scales = (uint8_t *)&from->scale;
    value.is_constant = true;
    tn_vector *args[1] = {&value};
    char *states[1] = {target};
    return aggregate->function->update(aggregate, states, 0, args, 1, NULL, arena, err);
}

static int extreme_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                            uint32_t row, tn_error *err)
{
    const extreme_state *extreme = state;
    if (!extreme->has_value)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    if (aggregate->type.id == TN_TYPE_NUMERIC)
        return tn_vector_set_numeric(out, row, extreme->value.numeric, extreme->scale, err);
    size_t size = tn_type_size(aggregate->type.id);
    memcpy((char *)out->data + row * size, &extreme->value, size);
    return 0;
}

/* ---- bool_and, bool_or ---- */

typedef struct bool_state {
    uint8_t has_value;
    uint8_t value;
} bool_state;

#define BOOL_UPDATE(NAME, OP)                                                                      \
    static int NAME(const tn_bound_aggregate *aggregate, char **states, size_t offset,             \
                    tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,        \
                    tn_error *err)                                                                 \
    {                                                                                              \
        (void)aggregate;                                                                           \
        (void)arena;                                                                               \
        (void)err;                                                                                 \
        for (uint32_t row = 0; row < count; row++) {                                               \
            if (SKIP_ROW(row))                                                                     \
                continue;                                                                          \
            bool_state *state = (bool_state *)(states[row] + offset);                              \
            uint8_t value = ROW_VALUE(uint8_t, row);                                               \
            state->value = state->has_value ? (uint8_t)(state->value OP value) : value;            \
            state->has_value = 1;                                                                  \
        }                                                                                          \
        return 0;                                                                                  \
    }
BOOL_UPDATE(bool_and_update, &&)
BOOL_UPDATE(bool_or_update, ||)

static int bool_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                         uint32_t row, tn_error *err)
{
    (void)aggregate;
    const bool_state *b = state;
    if (!b->has_value)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    ((uint8_t *)out->data)[row] = b->value;
    return 0;
}

static int bool_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                        tn_arena *arena, tn_error *err)
{
    const bool_state *from = source;
    if (!from->has_value)
        return 0;
    tn_vector value;
    memset(&value, 0, sizeof value);
    value.type = tn_type_make(TN_TYPE_BOOL);
    value.data = (void *)&from->value;
    value.is_constant = true;
    tn_vector *args[1] = {&value};
    char *states[1] = {target};
    return aggregate->function->update(aggregate, states, 0, args, 1, NULL, arena, err);
}

/* ---- string_agg ---- */

typedef struct text_state {
    char *data;
    uint32_t length;
    uint32_t capacity;
    bool has_value;
} text_state;

static int text_append(text_state *state, const char *data, uint32_t length, tn_arena *arena,
                       tn_error *err)
{
    if ((uint64_t)state->length + length > UINT32_MAX / 2)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "string_agg result is too long");
    if (state->length + length > state->capacity) {
        uint32_t capacity = state->capacity ? state->capacity : 64;
        while (capacity < state->length + length)
            capacity *= 2;
        char *grown = tn_arena_realloc(arena, state->data, state->length, capacity);
        if (grown == NULL)
            return tn_error_oom(err);
        state->data = grown;
        state->capacity = capacity;
    }
    memcpy(state->data + state->length, data, length);
    state->length += length;
    return 0;
}

static int string_agg_update(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                             tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                             tn_error *err)
{
    (void)aggregate;
    for (uint32_t row = 0; row < count; row++) {
        if (SKIP_ROW(row))
            continue;
        text_state *state = (text_state *)(states[row] + offset);
        if (state->has_value && tn_vector_is_valid(args[1], row)) {
            const tn_string *separator = &((const tn_string *)args[1]->data)[row * tn_stride(args[1])];
            if (text_append(state, tn_string_data(separator), separator->length, arena, err) != 0)
                return -1;
        }
        const tn_string *value = &ROW_VALUE(tn_string, row);
        if (text_append(state, tn_string_data(value), value->length, arena, err) != 0)
            return -1;
        state->has_value = true;
    }
    return 0;
}

/* Joins two partial results; the separator between them is not known
 * here, so parallel string_agg keeps to one thread (op_hash_aggregate). */
static int string_agg_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                              tn_arena *arena, tn_error *err)
{
    (void)aggregate;
    text_state *to = target;
    const text_state *from = source;
    if (!from->has_value)
        return 0;
    if (text_append(to, from->data, from->length, arena, err) != 0)
        return -1;
    to->has_value = true;
    return 0;
}

static int string_agg_finalize(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                               uint32_t row, tn_error *err)
{
    (void)aggregate;
    const text_state *text = state;
    if (!text->has_value)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    return tn_vector_set_string(out, row, text->data != NULL ? text->data : "", text->length) == 0
               ? 0 : tn_error_oom(err);
}

/* ---- variance and standard deviation ----
 * Floats: Youngs-Cramer running sums (N, Sx, Sxx) as PostgreSQL's
 * float8_accum, merged with its float8_combine formula.  Integers and
 * NUMERIC: exact N, sum and sum of squares, finished as numeric_stddev_internal
 * does: (N*Sxx - Sx*Sx) / (N*(N-1)) (or N*N), square root for stddev. */

typedef struct float_variance_state {
    double n, sx, sxx;
} float_variance_state;

typedef struct numeric_variance_state {
    int64_t n;
    tn_int128 sum;     /* at scale: the largest input scale, as PostgreSQL's sumX */
    tn_int128 squares; /* at twice that scale */
    int32_t scale;
} numeric_variance_state;

/* Adds value (at scale) and its square to state, raising the state's scale
 * when the value has more decimals. */
static int variance_add(numeric_variance_state *state, tn_int128 value, int scale, tn_error *err)
{
    if (scale > state->scale) {
        if (tn_numeric_rescale(state->sum, state->scale, scale, &state->sum, err) != 0 ||
            tn_numeric_rescale(state->squares, 2 * state->scale, 2 * scale, &state->squares, err) != 0)
            return -1;
        state->scale = scale;
    } else if (scale < state->scale &&
               tn_numeric_rescale(value, scale, state->scale, &value, err) != 0) {
        return -1;
    }
    tn_int128 square;
    if (__builtin_mul_overflow(value, value, &square) ||
        __builtin_add_overflow(state->squares, square, &state->squares) || exceeds_numeric(state->squares))
        return numeric_overflow(err);
    state->sum += value;
    if (exceeds_numeric(state->sum))
        return numeric_overflow(err);
    state->n++;
    return 0;
}

#define FLOAT_VARIANCE_UPDATE(NAME, CT)                                                            \
    static int NAME(const tn_bound_aggregate *aggregate, char **states, size_t offset,             \
                    tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,        \
                    tn_error *err)                                                                 \
    {                                                                                              \
        (void)aggregate;                                                                           \
        (void)arena;                                                                               \
        (void)err;                                                                                 \
        for (uint32_t row = 0; row < count; row++) {                                               \
            if (SKIP_ROW(row))                                                                     \
                continue;                                                                          \
            float_variance_state *state = (float_variance_state *)(states[row] + offset);          \
            double value = (double)ROW_VALUE(CT, row);                                             \
            state->n += 1.0;                                                                       \
            state->sx += value;                                                                    \
            if (state->n > 1.0) {                                                                  \
                double tmp = value * state->n - state->sx;                                         \
                state->sxx += tmp * tmp / (state->n * (state->n - 1.0));                           \
            } else {                                                                               \
                state->sxx = 0 * value; /* NaN and infinities propagate */                         \
            }                                                                                      \
        }                                                                                          \
        return 0;                                                                                  \
    }
FLOAT_VARIANCE_UPDATE(variance_float32_update, float)
FLOAT_VARIANCE_UPDATE(variance_float64_update, double)

static int float_variance_combine(const tn_bound_aggregate *aggregate, void *target, const void *source,
                                  tn_arena *arena, tn_error *err)
{
    (void)aggregate;
    (void)arena;
    (void)err;
    float_variance_state *to = target;
    const float_variance_state *from = source;
    if (from->n == 0)
        return 0;
    if (to->n == 0) {
        *to = *from;
        return 0;
    }
    double n = to->n + from->n, tmp = to->sx / to->n - from->sx / from->n;
    to->sxx += from->sxx + to->n * from->n * tmp * tmp / n;
    to->sx += from->sx;
    to->n = n;
    return 0;
}

#define NUMERIC_VARIANCE_UPDATE(NAME, CT)                                                          \
    static int NAME(const tn_bound_aggregate *aggregate, char **states, size_t offset,             \
                    tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,        \
                    tn_error *err)                                                                 \
    {                                                                                              \
        (void)aggregate;                                                                           \
        (void)arena;                                                                               \
        for (uint32_t row = 0; row < count; row++) {                                               \
            if (SKIP_ROW(row))                                                                     \
                continue;                                                                          \
            numeric_variance_state *state = (numeric_variance_state *)(states[row] + offset);      \
            if (variance_add(state, (tn_int128)ROW_VALUE(CT, row), tn_vector_numeric_scale(args[0], row), \
                             err) != 0)                                                            \
                return -1;                                                                         \
        }                                                                                          \
        return 0;                                                                                  \
    }
NUMERIC_VARIANCE_UPDATE(variance_int16_update, int16_t)
NUMERIC_VARIANCE_UPDATE(variance_int32_update, int32_t)
NUMERIC_VARIANCE_UPDATE(variance_int64_update, int64_t)
NUMERIC_VARIANCE_UPDATE(variance_numeric_update, tn_int128)

static int numeric_variance_combine(const tn_bound_aggregate *aggregate, void *target,
                                    const void *source, tn_arena *arena, tn_error *err)
{
    (void)aggregate;
    (void)arena;
    numeric_variance_state *to = target;
    numeric_variance_state from = *(const numeric_variance_state *)source;
    int scale = to->scale > from.scale ? to->scale : from.scale;
    if (tn_numeric_rescale(to->sum, to->scale, scale, &to->sum, err) != 0 ||
        tn_numeric_rescale(to->squares, 2 * to->scale, 2 * scale, &to->squares, err) != 0 ||
        tn_numeric_rescale(from.sum, from.scale, scale, &from.sum, err) != 0 ||
        tn_numeric_rescale(from.squares, 2 * from.scale, 2 * scale, &from.squares, err) != 0)
        return -1;
    to->scale = scale;
    to->n += from.n;
    to->sum += from.sum;
    to->squares += from.squares;
    if (exceeds_numeric(to->sum) || exceeds_numeric(to->squares))
        return numeric_overflow(err);
    return 0;
}

/* floor(sqrt(m)) for m >= 0, by Newton's method from a double guess. */
static tn_int128 isqrt128(tn_int128 m)
{
    tn_int128 x = (tn_int128)sqrtl((long double)m);
    while (x > 0 && x * x > m)
        x--;
    while ((x + 1) * (x + 1) <= m)
        x++;
    return x;
}

/* sqrt of value (at scale) rounded half up at the same scale. */
static int numeric_sqrt_at(tn_int128 value, int scale, tn_int128 *out, tn_error *err)
{
    tn_int128 limit = tn_numeric_pow10(TN_NUMERIC_MAX_PRECISION - scale);
    if (value < limit) {
        tn_int128 m = value * tn_numeric_pow10(scale), q = isqrt128(m);
        *out = m - q * q > q ? q + 1 : q;
        return 0;
    }
    long double root = sqrtl((long double)value / powl(10.0L, scale)) * powl(10.0L, scale);
    if (!(root < 1e38L))
        return numeric_overflow(err);
    *out = (tn_int128)roundl(root);
    return 0;
}

enum { VARIANCE_SAMPLE = 1, VARIANCE_ROOT = 2 };

static int variance_finish(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                           uint32_t row, int kind, tn_error *err)
{
    bool sample = (kind & VARIANCE_SAMPLE) != 0, root = (kind & VARIANCE_ROOT) != 0;
    if (aggregate->type.id == TN_TYPE_FLOAT64) {
        const float_variance_state *f = state;
        if (f->n == 0 || (sample && f->n <= 1))
            return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
        double variance = f->sxx / (sample ? f->n - 1.0 : f->n);
        ((double *)out->data)[row] = root ? sqrt(variance) : variance;
        return 0;
    }
    const numeric_variance_state *v = state;
    if (v->n == 0 || (sample && v->n <= 1))
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    int scale = v->scale;
    tn_int128 n_squares, sum_squared, numerator, result;
    int s1, s2, s3;
    if (tn_numeric_mul((tn_int128)v->n, 0, v->squares, 2 * scale, &n_squares, &s1, err) != 0 ||
        tn_numeric_mul(v->sum, scale, v->sum, scale, &sum_squared, &s2, err) != 0 ||
        tn_numeric_sub(n_squares, s1, sum_squared, s2, &numerator, &s3, err) != 0)
        return -1;
    if (numerator <= 0) /* PostgreSQL's zero has scale 0 */
        return tn_vector_set_numeric(out, row, 0, 0, err);
    tn_int128 denominator = (tn_int128)v->n * (sample ? v->n - 1 : v->n);
    int result_scale = tn_numeric_div_scale(numerator, s3, denominator, 0);
    if (tn_numeric_div_scaled(numerator, s3, denominator, 0, result_scale, &result, err) != 0 ||
        (root && numeric_sqrt_at(result, result_scale, &result, err) != 0))
        return -1;
    return tn_vector_set_numeric(out, row, result, result_scale, err);
}

#define VARIANCE_FINALIZE(NAME, KIND)                                                              \
    static int NAME(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,        \
                    uint32_t row, tn_error *err)                                                   \
    {                                                                                              \
        return variance_finish(aggregate, state, out, row, KIND, err);                             \
    }
VARIANCE_FINALIZE(var_samp_finalize, VARIANCE_SAMPLE)
VARIANCE_FINALIZE(var_pop_finalize, 0)
VARIANCE_FINALIZE(stddev_samp_finalize, VARIANCE_SAMPLE | VARIANCE_ROOT)
VARIANCE_FINALIZE(stddev_pop_finalize, VARIANCE_ROOT)

/* NUMERIC results: the type's scale estimate is PostgreSQL's
 * select_div_scale for a quotient of magnitude 1..9999 (16 digits), at
 * least twice the input's scale; each value gets its exact scale. */
static int bind_variance(tn_bound_aggregate *aggregate, tn_error *err)
{
    (void)err;
    if (aggregate->type.id == TN_TYPE_NUMERIC) {
        int scale = aggregate->args[0]->type.id == TN_TYPE_NUMERIC ? 2 * aggregate->args[0]->type.scale : 0;
        aggregate->type = tn_type_numeric(0, scale > 16 ? (scale > 38 ? 38 : scale) : 16);
    }
    return 0;
}

/* array_agg is resolved (so the binder sees an aggregate) and refused. */
static int bind_array_agg(tn_bound_aggregate *aggregate, tn_error *err)
{
    return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, aggregate->location, "arrays are not supported");
}

/* ---- result types ---- */

static int bind_sum(tn_bound_aggregate *aggregate, tn_error *err)
{
    (void)err;
    if (aggregate->type.id == TN_TYPE_NUMERIC)
        aggregate->type = tn_type_numeric(0, aggregate->args[0]->type.id == TN_TYPE_NUMERIC
                                                 ? aggregate->args[0]->type.scale : 0);
    return 0;
}

/* avg of integers or NUMERIC: the type's estimate is 16 decimals, at least
 * the input's; each value gets select_div_scale of its sum and count. */
static int bind_avg(tn_bound_aggregate *aggregate, tn_error *err)
{
    (void)err;
    if (aggregate->type.id == TN_TYPE_NUMERIC) {
        int scale = aggregate->args[0]->type.id == TN_TYPE_NUMERIC ? aggregate->args[0]->type.scale : 0;
        aggregate->type = tn_type_numeric(0, scale > 16 ? scale : 16);
    }
    return 0;
}

static int bind_same(tn_bound_aggregate *aggregate, tn_error *err)
{
    (void)err;
    aggregate->type = aggregate->args[0]->type;
    return 0;
}

#define ANY TN_TYPE__COUNT
#define AGG(NAME, N, A, B, R, STATE, UPDATE, COMBINE, FINALIZE, BIND) \
    {NAME, N, {A, B}, R, sizeof(STATE), UPDATE, COMBINE, FINALIZE, BIND}
#define SUM(A, R, UPDATE) AGG("sum", 1, TN_TYPE_##A, 0, TN_TYPE_##R, sum_state, UPDATE, sum_combine, sum_finalize, bind_sum)
#define AVG(A, R, UPDATE) AGG("avg", 1, TN_TYPE_##A, 0, TN_TYPE_##R, sum_state, UPDATE, sum_combine, avg_finalize, bind_avg)
#define EXTREMES(ID, CT, FIELD)                                                                    \
    AGG("min", 1, TN_TYPE_##ID, 0, TN_TYPE_##ID, extreme_state, min_##ID##_update, extreme_combine, extreme_finalize, bind_same), \
    AGG("max", 1, TN_TYPE_##ID, 0, TN_TYPE_##ID, extreme_state, max_##ID##_update, extreme_combine, extreme_finalize, bind_same),
#define EXTREME_TYPES(X)              \
    X(INT16, int16_t, int16)          \
    X(INT32, int32_t, int32)          \
    X(INT64, int64_t, integer)        \
    X(NUMERIC, tn_int128, numeric)    \
    X(FLOAT32, float, float32)        \
    X(FLOAT64, double, floating)      \
    X(TEXT, tn_string, string)        \
    X(DATE, int32_t, int32)           \
    X(TIMESTAMP, int64_t, integer)    \
    X(TIMESTAMPTZ, int64_t, integer)  \
    X(INTERVAL, tn_interval, interval) \
    X(TIME, int64_t, integer)         \
    X(BOOL, uint8_t, boolean)

#define VARIANCE(NAME, A, R, STATE, UPDATE, COMBINE, FINALIZE) \
    AGG(NAME, 1, TN_TYPE_##A, 0, TN_TYPE_##R, STATE, UPDATE, COMBINE, FINALIZE, bind_variance),
#define VARIANCES(NAME, FINALIZE)                                                                  \
    VARIANCE(NAME, INT16, NUMERIC, numeric_variance_state, variance_int16_update, numeric_variance_combine, FINALIZE) \
    VARIANCE(NAME, INT32, NUMERIC, numeric_variance_state, variance_int32_update, numeric_variance_combine, FINALIZE) \
    VARIANCE(NAME, INT64, NUMERIC, numeric_variance_state, variance_int64_update, numeric_variance_combine, FINALIZE) \
    VARIANCE(NAME, NUMERIC, NUMERIC, numeric_variance_state, variance_numeric_update, numeric_variance_combine, FINALIZE) \
    VARIANCE(NAME, FLOAT32, FLOAT64, float_variance_state, variance_float32_update, float_variance_combine, FINALIZE) \
    VARIANCE(NAME, FLOAT64, FLOAT64, float_variance_state, variance_float64_update, float_variance_combine, FINALIZE)

static const tn_aggregate_function aggregates[] = {
    AGG("count", 0, 0, 0, TN_TYPE_INT64, int64_t, count_star_update, count_combine, count_finalize, NULL),
    AGG("count", 1, ANY, 0, TN_TYPE_INT64, int64_t, count_update, count_combine, count_finalize, NULL),
    SUM(INT16, INT64, sum_int16_update),
    SUM(INT32, INT64, sum_int32_update),
    SUM(INT64, NUMERIC, sum_int64_update),
    SUM(NUMERIC, NUMERIC, sum_numeric_update),
    SUM(FLOAT32, FLOAT32, sum_float32_update),
    SUM(FLOAT64, FLOAT64, sum_float64_update),
    SUM(INTERVAL, INTERVAL, sum_interval_update),
    AVG(INT16, NUMERIC, avg_int16_update),
    AVG(INT32, NUMERIC, avg_int32_update),
    AVG(INT64, NUMERIC, sum_int64_update),
    AVG(NUMERIC, NUMERIC, sum_numeric_update),
    AVG(FLOAT32, FLOAT64, sum_float32_update),
    AVG(FLOAT64, FLOAT64, sum_float64_update),
    AVG(INTERVAL, INTERVAL, sum_interval_update),
    EXTREME_TYPES(EXTREMES)
    AGG("bool_and", 1, TN_TYPE_BOOL, 0, TN_TYPE_BOOL, bool_state, bool_and_update, bool_combine, bool_finalize, NULL),
    AGG("every", 1, TN_TYPE_BOOL, 0, TN_TYPE_BOOL, bool_state, bool_and_update, bool_combine, bool_finalize, NULL),
    AGG("bool_or", 1, TN_TYPE_BOOL, 0, TN_TYPE_BOOL, bool_state, bool_or_update, bool_combine, bool_finalize, NULL),
    AGG("string_agg", 2, TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_TEXT, text_state, string_agg_update, string_agg_combine, string_agg_finalize, NULL),
    VARIANCES("variance", var_samp_finalize)
    VARIANCES("var_samp", var_samp_finalize)
    VARIANCES("var_pop", var_pop_finalize)
    VARIANCES("stddev", stddev_samp_finalize)
    VARIANCES("stddev_samp", stddev_samp_finalize)
    VARIANCES("stddev_pop", stddev_pop_finalize)
    AGG("array_agg", 1, ANY, 0, TN_TYPE_TEXT, int64_t, count_update, count_combine, count_finalize, bind_array_agg),
};

#define AGGREGATE_COUNT ((int)(sizeof aggregates / sizeof aggregates[0]))

bool tn_aggregate_exists(const char *name)
{
    for (int i = 0; i < AGGREGATE_COUNT; i++) {
        if (strcmp(aggregates[i].name, name) == 0)
            return true;
    }
    return false;
}

static bool is_unknown(const tn_expr *arg)
{
    return arg->type.id == TN_TYPE_NULL ||
           (arg->type.id == TN_TYPE_TEXT && arg->kind == TN_EXPR_CONSTANT && arg->depth == -1);
}

/* Exact argument types first, then the first overload reachable by
 * implicit casts (the table lists narrower types first). */
static const tn_aggregate_function *resolve(const char *name, tn_expr **args, int arg_count)
{
    const tn_aggregate_function *fallback = NULL;
    for (int i = 0; i < AGGREGATE_COUNT; i++) {
        const tn_aggregate_function *function = &aggregates[i];
        if (strcmp(function->name, name) != 0 || function->arg_count != arg_count)
            continue;
        bool exact = true, reachable = true;
        for (int k = 0; k < arg_count; k++) {
            tn_type_id want = function->arg_types[k];
            if (want == ANY)
                continue;
            tn_type_id have = is_unknown(args[k]) ? TN_TYPE_TEXT : args[k]->type.id;
            exact &= have == want;
            reachable &= tn_cast_is_implicit(have, want) || is_unknown(args[k]);
        }
        if (exact)
            return function;
        if (reachable && fallback == NULL)
            fallback = function;
    }
    return fallback;
}

static void report_missing(const char *name, tn_expr **args, int arg_count, int location, tn_error *err)
{
    char call[256];
    size_t used = (size_t)snprintf(call, sizeof call, "%s(", name);
    for (int i = 0; i < arg_count && used < sizeof call; i++) {
        const char *type_name = is_unknown(args[i]) ? "unknown" : tn_type_id_name(args[i]->type.id);
        used += (size_t)snprintf(call + used, sizeof call - used, "%s%s", i ? ", " : "", type_name);
    }
    if (used < sizeof call)
        snprintf(call + used, sizeof call - used, ")");
    tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "function %s does not exist", call);
    tn_error_hint(err, "No function matches the given name and argument types. You might need to "
                       "add explicit type casts.");
}

tn_bound_aggregate *tn_aggregate_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                                      bool is_distinct, bool is_star, int location, tn_error *err)
{
    const tn_aggregate_function *function = resolve(name, args, is_star ? 0 : arg_count);
    if (function == NULL) {
        report_missing(name, args, is_star ? 0 : arg_count, location, err);
        return NULL;
    }
    tn_bound_aggregate *aggregate = tn_arena_zalloc(arena, sizeof(tn_bound_aggregate));
    if (aggregate == NULL || (function->arg_count > 0 &&
        (aggregate->args = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)function->arg_count)) == NULL)) {
        tn_error_oom(err);
        return NULL;
    }
    aggregate->function = function;
    aggregate->name = name;
    aggregate->arg_count = function->arg_count;
    aggregate->is_distinct = is_distinct;
    aggregate->is_star = is_star;
    aggregate->location = location;
    aggregate->type = tn_type_make(function->result_type);
    for (int k = 0; k < function->arg_count; k++) {
        tn_type_id want = function->arg_types[k];
        tn_type target = want == ANY ? args[k]->type : tn_type_make(want);
        if (want == ANY && is_unknown(args[k]))
            target = tn_type_make(TN_TYPE_TEXT);
        aggregate->args[k] = tn_expr_cast(arena, args[k], target, TN_CAST_IMPLICIT, err);
        if (aggregate->args[k] == NULL)
            return NULL;
    }
    if (function->bind != NULL && function->bind(aggregate, err) != 0)
        return NULL;
    return aggregate;
}
