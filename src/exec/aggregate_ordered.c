/*
 * Aggregates whose input order matters: string_agg(x, ',' ORDER BY y)
 * and the other aggregates with ORDER BY inside the call, and the
 * ordered-set aggregates percentile_cont, percentile_disc and mode
 * (WITHIN GROUP (ORDER BY x)).
 *
 * They plug into the aggregate operator as ordinary aggregates: each
 * bound call gets its own function row whose state is the list of its
 * group's argument rows (values copied into the state arena); combine
 * concatenates lists, and finalize sorts the rows by the keys (stably, so
 * ties keep arrival order) and then either feeds them to the plain
 * aggregate (aggregate.c) in that order or computes the ordered-set
 * result.  array_agg stays refused by aggregate.c (no arrays).
 */
#include "exec/exec_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "types/datetime.h"

typedef struct ordered_state {
    tn_value *values;          /* count rows of aggregate->arg_count values */
    int64_t count;
    int64_t capacity;
} ordered_state;

static int ordered_update(const tn_bound_aggregate *aggregate, char **states, size_t offset, tn_vector **args,
                          uint32_t count, const uint8_t *mask, tn_arena *arena, tn_error *err)
{
    int width = aggregate->arg_count;
    for (uint32_t row = 0; row < count; row++) {
        if (mask != NULL && !mask[row])
            continue;
        ordered_state *state = (ordered_state *)(states[row] + offset);
        if (state->count == state->capacity) {
            int64_t capacity = state->capacity ? state->capacity * 2 : 16;
            tn_value *grown = tn_arena_realloc(arena, state->values, sizeof(tn_value) * (size_t)(state->capacity * width),
                                               sizeof(tn_value) * (size_t)(capacity * width));
            if (grown == NULL)
                return tn_error_oom(err);
            state->values = grown;
            state->capacity = capacity;
        }
        tn_value *out = state->values + state->count * width;
        for (int k = 0; k < width; k++) {
            tn_vector_get_value(args[k], row, &out[k]);
            if (!out[k].is_null && tn_type_is_string(out[k].type.id)) {
                uint32_t length = out[k].u.string.length;
                char *copy = tn_arena_alloc(arena, length + 1);
                if (copy == NULL)
                    return tn_error_oom(err);
                memcpy(copy, tn_string_data(&out[k].u.string), length);
                out[k].u.string = tn_string_make(copy, length);
            }
        }
        state->count++;
    }
    return 0;
}

static int ordered_combine(const tn_bound_aggregate *aggregate, void *target_state, const void *source_state,
                           tn_arena *arena, tn_error *err)
{
    ordered_state *target = target_state;
    const ordered_state *source = source_state;
    int width = aggregate->arg_count;
    if (source->count == 0)
        return 0;
    int64_t count = target->count + source->count;
    tn_value *values = tn_arena_realloc(arena, target->values, sizeof(tn_value) * (size_t)(target->capacity * width),
                                        sizeof(tn_value) * (size_t)(count * width));
    if (values == NULL)
        return tn_error_oom(err);
    memcpy(values + target->count * width, source->values, sizeof(tn_value) * (size_t)(source->count * width));
    target->values = values;
    target->count = target->capacity = count;
    return 0;
}

/* ---- sorting the rows ---- */

static int compare_values(const tn_value *a, const tn_value *b)
{
    if (a->type.id == TN_TYPE_NUMERIC && a->type.scale != b->type.scale) {
        /* align scales (per-value display scales of unconstrained numeric) */
        tn_int128 x = a->u.numeric, y = b->u.numeric;
        for (int s = a->type.scale; s < b->type.scale; s++)
            x *= 10;
        for (int s = b->type.scale; s < a->type.scale; s++)
            y *= 10;
        return (x > y) - (x < y);
    }
    return tn_value_compare_raw(a->type.id, &a->u, &b->u);
}

static int compare_rows(const tn_bound_aggregate *aggregate, const tn_value *a, const tn_value *b)
{
    for (int k = 0; k < aggregate->order_count; k++) {
        const tn_value *x = &a[aggregate->order_args[k]], *y = &b[aggregate->order_args[k]];
        if (x->is_null || y->is_null) {
            if (x->is_null && y->is_null)
                continue;
            return (x->is_null ? 1 : -1) * (aggregate->order_nulls_first[k] ? -1 : 1);
        }
        int cmp = compare_values(x, y);
        if (cmp != 0)
            return aggregate->order_descending[k] ? -cmp : cmp;
    }
    return 0;
}

/* Row numbers of state in key order (stable merge sort); NULL when out of
 * memory.  The caller frees. */
static int64_t *sorted_rows(const tn_bound_aggregate *aggregate, const ordered_state *state)
{
    int64_t count = state->count;
    int64_t *order = malloc(sizeof(int64_t) * (size_t)(count + 1));
    int64_t *scratch = malloc(sizeof(int64_t) * (size_t)(count + 1));
    if (order == NULL || scratch == NULL) {
        free(order);
        free(scratch);
        return NULL;
    }
    int width = aggregate->arg_count;
    for (int64_t row = 0; row < count; row++)
        order[row] = row;
    for (int64_t run = 1; run < count; run *= 2) {
        for (int64_t start = 0; start < count; start += 2 * run) {
            int64_t middle = start + run < count ? start + run : count;
            int64_t end = start + 2 * run < count ? start + 2 * run : count;
            int64_t i = start, j = middle, out = start;
            while (i < middle && j < end)
                scratch[out++] = compare_rows(aggregate, state->values + order[j] * width,
                                              state->values + order[i] * width) < 0 ? order[j++] : order[i++];
            while (i < middle)
                scratch[out++] = order[i++];
            while (j < end)
                scratch[out++] = order[j++];
        }
        memcpy(order, scratch, sizeof(int64_t) * (size_t)count);
    }
    free(scratch);
    return order;
}

/* ---- finalize: the plain aggregate over the sorted rows ---- */

static int feed_inner(const tn_bound_aggregate *aggregate, const ordered_state *state, const int64_t *order,
                      tn_arena *arena, void *inner_state, tn_vector *out, uint32_t out_row, tn_error *err)
{
    const tn_aggregate_function *inner = aggregate->inner;
    int width = aggregate->arg_count, values = aggregate->value_count;
    tn_vector vectors[4];
    tn_vector *args[4] = {NULL};
    char **states = malloc(sizeof(char *) * TN_VECTOR_SIZE);
    if (states == NULL)
        return tn_error_oom(err);
    for (int r = 0; r < TN_VECTOR_SIZE; r++)
        states[r] = inner_state;
    for (int k = 0; k < values && k < 4; k++) {
        if (tn_vector_init(&vectors[k], aggregate->args[k]->type, arena) != 0) {
            free(states);
            return tn_error_oom(err);
        }
        args[k] = &vectors[k];
    }
    int rc = 0;
    for (int64_t first = 0; rc == 0 && first < state->count; first += TN_VECTOR_SIZE) {
        uint32_t count = (uint32_t)(state->count - first < TN_VECTOR_SIZE ? state->count - first : TN_VECTOR_SIZE);
        for (uint32_t i = 0; rc == 0 && i < count; i++)
            for (int k = 0; rc == 0 && k < values && k < 4; k++)
                if (tn_vector_set_value(&vectors[k], i, &state->values[order[first + i] * width + k]) != 0)
                    rc = tn_error_oom(err);
        if (rc == 0)
            rc = inner->update(aggregate, states, 0, args, count, NULL, arena, err);
    }
    free(states);
    return rc != 0 ? -1 : inner->finalize(aggregate, inner_state, out, out_row, err);
}

static void destroy_arena(void *arena)
{
    tn_arena_destroy(arena);
}

static int ordered_finalize(const tn_bound_aggregate *aggregate, const void *state_bytes, tn_vector *out,
                            uint32_t row, tn_error *err)
{
    const ordered_state *state = state_bytes;
    int64_t *order = sorted_rows(aggregate, state);
    tn_arena *arena = tn_arena_create();
    void *inner_state = calloc(1, aggregate->inner->state_size + 16);
    int rc = order != NULL && arena != NULL && inner_state != NULL
                 ? feed_inner(aggregate, state, order, arena, inner_state, out, row, err)
                 : tn_error_oom(err);
    free(inner_state);
    if (arena != NULL)
        destroy_arena(arena);
    free(order);
    return rc;
}

/* ---- ordered-set aggregates ---- */

/* interval * factor, as PostgreSQL's interval_mul */
static tn_interval interval_scale(const tn_interval *span, double factor)
{
    tn_interval result;
    double months = span->months * factor, days = span->days * factor;
    result.months = (int32_t)months;
    result.days = (int32_t)days;
    double month_days = rint((months - result.months) * 30 * 1e6) / 1e6;
    double seconds = rint((days - result.days + month_days - (int)month_days) * 86400 * 1e6) / 1e6;
    if (fabs(seconds) >= 86400) {
        result.days += (int)(seconds / 86400);
        seconds -= (int)(seconds / 86400) * 86400.0;
    }
    result.days += (int)month_days;
    result.micros = (int64_t)rint((double)span->micros * factor + seconds * 1e6);
    return result;
}

static int set_result(tn_vector *out, uint32_t row, const tn_value *value, tn_error *err)
{
    if (value->is_null)
        return tn_vector_set_null(out, row) != 0 ? tn_error_oom(err) : 0;
    tn_value copy = *value;
    copy.type = out->type;
    return tn_vector_set_value(out, row, &copy) != 0 ? tn_error_oom(err) : 0;
}

static int ordered_set_finalize(const tn_bound_aggregate *aggregate, const void *state_bytes, tn_vector *out,
                                uint32_t row, tn_error *err)
{
    const ordered_state *state = state_bytes;
    int width = aggregate->arg_count, key = aggregate->order_args[0];
    bool is_mode = aggregate->value_count == 0;
    tn_value null_value = tn_value_null(out->type);
    if (state->count == 0)
        return set_result(out, row, &null_value, err);
    double fraction = 0;
    if (!is_mode) {
        const tn_value *f = &state->values[0];
        if (f->is_null)
            return set_result(out, row, &null_value, err);
        fraction = f->u.floating;
        if (fraction < 0 || fraction > 1 || isnan(fraction))
            return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "percentile value %g is not between 0 and 1",
                                fraction);
    }
    int64_t *order = sorted_rows(aggregate, state);
    if (order == NULL)
        return tn_error_oom(err);
    int64_t n = 0; /* NULL keys sort last and are ignored */
    while (n < state->count && !state->values[order[n] * width + key].is_null)
        n++;
    int rc;
#define KEY(i) (&state->values[order[i] * width + key])
    if (n == 0) {
        rc = set_result(out, row, &null_value, err);
    } else if (is_mode) {
        int64_t best = 0, best_count = 0;
        for (int64_t i = 0; i < n;) {
            int64_t j = i + 1;
            while (j < n && compare_values(KEY(i), KEY(j)) == 0)
                j++;
            if (j - i > best_count) {
                best = i;
                best_count = j - i;
            }
            i = j;
        }
        rc = set_result(out, row, KEY(best), err);
    } else if (strcmp(aggregate->name, "percentile_disc") == 0) {
        int64_t rownum = (int64_t)ceil(fraction * (double)n);
        rc = set_result(out, row, KEY(rownum <= 0 ? 0 : rownum - 1), err);
    } else {
        double position = fraction * (double)(n - 1);
        int64_t lo = (int64_t)floor(position), hi = (int64_t)ceil(position);
        tn_value result = *KEY(lo);
        if (hi != lo) {
            const tn_value *a = KEY(lo), *b = KEY(hi);
            double proportion = position - (double)lo;
            if (out->type.id == TN_TYPE_INTERVAL) {
                tn_interval diff, scaled;
                rc = tn_interval_sub(&b->u.interval, &a->u.interval, &diff, err);
                scaled = interval_scale(&diff, proportion);
                if (rc == 0)
                    rc = tn_interval_add(&a->u.interval, &scaled, &result.u.interval, err);
                if (rc != 0) {
                    free(order);
                    return -1;
                }
            } else {
                result.u.floating = a->u.floating + proportion * (b->u.floating - a->u.floating);
            }
        }
        rc = set_result(out, row, &result, err);
    }
#undef KEY
    free(order);
    return rc;
}

/* ---- binding ---- */

static tn_aggregate_function *wrapper(tn_arena *arena, const char *name, int arg_count, tn_type_id result,
                                      int (*finalize)(const tn_bound_aggregate *, const void *, tn_vector *, uint32_t,
                                                      tn_error *))
{
    tn_aggregate_function *function = tn_arena_zalloc(arena, sizeof(tn_aggregate_function));
    if (function == NULL)
        return NULL;
    function->name = name;
    function->arg_count = arg_count;
    function->arg_types[0] = function->arg_types[1] = TN_TYPE__COUNT;
    function->result_type = result;
    function->state_size = sizeof(ordered_state);
    function->update = ordered_update;
    function->combine = ordered_combine;
    function->finalize = finalize;
    return function;
}

static tn_bound_aggregate *bind_ordered_set(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                                            tn_expr *key, int location, tn_error *err)
{
    bool is_mode = strcmp(name, "mode") == 0, is_cont = strcmp(name, "percentile_cont") == 0;
    if (!is_mode && !is_cont && strcmp(name, "percentile_disc") != 0) {
        tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, location, "WITHIN GROUP is not supported for %s", name);
        return NULL;
    }
    if (arg_count != (is_mode ? 0 : 1)) {
        tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "function %s does not exist", name);
        return NULL;
    }
    tn_bound_aggregate *aggregate = tn_arena_zalloc(arena, sizeof(tn_bound_aggregate));
    tn_expr **all = tn_arena_zalloc(arena, sizeof(tn_expr *) * 3);
    if (aggregate == NULL || all == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (!is_mode && (all[0] = tn_expr_cast(arena, args[0], tn_type_make(TN_TYPE_FLOAT64), TN_CAST_IMPLICIT, err)) == NULL)
        return NULL;
    tn_type key_type = key->type;
    if (key_type.id == TN_TYPE_NULL || (key->kind == TN_EXPR_CONSTANT && key_type.id == TN_TYPE_TEXT && key->depth == -1))
        key_type = tn_type_make(is_cont ? TN_TYPE_FLOAT64 : TN_TYPE_TEXT);
    if (is_cont && key_type.id != TN_TYPE_INTERVAL)
        key_type = tn_type_make(TN_TYPE_FLOAT64);
    if ((all[is_mode ? 0 : 1] = tn_expr_cast(arena, key, key_type, TN_CAST_IMPLICIT, err)) == NULL)
        return NULL;
    aggregate->function = wrapper(arena, name, is_mode ? 1 : 2, key_type.id, ordered_set_finalize);
    aggregate->order_args = tn_arena_zalloc(arena, sizeof(int));
    aggregate->order_descending = tn_arena_zalloc(arena, sizeof(bool));
    aggregate->order_nulls_first = tn_arena_zalloc(arena, sizeof(bool));
    if (aggregate->function == NULL || aggregate->order_args == NULL || aggregate->order_descending == NULL ||
        aggregate->order_nulls_first == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    aggregate->name = name;
    aggregate->args = all;
    aggregate->arg_count = is_mode ? 1 : 2;
    aggregate->value_count = is_mode ? 0 : 1;
    aggregate->order_count = 1;
    aggregate->order_args[0] = is_mode ? 0 : 1;
    aggregate->type = key_type;
    aggregate->location = location;
    return aggregate;
}

tn_bound_aggregate *tn_aggregate_bind_ordered(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                                              tn_expr **keys, const bool *descending, const bool *nulls_first,
                                              int key_count, bool is_distinct, bool is_within_group,
                                              int location, tn_error *err)
{
    if (is_within_group) {
        if (key_count != 1) {
            tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "function %s does not exist", name);
            return NULL;
        }
        tn_bound_aggregate *aggregate = bind_ordered_set(arena, name, args, arg_count, keys[0], location, err);
        if (aggregate != NULL) {
            aggregate->order_descending[0] = descending[0];
            aggregate->order_nulls_first[0] = false; /* NULLs are ignored */
        }
        return aggregate;
    }
    tn_bound_aggregate *aggregate = tn_aggregate_bind(arena, name, args, arg_count, is_distinct, false, location, err);
    if (aggregate == NULL)
        return NULL;
    int values = aggregate->arg_count;
    tn_expr **all = tn_arena_zalloc(arena, sizeof(tn_expr *) * (size_t)(values + key_count + 1));
    aggregate->order_args = tn_arena_zalloc(arena, sizeof(int) * (size_t)(key_count + 1));
    aggregate->order_descending = tn_arena_zalloc(arena, sizeof(bool) * (size_t)(key_count + 1));
    aggregate->order_nulls_first = tn_arena_zalloc(arena, sizeof(bool) * (size_t)(key_count + 1));
    if (all == NULL || aggregate->order_args == NULL || aggregate->order_descending == NULL ||
        aggregate->order_nulls_first == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    memcpy(all, aggregate->args, sizeof(tn_expr *) * (size_t)values);
    int count = values;
    for (int k = 0; k < key_count; k++) {
        /* DISTINCT: the keys are among the arguments (checked by the binder) */
        int found = -1;
        char *key_text = is_distinct ? tn_expr_to_string(arena, keys[k]) : NULL;
        for (int a = 0; key_text != NULL && a < values && found < 0; a++) {
            char *arg_text = tn_expr_to_string(arena, all[a]);
            if (arg_text != NULL && strcmp(arg_text, key_text) == 0)
                found = a;
        }
        if (found < 0) {
            found = count;
            all[count++] = keys[k];
        }
        aggregate->order_args[k] = found;
        aggregate->order_descending[k] = descending[k];
        aggregate->order_nulls_first[k] = nulls_first[k];
    }
    aggregate->inner = aggregate->function;
    aggregate->function = wrapper(arena, aggregate->function->name, count, aggregate->type.id, ordered_finalize);
    if (aggregate->function == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    aggregate->args = all;
    aggregate->arg_count = count;
    aggregate->value_count = values;
    aggregate->order_count = key_count;
    return aggregate;
}
