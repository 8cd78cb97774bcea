/*
 * tn_sql_prepare: parse one statement, bind it for the session's snapshot
 * and principal, and optimize its plan.  The statement kind tells the
 * session how to run it (query, write in a catalog transaction, DDL,
 * utility).
 */
#include "sql/binder.h"
#include "storage/table.h"

#include <limits.h>

static tn_logical *bind_plan(tn_binder *b, tn_ast_statement *ast, tn_statement *out);

static tn_logical *bind_plan(tn_binder *b, tn_ast_statement *ast, tn_statement *out)
{
    tn_logical *plan;
    switch (ast->kind) {
    case TN_AST_SELECT:
        out->kind = TN_STATEMENT_QUERY;
        return tn_bind_select(b, ast->select, NULL, true);
    case TN_AST_INSERT:
    case TN_AST_UPDATE:
    case TN_AST_DELETE:
        out->kind = TN_STATEMENT_DML;
        plan = ast->kind == TN_AST_INSERT   ? tn_bind_insert(b, ast)
               : ast->kind == TN_AST_UPDATE ? tn_bind_update(b, ast)
                                            : tn_bind_delete(b, ast);
        if (plan)
            out->operation = tn_arena_printf(b->arena, "%s %s.%s",
                                             ast->kind == TN_AST_INSERT   ? "insert into"
                                             : ast->kind == TN_AST_UPDATE ? "update"
                                                                          : "delete from",
                                             plan->table->schema_name, plan->table->name);
        return plan;
    default:
        break;
    }
    /* EXPLAIN */
    tn_logical *inner = bind_plan(b, ast->explained, out);
    if (!inner)
        return NULL;
    if (out->kind == TN_STATEMENT_DML && !ast->is_analyze)
        out->kind = TN_STATEMENT_QUERY;
    plan = tn_logical_new(b->arena, TN_LOGICAL_EXPLAIN, 1);
    if (!plan) {
        tn_error_oom(b->err);
        return NULL;
    }
    plan->children[0] = inner;
    plan->child_count = 1;
    plan->types[0] = tn_type_make(TN_TYPE_TEXT);
    plan->names[0] = "QUERY PLAN";
    plan->is_analyze = ast->is_analyze;
    return plan;
}

tn_statement *tn_sql_prepare(const tn_sql_env *env, const char *sql, int offset, int length, tn_arena *arena,
                             tn_error *err)
{
    tn_ast_statement *ast = tn_sql_parse(sql + offset, length, offset, arena, err);
    if (!ast)
        return NULL;
    tn_statement *out = tn_arena_zalloc(arena, sizeof *out);
    if (!out) {
        tn_error_oom(err);
        return NULL;
    }
    out->tag = ast->tag;
    tn_binder binder = {.env = env, .arena = arena, .err = err, .clause = TN_CLAUSE_SELECT, .min_level = INT_MAX};
    switch (ast->kind) {
    case TN_AST_UTILITY:
        out->kind = TN_STATEMENT_UTILITY;
        out->timezone_setting = ast->timezone_setting;
        return out;
    case TN_AST_CREATE_SCHEMA:
    case TN_AST_DROP_SCHEMA:
    case TN_AST_CREATE_TABLE:
    case TN_AST_DROP_TABLE:
    case TN_AST_CREATE_VIEW:
    case TN_AST_DROP_VIEW:
        out->kind = TN_STATEMENT_DDL;
        if (!(out->ddl = tn_bind_ddl(&binder, ast)))
            return NULL;
        out->operation = ast->kind == TN_AST_CREATE_SCHEMA || ast->kind == TN_AST_CREATE_TABLE ||
                                 ast->kind == TN_AST_CREATE_VIEW
                             ? tn_arena_printf(arena, "%s %s", ast->tag, ast->target.name)
                             : ast->tag;
        return out;
    case TN_AST_PREPARE:
    case TN_AST_EXECUTE:
    case TN_AST_DEALLOCATE:
        return tn_bind_prepared(&binder, ast, out) < 0 ? NULL : out;
    case TN_AST_CREATE_TABLE_AS: {
        tn_logical *plan = tn_bind_create_table_as(&binder, ast, out);
        if (!plan || (out->kind == TN_STATEMENT_DML && !(out->plan = tn_optimize(arena, plan, err))))
            return NULL;
        return out;
    }
    default:
        break;
    }
    tn_logical *plan = bind_plan(&binder, ast, out);
    if (!plan || !(out->plan = tn_optimize(arena, plan, err)))
        return NULL;
    return out;
}
