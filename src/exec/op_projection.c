/*
 * Projection: computes the node's expressions over each chunk into the
 * output columns.  A bare column reference copies the input vector (its
 * string bytes stay in the input chunk, which outlives this output).
 */
#include "exec/operator.h"

typedef struct projection_local {
    tn_expr_state **exprs;
} projection_local;

static void *projection_init_local(tn_exec *exec, const tn_physical *op, void *global,
                                   tn_op_role role, tn_error *err)
{
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    projection_local *local = tn_arena_alloc(context->arena, sizeof(projection_local));
    int count = op->logical->column_count;
    if (local == NULL ||
        (local->exprs = tn_arena_alloc(context->arena, sizeof(tn_expr_state *) * (size_t)(count + 1))) == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int col = 0; col < count; col++) {
        local->exprs[col] = tn_expr_compile(context, op->logical->exprs[col], context->arena, err);
        if (local->exprs[col] == NULL)
            return NULL;
    }
    return local;
}

static int projection_execute(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                              const tn_chunk *in, tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)global;
    projection_local *local = local_state;
    for (int col = 0; col < op->column_count; col++) {
        if (tn_expr_eval(local->exprs[col], in, &out->columns[col], err) != 0)
            return -1;
    }
    out->count = in->count;
    return TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_projection = {
    .name = "Projection",
    .shape = TN_SHAPE_STREAM,
    .init_local = projection_init_local,
    .execute = projection_execute,
};
