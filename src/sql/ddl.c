/*
 * Applying DDL to a catalog transaction: CREATE/DROP SCHEMA and CREATE/DROP
 * TABLE (views: bind_view.c), with PostgreSQL's existence errors (42P06, 3F000, 42P07, 42P01)
 * checked at the statement's snapshot and IF [NOT] EXISTS turning them
 * into silent no-ops.  The catalog itself rejects what a concurrent commit
 * made invalid.  Indexes and other utilities never reach this file.
 */
#include "catalog/catalog.h"
#include "sql/binder.h"

static int schema_exists(const tn_sql_env *env, const char *name, tn_arena *arena, tn_error *err);

static int schema_exists(const tn_sql_env *env, const char *name, tn_arena *arena, tn_error *err)
{
    tn_catalog_schema schema;
    return tn_catalog_schema_lookup(env->catalog, env->snapshot_id, name, arena, &schema, err);
}

int tn_sql_apply_ddl(const tn_sql_env *env, tn_statement *statement, tn_catalog_txn *txn, tn_error *err)
{
    tn_bind_ddl_info *info = statement->ddl;
    tn_ast_statement *stmt = info->stmt;
    tn_arena *arena = tn_arena_create();
    if (!arena)
        return tn_error_oom(err);
    int rc = 0;
    switch (stmt->kind) {
    case TN_AST_CREATE_SCHEMA: {
        int exists = schema_exists(env, stmt->target.name, arena, err);
        if (exists < 0)
            rc = -1;
        else if (exists && !stmt->if_exists)
            rc = tn_error_set(err, TN_ERR_DUPLICATE_SCHEMA, 0, "schema \"%s\" already exists", stmt->target.name);
        else if (!exists)
            rc = tn_catalog_txn_create_schema(txn, stmt->target.name, err);
        break;
    }
    case TN_AST_DROP_SCHEMA:
        for (int idx = 0; rc == 0 && idx < stmt->name_count; idx++) {
            const char *name = stmt->names[idx].name;
            int exists = schema_exists(env, name, arena, err);
            if (exists < 0)
                rc = -1;
            else if (!exists && !stmt->if_exists)
                rc = tn_error_set(err, TN_ERR_INVALID_SCHEMA_NAME, 0, "schema \"%s\" does not exist", name);
            else if (exists)
                rc = tn_catalog_txn_drop_schema(txn, name, stmt->cascade, err);
        }
        break;
    case TN_AST_CREATE_TABLE:
    case TN_AST_CREATE_TABLE_AS: {
        int exists = schema_exists(env, info->schema, arena, err);
        if (exists <= 0) {
            rc = exists < 0 ? -1
                            : tn_error_set(err, TN_ERR_INVALID_SCHEMA_NAME, stmt->target.location,
                                           "schema \"%s\" does not exist", info->schema);
            break;
        }
        tn_catalog_table *table = tn_catalog_table_lookup(env->catalog, env->snapshot_id, info->schema,
                                                          stmt->target.name, arena, err);
        if (!table && tn_error_is_set(err))
            rc = -1;
        else if (table && !stmt->if_exists)
            rc = tn_error_set(err, TN_ERR_DUPLICATE_TABLE, 0, "relation \"%s\" already exists", stmt->target.name);
        else if (table)
            rc = 1;
        else {
            int64_t table_id;
            rc = tn_catalog_txn_create_table(txn, info->schema, info->table, &table_id, err);
            if (info->insert_table)
                info->insert_table->table_id = table_id;
        }
        break;
    }
    case TN_AST_DROP_TABLE:
        for (int idx = 0; rc == 0 && idx < stmt->name_count; idx++) {
            tn_ast_name *name = &stmt->names[idx];
            const char *const *path = env->search_path;
            static const char *const default_path[] = {"main", NULL};
            if (!path)
                path = default_path;
            tn_catalog_table *table = NULL;
            if (name->schema) {
                table = tn_catalog_table_lookup(env->catalog, env->snapshot_id, name->schema, name->name, arena, err);
            } else {
                for (int p = 0; !table && !tn_error_is_set(err) && path[p]; p++)
                    table = tn_catalog_table_lookup(env->catalog, env->snapshot_id, path[p], name->name, arena, err);
            }
            if (!table && tn_error_is_set(err))
                rc = -1;
            else if (!table && tn_bind_refuse_not_table(env, name->schema, name->name, err) < 0)
                rc = -1;
            else if (!table && !stmt->if_exists)
                rc = name->schema ? tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "table \"%s.%s\" does not exist",
                                                 name->schema, name->name)
                                  : tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "table \"%s\" does not exist",
                                                 name->name);
            else if (table)
                rc = tn_catalog_txn_drop_table_cascade(txn, table->id, stmt->cascade, err);
        }
        break;
    case TN_AST_CREATE_VIEW:
    case TN_AST_DROP_VIEW:
        rc = tn_sql_apply_view_ddl(env, info, txn, err);
        break;
    default:
        rc = tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "statement is not DDL");
    }
    tn_arena_destroy(arena);
    return rc;
}
