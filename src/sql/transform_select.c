/*
 * Transform of queries: SelectStmt (plain, VALUES, UNION/INTERSECT/EXCEPT)
 * and its FROM items (tables, joins, subqueries, table functions) into
 * tn_ast_select.  Clauses tarn does not run yet (WITH RECURSIVE, locking)
 * are refused here with 0A000.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <string.h>

static tn_ast_from *transform_from(tn_transform *tr, PgQuery__Node *node);
static int transform_alias(tn_transform *tr, PgQuery__Alias *alias, tn_ast_from *from);
static int transform_targets(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select);
static int transform_values(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select);
static int transform_tail(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select);
static int transform_with(tn_transform *tr, PgQuery__WithClause *with, tn_ast_select *select);

/* WITH [RECURSIVE]: common table expressions (recursion is the binder's). */
static int transform_with(tn_transform *tr, PgQuery__WithClause *with, tn_ast_select *select)
{
    select->ctes = tn_arena_zalloc(tr->arena, sizeof *select->ctes * (with->n_ctes + 1));
    if (!select->ctes)
        return tn_error_oom(tr->err);
    for (size_t idx = 0; idx < with->n_ctes; idx++) {
        PgQuery__CommonTableExpr *cte = with->ctes[idx]->common_table_expr;
        tn_ast_cte *out = &select->ctes[idx];
        for (size_t prev = 0; prev < idx; prev++)
            if (strcmp(select->ctes[prev].name, cte->ctename) == 0)
                return tn_error_set(tr->err, TN_ERR_DUPLICATE_ALIAS, tn_transform_location(tr, cte->location),
                                    "WITH query name \"%s\" specified more than once", cte->ctename);
        if (cte->ctequery->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
            return tn_transform_unsupported(tr, cte->location, "data-modifying statements in WITH are not supported yet");
        out->name = cte->ctename;
        out->is_recursive = with->recursive;
        out->materialized = cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways  ? 1
                            : cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever ? -1 : 0;
        if (cte->n_aliascolnames > 0) {
            out->column_aliases = tn_arena_alloc(tr->arena, sizeof *out->column_aliases * cte->n_aliascolnames);
            if (!out->column_aliases)
                return tn_error_oom(tr->err);
            for (size_t col = 0; col < cte->n_aliascolnames; col++)
                out->column_aliases[col] = cte->aliascolnames[col]->string->sval;
            out->column_alias_count = (int)cte->n_aliascolnames;
        }
        if (!(out->query = tn_transform_select(tr, cte->ctequery->select_stmt)))
            return -1;
    }
    select->cte_count = (int)with->n_ctes;
    return 0;
}

static int transform_alias(tn_transform *tr, PgQuery__Alias *alias, tn_ast_from *from)
{
    if (!alias)
        return 0;
    from->alias = alias->aliasname;
    if (alias->n_colnames == 0)
        return 0;
    from->column_aliases = tn_arena_alloc(tr->arena, sizeof *from->column_aliases * alias->n_colnames);
    if (!from->column_aliases)
        return tn_error_oom(tr->err);
    for (size_t idx = 0; idx < alias->n_colnames; idx++)
        from->column_aliases[idx] = alias->colnames[idx]->string->sval;
    from->column_alias_count = (int)alias->n_colnames;
    return 0;
}

static tn_ast_from *transform_from(tn_transform *tr, PgQuery__Node *node)
{
    tn_ast_from *from = tn_arena_zalloc(tr->arena, sizeof *from);
    if (!from) {
        tn_error_oom(tr->err);
        return NULL;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: {
        PgQuery__RangeVar *var = node->range_var;
        from->kind = TN_AST_FROM_TABLE;
        from->location = tn_transform_location(tr, var->location);
        if (var->catalogname[0]) {
            tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, from->location,
                         "cross-database references are not implemented: \"%s.%s.%s\"", var->catalogname,
                         var->schemaname, var->relname);
            return NULL;
        }
        from->schema = var->schemaname[0] ? var->schemaname : NULL;
        from->name = var->relname;
        return transform_alias(tr, var->alias, from) < 0 ? NULL : from;
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR: {
        PgQuery__JoinExpr *join = node->join_expr;
        from->kind = TN_AST_FROM_JOIN;
        switch (join->jointype) {
        case PG_QUERY__JOIN_TYPE__JOIN_LEFT: from->join_kind = TN_AST_JOIN_LEFT; break;
        case PG_QUERY__JOIN_TYPE__JOIN_RIGHT: from->join_kind = TN_AST_JOIN_RIGHT; break;
        case PG_QUERY__JOIN_TYPE__JOIN_FULL: from->join_kind = TN_AST_JOIN_FULL; break;
        default:
            from->join_kind = join->quals || join->is_natural || join->n_using_clause ? TN_AST_JOIN_INNER
                                                                                       : TN_AST_JOIN_CROSS;
        }
        if (join->alias || join->join_using_alias) {
            tn_transform_unsupported(tr, -1, "aliases on joins are not supported yet");
            return NULL;
        }
        from->is_natural = join->is_natural;
        if (join->n_using_clause > 0) {
            from->using_names = tn_arena_alloc(tr->arena, sizeof *from->using_names * join->n_using_clause);
            if (!from->using_names) {
                tn_error_oom(tr->err);
                return NULL;
            }
            for (size_t idx = 0; idx < join->n_using_clause; idx++)
                from->using_names[idx] = join->using_clause[idx]->string->sval;
            from->using_count = (int)join->n_using_clause;
        }
        if (!(from->left = transform_from(tr, join->larg)) || !(from->right = transform_from(tr, join->rarg)))
            return NULL;
        if (join->quals && !(from->condition = tn_transform_expr(tr, join->quals)))
            return NULL;
        return from;
    }
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
        PgQuery__RangeSubselect *sub = node->range_subselect;
        from->kind = TN_AST_FROM_SUBQUERY;
        from->is_lateral = sub->lateral;
        if (!(from->subquery = tn_transform_select(tr, sub->subquery->select_stmt)))
            return NULL;
        from->location = from->subquery->location;
        if (!sub->alias) {
            tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, from->location, "subquery in FROM must have an alias");
            tn_error_hint(tr->err, "For example, FROM (SELECT ...) [AS] foo.");
            return NULL;
        }
        return transform_alias(tr, sub->alias, from) < 0 ? NULL : from;
    }
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
        PgQuery__RangeFunction *range = node->range_function;
        from->kind = TN_AST_FROM_FUNCTION;
        from->with_ordinality = range->ordinality;
        if (range->is_rowsfrom || range->n_functions != 1 ||
            range->n_coldeflist > 0) {
            tn_transform_unsupported(tr, -1, "this form of function in FROM is not supported yet");
            return NULL;
        }
        PgQuery__List *pair = range->functions[0]->list;
        if (!(from->function = tn_transform_expr(tr, pair->items[0])))
            return NULL;
        from->location = from->function->location;
        if (from->function->kind != TN_AST_FUNCTION) {
            tn_transform_unsupported(tr, -1, "this form of function in FROM is not supported yet");
            return NULL;
        }
        return transform_alias(tr, range->alias, from) < 0 ? NULL : from;
    }
    default:
        tn_transform_unsupported(tr, -1, "this kind of FROM item is not supported yet");
        return NULL;
    }
}

static int transform_targets(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select)
{
    select->targets = tn_arena_zalloc(tr->arena, sizeof *select->targets * (stmt->n_target_list + 1));
    if (!select->targets)
        return tn_error_oom(tr->err);
    for (size_t idx = 0; idx < stmt->n_target_list; idx++) {
        PgQuery__ResTarget *target = stmt->target_list[idx]->res_target;
        if (target->n_indirection > 0)
            return tn_transform_unsupported(tr, target->location, "indirection is not supported yet");
        tn_ast_target *out = &select->targets[idx];
        out->location = tn_transform_location(tr, target->location);
        out->alias = target->name[0] ? target->name : NULL;
        if (!(out->expr = tn_transform_expr(tr, target->val)))
            return -1;
    }
    select->target_count = (int)stmt->n_target_list;
    return 0;
}

static int transform_values(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select)
{
    int rows = (int)stmt->n_values_lists;
    select->values = tn_arena_alloc(tr->arena, sizeof *select->values * (size_t)rows);
    if (!select->values)
        return tn_error_oom(tr->err);
    for (int row = 0; row < rows; row++) {
        PgQuery__List *list = stmt->values_lists[row]->list;
        if (row == 0)
            select->values_column_count = (int)list->n_items;
        else if ((int)list->n_items != select->values_column_count)
            return tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR,
                                tn_transform_location(tr, -1),
                                "VALUES lists must all be the same length");
        select->values[row] = tn_arena_alloc(tr->arena, sizeof **select->values * (list->n_items + 1));
        if (!select->values[row])
            return tn_error_oom(tr->err);
        for (size_t col = 0; col < list->n_items; col++)
            if (!(select->values[row][col] = tn_transform_expr(tr, list->items[col])))
                return -1;
    }
    select->values_row_count = rows;
    return 0;
}

/* ORDER BY, LIMIT, OFFSET: they apply to set operations as well. */
static int transform_tail(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select)
{
    if (stmt->limit_option == PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_WITH_TIES)
        return tn_transform_unsupported(tr, -1, "FETCH ... WITH TIES is not supported yet");
    if (stmt->n_sort_clause > 0 && tn_transform_sorts(tr, stmt->sort_clause, stmt->n_sort_clause, &select->sorts) < 0)
        return -1;
    select->sort_count = (int)stmt->n_sort_clause;
    if (stmt->limit_count && !(select->limit = tn_transform_expr(tr, stmt->limit_count)))
        return -1;
    if (stmt->limit_offset && !(select->offset = tn_transform_expr(tr, stmt->limit_offset)))
        return -1;
    return 0;
}

tn_ast_select *tn_transform_select(tn_transform *tr, PgQuery__SelectStmt *stmt)
{
    tn_ast_select *select = tn_arena_zalloc(tr->arena, sizeof *select);
    if (!select) {
        tn_error_oom(tr->err);
        return NULL;
    }
    if (stmt->with_clause && transform_with(tr, stmt->with_clause, select) < 0)
        return NULL;
    if (stmt->into_clause) {
        tn_transform_unsupported(tr, -1, "SELECT INTO is not supported yet");
        return NULL;
    }
    if (stmt->n_locking_clause > 0 || stmt->group_distinct) {
        tn_transform_unsupported(tr, -1,
                                 stmt->group_distinct ? "GROUP BY DISTINCT is not supported yet"
                                                      : "locking clauses are not supported yet");
        return NULL;
    }
    if (stmt->n_window_clause > 0) {
        select->windows = tn_arena_zalloc(tr->arena, sizeof *select->windows * stmt->n_window_clause);
        if (!select->windows) {
            tn_error_oom(tr->err);
            return NULL;
        }
        for (size_t idx = 0; idx < stmt->n_window_clause; idx++) {
            tn_ast_window *window = tn_transform_window(tr, stmt->window_clause[idx]->window_def);
            if (!window)
                return NULL;
            select->windows[idx] = *window;
        }
        select->window_count = (int)stmt->n_window_clause;
    }
    if (stmt->n_target_list > 0)
        select->location = tn_transform_location(tr, stmt->target_list[0]->res_target->location);
    if (stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE) {
        select->set_op = stmt->op == PG_QUERY__SET_OPERATION__SETOP_UNION       ? TN_AST_SET_UNION
                         : stmt->op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT ? TN_AST_SET_INTERSECT
                                                                                : TN_AST_SET_EXCEPT;
        select->is_all = stmt->all;
        if (!(select->left = tn_transform_select(tr, stmt->larg)) ||
            !(select->right = tn_transform_select(tr, stmt->rarg)))
            return NULL;
        select->location = select->left->location;
        return transform_tail(tr, stmt, select) < 0 ? NULL : select;
    }
    if (stmt->n_values_lists > 0)
        return transform_values(tr, stmt, select) < 0 || transform_tail(tr, stmt, select) < 0 ? NULL : select;

    if (stmt->n_distinct_clause > 0) {
        if (stmt->distinct_clause[0]->node_case != PG_QUERY__NODE__NODE__NOT_SET) {
            select->distinct_on = tn_arena_zalloc(tr->arena, sizeof *select->distinct_on * stmt->n_distinct_clause);
            if (!select->distinct_on) {
                tn_error_oom(tr->err);
                return NULL;
            }
            for (size_t idx = 0; idx < stmt->n_distinct_clause; idx++)
                if (!(select->distinct_on[idx] = tn_transform_expr(tr, stmt->distinct_clause[idx])))
                    return NULL;
            select->distinct_on_count = (int)stmt->n_distinct_clause;
        } else {
            select->is_distinct = true;
        }
    }
    if (transform_targets(tr, stmt, select) < 0)
        return NULL;
    if (stmt->n_from_clause > 0) {
        select->from = tn_arena_alloc(tr->arena, sizeof *select->from * stmt->n_from_clause);
        if (!select->from) {
            tn_error_oom(tr->err);
            return NULL;
        }
        for (size_t idx = 0; idx < stmt->n_from_clause; idx++)
            if (!(select->from[idx] = transform_from(tr, stmt->from_clause[idx])))
                return NULL;
        select->from_count = (int)stmt->n_from_clause;
    }
    if (stmt->where_clause && !(select->where = tn_transform_expr(tr, stmt->where_clause)))
        return NULL;
    if (tn_transform_group_by(tr, stmt, select) < 0)
        return NULL;
    if (stmt->having_clause && !(select->having = tn_transform_expr(tr, stmt->having_clause)))
        return NULL;
    return transform_tail(tr, stmt, select) < 0 ? NULL : select;
}
