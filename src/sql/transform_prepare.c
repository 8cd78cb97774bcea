/*
 * Transform of PREPARE name [(types)] AS statement, EXECUTE name [(args)]
 * and DEALLOCATE [PREPARE] name | ALL.  PREPARE keeps the statement as
 * deparsed SQL text (what the session stores and binds again at each
 * EXECUTE) and counts its parameters: the declared ones, or the highest
 * $n it uses when that is more (those take their argument's type).
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>

/* The highest $n in sql (0 when none), from PostgreSQL's scanner. */
static int highest_parameter(tn_transform *tr, const char *sql)
{
    PgQueryScanResult result = pg_query_scan(sql);
    if (result.error) {
        tn_error_set(tr->err, TN_ERR_INTERNAL_ERROR, 0, "could not scan a deparsed statement: %s",
                     result.error->message);
        pg_query_free_scan_result(result);
        return -1;
    }
    PgQuery__ScanResult *scan =
        pg_query__scan_result__unpack(NULL, result.pbuf.len, (const uint8_t *)result.pbuf.data);
    pg_query_free_scan_result(result);
    if (!scan)
        return tn_error_oom(tr->err);
    int highest = 0;
    for (size_t idx = 0; idx < scan->n_tokens; idx++) {
        PgQuery__ScanToken *token = scan->tokens[idx];
        if (token->token != PG_QUERY__TOKEN__PARAM)
            continue;
        int number = atoi(sql + token->start + 1);
        if (number > highest)
            highest = number;
    }
    pg_query__scan_result__free_unpacked(scan, NULL);
    return highest;
}

static tn_ast_statement *transform_prepare(tn_transform *tr, PgQuery__PrepareStmt *in, tn_ast_statement *stmt)
{
    PgQuery__Node__NodeCase kind = in->query->node_case;
    if (kind != PG_QUERY__NODE__NODE_SELECT_STMT && kind != PG_QUERY__NODE__NODE_INSERT_STMT &&
        kind != PG_QUERY__NODE__NODE_UPDATE_STMT && kind != PG_QUERY__NODE__NODE_DELETE_STMT) {
        tn_transform_unsupported(tr, -1, "only SELECT, VALUES, INSERT, UPDATE and DELETE can be prepared");
        return NULL;
    }
    stmt->kind = TN_AST_PREPARE;
    stmt->tag = "PREPARE";
    if (!(stmt->view_sql = tn_sql_deparse_statement(tr, in->query)))
        return NULL;
    int highest = highest_parameter(tr, stmt->view_sql);
    if (highest < 0)
        return NULL;
    stmt->param_count = highest > (int)in->n_argtypes ? highest : (int)in->n_argtypes;
    stmt->param_types = tn_arena_zalloc(tr->arena, sizeof *stmt->param_types * (size_t)(stmt->param_count + 1));
    if (!stmt->param_types) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < in->n_argtypes; idx++)
        if (tn_transform_type(tr, in->argtypes[idx]->type_name, &stmt->param_types[idx]) < 0)
            return NULL;
    return stmt;
}

tn_ast_statement *tn_transform_prepared(tn_transform *tr, PgQuery__Node *node)
{
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
        stmt->target.name = node->prepare_stmt->name;
        return transform_prepare(tr, node->prepare_stmt, stmt);
    case PG_QUERY__NODE__NODE_EXECUTE_STMT: {
        PgQuery__ExecuteStmt *in = node->execute_stmt;
        stmt->kind = TN_AST_EXECUTE;
        stmt->tag = "EXECUTE";
        stmt->target.name = in->name;
        stmt->args = tn_arena_zalloc(tr->arena, sizeof *stmt->args * (in->n_params + 1));
        if (!stmt->args) {
            tn_error_oom(tr->err);
            return NULL;
        }
        for (size_t idx = 0; idx < in->n_params; idx++)
            if (!(stmt->args[idx] = tn_transform_expr(tr, in->params[idx])))
                return NULL;
        stmt->arg_count = (int)in->n_params;
        return stmt;
    }
    default:
        stmt->kind = TN_AST_DEALLOCATE;
        stmt->target.name = node->deallocate_stmt->name && node->deallocate_stmt->name[0] ? node->deallocate_stmt->name
                                                                                          : NULL;
        stmt->tag = stmt->target.name ? "DEALLOCATE" : "DEALLOCATE ALL";
        return stmt;
    }
}
