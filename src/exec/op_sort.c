/*
 * ORDER BY: a sink that keeps the input rows together with their sort key
 * values, then (finalize) sorts row numbers with a stable merge sort, and
 * a source that emits the rows in that order.
 *
 * Rows are stored as the input columns followed by one column per sort key,
 * so keys are computed once per row.  NULLs go first or last as each key
 * says (PostgreSQL: NULLS LAST for ASC, FIRST for DESC by default, already
 * decided by the binder); DESC reverses only the value order.  Under a
 * LIMIT the planner passes how many rows are wanted (limit + offset, in
 * op->data), and only that many are selected with a bounded heap, then
 * sorted (top-N).  Threads sort nothing on their own yet: their rows are
 * merged into one collection.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct sort_global {
    pthread_mutex_t lock;
    tn_collection rows;        /* input columns ++ key columns */
    int64_t *order;            /* row numbers in sorted order */
    int64_t emit_count;        /* rows to emit: all, or the top-N */
    atomic_llong next;         /* source cursor into order */
} sort_global;

typedef struct sort_local {
    tn_collection rows;
    tn_expr_state **keys;
    tn_chunk *batch;           /* input ++ keys of one chunk */
} sort_local;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

/* Types of a stored row: the input's columns, then the keys. */
static tn_type *row_types(tn_arena *arena, const tn_physical *op)
{
    const tn_logical *logical = op->logical;
    int width = op->column_count + logical->sort_key_count;
    tn_type *types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(width + 1));
    if (types == NULL)
        return NULL;
    memcpy(types, op->types, sizeof(tn_type) * (size_t)op->column_count);
    for (int k = 0; k < logical->sort_key_count; k++)
        types[op->column_count + k] = logical->sort_keys[k].expr->type;
    return types;
}

static void *sort_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    sort_global *global = tn_arena_zalloc(arena, sizeof(sort_global));
    tn_type *types = row_types(arena, op);
    if (global == NULL || types == NULL || pthread_mutex_init(&global->lock, NULL) != 0)
        goto oom;
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        goto oom;
    }
    if (tn_collection_init(&global->rows, arena, types, op->column_count + op->logical->sort_key_count) != 0)
        goto oom;
    atomic_init(&global->next, 0);
    return global;
oom:
    tn_error_oom(err);
    return NULL;
}

static void *sort_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                             tn_error *err)
{
    (void)global;
    tn_exec_context *context = tn_exec_context_of(exec);
    sort_local *local = tn_arena_zalloc(context->arena, sizeof(sort_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (role != TN_ROLE_SINK)
        return local;
    const tn_logical *logical = op->logical;
    int width = op->column_count + logical->sort_key_count;
    tn_type *types = row_types(context->arena, op);
    local->keys = tn_arena_alloc(context->arena, sizeof(tn_expr_state *) * (size_t)(logical->sort_key_count + 1));
    if (types == NULL || local->keys == NULL || tn_collection_init(&local->rows, context->arena, types, width) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    local->batch = tn_exec_chunk_create(context->arena, types, width, err);
    if (local->batch == NULL)
        return NULL;
    for (int k = 0; k < logical->sort_key_count; k++) {
        local->keys[k] = tn_expr_compile(context, logical->sort_keys[k].expr, context->arena, err);
        if (local->keys[k] == NULL)
            return NULL;
    }
    return local;
}

static int sort_sink(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                     const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)global;
    (void)side;
    sort_local *local = local_state;
    tn_chunk *batch = local->batch;
    tn_chunk_reset(batch);
    if (tn_chunk_gather(batch, in, NULL, in->count) != 0)
        return tn_error_oom(err);
    for (int k = 0; k < op->logical->sort_key_count; k++) {
        if (tn_expr_eval(local->keys[k], in, &batch->columns[op->column_count + k], err) != 0)
            return -1;
    }
    batch->count = in->count;
    return tn_collection_append(&local->rows, batch, err);
}

static int sort_combine(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                        tn_error *err)
{
    (void)exec;
    (void)op;
    sort_global *global = global_state;
    sort_local *local = local_state;
    pthread_mutex_lock(&global->lock);
    int status = tn_collection_merge(&global->rows, &local->rows, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* ---- the comparison and the merge sort ---- */

typedef struct sort_context {
    const tn_collection *rows;
    const tn_sort_key *keys;
    int key_count;
    int first_key_column;
} sort_context;

static int compare_rows(const sort_context *context, int64_t a, int64_t b)
{
    const tn_chunk *chunk_a, *chunk_b;
    uint32_t row_a, row_b;
    tn_collection_locate(context->rows, a, &chunk_a, &row_a);
    tn_collection_locate(context->rows, b, &chunk_b, &row_b);
    for (int k = 0; k < context->key_count; k++) {
        const tn_vector *va = &chunk_a->columns[context->first_key_column + k];
        const tn_vector *vb = &chunk_b->columns[context->first_key_column + k];
        bool null_a = !tn_vector_is_valid(va, row_a), null_b = !tn_vector_is_valid(vb, row_b);
        if (null_a || null_b) {
            if (null_a && null_b)
                continue;
            return (null_a ? -1 : 1) * (context->keys[k].nulls_first ? 1 : -1);
        }
        int cmp = tn_vector_compare_rows(va, row_a, vb, row_b);
        if (cmp != 0)
            return context->keys[k].is_descending ? -cmp : cmp;
    }
    return 0;
}

/* Row order with ties broken by arrival, so the top-N heap stays stable. */
static int compare_stable(const sort_context *context, int64_t a, int64_t b)
{
    int cmp = compare_rows(context, a, b);
    return cmp != 0 ? cmp : (a > b) - (a < b);
}

/* Bottom-up merge sort of order[0..count); ties keep arrival order. */
static void merge_sort(const sort_context *context, int64_t *order, int64_t *scratch, int64_t count)
{
    for (int64_t width = 1; width < count; width *= 2) {
        for (int64_t start = 0; start < count; start += 2 * width) {
            int64_t middle = start + width < count ? start + width : count;
            int64_t end = start + 2 * width < count ? start + 2 * width : count;
            int64_t i = start, j = middle, out = start;
            while (i < middle && j < end)
                scratch[out++] = compare_stable(context, order[j], order[i]) < 0 ? order[j++] : order[i++];
            while (i < middle)
                scratch[out++] = order[i++];
            while (j < end)
                scratch[out++] = order[j++];
        }
        memcpy(order, scratch, sizeof(int64_t) * (size_t)count);
    }
}

static void sift_down(const sort_context *context, int64_t *heap, int64_t size, int64_t at)
{
    for (;;) {
        int64_t largest = at, left = 2 * at + 1, right = left + 1;
        if (left < size && compare_stable(context, heap[left], heap[largest]) > 0)
            largest = left;
        if (right < size && compare_stable(context, heap[right], heap[largest]) > 0)
            largest = right;
        if (largest == at)
            return;
        int64_t swap = heap[at];
        heap[at] = heap[largest];
        heap[largest] = swap;
        at = largest;
    }
}

/* Keeps in order[0..keep) the keep first rows (unsorted): a max-heap of
 * the best so far, whose top each later row must beat. */
static void select_top(const sort_context *context, int64_t *order, int64_t count, int64_t keep)
{
    for (int64_t i = keep / 2; i-- > 0;)
        sift_down(context, order, keep, i);
    for (int64_t row = keep; row < count; row++) {
        if (compare_stable(context, order[row], order[0]) < 0) {
            order[0] = order[row];
            sift_down(context, order, keep, 0);
        }
    }
}

static int sort_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    sort_global *global = global_state;
    int64_t count = global->rows.row_count;
    global->order = malloc(sizeof(int64_t) * (size_t)(count + 1));
    int64_t *scratch = malloc(sizeof(int64_t) * (size_t)(count + 1));
    if (global->order == NULL || scratch == NULL ||
        tn_arena_on_cleanup(tn_exec_context_of(exec)->arena, free, global->order) != 0) {
        free(global->order);
        free(scratch);
        global->order = NULL;
        return tn_error_oom(err);
    }
    for (int64_t row = 0; row < count; row++)
        global->order[row] = row;
    sort_context context = {&global->rows, op->logical->sort_keys, op->logical->sort_key_count,
                            op->column_count};
    global->emit_count = count;
    const int64_t *wanted = op->data;
    if (wanted != NULL && *wanted < count) {
        global->emit_count = *wanted;
        if (*wanted > 0)
            select_top(&context, global->order, count, *wanted);
    }
    merge_sort(&context, global->order, scratch, global->emit_count);
    free(scratch);
    return 0;
}

static int sort_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local,
                          tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)local;
    sort_global *global = global_state;
    int64_t total = global->emit_count;
    int64_t first = atomic_fetch_add(&global->next, TN_VECTOR_SIZE);
    if (first >= total)
        return 0;
    uint32_t count = (uint32_t)(total - first < TN_VECTOR_SIZE ? total - first : TN_VECTOR_SIZE);
    for (uint32_t i = 0; i < count; i++) {
        const tn_chunk *chunk;
        uint32_t offset;
        tn_collection_locate(&global->rows, global->order[first + i], &chunk, &offset);
        for (int col = 0; col < op->column_count; col++) {
            const tn_vector *src = &chunk->columns[col];
            tn_vector *dst = &out->columns[col];
            if (tn_vector_copy_row(dst, i, src, offset) != 0 ||
                (!tn_vector_is_valid(src, offset) && tn_vector_set_null(dst, i) != 0))
                return tn_error_oom(err);
        }
    }
    out->count = count;
    return first + count < total ? 1 : 0;
}

const tn_physical_ops tn_op_sort = {
    .name = "Sort",
    .shape = TN_SHAPE_BREAKER,
    .init_global = sort_init_global,
    .init_local = sort_init_local,
    .get_chunk = sort_get_chunk,
    .sink = sort_sink,
    .combine = sort_combine,
    .finalize = sort_finalize,
};
