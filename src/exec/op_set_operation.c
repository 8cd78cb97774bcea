/*
 * Set operations and DISTINCT over whole rows: UNION [ALL], INTERSECT
 * [ALL], EXCEPT [ALL] (a breaker fed by both children) and DISTINCT (one
 * child, op_distinct.c).  Rows are keys of a hash table whose payload
 * counts how often each side produced them (NULLs are equal, as SQL's set
 * operations want); the source then emits each distinct row as many times
 * as the operation says: once for UNION and DISTINCT, min(left, right)
 * for INTERSECT ALL, left - right for EXCEPT ALL.  UNION ALL only
 * concatenates, left rows first.
 *
 * Threads count into their own tables (or collections) and combine adds
 * them up.  One thread emits the result.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

typedef struct set_global {
    pthread_mutex_t lock;
    tn_hash_table *table;      /* row -> counts[2] */
    tn_collection all;         /* UNION ALL */
    atomic_bool source_claimed;
} set_global;

typedef struct set_local {
    /* sink role */
    tn_hash_table *table;
    tn_collection all;
    int side;
    tn_vector **columns;
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    tn_arena *heap;
    /* source role */
    bool is_emitter;
    int64_t next;              /* entry or UNION ALL row */
    int64_t repeat;            /* copies of entry next - 1 still owed */
} set_local;

static bool is_concatenation(const tn_logical *logical)
{
    return logical->kind == TN_LOGICAL_SET_OPERATION && logical->set_op == TN_SET_UNION && logical->is_all;
}

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

static int init_storage(tn_arena *arena, const tn_physical *op, tn_hash_table **table,
                        tn_collection *all, tn_error *err)
{
    if (is_concatenation(op->logical))
        return tn_collection_init(all, arena, op->types, op->column_count) == 0 ? 0 : tn_error_oom(err);
    *table = tn_hash_table_create(arena, op->types, op->column_count, sizeof(int64_t) * 2, err);
    return *table != NULL ? 0 : -1;
}

void *tn_rowset_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    set_global *global = tn_arena_zalloc(arena, sizeof(set_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->source_claimed, false);
    return init_storage(arena, op, &global->table, &global->all, err) == 0 ? global : NULL;
}

void *tn_rowset_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                           tn_error *err)
{
    set_global *global = global_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    set_local *local = tn_arena_zalloc(arena, sizeof(set_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (role == TN_ROLE_SOURCE) {
        local->is_emitter = !atomic_exchange(&global->source_claimed, true);
        return local;
    }
    local->columns = tn_arena_zalloc(arena, sizeof(tn_vector *) * (size_t)(op->column_count + 1));
    local->heap = tn_arena_create();
    if (local->columns == NULL || local->heap == NULL ||
        tn_arena_on_cleanup(arena, (void (*)(void *))tn_arena_destroy, local->heap) != 0) {
        tn_arena_destroy(local->heap);
        tn_error_oom(err);
        return NULL;
    }
    for (int col = 0; col < op->column_count; col++) {
        local->columns[col] = tn_arena_zalloc(arena, sizeof(tn_vector));
        if (local->columns[col] == NULL || tn_vector_init(local->columns[col], op->types[col], arena) != 0) {
            tn_error_oom(err);
            return NULL;
        }
        local->columns[col]->arena = local->heap;
    }
    return init_storage(arena, op, &local->table, &local->all, err) == 0 ? local : NULL;
}

/* Adds count rows (vectors) to table, counting them for side. */
static int count_rows(tn_hash_table *table, tn_vector **columns, int column_count, uint32_t count,
                      int side, const int64_t *weights, set_local *local, tn_error *err)
{
    tn_hash_rows(columns, column_count, count, local->hashes);
    if (tn_hash_table_insert(table, columns, local->hashes, count, local->entries, NULL, err) != 0)
        return -1;
    for (uint32_t row = 0; row < count; row++) {
        int64_t *counts = tn_hash_table_payload(table, local->entries[row]);
        counts[side] += weights != NULL ? weights[row] : 1;
    }
    return 0;
}

int tn_rowset_sink(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                   const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)global;
    set_local *local = local_state;
    local->side = side;
    if (is_concatenation(op->logical))
        return tn_collection_append(&local->all, in, err);
    tn_vector *columns[64];
    if (in->column_count > 64)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "too many columns in a set operation");
    for (int col = 0; col < in->column_count; col++)
        columns[col] = &in->columns[col];
    return count_rows(local->table, columns, in->column_count, in->count, side, NULL, local, err);
}

static int merge_counts(const tn_physical *op, set_global *global, set_local *local, tn_error *err)
{
    int64_t total = tn_hash_table_count(local->table);
    int64_t weights[2][TN_VECTOR_SIZE];
    for (int64_t first = 0; first < total; first += TN_VECTOR_SIZE) {
        uint32_t count = (uint32_t)(total - first < TN_VECTOR_SIZE ? total - first : TN_VECTOR_SIZE);
        tn_arena_reset(local->heap);
        for (int col = 0; col < op->column_count; col++) {
            local->columns[col]->validity = NULL;
            local->columns[col]->scales = NULL;
        }
        if (tn_hash_table_keys(local->table, first, count, local->columns, err) != 0)
            return -1;
        for (uint32_t i = 0; i < count; i++) {
            const int64_t *counts = tn_hash_table_payload(local->table, first + i);
            weights[0][i] = counts[0];
            weights[1][i] = counts[1];
        }
        for (int side = 0; side < 2; side++) {
            if (count_rows(global->table, local->columns, op->column_count, count, side, weights[side],
                           local, err) != 0)
                return -1;
        }
    }
    return 0;
}

int tn_rowset_combine(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                      tn_error *err)
{
    (void)exec;
    set_global *global = global_state;
    set_local *local = local_state;
    pthread_mutex_lock(&global->lock);
    int status = is_concatenation(op->logical) ? tn_collection_merge(&global->all, &local->all, err)
                                               : merge_counts(op, global, local, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* How many copies of a row with these counts the operation keeps. */
static int64_t copies(const tn_logical *logical, const int64_t *counts)
{
    int64_t left = counts[0], right = counts[1];
    if (logical->kind == TN_LOGICAL_DISTINCT)
        return 1;
    switch (logical->set_op) {
    case TN_SET_UNION: return 1;
    case TN_SET_INTERSECT:
        if (logical->is_all)
            return left < right ? left : right;
        return left > 0 && right > 0;
    case TN_SET_EXCEPT:
        if (logical->is_all)
            return left > right ? left - right : 0;
        return left > 0 && right == 0;
    }
    return 0;
}

static int emit_concatenation(set_global *global, set_local *local, tn_chunk *out, tn_error *err)
{
    int chunk_index = (int)(local->next / TN_VECTOR_SIZE);
    if (chunk_index >= global->all.chunk_count)
        return 0;
    const tn_chunk *chunk = global->all.chunks[chunk_index];
    if (tn_chunk_gather(out, chunk, NULL, chunk->count) != 0)
        return tn_error_oom(err);
    local->next += TN_VECTOR_SIZE;
    return chunk_index + 1 < global->all.chunk_count ? 1 : 0;
}

int tn_rowset_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                        tn_chunk *out, tn_error *err)
{
    (void)exec;
    set_global *global = global_state;
    set_local *local = local_state;
    if (!local->is_emitter)
        return 0;
    if (is_concatenation(op->logical))
        return emit_concatenation(global, local, out, err);
    int64_t total = tn_hash_table_count(global->table);
    uint32_t count = 0;
    int64_t sources[TN_VECTOR_SIZE];
    while (count < TN_VECTOR_SIZE && (local->repeat > 0 || local->next < total)) {
        if (local->repeat == 0) {
            local->repeat = copies(op->logical, tn_hash_table_payload(global->table, local->next));
            local->next++;
            continue;
        }
        sources[count++] = local->next - 1;
        local->repeat--;
    }
    /* write the chosen entries' keys: runs of one entry are copies */
    tn_vector *columns[64];
    for (int col = 0; col < op->column_count && col < 64; col++)
        columns[col] = &out->columns[col];
    for (uint32_t i = 0; i < count;) {
        uint32_t run = 1;
        while (i + run < count && sources[i + run] == sources[i] + run)
            run++;
        tn_vector shifted[64];
        tn_vector *targets[64];
        for (int col = 0; col < op->column_count && col < 64; col++) {
            shifted[col] = out->columns[col];
            size_t size = tn_type_size(shifted[col].type.id);
            shifted[col].data = (char *)out->columns[col].data + (size_t)i * size;
            shifted[col].validity = NULL;
            shifted[col].scales = out->columns[col].scales != NULL ? out->columns[col].scales + i : NULL;
            targets[col] = &shifted[col];
        }
        if (tn_hash_table_keys(global->table, sources[i], run, targets, err) != 0)
            return -1;
        for (int col = 0; col < op->column_count && col < 64; col++) {
            /* scales first attached by this run: move them to the column */
            if (shifted[col].scales != NULL && columns[col]->scales == NULL) {
                if (tn_vector_ensure_scales(columns[col]) != 0)
                    return tn_error_oom(err);
                memcpy(columns[col]->scales + i, shifted[col].scales, run);
            }
            for (uint32_t k = 0; k < run && shifted[col].validity != NULL; k++) {
                if (!tn_vector_is_valid(&shifted[col], k) && tn_vector_set_null(columns[col], i + k) != 0)
                    return tn_error_oom(err);
            }
        }
        i += run;
    }
    out->count = count;
    return local->repeat > 0 || local->next < total ? 1 : 0;
}

const tn_physical_ops tn_op_set_operation = {
    .name = "SetOp",
    .shape = TN_SHAPE_BREAKER,
    .init_global = tn_rowset_init_global,
    .init_local = tn_rowset_init_local,
    .get_chunk = tn_rowset_get_chunk,
    .sink = tn_rowset_sink,
    .combine = tn_rowset_combine,
};
