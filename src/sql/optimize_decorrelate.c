/*
 * Subquery decorrelation: the optimizer's first pass.  A correlated
 * subquery expression (exec/expr.h) left alone runs once per distinct
 * outer binding (exec/subquery.c); here the common forms become joins, so
 * the subquery's input is read once.  The pass looks at FILTER predicates
 * and PROJECTION expressions (where WHERE, HAVING and the select list
 * land) over an input C of width w:
 *
 *  1. A top-level WHERE conjunct EXISTS (...), NOT EXISTS (...) or
 *     x op ANY (...) whose subquery is a filter over an uncorrelated input X
 *     becomes C SEMI/ANTI JOIN X on the subquery's predicate (and
 *     x op column for ANY), with the outer references turned into C's
 *     columns.  In a WHERE clause NULL and false both drop the row, so the
 *     semi join is exact; NOT IN (null-aware) takes the general path.
 *  2. Anywhere else (select list, CASE, OR, NOT IN, ALL, scalar
 *     subqueries with aggregates), the general "dependent join" rewrite:
 *     D = DISTINCT of the outer values the subquery reads (and the ANY/ALL
 *     test value), computed from a copy of C; G = an aggregate grouped by
 *     D's columns over D JOIN X filtered by the subquery's predicate; and
 *     C LEFT JOIN G on NULL-safe equality of those values.  The subquery
 *     expression becomes an expression over G's columns:
 *       scalar   its select expression over the aggregates, count() of a
 *                missing group giving 0, not NULL (the "COUNT bug");
 *       EXISTS   the group exists;
 *       ANY      CASE WHEN bool_or(cmp) THEN true
 *                     WHEN bool_or(cmp IS NULL) THEN NULL ELSE false END;
 *       ALL      the dual, so NOT IN follows PostgreSQL's NULL rules.
 *     NULL-safe equality is two hash keys per value: (v IS NULL) and
 *     COALESCE(v, zero of its type).
 *
 * Other shapes (LIMIT, ORDER BY, DISTINCT or HAVING in the subquery,
 * scalar subqueries without an aggregate, references reaching beyond the
 * enclosing query, volatile functions) keep the per-binding evaluation.
 */
#include "sql/binder.h"

#include <string.h>

#define MAX_KEYS 32

typedef struct decorrelator {
    tn_arena *arena;
    tn_error *err;
} decorrelator;

/* The subquery plan taken apart: [PROJECTION select] [AGGREGATE agg]
 * [FILTER predicate] input. */
typedef struct subquery_shape {
    tn_expr **select;         /* the projection's exprs, or NULL */
    tn_logical *aggregate;    /* an aggregate without groups, or NULL */
    tn_expr *predicate;       /* may reference the outer row */
    tn_logical *input;        /* references nothing outside itself */
} subquery_shape;

static int decorrelate_node(decorrelator *d, tn_logical **slot);

/* ---- reference checks ---- */

static bool plan_refs_beyond(const tn_logical *plan, int nest, int limit);

/* True when expr (at subquery nesting nest) reads an enclosing row more
 * than limit levels up, or calls a volatile function. */
static bool expr_refs_beyond(const tn_expr *expr, int nest, int limit)
{
    if (expr == NULL)
        return false;
    if (expr->kind == TN_EXPR_OUTER_COLUMN && expr->depth > nest + limit)
        return true;
    if (expr->kind == TN_EXPR_FUNCTION && expr->function && expr->function->volatility == TN_VOLATILE)
        return true;
    if (expr->kind == TN_EXPR_SUBQUERY && plan_refs_beyond(expr->subquery, nest + 1, 0))
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (expr_refs_beyond(expr->args[idx], nest, limit))
            return true;
    return false;
}

static bool list_refs_beyond(tn_expr *const *exprs, int count, int nest, int limit)
{
    for (int idx = 0; exprs && idx < count; idx++)
        if (expr_refs_beyond(exprs[idx], nest, limit))
            return true;
    return false;
}

/* Same for a whole plan; nodes of kinds this pass does not know count as
 * reaching out (they may hold expressions it cannot see). */
static bool plan_refs_beyond(const tn_logical *plan, int nest, int limit)
{
    switch (plan->kind) {
    case TN_LOGICAL_GET:
    case TN_LOGICAL_VALUES:
    case TN_LOGICAL_DUMMY_SCAN:
    case TN_LOGICAL_FILTER:
    case TN_LOGICAL_PROJECTION:
    case TN_LOGICAL_AGGREGATE:
    case TN_LOGICAL_JOIN:
    case TN_LOGICAL_ORDER:
    case TN_LOGICAL_LIMIT:
    case TN_LOGICAL_DISTINCT:
    case TN_LOGICAL_SET_OPERATION:
    case TN_LOGICAL_TABLE_FUNCTION:
        break;
    default:
        return true;
    }
    if (list_refs_beyond(plan->filters, plan->filter_count, nest, limit) ||
        list_refs_beyond(plan->values, plan->row_count * plan->column_count, nest, limit) ||
        expr_refs_beyond(plan->predicate, nest, limit) ||
        (plan->kind == TN_LOGICAL_PROJECTION && list_refs_beyond(plan->exprs, plan->column_count, nest, limit)) ||
        list_refs_beyond(plan->groups, plan->group_count, nest, limit) ||
        list_refs_beyond(plan->function_exprs, plan->function_arg_count, nest, limit))
        return true;
    for (int idx = 0; idx < plan->aggregate_count; idx++)
        if (list_refs_beyond(plan->aggregates[idx]->args, plan->aggregates[idx]->arg_count, nest, limit) ||
            expr_refs_beyond(plan->aggregates[idx]->filter, nest, limit))
            return true;
    for (int idx = 0; idx < plan->sort_key_count; idx++)
        if (expr_refs_beyond(plan->sort_keys[idx].expr, nest, limit))
            return true;
    for (int idx = 0; idx < plan->child_count; idx++)
        if (plan_refs_beyond(plan->children[idx], nest, limit))
            return true;
    return false;
}

static bool expr_has_subquery(const tn_expr *expr)
{
    if (expr == NULL)
        return false;
    if (expr->kind == TN_EXPR_SUBQUERY)
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (expr_has_subquery(expr->args[idx]))
            return true;
    return false;
}

/* The subquery plan without what cannot change its answer: ORDER BY and
 * DISTINCT for EXISTS / ANY / ALL, and for EXISTS its select list and a
 * LIMIT of at least one row without OFFSET. */
static tn_logical *strip(const tn_expr *expr)
{
    tn_logical *plan = expr->subquery;
    if (expr->subquery_kind == TN_SUBQUERY_SCALAR)
        return plan;
    for (;;) {
        if (plan->kind == TN_LOGICAL_ORDER || plan->kind == TN_LOGICAL_DISTINCT)
            plan = plan->children[0];
        else if (expr->subquery_kind == TN_SUBQUERY_EXISTS && (plan->kind == TN_LOGICAL_PROJECTION ||
                 (plan->kind == TN_LOGICAL_LIMIT && plan->limit != 0 && plan->offset <= 0)))
            plan = plan->children[0];
        else
            return plan;
    }
}

/* Takes the subquery plan apart; false when its shape is not handled. */
static bool take_apart(tn_logical *plan, subquery_shape *shape)
{
    memset(shape, 0, sizeof *shape);
    if (plan->kind == TN_LOGICAL_PROJECTION) {
        shape->select = plan->exprs;
        for (int idx = 0; idx < plan->column_count; idx++)
            if (expr_refs_beyond(plan->exprs[idx], 0, 1) || expr_has_subquery(plan->exprs[idx]))
                return false;
        plan = plan->children[0];
    }
    if (plan->kind == TN_LOGICAL_AGGREGATE) {
        if (plan->group_count != 0)
            return false;
        for (int idx = 0; idx < plan->aggregate_count; idx++) {
            tn_bound_aggregate *agg = plan->aggregates[idx];
            if (list_refs_beyond(agg->args, agg->arg_count, 0, 1) || expr_refs_beyond(agg->filter, 0, 1) ||
                expr_has_subquery(agg->filter))
                return false;
            for (int arg = 0; arg < agg->arg_count; arg++)
                if (expr_has_subquery(agg->args[arg]))
                    return false;
        }
        shape->aggregate = plan;
        plan = plan->children[0];
    }
    if (plan->kind == TN_LOGICAL_FILTER) {
        if (expr_refs_beyond(plan->predicate, 0, 1))
            return false;
        shape->predicate = plan->predicate;
        plan = plan->children[0];
    }
    shape->input = plan;
    return !plan_refs_beyond(plan, 0, 0);
}

/* ---- expression rewriting ---- */

/* A copy of expr (at nesting 0 of a subquery) with its outer references
 * (depth 1) to column c turned into columns outer_map[c] and its own
 * columns i into i + shift; outer_map NULL keeps outer column numbers. */
static tn_expr *rewrite(decorrelator *d, const tn_expr *expr, const int *outer_map, int shift)
{
    tn_expr *copy = tn_expr_copy(d->arena, expr);
    if (!copy)
        return tn_error_oom(d->err), NULL;
    if (expr->kind == TN_EXPR_COLUMN) {
        copy->column += shift;
        return copy;
    }
    if (expr->kind == TN_EXPR_OUTER_COLUMN && expr->depth == 1) {
        copy->kind = TN_EXPR_COLUMN;
        copy->depth = 0;
        copy->column = outer_map ? outer_map[expr->column] : expr->column;
        return copy;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (!(copy->args[idx] = rewrite(d, expr->args[idx], outer_map, shift)))
            return NULL;
    return copy;
}

static void mark_outer(const tn_expr *expr, bool *used, int width)
{
    if (expr == NULL)
        return;
    if (expr->kind == TN_EXPR_OUTER_COLUMN && expr->depth == 1 && expr->column < width)
        used[expr->column] = true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        mark_outer(expr->args[idx], used, width);
}

static tn_expr *make_expr(decorrelator *d, tn_expr_kind kind, tn_type type, int arg_count)
{
    tn_expr *expr = tn_expr_new(d->arena, kind, type, arg_count, 0);
    if (!expr)
        tn_error_oom(d->err);
    return expr;
}

static tn_expr *make_unary(decorrelator *d, tn_expr_kind kind, tn_type type, tn_expr *arg)
{
    tn_expr *expr = arg ? make_expr(d, kind, type, 1) : NULL;
    if (expr)
        expr->args[0] = arg;
    return expr;
}

static tn_expr *make_and(decorrelator *d, tn_expr *left, tn_expr *right)
{
    if (!left || !right)
        return left ? left : right;
    tn_expr *and = make_expr(d, TN_EXPR_AND, tn_type_make(TN_TYPE_BOOL), 2);
    if (and) {
        and->args[0] = left;
        and->args[1] = right;
    }
    return and;
}

static tn_expr *make_column(decorrelator *d, int column, tn_type type)
{
    tn_expr *expr = tn_expr_column(d->arena, column, type, 0);
    if (!expr)
        tn_error_oom(d->err);
    return expr;
}

static tn_expr *make_bool(decorrelator *d, bool value, bool is_null)
{
    tn_value v = tn_value_null(tn_type_make(TN_TYPE_BOOL));
    v.is_null = is_null;
    v.u.boolean = value;
    tn_expr *expr = tn_expr_constant(d->arena, &v, 0);
    if (!expr)
        tn_error_oom(d->err);
    return expr;
}

/* COALESCE(expr, a zero of its type): a stand-in that is never NULL. */
static tn_expr *make_zero_coalesce(decorrelator *d, tn_expr *expr)
{
    tn_value zero;
    memset(&zero, 0, sizeof zero);
    zero.type = expr->type;
    tn_expr *constant = tn_expr_constant(d->arena, &zero, 0);
    tn_expr *coalesce = constant ? make_expr(d, TN_EXPR_COALESCE, expr->type, 2) : NULL;
    if (!constant)
        return tn_error_oom(d->err), NULL;
    if (coalesce) {
        constant->type = expr->type;
        coalesce->args[0] = expr;
        coalesce->args[1] = constant;
    }
    return coalesce;
}

/* left = right through the function catalog; NULL without an error when
 * the type has no equality. */
static tn_expr *make_equal(decorrelator *d, tn_expr *left, tn_expr *right)
{
    tn_expr **args = tn_arena_alloc(d->arena, sizeof *args * 2);
    if (!args)
        return tn_error_oom(d->err), NULL;
    args[0] = left;
    args[1] = right;
    tn_error local = TN_ERROR_INIT;
    tn_expr *call = tn_function_bind(d->arena, "=", args, 2, 0, &local);
    tn_error_clear(&local);
    return call;
}

/* left and right are the same value, NULLs included, as two hash keys. */
static tn_expr *make_same(decorrelator *d, tn_expr *left, tn_expr *right)
{
    tn_type boolean = tn_type_make(TN_TYPE_BOOL);
    tn_expr *left_null = make_unary(d, TN_EXPR_IS_NULL, boolean, left);
    tn_expr *right_null = make_unary(d, TN_EXPR_IS_NULL, boolean, right);
    /* Each use gets its own copy: later passes renumber columns in place,
     * and a node shared by two places would be renumbered twice. */
    tn_expr *left_copy = tn_expr_copy(d->arena, left);
    tn_expr *right_copy = tn_expr_copy(d->arena, right);
    if (!left_copy || !right_copy)
        return tn_error_oom(d->err), NULL;
    tn_expr *left_value = make_zero_coalesce(d, left_copy);
    tn_expr *right_value = make_zero_coalesce(d, right_copy);
    if (!left_null || !right_null || !left_value || !right_value)
        return NULL;
    tn_expr *nulls = make_equal(d, left_null, right_null);
    tn_expr *values = make_equal(d, left_value, right_value);
    return nulls && values ? make_and(d, nulls, values) : NULL;
}

/* ---- plans ---- */

static tn_logical *make_node(decorrelator *d, tn_logical_kind kind, int column_count)
{
    tn_logical *node = tn_logical_new(d->arena, kind, column_count);
    if (!node)
        tn_error_oom(d->err);
    return node;
}

static tn_logical *make_join(decorrelator *d, tn_join_type type, tn_logical *left, tn_logical *right,
                             tn_expr *condition)
{
    bool outputs_right = type != TN_JOIN_SEMI && type != TN_JOIN_ANTI;
    int width = left->column_count + (outputs_right ? right->column_count : 0);
    tn_logical *join = make_node(d, TN_LOGICAL_JOIN, width);
    if (!join)
        return NULL;
    join->join_type = type;
    join->children[0] = left;
    join->children[1] = right;
    join->child_count = 2;
    join->predicate = condition;
    memcpy(join->types, left->types, sizeof *join->types * (size_t)left->column_count);
    memcpy(join->names, left->names, sizeof *join->names * (size_t)left->column_count);
    if (outputs_right) {
        memcpy(join->types + left->column_count, right->types, sizeof *join->types * (size_t)right->column_count);
        memcpy(join->names + left->column_count, right->names, sizeof *join->names * (size_t)right->column_count);
    }
    return join;
}

static tn_logical *make_filter(decorrelator *d, tn_logical *child, tn_expr *predicate)
{
    if (!predicate)
        return child;
    tn_logical *filter = make_node(d, TN_LOGICAL_FILTER, child->column_count);
    if (!filter)
        return NULL;
    memcpy(filter->types, child->types, sizeof *filter->types * (size_t)child->column_count);
    memcpy(filter->names, child->names, sizeof *filter->names * (size_t)child->column_count);
    filter->children[0] = child;
    filter->child_count = 1;
    filter->predicate = predicate;
    return filter;
}

/* A projection of exprs over child (column names "?column?"). */
static tn_logical *make_projection(decorrelator *d, tn_logical *child, tn_expr **exprs, int count)
{
    tn_logical *proj = make_node(d, TN_LOGICAL_PROJECTION, count);
    if (!proj)
        return NULL;
    for (int idx = 0; idx < count; idx++) {
        proj->types[idx] = exprs[idx]->type;
        proj->names[idx] = exprs[idx]->kind == TN_EXPR_COLUMN && exprs[idx]->column < child->column_count
                               ? child->names[exprs[idx]->column] : "?column?";
    }
    proj->exprs = exprs;
    proj->children[0] = child;
    proj->child_count = 1;
    return proj;
}

/* The first width columns of child. */
static tn_logical *make_prefix(decorrelator *d, tn_logical *child, int width)
{
    tn_expr **exprs = tn_arena_alloc(d->arena, sizeof *exprs * (size_t)(width + 1));
    if (!exprs)
        return tn_error_oom(d->err), NULL;
    for (int col = 0; col < width; col++)
        if (!(exprs[col] = make_column(d, col, child->types[col])))
            return NULL;
    return make_projection(d, child, exprs, width);
}

static tn_expr **copy_list(decorrelator *d, tn_expr *const *exprs, int count)
{
    if (!exprs)
        return NULL;
    tn_expr **copy = tn_arena_alloc(d->arena, sizeof *copy * (size_t)(count + 1));
    if (!copy)
        return tn_error_oom(d->err), NULL;
    for (int idx = 0; idx < count; idx++)
        if (exprs[idx] && !(copy[idx] = tn_expr_copy(d->arena, exprs[idx])))
            return tn_error_oom(d->err), NULL;
        else if (!exprs[idx])
            copy[idx] = NULL;
    return copy;
}

#define COPY_ARRAY(field, count)                                                              \
    do {                                                                                      \
        if (node->field) {                                                                    \
            size_t size = sizeof *node->field * (size_t)((count) + 1);                       \
            void *array = tn_arena_alloc(d->arena, size);                                     \
            if (!array)                                                                       \
                return tn_error_oom(d->err), NULL;                                            \
            memcpy(array, node->field, sizeof *node->field * (size_t)(count));               \
            copy->field = array;                                                              \
        }                                                                                     \
    } while (0)

/* A deep copy of a plan without subqueries (the optimizer rewrites nodes
 * in place, so the two uses of C must not share any). */
static tn_logical *copy_plan(decorrelator *d, const tn_logical *node)
{
    tn_logical *copy = tn_arena_alloc(d->arena, sizeof *copy);
    if (!copy)
        return tn_error_oom(d->err), NULL;
    *copy = *node;
    COPY_ARRAY(types, node->column_count);
    COPY_ARRAY(names, node->column_count);
    COPY_ARRAY(columns, node->column_count);
    COPY_ARRAY(function_args, node->function_arg_count);
    COPY_ARRAY(sort_keys, node->sort_key_count);
    if ((node->filters && !(copy->filters = copy_list(d, node->filters, node->filter_count))) ||
        (node->values && !(copy->values = copy_list(d, node->values, node->row_count * node->column_count))) ||
        (node->exprs && !(copy->exprs = copy_list(d, node->exprs, node->column_count))) ||
        (node->groups && !(copy->groups = copy_list(d, node->groups, node->group_count))) ||
        (node->predicate && !(copy->predicate = tn_expr_copy(d->arena, node->predicate))))
        return node->predicate && !copy->predicate ? (tn_error_oom(d->err), NULL) : NULL;
    for (int idx = 0; idx < node->sort_key_count; idx++)
        if (!(copy->sort_keys[idx].expr = tn_expr_copy(d->arena, node->sort_keys[idx].expr)))
            return tn_error_oom(d->err), NULL;
    if (node->aggregates) {
        copy->aggregates = tn_arena_alloc(d->arena, sizeof *copy->aggregates * (size_t)(node->aggregate_count + 1));
        if (!copy->aggregates)
            return tn_error_oom(d->err), NULL;
        for (int idx = 0; idx < node->aggregate_count; idx++) {
            tn_bound_aggregate *agg = tn_arena_alloc(d->arena, sizeof *agg);
            if (!agg)
                return tn_error_oom(d->err), NULL;
            *agg = *node->aggregates[idx];
            if ((agg->args && !(agg->args = copy_list(d, agg->args, agg->arg_count))) ||
                (agg->filter && !(agg->filter = tn_expr_copy(d->arena, agg->filter))))
                return tn_error_oom(d->err), NULL;
            copy->aggregates[idx] = agg;
        }
    }
    for (int idx = 0; idx < node->child_count; idx++)
        if (!(copy->children[idx] = copy_plan(d, node->children[idx])))
            return NULL;
    return copy;
}

static bool plan_has_subquery(const tn_logical *plan)
{
    if (plan_refs_beyond(plan, 0, 1000))
        return true;
    bool found = expr_has_subquery(plan->predicate);
    for (int idx = 0; idx < plan->filter_count; idx++)
        found |= expr_has_subquery(plan->filters[idx]);
    for (int idx = 0; plan->kind == TN_LOGICAL_PROJECTION && idx < plan->column_count; idx++)
        found |= expr_has_subquery(plan->exprs[idx]);
    for (int idx = 0; idx < plan->group_count; idx++)
        found |= expr_has_subquery(plan->groups[idx]);
    for (int idx = 0; plan->function_exprs && idx < plan->function_arg_count; idx++)
        found |= expr_has_subquery(plan->function_exprs[idx]);
    for (int idx = 0; idx < plan->aggregate_count; idx++) {
        for (int arg = 0; arg < plan->aggregates[idx]->arg_count; arg++)
            found |= expr_has_subquery(plan->aggregates[idx]->args[arg]);
        found |= expr_has_subquery(plan->aggregates[idx]->filter);
    }
    for (int idx = 0; idx < plan->sort_key_count; idx++)
        found |= expr_has_subquery(plan->sort_keys[idx].expr);
    for (int idx = 0; plan->values && idx < plan->row_count * plan->column_count; idx++)
        found |= expr_has_subquery(plan->values[idx]);
    for (int idx = 0; idx < plan->child_count && !found; idx++)
        found = plan_has_subquery(plan->children[idx]);
    return found;
}

/* Splits the shape's predicate: conjuncts that read the outer row stay in
 * shape->predicate (they join), the others filter the input.  Fails
 * (false, no error) when a joining conjunct holds a subquery: its columns
 * could not be renumbered. */
static bool split_predicate(decorrelator *d, subquery_shape *shape, tn_expr **local)
{
    *local = NULL;
    if (!shape->predicate)
        return true;
    tn_expr *stack[64];
    int top = 0;
    tn_expr *joining = NULL;
    stack[top++] = shape->predicate;
    while (top > 0) {
        tn_expr *conjunct = stack[--top];
        if (conjunct->kind == TN_EXPR_AND) {
            for (int idx = conjunct->arg_count - 1; idx >= 0; idx--)
                if (top < 64)
                    stack[top++] = conjunct->args[idx];
                else
                    return false;
            continue;
        }
        bool correlated = expr_refs_beyond(conjunct, 0, 0);
        if (correlated && expr_has_subquery(conjunct))
            return false;
        tn_expr **slot = correlated ? &joining : local;
        if (!(*slot = make_and(d, *slot, conjunct)))
            return false;
    }
    shape->predicate = joining;
    return true;
}

/* The subquery's input with its uncorrelated conjuncts applied, itself
 * decorrelated (it joins the outer plan, whose pass has gone by). */
static tn_logical *shape_input(decorrelator *d, const subquery_shape *shape, tn_expr *local)
{
    /* A copy: one subquery can stand in two places (BETWEEN repeats its
     * operand), and each rewrite's plan is renumbered in place later. */
    tn_logical *input = copy_plan(d, shape->input);
    if (!input)
        return NULL;
    if (local && !(input = make_filter(d, input, local)))
        return NULL;
    return decorrelate_node(d, &input) < 0 ? NULL : input;
}

/* ---- the rewrites ---- */

/* What one subquery expression over input C turns into. */
typedef struct rewrite_site {
    tn_logical *base;     /* C as it was: copied for D */
    tn_logical **input;   /* C, grown by each LEFT JOIN */
    int width;            /* C's original width */
} rewrite_site;

static tn_bound_aggregate *make_aggregate(decorrelator *d, const char *name, tn_expr *arg)
{
    tn_expr **args = tn_arena_alloc(d->arena, sizeof *args);
    if (!args)
        return tn_error_oom(d->err), NULL;
    args[0] = arg;
    return tn_aggregate_bind(d->arena, name, args, arg ? 1 : 0, false, arg == NULL, 0, d->err);
}

/* The conjuncts of a predicate, in order. */
static int split(decorrelator *d, tn_expr *expr, tn_expr ***list, int *count)
{
    if (expr->kind == TN_EXPR_AND) {
        for (int idx = 0; idx < expr->arg_count; idx++)
            if (split(d, expr->args[idx], list, count) < 0)
                return -1;
        return 0;
    }
    tn_expr **grown = tn_arena_realloc(d->arena, *list, sizeof **list * (size_t)*count,
                                       sizeof **list * (size_t)(*count + 1));
    if (!grown)
        return tn_error_oom(d->err);
    grown[(*count)++] = expr;
    *list = grown;
    return 0;
}

/* How G's groups match C's rows. */
typedef struct grouping {
    tn_logical *input;  /* what G aggregates */
    tn_expr **groups;   /* G's group keys, over input */
    tn_expr **matches;  /* C LEFT JOIN G condition per key, over C ++ G (filled by match_groups) */
    tn_expr **outer;    /* the values they match, over C */
    tn_expr **equals;   /* direct: the subquery's equality per key (argument order kept) */
    int count;
    int *outer_map;     /* outer column -> input column (delim only) */
    int shift;          /* first column of the subquery's input in input */
    int probe;          /* ANY/ALL: the test value's column in input */
} grouping;

static bool has_column(const tn_expr *expr)
{
    if (expr->kind == TN_EXPR_COLUMN)
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (has_column(expr->args[idx]))
            return true;
    return false;
}

static bool aggregates_read_outer(const tn_logical *aggregate)
{
    for (int idx = 0; aggregate && idx < aggregate->aggregate_count; idx++) {
        const tn_bound_aggregate *agg = aggregate->aggregates[idx];
        if (list_refs_beyond(agg->args, agg->arg_count, 0, 0) || expr_refs_beyond(agg->filter, 0, 0))
            return true;
    }
    return false;
}

/* The common case needs no D: when the subquery is correlated only by
 * equalities inner = outer, G groups the input by the inner sides and C
 * joins on the outer ones (a NULL outer value matches nothing, as in the
 * subquery).  0 when the form does not fit, 1 when g is filled. */
static int group_directly(decorrelator *d, const tn_expr *expr, subquery_shape *shape, tn_expr *local,
                          grouping *g)
{
    if (expr->subquery_kind == TN_SUBQUERY_ANY || expr->subquery_kind == TN_SUBQUERY_ALL || !shape->predicate ||
        aggregates_read_outer(shape->aggregate))
        return 0;
    tn_expr **conjuncts = NULL;
    int count = 0;
    if (split(d, shape->predicate, &conjuncts, &count) < 0)
        return -1;
    if (count > MAX_KEYS)
        return 0;
    for (int idx = 0; idx < count; idx++) {
        const tn_expr *c = conjuncts[idx];
        if (c->kind != TN_EXPR_FUNCTION || c->arg_count != 2 || strcmp(c->function->name, "=") != 0)
            return 0;
        bool left_inner = !expr_refs_beyond(c->args[0], 0, 0), right_inner = !expr_refs_beyond(c->args[1], 0, 0);
        if (left_inner == right_inner || has_column(c->args[left_inner ? 1 : 0]))
            return 0;
    }
    g->groups = tn_arena_alloc(d->arena, sizeof *g->groups * (size_t)count);
    g->outer = tn_arena_alloc(d->arena, sizeof *g->outer * (size_t)count);
    g->equals = conjuncts;
    if (!g->groups || !g->outer)
        return tn_error_oom(d->err);
    for (int idx = 0; idx < count; idx++) {
        int inner = expr_refs_beyond(conjuncts[idx]->args[0], 0, 0) ? 1 : 0;
        if (!(g->groups[idx] = rewrite(d, conjuncts[idx]->args[inner], NULL, 0)) ||
            !(g->outer[idx] = rewrite(d, conjuncts[idx]->args[1 - inner], NULL, 0)))
            return -1;
    }
    g->count = count;
    shape->predicate = NULL;
    return (g->input = shape_input(d, shape, local)) ? 1 : -1;
}

/* The general case: D = DISTINCT of the outer values the subquery reads
 * (and the ANY/ALL test value) from a copy of C, joined to the subquery's
 * input by its correlated conjuncts. */
static int group_by_delim(decorrelator *d, rewrite_site *site, const tn_expr *expr, subquery_shape *shape,
                          tn_expr *local, grouping *g)
{
    int width = site->width;
    bool *used = tn_arena_zalloc(d->arena, (size_t)width + 1);
    g->outer_map = tn_arena_alloc(d->arena, sizeof *g->outer_map * (size_t)(width + 1));
    g->outer = tn_arena_alloc(d->arena, sizeof *g->outer * (MAX_KEYS + 1));
    g->groups = tn_arena_alloc(d->arena, sizeof *g->groups * (MAX_KEYS + 1));
    if (!used || !g->outer_map || !g->outer || !g->groups)
        return tn_error_oom(d->err);
    mark_outer(shape->predicate, used, width);
    for (int idx = 0; shape->aggregate && idx < shape->aggregate->aggregate_count; idx++) {
        tn_bound_aggregate *agg = shape->aggregate->aggregates[idx];
        for (int arg = 0; arg < agg->arg_count; arg++)
            mark_outer(agg->args[arg], used, width);
        mark_outer(agg->filter, used, width);
    }
    if (!shape->aggregate && shape->select)
        mark_outer(shape->select[0], used, width);
    int count = 0;
    for (int col = 0; col < width; col++) {
        g->outer_map[col] = -1;
        if (!used[col])
            continue;
        if (count == MAX_KEYS)
            return 0;
        g->outer_map[col] = count;
        if (!(g->outer[count++] = make_column(d, col, site->base->types[col])))
            return -1;
    }
    g->probe = -1;
    if (expr->subquery_kind == TN_SUBQUERY_ANY || expr->subquery_kind == TN_SUBQUERY_ALL) {
        g->probe = count;
        g->outer[count++] = expr->args[0];
    }
    if (!(shape->input = shape_input(d, shape, local)))
        return -1;
    tn_logical *copy = copy_plan(d, site->base);
    tn_logical *keys = copy ? make_projection(d, copy, g->outer, count) : NULL;
    tn_logical *distinct = keys ? make_node(d, TN_LOGICAL_DISTINCT, count) : NULL;
    if (!distinct)
        return -1;
    memcpy(distinct->types, keys->types, sizeof *distinct->types * (size_t)count);
    memcpy(distinct->names, keys->names, sizeof *distinct->names * (size_t)count);
    distinct->children[0] = keys;
    distinct->child_count = 1;
    tn_logical *cross = make_join(d, TN_JOIN_INNER, distinct, shape->input, NULL);
    tn_expr *predicate = shape->predicate ? rewrite(d, shape->predicate, g->outer_map, count) : NULL;
    if (!cross || (shape->predicate && !predicate) || !(g->input = make_filter(d, cross, predicate)))
        return -1;
    for (int idx = 0; idx < count; idx++)
        if (!(g->groups[idx] = make_column(d, idx, distinct->types[idx])))
            return -1;
    g->count = count;
    g->shift = count;
    return 1;
}

/* G's aggregates: the subquery's own, or what EXISTS / ANY / ALL need. */
static tn_bound_aggregate **make_aggregates(decorrelator *d, const tn_expr *expr, const subquery_shape *shape,
                                            const grouping *g, int *count)
{
    tn_bound_aggregate **aggs = tn_arena_alloc(d->arena, sizeof *aggs * (size_t)(shape->aggregate ? shape->aggregate->aggregate_count + 1 : 2));
    if (!aggs)
        return tn_error_oom(d->err), NULL;
    tn_type boolean = tn_type_make(TN_TYPE_BOOL);
    if (shape->aggregate) {
        for (int idx = 0; idx < shape->aggregate->aggregate_count; idx++) {
            const tn_bound_aggregate *old = shape->aggregate->aggregates[idx];
            tn_bound_aggregate *agg = tn_arena_alloc(d->arena, sizeof *agg);
            tn_expr **args = tn_arena_alloc(d->arena, sizeof *args * (size_t)(old->arg_count + 1));
            if (!agg || !args)
                return tn_error_oom(d->err), NULL;
            *agg = *old;
            agg->args = args;
            for (int arg = 0; arg < old->arg_count; arg++)
                if (!(agg->args[arg] = rewrite(d, old->args[arg], g->outer_map, g->shift)))
                    return NULL;
            if (old->filter && !(agg->filter = rewrite(d, old->filter, g->outer_map, g->shift)))
                return NULL;
            aggs[idx] = agg;
        }
        *count = shape->aggregate->aggregate_count;
        return aggs;
    }
    if (expr->subquery_kind == TN_SUBQUERY_EXISTS) {
        *count = 1;
        return (aggs[0] = make_aggregate(d, "count", NULL)) ? aggs : NULL;
    }
    /* cmp(test value, subquery column) over D ++ X */
    tn_expr *column = shape->select ? rewrite(d, shape->select[0], g->outer_map, g->shift)
                                    : make_column(d, g->shift, shape->input->types[0]);
    tn_expr *cmp = column ? make_expr(d, TN_EXPR_FUNCTION, boolean, 2) : NULL;
    tn_expr *test = cmp ? make_column(d, g->probe, expr->args[0]->type) : NULL;
    if (!test)
        return NULL;
    cmp->function = expr->function;
    cmp->bind_data = expr->bind_data;
    cmp->args[0] = test;
    cmp->args[1] = column;
    tn_expr *decisive = expr->subquery_kind == TN_SUBQUERY_ANY ? cmp : make_unary(d, TN_EXPR_NOT, boolean, cmp);
    tn_expr *cmp_copy = tn_expr_copy(d->arena, cmp); /* no node in two places */
    tn_expr *unknown = cmp_copy ? make_unary(d, TN_EXPR_IS_NULL, boolean, cmp_copy) : NULL;
    if (!decisive || !unknown || !(aggs[0] = make_aggregate(d, "bool_or", decisive)) ||
        !(aggs[1] = make_aggregate(d, "bool_or", unknown)))
        return NULL;
    *count = 2;
    return aggs;
}

/* C LEFT JOIN G's condition: the direct equalities, or D's values
 * matched NULL-safely; G's columns start at first. */
static tn_expr *match_groups(decorrelator *d, const grouping *g, int first)
{
    tn_expr *condition = NULL;
    for (int idx = 0; idx < g->count; idx++) {
        tn_expr *left = tn_expr_copy(d->arena, g->outer[idx]);
        tn_expr *right = make_column(d, first + idx, g->groups[idx]->type);
        if (!left || !right)
            return left ? NULL : (tn_error_oom(d->err), NULL);
        tn_expr *match;
        if (g->equals) {
            /* the subquery's own "=", its argument order kept */
            bool inner_first = !expr_refs_beyond(g->equals[idx]->args[0], 0, 0);
            if ((match = tn_expr_copy(d->arena, g->equals[idx]))) {
                match->args[0] = inner_first ? right : left;
                match->args[1] = inner_first ? left : right;
            } else {
                tn_error_oom(d->err);
            }
        } else {
            match = make_same(d, left, right);
        }
        if (!match || !(condition = make_and(d, condition, match)))
            return NULL;
    }
    return condition;
}

/* The scalar subquery's select expression over C' (aggregate i at column
 * first + i, count() of a missing group 0); outer references become C's
 * columns, which lie below first. */
static tn_expr *scalar_answer(decorrelator *d, const subquery_shape *shape, tn_bound_aggregate **aggs, int count,
                              int first)
{
    tn_expr **values = tn_arena_alloc(d->arena, sizeof *values * (size_t)(count + 1));
    if (!values)
        return tn_error_oom(d->err), NULL;
    for (int idx = 0; idx < count; idx++) {
        if (!(values[idx] = make_column(d, first + idx, aggs[idx]->type)))
            return NULL;
        if ((aggs[idx]->is_star || strcmp(aggs[idx]->name, "count") == 0) &&
            !(values[idx] = make_zero_coalesce(d, values[idx])))
            return NULL;
    }
    if (!shape->select)
        return values[0];
    tn_expr *select = rewrite(d, shape->select[0], NULL, first);
    if (!select)
        return NULL;
    if (select->kind == TN_EXPR_COLUMN && select->column >= first)
        return values[select->column - first];
    tn_expr *stack[256];
    int top = 0;
    stack[top++] = select;
    while (top > 0) {
        tn_expr *node = stack[--top];
        for (int idx = 0; idx < node->arg_count; idx++) {
            tn_expr *arg = node->args[idx];
            if (arg->kind == TN_EXPR_COLUMN && arg->column >= first)
                node->args[idx] = values[arg->column - first];
            else if (top < 256)
                stack[top++] = arg;
            else
                return NULL;
        }
    }
    return select;
}

/* The general rewrite of subquery expr (see the file comment); NULL
 * result with no error set when the form is not handled. */
static tn_expr *rewrite_general(decorrelator *d, rewrite_site *site, const tn_expr *expr)
{
    subquery_shape shape;
    if (!take_apart(strip(expr), &shape) || (shape.aggregate == NULL) == (expr->subquery_kind == TN_SUBQUERY_SCALAR))
        return NULL;
    bool is_comparison = expr->subquery_kind == TN_SUBQUERY_ANY || expr->subquery_kind == TN_SUBQUERY_ALL;
    if (is_comparison && (expr_has_subquery(expr->args[0]) || expr_refs_beyond(expr->args[0], 0, 0)))
        return NULL;
    tn_expr *local;
    if (!split_predicate(d, &shape, &local))
        return NULL;
    grouping g;
    memset(&g, 0, sizeof g);
    int fits = group_directly(d, expr, &shape, local, &g);
    if (fits == 0 && !plan_has_subquery(site->base))
        fits = group_by_delim(d, site, expr, &shape, local, &g);
    if (fits <= 0)
        return NULL;
    int agg_count;
    tn_bound_aggregate **aggs = make_aggregates(d, expr, &shape, &g, &agg_count);
    tn_logical *group = aggs ? make_node(d, TN_LOGICAL_AGGREGATE, g.count + agg_count) : NULL;
    if (!group)
        return NULL;
    for (int idx = 0; idx < g.count; idx++) {
        group->types[idx] = g.groups[idx]->type;
        group->names[idx] = "?column?";
    }
    for (int idx = 0; idx < agg_count; idx++) {
        group->types[g.count + idx] = aggs[idx]->type;
        group->names[g.count + idx] = aggs[idx]->name;
    }
    group->groups = g.groups;
    group->group_count = g.count;
    group->aggregates = aggs;
    group->aggregate_count = agg_count;
    group->children[0] = g.input;
    group->child_count = 1;
    /* C LEFT JOIN G, and the answer over it */
    tn_logical *input = *site->input;
    int first = input->column_count + g.count;
    tn_expr *condition = match_groups(d, &g, input->column_count);
    if (!condition)
        return NULL;
    tn_type boolean = tn_type_make(TN_TYPE_BOOL);
    tn_expr *answer;
    if (shape.aggregate) {
        answer = scalar_answer(d, &shape, aggs, agg_count, first);
    } else if (expr->subquery_kind == TN_SUBQUERY_EXISTS) {
        answer = make_unary(d, TN_EXPR_IS_NOT_NULL, boolean, make_column(d, first, tn_type_make(TN_TYPE_INT64)));
    } else {
        /* ANY: CASE WHEN decisive THEN true WHEN unknown THEN NULL ELSE false END; ALL the dual */
        bool any = expr->subquery_kind == TN_SUBQUERY_ANY;
        answer = make_expr(d, TN_EXPR_CASE, boolean, 5);
        if (answer && (!(answer->args[0] = make_column(d, first, boolean)) || !(answer->args[1] = make_bool(d, any, false)) ||
                       !(answer->args[2] = make_column(d, first + 1, boolean)) ||
                       !(answer->args[3] = make_bool(d, false, true)) || !(answer->args[4] = make_bool(d, !any, false))))
            return NULL;
    }
    tn_logical *join = answer ? make_join(d, TN_JOIN_LEFT, input, group, condition) : NULL;
    if (!join)
        return NULL;
    *site->input = join;
    return answer;
}

/* A top-level WHERE conjunct EXISTS / NOT EXISTS / x op ANY as a semi or
 * anti join of *input; 1 when done, 0 when not handled, -1 on error. */
static int rewrite_semi(decorrelator *d, tn_logical **input, int width, const tn_expr *conjunct)
{
    bool negated = conjunct->kind == TN_EXPR_NOT;
    const tn_expr *expr = negated ? conjunct->args[0] : conjunct;
    if (expr->kind != TN_EXPR_SUBQUERY || !expr->is_correlated)
        return 0;
    if (expr->subquery_kind != TN_SUBQUERY_EXISTS && (negated || expr->subquery_kind != TN_SUBQUERY_ANY))
        return 0;
    subquery_shape shape;
    tn_expr *local;
    if (!take_apart(strip(expr), &shape) || shape.aggregate || !split_predicate(d, &shape, &local))
        return 0;
    if (expr->subquery_kind == TN_SUBQUERY_ANY && expr_has_subquery(expr->args[0]))
        return 0;
    if (!(shape.input = shape_input(d, &shape, local)))
        return -1;
    tn_expr *condition = shape.predicate ? rewrite(d, shape.predicate, NULL, width) : NULL;
    if (shape.predicate && !condition)
        return -1;
    if (expr->subquery_kind == TN_SUBQUERY_ANY) {
        tn_expr *column = shape.select ? rewrite(d, shape.select[0], NULL, width)
                                       : make_column(d, width, shape.input->types[0]);
        tn_expr *test = column ? tn_expr_copy(d->arena, expr->args[0]) : NULL;
        tn_expr *cmp = test ? make_expr(d, TN_EXPR_FUNCTION, tn_type_make(TN_TYPE_BOOL), 2) : NULL;
        if (!cmp)
            return column && !test ? tn_error_oom(d->err) : -1;
        cmp->function = expr->function;
        cmp->bind_data = expr->bind_data;
        cmp->args[0] = test;
        cmp->args[1] = column;
        if (!(condition = make_and(d, condition, cmp)))
            return -1;
    }
    tn_logical *join = make_join(d, negated ? TN_JOIN_ANTI : TN_JOIN_SEMI, *input, shape.input, condition);
    if (!join)
        return -1;
    *input = join;
    return 1;
}

/* Replaces, in place, the correlated subqueries of expr (a private copy)
 * that the general rewrite handles. */
static int replace_subqueries(decorrelator *d, rewrite_site *site, tn_expr **slot)
{
    tn_expr *expr = *slot;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (replace_subqueries(d, site, &expr->args[idx]) < 0)
            return -1;
    if (expr->kind != TN_EXPR_SUBQUERY || !expr->is_correlated)
        return 0;
    tn_expr *answer = rewrite_general(d, site, expr);
    if (answer) {
        answer->location = expr->location;
        *slot = answer;
        return 0;
    }
    return d->err->message != NULL ? -1 : 0;
}

static bool has_correlated(const tn_expr *expr)
{
    if (expr->kind == TN_EXPR_SUBQUERY)
        return expr->is_correlated;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (has_correlated(expr->args[idx]))
            return true;
    return false;
}

static int decorrelate_filter(decorrelator *d, tn_logical **slot)
{
    tn_logical *filter = *slot;
    if (!has_correlated(filter->predicate))
        return 0;
    tn_logical *input = filter->children[0];
    int width = input->column_count;
    rewrite_site site = {input, &input, width};
    tn_expr **conjuncts = NULL;
    int count = 0;
    if (split(d, filter->predicate, &conjuncts, &count) < 0)
        return -1;
    tn_expr *kept = NULL;
    for (int idx = 0; idx < count; idx++) {
        int done = rewrite_semi(d, &input, width, conjuncts[idx]);
        if (done < 0)
            return -1;
        if (done)
            continue;
        tn_expr *conjunct = conjuncts[idx];
        if (has_correlated(conjunct) &&
            (!(conjunct = tn_expr_copy(d->arena, conjunct)) || replace_subqueries(d, &site, &conjunct) < 0))
            return conjunct ? -1 : tn_error_oom(d->err);
        if (!(kept = make_and(d, kept, conjunct)))
            return -1;
    }
    if (input == filter->children[0])
        return 0;
    tn_logical *plan = make_filter(d, input, kept);
    if (plan && input->column_count != width)
        plan = make_prefix(d, plan, width);
    if (!plan)
        return -1;
    for (int col = 0; col < width; col++)
        plan->names[col] = filter->names[col];
    *slot = plan;
    return 0;
}

static int decorrelate_projection(decorrelator *d, tn_logical *proj)
{
    tn_logical *input = proj->children[0];
    rewrite_site site = {input, &input, input->column_count};
    for (int idx = 0; idx < proj->column_count; idx++) {
        if (!has_correlated(proj->exprs[idx]))
            continue;
        tn_expr *expr = tn_expr_copy(d->arena, proj->exprs[idx]);
        if (!expr)
            return tn_error_oom(d->err);
        if (replace_subqueries(d, &site, &expr) < 0)
            return -1;
        proj->exprs[idx] = expr;
    }
    proj->children[0] = input;
    return 0;
}

static int decorrelate_node(decorrelator *d, tn_logical **slot)
{
    tn_logical *node = *slot;
    for (int idx = 0; idx < node->child_count; idx++)
        if (decorrelate_node(d, &node->children[idx]) < 0)
            return -1;
    if (node->kind == TN_LOGICAL_FILTER)
        return decorrelate_filter(d, slot);
    if (node->kind == TN_LOGICAL_PROJECTION)
        return decorrelate_projection(d, node);
    return 0;
}

tn_logical *tn_optimize_decorrelate(tn_arena *arena, tn_logical *plan, tn_error *err)
{
    decorrelator d = {arena, err};
    return decorrelate_node(&d, &plan) < 0 ? NULL : plan;
}
