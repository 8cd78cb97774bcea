/*
 * Logical plan nodes: allocation and the indented text EXPLAIN prints,
 * one operator per line with its expressions (column i of the operator's
 * input prints as #i), children indented below their parent.
 */
#include "sql/logical.h"
#include "common/buffer.h"
#include "storage/table.h"

#include <string.h>

static int render(tn_arena *arena, const tn_logical *node, int depth, tn_buf *out);
static int render_exprs(tn_arena *arena, tn_expr *const *exprs, int count, tn_buf *out);

tn_logical *tn_logical_new(tn_arena *arena, tn_logical_kind kind, int column_count)
{
    tn_logical *node = tn_arena_zalloc(arena, sizeof *node);
    if (!node)
        return NULL;
    node->kind = kind;
    node->column_count = column_count;
    node->types = tn_arena_zalloc(arena, sizeof *node->types * (size_t)(column_count + 1));
    node->names = tn_arena_zalloc(arena, sizeof *node->names * (size_t)(column_count + 1));
    if (!node->types || !node->names)
        return NULL;
    node->limit = -1;
    return node;
}

static int render_exprs(tn_arena *arena, tn_expr *const *exprs, int count, tn_buf *out)
{
    for (int idx = 0; idx < count; idx++) {
        char *text = tn_expr_to_string(arena, exprs[idx]);
        if (!text || tn_buf_printf(out, "%s%s", idx ? ", " : "", text) < 0)
            return -1;
    }
    return 0;
}

static const char *const kind_names[] = {
    [TN_LOGICAL_GET] = "GET", [TN_LOGICAL_TABLE_FUNCTION] = "TABLE_FUNCTION", [TN_LOGICAL_VALUES] = "VALUES",
    [TN_LOGICAL_DUMMY_SCAN] = "DUMMY_SCAN", [TN_LOGICAL_FILTER] = "FILTER", [TN_LOGICAL_PROJECTION] = "PROJECTION",
    [TN_LOGICAL_AGGREGATE] = "AGGREGATE", [TN_LOGICAL_JOIN] = "JOIN", [TN_LOGICAL_ORDER] = "ORDER",
    [TN_LOGICAL_LIMIT] = "LIMIT", [TN_LOGICAL_DISTINCT] = "DISTINCT", [TN_LOGICAL_SET_OPERATION] = "SET_OPERATION",
    [TN_LOGICAL_INSERT] = "INSERT", [TN_LOGICAL_DELETE] = "DELETE", [TN_LOGICAL_UPDATE] = "UPDATE",
    [TN_LOGICAL_EXPLAIN] = "EXPLAIN", [TN_LOGICAL_WINDOW] = "WINDOW", [TN_LOGICAL_RECURSIVE_CTE] = "RECURSIVE_CTE",
    [TN_LOGICAL_CTE_SCAN] = "CTE_SCAN", [TN_LOGICAL_LATERAL_JOIN] = "LATERAL_JOIN",
    [TN_LOGICAL_SHARED_CTE_SCAN] = "SHARED_CTE_SCAN",
};

static int render(tn_arena *arena, const tn_logical *node, int depth, tn_buf *out)
{
    static const char *const join_names[] = {"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI"};
    static const char *const set_names[] = {"UNION", "INTERSECT", "EXCEPT"};
    if (tn_buf_printf(out, "%*s%s", depth * 2, "", kind_names[node->kind]) < 0)
        return -1;
    int rc = 0;
    switch (node->kind) {
    case TN_LOGICAL_GET:
        rc = tn_buf_printf(out, " %s.%s [", node->table->schema_name, node->table->name);
        for (int col = 0; rc == 0 && col < node->column_count; col++)
            rc = tn_buf_printf(out, "%s%s", col ? ", " : "",
                               node->columns[col] == TN_ROW_ID_COLUMN ? "rowid" : node->table->columns[node->columns[col]].name);
        if (rc == 0)
            rc = tn_buf_append_str(out, "]");
        if (rc == 0 && node->filter_count > 0)
            rc = tn_buf_append_str(out, " filters: ") < 0 ? -1 : render_exprs(arena, node->filters, node->filter_count, out);
        break;
    case TN_LOGICAL_TABLE_FUNCTION:
        if (node->function_exprs) {
            rc = tn_buf_printf(out, " %s(", node->function_name) < 0 ? -1
                 : render_exprs(arena, node->function_exprs, node->function_arg_count, out);
            if (rc == 0)
                rc = tn_buf_append_str(out, node->with_ordinality ? ") WITH ORDINALITY" : ")");
            break;
        }
        rc = tn_buf_printf(out, " %s(%.*s)", node->function_name, (int)node->function_args[0].u.string.length,
                           tn_string_data(&node->function_args[0].u.string));
        break;
    case TN_LOGICAL_VALUES:
        rc = tn_buf_printf(out, " %d rows", node->row_count);
        break;
    case TN_LOGICAL_FILTER:
        rc = tn_buf_append_str(out, " ") < 0 ? -1 : render_exprs(arena, &node->predicate, 1, out);
        break;
    case TN_LOGICAL_PROJECTION:
        rc = tn_buf_append_str(out, " ") < 0 ? -1 : render_exprs(arena, node->exprs, node->column_count, out);
        break;
    case TN_LOGICAL_AGGREGATE:
        rc = tn_buf_append_str(out, " groups: [");
        if (rc == 0)
            rc = render_exprs(arena, node->groups, node->group_count, out);
        if (rc == 0)
            rc = tn_buf_append_str(out, "] aggregates: [");
        for (int idx = 0; rc == 0 && idx < node->aggregate_count; idx++) {
            const tn_bound_aggregate *agg = node->aggregates[idx];
            rc = tn_buf_printf(out, "%s%s(%s", idx ? ", " : "", agg->name, agg->is_distinct ? "DISTINCT " : "");
            if (rc == 0 && agg->is_star)
                rc = tn_buf_append_str(out, "*");
            if (rc == 0)
                rc = render_exprs(arena, agg->args, agg->arg_count, out);
            if (rc == 0)
                rc = tn_buf_append_str(out, ")");
        }
        if (rc == 0)
            rc = tn_buf_append_str(out, "]");
        if (rc == 0 && node->grouping_set_count > 0) {
            /* each set as the groups it holds, e.g. sets: [(#0, #1), (#0), ()] */
            rc = tn_buf_append_str(out, " sets: [");
            for (int set = 0; rc == 0 && set < node->grouping_set_count; set++) {
                rc = tn_buf_append_str(out, set ? ", (" : "(");
                for (int g = 0, shown = 0; rc == 0 && g < node->group_count; g++)
                    if ((node->grouping_sets[set] >> g) & 1)
                        rc = tn_buf_printf(out, "%s#%d", shown++ ? ", " : "", g);
                if (rc == 0)
                    rc = tn_buf_append_str(out, ")");
            }
            if (rc == 0)
                rc = tn_buf_append_str(out, "]");
        }
        break;
    case TN_LOGICAL_JOIN:
        rc = tn_buf_printf(out, " %s", join_names[node->join_type]);
        if (rc == 0 && node->predicate)
            rc = tn_buf_append_str(out, " ") < 0 ? -1 : render_exprs(arena, &node->predicate, 1, out);
        break;
    case TN_LOGICAL_ORDER:
        for (int idx = 0; rc == 0 && idx < node->sort_key_count; idx++) {
            const tn_sort_key *key = &node->sort_keys[idx];
            char *text = tn_expr_to_string(arena, key->expr);
            rc = !text ? -1
                       : tn_buf_printf(out, "%s%s%s%s", idx ? ", " : " ", text, key->is_descending ? " DESC" : "",
                                       key->nulls_first == key->is_descending ? ""
                                       : key->nulls_first                     ? " NULLS FIRST"
                                                                              : " NULLS LAST");
        }
        break;
    case TN_LOGICAL_LIMIT:
        if (node->limit >= 0)
            rc = tn_buf_printf(out, " %lld", (long long)node->limit);
        if (rc == 0 && node->offset > 0)
            rc = tn_buf_printf(out, " OFFSET %lld", (long long)node->offset);
        break;
    case TN_LOGICAL_SET_OPERATION:
        rc = tn_buf_printf(out, " %s%s", set_names[node->set_op], node->is_all ? " ALL" : "");
        break;
    case TN_LOGICAL_INSERT:
    case TN_LOGICAL_DELETE:
    case TN_LOGICAL_UPDATE:
        rc = tn_buf_printf(out, " %s.%s", node->table->schema_name, node->table->name);
        for (int idx = 0; rc == 0 && idx < node->check_count; idx++)
            rc = tn_buf_printf(out, " check %s", node->check_names[idx]);
        break;
    case TN_LOGICAL_WINDOW:
        for (int idx = 0; rc == 0 && idx < node->window_count; idx++)
            rc = tn_buf_printf(out, "%s%s() OVER (%d partition keys, %d order keys)", idx ? ", " : " ",
                               node->windows[idx]->name, node->windows[idx]->partition_count,
                               node->windows[idx]->order_count);
        break;
    case TN_LOGICAL_SHARED_CTE_SCAN:
        rc = tn_buf_printf(out, " %s", node->cte_name);
        break;
    case TN_LOGICAL_EXPLAIN:
        if (node->is_analyze)
            rc = tn_buf_append_str(out, " ANALYZE");
        break;
    case TN_LOGICAL_LATERAL_JOIN:
        rc = tn_buf_printf(out, " %s", join_names[node->join_type]);
        break;
    default:
        break;
    }
    if (rc < 0 || tn_buf_append_char(out, '\n') < 0)
        return -1;
    for (int idx = 0; idx < node->child_count; idx++)
        if (render(arena, node->children[idx], depth + 1, out) < 0)
            return -1;
    if (node->kind == TN_LOGICAL_LATERAL_JOIN) /* the subquery run per row */
        return render(arena, node->predicate->subquery, depth + 1, out);
    return 0;
}

/* Adds the WITH queries node's tree reads, not yet in ctes, to ctes. */
static int collect_ctes(const tn_logical *node, tn_buf *ctes)
{
    if (node->kind == TN_LOGICAL_SHARED_CTE_SCAN && node->cte_plan) {
        const tn_logical *const *seen = (const tn_logical *const *)ctes->data;
        for (size_t idx = 0; idx < ctes->length / sizeof *seen; idx++)
            if (seen[idx] == node->cte_plan)
                return 0;
        return tn_buf_append(ctes, &node->cte_plan, sizeof node->cte_plan);
    }
    for (int idx = 0; idx < node->child_count; idx++)
        if (collect_ctes(node->children[idx], ctes) < 0)
            return -1;
    return 0;
}

/* Each WITH query computed once, after the plan reading it. */
static int render_ctes(tn_arena *arena, const tn_logical *plan, tn_buf *out)
{
    tn_buf ctes = TN_BUF_INIT;
    int rc = collect_ctes(plan, &ctes);
    for (size_t idx = 0; rc == 0 && idx < ctes.length / sizeof(tn_logical *); idx++) {
        const tn_logical *holder = ((const tn_logical *const *)ctes.data)[idx];
        rc = tn_buf_printf(out, "CTE %s\n", holder->cte_name) < 0 || render(arena, holder->children[0], 1, out) < 0 ||
                     collect_ctes(holder->children[0], &ctes) < 0
                 ? -1 : 0;
    }
    tn_buf_free(&ctes);
    return rc;
}

char *tn_logical_to_string(tn_arena *arena, const tn_logical *plan)
{
    tn_buf out = TN_BUF_INIT;
    char *text = NULL;
    if (render(arena, plan, 0, &out) == 0 && render_ctes(arena, plan, &out) == 0) {
        if (out.length > 0)
            out.data[--out.length] = '\0';
        text = tn_arena_strdup(arena, out.data ? out.data : "");
    }
    tn_buf_free(&out);
    return text;
}
