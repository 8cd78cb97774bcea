/*
 * Transform entry: one libpg_query statement node to a tn_ast_statement,
 * dispatching to transform_select.c, transform_dml.c and transform_ddl.c,
 * plus the helpers every transform file shares (locations, "not supported"
 * errors).  EXPLAIN and the utility statements tarn accepts without effect
 * are handled here because they are a few lines each.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <string.h>

static tn_ast_statement *transform_explain(tn_transform *tr, PgQuery__ExplainStmt *stmt);
static tn_ast_statement *transform_transaction(tn_transform *tr, PgQuery__TransactionStmt *stmt);
static tn_ast_statement *new_statement(tn_transform *tr, tn_ast_statement_kind kind, const char *tag);
static tn_ast_statement *transform_set(tn_transform *tr, PgQuery__VariableSetStmt *stmt);
static tn_ast_statement *transform_set_timezone(tn_transform *tr, PgQuery__VariableSetStmt *stmt);

/* SET of a setting that cannot change a result (what drivers send when
 * they connect) is accepted without effect; any other SET is refused,
 * since ignoring e.g. TimeZone or search_path would give wrong answers. */
static tn_ast_statement *transform_set(tn_transform *tr, PgQuery__VariableSetStmt *stmt)
{
    static const char *const harmless[] = {
        "application_name", "client_encoding", "extra_float_digits", "statement_timeout",
        "lock_timeout", "idle_in_transaction_session_timeout", "client_min_messages",
        "rw_implicit_flush",
    };
    for (size_t idx = 0; idx < sizeof harmless / sizeof harmless[0]; idx++)
        if (strcmp(stmt->name, harmless[idx]) == 0)
            return new_statement(tr, TN_AST_UTILITY, "SET");
    if (strcmp(stmt->name, "timezone") == 0)
        return transform_set_timezone(tr, stmt);
    tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "SET %s is not supported yet",
                 stmt->name[0] ? stmt->name : "of this kind");
    return NULL;
}

/* SET TimeZone / SET TIME ZONE / RESET TimeZone: the session applies the
 * value (statement->timezone_setting, "" for the default, UTC). */
static tn_ast_statement *transform_set_timezone(tn_transform *tr, PgQuery__VariableSetStmt *stmt)
{
    const char *value = NULL;
    if (stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_DEFAULT ||
        stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET)
        value = "";
    else if (stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE && stmt->n_args == 1 &&
             stmt->args[0]->node_case == PG_QUERY__NODE__NODE_A_CONST) {
        const PgQuery__AConst *constant = stmt->args[0]->a_const;
        if (constant->val_case == PG_QUERY__A__CONST__VAL_SVAL)
            value = tn_arena_strdup(tr->arena, constant->sval->sval);
        else if (constant->val_case == PG_QUERY__A__CONST__VAL_IVAL)
            value = tn_arena_printf(tr->arena, "%d", constant->ival->ival);
        else if (constant->val_case == PG_QUERY__A__CONST__VAL_FVAL)
            value = tn_arena_strdup(tr->arena, constant->fval->fval);
        else {
            tn_error_set(tr->err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid value for parameter \"TimeZone\"");
            return NULL;
        }
        if (value == NULL) {
            tn_error_oom(tr->err);
            return NULL;
        }
    } else {
        tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "SET TIME ZONE of this kind is not supported");
        return NULL;
    }
    tn_ast_statement *out = new_statement(tr, TN_AST_UTILITY, stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_RESET
                                                                  ? "RESET" : "SET");
    if (out != NULL)
        out->timezone_setting = value;
    return out;
}

/* SHOW TimeZone is the query current_setting('TimeZone'), under the
 * column name PostgreSQL gives it. */
static tn_ast_statement *transform_show(tn_transform *tr, PgQuery__Node *node)
{
    static const char query[] = "SELECT current_setting('TimeZone') AS \"TimeZone\"";
    tn_ast_statement *out = tn_sql_parse(query, (int)strlen(query), -1, tr->arena, tr->err);
    if (out != NULL)
        out->tag = "SHOW";
    (void)node;
    return out;
}

int tn_transform_location(const tn_transform *tr, int location)
{
    return location >= 0 && tr->offset >= 0 ? tr->offset + location + 1 : 0;
}

int tn_transform_unsupported(tn_transform *tr, int location, const char *what)
{
    return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, tn_transform_location(tr, location), "%s", what);
}

static tn_ast_statement *new_statement(tn_transform *tr, tn_ast_statement_kind kind, const char *tag)
{
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = kind;
    stmt->tag = tag;
    return stmt;
}

static tn_ast_statement *transform_explain(tn_transform *tr, PgQuery__ExplainStmt *stmt)
{
    tn_ast_statement *out = new_statement(tr, TN_AST_EXPLAIN, "EXPLAIN");
    if (!out)
        return NULL;
    for (size_t idx = 0; idx < stmt->n_options; idx++) {
        PgQuery__DefElem *option = stmt->options[idx]->def_elem;
        bool value = true;
        if (option->arg && option->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
            value = option->arg->boolean->boolval;
        else if (option->arg && option->arg->node_case == PG_QUERY__NODE__NODE_STRING)
            value = strcmp(option->arg->string->sval, "false") != 0 && strcmp(option->arg->string->sval, "off") != 0;
        if (strcmp(option->defname, "analyze") == 0)
            out->is_analyze = value;
        else if (strcmp(option->defname, "verbose") != 0 && strcmp(option->defname, "costs") != 0) {
            tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, tn_transform_location(tr, option->location),
                         "unrecognized EXPLAIN option \"%s\"", option->defname);
            return NULL;
        }
    }
    out->explained = tn_transform_statement(tr, stmt->query);
    if (!out->explained)
        return NULL;
    if (out->explained->kind != TN_AST_SELECT && out->explained->kind != TN_AST_INSERT &&
        out->explained->kind != TN_AST_UPDATE && out->explained->kind != TN_AST_DELETE) {
        tn_transform_unsupported(tr, -1, "EXPLAIN of this statement is not supported");
        return NULL;
    }
    return out;
}

/* Every statement commits on its own; BEGIN and COMMIT are accepted so that
 * clients that wrap statements in them work, ROLLBACK would be a lie. */
static tn_ast_statement *transform_transaction(tn_transform *tr, PgQuery__TransactionStmt *stmt)
{
    switch (stmt->kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
        return new_statement(tr, TN_AST_UTILITY, "BEGIN");
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
        return new_statement(tr, TN_AST_UTILITY, "COMMIT");
    default:
        tn_transform_unsupported(tr, -1, "transactions spanning several statements are not supported yet");
        return NULL;
    }
}

tn_ast_statement *tn_transform_statement(tn_transform *tr, PgQuery__Node *node)
{
    tn_ast_statement *stmt;
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT:
        if (node->select_stmt->into_clause)
            return tn_transform_select_into(tr, node->select_stmt);
        stmt = new_statement(tr, TN_AST_SELECT, "SELECT");
        if (!stmt || !(stmt->select = tn_transform_select(tr, node->select_stmt)))
            return NULL;
        return stmt;
    case PG_QUERY__NODE__NODE_INSERT_STMT:
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        return tn_transform_dml(tr, node);
    case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
        return transform_explain(tr, node->explain_stmt);
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
        return transform_transaction(tr, node->transaction_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
        return transform_set(tr, node->variable_set_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT:
        if (strcmp(node->variable_show_stmt->name, "timezone") == 0)
            return transform_show(tr, node);
        return tn_transform_ddl(tr, node);
    default:
        return tn_transform_ddl(tr, node);
    }
}
