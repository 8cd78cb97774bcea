/*
 * Filter: keeps the rows of each chunk for which the predicate is true,
 * compacting the chunk's columns with the selection tn_expr_select makes.
 * The predicate state is per thread (expression states are not shared).
 */
#include "exec/operator.h"

typedef struct filter_local {
    tn_expr_state *predicate;
    uint32_t sel[TN_VECTOR_SIZE];
} filter_local;

static void *filter_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                               tn_error *err)
{
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    filter_local *local = tn_arena_alloc(context->arena, sizeof(filter_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->predicate = tn_expr_compile(context, op->logical->predicate, context->arena, err);
    return local->predicate != NULL ? local : NULL;
}

static int filter_execute(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                          const tn_chunk *in, tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)op;
    (void)global;
    filter_local *local = local_state;
    int selected = tn_expr_select(local->predicate, in, local->sel, err);
    if (selected < 0)
        return -1;
    if (selected == 0)
        return TN_OP_NEED_MORE;
    const uint32_t *sel = (uint32_t)selected == in->count ? NULL : local->sel;
    if (tn_chunk_gather(out, in, sel, (uint32_t)selected) != 0)
        return tn_error_oom(err);
    return TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_filter = {
    .name = "Filter",
    .shape = TN_SHAPE_STREAM,
    .init_local = filter_init_local,
    .execute = filter_execute,
};
