/*
 * Function scan: a table function (exec/table_function.h) in FROM as a
 * source.  Whichever thread claims the source first evaluates the
 * arguments once (over a one-row chunk, so outer references of a
 * correlated subquery and now() work) and pulls the function's rows a
 * chunk at a time; WITH ORDINALITY adds a bigint row number.
 */
#include "exec/operator.h"

#include <stdatomic.h>
#include <string.h>

#include "exec/table_function.h"

typedef struct scan_global {
    atomic_bool claimed;
} scan_global;

typedef struct scan_local {
    bool is_owner;
    bool is_started;
    tn_table_call call;
    int64_t ordinal;
    tn_arena *arena;          /* argument values and the function's resources */
} scan_local;

static void destroy_arena(void *arg)
{
    tn_arena_destroy(arg);
}

static void *scan_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    scan_global *global = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(scan_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->claimed, false);
    return global;
}

static void *scan_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                             tn_error *err)
{
    (void)op;
    (void)role;
    scan_global *global = global_state;
    tn_arena *owner = tn_exec_context_of(exec)->arena;
    scan_local *local = tn_arena_zalloc(owner, sizeof(scan_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->is_owner = !atomic_exchange(&global->claimed, true);
    if (local->is_owner) {
        local->arena = tn_arena_create();
        if (local->arena == NULL || tn_arena_on_cleanup(owner, destroy_arena, local->arena) != 0) {
            tn_arena_destroy(local->arena);
            tn_error_oom(err);
            return NULL;
        }
    }
    return local;
}

/* Evaluates the arguments and starts the call. */
static int start_call(tn_exec *exec, const tn_logical *logical, scan_local *local, tn_error *err)
{
    tn_table_call *call = &local->call;
    call->function = logical->table_function;
    call->type = logical->types[0];
    call->arg_count = logical->function_arg_count;
    tn_chunk one;
    memset(&one, 0, sizeof one);
    one.count = 1;
    for (int idx = 0; idx < call->arg_count; idx++) {
        const tn_expr *expr = logical->function_exprs[idx];
        tn_vector value;
        if (tn_vector_init(&value, expr->type, local->arena) != 0)
            return tn_error_oom(err);
        value.arena = local->arena;
        tn_expr_state *state = tn_expr_compile(tn_exec_context_of(exec), expr, local->arena, err);
        if (state == NULL || tn_expr_eval(state, &one, &value, err) != 0)
            return -1;
        tn_vector_get_value(&value, 0, &call->args[idx]);
        if (!call->args[idx].is_null && expr->type.id == TN_TYPE_NUMERIC)
            call->args[idx].type.scale = tn_vector_numeric_scale(&value, 0);
    }
    local->is_started = true;
    return call->function->start(call, local->arena, err);
}

static int scan_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local_state, tn_chunk *out,
                          tn_error *err)
{
    (void)global;
    scan_local *local = local_state;
    const tn_logical *logical = op->logical;
    if (!local->is_owner)
        return 0;
    if (!local->is_started && start_call(exec, logical, local, err) != 0)
        return -1;
    int count = local->call.is_done ? 0 : logical->table_function->next(&local->call, &out->columns[0],
                                                                          TN_VECTOR_SIZE, err);
    if (count < 0)
        return -1;
    if (logical->with_ordinality) {
        int64_t *ordinals = out->columns[1].data;
        for (int row = 0; row < count; row++)
            ordinals[row] = ++local->ordinal;
    }
    out->count = (uint32_t)count;
    if (count == 0)
        local->is_owner = false;
    return count > 0 ? 1 : 0;
}

const tn_physical_ops tn_op_function_scan = {
    .name = "Function Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = scan_init_global,
    .init_local = scan_init_local,
    .get_chunk = scan_get_chunk,
};
