/*
 * Binding of queries into logical plans.  A plain SELECT becomes
 *
 *   FROM items (cross products of GET / JOIN / subquery plans)
 *     -> FILTER (WHERE)
 *     -> AGGREGATE (GROUP BY + aggregates) -> FILTER (HAVING)
 *     -> PROJECTION (select list, then ORDER BY expressions not in it)
 *     -> DISTINCT -> ORDER -> LIMIT -> PROJECTION (drops the extra columns)
 *
 * GROUP BY and ORDER BY resolve names as PostgreSQL does: ORDER BY prefers
 * output column names and positions, GROUP BY prefers input columns, then
 * output names and positions.  VALUES and set operations resolve their
 * column types with tn_common_type, as PostgreSQL's select_common_type.
 */
#include "sql/binder.h"
#include "catalog/catalog.h"
#include "storage/table.h"

#include <string.h>

typedef struct target_list {
    tn_ast_expr **asts;   /* NULL for columns expanded from "*" */
    tn_expr **exprs;
    const char **names;
    int count;            /* visible columns */
    int total;            /* plus ORDER BY columns not in the select list */
    int capacity;
} target_list;

typedef struct aggregate_state {
    tn_bound_aggregate **aggregates;
    int count;
    int capacity;
    tn_bind_clause clause;
    bool in_aggregate;
    tn_window_function **windows;
    int window_count;
    int window_capacity;
    int in_window;
    bool in_having;
    const tn_ast_select *select;
} aggregate_state;

static tn_logical *bind_query(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent, bool resolve_unknowns);
static tn_logical *bind_plain(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent, bool resolve_unknowns);
static tn_logical *bind_values(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent);
static tn_logical *bind_set_operation(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent);
static tn_logical *bind_simple_tail(tn_binder *b, tn_ast_select *select, tn_logical *plan);
static tn_logical *bind_limit(tn_binder *b, tn_ast_select *select, tn_logical *plan);
static int add_target(tn_binder *b, target_list *list, tn_ast_expr *ast, tn_expr *expr, const char *name);
static int expand_targets(tn_binder *b, tn_ast_select *select, tn_bind_scope *scope, target_list *list);
static tn_expr *bind_group(tn_binder *b, tn_bind_scope *scope, target_list *list, tn_ast_expr *ast);
static int bind_sort(tn_binder *b, tn_ast_select *select, tn_bind_scope *scope, target_list *list,
                     tn_ast_sort *sort);
static int rewrite_aggregate(tn_binder *b, tn_bind_scope *scope, tn_expr **groups, int group_count, tn_expr **expr);
static int add_dependent_groups(tn_binder *b, tn_bind_scope *scope, tn_expr **groups, int *group_count, tn_expr *expr);
typedef struct outer_rewrite outer_rewrite;
static int rewrite_outer_plan(outer_rewrite *rw, tn_logical *node, int depth);
static tn_logical *wrap(tn_binder *b, tn_logical_kind kind, tn_logical *child);
static int push_ctes(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent);
static int position_of(tn_binder *b, tn_ast_expr *ast, int count, const char *clause);

/* Makes the WITH queries of select visible (later ones shadow earlier
 * and outer ones of the same name). */
static int push_ctes(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent)
{
    if (b->cte_count + select->cte_count > b->cte_capacity) {
        int capacity = (b->cte_count + select->cte_count) * 2;
        const tn_ast_cte **grown = tn_arena_realloc(b->arena, b->ctes, sizeof *grown * (size_t)b->cte_capacity,
                                                    sizeof *grown * (size_t)capacity);
        if (!grown)
            return tn_error_oom(b->err);
        b->ctes = grown;
        b->cte_capacity = capacity;
    }
    /* each WITH query is checked once even if nothing references it, as
     * PostgreSQL does; references bind it again in their place */
    for (int idx = 0; idx < select->cte_count; idx++) {
        b->ctes[b->cte_count] = &select->ctes[idx];
        if (!tn_bind_cte_query(b, &select->ctes[idx], b->cte_count, parent))
            return -1;
        b->cte_count++;
    }
    return 0;
}

tn_logical *tn_bind_select(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent, bool resolve_unknowns)
{
    /* A nested query has its own aggregates and clause. */
    aggregate_state saved = {b->aggregates, b->aggregate_count, b->aggregate_capacity, b->clause, b->in_aggregate,
                             b->windows, b->window_count, b->window_capacity, b->in_window, b->in_having, b->select};
    b->windows = NULL;
    b->window_count = b->window_capacity = 0;
    b->in_window = 0;
    b->in_having = false;
    b->select = select;
    b->aggregates = NULL;
    b->aggregate_count = b->aggregate_capacity = 0;
    b->clause = TN_CLAUSE_SELECT;
    b->in_aggregate = false;
    int saved_ctes = b->cte_count;
    tn_logical *plan = NULL;
    if (push_ctes(b, select, parent) == 0)
        plan = bind_query(b, select, parent, resolve_unknowns);
    if (plan && tn_bind_ctes_finish(b, select) < 0)
        plan = NULL;
    b->cte_count = saved_ctes;
    b->aggregates = saved.aggregates;
    b->aggregate_count = saved.count;
    b->aggregate_capacity = saved.capacity;
    b->clause = saved.clause;
    b->in_aggregate = saved.in_aggregate;
    b->windows = saved.windows;
    b->window_count = saved.window_count;
    b->window_capacity = saved.window_capacity;
    b->in_window = saved.in_window;
    b->in_having = saved.in_having;
    b->select = saved.select;
    return plan;
}

static tn_logical *bind_query(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent, bool resolve_unknowns)
{
    if (select->set_op != TN_AST_SET_NONE)
        return bind_set_operation(b, select, parent);
    if (select->values_row_count > 0)
        return bind_values(b, select, parent);
    return bind_plain(b, select, parent, resolve_unknowns);
}

/* A node of kind over child with child's output schema. */
static tn_logical *wrap(tn_binder *b, tn_logical_kind kind, tn_logical *child)
{
    tn_logical *node = tn_logical_new(b->arena, kind, child->column_count);
    if (!node) {
        tn_error_oom(b->err);
        return NULL;
    }
    node->children[0] = child;
    node->child_count = 1;
    memcpy(node->types, child->types, sizeof *node->types * (size_t)child->column_count);
    memcpy(node->names, child->names, sizeof *node->names * (size_t)child->column_count);
    node->limit = -1;
    return node;
}

static int add_target(tn_binder *b, target_list *list, tn_ast_expr *ast, tn_expr *expr, const char *name)
{
    if (list->total == list->capacity) {
        int capacity = list->capacity ? list->capacity * 2 : 16;
        tn_ast_expr **asts = tn_arena_realloc(b->arena, list->asts, sizeof *asts * (size_t)list->capacity,
                                              sizeof *asts * (size_t)capacity);
        tn_expr **exprs = tn_arena_realloc(b->arena, list->exprs, sizeof *exprs * (size_t)list->capacity,
                                           sizeof *exprs * (size_t)capacity);
        const char **names = tn_arena_realloc(b->arena, list->names, sizeof *names * (size_t)list->capacity,
                                              sizeof *names * (size_t)capacity);
        if (!asts || !exprs || !names)
            return tn_error_oom(b->err);
        list->asts = asts;
        list->exprs = exprs;
        list->names = names;
        list->capacity = capacity;
    }
    list->asts[list->total] = ast;
    list->exprs[list->total] = expr;
    list->names[list->total] = name;
    list->total++;
    return 0;
}

/* Expands "*" and "t.*"; other targets keep their AST for binding later. */
static int expand_targets(tn_binder *b, tn_ast_select *select, tn_bind_scope *scope, target_list *list)
{
    for (int idx = 0; idx < select->target_count; idx++) {
        tn_ast_target *target = &select->targets[idx];
        tn_ast_expr *ast = target->expr;
        if (ast->kind != TN_AST_COLUMN_REF || !ast->is_star) {
            if (add_target(b, list, ast, NULL, target->alias ? target->alias : tn_bind_column_name(ast)) < 0)
                return -1;
            continue;
        }
        if (ast->name_count == 0) {
            if (scope->relation_count == 0)
                return tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location,
                                    "SELECT * with no tables specified is not valid");
            for (int s = 0; s < scope->star_count; s++) {
                int column = scope->star[s];
                const tn_bind_relation *rel = NULL;
                for (int r = 0; r < scope->relation_count; r++)
                    if (column >= scope->relations[r].offset &&
                        column < scope->relations[r].offset + scope->relations[r].column_count)
                        rel = &scope->relations[r];
                tn_expr *expr = tn_expr_column(b->arena, column, rel->types[column - rel->offset], ast->location);
                if (!expr || add_target(b, list, NULL, expr, rel->names[column - rel->offset]) < 0)
                    return expr ? -1 : tn_error_oom(b->err);
            }
            continue;
        }
        const char *qualifier = ast->names[ast->name_count - 1];
        const tn_bind_relation *rel = NULL;
        for (int r = 0; r < scope->relation_count; r++)
            if (scope->relations[r].alias && strcmp(scope->relations[r].alias, qualifier) == 0)
                rel = &scope->relations[r];
        if (!rel)
            return tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, ast->location,
                                "missing FROM-clause entry for table \"%s\"", qualifier);
        for (int col = 0; col < rel->column_count; col++) {
            tn_expr *expr = tn_expr_column(b->arena, rel->offset + col, rel->types[col], ast->location);
            if (!expr || add_target(b, list, NULL, expr, rel->names[col]) < 0)
                return expr ? -1 : tn_error_oom(b->err);
        }
    }
    list->count = list->total;
    return 0;
}

/* An integer constant in GROUP BY / ORDER BY: the 1-based position it
 * names (checked against count); 0 when ast is not such a constant. */
static int position_of(tn_binder *b, tn_ast_expr *ast, int count, const char *clause)
{
    if (ast->kind != TN_AST_CONSTANT)
        return 0;
    if (ast->constant_kind != TN_AST_CONST_INTEGER)
        return tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location, "non-integer constant in %s", clause);
    if (ast->integer < 1 || ast->integer > count)
        return tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, ast->location,
                            "%s position %d is not in select list", clause, ast->integer);
    return ast->integer;
}

static tn_expr *bind_target_ast(tn_binder *b, tn_bind_scope *scope, target_list *list, int idx)
{
    if (list->exprs[idx])
        return tn_expr_copy(b->arena, list->exprs[idx]);
    return tn_bind_expr(b, scope, list->asts[idx]);
}

static tn_expr *bind_group(tn_binder *b, tn_bind_scope *scope, target_list *list, tn_ast_expr *ast)
{
    int position = position_of(b, ast, list->count, "GROUP BY");
    if (position < 0)
        return NULL;
    if (position > 0)
        return bind_target_ast(b, scope, list, position - 1);
    if (ast->kind == TN_AST_COLUMN_REF && ast->name_count == 1 && !ast->is_star) {
        /* an input column wins over an output name */
        tn_bind_scope local = *scope;
        local.parent = NULL;
        tn_error probe = TN_ERROR_INIT;
        tn_binder probe_binder = *b;
        probe_binder.err = &probe;
        tn_expr *input = tn_bind_column_ref(&probe_binder, &local, ast);
        bool failed = tn_error_is_set(&probe);
        tn_error_clear(&probe);
        if (input && !failed)
            return input;
        for (int idx = 0; idx < list->count; idx++)
            if (list->asts[idx] && strcmp(list->names[idx], ast->names[0]) == 0)
                return bind_target_ast(b, scope, list, idx);
    }
    return tn_bind_expr(b, scope, ast);
}

static int bind_sort(tn_binder *b, tn_ast_select *select, tn_bind_scope *scope, target_list *list,
                     tn_ast_sort *sort)
{
    tn_ast_expr *ast = sort->expr;
    int position = position_of(b, ast, list->count, "ORDER BY");
    if (position != 0)
        return position < 0 ? -1 : position - 1;
    if (ast->kind == TN_AST_COLUMN_REF && ast->name_count == 1 && !ast->is_star) {
        int found = -1;
        for (int idx = 0; idx < list->count; idx++) {
            if (strcmp(list->names[idx], ast->names[0]) != 0)
                continue;
            if (found >= 0 && !tn_bind_expr_equal(list->exprs[found], list->exprs[idx]))
                return tn_error_set(b->err, TN_ERR_AMBIGUOUS_COLUMN, ast->location, "ORDER BY \"%s\" is ambiguous",
                                    ast->names[0]);
            if (found < 0)
                found = idx;
        }
        if (found >= 0)
            return found;
    }
    tn_expr *expr = tn_bind_expr(b, scope, ast);
    if (!expr)
        return -1;
    for (int idx = 0; idx < list->total; idx++)
        if (tn_bind_expr_equal(list->exprs[idx], expr))
            return idx;
    if (select->is_distinct)
        return tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, ast->location,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
    if (add_target(b, list, ast, expr, tn_bind_column_name(ast)) < 0)
        return -1;
    return list->total - 1;
}

/* True when the primary key of the table behind scope column `column` is
 * among the group expressions (as plain columns): then the column is
 * functionally dependent on the groups and may be used, as in PostgreSQL. */
static bool key_is_grouped(tn_binder *b, const tn_bind_scope *scope, tn_expr **groups, int group_count, int column)
{
    const tn_bind_relation *rel = NULL;
    for (int idx = 0; idx < scope->relation_count; idx++)
        if (column >= scope->relations[idx].offset &&
            column < scope->relations[idx].offset + scope->relations[idx].column_count)
            rel = &scope->relations[idx];
    if (!rel || !rel->table)
        return false;
    tn_error local = TN_ERROR_INIT;
    tn_catalog_table *def = tn_catalog_table_lookup(b->env->catalog, b->env->snapshot_id, rel->table->schema_name,
                                                    rel->table->name, b->arena, &local);
    tn_error_clear(&local);
    for (int idx = 0; def && idx < def->unique_count; idx++) {
        const tn_catalog_unique *key = &def->uniques[idx];
        if (!key->is_primary_key)
            continue;
        bool all = true;
        for (int k = 0; all && k < key->column_count; k++) {
            bool found = false;
            for (int g = 0; !found && g < group_count; g++)
                found = groups[g]->kind == TN_EXPR_COLUMN && groups[g]->column == rel->offset + key->columns[k];
            all = found;
        }
        return all;
    }
    return false;
}

/* Adds to the groups every column expr uses outside aggregates and group
 * expressions whose table's primary key is grouped. */
static int add_dependent_groups(tn_binder *b, tn_bind_scope *scope, tn_expr **groups, int *group_count, tn_expr *expr)
{
    for (int idx = 0; idx < *group_count; idx++)
        if (tn_bind_expr_equal(expr, groups[idx]))
            return 0;
    if (expr->kind == TN_EXPR_COLUMN) {
        if (expr->column < TN_BIND_AGGREGATE_BASE && key_is_grouped(b, scope, groups, *group_count, expr->column) &&
            !(groups[(*group_count)++] = tn_expr_copy(b->arena, expr)))
            return tn_error_oom(b->err);
        return 0;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (add_dependent_groups(b, scope, groups, group_count, expr->args[idx]) < 0)
            return -1;
    return 0;
}

/* A correlated subquery of an aggregating query sees the aggregate's
 * output: its references to this query's FROM row must name grouped
 * columns, and are renumbered to the group's position.  Plans reached
 * twice (copied expressions share them) are rewritten once. */
struct outer_rewrite {
    tn_binder *b;
    tn_bind_scope *scope;
    tn_expr **groups;
    int group_count;
    const tn_logical **done;
    int done_count;
};

static int rewrite_outer_expr(outer_rewrite *rw, tn_expr *expr, int depth)
{
    if (!expr)
        return 0;
    if (expr->kind == TN_EXPR_OUTER_COLUMN && expr->depth == depth) {
        for (int idx = 0; idx < rw->group_count; idx++) {
            if (rw->groups[idx]->kind == TN_EXPR_COLUMN && rw->groups[idx]->column == expr->column) {
                expr->column = idx;
                return 0;
            }
        }
        return tn_error_set(rw->b->err, TN_ERR_GROUPING_ERROR, expr->location,
                            "subquery uses ungrouped column \"%s\" from outer query",
                            tn_bind_scope_column_name(rw->b, rw->scope, expr->column));
    }
    if (expr->kind == TN_EXPR_SUBQUERY && rewrite_outer_plan(rw, expr->subquery, depth + 1) < 0)
        return -1;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (rewrite_outer_expr(rw, expr->args[idx], depth) < 0)
            return -1;
    return 0;
}

static int rewrite_outer_plan(outer_rewrite *rw, tn_logical *node, int depth)
{
    for (int idx = 0; idx < rw->done_count; idx++)
        if (rw->done[idx] == node)
            return 0;
    const tn_logical **done = tn_arena_realloc(rw->b->arena, rw->done, sizeof *done * (size_t)rw->done_count,
                                               sizeof *done * (size_t)(rw->done_count + 1));
    if (!done)
        return tn_error_oom(rw->b->err);
    done[rw->done_count++] = node;
    rw->done = done;
    int rc = rewrite_outer_expr(rw, node->predicate, depth);
    for (int idx = 0; rc == 0 && node->exprs && idx < node->column_count; idx++)
        rc = rewrite_outer_expr(rw, node->exprs[idx], depth);
    for (int idx = 0; rc == 0 && idx < node->filter_count; idx++)
        rc = rewrite_outer_expr(rw, node->filters[idx], depth);
    for (int idx = 0; rc == 0 && idx < node->group_count; idx++)
        rc = rewrite_outer_expr(rw, node->groups[idx], depth);
    for (int idx = 0; rc == 0 && idx < node->aggregate_count; idx++) {
        tn_bound_aggregate *agg = node->aggregates[idx];
        rc = rewrite_outer_expr(rw, agg->filter, depth);
        for (int arg = 0; rc == 0 && arg < agg->arg_count; arg++)
            rc = rewrite_outer_expr(rw, agg->args[arg], depth);
    }
    for (int idx = 0; rc == 0 && idx < node->sort_key_count; idx++)
        rc = rewrite_outer_expr(rw, node->sort_keys[idx].expr, depth);
    for (int idx = 0; rc == 0 && node->values && idx < node->row_count * node->column_count; idx++)
        rc = rewrite_outer_expr(rw, node->values[idx], depth);
    for (int idx = 0; rc == 0 && idx < node->child_count; idx++)
        rc = rewrite_outer_plan(rw, node->children[idx], depth);
    return rc;
}

/* Puts an expression of an aggregating query on top of the aggregate's
 * output: group expressions and aggregates become its columns; any other
 * column of the FROM row is an error. */
static int rewrite_aggregate(tn_binder *b, tn_bind_scope *scope, tn_expr **groups, int group_count, tn_expr **slot)
{
    tn_expr *expr = *slot;
    for (int idx = 0; idx < group_count; idx++) {
        if (tn_bind_expr_equal(expr, groups[idx])) {
            if (!(*slot = tn_expr_column(b->arena, idx, expr->type, expr->location)))
                return tn_error_oom(b->err);
            return 0;
        }
    }
    if (expr->kind == TN_EXPR_COLUMN) {
        if (expr->column == TN_BIND_GROUPING_CALL)
            return tn_bind_grouping_rewrite(b, groups, group_count, slot);
        if (expr->column >= TN_BIND_WINDOW_BASE)
            return 0;
        if (expr->column >= TN_BIND_AGGREGATE_BASE) {
            expr->column = group_count + expr->column - TN_BIND_AGGREGATE_BASE;
            return 0;
        }
        return tn_error_set(b->err, TN_ERR_GROUPING_ERROR, expr->location,
                            "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function",
                            tn_bind_scope_column_name(b, scope, expr->column));
    }
    if (expr->kind == TN_EXPR_SUBQUERY && expr->is_correlated) {
        outer_rewrite rewrite = {b, scope, groups, group_count, NULL, 0};
        if (rewrite_outer_plan(&rewrite, expr->subquery, 1) < 0)
            return -1;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (rewrite_aggregate(b, scope, groups, group_count, &expr->args[idx]) < 0)
            return -1;
    return 0;
}

static tn_logical *bind_plain(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent, bool resolve_unknowns)
{
    tn_bind_scope *scope = tn_bind_scope_new(b, parent);
    if (!scope || tn_bind_srf_targets(b, select) < 0)
        return NULL;
    tn_logical *plan = NULL;
    for (int idx = 0; idx < select->from_count; idx++) {
        tn_bind_scope *item_scope;
        tn_logical *item = plan && select->from[idx]->kind == TN_AST_FROM_FUNCTION
                               ? tn_bind_lateral_function(b, select->from[idx], scope, plan, parent, &item_scope)
                           : plan && select->from[idx]->is_lateral
                               ? tn_bind_lateral_subquery(b, select->from[idx], scope, plan, parent, &item_scope)
                               : tn_bind_from(b, select->from[idx], parent, &item_scope);
        if (!item || tn_bind_scope_merge(b, scope, item_scope, select->from[idx]->location) < 0)
            return NULL;
        if (!plan || item->children[0] == plan) { /* the first item, or a lateral call over those before */
            plan = item;
            continue;
        }
        tn_logical *join = tn_logical_new(b->arena, TN_LOGICAL_JOIN, plan->column_count + item->column_count);
        if (!join) {
            tn_error_oom(b->err);
            return NULL;
        }
        join->join_type = TN_JOIN_INNER;
        join->children[0] = plan;
        join->children[1] = item;
        join->child_count = 2;
        memcpy(join->types, plan->types, sizeof *join->types * (size_t)plan->column_count);
        memcpy(join->types + plan->column_count, item->types, sizeof *join->types * (size_t)item->column_count);
        memcpy(join->names, plan->names, sizeof *join->names * (size_t)plan->column_count);
        memcpy(join->names + plan->column_count, item->names, sizeof *join->names * (size_t)item->column_count);
        plan = join;
    }
    if (!plan && !(plan = tn_logical_new(b->arena, TN_LOGICAL_DUMMY_SCAN, 0))) {
        tn_error_oom(b->err);
        return NULL;
    }
    if (select->where) {
        b->clause = TN_CLAUSE_WHERE;
        tn_expr *predicate = tn_bind_condition(b, scope, select->where, "WHERE");
        b->clause = TN_CLAUSE_SELECT;
        if (!predicate || !(plan = wrap(b, TN_LOGICAL_FILTER, plan)))
            return NULL;
        plan->predicate = predicate;
    }

    target_list list = {0};
    if (expand_targets(b, select, scope, &list) < 0)
        return NULL;
    /* room for columns a grouped primary key determines (add_dependent_groups) */
    tn_expr **groups = tn_arena_zalloc(b->arena, sizeof *groups * (size_t)(select->group_count + scope->column_count + 1));
    if (!groups) {
        tn_error_oom(b->err);
        return NULL;
    }
    b->clause = TN_CLAUSE_GROUP_BY;
    for (int idx = 0; idx < select->group_count; idx++)
        if (!(groups[idx] = bind_group(b, scope, &list, select->groups[idx])))
            return NULL;
    b->clause = TN_CLAUSE_SELECT;
    for (int idx = 0; idx < list.count; idx++)
        if (!list.exprs[idx] && !(list.exprs[idx] = tn_bind_expr(b, scope, list.asts[idx])))
            return NULL;
    tn_expr *having = NULL;
    b->in_having = true;
    if (select->having && !(having = tn_bind_condition(b, scope, select->having, "HAVING")))
        return NULL;
    b->in_having = false;
    int *sort_columns = tn_arena_zalloc(b->arena, sizeof *sort_columns * (size_t)(select->sort_count + 1));
    if (!sort_columns) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int idx = 0; idx < select->sort_count; idx++)
        if ((sort_columns[idx] = bind_sort(b, select, scope, &list, &select->sorts[idx])) < 0)
            return NULL;
    int *distinct_columns = tn_arena_zalloc(b->arena, sizeof *distinct_columns * (size_t)(select->distinct_on_count + 1));
    if (!distinct_columns) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int idx = 0; idx < select->distinct_on_count; idx++) {
        tn_ast_sort on = {.expr = select->distinct_on[idx]};
        if ((distinct_columns[idx] = bind_sort(b, select, scope, &list, &on)) < 0)
            return NULL;
    }
    int group_count = select->group_count;
    uint64_t *grouping_sets = NULL;
    int grouping_set_count = 0;
    if (select->grouping_set_count > 0 &&
        tn_bind_grouping_sets(b, select, groups, &group_count, &grouping_sets, &grouping_set_count) < 0)
        return NULL;
    /* with grouping sets a group may be NULL in a row, so nothing else is
     * functionally dependent on it */
    if (group_count > 0 && grouping_set_count == 0) {
        for (int idx = 0; idx < list.total; idx++)
            if (add_dependent_groups(b, scope, groups, &group_count, list.exprs[idx]) < 0)
                return NULL;
        if (having && add_dependent_groups(b, scope, groups, &group_count, having) < 0)
            return NULL;
    }
    if (group_count > 0 || b->aggregate_count > 0 || having || select->grouping_set_count > 0) {
        tn_logical *agg = tn_logical_new(b->arena, TN_LOGICAL_AGGREGATE,
                                         group_count + b->aggregate_count + (grouping_set_count > 0));
        if (!agg) {
            tn_error_oom(b->err);
            return NULL;
        }
        agg->children[0] = plan;
        agg->child_count = 1;
        agg->groups = groups;
        agg->group_count = group_count;
        agg->aggregates = b->aggregates;
        agg->aggregate_count = b->aggregate_count;
        for (int idx = 0; idx < group_count; idx++) {
            agg->types[idx] = groups[idx]->type;
            agg->names[idx] = tn_arena_printf(b->arena, "group%d", idx + 1);
        }
        for (int idx = 0; idx < b->aggregate_count; idx++) {
            agg->types[group_count + idx] = b->aggregates[idx]->type;
            agg->names[group_count + idx] = b->aggregates[idx]->name;
        }
        agg->grouping_set_count = grouping_set_count;
        agg->grouping_sets = grouping_sets;
        b->grouping_column = grouping_set_count > 0 ? group_count + b->aggregate_count : -1;
        if (grouping_set_count > 0) {
            agg->types[b->grouping_column] = tn_type_make(TN_TYPE_INT64);
            agg->names[b->grouping_column] = "grouping_id";
        }
        plan = agg;
        for (int idx = 0; idx < list.total; idx++)
            if (rewrite_aggregate(b, scope, groups, group_count, &list.exprs[idx]) < 0)
                return NULL;
        tn_expr ***slots = tn_bind_window_slots(b);
        for (; slots && *slots; slots++)
            if (rewrite_aggregate(b, scope, groups, group_count, *slots) < 0)
                return NULL;
        if (!slots)
            return NULL;
        if (having) {
            if (rewrite_aggregate(b, scope, groups, group_count, &having) < 0 ||
                !(plan = wrap(b, TN_LOGICAL_FILTER, plan)))
                return NULL;
            plan->predicate = having;
        }
    }
    if (b->window_count > 0 && !(plan = tn_bind_window_plan(b, plan, list.exprs, list.total)))
        return NULL;
    if (resolve_unknowns) {
        for (int idx = 0; idx < list.total; idx++) {
            /* as PostgreSQL, output columns of unknown type become text */
            tn_expr *expr = list.exprs[idx];
            if (tn_bind_is_unknown(expr) || expr->type.id == TN_TYPE_NULL) {
                tn_expr *text = expr->type.id == TN_TYPE_NULL ? tn_bind_null(b, tn_type_make(TN_TYPE_TEXT))
                                                              : tn_expr_copy(b->arena, expr);
                if (!text)
                    return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
                text->depth = 0;
                text->location = expr->location;
                list.exprs[idx] = text;
            }
        }
    }
    if (!(plan = tn_bind_projection(b, plan, list.exprs, list.names, list.total)))
        return NULL;
    if (select->is_distinct && !(plan = wrap(b, TN_LOGICAL_DISTINCT, plan)))
        return NULL;
    if (select->distinct_on_count > 0 &&
        !(plan = tn_bind_distinct_on(b, plan, select, distinct_columns, sort_columns)))
        return NULL;
    if (select->sort_count > 0) {
        if (!(plan = wrap(b, TN_LOGICAL_ORDER, plan)))
            return NULL;
        plan->sort_keys = tn_arena_zalloc(b->arena, sizeof *plan->sort_keys * (size_t)select->sort_count);
        if (!plan->sort_keys) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int idx = 0; idx < select->sort_count; idx++) {
            tn_sort_key *key = &plan->sort_keys[idx];
            int column = sort_columns[idx];
            key->expr = tn_expr_column(b->arena, column, plan->types[column], select->sorts[idx].expr->location);
            if (!key->expr) {
                tn_error_oom(b->err);
                return NULL;
            }
            key->is_descending = select->sorts[idx].is_descending;
            key->nulls_first = select->sorts[idx].nulls ? select->sorts[idx].nulls == 1 : key->is_descending;
        }
        plan->sort_key_count = select->sort_count;
    }
    if (!(plan = bind_limit(b, select, plan)))
        return NULL;
    if (list.total > list.count) {
        tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs * (size_t)list.count);
        if (!exprs) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int idx = 0; idx < list.count; idx++)
            if (!(exprs[idx] = tn_expr_column(b->arena, idx, plan->types[idx], 0)))
                return tn_error_oom(b->err), NULL;
        plan = tn_bind_projection(b, plan, exprs, list.names, list.count);
    }
    return plan;
}

static int bind_count(tn_binder *b, tn_ast_expr *ast, tn_bind_scope *scope, const char *what, int64_t *out)
{
    tn_expr *expr = tn_bind_expr(b, scope, ast);
    if (!expr)
        return -1;
    if (!(expr = tn_expr_cast(b->arena, expr, tn_type_make(TN_TYPE_INT64), TN_CAST_IMPLICIT, b->err)))
        return -1;
    if (!tn_expr_is_foldable(expr))
        return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                            "%s must be a constant expression", what);
    tn_value value;
    if (tn_expr_fold(b->arena, expr, &value, b->err) < 0)
        return -1;
    if (value.is_null)
        return 1;
    if (value.u.integer < 0)
        return tn_error_set(b->err, *what == 'L' ? TN_ERR_INVALID_ROW_COUNT_IN_LIMIT : TN_ERR_INVALID_ROW_COUNT_IN_OFFSET,
                            0, "%s must not be negative", what);
    *out = value.u.integer;
    return 0;
}

static tn_logical *bind_limit(tn_binder *b, tn_ast_select *select, tn_logical *plan)
{
    if (!select->limit && !select->offset)
        return plan;
    tn_bind_scope *empty = tn_bind_scope_new(b, NULL);
    int64_t limit = -1, offset = 0;
    b->clause = TN_CLAUSE_LIMIT;
    int rc = empty ? 0 : -1;
    if (rc == 0 && select->limit)
        rc = bind_count(b, select->limit, empty, "LIMIT", &limit);
    if (rc >= 0 && select->offset)
        rc = bind_count(b, select->offset, empty, "OFFSET", &offset);
    b->clause = TN_CLAUSE_SELECT;
    if (rc < 0)
        return NULL;
    if (limit < 0 && offset == 0)
        return plan;
    tn_logical *node = wrap(b, TN_LOGICAL_LIMIT, plan);
    if (node) {
        node->limit = limit;
        node->offset = offset;
    }
    return node;
}

static tn_logical *bind_values(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent)
{
    int rows = select->values_row_count, columns = select->values_column_count;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_VALUES, columns);
    tn_bind_scope *scope = node ? tn_bind_scope_new(b, parent) : NULL;
    tn_expr **values = scope ? tn_arena_zalloc(b->arena, sizeof *values * (size_t)(rows * columns + 1)) : NULL;
    tn_expr **column = values ? tn_arena_zalloc(b->arena, sizeof *column * (size_t)(rows + 1)) : NULL;
    if (!column) {
        if (!tn_error_is_set(b->err))
            tn_error_oom(b->err);
        return NULL;
    }
    b->clause = TN_CLAUSE_VALUES;
    for (int row = 0; row < rows; row++)
        for (int col = 0; col < columns; col++)
            if (!(values[row * columns + col] = tn_bind_expr(b, scope, select->values[row][col])))
                return NULL;
    b->clause = TN_CLAUSE_SELECT;
    for (int col = 0; col < columns; col++) {
        for (int row = 0; row < rows; row++)
            column[row] = values[row * columns + col];
        tn_type type;
        if (tn_common_type(column, rows, "VALUES", &type, b->err) < 0)
            return NULL;
        for (int row = 0; row < rows; row++)
            if (!(values[row * columns + col] = tn_expr_cast(b->arena, column[row], type, TN_CAST_IMPLICIT, b->err)))
                return NULL;
        node->types[col] = type;
        node->names[col] = tn_arena_printf(b->arena, "column%d", col + 1);
    }
    node->values = values;
    node->row_count = rows;
    return bind_simple_tail(b, select, node);
}

/* ORDER BY / LIMIT over a set operation or VALUES: output names and
 * positions only. */
static tn_logical *bind_simple_tail(tn_binder *b, tn_ast_select *select, tn_logical *plan)
{
    if (select->sort_count > 0) {
        tn_logical *order = wrap(b, TN_LOGICAL_ORDER, plan);
        if (!order || !(order->sort_keys = tn_arena_zalloc(b->arena, sizeof *order->sort_keys * (size_t)select->sort_count))) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int idx = 0; idx < select->sort_count; idx++) {
            tn_ast_expr *ast = select->sorts[idx].expr;
            int column = position_of(b, ast, plan->column_count, "ORDER BY") - 1;
            if (column < -1)
                return NULL;
            if (column < 0 && ast->kind == TN_AST_COLUMN_REF && ast->name_count == 1 && !ast->is_star) {
                for (int col = 0; col < plan->column_count && column < 0; col++)
                    if (strcmp(plan->names[col], ast->names[0]) == 0)
                        column = col;
                if (column < 0) {
                    tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, ast->location, "column \"%s\" does not exist",
                                 ast->names[0]);
                    return NULL;
                }
            }
            if (column < 0) {
                tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                             "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
                tn_error_detail(b->err, "Only result column names can be used, not expressions or functions.");
                return NULL;
            }
            tn_sort_key *key = &order->sort_keys[idx];
            if (!(key->expr = tn_expr_column(b->arena, column, plan->types[column], ast->location))) {
                tn_error_oom(b->err);
                return NULL;
            }
            key->is_descending = select->sorts[idx].is_descending;
            key->nulls_first = select->sorts[idx].nulls ? select->sorts[idx].nulls == 1 : key->is_descending;
        }
        order->sort_key_count = select->sort_count;
        plan = order;
    }
    return bind_limit(b, select, plan);
}

/* Converts column `column` of a set operation branch to type. */
static tn_logical *cast_branch(tn_binder *b, tn_logical *branch, int column, tn_type type)
{
    if (tn_type_equal(branch->types[column], type))
        return branch;
    if (branch->kind != TN_LOGICAL_PROJECTION) {
        tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs * (size_t)(branch->column_count + 1));
        if (!exprs) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int col = 0; col < branch->column_count; col++)
            if (!(exprs[col] = tn_expr_column(b->arena, col, branch->types[col], 0)))
                return tn_error_oom(b->err), NULL;
        if (!(branch = tn_bind_projection(b, branch, exprs, branch->names, branch->column_count)))
            return NULL;
    }
    tn_expr *cast = tn_expr_cast(b->arena, branch->exprs[column], type, TN_CAST_IMPLICIT, b->err);
    if (!cast)
        return NULL;
    branch->exprs[column] = cast;
    branch->types[column] = type;
    return branch;
}

static tn_logical *bind_set_operation(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent)
{
    static const char *const names[] = {"", "UNION", "INTERSECT", "EXCEPT"};
    const char *construct = names[select->set_op];
    tn_logical *left = tn_bind_select(b, select->left, parent, false);
    tn_logical *right = left ? tn_bind_select(b, select->right, parent, false) : NULL;
    if (!right)
        return NULL;
    if (left->column_count != right->column_count) {
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, select->right->location,
                     "each %s query must have the same number of columns", construct);
        return NULL;
    }
    int columns = left->column_count;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_SET_OPERATION, columns);
    if (!node) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int col = 0; col < columns; col++) {
        tn_expr *pair[2];
        tn_expr left_column = {.kind = TN_EXPR_COLUMN, .type = left->types[col]};
        tn_expr right_column = {.kind = TN_EXPR_COLUMN, .type = right->types[col]};
        pair[0] = left->kind == TN_LOGICAL_PROJECTION ? left->exprs[col] : &left_column;
        pair[1] = right->kind == TN_LOGICAL_PROJECTION ? right->exprs[col] : &right_column;
        tn_type type;
        if (tn_common_type(pair, 2, construct, &type, b->err) < 0)
            return NULL;
        if (!(left = cast_branch(b, left, col, type)) || !(right = cast_branch(b, right, col, type)))
            return NULL;
        node->types[col] = type;
        node->names[col] = left->names[col];
    }
    node->set_op = select->set_op == TN_AST_SET_UNION ? TN_SET_UNION
                   : select->set_op == TN_AST_SET_INTERSECT ? TN_SET_INTERSECT
                                                            : TN_SET_EXCEPT;
    node->is_all = select->is_all;
    node->children[0] = left;
    node->children[1] = right;
    node->child_count = 2;
    node->limit = -1;
    return bind_simple_tail(b, select, node);
}
