/*
 * Function scans: a table function (exec/table_function.h) in FROM.
 *
 *  - Function Scan (a TABLE_FUNCTION leaf): whichever thread claims the
 *    source first evaluates the arguments once (over a one-row chunk, so
 *    outer references of a correlated subquery and now() work) and pulls
 *    the function's rows a chunk at a time.
 *  - Lateral Function Scan (a TABLE_FUNCTION over a child, whose
 *    arguments read the child's columns): a stream operator that calls the
 *    function once per input row and emits that row beside each result;
 *    a row whose call yields nothing disappears (a lateral cross join).
 *
 * WITH ORDINALITY adds a bigint row number per call.
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

/* The numeric scale of a NUMERIC argument travels with its value. */
static void argument_value(const tn_vector *values, uint32_t row, tn_value *out)
{
    tn_vector_get_value(values, row, out);
    if (!out->is_null && values->type.id == TN_TYPE_NUMERIC)
        out->type.scale = tn_vector_numeric_scale(values, values->is_constant ? 0 : row);
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
        argument_value(&value, 0, &call->args[idx]);
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

/* ---- lateral ---- */

typedef struct lateral_local {
    tn_expr_state **args;     /* compiled arguments, over the input chunk */
    tn_vector *arg_values;
    bool args_ready;          /* arg_values hold this input's arguments */
    uint32_t row;             /* input row being expanded */
    bool is_active;           /* call runs for row */
    tn_table_call call;
    int64_t ordinal;
    tn_vector values;         /* the function's rows before they join their input row */
    tn_arena *input_arena;    /* arg_values; reset per input chunk */
    tn_arena *call_arena;     /* the running call's resources; reset per call */
    tn_arena *out_arena;      /* values; reset per output chunk */
} lateral_local;

static tn_arena *owned_arena(tn_arena *owner)
{
    tn_arena *arena = tn_arena_create();
    if (arena != NULL && tn_arena_on_cleanup(owner, destroy_arena, arena) != 0) {
        tn_arena_destroy(arena);
        return NULL;
    }
    return arena;
}

static void *lateral_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                                tn_error *err)
{
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    int count = logical->function_arg_count;
    lateral_local *local = tn_arena_zalloc(context->arena, sizeof(lateral_local));
    if (local == NULL || !(local->args = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(count + 1))) ||
        !(local->arg_values = tn_arena_zalloc(context->arena, sizeof(tn_vector) * (size_t)(count + 1))) ||
        !(local->input_arena = owned_arena(context->arena)) || !(local->call_arena = owned_arena(context->arena)) ||
        !(local->out_arena = owned_arena(context->arena))) {
        tn_error_oom(err);
        return NULL;
    }
    for (int idx = 0; idx < count; idx++)
        if (!(local->args[idx] = tn_expr_compile(context, logical->function_exprs[idx], context->arena, err)))
            return NULL;
    return local;
}

static int lateral_start(const tn_logical *logical, lateral_local *local, tn_error *err)
{
    tn_table_call *call = &local->call;
    memset(call, 0, sizeof *call);
    call->function = logical->table_function;
    call->type = logical->types[logical->children[0]->column_count];
    call->arg_count = logical->function_arg_count;
    for (int idx = 0; idx < call->arg_count; idx++)
        argument_value(&local->arg_values[idx], local->row, &call->args[idx]);
    tn_arena_reset(local->call_arena);
    local->is_active = true;
    local->ordinal = 0;
    return call->function->start(call, local->call_arena, err);
}

static int lateral_execute(tn_exec *exec, const tn_physical *op, void *global, void *local_state, const tn_chunk *in,
                           tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)global;
    lateral_local *local = local_state;
    const tn_logical *logical = op->logical;
    int width = logical->children[0]->column_count;
    tn_arena_reset(local->out_arena);
    if (tn_vector_init(&local->values, logical->types[width], local->out_arena) != 0)
        return tn_error_oom(err);
    if (!local->args_ready) {
        tn_arena_reset(local->input_arena);
        for (int idx = 0; idx < logical->function_arg_count; idx++) {
            tn_vector *values = &local->arg_values[idx];
            if (tn_vector_init(values, logical->function_exprs[idx]->type, local->input_arena) != 0)
                return tn_error_oom(err);
            if (tn_expr_eval(local->args[idx], in, values, err) != 0)
                return -1;
        }
        local->args_ready = true;
        local->row = 0;
        local->is_active = false;
    }
    uint32_t produced = 0;
    while (local->row < in->count) {
        if (!local->is_active && lateral_start(logical, local, err) != 0)
            return -1;
        uint32_t room = TN_VECTOR_SIZE - produced;
        if (room == 0) {
            out->count = produced;
            return TN_OP_HAVE_MORE;
        }
        int count = local->call.is_done ? 0 : logical->table_function->next(&local->call, &local->values, room, err);
        if (count < 0)
            return -1;
        for (int row = 0; row < count; row++)
            for (int col = 0; col < width; col++)
                if (tn_vector_copy_row(&out->columns[col], produced + (uint32_t)row, &in->columns[col], local->row) != 0)
                    return tn_error_oom(err);
        if (count > 0 && tn_vector_copy(&out->columns[width], produced, &local->values, 0, (uint32_t)count) != 0)
            return tn_error_oom(err);
        if (logical->with_ordinality) {
            int64_t *ordinals = out->columns[width + 1].data;
            for (int row = 0; row < count; row++)
                ordinals[produced + (uint32_t)row] = ++local->ordinal;
        }
        produced += (uint32_t)count;
        if ((uint32_t)count < room) {
            local->is_active = false;
            local->row++;
        }
    }
    out->count = produced;
    local->args_ready = false;
    return TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_lateral_function_scan = {
    .name = "Lateral Function Scan",
    .shape = TN_SHAPE_STREAM,
    .init_local = lateral_init_local,
    .execute = lateral_execute,
};
