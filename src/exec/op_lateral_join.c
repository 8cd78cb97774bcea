/*
 * Lateral Join: a LATERAL derived table in FROM (TN_LOGICAL_LATERAL_JOIN).
 * The node streams its child (the FROM items before the LATERAL one); its
 * predicate is a correlated TN_EXPR_SUBQUERY whose plan reads the child's
 * row as its enclosing row (OUTER_COLUMN at depth 1).  For every input row
 * the plan runs on its own executor, as a correlated subquery expression
 * does (subquery.c), and the row is emitted once per row of the result,
 * followed by the result's columns.  join_type LEFT keeps a row whose
 * subquery yields nothing, with NULLs for the subquery's columns.
 */
#include "exec/operator.h"
#include "exec/exec_int.h"

#include "sql/logical.h"

typedef struct lateral_join_local {
    tn_exec_context *context;
    tn_arena *results_arena;   /* results; reset per input row */
    tn_collection results;
    uint32_t row;              /* input row being expanded */
    bool is_active;            /* results hold row's answer */
    int64_t emitted;           /* rows of results already sent for row */
} lateral_join_local;

static void destroy_arena(void *arg)
{
    tn_arena_destroy(arg);
}

static void *init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role, tn_error *err)
{
    (void)op;
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    lateral_join_local *local = tn_arena_zalloc(context->arena, sizeof(lateral_join_local));
    if (local == NULL || !(local->results_arena = tn_arena_create())) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(context->arena, destroy_arena, local->results_arena) != 0) {
        tn_arena_destroy(local->results_arena);
        tn_error_oom(err);
        return NULL;
    }
    local->context = context;
    return local;
}

/* Runs the subquery with in's row row as its enclosing row. */
static int run(lateral_join_local *local, const tn_logical *plan, const tn_chunk *in, tn_error *err)
{
    tn_arena_reset(local->results_arena);
    if (tn_collection_init(&local->results, local->results_arena, plan->types, plan->column_count) != 0)
        return tn_error_oom(err);
    tn_arena *run_arena = tn_arena_create();
    if (run_arena == NULL)
        return tn_error_oom(err);
    tn_outer_row outer = {in, local->row, local->context->outer};
    tn_exec_context context = *local->context;
    context.arena = run_arena;
    context.outer = &outer;
    int status = -1;
    tn_executor *executor = tn_executor_create(&context, (tn_logical *)plan, err);
    if (executor != NULL) {
        const tn_chunk *chunk;
        int more;
        while ((more = tn_executor_next(executor, &chunk, err)) == 1)
            if (tn_collection_append(&local->results, chunk, err) != 0)
                break;
        status = more == 0 ? 0 : -1;
    }
    tn_executor_destroy(executor);
    tn_arena_destroy(run_arena);
    return status;
}

/* Sends in's row row at out's row at, with result row (chunk, offset) or NULLs. */
static int emit(const tn_chunk *in, uint32_t row, int width, const tn_chunk *result, uint32_t offset, tn_chunk *out,
                uint32_t at, int right_width)
{
    for (int col = 0; col < width; col++)
        if (tn_vector_copy(&out->columns[col], at, &in->columns[col], row, 1) != 0)
            return -1;
    for (int col = 0; col < right_width; col++) {
        int rc = result ? tn_vector_copy(&out->columns[width + col], at, &result->columns[col], offset, 1)
                        : tn_vector_set_null(&out->columns[width + col], at);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int execute(tn_exec *exec, const tn_physical *op, void *global, void *local_state, const tn_chunk *in,
                   tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)global;
    lateral_join_local *local = local_state;
    const tn_logical *logical = op->logical;
    const tn_logical *plan = logical->predicate->subquery;
    int width = logical->children[0]->column_count;
    uint32_t produced = 0;
    while (local->row < in->count) {
        if (!local->is_active) {
            if (run(local, plan, in, err) != 0)
                return -1;
            local->is_active = true;
            local->emitted = 0;
            if (local->results.row_count == 0 && logical->join_type == TN_JOIN_LEFT) {
                if (produced == TN_VECTOR_SIZE) {
                    out->count = produced;
                    local->is_active = false;
                    return TN_OP_HAVE_MORE;
                }
                if (emit(in, local->row, width, NULL, 0, out, produced++, plan->column_count) != 0)
                    return tn_error_oom(err);
            }
        }
        while (local->emitted < local->results.row_count) {
            if (produced == TN_VECTOR_SIZE) {
                out->count = produced;
                return TN_OP_HAVE_MORE;
            }
            const tn_chunk *chunk;
            uint32_t offset;
            tn_collection_locate(&local->results, local->emitted, &chunk, &offset);
            if (emit(in, local->row, width, chunk, offset, out, produced++, plan->column_count) != 0)
                return tn_error_oom(err);
            local->emitted++;
        }
        local->is_active = false;
        local->row++;
    }
    out->count = produced;
    local->row = 0;
    return TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_lateral_join = {
    .name = "Lateral Join",
    .shape = TN_SHAPE_STREAM,
    .init_local = init_local,
    .execute = execute,
};
