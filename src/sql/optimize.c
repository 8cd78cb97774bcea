/*
 * The logical optimizer: small rewrites that are always correct.  Filters
 * that reach a GET move into it (the scan applies them), and projection
 * pruning (optimize_prune.c) runs last.
 *
 *  1. Constant folding: every foldable subexpression (tn_expr_is_foldable)
 *     becomes a constant.  A fold that fails (1/0) is left alone, so the
 *     error fires at run time only for rows that reach it, as the CASE
 *     rules of expr.h promise.
 *  2. Join building: a FILTER over a tree of inner joins and cross
 *     products is split into conjuncts; those on one input move down to it
 *     (and into a GET's filters), those across inputs become join
 *     conditions (equalities make hash joins possible), attached at the
 *     lowest join that sees all their inputs.  The order comes from
 *     estimated sizes (optimize_join_order.c): the largest input probes,
 *     each next one is connected to those before it; when the order
 *     changes, a projection restores the original column order.
 *     A strict function with a NULL argument folds to NULL, and a filter
 *     that can never pass replaces its input with an empty VALUES, so
 *     nothing below it runs (PostgreSQL's one-time filter).
 *  3. Filters also move below projections (derived tables, WITH queries),
 *     below aggregates when they test group columns only, and into the
 *     left input of a LEFT JOIN when they test that side only.
 *
 * Conjuncts holding subqueries, outer references, parameters or volatile
 * functions never move: their meaning depends on the row they are
 * evaluated for.
 */
#include "sql/binder.h"

#include <string.h>

#define MAX_LEAVES 64

typedef struct join_graph {
    tn_logical *leaves[MAX_LEAVES];
    int offsets[MAX_LEAVES];  /* first column of each leaf in the original row */
    int leaf_count;
    tn_expr **conjuncts;
    int conjunct_count;
    int conjunct_capacity;
} join_graph;

static tn_logical *optimize_node(tn_arena *arena, tn_logical *node, tn_error *err);
static int fold(tn_arena *arena, tn_expr **slot, tn_error *err);
static bool is_movable(const tn_expr *expr);
static bool is_never_true(const tn_expr *expr);
static int add_conjuncts(tn_arena *arena, join_graph *graph, tn_expr *expr, int shift, tn_error *err);
static tn_expr *conjoin(tn_arena *arena, tn_expr *left, tn_expr *right);
static int flatten(tn_arena *arena, join_graph *graph, tn_logical *node, int base, tn_error *err);
static uint64_t leaves_of(const join_graph *graph, const tn_expr *expr);
static tn_expr *remap(tn_arena *arena, const tn_expr *expr, const int *map);
static tn_logical *build_joins(tn_arena *arena, tn_logical *filter, tn_error *err);
static int add_scan_filters(tn_arena *arena, tn_logical *get, tn_expr *predicate, tn_error *err);

static int fold(tn_arena *arena, tn_expr **slot, tn_error *err)
{
    tn_expr *expr = *slot;
    if (!expr)
        return 0;
    if (expr->kind == TN_EXPR_SUBQUERY) {
        if (!(expr->subquery = tn_optimize(arena, expr->subquery, err)))
            return -1;
    } else if (expr->kind != TN_EXPR_CONSTANT && tn_expr_is_foldable(expr)) {
        tn_value value;
        tn_error local = TN_ERROR_INIT;
        if (tn_expr_fold(arena, expr, &value, &local) == 0) {
            tn_expr *constant = tn_expr_constant(arena, &value, expr->location);
            if (!constant)
                return tn_error_oom(err);
            constant->type = expr->type;
            *slot = constant;
            return 0;
        }
        tn_error_clear(&local);
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (fold(arena, &expr->args[idx], err) < 0)
            return -1;
    /* A strict function of a NULL constant is NULL without evaluating its
     * other arguments (PostgreSQL simplifies so too, so their errors never
     * fire). */
    if (expr->kind == TN_EXPR_FUNCTION && expr->function && expr->function->is_strict) {
        for (int idx = 0; idx < expr->arg_count; idx++) {
            const tn_expr *arg = expr->args[idx];
            if (arg->kind == TN_EXPR_CONSTANT && arg->value.is_null) {
                tn_value null = tn_value_null(expr->type);
                tn_expr *constant = tn_expr_constant(arena, &null, expr->location);
                if (!constant)
                    return tn_error_oom(err);
                *slot = constant;
                return 0;
            }
        }
    }
    return 0;
}

/* True when expr is the constant false or NULL: a filter that keeps
 * nothing. */
static bool is_never_true(const tn_expr *expr)
{
    return expr->kind == TN_EXPR_CONSTANT && (expr->value.is_null || (expr->type.id == TN_TYPE_BOOL && !expr->value.u.boolean));
}

static bool is_movable(const tn_expr *expr)
{
    if (expr->kind == TN_EXPR_SUBQUERY || expr->kind == TN_EXPR_OUTER_COLUMN || expr->kind == TN_EXPR_PARAMETER)
        return false;
    if (expr->kind == TN_EXPR_FUNCTION && expr->function && expr->function->volatility == TN_VOLATILE)
        return false;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (!is_movable(expr->args[idx]))
            return false;
    return true;
}

/* The AND-conjuncts of expr into list (at most max); returns how many. */
static int and_terms(tn_expr *expr, tn_expr **list, int count, int max)
{
    if (expr->kind == TN_EXPR_AND) {
        for (int idx = 0; idx < expr->arg_count; idx++)
            count = and_terms(expr->args[idx], list, count, max);
        return count;
    }
    if (count < max)
        list[count] = expr;
    return count + 1;
}

#define FACTOR_MAX_TERMS 32

/* (A AND B) OR (A AND C) is A AND (B OR C), also under three-valued logic:
 * pulling the terms every branch shares out of an OR lets a join key
 * repeated in each branch (TPC-H Q19) become a hash-join key.  Terms are
 * matched by their rendering; volatile ones stay.  Returns expr unchanged
 * when nothing is shared, NULL when out of memory. */
static tn_expr *factor_or(tn_arena *arena, tn_expr *expr)
{
    int branches = expr->arg_count;
    tn_expr *first[FACTOR_MAX_TERMS];
    int first_count = and_terms(expr->args[0], first, 0, FACTOR_MAX_TERMS);
    if (first_count > FACTOR_MAX_TERMS || branches < 2)
        return expr;
    tn_expr *common = NULL;
    bool shared[FACTOR_MAX_TERMS] = {false};
    for (int term = 0; term < first_count; term++) {
        if (!is_movable(first[term]))
            continue;
        const char *text = tn_expr_to_string(arena, first[term]);
        if (!text)
            return NULL;
        bool everywhere = true;
        for (int branch = 1; branch < branches && everywhere; branch++) {
            tn_expr *terms[FACTOR_MAX_TERMS];
            int n = and_terms(expr->args[branch], terms, 0, FACTOR_MAX_TERMS);
            bool found = false;
            for (int idx = 0; idx < n && idx < FACTOR_MAX_TERMS && !found; idx++) {
                const char *other = tn_expr_to_string(arena, terms[idx]);
                if (!other)
                    return NULL;
                found = strcmp(text, other) == 0;
            }
            everywhere = found;
        }
        if (everywhere) {
            shared[term] = true;
            if (!(common = conjoin(arena, common, first[term])))
                return NULL;
        }
    }
    if (!common)
        return expr;
    /* Each branch without the shared terms; a branch left empty is true,
     * and then so is the whole OR. */
    tn_expr *or = tn_expr_new(arena, TN_EXPR_OR, expr->type, branches, expr->location);
    if (!or)
        return NULL;
    const char **shared_text = tn_arena_zalloc(arena, sizeof *shared_text * FACTOR_MAX_TERMS);
    if (!shared_text)
        return NULL;
    for (int term = 0; term < first_count; term++)
        if (shared[term] && !(shared_text[term] = tn_expr_to_string(arena, first[term])))
            return NULL;
    for (int branch = 0; branch < branches; branch++) {
        tn_expr *terms[FACTOR_MAX_TERMS];
        int n = and_terms(expr->args[branch], terms, 0, FACTOR_MAX_TERMS);
        tn_expr *kept = NULL;
        for (int idx = 0; idx < n && idx < FACTOR_MAX_TERMS; idx++) {
            const char *text = tn_expr_to_string(arena, terms[idx]);
            bool drop = false;
            for (int term = 0; term < first_count && !drop && text; term++)
                drop = shared[term] && strcmp(text, shared_text[term]) == 0;
            if (!text || (!drop && !(kept = conjoin(arena, kept, terms[idx]))))
                return NULL;
        }
        if (!kept)
            return common; /* A OR (A AND C) is A */
        or->args[branch] = kept;
    }
    return conjoin(arena, common, or);
}

/* Adds the conjuncts of expr with its columns shifted by `shift`. */
static int add_conjuncts(tn_arena *arena, join_graph *graph, tn_expr *expr, int shift, tn_error *err)
{
    if (expr->kind == TN_EXPR_OR) {
        tn_expr *factored = factor_or(arena, expr);
        if (!factored)
            return tn_error_oom(err);
        if (factored != expr)
            return add_conjuncts(arena, graph, factored, shift, err);
    }
    if (expr->kind == TN_EXPR_AND) {
        for (int idx = 0; idx < expr->arg_count; idx++)
            if (add_conjuncts(arena, graph, expr->args[idx], shift, err) < 0)
                return -1;
        return 0;
    }
    if (graph->conjunct_count == graph->conjunct_capacity) {
        int capacity = graph->conjunct_capacity ? graph->conjunct_capacity * 2 : 8;
        tn_expr **grown = tn_arena_realloc(arena, graph->conjuncts, sizeof *grown * (size_t)graph->conjunct_capacity,
                                           sizeof *grown * (size_t)capacity);
        if (!grown)
            return tn_error_oom(err);
        graph->conjuncts = grown;
        graph->conjunct_capacity = capacity;
    }
    if (shift != 0) {
        int *map = tn_arena_alloc(arena, sizeof *map * 4096);
        if (!map)
            return tn_error_oom(err);
        for (int col = 0; col < 4096; col++)
            map[col] = col + shift;
        expr = remap(arena, expr, map);
        if (!expr)
            return tn_error_oom(err);
    }
    graph->conjuncts[graph->conjunct_count++] = expr;
    return 0;
}

/* Collects the inputs of a tree of inner joins (left to right) and the
 * conditions of its joins, in the coordinates of the whole row. */
static int flatten(tn_arena *arena, join_graph *graph, tn_logical *node, int base, tn_error *err)
{
    if (node->kind == TN_LOGICAL_JOIN && node->join_type == TN_JOIN_INNER &&
        (!node->predicate || is_movable(node->predicate)) && graph->leaf_count + 2 <= MAX_LEAVES) {
        if (flatten(arena, graph, node->children[0], base, err) < 0 ||
            flatten(arena, graph, node->children[1], base + node->children[0]->column_count, err) < 0)
            return -1;
        return node->predicate ? add_conjuncts(arena, graph, node->predicate, base, err) : 0;
    }
    graph->leaves[graph->leaf_count] = node;
    graph->offsets[graph->leaf_count] = base;
    graph->leaf_count++;
    return 0;
}

static uint64_t leaves_of(const join_graph *graph, const tn_expr *expr)
{
    uint64_t set = 0;
    if (expr->kind == TN_EXPR_COLUMN) {
        for (int leaf = graph->leaf_count - 1; leaf >= 0; leaf--)
            if (expr->column >= graph->offsets[leaf]) {
                set |= (uint64_t)1 << leaf;
                break;
            }
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        set |= leaves_of(graph, expr->args[idx]);
    return set;
}

/* A copy of expr with column i renumbered to map[i]. */
static tn_expr *remap(tn_arena *arena, const tn_expr *expr, const int *map)
{
    tn_expr *copy = tn_expr_copy(arena, expr);
    if (!copy)
        return NULL;
    tn_expr *stack[256];
    int top = 0;
    stack[top++] = copy;
    while (top > 0) {
        tn_expr *node = stack[--top];
        if (node->kind == TN_EXPR_COLUMN)
            node->column = map[node->column];
        for (int idx = 0; idx < node->arg_count; idx++) {
            if (top == 256)
                return NULL;
            stack[top++] = node->args[idx];
        }
    }
    return copy;
}

static tn_expr *conjoin(tn_arena *arena, tn_expr *left, tn_expr *right)
{
    if (!left)
        return right;
    tn_expr *and = tn_expr_new(arena, TN_EXPR_AND, tn_type_make(TN_TYPE_BOOL), 2, right->location);
    if (and) {
        and->args[0] = left;
        and->args[1] = right;
    }
    return and;
}

/* Filter (or GET) over one input: the conjunct in the input's columns. */
static tn_logical *filter_leaf(tn_arena *arena, tn_logical *leaf, tn_expr *conjunct, tn_error *err)
{
    if (leaf->kind == TN_LOGICAL_FILTER) {
        if (!(leaf->predicate = conjoin(arena, leaf->predicate, conjunct)))
            return tn_error_oom(err), NULL;
        return leaf;
    }
    tn_logical *filter = tn_logical_new(arena, TN_LOGICAL_FILTER, leaf->column_count);
    if (!filter)
        return tn_error_oom(err), NULL;
    memcpy(filter->types, leaf->types, sizeof *filter->types * (size_t)leaf->column_count);
    memcpy(filter->names, leaf->names, sizeof *filter->names * (size_t)leaf->column_count);
    filter->children[0] = leaf;
    filter->child_count = 1;
    filter->predicate = conjunct;
    return filter;
}

static tn_logical *build_joins(tn_arena *arena, tn_logical *filter, tn_error *err)
{
    join_graph graph;
    memset(&graph, 0, sizeof graph);
    tn_logical *child = filter->children[0];
    int width = child->column_count;
    if (flatten(arena, &graph, child, 0, err) < 0 || add_conjuncts(arena, &graph, filter->predicate, 0, err) < 0)
        return NULL;
    if (graph.leaf_count < 2 || width > 4096)
        return filter;
    uint64_t *sets = tn_arena_zalloc(arena, sizeof *sets * (size_t)(graph.conjunct_count + 1));
    bool *used = tn_arena_zalloc(arena, sizeof *used * (size_t)(graph.conjunct_count + 1));
    int *map = tn_arena_alloc(arena, sizeof *map * 4096);
    if (!sets || !used || !map)
        return tn_error_oom(err), NULL;
    tn_expr *residual = NULL;
    for (int idx = 0; idx < graph.conjunct_count; idx++) {
        tn_expr *conjunct = graph.conjuncts[idx];
        sets[idx] = leaves_of(&graph, conjunct);
        if (!is_movable(conjunct) || sets[idx] == 0) {
            used[idx] = true;
            if (!(residual = conjoin(arena, residual, conjunct)))
                return tn_error_oom(err), NULL;
        } else if ((sets[idx] & (sets[idx] - 1)) == 0) {
            /* one input: filter it there */
            int leaf = __builtin_ctzll(sets[idx]);
            for (int col = 0; col < width; col++)
                map[col] = col - graph.offsets[leaf];
            tn_expr *local = remap(arena, conjunct, map);
            if (!local || !(graph.leaves[leaf] = filter_leaf(arena, graph.leaves[leaf], local, err)))
                return local ? NULL : (tn_error_oom(err), NULL);
            used[idx] = true;
        }
    }
    /* the join order from estimated sizes (optimize_join_order.c) */
    int order[MAX_LEAVES];
    uint64_t joined;
    tn_optimize_join_order(graph.leaves, graph.leaf_count, sets, used, graph.conjunct_count, order);
    /* new positions of the original columns */
    int position = 0;
    for (int step = 0; step < graph.leaf_count; step++) {
        int leaf = order[step];
        int count = graph.leaves[leaf]->column_count;
        for (int col = 0; col < count; col++) {
            map[graph.offsets[leaf] + col] = position + col;
        }
        position += count;
    }
    tn_logical *plan = graph.leaves[order[0]];
    joined = (uint64_t)1 << order[0];
    for (int step = 1; step < graph.leaf_count; step++) {
        int leaf = order[step];
        tn_logical *right = graph.leaves[leaf];
        joined |= (uint64_t)1 << leaf;
        tn_logical *join = tn_logical_new(arena, TN_LOGICAL_JOIN, plan->column_count + right->column_count);
        if (!join)
            return tn_error_oom(err), NULL;
        join->join_type = TN_JOIN_INNER;
        join->children[0] = plan;
        join->children[1] = right;
        join->child_count = 2;
        memcpy(join->types, plan->types, sizeof *join->types * (size_t)plan->column_count);
        memcpy(join->types + plan->column_count, right->types, sizeof *join->types * (size_t)right->column_count);
        memcpy(join->names, plan->names, sizeof *join->names * (size_t)plan->column_count);
        memcpy(join->names + plan->column_count, right->names, sizeof *join->names * (size_t)right->column_count);
        for (int idx = 0; idx < graph.conjunct_count; idx++) {
            if (used[idx] || (sets[idx] & ~joined) != 0)
                continue;
            tn_expr *local = remap(arena, graph.conjuncts[idx], map);
            if (!local || !(join->predicate = conjoin(arena, join->predicate, local)))
                return tn_error_oom(err), NULL;
            used[idx] = true;
        }
        plan = join;
    }
    bool reordered = false;
    for (int col = 0; col < width; col++)
        reordered |= map[col] != col;
    if (reordered) {
        tn_expr **exprs = tn_arena_alloc(arena, sizeof *exprs * (size_t)width);
        tn_logical *proj = exprs ? tn_logical_new(arena, TN_LOGICAL_PROJECTION, width) : NULL;
        if (!proj)
            return tn_error_oom(err), NULL;
        for (int col = 0; col < width; col++) {
            if (!(exprs[col] = tn_expr_column(arena, map[col], child->types[col], 0)))
                return tn_error_oom(err), NULL;
            proj->types[col] = child->types[col];
            proj->names[col] = child->names[col];
        }
        proj->exprs = exprs;
        proj->children[0] = plan;
        proj->child_count = 1;
        plan = proj;
    }
    if (!residual)
        return plan;
    filter->children[0] = plan;
    filter->predicate = residual;
    return filter;
}

/* Appends the conjuncts of predicate to a GET's filters. */
static int add_scan_filters(tn_arena *arena, tn_logical *get, tn_expr *predicate, tn_error *err)
{
    if (predicate->kind == TN_EXPR_AND) {
        for (int idx = 0; idx < predicate->arg_count; idx++)
            if (add_scan_filters(arena, get, predicate->args[idx], err) < 0)
                return -1;
        return 0;
    }
    tn_expr **filters = tn_arena_realloc(arena, get->filters, sizeof *filters * (size_t)get->filter_count,
                                         sizeof *filters * (size_t)(get->filter_count + 1));
    if (!filters)
        return tn_error_oom(err);
    filters[get->filter_count++] = predicate;
    get->filters = filters;
    return 0;
}

/* A copy of expr with column i replaced by a copy of exprs[i]. */
static tn_expr *substitute(tn_arena *arena, const tn_expr *expr, tn_expr *const *exprs)
{
    if (expr->kind == TN_EXPR_COLUMN)
        return tn_expr_copy(arena, exprs[expr->column]);
    tn_expr *copy = tn_expr_copy(arena, expr);
    for (int idx = 0; copy && idx < copy->arg_count; idx++)
        if (!(copy->args[idx] = substitute(arena, expr->args[idx], exprs)))
            return NULL;
    return copy;
}

/* True when every column expr references is below limit and the
 * expression it names (when exprs is given) may move. */
static bool references_movable(const tn_expr *expr, tn_expr *const *exprs, int limit)
{
    if (expr->kind == TN_EXPR_COLUMN)
        return expr->column < limit && (!exprs || is_movable(exprs[expr->column]));
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (!references_movable(expr->args[idx], exprs, limit))
            return false;
    return true;
}

/* FILTER over a PROJECTION, an AGGREGATE (conjuncts on group columns) or
 * a LEFT JOIN (conjuncts on its left side): the conjuncts that can be
 * computed below move below, rewritten in the child's columns. */
static tn_logical *push_through(tn_arena *arena, tn_logical *filter, tn_error *err)
{
    tn_logical *child = filter->children[0];
    tn_expr *const *exprs = child->kind == TN_LOGICAL_PROJECTION ? child->exprs
                            : child->kind == TN_LOGICAL_AGGREGATE ? child->groups
                                                                  : NULL;
    int limit = child->kind == TN_LOGICAL_PROJECTION  ? child->column_count
                : child->kind == TN_LOGICAL_AGGREGATE ? child->group_count
                                                      : child->children[0]->column_count;
    join_graph graph;
    memset(&graph, 0, sizeof graph);
    if (add_conjuncts(arena, &graph, filter->predicate, 0, err) < 0)
        return NULL;
    tn_expr *kept = NULL, *pushed = NULL;
    for (int idx = 0; idx < graph.conjunct_count; idx++) {
        tn_expr *conjunct = graph.conjuncts[idx];
        if (is_movable(conjunct) && references_movable(conjunct, exprs, limit)) {
            tn_expr *below = exprs ? substitute(arena, conjunct, exprs) : conjunct;
            if (!below || !(pushed = conjoin(arena, pushed, below)))
                return tn_error_oom(err), NULL;
        } else if (!(kept = conjoin(arena, kept, conjunct))) {
            return tn_error_oom(err), NULL;
        }
    }
    if (!pushed)
        return filter;
    if (!(child->children[0] = filter_leaf(arena, child->children[0], pushed, err)))
        return NULL;
    if (!kept)
        return child;
    filter->predicate = kept;
    return filter;
}

static tn_logical *optimize_node(tn_arena *arena, tn_logical *node, tn_error *err)
{
    if (node->kind == TN_LOGICAL_SHARED_CTE_SCAN) {
        /* a leaf here; the WITH query's plan is optimized on its own, once */
        tn_logical *holder = node->cte_plan;
        if (!holder->cte_optimized) {
            holder->cte_optimized = true;
            if (!(holder->children[0] = tn_optimize(arena, holder->children[0], err)))
                return NULL;
        }
        return node;
    }
    int rc = fold(arena, &node->predicate, err);
    for (int idx = 0; rc == 0 && node->exprs && idx < node->column_count; idx++)
        rc = fold(arena, &node->exprs[idx], err);
    for (int idx = 0; rc == 0 && idx < node->group_count; idx++)
        rc = fold(arena, &node->groups[idx], err);
    for (int idx = 0; rc == 0 && idx < node->aggregate_count; idx++) {
        tn_bound_aggregate *agg = node->aggregates[idx];
        for (int arg = 0; rc == 0 && arg < agg->arg_count; arg++)
            rc = fold(arena, &agg->args[arg], err);
        if (rc == 0)
            rc = fold(arena, &agg->filter, err);
    }
    for (int idx = 0; rc == 0 && idx < node->check_count; idx++)
        rc = fold(arena, &node->checks[idx], err);
    for (int idx = 0; rc == 0 && idx < node->sort_key_count; idx++)
        rc = fold(arena, &node->sort_keys[idx].expr, err);
    for (int idx = 0; rc == 0 && node->values && idx < node->row_count * node->column_count; idx++)
        rc = fold(arena, &node->values[idx], err);
    if (rc < 0)
        return NULL;
    if ((node->kind == TN_LOGICAL_FILTER && is_never_true(node->predicate)) ||
        (node->kind == TN_LOGICAL_LIMIT && node->limit == 0)) {
        /* nothing below runs (PostgreSQL's one-time filter; LIMIT 0 fetches
         * no row, so no expression under it is evaluated): an empty VALUES */
        tn_logical *empty = tn_logical_new(arena, TN_LOGICAL_VALUES, node->column_count);
        if (!empty)
            return tn_error_oom(err), NULL;
        memcpy(empty->types, node->types, sizeof *node->types * (size_t)node->column_count);
        memcpy(empty->names, node->names, sizeof *node->names * (size_t)node->column_count);
        return empty;
    }
    if (node->kind == TN_LOGICAL_FILTER) {
        tn_logical *child = node->children[0];
        /* (semi and anti joins yield left rows only, so a filter over them
         * moves to their left input whole; an aggregate without groups yields a row even from no input, so
         * nothing may move below it; nor below grouping sets, whose rows
         * hold NULL for the groups a set leaves out) */
        if (child->kind == TN_LOGICAL_PROJECTION ||
            (child->kind == TN_LOGICAL_AGGREGATE && child->group_count > 0 && child->grouping_set_count == 0) ||
            (child->kind == TN_LOGICAL_JOIN && (child->join_type == TN_JOIN_LEFT ||
                                               child->join_type == TN_JOIN_SEMI ||
                                               child->join_type == TN_JOIN_ANTI))) {
            if (!(node = push_through(arena, node, err)))
                return NULL;
            if (node->kind != TN_LOGICAL_FILTER)
                return optimize_node(arena, node, err);
        } else if (child->kind == TN_LOGICAL_JOIN && !(node = build_joins(arena, node, err))) {
            return NULL;
        }
    }
    if (node->kind == TN_LOGICAL_FILTER && node->children[0]->kind == TN_LOGICAL_GET && is_movable(node->predicate)) {
        /* the scan applies its filters itself: the FILTER node goes away */
        tn_logical *get = node->children[0];
        if (add_scan_filters(arena, get, node->predicate, err) < 0)
            return NULL;
        return get;
    }
    for (int idx = 0; idx < node->child_count; idx++)
        if (!(node->children[idx] = optimize_node(arena, node->children[idx], err)))
            return NULL;
    return node;
}

tn_logical *tn_optimize(tn_arena *arena, tn_logical *plan, tn_error *err)
{
    plan = tn_optimize_decorrelate(arena, plan, err);
    plan = plan ? optimize_node(arena, plan, err) : NULL;
    return plan ? tn_optimize_prune(arena, plan, err) : NULL;
}
