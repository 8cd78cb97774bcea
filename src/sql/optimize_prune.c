/*
 * Projection pruning: every scan reads only the columns something above it
 * uses, and projections drop outputs nobody reads.  One pass from the root
 * down tells each node which of its output columns are needed; each node
 * returns the map from its old output positions to its new ones, which
 * the parent applies to its own expressions.
 *
 * Correlated subqueries refer to their enclosing query's row by position
 * from inside their own plans; a plan holding one is left unpruned rather
 * than renumbering references in other plans.
 */
#include "sql/binder.h"

#include <string.h>

typedef struct pruner {
    tn_arena *arena;
    tn_error *err;
} pruner;

static tn_logical *prune(pruner *p, tn_logical *node, const bool *needed, int **map_out);
static bool has_correlated(const tn_logical *node);
static bool expr_has_correlated(const tn_expr *expr);
static void mark(const tn_expr *expr, bool *used);
static int renumber(pruner *p, tn_expr **slot, const int *map);

static bool expr_has_correlated(const tn_expr *expr)
{
    if (!expr)
        return false;
    if (expr->kind == TN_EXPR_SUBQUERY && expr->is_correlated)
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (expr_has_correlated(expr->args[idx]))
            return true;
    return false;
}

static bool has_correlated(const tn_logical *node)
{
    bool found = expr_has_correlated(node->predicate);
    for (int idx = 0; !found && node->exprs && idx < node->column_count; idx++)
        found = expr_has_correlated(node->exprs[idx]);
    for (int idx = 0; !found && idx < node->filter_count; idx++)
        found = expr_has_correlated(node->filters[idx]);
    for (int idx = 0; !found && idx < node->group_count; idx++)
        found = expr_has_correlated(node->groups[idx]);
    for (int idx = 0; !found && idx < node->aggregate_count; idx++) {
        const tn_bound_aggregate *agg = node->aggregates[idx];
        found = expr_has_correlated(agg->filter);
        for (int arg = 0; !found && arg < agg->arg_count; arg++)
            found = expr_has_correlated(agg->args[arg]);
    }
    for (int idx = 0; !found && idx < node->sort_key_count; idx++)
        found = expr_has_correlated(node->sort_keys[idx].expr);
    for (int idx = 0; !found && idx < node->check_count; idx++)
        found = expr_has_correlated(node->checks[idx]);
    for (int idx = 0; !found && node->values && idx < node->row_count * node->column_count; idx++)
        found = expr_has_correlated(node->values[idx]);
    for (int idx = 0; !found && idx < node->child_count; idx++)
        found = has_correlated(node->children[idx]);
    return found;
}

static void mark(const tn_expr *expr, bool *used)
{
    if (!expr)
        return;
    if (expr->kind == TN_EXPR_COLUMN)
        used[expr->column] = true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        mark(expr->args[idx], used);
}

/* Rewrites column references of *slot in place through map. */
static int renumber(pruner *p, tn_expr **slot, const int *map)
{
    tn_expr *expr = *slot;
    if (!expr)
        return 0;
    if (expr->kind == TN_EXPR_COLUMN) {
        tn_expr *copy = tn_expr_column(p->arena, map[expr->column], expr->type, expr->location);
        if (!copy)
            return tn_error_oom(p->err);
        *slot = copy;
        return 0;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (renumber(p, &expr->args[idx], map) < 0)
            return -1;
    return 0;
}

static bool *all_needed(pruner *p, int count)
{
    bool *needed = tn_arena_alloc(p->arena, sizeof *needed * (size_t)(count + 1));
    if (needed)
        memset(needed, 1, sizeof *needed * (size_t)(count + 1));
    else
        tn_error_oom(p->err);
    return needed;
}

static int *identity(pruner *p, int count)
{
    int *map = tn_arena_alloc(p->arena, sizeof *map * (size_t)(count + 1));
    if (!map) {
        tn_error_oom(p->err);
        return NULL;
    }
    for (int col = 0; col < count; col++)
        map[col] = col;
    return map;
}

/* Keeps the columns flagged in keep (at least one) of node's output
 * arrays, filling map. */
static void compact(tn_logical *node, bool *keep, int *map)
{
    bool any = false;
    for (int col = 0; col < node->column_count; col++)
        any |= keep[col];
    if (!any && node->column_count > 0)
        keep[0] = true;
    int kept = 0;
    for (int col = 0; col < node->column_count; col++) {
        map[col] = keep[col] ? kept : -1;
        if (!keep[col])
            continue;
        node->types[kept] = node->types[col];
        node->names[kept] = node->names[col];
        if (node->columns)
            node->columns[kept] = node->columns[col];
        if (node->exprs)
            node->exprs[kept] = node->exprs[col];
        kept++;
    }
    node->column_count = kept;
}

/* The child's new schema: a pass-through node copies it. */
static void adopt_schema(tn_logical *node, const tn_logical *child)
{
    node->column_count = child->column_count;
    memcpy(node->types, child->types, sizeof *node->types * (size_t)child->column_count);
    memcpy(node->names, child->names, sizeof *node->names * (size_t)child->column_count);
}

static tn_logical *prune(pruner *p, tn_logical *node, const bool *needed, int **map_out)
{
    int width = node->column_count;
    int *map = identity(p, width);
    bool *keep = map ? tn_arena_zalloc(p->arena, sizeof *keep * (size_t)(width + 1)) : NULL;
    if (!keep)
        return map ? (tn_error_oom(p->err), NULL) : NULL;
    for (int col = 0; col < width; col++)
        keep[col] = needed[col];
    *map_out = map;
    switch (node->kind) {
    case TN_LOGICAL_GET:
        for (int idx = 0; idx < node->filter_count; idx++)
            mark(node->filters[idx], keep);
        compact(node, keep, map);
        for (int idx = 0; idx < node->filter_count; idx++)
            if (renumber(p, &node->filters[idx], map) < 0)
                return NULL;
        return node;
    case TN_LOGICAL_FILTER:
    case TN_LOGICAL_ORDER:
    case TN_LOGICAL_LIMIT: {
        mark(node->predicate, keep);
        for (int idx = 0; idx < node->sort_key_count; idx++)
            mark(node->sort_keys[idx].expr, keep);
        int *child_map;
        if (!(node->children[0] = prune(p, node->children[0], keep, &child_map)))
            return NULL;
        if (renumber(p, &node->predicate, child_map) < 0)
            return NULL;
        for (int idx = 0; idx < node->sort_key_count; idx++)
            if (renumber(p, &node->sort_keys[idx].expr, child_map) < 0)
                return NULL;
        adopt_schema(node, node->children[0]);
        *map_out = child_map;
        return node;
    }
    case TN_LOGICAL_PROJECTION:
    case TN_LOGICAL_AGGREGATE: {
        tn_logical *child = node->children[0];
        bool *used = tn_arena_zalloc(p->arena, sizeof *used * (size_t)(child->column_count + 1));
        if (!used) {
            tn_error_oom(p->err);
            return NULL;
        }
        if (node->kind == TN_LOGICAL_PROJECTION) {
            compact(node, keep, map);
            for (int col = 0; col < node->column_count; col++)
                mark(node->exprs[col], used);
        } else {
            for (int idx = 0; idx < node->group_count; idx++)
                mark(node->groups[idx], used);
            for (int idx = 0; idx < node->aggregate_count; idx++) {
                mark(node->aggregates[idx]->filter, used);
                for (int arg = 0; arg < node->aggregates[idx]->arg_count; arg++)
                    mark(node->aggregates[idx]->args[arg], used);
            }
        }
        int *child_map;
        if (!(node->children[0] = prune(p, child, used, &child_map)))
            return NULL;
        for (int col = 0; node->kind == TN_LOGICAL_PROJECTION && col < node->column_count; col++)
            if (renumber(p, &node->exprs[col], child_map) < 0)
                return NULL;
        for (int idx = 0; idx < node->group_count; idx++)
            if (renumber(p, &node->groups[idx], child_map) < 0)
                return NULL;
        for (int idx = 0; idx < node->aggregate_count; idx++) {
            tn_bound_aggregate *agg = node->aggregates[idx];
            if (renumber(p, &agg->filter, child_map) < 0)
                return NULL;
            for (int arg = 0; arg < agg->arg_count; arg++)
                if (renumber(p, &agg->args[arg], child_map) < 0)
                    return NULL;
        }
        return node;
    }
    case TN_LOGICAL_JOIN: {
        tn_logical *left = node->children[0], *right = node->children[1];
        int left_width = left->column_count, right_width = right->column_count;
        bool *used = tn_arena_zalloc(p->arena, sizeof *used * (size_t)(left_width + right_width + 1));
        if (!used) {
            tn_error_oom(p->err);
            return NULL;
        }
        bool outputs_right = node->join_type != TN_JOIN_SEMI && node->join_type != TN_JOIN_ANTI;
        for (int col = 0; col < width; col++)
            used[col] = needed[col];
        mark(node->predicate, used);
        int *left_map, *right_map;
        if (!(node->children[0] = prune(p, left, used, &left_map)) ||
            !(node->children[1] = prune(p, right, used + left_width, &right_map)))
            return NULL;
        int new_left = node->children[0]->column_count;
        int *joined = tn_arena_alloc(p->arena, sizeof *joined * (size_t)(left_width + right_width + 1));
        if (!joined) {
            tn_error_oom(p->err);
            return NULL;
        }
        for (int col = 0; col < left_width; col++)
            joined[col] = left_map[col];
        for (int col = 0; col < right_width; col++)
            joined[left_width + col] = right_map[col] < 0 ? -1 : new_left + right_map[col];
        if (renumber(p, &node->predicate, joined) < 0)
            return NULL;
        adopt_schema(node, node->children[0]);
        if (outputs_right) {
            const tn_logical *r = node->children[1];
            memcpy(node->types + new_left, r->types, sizeof *node->types * (size_t)r->column_count);
            memcpy(node->names + new_left, r->names, sizeof *node->names * (size_t)r->column_count);
            node->column_count = new_left + r->column_count;
        }
        *map_out = joined;
        return node;
    }
    default:
        /* DISTINCT, set operations, writes, EXPLAIN, VALUES, sources: all
         * of their input matters; children prune only below themselves. */
        for (int idx = 0; idx < node->child_count; idx++) {
            tn_logical *child = node->children[idx];
            bool *every = all_needed(p, child->column_count);
            int *child_map;
            if (!every || !(node->children[idx] = prune(p, child, every, &child_map)))
                return NULL;
        }
        return node;
    }
}

tn_logical *tn_optimize_prune(tn_arena *arena, tn_logical *plan, tn_error *err)
{
    if (has_correlated(plan))
        return plan;
    pruner p = {arena, err};
    bool *every = all_needed(&p, plan->column_count);
    int *map;
    return every ? prune(&p, plan, every, &map) : NULL;
}
