/*
 * Binding of expressions: AST expressions become typed tn_expr trees.
 * Operators and functions resolve through exec/function.h (which inserts
 * the implicit casts); the constructs PostgreSQL rewrites into simpler
 * ones are rewritten the same way here:
 *
 *   a BETWEEN b AND c         a >= b AND a <= c  (SYMMETRIC: either order)
 *   a IS DISTINCT FROM b      CASE WHEN a IS NULL THEN b IS NOT NULL
 *                                  WHEN b IS NULL THEN true ELSE a <> b END
 *   x IS TRUE / IS NOT FALSE  COALESCE(x, false) / COALESCE(x, true)
 *   NULLIF(a, b)              CASE WHEN a = b THEN NULL ELSE a END
 *   CASE x WHEN v THEN ...    CASE WHEN x = v THEN ...
 *
 * Literals: integers are INT32 when they fit, else INT64, else NUMERIC;
 * decimals are NUMERIC; a quoted string is PostgreSQL's "unknown": a TEXT
 * constant with depth -1, which function resolution and casts treat as
 * taking the type the context asks for.  A bare NULL has type TN_TYPE_NULL.
 */
#include "sql/binder.h"
#include "types/numeric.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static tn_expr *bind_constant(tn_binder *b, const tn_ast_expr *ast);
static tn_expr *bind_function(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_aggregate(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_subquery(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_case(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_in_list(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_between(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_distinct(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_bool_test(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_nullif(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
static tn_expr *bind_common(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast, tn_expr_kind kind,
                            const char *construct);
static tn_expr *make_node(tn_binder *b, tn_expr_kind kind, tn_type type, int arg_count, int location);
static tn_expr *make_bool(tn_binder *b, bool value, int location);
static tn_expr *call2(tn_binder *b, const char *name, tn_expr *left, tn_expr *right, int location);
static tn_ast_expr *interval_literal(tn_binder *b, tn_ast_expr *cast);

/* INTERVAL 'n' <fields>: a bare number counts units of the last field
 * (INTERVAL '1' DAY is one day).  Other uses of field restrictions
 * (which truncate lower fields in PostgreSQL) are refused rather than
 * ignored. */
static tn_ast_expr *interval_literal(tn_binder *b, tn_ast_expr *cast)
{
    static const struct {
        int bit;
        const char *unit;
    } fields[] = {{12, "second"}, {11, "minute"}, {10, "hour"}, {3, "day"}, {1, "month"}, {2, "year"}};
    const char *unit = NULL;
    for (size_t idx = 0; !unit && idx < sizeof fields / sizeof fields[0]; idx++)
        if (cast->cast_type.interval_fields & (1 << fields[idx].bit))
            unit = fields[idx].unit;
    const tn_ast_expr *arg = cast->args[0];
    const char *text = arg->kind == TN_AST_CONSTANT && arg->constant_kind == TN_AST_CONST_STRING ? arg->text : NULL;
    size_t sign = text && (text[0] == '-' || text[0] == '+');
    if (!unit || !text || !text[sign] || strspn(text + sign, "0123456789.") != strlen(text + sign)) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, cast->location,
                     "interval field restrictions are only supported on a plain number yet");
        return NULL;
    }
    tn_ast_expr *copy = tn_arena_alloc(b->arena, sizeof *copy);
    tn_ast_expr *literal = tn_arena_alloc(b->arena, sizeof *literal);
    tn_ast_expr **args = tn_arena_alloc(b->arena, sizeof *args);
    if (!copy || !literal || !args || !(literal->text = tn_arena_printf(b->arena, "%s %s", text, unit))) {
        tn_error_oom(b->err);
        return NULL;
    }
    *copy = *cast;
    copy->cast_type.interval_fields = 0;
    *literal = *arg;
    literal->text = tn_arena_printf(b->arena, "%s %s", text, unit);
    args[0] = literal;
    copy->args = args;
    return copy;
}

static tn_expr *make_node(tn_binder *b, tn_expr_kind kind, tn_type type, int arg_count, int location)
{
    tn_expr *expr = tn_expr_new(b->arena, kind, type, arg_count, location);
    if (!expr)
        tn_error_oom(b->err);
    return expr;
}

static tn_expr *make_bool(tn_binder *b, bool value, int location)
{
    tn_value v = tn_value_null(tn_type_make(TN_TYPE_BOOL));
    v.is_null = false;
    v.u.boolean = value;
    tn_expr *expr = tn_expr_constant(b->arena, &v, location);
    if (!expr)
        tn_error_oom(b->err);
    return expr;
}

tn_expr *tn_bind_null(tn_binder *b, tn_type type)
{
    tn_value v = tn_value_null(type);
    tn_expr *expr = tn_expr_constant(b->arena, &v, 0);
    if (!expr)
        tn_error_oom(b->err);
    return expr;
}

static tn_expr *call2(tn_binder *b, const char *name, tn_expr *left, tn_expr *right, int location)
{
    tn_expr *args[2] = {left, right};
    return tn_function_bind(b->arena, name, args, 2, location, b->err);
}

bool tn_bind_is_unknown(const tn_expr *expr)
{
    return expr->kind == TN_EXPR_CONSTANT && expr->type.id == TN_TYPE_TEXT && expr->depth == -1;
}

const char *tn_bind_clause_name(tn_bind_clause clause)
{
    switch (clause) {
    case TN_CLAUSE_WHERE: return "WHERE";
    case TN_CLAUSE_JOIN: return "JOIN conditions";
    case TN_CLAUSE_GROUP_BY: return "GROUP BY";
    case TN_CLAUSE_VALUES: return "VALUES";
    case TN_CLAUSE_LIMIT: return "LIMIT";
    case TN_CLAUSE_DEFAULT: return "DEFAULT expressions";
    case TN_CLAUSE_CHECK: return "check constraints";
    case TN_CLAUSE_UPDATE: return "UPDATE";
    case TN_CLAUSE_FUNCTION: return "functions in FROM";
    default: return "this context";
    }
}

static tn_expr *bind_constant(tn_binder *b, const tn_ast_expr *ast)
{
    tn_value v;
    memset(&v, 0, sizeof v);
    switch (ast->constant_kind) {
    case TN_AST_CONST_NULL:
        v = tn_value_null(tn_type_make(TN_TYPE_NULL));
        break;
    case TN_AST_CONST_BOOL:
        return make_bool(b, ast->boolean, ast->location);
    case TN_AST_CONST_INTEGER:
        v.type = tn_type_make(TN_TYPE_INT32);
        v.u.integer = ast->integer;
        break;
    case TN_AST_CONST_DECIMAL: {
        const char *text = ast->text;
        size_t digits = strspn(text + (text[0] == '-'), "0123456789");
        errno = 0;
        char *end = NULL;
        long long integer = strtoll(text, &end, 10);
        if (digits > 0 && *end == '\0' && errno == 0) {
            v.type = tn_type_make(TN_TYPE_INT64);
            v.u.integer = integer;
            break;
        }
        int scale = 0;
        if (tn_numeric_parse(text, strlen(text), &v.u.numeric, &scale, b->err) < 0) {
            b->err->position = ast->location;
            return NULL;
        }
        v.type = tn_type_numeric(0, scale);
        break;
    }
    case TN_AST_CONST_STRING: {
        v.type = tn_type_make(TN_TYPE_TEXT);
        size_t length = strlen(ast->text);
        if (length > UINT32_MAX) {
            tn_error_set(b->err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, ast->location, "string literal too long");
            return NULL;
        }
        v.u.string = tn_string_make(ast->text, (uint32_t)length);
        tn_expr *expr = tn_expr_constant(b->arena, &v, ast->location);
        if (!expr) {
            tn_error_oom(b->err);
            return NULL;
        }
        expr->depth = -1;
        return expr;
    }
    }
    tn_expr *expr = tn_expr_constant(b->arena, &v, ast->location);
    if (!expr)
        tn_error_oom(b->err);
    return expr;
}

tn_expr *tn_bind_coerce_boolean(tn_binder *b, tn_expr *expr, const char *construct)
{
    if (expr->type.id == TN_TYPE_BOOL)
        return expr;
    if (tn_bind_is_unknown(expr) || expr->type.id == TN_TYPE_NULL)
        return tn_expr_cast(b->arena, expr, tn_type_make(TN_TYPE_BOOL), TN_CAST_IMPLICIT, b->err);
    char name[64];
    tn_error_set(b->err, TN_ERR_DATATYPE_MISMATCH, expr->location, "argument of %s must be type boolean, not type %s",
                 construct, tn_type_name(expr->type, name, sizeof name));
    return NULL;
}

tn_expr *tn_bind_condition(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast, const char *construct)
{
    tn_expr *expr = tn_bind_expr(b, scope, ast);
    return expr ? tn_bind_coerce_boolean(b, expr, construct) : NULL;
}

tn_expr *tn_bind_assign(tn_binder *b, tn_expr *expr, tn_type type, const char *column)
{
    if (tn_bind_is_unknown(expr) && type.precision > 0) {
        /* As PostgreSQL: the literal is read as the type without its
         * modifier, then the length/precision check is an assignment's
         * (so 'abcd' into VARCHAR(3) fails instead of being cut). */
        tn_type base = type;
        base.precision = 0;
        base.scale = type.id == TN_TYPE_NUMERIC ? 0 : base.scale;
        if (!(expr = tn_expr_cast(b->arena, expr, base, TN_CAST_EXPLICIT, b->err)))
            return NULL;
    }
    tn_error local = TN_ERROR_INIT;
    tn_expr *cast = tn_expr_cast(b->arena, expr, type, TN_CAST_ASSIGNMENT, &local);
    if (cast)
        return cast;
    if (tn_error_is(&local, TN_ERR_CANNOT_COERCE)) {
        char to[64], from[64];
        tn_error_clear(&local);
        tn_error_set(b->err, TN_ERR_DATATYPE_MISMATCH, expr->location,
                     "column \"%s\" is of type %s but expression is of type %s", column,
                     tn_type_name(type, to, sizeof to), tn_type_name(expr->type, from, sizeof from));
        tn_error_hint(b->err, "You will need to rewrite or cast the expression.");
        return NULL;
    }
    tn_error_move(b->err, &local);
    return NULL;
}

static tn_expr *bind_aggregate(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    if (b->clause != TN_CLAUSE_SELECT) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->location, "aggregate functions are not allowed in %s",
                     tn_bind_clause_name(b->clause));
        return NULL;
    }
    if (b->in_aggregate) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->location, "aggregate function calls cannot be nested");
        return NULL;
    }
    tn_expr **args = tn_arena_zalloc(b->arena, sizeof *args * (size_t)(ast->arg_count + 1));
    if (!args) {
        tn_error_oom(b->err);
        return NULL;
    }
    b->in_aggregate = true;
    tn_expr *filter = NULL;
    bool ok = true;
    for (int idx = 0; ok && idx < ast->arg_count; idx++)
        ok = (args[idx] = tn_bind_expr(b, scope, ast->args[idx])) != NULL;
    if (ok && ast->filter)
        ok = (filter = tn_bind_condition(b, scope, ast->filter, "FILTER")) != NULL;
    b->in_aggregate = false;
    if (!ok)
        return NULL;
    tn_bound_aggregate *agg = ast->agg_order_count > 0
                                  ? tn_bind_aggregate_order(b, scope, ast, args)
                                  : tn_aggregate_bind(b->arena, ast->name, args, ast->arg_count, ast->is_distinct,
                                                      ast->is_star, ast->location, b->err);
    if (!agg)
        return NULL;
    agg->filter = filter;
    for (int idx = 0; idx < b->aggregate_count; idx++) {
        /* the same call twice (select list and HAVING) is computed once */
        const tn_bound_aggregate *seen = b->aggregates[idx];
        bool same = seen->function == agg->function && seen->arg_count == agg->arg_count &&
                    seen->is_distinct == agg->is_distinct && seen->is_star == agg->is_star &&
                    tn_bind_expr_equal(seen->filter, agg->filter) && seen->order_count == 0 && agg->order_count == 0;
        for (int arg = 0; same && arg < agg->arg_count; arg++)
            same = tn_bind_expr_equal(seen->args[arg], agg->args[arg]);
        if (same)
            return tn_expr_column(b->arena, TN_BIND_AGGREGATE_BASE + idx, seen->type, ast->location);
    }
    if (b->aggregate_count == b->aggregate_capacity) {
        int capacity = b->aggregate_capacity ? b->aggregate_capacity * 2 : 8;
        tn_bound_aggregate **grown =
            tn_arena_realloc(b->arena, b->aggregates, sizeof *grown * (size_t)b->aggregate_capacity,
                             sizeof *grown * (size_t)capacity);
        if (!grown) {
            tn_error_oom(b->err);
            return NULL;
        }
        b->aggregates = grown;
        b->aggregate_capacity = capacity;
    }
    b->aggregates[b->aggregate_count] = agg;
    tn_expr *ref = tn_expr_column(b->arena, TN_BIND_AGGREGATE_BASE + b->aggregate_count, agg->type, ast->location);
    if (!ref) {
        tn_error_oom(b->err);
        return NULL;
    }
    b->aggregate_count++;
    return ref;
}

static tn_expr *bind_function(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    if (ast->over || tn_bind_is_window_function(ast->name))
        return tn_bind_window(b, scope, ast);
    if (tn_aggregate_exists(ast->name) || ast->is_within_group)
        return bind_aggregate(b, scope, ast);
    if (ast->is_star || ast->is_distinct || ast->filter) {
        const char *what = ast->is_star ? tn_arena_printf(b->arena, "%s(*)", ast->name)
                           : ast->is_distinct ? "DISTINCT" : "FILTER";
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, ast->location,
                     "%s specified, but %s is not an aggregate function", what ? what : "*", ast->name);
        return NULL;
    }
    tn_expr **args = tn_arena_zalloc(b->arena, sizeof *args * (size_t)(ast->arg_count + 1));
    if (!args) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int idx = 0; idx < ast->arg_count; idx++)
        if (!(args[idx] = tn_bind_expr(b, scope, ast->args[idx])))
            return NULL;
    return tn_function_bind(b->arena, ast->name, args, ast->arg_count, ast->location, b->err);
}

static tn_expr *bind_subquery(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    int saved_min = b->min_level;
    b->min_level = INT_MAX;
    tn_logical *plan = tn_bind_select(b, ast->subquery, scope, true);
    bool correlated = b->min_level <= scope->level;
    if (b->min_level > saved_min)
        b->min_level = saved_min;
    if (!plan)
        return NULL;
    tn_expr *expr = make_node(b, TN_EXPR_SUBQUERY, tn_type_make(TN_TYPE_BOOL),
                              ast->subquery_kind == TN_AST_SUBQUERY_ANY || ast->subquery_kind == TN_AST_SUBQUERY_ALL,
                              ast->location);
    if (!expr)
        return NULL;
    expr->subquery = plan;
    expr->is_correlated = correlated;
    switch (ast->subquery_kind) {
    case TN_AST_SUBQUERY_EXISTS:
        expr->subquery_kind = TN_SUBQUERY_EXISTS;
        return expr;
    case TN_AST_SUBQUERY_SCALAR:
        if (plan->column_count != 1) {
            tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location, "subquery must return only one column");
            return NULL;
        }
        expr->subquery_kind = TN_SUBQUERY_SCALAR;
        expr->type = plan->types[0];
        return expr;
    default:
        break;
    }
    expr->subquery_kind = ast->subquery_kind == TN_AST_SUBQUERY_ANY ? TN_SUBQUERY_ANY : TN_SUBQUERY_ALL;
    if (plan->column_count != 1) {
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location,
                     plan->column_count > 1 ? "subquery has too many columns" : "subquery has too few columns");
        return NULL;
    }
    tn_expr *test = tn_bind_expr(b, scope, ast->args[0]);
    tn_expr *column = test ? tn_expr_column(b->arena, 0, plan->types[0], ast->location) : NULL;
    if (test && !column)
        tn_error_oom(b->err);
    tn_expr *call = column ? call2(b, ast->name, test, column, ast->location) : NULL;
    if (!call)
        return NULL;
    if (call->kind != TN_EXPR_FUNCTION || call->type.id != TN_TYPE_BOOL) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, ast->location,
                     "op ANY/ALL (array) requires operator to yield boolean");
        return NULL;
    }
    if (call->args[1] != column) {
        /* the comparison wants the subquery's column converted */
        tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs);
        const char **names = tn_arena_alloc(b->arena, sizeof *names);
        if (!exprs || !names) {
            tn_error_oom(b->err);
            return NULL;
        }
        exprs[0] = call->args[1];
        names[0] = plan->names[0];
        if (!(expr->subquery = tn_bind_projection(b, plan, exprs, names, 1)))
            return NULL;
    }
    expr->args[0] = call->args[0];
    expr->function = call->function;
    expr->bind_data = call->bind_data;
    return expr;
}

/* CASE, COALESCE and friends: results converted to their common type. */
static int unify(tn_binder *b, tn_expr **exprs, int count, const char *construct, tn_type *type)
{
    if (tn_common_type(exprs, count, construct, type, b->err) < 0)
        return -1;
    for (int idx = 0; idx < count; idx++)
        if (!(exprs[idx] = tn_expr_cast(b->arena, exprs[idx], *type, TN_CAST_IMPLICIT, b->err)))
            return -1;
    return 0;
}

static tn_expr *bind_case(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    int pairs = (ast->arg_count - 1) / 2;
    int count = 2 * pairs + (ast->else_expr ? 1 : 0);
    tn_expr *expr = make_node(b, TN_EXPR_CASE, tn_type_make(TN_TYPE_NULL), count, ast->location);
    tn_expr **results = tn_arena_zalloc(b->arena, sizeof *results * (size_t)(pairs + 1));
    if (!expr || !results) {
        tn_error_oom(b->err);
        return NULL;
    }
    tn_expr *operand = NULL;
    if (ast->args[0] && !(operand = tn_bind_expr(b, scope, ast->args[0])))
        return NULL;
    for (int pair = 0; pair < pairs; pair++) {
        tn_expr *when = tn_bind_expr(b, scope, ast->args[1 + 2 * pair]);
        if (!when)
            return NULL;
        if (operand) {
            tn_expr *copy = tn_expr_copy(b->arena, operand);
            if (!copy || !(when = call2(b, "=", copy, when, ast->args[1 + 2 * pair]->location)))
                return copy ? NULL : (tn_error_oom(b->err), NULL);
        }
        if (!(expr->args[2 * pair] = tn_bind_coerce_boolean(b, when, "CASE/WHEN")))
            return NULL;
        if (!(results[pair] = tn_bind_expr(b, scope, ast->args[2 + 2 * pair])))
            return NULL;
    }
    int result_count = pairs;
    if (ast->else_expr && !(results[result_count++] = tn_bind_expr(b, scope, ast->else_expr)))
        return NULL;
    if (unify(b, results, result_count, "CASE", &expr->type) < 0)
        return NULL;
    for (int pair = 0; pair < pairs; pair++)
        expr->args[2 * pair + 1] = results[pair];
    if (ast->else_expr)
        expr->args[count - 1] = results[pairs];
    return expr;
}

static tn_expr *bind_common(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast, tn_expr_kind kind,
                            const char *construct)
{
    tn_expr *expr = make_node(b, kind, tn_type_make(TN_TYPE_NULL), ast->arg_count, ast->location);
    if (!expr)
        return NULL;
    for (int idx = 0; idx < ast->arg_count; idx++)
        if (!(expr->args[idx] = tn_bind_expr(b, scope, ast->args[idx])))
            return NULL;
    if (unify(b, expr->args, expr->arg_count, construct, &expr->type) < 0)
        return NULL;
    return expr;
}

static tn_expr *bind_in_list(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    tn_expr *expr = bind_common(b, scope, ast, TN_EXPR_IN_LIST, "IN");
    if (!expr)
        return NULL;
    tn_expr *eq = call2(b, "=", tn_expr_copy(b->arena, expr->args[0]), tn_expr_copy(b->arena, expr->args[1]),
                        ast->location);
    if (!eq)
        return NULL;
    expr->function = eq->function;
    expr->type = tn_type_make(TN_TYPE_BOOL);
    if (!ast->is_negated)
        return expr;
    tn_expr *not = make_node(b, TN_EXPR_NOT, expr->type, 1, ast->location);
    if (not)
        not->args[0] = expr;
    return not;
}

static tn_expr *make_logic(tn_binder *b, tn_expr_kind kind, tn_expr *left, tn_expr *right, int location)
{
    if (!left || !right)
        return NULL;
    tn_expr *expr = make_node(b, kind, tn_type_make(TN_TYPE_BOOL), 2, location);
    if (expr) {
        expr->args[0] = left;
        expr->args[1] = right;
    }
    return expr;
}

/* low <= x <= high as PostgreSQL expands it (x is evaluated twice). */
static tn_expr *between(tn_binder *b, tn_expr *x, tn_expr *low, tn_expr *high, bool negated, int location)
{
    tn_expr *x2 = tn_expr_copy(b->arena, x);
    if (!x2) {
        tn_error_oom(b->err);
        return NULL;
    }
    if (negated)
        return make_logic(b, TN_EXPR_OR, call2(b, "<", x, low, location), call2(b, ">", x2, high, location),
                          location);
    return make_logic(b, TN_EXPR_AND, call2(b, ">=", x, low, location), call2(b, "<=", x2, high, location),
                      location);
}

static tn_expr *bind_between(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    tn_expr *x = tn_bind_expr(b, scope, ast->args[0]);
    tn_expr *low = x ? tn_bind_expr(b, scope, ast->args[1]) : NULL;
    tn_expr *high = low ? tn_bind_expr(b, scope, ast->args[2]) : NULL;
    if (!high)
        return NULL;
    tn_expr *forward = between(b, x, low, high, ast->is_negated, ast->location);
    if (!forward || !ast->is_symmetric)
        return forward;
    tn_expr *backward = between(b, tn_expr_copy(b->arena, x), tn_expr_copy(b->arena, high),
                                tn_expr_copy(b->arena, low), ast->is_negated, ast->location);
    return make_logic(b, ast->is_negated ? TN_EXPR_AND : TN_EXPR_OR, forward, backward, ast->location);
}

static tn_expr *is_null(tn_binder *b, tn_expr *arg, bool negated)
{
    tn_expr *expr = make_node(b, negated ? TN_EXPR_IS_NOT_NULL : TN_EXPR_IS_NULL, tn_type_make(TN_TYPE_BOOL), 1,
                              arg->location);
    if (expr)
        expr->args[0] = arg;
    return expr;
}

static tn_expr *bind_distinct(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    tn_expr *left = tn_bind_expr(b, scope, ast->args[0]);
    tn_expr *right = left ? tn_bind_expr(b, scope, ast->args[1]) : NULL;
    tn_expr *cmp = right ? call2(b, ast->is_negated ? "=" : "<>", left, right, ast->location) : NULL;
    if (!cmp)
        return NULL;
    tn_expr *a = cmp->args[0], *c = cmp->args[1];
    tn_expr *expr = make_node(b, TN_EXPR_CASE, tn_type_make(TN_TYPE_BOOL), 5, ast->location);
    tn_expr *a2 = tn_expr_copy(b->arena, a), *c2 = tn_expr_copy(b->arena, c);
    if (!expr || !a2 || !c2)
        return expr ? (tn_error_oom(b->err), NULL) : NULL;
    if (!(expr->args[0] = is_null(b, a2, false)) || !(expr->args[1] = is_null(b, tn_expr_copy(b->arena, c), !ast->is_negated)) ||
        !(expr->args[2] = is_null(b, c2, false)) || !(expr->args[3] = make_bool(b, ast->is_negated ? false : true, ast->location)))
        return NULL;
    expr->args[4] = cmp;
    return expr;
}

static tn_expr *bind_bool_test(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    const char *construct = strcmp(ast->name, "true") == 0    ? (ast->is_negated ? "IS NOT TRUE" : "IS TRUE")
                            : strcmp(ast->name, "false") == 0 ? (ast->is_negated ? "IS NOT FALSE" : "IS FALSE")
                                                              : (ast->is_negated ? "IS NOT UNKNOWN" : "IS UNKNOWN");
    tn_expr *arg = tn_bind_condition(b, scope, ast->args[0], construct);
    if (!arg)
        return NULL;
    if (strcmp(ast->name, "unknown") == 0)
        return is_null(b, arg, ast->is_negated);
    bool is_true = strcmp(ast->name, "true") == 0;
    /* IS TRUE = COALESCE(x, false); IS FALSE = NOT COALESCE(x, true); the
     * NOT forms swap. */
    bool fallback = !is_true;
    tn_expr *coalesce = make_node(b, TN_EXPR_COALESCE, tn_type_make(TN_TYPE_BOOL), 2, ast->location);
    if (!coalesce || !(coalesce->args[1] = make_bool(b, fallback, ast->location)))
        return NULL;
    coalesce->args[0] = arg;
    if (is_true != ast->is_negated)
        return coalesce;
    tn_expr *not = make_node(b, TN_EXPR_NOT, coalesce->type, 1, ast->location);
    if (not)
        not->args[0] = coalesce;
    return not;
}

static tn_expr *bind_nullif(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    tn_expr *left = tn_bind_expr(b, scope, ast->args[0]);
    tn_expr *right = left ? tn_bind_expr(b, scope, ast->args[1]) : NULL;
    tn_expr *eq = right ? call2(b, "=", left, right, ast->location) : NULL;
    if (!eq)
        return NULL;
    tn_expr *value = tn_expr_copy(b->arena, eq->args[0]);
    tn_expr *expr = value ? make_node(b, TN_EXPR_CASE, value->type, 3, ast->location) : NULL;
    if (!expr || !(expr->args[1] = tn_bind_null(b, value->type)))
        return value ? NULL : (tn_error_oom(b->err), NULL);
    expr->args[0] = eq;
    expr->args[2] = value;
    return expr;
}

tn_expr *tn_bind_expr(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    tn_expr *expr;
    switch (ast->kind) {
    case TN_AST_CONSTANT:
        return bind_constant(b, ast);
    case TN_AST_COLUMN_REF:
        if (ast->is_star) {
            tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location, "row expansion via \"*\" is not supported here");
            return NULL;
        }
        if (b->clause == TN_CLAUSE_DEFAULT) {
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                         "cannot use column reference in DEFAULT expression");
            return NULL;
        }
        return tn_bind_column_ref(b, scope, ast);
    case TN_AST_PARAMETER:
        return tn_bind_parameter(b, ast);
    case TN_AST_OPERATOR: {
        tn_expr *args[2];
        for (int idx = 0; idx < ast->arg_count; idx++)
            if (!(args[idx] = tn_bind_expr(b, scope, ast->args[idx])))
                return NULL;
        return tn_function_bind(b->arena, ast->name, args, ast->arg_count, ast->location, b->err);
    }
    case TN_AST_AND:
    case TN_AST_OR:
    case TN_AST_NOT: {
        tn_expr_kind kind = ast->kind == TN_AST_AND ? TN_EXPR_AND : ast->kind == TN_AST_OR ? TN_EXPR_OR : TN_EXPR_NOT;
        const char *construct = ast->kind == TN_AST_AND ? "AND" : ast->kind == TN_AST_OR ? "OR" : "NOT";
        expr = make_node(b, kind, tn_type_make(TN_TYPE_BOOL), ast->arg_count, ast->location);
        if (!expr)
            return NULL;
        for (int idx = 0; idx < ast->arg_count; idx++)
            if (!(expr->args[idx] = tn_bind_condition(b, scope, ast->args[idx], construct)))
                return NULL;
        return expr;
    }
    case TN_AST_FUNCTION:
        return bind_function(b, scope, ast);
    case TN_AST_CAST:
        if (ast->cast_type.interval_fields && !(ast = interval_literal(b, ast)))
            return NULL;
        expr = tn_bind_expr(b, scope, ast->args[0]);
        if (!expr)
            return NULL;
        expr = tn_expr_cast(b->arena, expr, ast->cast_type.type, TN_CAST_EXPLICIT, b->err);
        if (expr && expr->location == 0)
            expr->location = ast->location;
        return expr;
    case TN_AST_CASE:
        return bind_case(b, scope, ast);
    case TN_AST_IS_NULL:
        expr = tn_bind_expr(b, scope, ast->args[0]);
        return expr ? is_null(b, expr, ast->is_negated) : NULL;
    case TN_AST_BOOL_TEST:
        return bind_bool_test(b, scope, ast);
    case TN_AST_DISTINCT:
        return bind_distinct(b, scope, ast);
    case TN_AST_BETWEEN:
        return bind_between(b, scope, ast);
    case TN_AST_IN_LIST:
        return bind_in_list(b, scope, ast);
    case TN_AST_NULLIF:
        return bind_nullif(b, scope, ast);
    case TN_AST_COALESCE:
        return bind_common(b, scope, ast, TN_EXPR_COALESCE, "COALESCE");
    case TN_AST_MIN_MAX: {
        tn_expr *unified = bind_common(b, scope, ast, TN_EXPR_COALESCE, ast->name[0] == 'g' ? "GREATEST" : "LEAST");
        if (!unified)
            return NULL;
        return tn_function_bind(b->arena, ast->name, unified->args, unified->arg_count, ast->location, b->err);
    }
    case TN_AST_SUBQUERY:
        return bind_subquery(b, scope, ast);
    case TN_AST_DEFAULT:
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, ast->location, "DEFAULT is not allowed in this context");
        return NULL;
    case TN_AST_GROUPING:
        return tn_bind_grouping(b, scope, ast);
    }
    tn_error_set(b->err, TN_ERR_INTERNAL_ERROR, ast->location, "unknown expression kind");
    return NULL;
}

/* PostgreSQL's FigureColname: strength 2 for a real name, 1 for a
 * fallback such as a type name or "case", 0 for nothing. */
static int figure_name(const tn_ast_expr *ast, const char **name)
{
    switch (ast->kind) {
    case TN_AST_COLUMN_REF:
        if (ast->is_star || ast->name_count == 0)
            return 0;
        *name = ast->names[ast->name_count - 1];
        return 2;
    case TN_AST_FUNCTION:
        *name = ast->text ? ast->text : ast->name;
        return 2;
    case TN_AST_CAST:
        if (figure_name(ast->args[0], name) <= 1) {
            *name = ast->cast_type.name;
            return 1;
        }
        return 2;
    case TN_AST_CASE:
        if (!ast->else_expr || figure_name(ast->else_expr, name) <= 1) {
            *name = "case";
            return 1;
        }
        return 2;
    case TN_AST_SUBQUERY:
        if (ast->subquery_kind == TN_AST_SUBQUERY_EXISTS) {
            *name = "exists";
            return 2;
        }
        if (ast->subquery_kind == TN_AST_SUBQUERY_SCALAR) {
            const tn_ast_select *sub = ast->subquery;
            while (sub->set_op != TN_AST_SET_NONE)
                sub = sub->left;
            if (sub->target_count > 0) {
                if (sub->targets[0].alias) {
                    *name = sub->targets[0].alias;
                    return 2;
                }
                return figure_name(sub->targets[0].expr, name);
            }
        }
        return 0;
    case TN_AST_NULLIF:
        *name = "nullif";
        return 2;
    case TN_AST_COALESCE:
        *name = "coalesce";
        return 2;
    case TN_AST_MIN_MAX:
        *name = ast->name;
        return 2;
    case TN_AST_GROUPING:
        *name = "grouping";
        return 2;
    default:
        return 0;
    }
}

const char *tn_bind_column_name(const tn_ast_expr *ast)
{
    const char *name = "?column?";
    figure_name(ast, &name);
    return name;
}

static bool value_equal(const tn_value *a, const tn_value *b)
{
    if (!tn_type_equal(a->type, b->type) || a->is_null != b->is_null)
        return false;
    if (a->is_null)
        return true;
    switch (a->type.id) {
    case TN_TYPE_BOOL: return a->u.boolean == b->u.boolean;
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: return memcmp(&a->u.floating, &b->u.floating, sizeof a->u.floating) == 0;
    case TN_TYPE_NUMERIC: return a->u.numeric == b->u.numeric;
    case TN_TYPE_TEXT: return tn_string_equal(&a->u.string, &b->u.string);
    case TN_TYPE_INTERVAL:
        return a->u.interval.months == b->u.interval.months && a->u.interval.days == b->u.interval.days &&
               a->u.interval.micros == b->u.interval.micros;
    default: return a->u.integer == b->u.integer;
    }
}

bool tn_bind_expr_equal(const tn_expr *a, const tn_expr *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || !tn_type_equal(a->type, b->type) || a->arg_count != b->arg_count ||
        a->function != b->function || a->is_explicit != b->is_explicit)
        return false;
    switch (a->kind) {
    case TN_EXPR_CONSTANT:
        if (a->depth != b->depth || !value_equal(&a->value, &b->value))
            return false;
        break;
    case TN_EXPR_COLUMN:
    case TN_EXPR_OUTER_COLUMN:
    case TN_EXPR_PARAMETER:
        if (a->column != b->column || a->depth != b->depth)
            return false;
        break;
    case TN_EXPR_SUBQUERY:
        if (a->subquery != b->subquery || a->subquery_kind != b->subquery_kind)
            return false;
        break;
    default:
        break;
    }
    for (int idx = 0; idx < a->arg_count; idx++)
        if (!tn_bind_expr_equal(a->args[idx], b->args[idx]))
            return false;
    return true;
}
