/*
 * WITH RECURSIVE: the RECURSIVE_CTE source and the CTE_SCAN of its
 * working table (sql/logical.h).
 *
 * The recursive CTE runs its two terms itself, each run on an executor of
 * its own (as subqueries do): the non-recursive term once, then the
 * recursive term again and again, each time with the rows the previous
 * run added as the working table, until a run adds none.  Rows stream
 * out as they are produced, so a LIMIT above stops the iteration.  UNION
 * (not ALL) drops rows already produced, through a hash set of them all.
 *
 * The working tables reach the CTE_SCANs through the executor context
 * (tn_exec_context.working, innermost first), which subquery executors
 * copy, so a nested recursive query or a subquery in the recursive term
 * finds the right one.
 */
#include "exec/operator.h"

#include <stdatomic.h>
#include <string.h>

struct tn_working_table {
    const tn_logical *source;          /* the RECURSIVE_CTE node */
    const tn_collection *rows;
    const struct tn_working_table *next;
};

typedef struct claim_global {
    atomic_bool claimed;
} claim_global;

typedef struct recursive_local {
    bool is_owner;
    bool anchor_done;
    tn_exec_context context;            /* the parent's, with this working table in front */
    tn_exec_context run_context;        /* the current run's (its executor keeps a pointer) */
    struct tn_working_table table;
    tn_collection working;              /* rows of the last run: what the recursive term reads */
    tn_collection added;                /* rows of the current run */
    tn_arena *arenas[2];                /* working's and added's, swapped per run */
    tn_arena *run_arena;                /* the current run's executor */
    tn_executor *executor;
    tn_hash_table *seen;                /* UNION: every row produced */
    tn_vector **keys;                   /* UNION: a chunk's columns as hash keys */
    uint32_t sel[TN_VECTOR_SIZE];
} recursive_local;

typedef struct scan_local {
    bool is_owner;
    int next_chunk;
} scan_local;

static void destroy_arena(void *arg)
{
    tn_arena_destroy(arg);
}

static tn_arena *owned_arena(tn_arena *owner)
{
    tn_arena *arena = tn_arena_create();
    if (arena != NULL && tn_arena_on_cleanup(owner, destroy_arena, arena) != 0) {
        tn_arena_destroy(arena);
        return NULL;
    }
    return arena;
}

static void *claim_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    claim_global *global = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(claim_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->claimed, false);
    return global;
}

/* ---- RECURSIVE_CTE ---- */

static void finish_run(recursive_local *local)
{
    tn_executor_destroy(local->executor);
    local->executor = NULL;
    tn_arena_destroy(local->run_arena);
    local->run_arena = NULL;
}

static void finish_run_cleanup(void *local)
{
    finish_run(local);
}

static void *recursive_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                                  tn_error *err)
{
    (void)role;
    claim_global *global = global_state;
    tn_exec_context *parent = tn_exec_context_of(exec);
    recursive_local *local = tn_arena_zalloc(parent->arena, sizeof(recursive_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->is_owner = !atomic_exchange(&global->claimed, true);
    if (!local->is_owner)
        return local;
    const tn_logical *logical = op->logical;
    local->arenas[0] = owned_arena(parent->arena);
    local->arenas[1] = owned_arena(parent->arena);
    if (local->arenas[0] == NULL || local->arenas[1] == NULL ||
        tn_arena_on_cleanup(parent->arena, finish_run_cleanup, local) != 0 ||
        tn_collection_init(&local->working, local->arenas[0], logical->types, logical->column_count) != 0 ||
        tn_collection_init(&local->added, local->arenas[1], logical->types, logical->column_count) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (!logical->is_all) {
        local->seen = tn_hash_table_create(parent->arena, logical->types, logical->column_count, 0, err);
        local->keys = tn_arena_alloc(parent->arena, sizeof(tn_vector *) * (size_t)(logical->column_count + 1));
        if (local->seen == NULL || local->keys == NULL)
            return local->seen == NULL ? NULL : (tn_error_oom(err), NULL);
    }
    local->context = *parent;
    local->table.source = logical;
    local->table.rows = &local->working;
    local->table.next = parent->working;
    local->context.working = &local->table;
    return local;
}

/* Starts the next run: the non-recursive term, or the recursive term over
 * the rows the last run added; false when there is nothing left to do. */
static int start_run(const tn_logical *logical, recursive_local *local, bool *started, tn_error *err)
{
    *started = false;
    const tn_logical *term = logical->children[0];
    if (local->anchor_done) {
        if (local->added.row_count == 0)
            return 0;
        /* the added rows become the working table; the old one is dropped */
        tn_arena *old = local->working.arena;
        local->working = local->added;
        tn_arena_reset(old);
        if (tn_collection_init(&local->added, old, logical->types, logical->column_count) != 0)
            return tn_error_oom(err);
        term = logical->children[1];
    }
    local->anchor_done = true;
    if (!(local->run_arena = tn_arena_create()))
        return tn_error_oom(err);
    local->run_context = local->context;
    local->run_context.arena = local->run_arena;
    local->executor = tn_executor_create(&local->run_context, (tn_logical *)term, err);
    if (local->executor == NULL)
        return -1;
    *started = true;
    return 0;
}

/* Keeps the rows of in not produced before (UNION) in out. */
static int keep_new(const tn_logical *logical, recursive_local *local, const tn_chunk *in, tn_chunk *out,
                    tn_error *err)
{
    uint32_t count = in->count;
    if (logical->is_all)
        return tn_chunk_gather(out, in, NULL, count) == 0 ? 0 : tn_error_oom(err);
    tn_vector **keys = local->keys;
    for (int col = 0; col < in->column_count; col++)
        keys[col] = (tn_vector *)&in->columns[col];
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    bool is_new[TN_VECTOR_SIZE];
    tn_hash_rows(keys, in->column_count, count, hashes);
    if (tn_hash_table_insert(local->seen, keys, hashes, count, entries, is_new, err) != 0)
        return -1;
    uint32_t kept = 0;
    for (uint32_t row = 0; row < count; row++)
        if (is_new[row])
            local->sel[kept++] = row;
    return tn_chunk_gather(out, in, local->sel, kept) == 0 ? 0 : tn_error_oom(err);
}

static int recursive_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                               tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)global;
    recursive_local *local = local_state;
    const tn_logical *logical = op->logical;
    if (!local->is_owner)
        return 0;
    for (;;) {
        if (local->executor == NULL) {
            bool started;
            if (start_run(logical, local, &started, err) != 0)
                return -1;
            if (!started) {
                out->count = 0;
                return 0;
            }
        }
        const tn_chunk *chunk;
        int more = tn_executor_next(local->executor, &chunk, err);
        if (more < 0)
            return -1;
        if (more == 0) {
            finish_run(local);
            continue;
        }
        if (keep_new(logical, local, chunk, out, err) != 0)
            return -1;
        if (out->count == 0)
            continue;
        return tn_collection_append(&local->added, out, err) == 0 ? 1 : -1;
    }
}

const tn_physical_ops tn_op_recursive_cte = {
    .name = "Recursive Union",
    .shape = TN_SHAPE_LEAF,
    .init_global = claim_init_global,
    .init_local = recursive_init_local,
    .get_chunk = recursive_get_chunk,
};

/* ---- CTE_SCAN ---- */

static void *scan_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                             tn_error *err)
{
    (void)op;
    (void)role;
    claim_global *global = global_state;
    scan_local *local = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(scan_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->is_owner = !atomic_exchange(&global->claimed, true);
    return local;
}

static int scan_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local_state, tn_chunk *out,
                          tn_error *err)
{
    (void)global;
    scan_local *local = local_state;
    if (!local->is_owner)
        return 0;
    const struct tn_working_table *table = tn_exec_context_of(exec)->working;
    while (table != NULL && table->source != op->logical->recursive_source)
        table = table->next;
    if (table == NULL)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "working table of a recursive query not found");
    if (local->next_chunk >= table->rows->chunk_count) {
        out->count = 0;
        return 0;
    }
    const tn_chunk *chunk = table->rows->chunks[local->next_chunk++];
    if (tn_chunk_gather(out, chunk, NULL, chunk->count) != 0)
        return tn_error_oom(err);
    return local->next_chunk < table->rows->chunk_count ? 1 : 0;
}

const tn_physical_ops tn_op_cte_scan = {
    .name = "WorkTable Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = claim_init_global,
    .init_local = scan_init_local,
    .get_chunk = scan_get_chunk,
};
