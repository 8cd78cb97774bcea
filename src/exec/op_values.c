/*
 * VALUES lists and the one empty row of a SELECT without FROM (DUMMY_SCAN),
 * as a source.  The rows are produced once, by whichever thread claims the
 * source first; constants are stored directly and other expressions (now(),
 * arithmetic the binder did not fold, scalar subqueries) are evaluated over
 * a one-row chunk.
 */
#include "exec/operator.h"

#include <stdatomic.h>
#include <string.h>


typedef struct values_global {
    atomic_bool claimed;
} values_global;

typedef struct values_local {
    bool is_owner;
    int next_row;
    tn_arena *cell_arena;   /* a non-constant cell's compiled state; reset per cell */
    tn_arena *cell_heap;    /* its intermediate values */
} values_local;

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

static void *values_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    values_global *global = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(values_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->claimed, false);
    return global;
}

static void *values_init_local(tn_exec *exec, const tn_physical *op, void *global_state,
                               tn_op_role role, tn_error *err)
{
    (void)op;
    (void)role;
    values_global *global = global_state;
    values_local *local = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(values_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    local->is_owner = !atomic_exchange(&global->claimed, true);
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    local->cell_arena = owned_arena(arena);
    local->cell_heap = owned_arena(arena);
    if (local->cell_arena == NULL || local->cell_heap == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    return local;
}

/* Stores value into out[row]: a NUMERIC keeps its own scale in an
 * unconstrained column and is brought to a numeric(p,s) column's scale. */
static int store_value(tn_vector *out, uint32_t row, const tn_value *value, tn_error *err)
{
    if (!value->is_null && value->type.id == TN_TYPE_NUMERIC) {
        tn_vector_set_valid(out, row);
        return tn_vector_set_numeric(out, row, value->u.numeric, value->type.scale, err);
    }
    return tn_vector_set_value(out, row, value) == 0 ? 0 : tn_error_oom(err);
}

/* Evaluates a non-constant expression of a VALUES row into out[row]; its
 * compiled state lives only for this cell. */
static int eval_cell(tn_exec *exec, values_local *local, const tn_expr *expr, tn_vector *out,
                     uint32_t row, tn_error *err)
{
    tn_arena_reset(local->cell_arena);
    tn_chunk one;
    memset(&one, 0, sizeof one);
    one.count = 1;
    tn_vector value;
    if (tn_vector_init(&value, expr->type, local->cell_arena) != 0)
        return tn_error_oom(err);
    value.arena = local->cell_arena;
    tn_expr_state *state = tn_expr_compile_with_heap(tn_exec_context_of(exec), expr, local->cell_arena,
                                                     local->cell_heap, err);
    if (state == NULL || tn_expr_eval(state, &one, &value, err) != 0)
        return -1;
    tn_value result;
    tn_vector_get_value(&value, 0, &result);
    return store_value(out, row, &result, err);
}

static int values_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                            tn_chunk *out, tn_error *err)
{
    (void)global;
    values_local *local = local_state;
    const tn_logical *logical = op->logical;
    if (!local->is_owner)
        return 0;
    if (logical->kind == TN_LOGICAL_DUMMY_SCAN) {
        out->count = 1;
        local->is_owner = false;
        return 0;
    }
    uint32_t row = 0;
    while (local->next_row < logical->row_count && row < TN_VECTOR_SIZE) {
        for (int col = 0; col < logical->column_count; col++) {
            const tn_expr *expr = logical->values[(size_t)local->next_row * (size_t)logical->column_count + (size_t)col];
            tn_vector *v = &out->columns[col];
            if (expr->kind == TN_EXPR_CONSTANT && (expr->value.is_null || expr->type.id == TN_TYPE_NULL)) {
                if (tn_vector_set_null(v, row) != 0)
                    return tn_error_oom(err);
            } else if (expr->kind == TN_EXPR_CONSTANT && expr->type.id == v->type.id) {
                if (store_value(v, row, &expr->value, err) != 0)
                    return -1;
            } else if (eval_cell(exec, local, expr, v, row, err) != 0) {
                return -1;
            }
        }
        row++;
        local->next_row++;
    }
    out->count = row;
    return local->next_row < logical->row_count ? 1 : 0;
}

const tn_physical_ops tn_op_values = {
    .name = "Values Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = values_init_global,
    .init_local = values_init_local,
    .get_chunk = values_get_chunk,
};
