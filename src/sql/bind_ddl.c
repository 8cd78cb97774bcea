/*
 * Checking of DDL before it is applied: CREATE TABLE's types, DEFAULT
 * expressions (bound and converted to their column's type), CHECK
 * constraints (bound over the new columns) and key columns, and the
 * catalog definition tn_sql_apply_ddl (ddl.c) records.  Existence checks
 * (42P07, 3F000, 42P01 ...) happen in ddl.c, against the transaction.
 */
#include "sql/binder.h"
#include "catalog/catalog.h"

#include <string.h>

static tn_catalog_table *bind_create_table(tn_binder *b, tn_ast_statement *stmt);

static tn_catalog_table *bind_create_table(tn_binder *b, tn_ast_statement *stmt)
{
    int count = stmt->column_def_count;
    tn_catalog_table *def = tn_arena_zalloc(b->arena, sizeof *def);
    tn_catalog_column *columns = tn_arena_zalloc(b->arena, sizeof *columns * (size_t)(count + 1));
    tn_catalog_check *checks = tn_arena_zalloc(b->arena, sizeof *checks * (size_t)(stmt->check_count + 1));
    tn_catalog_unique *uniques = tn_arena_zalloc(b->arena, sizeof *uniques * (size_t)(stmt->unique_count + 1));
    tn_bind_scope *scope = tn_bind_scope_new(b, NULL);
    tn_bind_scope *empty = tn_bind_scope_new(b, NULL);
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, stmt->target.name, count, 0) : NULL;
    if (!def || !columns || !checks || !uniques || !empty || !rel)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    for (int col = 0; col < count; col++) {
        tn_ast_column_def *in = &stmt->column_defs[col];
        if (in->type.interval_fields) {
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, in->type.location,
                         "interval columns with field restrictions are not supported yet");
            return NULL;
        }
        /* Parquet has no interval type that keeps months, days and microseconds apart. */
        if (in->type.type.id == TN_TYPE_INTERVAL) {
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, in->type.location,
                         "type interval is not supported for table columns");
            return NULL;
        }
        columns[col].name = in->name;
        columns[col].type = in->type.type;
        columns[col].is_nullable = !in->is_not_null;
        columns[col].default_sql = in->default_sql;
        rel->names[col] = in->name;
        rel->types[col] = in->type.type;
    }
    b->clause = TN_CLAUSE_DEFAULT;
    for (int col = 0; col < count; col++) {
        tn_ast_column_def *in = &stmt->column_defs[col];
        if (!in->default_expr)
            continue;
        tn_expr *expr = tn_bind_expr(b, empty, in->default_expr);
        if (!expr || !tn_bind_assign(b, expr, in->type.type, in->name))
            return NULL;
    }
    b->clause = TN_CLAUSE_CHECK;
    for (int idx = 0; idx < stmt->check_count; idx++) {
        if (!tn_bind_condition(b, scope, stmt->checks[idx].expr, "CHECK"))
            return NULL;
        checks[idx].name = stmt->checks[idx].name;
        checks[idx].sql = stmt->checks[idx].sql;
    }
    b->clause = TN_CLAUSE_SELECT;
    for (int idx = 0; idx < stmt->unique_count; idx++) {
        tn_ast_unique *in = &stmt->uniques[idx];
        int *keys = tn_arena_alloc(b->arena, sizeof *keys * (size_t)in->column_count);
        if (!keys) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int key = 0; key < in->column_count; key++) {
            keys[key] = -1;
            for (int col = 0; col < count; col++)
                if (strcmp(columns[col].name, in->columns[key]) == 0)
                    keys[key] = col;
            if (keys[key] < 0) {
                tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, in->location, "column \"%s\" named in key does not exist",
                             in->columns[key]);
                return NULL;
            }
            if (in->is_primary_key)
                columns[keys[key]].is_nullable = false;
        }
        uniques[idx].name = in->name;
        uniques[idx].is_primary_key = in->is_primary_key;
        uniques[idx].column_count = in->column_count;
        uniques[idx].columns = keys;
    }
    def->name = stmt->target.name;
    def->column_count = count;
    def->columns = columns;
    def->check_count = stmt->check_count;
    def->checks = checks;
    def->unique_count = stmt->unique_count;
    def->uniques = uniques;
    return def;
}

void *tn_bind_ddl(tn_binder *b, tn_ast_statement *stmt)
{
    tn_bind_ddl_info *info = tn_arena_zalloc(b->arena, sizeof *info);
    if (!info) {
        tn_error_oom(b->err);
        return NULL;
    }
    info->stmt = stmt;
    if (stmt->kind == TN_AST_CREATE_TABLE) {
        const char *const *path = b->env->search_path;
        info->schema = stmt->target.schema ? stmt->target.schema : path && path[0] ? path[0] : "main";
        if (!(info->table = bind_create_table(b, stmt)))
            return NULL;
    }
    if (stmt->kind == TN_AST_CREATE_VIEW && tn_bind_create_view(b, info) < 0)
        return NULL;
    return info;
}
