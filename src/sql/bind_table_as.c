/*
 * CREATE TABLE name [(columns)] AS query [WITH [NO] DATA] (and SELECT ...
 * INTO name): one statement, one commit that creates the table and holds
 * its rows.  The binder binds the query, derives the table definition from
 * its output (names, or the ones given; unknown and NULL columns become
 * text as in PostgreSQL 15) and plans an INSERT of the query into a
 * tn_table built from that definition.  The statement is DML carrying DDL:
 * the session applies the DDL first (ddl.c creates the table in the
 * transaction and gives the planned table its transaction-local id), then
 * runs the INSERT in the same transaction.  WITH NO DATA is plain DDL.
 */
#include "sql/binder.h"
#include "catalog/catalog.h"
#include "storage/table.h"

#include <string.h>

tn_logical *tn_bind_create_table_as(tn_binder *b, tn_ast_statement *stmt, tn_statement *out)
{
    tn_bind_ddl_info *info = tn_arena_zalloc(b->arena, sizeof *info);
    tn_logical *query = info ? tn_bind_select(b, stmt->select, NULL, true) : NULL;
    if (!query)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    int count = query->column_count;
    if (stmt->column_count > count) {
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, 0, "too many column names were specified");
        return NULL;
    }
    tn_catalog_table *def = tn_arena_zalloc(b->arena, sizeof *def);
    tn_catalog_column *columns = tn_arena_zalloc(b->arena, sizeof *columns * (size_t)(count + 1));
    tn_expr **exprs = tn_arena_zalloc(b->arena, sizeof *exprs * (size_t)(count + 1));
    const char **names = tn_arena_zalloc(b->arena, sizeof *names * (size_t)(count + 1));
    if (!def || !columns || !exprs || !names) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int col = 0; col < count; col++) {
        tn_catalog_column *column = &columns[col];
        column->id = col + 1;
        column->name = col < stmt->column_count ? stmt->columns[col] : query->names[col];
        column->type = query->types[col].id == TN_TYPE_NULL ? tn_type_make(TN_TYPE_TEXT) : query->types[col];
        column->is_nullable = true;
        for (int prev = 0; prev < col; prev++)
            if (strcmp(columns[prev].name, column->name) == 0) {
                tn_error_set(b->err, TN_ERR_DUPLICATE_COLUMN, 0, "column \"%s\" specified more than once",
                             column->name);
                return NULL;
            }
        if (column->type.id == TN_TYPE_INTERVAL) {
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "type interval is not supported for table columns");
            return NULL;
        }
        tn_expr *ref = tn_expr_column(b->arena, col, query->types[col], 0);
        if (!ref || !(exprs[col] = tn_bind_assign(b, ref, column->type, column->name)))
            return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
        names[col] = column->name;
    }
    def->name = stmt->target.name;
    def->column_count = count;
    def->columns = columns;
    const char *const *path = b->env->search_path;
    info->stmt = stmt;
    info->schema = stmt->target.schema ? stmt->target.schema : path && path[0] ? path[0] : "main";
    info->table = def;
    out->ddl = info;
    out->operation = tn_arena_printf(b->arena, "CREATE TABLE %s", stmt->target.name);
    if (stmt->skip_data) {
        out->kind = TN_STATEMENT_DDL;
        out->tag = "CREATE TABLE AS";
        return query;
    }
    const tn_sql_env *env = b->env;
    info->insert_table = tn_table_from_definition(env->catalog, env->lake_dir, env->snapshot_id, info->schema, def, 0,
                                                  b->arena, b->err);
    tn_logical *source = info->insert_table ? tn_bind_projection(b, query, exprs, names, count) : NULL;
    tn_logical *insert = source ? tn_logical_new(b->arena, TN_LOGICAL_INSERT, 0) : NULL;
    if (!insert)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    insert->table = info->insert_table;
    insert->children[0] = source;
    insert->child_count = 1;
    out->kind = TN_STATEMENT_DML;
    return insert;
}
