/*
 * Transform of the DDL defined by a query.  CREATE [OR REPLACE] VIEW: the
 * view's name, its column aliases, its query (transformed now, so that
 * unsupported constructs are refused when the view is created rather than
 * when it is used) and the query deparsed back into SQL text, which is
 * what the catalog keeps and what the binder parses again wherever the
 * view is used.  CREATE TABLE AS (and SELECT INTO, which PostgreSQL's
 * grammar turns into it): the new table's name, column names and query.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

tn_ast_statement *tn_transform_create_view(tn_transform *tr, PgQuery__ViewStmt *in)
{
    PgQuery__RangeVar *var = in->view;
    if (var->relpersistence[0] == 't') {
        tn_transform_unsupported(tr, var->location, "temporary views are not supported yet");
        return NULL;
    }
    if (var->catalogname[0]) {
        tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, tn_transform_location(tr, var->location),
                     "cross-database references are not implemented: \"%s.%s.%s\"", var->catalogname,
                     var->schemaname, var->relname);
        return NULL;
    }
    if (in->n_options > 0 || in->with_check_option != PG_QUERY__VIEW_CHECK_OPTION__NO_CHECK_OPTION) {
        tn_transform_unsupported(tr, var->location, "view options and WITH CHECK OPTION are not supported yet");
        return NULL;
    }
    if (in->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        tn_transform_unsupported(tr, var->location, "a view must be defined by a SELECT");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    const char **columns = tn_arena_zalloc(tr->arena, sizeof *columns * (in->n_aliases + 1));
    if (!stmt || !columns) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_CREATE_VIEW;
    stmt->tag = "CREATE VIEW";
    stmt->target.schema = var->schemaname[0] ? var->schemaname : NULL;
    stmt->target.name = var->relname;
    stmt->target.location = tn_transform_location(tr, var->location);
    stmt->or_replace = in->replace;
    for (size_t idx = 0; idx < in->n_aliases; idx++)
        columns[idx] = in->aliases[idx]->string->sval;
    stmt->columns = columns;
    stmt->column_count = (int)in->n_aliases;
    if (!(stmt->select = tn_transform_select(tr, in->query->select_stmt)))
        return NULL;
    stmt->view_sql = tn_sql_deparse_statement(tr, in->query);
    return stmt->view_sql ? stmt : NULL;
}

/* SELECT ... INTO t ...: CREATE TABLE t AS the query without its INTO. */
tn_ast_statement *tn_transform_select_into(tn_transform *tr, PgQuery__SelectStmt *in)
{
    PgQuery__SelectStmt query = *in;
    query.into_clause = NULL;
    PgQuery__Node query_node = PG_QUERY__NODE__INIT;
    query_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    query_node.select_stmt = &query;
    PgQuery__CreateTableAsStmt create = PG_QUERY__CREATE_TABLE_AS_STMT__INIT;
    create.query = &query_node;
    create.into = in->into_clause;
    create.objtype = PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
    create.is_select_into = true;
    return tn_transform_create_table_as(tr, &create);
}

tn_ast_statement *tn_transform_create_table_as(tn_transform *tr, PgQuery__CreateTableAsStmt *in)
{
    PgQuery__IntoClause *into = in->into;
    PgQuery__RangeVar *var = into->rel;
    if (in->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        tn_transform_unsupported(tr, var->location, "materialized views are not supported yet");
        return NULL;
    }
    if (var->relpersistence[0] == 't') {
        tn_transform_unsupported(tr, var->location, "temporary tables are not supported yet");
        return NULL;
    }
    if (in->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
        tn_transform_unsupported(tr, var->location, "CREATE TABLE AS EXECUTE is not supported yet");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    const char **columns = tn_arena_zalloc(tr->arena, sizeof *columns * (into->n_col_names + 1));
    if (!stmt || !columns) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_CREATE_TABLE_AS;
    stmt->tag = "SELECT";
    stmt->target.schema = var->schemaname[0] ? var->schemaname : NULL;
    stmt->target.name = var->relname;
    stmt->target.location = tn_transform_location(tr, var->location);
    stmt->if_exists = in->if_not_exists;
    stmt->skip_data = into->skip_data;
    for (size_t idx = 0; idx < into->n_col_names; idx++)
        columns[idx] = into->col_names[idx]->string->sval;
    stmt->columns = columns;
    stmt->column_count = (int)into->n_col_names;
    return (stmt->select = tn_transform_select(tr, in->query->select_stmt)) ? stmt : NULL;
}
