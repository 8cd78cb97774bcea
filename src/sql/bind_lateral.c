/*
 * LATERAL derived tables: `FROM t, LATERAL (SELECT ...) x`,
 * `t CROSS JOIN LATERAL (...) x`, `t [LEFT] JOIN LATERAL (...) x ON ...`.
 * The subquery is bound with the FROM items before it as its enclosing
 * query level, so it reads their columns as OUTER_COLUMN references at
 * depth 1, exactly as a correlated subquery expression does.  The result
 * is a LATERAL_JOIN node over those items whose predicate holds the
 * subquery (a correlated TN_EXPR_SUBQUERY), run per row by
 * exec/op_lateral_join.c; a subquery that reads none of them is an
 * ordinary join.
 */
#include "sql/binder.h"

#include <limits.h>
#include <string.h>

static tn_logical *make_join(tn_binder *b, tn_logical *left, tn_logical *right, tn_logical_kind kind,
                             tn_join_type type)
{
    tn_logical *join = tn_logical_new(b->arena, kind, left->column_count + right->column_count);
    if (!join) {
        tn_error_oom(b->err);
        return NULL;
    }
    join->join_type = type;
    join->children[0] = left;
    join->child_count = 1;
    if (kind == TN_LOGICAL_JOIN) {
        join->children[1] = right;
        join->child_count = 2;
    }
    int width = left->column_count;
    memcpy(join->types, left->types, sizeof *join->types * (size_t)width);
    memcpy(join->types + width, right->types, sizeof *join->types * (size_t)right->column_count);
    memcpy(join->names, left->names, sizeof *join->names * (size_t)width);
    memcpy(join->names + width, right->names, sizeof *join->names * (size_t)right->column_count);
    return join;
}

/* from (a LATERAL subquery) over left, whose columns left_scope names. */
static tn_logical *bind_over(tn_binder *b, tn_ast_from *from, tn_bind_scope *left_scope, tn_logical *left,
                             tn_join_type type, tn_bind_scope *parent, tn_bind_scope **out)
{
    int saved_min = b->min_level;
    b->min_level = INT_MAX;
    tn_logical *right = tn_bind_from(b, from, left_scope, out);
    bool correlated = b->min_level <= left_scope->level;
    if (b->min_level > saved_min)
        b->min_level = saved_min;
    if (!right)
        return NULL;
    (*out)->parent = parent;
    if (!correlated)
        return make_join(b, left, right, TN_LOGICAL_JOIN, type);
    tn_logical *join = make_join(b, left, right, TN_LOGICAL_LATERAL_JOIN, type);
    tn_expr *subquery = join ? tn_expr_new(b->arena, TN_EXPR_SUBQUERY, tn_type_make(TN_TYPE_BOOL), 0,
                                           from->location) : NULL;
    if (!subquery) {
        tn_error_oom(b->err);
        return NULL;
    }
    subquery->subquery = right;
    subquery->subquery_kind = TN_SUBQUERY_EXISTS;
    subquery->is_correlated = true;
    join->predicate = subquery;
    return join;
}

tn_logical *tn_bind_lateral_subquery(tn_binder *b, tn_ast_from *from, tn_bind_scope *scope, tn_logical *left,
                                     tn_bind_scope *parent, tn_bind_scope **out)
{
    return bind_over(b, from, scope, left, TN_JOIN_INNER, parent, out);
}

/* Moves a JOIN/ON condition over (left ++ right) into the subquery, over
 * its output with left's columns as its enclosing row; false when it
 * holds a subquery (whose references would need the same shift). */
static bool shift_into(tn_expr *expr, int width)
{
    if (expr->kind == TN_EXPR_SUBQUERY)
        return false;
    if (expr->kind == TN_EXPR_OUTER_COLUMN)
        expr->depth++;
    if (expr->kind == TN_EXPR_COLUMN && expr->column < width) {
        expr->kind = TN_EXPR_OUTER_COLUMN;
        expr->depth = 1;
    } else if (expr->kind == TN_EXPR_COLUMN) {
        expr->column -= width;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (!shift_into(expr->args[idx], width))
            return false;
    return true;
}

tn_logical *tn_bind_lateral_join(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out)
{
    if (from->is_natural || from->using_count > 0) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, from->location,
                     "JOIN LATERAL with USING or NATURAL is not supported yet");
        return NULL;
    }
    tn_join_type type = from->join_kind == TN_AST_JOIN_LEFT    ? TN_JOIN_LEFT
                        : from->join_kind == TN_AST_JOIN_RIGHT ? TN_JOIN_RIGHT
                        : from->join_kind == TN_AST_JOIN_FULL  ? TN_JOIN_FULL
                                                               : TN_JOIN_INNER;
    tn_bind_scope *left_scope, *right_scope;
    tn_logical *left = tn_bind_from(b, from->left, parent, &left_scope);
    tn_logical *join = left ? bind_over(b, from->right, left_scope, left, type, parent, &right_scope) : NULL;
    if (join && join->kind == TN_LOGICAL_LATERAL_JOIN && type != TN_JOIN_INNER && type != TN_JOIN_LEFT) {
        /* PostgreSQL refuses these too (42P10) */
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, from->right->location,
                     "a LATERAL reference needs an INNER or LEFT JOIN");
        return NULL;
    }
    tn_bind_scope *scope = join ? tn_bind_scope_new(b, parent) : NULL;
    if (!scope || tn_bind_scope_merge(b, scope, left_scope, from->location) < 0 ||
        tn_bind_scope_merge(b, scope, right_scope, from->location) < 0)
        return NULL;
    *out = scope;
    if (!from->condition)
        return join;
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_JOIN;
    tn_expr *on = tn_bind_condition(b, scope, from->condition, "JOIN/ON");
    b->clause = saved;
    if (!on)
        return NULL;
    if (join->kind == TN_LOGICAL_JOIN) {
        join->predicate = on;
        return join;
    }
    if (!shift_into(on, left->column_count)) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, from->condition->location,
                     "subqueries in the ON condition of a JOIN LATERAL are not supported yet");
        return NULL;
    }
    tn_logical *right = join->predicate->subquery;
    tn_logical *filter = tn_logical_new(b->arena, TN_LOGICAL_FILTER, right->column_count);
    if (!filter) {
        tn_error_oom(b->err);
        return NULL;
    }
    memcpy(filter->types, right->types, sizeof *filter->types * (size_t)right->column_count);
    memcpy(filter->names, right->names, sizeof *filter->names * (size_t)right->column_count);
    filter->children[0] = right;
    filter->child_count = 1;
    filter->predicate = on;
    join->predicate->subquery = filter;
    return join;
}
