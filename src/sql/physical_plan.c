/*
 * The physical planner: one physical operator per logical node, with the
 * choices that need a look at the node.  A join whose condition has
 * equalities between a left-only and a right-only expression becomes a hash
 * join on those keys (the other conjuncts stay as its residual predicate);
 * any other join is a nested loop.  Where pipelines are cut follows from
 * each operator's shape (exec/operator.h), not from here.
 */
#include "exec/operator.h"

#include <string.h>

static tn_physical *plan_node(tn_arena *arena, const tn_logical *logical, tn_error *err);

/* Bits of where an expression's columns come from in a join's input. */
enum { SIDE_LEFT = 1, SIDE_RIGHT = 2, SIDE_OTHER = 4 };

static int expr_sides(const tn_expr *expr, int left_count)
{
    int sides = 0;
    if (expr->kind == TN_EXPR_COLUMN)
        sides |= expr->column < left_count ? SIDE_LEFT : SIDE_RIGHT;
    if (expr->kind == TN_EXPR_SUBQUERY)
        sides |= SIDE_OTHER;
    if (expr->kind == TN_EXPR_FUNCTION && expr->function->volatility == TN_VOLATILE)
        sides |= SIDE_OTHER;
    for (int i = 0; i < expr->arg_count; i++)
        sides |= expr_sides(expr->args[i], left_count);
    return sides;
}

static void shift_columns(tn_expr *expr, int shift)
{
    if (expr->kind == TN_EXPR_COLUMN)
        expr->column += shift;
    for (int i = 0; i < expr->arg_count; i++)
        shift_columns(expr->args[i], shift);
}

/* Flattens nested ANDs of condition into conjuncts[]; returns the count. */
static int collect_conjuncts(tn_expr *condition, tn_expr **conjuncts, int count, int capacity)
{
    if (condition->kind == TN_EXPR_AND) {
        for (int i = 0; i < condition->arg_count; i++)
            count = collect_conjuncts(condition->args[i], conjuncts, count, capacity);
        return count;
    }
    if (count < capacity)
        conjuncts[count] = condition;
    return count + 1;
}

static bool same_key_type(tn_type a, tn_type b)
{
    return a.id == b.id && (a.id != TN_TYPE_NUMERIC || a.scale == b.scale);
}

/* Splits a join condition into hash keys and a residual; key_count 0 when
 * there is no usable equality. */
static tn_hash_join_data *plan_hash_join(tn_arena *arena, const tn_logical *join, tn_error *err)
{
    tn_hash_join_data *data = tn_arena_zalloc(arena, sizeof(tn_hash_join_data));
    if (data == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    data->join_type = join->join_type;
    if (join->predicate == NULL)
        return data;
    int left_count = join->children[0]->column_count;
    int capacity = collect_conjuncts(join->predicate, NULL, 0, 0);
    tn_expr **conjuncts = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)capacity);
    tn_expr **residual = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)capacity);
    data->left_keys = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)capacity);
    data->right_keys = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)capacity);
    if (conjuncts == NULL || residual == NULL || data->left_keys == NULL || data->right_keys == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    collect_conjuncts(join->predicate, conjuncts, 0, capacity);
    int residual_count = 0;
    for (int i = 0; i < capacity; i++) {
        tn_expr *c = conjuncts[i];
        bool is_key = c->kind == TN_EXPR_FUNCTION && c->arg_count == 2 &&
                      strcmp(c->function->name, "=") == 0 &&
                      same_key_type(c->args[0]->type, c->args[1]->type);
        if (is_key) {
            int a = expr_sides(c->args[0], left_count), b = expr_sides(c->args[1], left_count);
            tn_expr *left = NULL, *right = NULL;
            if (a == SIDE_LEFT && b == SIDE_RIGHT) {
                left = c->args[0];
                right = c->args[1];
            } else if (a == SIDE_RIGHT && b == SIDE_LEFT) {
                left = c->args[1];
                right = c->args[0];
            }
            if (left != NULL) {
                right = tn_expr_copy(arena, right);
                if (right == NULL) {
                    tn_error_oom(err);
                    return NULL;
                }
                shift_columns(right, -left_count);
                data->left_keys[data->key_count] = left;
                data->right_keys[data->key_count] = right;
                data->key_count++;
                continue;
            }
        }
        residual[residual_count++] = c;
    }
    if (residual_count == 1) {
        data->residual = residual[0];
    } else if (residual_count > 1) {
        data->residual = tn_expr_new(arena, TN_EXPR_AND, tn_type_make(TN_TYPE_BOOL), residual_count,
                                     join->predicate->location);
        if (data->residual == NULL) {
            tn_error_oom(err);
            return NULL;
        }
        memcpy(data->residual->args, residual, sizeof(tn_expr *) * (size_t)residual_count);
    }
    return data;
}

static const tn_physical_ops *ops_for(const tn_logical *logical, tn_error *err)
{
    switch (logical->kind) {
    case TN_LOGICAL_GET: return &tn_op_table_scan;
    case TN_LOGICAL_VALUES:
    case TN_LOGICAL_DUMMY_SCAN: return &tn_op_values;
    case TN_LOGICAL_FILTER: return &tn_op_filter;
    case TN_LOGICAL_PROJECTION: return &tn_op_projection;
    case TN_LOGICAL_AGGREGATE: return &tn_op_hash_aggregate;
    case TN_LOGICAL_JOIN: return &tn_op_hash_join;
    case TN_LOGICAL_ORDER: return &tn_op_sort;
    case TN_LOGICAL_LIMIT: return &tn_op_limit;
    case TN_LOGICAL_DISTINCT: return &tn_op_distinct;
    case TN_LOGICAL_SET_OPERATION: return &tn_op_set_operation;
    case TN_LOGICAL_INSERT: return logical->conflict ? &tn_op_upsert : &tn_op_insert;
    case TN_LOGICAL_DELETE: return &tn_op_delete;
    case TN_LOGICAL_UPDATE: return logical->conflict ? &tn_op_update_keyed : &tn_op_update;
    case TN_LOGICAL_EXPLAIN: return logical->is_analyze ? &tn_op_explain_analyze : &tn_op_explain;
    case TN_LOGICAL_WINDOW: return &tn_op_window;
    case TN_LOGICAL_RECURSIVE_CTE: return &tn_op_recursive_cte;
    case TN_LOGICAL_CTE_SCAN: return &tn_op_cte_scan;
    case TN_LOGICAL_SHARED_CTE_SCAN: return &tn_op_shared_cte_scan;
    case TN_LOGICAL_LATERAL_JOIN: return &tn_op_lateral_join;
    case TN_LOGICAL_TABLE_FUNCTION:
        if (logical->table_function != NULL)
            return logical->child_count > 0 ? &tn_op_lateral_function_scan : &tn_op_function_scan;
        if (strcmp(logical->function_name, "read_parquet") == 0)
            return &tn_op_read_parquet;
        tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "table function %s is not supported",
                     logical->function_name);
        return NULL;
    }
    tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "unknown logical operator");
    return NULL;
}

static tn_physical *plan_node(tn_arena *arena, const tn_logical *logical, tn_error *err)
{
    const tn_physical_ops *ops = ops_for(logical, err);
    if (ops == NULL)
        return NULL;
    tn_physical *op = tn_arena_zalloc(arena, sizeof(tn_physical));
    if (op == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    int64_t *top_n = NULL;
    op->ops = ops;
    op->logical = logical;
    op->column_count = logical->column_count;
    op->types = logical->types;
    if (logical->kind == TN_LOGICAL_JOIN) {
        tn_hash_join_data *data = plan_hash_join(arena, logical, err);
        if (data == NULL)
            return NULL;
        op->data = data;
        if (data->key_count == 0)
            op->ops = &tn_op_nested_loop_join;
    }
    /* ORDER BY under LIMIT: the sort only needs limit + offset rows. */
    if (logical->kind == TN_LOGICAL_LIMIT && logical->limit >= 0 &&
        logical->children[0]->kind == TN_LOGICAL_ORDER) {
        int64_t *wanted = tn_arena_alloc(arena, sizeof(int64_t));
        if (wanted == NULL) {
            tn_error_oom(err);
            return NULL;
        }
        *wanted = logical->limit + (logical->offset > 0 ? logical->offset : 0);
        top_n = wanted;
    }
    /* A plain EXPLAIN prints the plan without running it. */
    /* (a recursive CTE runs its terms itself, on executors of its own) */
    int child_count = (logical->kind == TN_LOGICAL_EXPLAIN && !logical->is_analyze) ||
                              logical->kind == TN_LOGICAL_RECURSIVE_CTE
                          ? 0 : logical->child_count;
    for (int i = 0; i < child_count; i++) {
        op->children[i] = plan_node(arena, logical->children[i], err);
        if (op->children[i] == NULL)
            return NULL;
        if (top_n != NULL)
            op->children[i]->data = top_n;
    }
    op->child_count = child_count;
    return op;
}

tn_physical *tn_physical_plan(tn_arena *arena, const tn_logical *plan, tn_error *err)
{
    return plan_node(arena, plan, err);
}
