/*
 * Join ordering for the optimizer's join building (optimize.c): which of
 * a tree of inner joins' inputs goes first and in which order the others
 * join it, from estimated row counts.
 *
 * Estimates come from the catalog (tn_table.row_count, live rows) and
 * fixed selectivities for the filters on an input (an equality with a
 * constant keeps 10%, another comparison a third, anything else half).
 * The plan is left-deep and hash joins build their right input, so:
 *
 *  - the largest input goes first: it streams through every join as the
 *    probe side, and the others are the (smaller) build sides;
 *  - then, among the inputs connected by a condition to those joined,
 *    the one whose filters keep the smallest fraction of its table (an
 *    equi-join to it then shrinks the intermediate result the most, as
 *    for a fact table joined to filtered dimensions), smaller estimates
 *    first on ties;
 *  - inputs connected to nothing come last (cross products).
 *
 * Results are the same whatever the order; only their order without
 * ORDER BY may change.
 */
#include "sql/binder.h"

#include <string.h>

#define UNKNOWN_ROWS 1000.0

static double conjunct_selectivity(const tn_expr *expr)
{
    if (expr->kind == TN_EXPR_AND) {
        double selectivity = 1.0;
        for (int idx = 0; idx < expr->arg_count; idx++)
            selectivity *= conjunct_selectivity(expr->args[idx]);
        return selectivity;
    }
    if (expr->kind == TN_EXPR_FUNCTION && expr->arg_count == 2 && expr->function) {
        bool constant = expr->args[0]->kind == TN_EXPR_CONSTANT || expr->args[1]->kind == TN_EXPR_CONSTANT;
        if (strcmp(expr->function->name, "=") == 0)
            return constant ? 0.1 : 0.5;
        if (strchr("<>", expr->function->name[0]))
            return 1.0 / 3.0;
    }
    if (expr->kind == TN_EXPR_IS_NULL)
        return 0.1;
    return 0.5;
}

/* Estimated rows of plan, and (through base) of the table below its
 * filters. */
static double estimate(const tn_logical *plan, double *base)
{
    double child_base, rows;
    switch (plan->kind) {
    case TN_LOGICAL_GET:
        rows = plan->table && plan->table->row_count > 0 ? (double)plan->table->row_count : 1.0;
        *base = rows;
        for (int idx = 0; idx < plan->filter_count; idx++)
            rows *= conjunct_selectivity(plan->filters[idx]);
        return rows;
    case TN_LOGICAL_FILTER:
        rows = estimate(plan->children[0], base);
        return rows * conjunct_selectivity(plan->predicate);
    case TN_LOGICAL_VALUES:
        return *base = plan->row_count;
    case TN_LOGICAL_DUMMY_SCAN:
        return *base = 1.0;
    case TN_LOGICAL_AGGREGATE:
        rows = estimate(plan->children[0], &child_base);
        rows = plan->group_count == 0 ? 1.0 : rows / 10.0 + 1.0;
        return *base = rows;
    case TN_LOGICAL_LIMIT:
        rows = estimate(plan->children[0], base);
        return plan->limit >= 0 && (double)plan->limit < rows ? (double)plan->limit : rows;
    case TN_LOGICAL_JOIN:
        rows = estimate(plan->children[0], &child_base);
        child_base = estimate(plan->children[1], &child_base);
        rows = rows > child_base ? rows : child_base;
        return *base = rows;
    case TN_LOGICAL_PROJECTION:
    case TN_LOGICAL_ORDER:
    case TN_LOGICAL_DISTINCT:
        return estimate(plan->children[0], base);
    default:
        return *base = UNKNOWN_ROWS;
    }
}

void tn_optimize_join_order(tn_logical *const *leaves, int leaf_count, const uint64_t *sets, const bool *used,
                            int conjunct_count, int *order)
{
    double rows[64], kept[64];
    int first = 0;
    for (int leaf = 0; leaf < leaf_count && leaf < 64; leaf++) {
        double base;
        rows[leaf] = estimate(leaves[leaf], &base);
        kept[leaf] = base > 0 ? rows[leaf] / base : 1.0;
        if (rows[leaf] > rows[first])
            first = leaf;
    }
    uint64_t joined = (uint64_t)1 << first;
    order[0] = first;
    for (int step = 1; step < leaf_count; step++) {
        int pick = -1;
        for (int leaf = 0; leaf < leaf_count; leaf++) {
            uint64_t bit = (uint64_t)1 << leaf;
            if (joined & bit)
                continue;
            bool connected = false;
            for (int idx = 0; idx < conjunct_count && !connected; idx++)
                connected = !used[idx] && (sets[idx] & bit) && (sets[idx] & ~(joined | bit)) == 0;
            if (!connected)
                continue;
            if (pick < 0 || kept[leaf] < kept[pick] || (kept[leaf] == kept[pick] && rows[leaf] < rows[pick]))
                pick = leaf;
        }
        for (int leaf = 0; pick < 0 && leaf < leaf_count; leaf++)
            if (!(joined & ((uint64_t)1 << leaf)))
                pick = leaf;
        order[step] = pick;
        joined |= (uint64_t)1 << pick;
    }
}
