/*
 * Window functions: a breaker that keeps every input row, then (finalize)
 * computes the window functions and emits the rows with their results.
 *
 * Functions with the same PARTITION BY and ORDER BY share one sort: their
 * keys are evaluated once per input chunk into chunks aligned with the
 * input (row r of the input is row r % 2048 of chunk r / 2048), row
 * numbers are merge-sorted (stably) by partition then order keys, and each
 * function walks the partitions in that order, writing its result at the
 * row's input position.  Peer groups (rows equal on every ORDER BY key)
 * are found once per partition; frames are [start, end) ranges of sorted
 * positions computed per row for ROWS, RANGE and GROUPS.  Aggregates reuse
 * exec/aggregate.c's functions: a frame whose start is UNBOUNDED PRECEDING
 * grows a running state; other frames recompute the state (reusing the
 * previous result when the frame did not move).  Rows come out in the
 * order of the last sort, as PostgreSQL's do.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct window_global {
    pthread_mutex_t lock;
    tn_collection rows;
    tn_chunk **results;        /* per input chunk: one column per window function */
    int64_t *order;            /* emission order */
    atomic_llong next;
} window_global;

typedef struct window_local {
    tn_collection rows;
} window_local;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

static void destroy_arena(void *arena)
{
    tn_arena_destroy(arena);
}

static void *window_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    window_global *global = tn_arena_zalloc(arena, sizeof(window_global));
    const tn_physical *child = op->children[0];
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0 ||
        tn_collection_init(&global->rows, arena, child->types, child->column_count) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->next, 0);
    return global;
}

static void *window_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                               tn_error *err)
{
    (void)global;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    window_local *local = tn_arena_zalloc(arena, sizeof(window_local));
    const tn_physical *child = op->children[0];
    if (local == NULL ||
        (role == TN_ROLE_SINK && tn_collection_init(&local->rows, arena, child->types, child->column_count) != 0)) {
        tn_error_oom(err);
        return NULL;
    }
    return local;
}

static int window_sink(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                       const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)op;
    (void)global;
    (void)side;
    return tn_collection_append(&((window_local *)local_state)->rows, in, err);
}

static int window_combine(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                          tn_error *err)
{
    (void)exec;
    (void)op;
    window_global *global = global_state;
    pthread_mutex_lock(&global->lock);
    int status = tn_collection_merge(&global->rows, &((window_local *)local_state)->rows, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* ---- evaluating expressions over every input row ---- */

/* Per input chunk, a chunk holding exprs[0..count) evaluated (flat, with
 * its own copies of strings). */
static tn_chunk **eval_columns(tn_exec_context *context, const tn_collection *rows, tn_expr *const *exprs,
                               int count, tn_error *err)
{
    tn_arena *arena = context->arena;
    tn_chunk **out = tn_arena_zalloc(arena, sizeof(tn_chunk *) * (size_t)(rows->chunk_count + 1));
    tn_type *types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(count + 1));
    tn_expr_state **states = tn_arena_alloc(arena, sizeof(tn_expr_state *) * (size_t)(count + 1));
    if (out == NULL || types == NULL || states == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int k = 0; k < count; k++) {
        types[k] = exprs[k]->type;
        if ((states[k] = tn_expr_compile(context, exprs[k], arena, err)) == NULL)
            return NULL;
    }
    tn_chunk *scratch = tn_exec_chunk_create(arena, types, count, err);
    if (scratch == NULL)
        return NULL;
    for (int c = 0; c < rows->chunk_count; c++) {
        const tn_chunk *in = rows->chunks[c];
        if ((out[c] = tn_exec_chunk_create(arena, types, count, err)) == NULL)
            return NULL;
        for (int k = 0; k < count; k++) {
            tn_chunk_reset(scratch);
            if (tn_expr_eval(states[k], in, &scratch->columns[k], err) != 0)
                return NULL;
            if (tn_vector_copy(&out[c]->columns[k], 0, &scratch->columns[k], 0, in->count) != 0) {
                tn_error_oom(err);
                return NULL;
            }
        }
        out[c]->count = in->count;
    }
    return out;
}

static inline const tn_vector *column_at(tn_chunk *const *chunks, int column, int64_t row, uint32_t *offset)
{
    *offset = (uint32_t)(row % TN_VECTOR_SIZE);
    return &chunks[row / TN_VECTOR_SIZE]->columns[column];
}

static bool valid_at(tn_chunk *const *chunks, int column, int64_t row)
{
    uint32_t offset;
    const tn_vector *v = column_at(chunks, column, row, &offset);
    return tn_vector_is_valid(v, offset);
}

/* ---- sorting ---- */

typedef struct sorter {
    tn_chunk **keys;           /* partition keys, then order keys */
    int partition_count;
    const tn_sort_key *orders;
    int order_count;
} sorter;

static int compare_key(const sorter *s, int k, int64_t a, int64_t b)
{
    uint32_t oa, ob;
    const tn_vector *va = column_at(s->keys, k, a, &oa), *vb = column_at(s->keys, k, b, &ob);
    bool null_a = !tn_vector_is_valid(va, oa), null_b = !tn_vector_is_valid(vb, ob);
    const tn_sort_key *key = k >= s->partition_count ? &s->orders[k - s->partition_count] : NULL;
    if (null_a || null_b) {
        if (null_a && null_b)
            return 0;
        return (null_a ? 1 : -1) * (key != NULL && key->nulls_first ? -1 : 1);
    }
    int cmp = tn_vector_compare_rows(va, oa, vb, ob);
    return key != NULL && key->is_descending ? -cmp : cmp;
}

static int compare_rows(const sorter *s, int64_t a, int64_t b, int from, int to)
{
    for (int k = from; k < to; k++) {
        int cmp = compare_key(s, k, a, b);
        if (cmp != 0)
            return cmp;
    }
    return 0;
}

static void merge_sort(const sorter *s, int64_t *order, int64_t *scratch, int64_t count)
{
    int width_keys = s->partition_count + s->order_count;
    for (int64_t width = 1; width < count; width *= 2) {
        for (int64_t start = 0; start < count; start += 2 * width) {
            int64_t middle = start + width < count ? start + width : count;
            int64_t end = start + 2 * width < count ? start + 2 * width : count;
            int64_t i = start, j = middle, out = start;
            while (i < middle && j < end)
                scratch[out++] = compare_rows(s, order[j], order[i], 0, width_keys) < 0 ? order[j++] : order[i++];
            while (i < middle)
                scratch[out++] = order[i++];
            while (j < end)
                scratch[out++] = order[j++];
        }
        memcpy(order, scratch, sizeof(int64_t) * (size_t)count);
    }
}

/* ---- one partition ---- */

typedef struct partition {
    const int64_t *order;      /* sorted position -> input row */
    int64_t start, end;        /* sorted positions [start, end) */
    int64_t *group;            /* per position - start: peer group number */
    int64_t *group_start;      /* per group: first position */
    int64_t *group_end;        /* per group: one past the last */
    int64_t group_count;
} partition;

typedef struct window_run {
    tn_exec_context *context;
    const tn_window_function *w;
    tn_chunk **args;           /* value arguments (aggregate: its args, then FILTER) */
    tn_chunk **range;          /* RANGE offsets: key, start bound, end bound (NULL when unused) */
    tn_vector *out_column;     /* set per output chunk through write_* */
    tn_chunk **results;
    int result_column;
    tn_arena *state_arena;
    tn_chunk *batch;           /* aggregate arguments gathered for one update */
    char *state;
    char *states[TN_VECTOR_SIZE];
} window_run;

static tn_vector *result_at(window_run *run, int64_t row, uint32_t *offset)
{
    *offset = (uint32_t)(row % TN_VECTOR_SIZE);
    return &run->results[row / TN_VECTOR_SIZE]->columns[run->result_column];
}

static int write_integer(window_run *run, int64_t row, int64_t value, tn_error *err)
{
    uint32_t offset;
    tn_vector *out = result_at(run, row, &offset);
    tn_value v = {.type = out->type, .u.integer = value};
    return tn_vector_set_value(out, offset, &v) != 0 ? tn_error_oom(err) : 0;
}

static int write_double(window_run *run, int64_t row, double value, tn_error *err)
{
    uint32_t offset;
    tn_vector *out = result_at(run, row, &offset);
    tn_value v = {.type = out->type, .u.floating = value};
    return tn_vector_set_value(out, offset, &v) != 0 ? tn_error_oom(err) : 0;
}

static int write_null(window_run *run, int64_t row, tn_error *err)
{
    uint32_t offset;
    tn_vector *out = result_at(run, row, &offset);
    return tn_vector_set_null(out, offset) != 0 ? tn_error_oom(err) : 0;
}

/* result[row] = args column `column` at input row `from` */
static int write_copy(window_run *run, int64_t row, int column, int64_t from, tn_error *err)
{
    uint32_t offset, src_offset;
    tn_vector *out = result_at(run, row, &offset);
    const tn_vector *src = column_at(run->args, column, from, &src_offset);
    return tn_vector_copy(out, offset, src, src_offset, 1) != 0 ? tn_error_oom(err) : 0;
}

static int copy_result(window_run *run, int64_t row, int64_t from, tn_error *err)
{
    uint32_t offset, src_offset;
    tn_vector *out = result_at(run, row, &offset);
    const tn_vector *src = result_at(run, from, &src_offset);
    return tn_vector_copy(out, offset, src, src_offset, 1) != 0 ? tn_error_oom(err) : 0;
}

static bool arg_is_null(window_run *run, int column, int64_t row)
{
    return !valid_at(run->args, column, row);
}

static int64_t arg_integer(window_run *run, int column, int64_t row)
{
    uint32_t offset;
    const tn_vector *v = column_at(run->args, column, row, &offset);
    return ((const int32_t *)v->data)[offset];
}

/* ---- frames ---- */

static int64_t clamp(int64_t value, int64_t low, int64_t high)
{
    return value < low ? low : value > high ? high : value;
}

/* First position p in [from, to) (sorted keys, non-NULL) where the key
 * compared with bound (row `row`) in sort direction is > 0, or >= 0 when
 * inclusive is set; to when none. */
static int64_t search_range(window_run *run, const partition *p, int64_t from, int64_t to, int64_t row,
                            int bound_column, bool inclusive)
{
    uint32_t bound_offset;
    const tn_vector *bound = column_at(run->range, bound_column, row, &bound_offset);
    bool desc = run->w->orders[0].is_descending;
    while (from < to) {
        int64_t middle = from + (to - from) / 2;
        uint32_t key_offset;
        const tn_vector *key = column_at(run->range, 0, p->order[middle], &key_offset);
        int cmp = tn_vector_compare_rows(key, key_offset, bound, bound_offset);
        if (desc)
            cmp = -cmp;
        if (cmp > 0 || (inclusive && cmp == 0))
            to = middle;
        else
            from = middle + 1;
    }
    return from;
}

/* The non-NULL part [first, last) of the partition's RANGE key. */
static void non_null_range(window_run *run, const partition *p, int64_t *first, int64_t *last)
{
    *first = p->start;
    *last = p->end;
    while (*first < *last && !valid_at(run->range, 0, p->order[*first]))
        (*first)++;
    while (*last > *first && !valid_at(run->range, 0, p->order[*last - 1]))
        (*last)--;
}

static void frame_of(window_run *run, const partition *p, int64_t i, int64_t *fs, int64_t *fe)
{
    int frame = run->w->frame;
    int64_t g = p->group[i - p->start];
    int64_t ps = p->start, pe = p->end;
    int64_t so = run->w->start_offset, eo = run->w->end_offset;
    int64_t start = ps, end = pe;
    bool range_null = false;
    int64_t nn_first = ps, nn_last = pe;
    if ((frame & TN_FRAME_RANGE) && run->range != NULL) {
        range_null = !valid_at(run->range, 0, p->order[i]);
        non_null_range(run, p, &nn_first, &nn_last);
    }
    if (frame & TN_FRAME_START_CURRENT_ROW)
        start = frame & TN_FRAME_ROWS ? i : p->group_start[g];
    else if (frame & (TN_FRAME_START_OFFSET_PRECEDING | TN_FRAME_START_OFFSET_FOLLOWING)) {
        bool preceding = frame & TN_FRAME_START_OFFSET_PRECEDING;
        if (frame & TN_FRAME_ROWS)
            start = preceding ? (so > i - ps ? ps : i - so) : (so > pe - i ? pe : i + so);
        else if (frame & TN_FRAME_GROUPS)
            start = preceding ? p->group_start[so > g ? 0 : g - so]
                              : (so >= p->group_count - g ? pe : p->group_start[g + so]);
        else
            start = range_null ? p->group_start[g] : search_range(run, p, nn_first, nn_last, p->order[i], 1, true);
    }
    if (frame & TN_FRAME_END_CURRENT_ROW)
        end = frame & TN_FRAME_ROWS ? i + 1 : p->group_end[g];
    else if (frame & (TN_FRAME_END_OFFSET_PRECEDING | TN_FRAME_END_OFFSET_FOLLOWING)) {
        bool preceding = frame & TN_FRAME_END_OFFSET_PRECEDING;
        if (frame & TN_FRAME_ROWS)
            end = preceding ? (eo > i - ps ? ps : i - eo + 1) : (eo >= pe - i ? pe : i + eo + 1);
        else if (frame & TN_FRAME_GROUPS)
            end = preceding ? (eo > g ? ps : p->group_end[g - eo])
                            : (eo >= p->group_count - g ? pe : p->group_end[g + eo]);
        else
            end = range_null ? p->group_end[g] : search_range(run, p, nn_first, nn_last, p->order[i], 2, false);
    }
    *fs = clamp(start, ps, pe);
    *fe = clamp(end, *fs, pe);
}

static bool is_excluded(window_run *run, const partition *p, int64_t i, int64_t pos)
{
    int frame = run->w->frame;
    if (frame & TN_FRAME_EXCLUDE_CURRENT_ROW)
        return pos == i;
    if (frame & (TN_FRAME_EXCLUDE_GROUP | TN_FRAME_EXCLUDE_TIES)) {
        bool peer = p->group[pos - p->start] == p->group[i - p->start];
        return peer && (pos != i || (frame & TN_FRAME_EXCLUDE_GROUP));
    }
    return false;
}

/* ---- aggregates over frames ---- */

static int flush_batch(window_run *run, tn_error *err)
{
    const tn_bound_aggregate *agg = run->w->aggregate;
    uint32_t count = run->batch->count;
    if (count == 0)
        return 0;
    tn_vector *args[4] = {NULL};
    for (int k = 0; k < agg->arg_count && k < 4; k++)
        args[k] = &run->batch->columns[k];
    int rc = agg->function->update(agg, run->states, 0, args, count, NULL, run->state_arena, err);
    tn_chunk_reset(run->batch);
    return rc;
}

/* Folds input row `row` into the state (FILTER decides). */
static int add_row(window_run *run, int64_t row, tn_error *err)
{
    const tn_bound_aggregate *agg = run->w->aggregate;
    if (agg->filter != NULL) {
        uint32_t offset;
        const tn_vector *f = column_at(run->args, agg->arg_count, row, &offset);
        if (!tn_vector_is_valid(f, offset) || !((const uint8_t *)f->data)[offset])
            return 0;
    }
    uint32_t at = run->batch->count;
    for (int k = 0; k < agg->arg_count; k++) {
        uint32_t offset;
        const tn_vector *src = column_at(run->args, k, row, &offset);
        if (tn_vector_copy(&run->batch->columns[k], at, src, offset, 1) != 0)
            return tn_error_oom(err);
    }
    run->batch->count = at + 1;
    return at + 1 == TN_VECTOR_SIZE ? flush_batch(run, err) : 0;
}

static void reset_state(window_run *run)
{
    memset(run->state, 0, run->w->aggregate->function->state_size);
    tn_arena_reset(run->state_arena);
    tn_chunk_reset(run->batch);
}

static int finalize_into(window_run *run, int64_t row, tn_error *err)
{
    if (flush_batch(run, err) != 0)
        return -1;
    uint32_t offset;
    tn_vector *out = result_at(run, row, &offset);
    return run->w->aggregate->function->finalize(run->w->aggregate, run->state, out, offset, err);
}

static int run_aggregate(window_run *run, const partition *p, tn_error *err)
{
    int frame = run->w->frame;
    bool excludes = frame & (TN_FRAME_EXCLUDE_CURRENT_ROW | TN_FRAME_EXCLUDE_GROUP | TN_FRAME_EXCLUDE_TIES);
    bool running = (frame & TN_FRAME_START_UNBOUNDED_PRECEDING) && !excludes;
    int64_t added = p->start, last_start = -1, last_end = -1;
    reset_state(run);
    for (int64_t i = p->start; i < p->end; i++) {
        int64_t fs, fe;
        frame_of(run, p, i, &fs, &fe);
        if (running) {
            for (; added < fe; added++)
                if (add_row(run, p->order[added], err) != 0)
                    return -1;
        } else if (!excludes && fs == last_start && fe == last_end) {
            if (copy_result(run, p->order[i], p->order[i - 1], err) != 0)
                return -1;
            continue;
        } else {
            reset_state(run);
            for (int64_t pos = fs; pos < fe; pos++)
                if (!is_excluded(run, p, i, pos) && add_row(run, p->order[pos], err) != 0)
                    return -1;
        }
        if (finalize_into(run, p->order[i], err) != 0)
            return -1;
        last_start = fs;
        last_end = fe;
    }
    return 0;
}

/* ---- the other window functions ---- */

static int run_value(window_run *run, const partition *p, tn_error *err)
{
    const tn_window_function *w = run->w;
    for (int64_t i = p->start; i < p->end; i++) {
        int64_t row = p->order[i];
        int64_t fs, fe, pick = -1;
        frame_of(run, p, i, &fs, &fe);
        if (w->kind == TN_WINDOW_NTH_VALUE) {
            if (arg_is_null(run, 1, row)) {
                if (write_null(run, row, err) != 0)
                    return -1;
                continue;
            }
            int64_t n = arg_integer(run, 1, row);
            if (n <= 0)
                return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_NTH_VALUE, 0,
                                    "argument of nth_value must be greater than zero");
            for (int64_t pos = fs; pos < fe && pick < 0; pos++)
                if (!is_excluded(run, p, i, pos) && --n == 0)
                    pick = pos;
        } else if (w->kind == TN_WINDOW_FIRST_VALUE) {
            for (int64_t pos = fs; pos < fe && pick < 0; pos++)
                if (!is_excluded(run, p, i, pos))
                    pick = pos;
        } else {
            for (int64_t pos = fe - 1; pos >= fs && pick < 0; pos--)
                if (!is_excluded(run, p, i, pos))
                    pick = pos;
        }
        int rc = pick < 0 ? write_null(run, row, err) : write_copy(run, row, 0, p->order[pick], err);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int run_ntile(window_run *run, const partition *p, tn_error *err)
{
    int64_t n = p->end - p->start;
    if (arg_is_null(run, 0, p->order[p->start])) {
        for (int64_t i = p->start; i < p->end; i++)
            if (write_null(run, p->order[i], err) != 0)
                return -1;
        return 0;
    }
    int64_t buckets = arg_integer(run, 0, p->order[p->start]);
    if (buckets <= 0)
        return tn_error_set(err, TN_ERR_INVALID_ARGUMENT_FOR_NTILE, 0, "argument of ntile must be greater than zero");
    int64_t per = n / buckets, extra = n % buckets;
    int64_t bucket = 1, left = per + (extra > 0);
    for (int64_t i = p->start; i < p->end; i++) {
        if (left == 0) {
            bucket++;
            left = per + (bucket <= extra);
        }
        if (write_integer(run, p->order[i], bucket, err) != 0)
            return -1;
        left--;
    }
    return 0;
}

static int run_function(window_run *run, const partition *p, tn_error *err)
{
    const tn_window_function *w = run->w;
    int64_t n = p->end - p->start;
    switch (w->kind) {
    case TN_WINDOW_AGGREGATE: return run_aggregate(run, p, err);
    case TN_WINDOW_NTILE: return run_ntile(run, p, err);
    case TN_WINDOW_FIRST_VALUE:
    case TN_WINDOW_LAST_VALUE:
    case TN_WINDOW_NTH_VALUE: return run_value(run, p, err);
    default: break;
    }
    for (int64_t i = p->start; i < p->end; i++) {
        int64_t row = p->order[i], g = p->group[i - p->start], rank = p->group_start[g] - p->start + 1;
        int rc = 0;
        switch (w->kind) {
        case TN_WINDOW_ROW_NUMBER: rc = write_integer(run, row, i - p->start + 1, err); break;
        case TN_WINDOW_RANK: rc = write_integer(run, row, rank, err); break;
        case TN_WINDOW_DENSE_RANK: rc = write_integer(run, row, g + 1, err); break;
        case TN_WINDOW_PERCENT_RANK:
            rc = write_double(run, row, n > 1 ? (double)(rank - 1) / (double)(n - 1) : 0.0, err);
            break;
        case TN_WINDOW_CUME_DIST:
            rc = write_double(run, row, (double)(p->group_end[g] - p->start) / (double)n, err);
            break;
        case TN_WINDOW_LAG:
        case TN_WINDOW_LEAD: {
            if (arg_is_null(run, 1, row)) {
                rc = write_null(run, row, err);
                break;
            }
            int64_t offset = arg_integer(run, 1, row);
            int64_t target = w->kind == TN_WINDOW_LAG ? i - offset : i + offset;
            rc = target >= p->start && target < p->end ? write_copy(run, row, 0, p->order[target], err)
                                                      : write_copy(run, row, 2, row, err);
            break;
        }
        default: break;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* ---- finalize: every window specification in turn ---- */

static bool same_spec(tn_arena *arena, const tn_window_function *a, const tn_window_function *b)
{
    if (a->partition_count != b->partition_count || a->order_count != b->order_count)
        return false;
    for (int k = 0; k < a->partition_count; k++) {
        char *x = tn_expr_to_string(arena, a->partitions[k]), *y = tn_expr_to_string(arena, b->partitions[k]);
        if (x == NULL || y == NULL || strcmp(x, y) != 0)
            return false;
    }
    for (int k = 0; k < a->order_count; k++) {
        const tn_sort_key *ka = &a->orders[k], *kb = &b->orders[k];
        char *x = tn_expr_to_string(arena, ka->expr), *y = tn_expr_to_string(arena, kb->expr);
        if (x == NULL || y == NULL || strcmp(x, y) != 0 || ka->is_descending != kb->is_descending ||
            ka->nulls_first != kb->nulls_first)
            return false;
    }
    return true;
}

/* Value arguments of w as one list: aggregate args then FILTER, or the
 * function's args. */
static int value_exprs(tn_arena *arena, const tn_window_function *w, tn_expr ***out, tn_error *err)
{
    const tn_bound_aggregate *agg = w->aggregate;
    int count = agg != NULL ? agg->arg_count + (agg->filter != NULL) : w->arg_count;
    tn_expr **exprs = tn_arena_zalloc(arena, sizeof(tn_expr *) * (size_t)(count + 1));
    if (exprs == NULL)
        return tn_error_oom(err), -1;
    for (int k = 0; agg != NULL && k < agg->arg_count; k++)
        exprs[k] = agg->args[k];
    if (agg != NULL && agg->filter != NULL)
        exprs[agg->arg_count] = agg->filter;
    for (int k = 0; agg == NULL && k < w->arg_count; k++)
        exprs[k] = w->args[k];
    *out = exprs;
    return count;
}

static int prepare_run(tn_exec_context *context, window_global *global, const tn_window_function *w, int column,
                       window_run *run, tn_error *err)
{
    memset(run, 0, sizeof *run);
    run->context = context;
    run->w = w;
    run->results = global->results;
    run->result_column = column;
    tn_expr **exprs;
    int count = value_exprs(context->arena, w, &exprs, err);
    if (count < 0 || (count > 0 && (run->args = eval_columns(context, &global->rows, exprs, count, err)) == NULL))
        return -1;
    if (w->range_key != NULL) {
        tn_expr *range[3] = {w->range_key, w->range_start != NULL ? w->range_start : w->range_key,
                             w->range_end != NULL ? w->range_end : w->range_key};
        if ((run->range = eval_columns(context, &global->rows, range, 3, err)) == NULL)
            return -1;
    }
    if (w->aggregate != NULL) {
        const tn_bound_aggregate *agg = w->aggregate;
        tn_type types[4];
        for (int k = 0; k < agg->arg_count && k < 4; k++)
            types[k] = agg->args[k]->type;
        run->state_arena = tn_arena_create();
        run->state = calloc(1, agg->function->state_size + 16);
        if (run->state_arena == NULL || run->state == NULL) {
            tn_arena_destroy(run->state_arena);
            free(run->state);
            return tn_error_oom(err);
        }
        if (tn_arena_on_cleanup(context->arena, destroy_arena, run->state_arena) != 0) {
            tn_arena_destroy(run->state_arena);
            free(run->state);
            return tn_error_oom(err);
        }
        if (tn_arena_on_cleanup(context->arena, free, run->state) != 0) {
            free(run->state);
            return tn_error_oom(err);
        }
        for (int r = 0; r < TN_VECTOR_SIZE; r++)
            run->states[r] = run->state;
        if ((run->batch = tn_exec_chunk_create(context->arena, types, agg->arg_count, err)) == NULL)
            return -1;
    }
    return 0;
}

/* Sorts by the specification of windows[first] and computes every
 * window function sharing it (marked in done). */
static int run_spec(tn_exec *exec, const tn_physical *op, window_global *global, int first, bool *done,
                    int64_t *order, int64_t *scratch, tn_error *err)
{
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    const tn_window_function *spec = logical->windows[first];
    int64_t count = global->rows.row_count;
    int key_count = spec->partition_count + spec->order_count;
    tn_expr **keys = tn_arena_zalloc(context->arena, sizeof(tn_expr *) * (size_t)(key_count + 1));
    if (keys == NULL)
        return tn_error_oom(err);
    for (int k = 0; k < spec->partition_count; k++)
        keys[k] = spec->partitions[k];
    for (int k = 0; k < spec->order_count; k++)
        keys[spec->partition_count + k] = spec->orders[k].expr;
    sorter s = {NULL, spec->partition_count, spec->orders, spec->order_count};
    if (key_count > 0 && (s.keys = eval_columns(context, &global->rows, keys, key_count, err)) == NULL)
        return -1;
    for (int64_t row = 0; row < count; row++)
        order[row] = row;
    if (key_count > 0)
        merge_sort(&s, order, scratch, count);

    int runs = 0;
    window_run *run_list = tn_arena_zalloc(context->arena, sizeof(window_run) * (size_t)(logical->window_count + 1));
    if (run_list == NULL)
        return tn_error_oom(err);
    for (int idx = first; idx < logical->window_count; idx++) {
        if (done[idx] || !same_spec(context->arena, spec, logical->windows[idx]))
            continue;
        done[idx] = true;
        if (prepare_run(context, global, logical->windows[idx], idx, &run_list[runs++], err) != 0)
            return -1;
    }
    /* scratch doubles as the per-position group numbers */
    partition p = {.order = order, .group = scratch};
    p.group_start = malloc(sizeof(int64_t) * (size_t)(count + 1));
    p.group_end = malloc(sizeof(int64_t) * (size_t)(count + 1));
    int rc = p.group_start != NULL && p.group_end != NULL ? 0 : tn_error_oom(err);
    for (int64_t start = 0; rc == 0 && start < count;) {
        int64_t end = start + 1;
        while (end < count && compare_rows(&s, order[start], order[end], 0, spec->partition_count) == 0)
            end++;
        p.start = start;
        p.end = end;
        p.group_count = 0;
        for (int64_t pos = start; pos < end; pos++) {
            if (pos == start || compare_rows(&s, order[pos - 1], order[pos], spec->partition_count, key_count) != 0) {
                p.group_start[p.group_count] = pos;
                if (p.group_count > 0)
                    p.group_end[p.group_count - 1] = pos;
                p.group_count++;
            }
            p.group[pos - start] = p.group_count - 1;
        }
        p.group_end[p.group_count - 1] = end;
        for (int r = 0; rc == 0 && r < runs; r++)
            rc = run_function(&run_list[r], &p, err);
        start = end;
    }
    free(p.group_start);
    free(p.group_end);
    return rc;
}

static int window_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    window_global *global = global_state;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    int64_t count = global->rows.row_count;
    int width = op->children[0]->column_count;
    global->results = tn_arena_zalloc(context->arena, sizeof(tn_chunk *) * (size_t)(global->rows.chunk_count + 1));
    bool *done = tn_arena_zalloc(context->arena, sizeof(bool) * (size_t)(logical->window_count + 1));
    global->order = malloc(sizeof(int64_t) * (size_t)(count + 1));
    int64_t *scratch = malloc(sizeof(int64_t) * (size_t)(count + 1));
    if (global->results == NULL || done == NULL || global->order == NULL || scratch == NULL ||
        tn_arena_on_cleanup(context->arena, free, global->order) != 0) {
        free(global->order);
        free(scratch);
        global->order = NULL;
        return tn_error_oom(err);
    }
    for (int c = 0; c < global->rows.chunk_count; c++) {
        global->results[c] = tn_exec_chunk_create(context->arena, op->types + width, logical->window_count, err);
        if (global->results[c] == NULL) {
            free(scratch);
            return -1;
        }
        global->results[c]->count = global->rows.chunks[c]->count;
    }
    int rc = 0;
    for (int idx = 0; rc == 0 && idx < logical->window_count; idx++)
        if (!done[idx])
            rc = run_spec(exec, op, global, idx, done, global->order, scratch, err);
    free(scratch);
    return rc;
}

static int window_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local,
                            tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)local;
    window_global *global = global_state;
    int64_t total = global->rows.row_count;
    int64_t first = atomic_fetch_add(&global->next, TN_VECTOR_SIZE);
    if (first >= total)
        return 0;
    int width = op->children[0]->column_count;
    uint32_t count = (uint32_t)(total - first < TN_VECTOR_SIZE ? total - first : TN_VECTOR_SIZE);
    for (uint32_t i = 0; i < count; i++) {
        int64_t row = global->order[first + i];
        const tn_chunk *chunk = global->rows.chunks[row / TN_VECTOR_SIZE];
        const tn_chunk *results = global->results[row / TN_VECTOR_SIZE];
        uint32_t offset = (uint32_t)(row % TN_VECTOR_SIZE);
        for (int col = 0; col < op->column_count; col++) {
            const tn_vector *src = col < width ? &chunk->columns[col] : &results->columns[col - width];
            if (tn_vector_copy(&out->columns[col], i, src, offset, 1) != 0)
                return tn_error_oom(err);
        }
    }
    out->count = count;
    return first + count < total ? 1 : 0;
}

const tn_physical_ops tn_op_window = {
    .name = "Window",
    .shape = TN_SHAPE_BREAKER,
    .init_global = window_init_global,
    .init_local = window_init_local,
    .get_chunk = window_get_chunk,
    .sink = window_sink,
    .combine = window_combine,
    .finalize = window_finalize,
};
