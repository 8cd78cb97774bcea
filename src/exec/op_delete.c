/*
 * DELETE: a sink collecting the row ids in its input's first column;
 * finalize sorts them, drops duplicates (a join may name a row twice) and
 * records the deletion in the statement's transaction (storage writes the
 * delete files).  UPDATE deletes the same way (op_update.c), so the id
 * collection is shared through operator.h.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "storage/table.h"

struct tn_row_ids {
    pthread_mutex_t lock;
    int64_t *ids;      /* malloc'd, freed with the statement arena */
    int64_t count;
    int64_t capacity;
};

static void free_ids(void *arg)
{
    tn_row_ids *ids = arg;
    free(ids->ids);
    pthread_mutex_destroy(&ids->lock);
}

tn_row_ids *tn_row_ids_create(tn_arena *arena, tn_error *err)
{
    tn_row_ids *ids = tn_arena_zalloc(arena, sizeof(tn_row_ids));
    if (ids == NULL || pthread_mutex_init(&ids->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, free_ids, ids) != 0) {
        pthread_mutex_destroy(&ids->lock);
        tn_error_oom(err);
        return NULL;
    }
    return ids;
}

int tn_row_ids_add(tn_row_ids *ids, const tn_vector *column, uint32_t count, tn_error *err)
{
    pthread_mutex_lock(&ids->lock);
    if (ids->count + count > ids->capacity) {
        int64_t capacity = ids->capacity ? ids->capacity * 2 : 4096;
        while (capacity < ids->count + count)
            capacity *= 2;
        int64_t *grown = realloc(ids->ids, sizeof(int64_t) * (size_t)capacity);
        if (grown == NULL) {
            pthread_mutex_unlock(&ids->lock);
            return tn_error_oom(err);
        }
        ids->ids = grown;
        ids->capacity = capacity;
    }
    const int64_t *values = column->data;
    for (uint32_t row = 0; row < count; row++) {
        if (tn_vector_is_valid(column, row))
            ids->ids[ids->count++] = values[column->is_constant ? 0 : row];
    }
    pthread_mutex_unlock(&ids->lock);
    return 0;
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int tn_row_ids_delete(tn_exec *exec, const tn_physical *op, tn_row_ids *ids, tn_error *err)
{
    if (ids->count == 0)
        return 0;
    qsort(ids->ids, (size_t)ids->count, sizeof(int64_t), compare_ids);
    int64_t unique = 1;
    for (int64_t i = 1; i < ids->count; i++) {
        if (ids->ids[i] != ids->ids[unique - 1])
            ids->ids[unique++] = ids->ids[i];
    }
    tn_exec_context *context = tn_exec_context_of(exec);
    int64_t deleted = 0;
    if (tn_table_delete(op->logical->table, context->txn, ids->ids, unique, &deleted, context->arena,
                        err) != 0)
        return -1;
    tn_exec_add_rows_affected(exec, deleted);
    return 0;
}

static void *delete_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    tn_exec_context *context = tn_exec_context_of(exec);
    if (context->txn == NULL) {
        tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "data modification without a transaction");
        return NULL;
    }
    return tn_row_ids_create(context->arena, err);
}

static int delete_sink(tn_exec *exec, const tn_physical *op, void *global, void *local,
                       const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)op;
    (void)local;
    (void)side;
    return tn_row_ids_add(global, &in->columns[0], in->count, err);
}

static int delete_finalize(tn_exec *exec, const tn_physical *op, void *global, tn_error *err)
{
    return tn_row_ids_delete(exec, op, global, err);
}

const tn_physical_ops tn_op_delete = {
    .name = "Delete",
    .shape = TN_SHAPE_BREAKER,
    .init_global = delete_init_global,
    .get_chunk = tn_dml_no_rows,
    .sink = delete_sink,
    .finalize = delete_finalize,
};
