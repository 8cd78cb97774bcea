/*
 * Prepared statements: PREPARE, EXECUTE, DEALLOCATE.  The session keeps a
 * prepared statement as text (tn_sql_prepared); PREPARE binds it once to
 * report errors then, and every EXECUTE binds it again at its own
 * snapshot with the arguments' values in place of $n, as constants.  So a
 * prepared statement always sees the tables as they are now, and each
 * parameter is typed like the literal it stands for: the declared type, or
 * the argument's own type, an untyped string argument staying "unknown" so
 * that it takes its type from where it is used, as PostgreSQL infers it.
 */
#include "sql/binder.h"

#include <string.h>

tn_expr *tn_bind_parameter(tn_binder *b, const tn_ast_expr *ast)
{
    const tn_sql_env *env = b->env;
    int number = ast->integer;
    if (!env->params || number < 1 || number > env->param_count) {
        tn_error_set(b->err, TN_ERR_UNDEFINED_PARAMETER, ast->location, "there is no parameter $%d", number);
        return NULL;
    }
    const tn_sql_param *param = &env->params[number - 1];
    bool is_unknown = param->is_unknown || param->type.id == TN_TYPE_NULL;
    tn_value value = param->has_value ? param->value
                                      : tn_value_null(is_unknown ? tn_type_make(TN_TYPE_TEXT) : param->type);
    tn_expr *expr = tn_expr_constant(b->arena, &value, ast->location);
    if (!expr) {
        tn_error_oom(b->err);
        return NULL;
    }
    if (is_unknown)
        expr->depth = -1;
    return expr;
}

/* PREPARE binds the statement with typed placeholders to report its errors now. */
static int bind_prepare(tn_binder *b, tn_ast_statement *stmt, tn_statement *out)
{
    tn_sql_prepared *prepared = tn_arena_zalloc(b->arena, sizeof *prepared);
    tn_type *types = tn_arena_zalloc(b->arena, sizeof *types * (size_t)(stmt->param_count + 1));
    tn_sql_param *params = tn_arena_zalloc(b->arena, sizeof *params * (size_t)(stmt->param_count + 1));
    if (!prepared || !types || !params)
        return tn_error_oom(b->err);
    for (int idx = 0; idx < stmt->param_count; idx++)
        params[idx].type = types[idx] = stmt->param_types[idx].type;
    prepared->name = stmt->target.name;
    prepared->sql = stmt->view_sql;
    prepared->param_count = stmt->param_count;
    prepared->param_types = types;
    tn_sql_env env = *b->env;
    env.params = params;
    env.param_count = stmt->param_count;
    if (!tn_sql_prepare(&env, prepared->sql, 0, (int)strlen(prepared->sql), b->arena, b->err)) {
        b->err->position = 0;
        return -1;
    }
    out->kind = TN_STATEMENT_PREPARE;
    out->name = prepared->name;
    out->prepared = prepared;
    return 0;
}

/* EXECUTE's arguments: expressions without columns, folded later. */
static int bind_execute(tn_binder *b, tn_ast_statement *stmt, tn_statement *out)
{
    tn_bind_scope *empty = tn_bind_scope_new(b, NULL);
    out->args = tn_arena_zalloc(b->arena, sizeof *out->args * (size_t)(stmt->arg_count + 1));
    if (!empty || !out->args)
        return tn_error_is_set(b->err) ? -1 : tn_error_oom(b->err);
    b->clause = TN_CLAUSE_VALUES;
    for (int idx = 0; idx < stmt->arg_count; idx++) {
        tn_expr *arg = tn_bind_expr(b, empty, stmt->args[idx]);
        if (!arg)
            return -1;
        if (!tn_expr_is_foldable(arg))
            return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, arg->location,
                                "arguments of EXECUTE must be constant expressions");
        out->args[idx] = arg;
    }
    b->clause = TN_CLAUSE_SELECT;
    out->kind = TN_STATEMENT_EXECUTE;
    out->name = stmt->target.name;
    out->arg_count = stmt->arg_count;
    return 0;
}

int tn_bind_prepared(tn_binder *b, tn_ast_statement *stmt, tn_statement *out)
{
    switch (stmt->kind) {
    case TN_AST_PREPARE: return bind_prepare(b, stmt, out);
    case TN_AST_EXECUTE: return bind_execute(b, stmt, out);
    default:
        out->kind = TN_STATEMENT_DEALLOCATE;
        out->name = stmt->target.name;
        return 0;
    }
}

/* Argument idx converted to the parameter's declared type and folded. */
static int argument_value(tn_binder *b, const tn_sql_prepared *prepared, const tn_expr *arg, int idx,
                          tn_sql_param *param)
{
    tn_type type = prepared->param_types[idx];
    tn_expr *expr = (tn_expr *)arg;
    param->has_value = true;
    if (type.id == TN_TYPE_NULL) {
        param->is_unknown = tn_bind_is_unknown(arg) || arg->type.id == TN_TYPE_NULL;
        param->type = param->is_unknown ? tn_type_make(TN_TYPE_TEXT) : arg->type;
        if (arg->type.id == TN_TYPE_NULL) {
            param->value = tn_value_null(param->type);
            return 0;
        }
    } else {
        param->type = type;
        tn_error local = TN_ERROR_INIT;
        expr = tn_expr_cast(b->arena, expr, type, tn_bind_is_unknown(arg) ? TN_CAST_EXPLICIT : TN_CAST_ASSIGNMENT,
                            &local);
        if (!expr && tn_error_is(&local, TN_ERR_CANNOT_COERCE)) {
            char to[64], from[64];
            tn_error_clear(&local);
            tn_error_set(b->err, TN_ERR_DATATYPE_MISMATCH, arg->location,
                         "parameter $%d of type %s cannot be coerced to the expected type %s", idx + 1,
                         tn_type_name(arg->type, from, sizeof from), tn_type_name(type, to, sizeof to));
            tn_error_hint(b->err, "You will need to rewrite or cast the expression.");
            return -1;
        }
        if (!expr) {
            tn_error_move(b->err, &local);
            return -1;
        }
    }
    return tn_expr_fold(b->arena, expr, &param->value, b->err);
}

tn_statement *tn_sql_prepare_execute(const tn_sql_env *env, const tn_sql_prepared *prepared,
                                     const tn_statement *execute, tn_arena *arena, tn_error *err)
{
    if (execute->arg_count != prepared->param_count) {
        tn_error_set(err, TN_ERR_SYNTAX_ERROR, 0, "wrong number of parameters for prepared statement \"%s\"",
                     prepared->name);
        tn_error_detail(err, "Expected %d parameters but got %d.", prepared->param_count, execute->arg_count);
        return NULL;
    }
    tn_binder binder = {.env = env, .arena = arena, .err = err};
    tn_sql_param *params = tn_arena_zalloc(arena, sizeof *params * (size_t)(prepared->param_count + 1));
    if (!params) {
        tn_error_oom(err);
        return NULL;
    }
    for (int idx = 0; idx < prepared->param_count; idx++)
        if (argument_value(&binder, prepared, execute->args[idx], idx, &params[idx]) < 0)
            return NULL;
    tn_sql_env inner = *env;
    inner.params = params;
    inner.param_count = prepared->param_count;
    tn_statement *statement = tn_sql_prepare(&inner, prepared->sql, 0, (int)strlen(prepared->sql), arena, err);
    if (!statement)
        err->position = 0;
    return statement;
}
