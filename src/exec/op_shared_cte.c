/*
 * SHARED_CTE_SCAN (sql/logical.h): the rows of a WITH query referenced
 * more than once, computed once per executor.
 *
 * The first scan of a WITH query in an executor runs the query's plan to
 * completion on an executor of its own (as subqueries do) and keeps the
 * rows in a collection; the other scans of the same query in that
 * executor find it through tn_exec_peer_global and read the same rows, so
 * a volatile function in the query gives one answer to every reference.
 * A subquery's executor computes its own copy, which is right for one
 * that runs again per outer row.
 */
#include "exec/operator.h"

#include <stdatomic.h>

typedef struct shared_global {
    const tn_collection *rows;  /* the first scan's */
    tn_collection own;
    atomic_bool claimed;        /* one thread reads this scan's rows */
} shared_global;

typedef struct shared_local {
    bool is_owner;
    int next_chunk;
} shared_local;

static bool same_query(const tn_physical *op, const tn_physical *other)
{
    return other->ops == op->ops && other->logical->cte_plan == op->logical->cte_plan;
}

static int materialize(tn_exec *exec, const tn_logical *plan, tn_collection *rows, tn_error *err)
{
    tn_exec_context context = *tn_exec_context_of(exec);
    if (!(context.arena = tn_arena_create()))
        return tn_error_oom(err);
    int rc = tn_collection_init(rows, tn_exec_context_of(exec)->arena, plan->types, plan->column_count) == 0
                 ? 0 : tn_error_oom(err);
    tn_executor *executor = rc == 0 ? tn_executor_create(&context, (tn_logical *)plan, err) : NULL;
    if (executor == NULL)
        rc = -1;
    for (int more = 1; rc == 0 && more > 0;) {
        const tn_chunk *chunk;
        more = tn_executor_next(executor, &chunk, err);
        if (more < 0 || (more > 0 && tn_collection_append(rows, chunk, err) != 0))
            rc = -1;
    }
    if (executor != NULL)
        tn_executor_destroy(executor);
    tn_arena_destroy(context.arena);
    return rc;
}

static void *shared_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    shared_global *global = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(shared_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->claimed, false);
    const shared_global *peer = tn_exec_peer_global(exec, op, same_query);
    if (peer != NULL) {
        global->rows = peer->rows;
        return global;
    }
    if (materialize(exec, op->logical->cte_plan->children[0], &global->own, err) != 0)
        return NULL;
    global->rows = &global->own;
    return global;
}

static void *shared_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                               tn_error *err)
{
    (void)op;
    (void)role;
    shared_global *global = global_state;
    shared_local *local = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(shared_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->is_owner = !atomic_exchange(&global->claimed, true);
    return local;
}

static int shared_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                            tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)op;
    const tn_collection *rows = ((shared_global *)global_state)->rows;
    shared_local *local = local_state;
    if (!local->is_owner || local->next_chunk >= rows->chunk_count) {
        out->count = 0;
        return 0;
    }
    const tn_chunk *chunk = rows->chunks[local->next_chunk++];
    if (tn_chunk_gather(out, chunk, NULL, chunk->count) != 0)
        return tn_error_oom(err);
    return local->next_chunk < rows->chunk_count ? 1 : 0;
}

const tn_physical_ops tn_op_shared_cte_scan = {
    .name = "CTE Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = shared_init_global,
    .init_local = shared_init_local,
    .get_chunk = shared_get_chunk,
};
