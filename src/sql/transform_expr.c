/*
 * Transform of expressions and type names: libpg_query's expression nodes
 * (A_Expr, FuncCall, SubLink, ...) become tn_ast_expr.  Syntax sugar that
 * PostgreSQL itself rewrites early stays recognisable here (BETWEEN, IN,
 * IS DISTINCT FROM, NULLIF) so the binder can apply PostgreSQL's rules to
 * each.  Constructs tarn does not evaluate are refused with 0A000 at their
 * position.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

static tn_ast_expr *new_expr(tn_transform *tr, tn_ast_expr_kind kind, int location, int arg_count);
static const char *last_name(PgQuery__Node **names, size_t count);
static int transform_list(tn_transform *tr, PgQuery__Node **nodes, size_t count, tn_ast_expr **out);
static tn_ast_expr *transform_constant(tn_transform *tr, PgQuery__AConst *constant);
static tn_ast_expr *transform_column_ref(tn_transform *tr, PgQuery__ColumnRef *ref);
static tn_ast_expr *transform_a_expr(tn_transform *tr, PgQuery__AExpr *expr);
static tn_ast_expr *transform_func_call(tn_transform *tr, PgQuery__FuncCall *call);
static tn_ast_expr *transform_sub_link(tn_transform *tr, PgQuery__SubLink *link);
static tn_ast_expr *transform_case(tn_transform *tr, PgQuery__CaseExpr *expr);
static tn_ast_expr *transform_sql_value(tn_transform *tr, PgQuery__SQLValueFunction *value);
static int node_location(PgQuery__Node *node);

static tn_ast_expr *new_expr(tn_transform *tr, tn_ast_expr_kind kind, int location, int arg_count)
{
    tn_ast_expr *expr = tn_arena_zalloc(tr->arena, sizeof *expr);
    if (!expr || (arg_count > 0 &&
                  !(expr->args = tn_arena_zalloc(tr->arena, sizeof *expr->args * (size_t)arg_count)))) {
        tn_error_oom(tr->err);
        return NULL;
    }
    expr->kind = kind;
    expr->location = tn_transform_location(tr, location);
    expr->arg_count = arg_count;
    return expr;
}

/* The unqualified name of an operator or function ("pg_catalog.+" -> "+"). */
static const char *last_name(PgQuery__Node **names, size_t count)
{
    if (count == 0 || names[count - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
        return "";
    return names[count - 1]->string->sval;
}

static int transform_list(tn_transform *tr, PgQuery__Node **nodes, size_t count, tn_ast_expr **out)
{
    for (size_t idx = 0; idx < count; idx++) {
        out[idx] = tn_transform_expr(tr, nodes[idx]);
        if (!out[idx])
            return -1;
    }
    return 0;
}

static tn_ast_expr *transform_constant(tn_transform *tr, PgQuery__AConst *constant)
{
    tn_ast_expr *expr = new_expr(tr, TN_AST_CONSTANT, constant->location, 0);
    if (!expr)
        return NULL;
    if (constant->isnull) {
        expr->constant_kind = TN_AST_CONST_NULL;
        return expr;
    }
    switch (constant->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        expr->constant_kind = TN_AST_CONST_INTEGER;
        expr->integer = constant->ival->ival;
        break;
    case PG_QUERY__A__CONST__VAL_FVAL:
        expr->constant_kind = TN_AST_CONST_DECIMAL;
        expr->text = constant->fval->fval;
        break;
    case PG_QUERY__A__CONST__VAL_SVAL:
        expr->constant_kind = TN_AST_CONST_STRING;
        expr->text = constant->sval->sval;
        break;
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        expr->constant_kind = TN_AST_CONST_BOOL;
        expr->boolean = constant->boolval->boolval;
        break;
    default:
        tn_transform_unsupported(tr, constant->location, "bit string literals are not supported yet");
        return NULL;
    }
    return expr;
}

static tn_ast_expr *transform_column_ref(tn_transform *tr, PgQuery__ColumnRef *ref)
{
    tn_ast_expr *expr = new_expr(tr, TN_AST_COLUMN_REF, ref->location, 0);
    if (!expr)
        return NULL;
    expr->names = tn_arena_zalloc(tr->arena, sizeof *expr->names * (ref->n_fields + 1));
    if (!expr->names) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < ref->n_fields; idx++) {
        PgQuery__Node *field = ref->fields[idx];
        if (field->node_case == PG_QUERY__NODE__NODE_A_STAR) {
            expr->is_star = true;
        } else if (field->node_case == PG_QUERY__NODE__NODE_STRING) {
            expr->names[expr->name_count++] = field->string->sval;
        } else {
            tn_transform_unsupported(tr, ref->location, "this column reference is not supported yet");
            return NULL;
        }
    }
    if (expr->name_count > 3) {
        tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, expr->location,
                     "improper qualified name (too many dotted names)");
        return NULL;
    }
    return expr;
}

static tn_ast_expr *transform_a_expr(tn_transform *tr, PgQuery__AExpr *in)
{
    const char *name = last_name(in->name, in->n_name);
    tn_ast_expr *expr;
    switch (in->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_ILIKE:
    case PG_QUERY__A__EXPR__KIND__AEXPR_SIMILAR: /* "~" / "!~" over similar_to_escape(...) */
        expr = new_expr(tr, TN_AST_OPERATOR, in->location, in->lexpr ? 2 : 1);
        if (!expr)
            return NULL;
        expr->name = name;
        if (in->lexpr && !(expr->args[0] = tn_transform_expr(tr, in->lexpr)))
            return NULL;
        if (!(expr->args[expr->arg_count - 1] = tn_transform_expr(tr, in->rexpr)))
            return NULL;
        return expr;
    case PG_QUERY__A__EXPR__KIND__AEXPR_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF:
        expr = new_expr(tr, in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF ? TN_AST_NULLIF : TN_AST_DISTINCT,
                        in->location, 2);
        if (!expr)
            return NULL;
        expr->is_negated = in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_DISTINCT;
        if (!(expr->args[0] = tn_transform_expr(tr, in->lexpr)) ||
            !(expr->args[1] = tn_transform_expr(tr, in->rexpr)))
            return NULL;
        return expr;
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN: {
        PgQuery__List *list = in->rexpr->list;
        expr = new_expr(tr, TN_AST_IN_LIST, in->location, (int)list->n_items + 1);
        if (!expr)
            return NULL;
        expr->is_negated = strcmp(name, "<>") == 0;
        if (!(expr->args[0] = tn_transform_expr(tr, in->lexpr)) ||
            transform_list(tr, list->items, list->n_items, expr->args + 1) < 0)
            return NULL;
        return expr;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
    case PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM: {
        PgQuery__List *list = in->rexpr->list;
        expr = new_expr(tr, TN_AST_BETWEEN, in->location, 3);
        if (!expr)
            return NULL;
        expr->is_negated = in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN ||
                           in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
        expr->is_symmetric = in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM ||
                             in->kind == PG_QUERY__A__EXPR__KIND__AEXPR_NOT_BETWEEN_SYM;
        if (!(expr->args[0] = tn_transform_expr(tr, in->lexpr)) ||
            transform_list(tr, list->items, list->n_items, expr->args + 1) < 0)
            return NULL;
        return expr;
    }
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ALL:
        tn_transform_unsupported(tr, in->location, "ANY/ALL over arrays is not supported yet");
        return NULL;
    default:
        tn_transform_unsupported(tr, in->location, "SIMILAR TO is not supported yet");
        return NULL;
    }
}

static tn_ast_expr *transform_func_call(tn_transform *tr, PgQuery__FuncCall *call)
{
    if (call->func_variadic) {
        tn_transform_unsupported(tr, call->location, "VARIADIC arguments are not supported yet");
        return NULL;
    }
    tn_ast_expr *expr = new_expr(tr, TN_AST_FUNCTION, call->location, (int)call->n_args);
    if (!expr)
        return NULL;
    expr->names = tn_arena_zalloc(tr->arena, sizeof *expr->names * (call->n_funcname + 1));
    if (!expr->names) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < call->n_funcname; idx++)
        if (call->funcname[idx]->node_case == PG_QUERY__NODE__NODE_STRING)
            expr->names[expr->name_count++] = call->funcname[idx]->string->sval;
    expr->name = last_name(call->funcname, call->n_funcname);
    expr->is_star = call->agg_star;
    expr->is_distinct = call->agg_distinct;
    if (transform_list(tr, call->args, call->n_args, expr->args) < 0)
        return NULL;
    if (call->agg_filter && !(expr->filter = tn_transform_expr(tr, call->agg_filter)))
        return NULL;
    if (call->over && !(expr->over = tn_transform_window(tr, call->over)))
        return NULL;
    expr->is_within_group = call->agg_within_group;
    if (call->n_agg_order > 0 && tn_transform_sorts(tr, call->agg_order, call->n_agg_order, &expr->agg_order) < 0)
        return NULL;
    expr->agg_order_count = (int)call->n_agg_order;
    return expr;
}

static tn_ast_expr *transform_sub_link(tn_transform *tr, PgQuery__SubLink *link)
{
    tn_ast_subquery_kind kind;
    switch (link->sub_link_type) {
    case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK: kind = TN_AST_SUBQUERY_EXISTS; break;
    case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: kind = TN_AST_SUBQUERY_SCALAR; break;
    case PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK: kind = TN_AST_SUBQUERY_ANY; break;
    case PG_QUERY__SUB_LINK_TYPE__ALL_SUBLINK: kind = TN_AST_SUBQUERY_ALL; break;
    default:
        tn_transform_unsupported(tr, link->location, "this kind of subquery is not supported yet");
        return NULL;
    }
    bool has_test = kind == TN_AST_SUBQUERY_ANY || kind == TN_AST_SUBQUERY_ALL;
    tn_ast_expr *expr = new_expr(tr, TN_AST_SUBQUERY, link->location, has_test ? 1 : 0);
    if (!expr)
        return NULL;
    expr->subquery_kind = kind;
    expr->name = link->n_oper_name > 0 ? last_name(link->oper_name, link->n_oper_name) : "=";
    if (has_test) {
        if (link->testexpr->node_case == PG_QUERY__NODE__NODE_ROW_EXPR) {
            tn_transform_unsupported(tr, link->location, "row comparisons with subqueries are not supported yet");
            return NULL;
        }
        if (!(expr->args[0] = tn_transform_expr(tr, link->testexpr)))
            return NULL;
    }
    if (!(expr->subquery = tn_transform_select(tr, link->subselect->select_stmt)))
        return NULL;
    return expr;
}

static tn_ast_expr *transform_case(tn_transform *tr, PgQuery__CaseExpr *in)
{
    tn_ast_expr *expr = new_expr(tr, TN_AST_CASE, in->location, 1 + 2 * (int)in->n_args);
    if (!expr)
        return NULL;
    if (in->arg && !(expr->args[0] = tn_transform_expr(tr, in->arg)))
        return NULL;
    for (size_t idx = 0; idx < in->n_args; idx++) {
        PgQuery__CaseWhen *when = in->args[idx]->case_when;
        if (!(expr->args[1 + 2 * idx] = tn_transform_expr(tr, when->expr)) ||
            !(expr->args[2 + 2 * idx] = tn_transform_expr(tr, when->result)))
            return NULL;
    }
    if (in->defresult && !(expr->else_expr = tn_transform_expr(tr, in->defresult)))
        return NULL;
    return expr;
}

static tn_ast_expr *transform_sql_value(tn_transform *tr, PgQuery__SQLValueFunction *value)
{
    const char *name, *spelling;
    switch (value->op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: name = spelling = "current_date"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP: name = "now"; spelling = "current_timestamp"; break;
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP: name = spelling = "localtimestamp"; break;
    default:
        tn_transform_unsupported(tr, value->location, "this SQL value function is not supported yet");
        return NULL;
    }
    tn_ast_expr *expr = new_expr(tr, TN_AST_FUNCTION, value->location, 0);
    if (expr) {
        expr->name = name;
        expr->text = spelling; /* the output column's name */
    }
    return expr;
}

/* A best-effort location of any node, for "not supported" errors. */
static int node_location(PgQuery__Node *node)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: return node->a_array_expr->location;
    case PG_QUERY__NODE__NODE_ROW_EXPR: return node->row_expr->location;
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: return node->collate_clause->location;
    case PG_QUERY__NODE__NODE_GROUPING_FUNC: return node->grouping_func->location;
    default: return -1;
    }
}

tn_ast_expr *tn_transform_expr(tn_transform *tr, PgQuery__Node *node)
{
    tn_ast_expr *expr;
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        return transform_constant(tr, node->a_const);
    case PG_QUERY__NODE__NODE_COLUMN_REF:
        return transform_column_ref(tr, node->column_ref);
    case PG_QUERY__NODE__NODE_PARAM_REF:
        expr = new_expr(tr, TN_AST_PARAMETER, node->param_ref->location, 0);
        if (expr)
            expr->integer = node->param_ref->number;
        return expr;
    case PG_QUERY__NODE__NODE_A_EXPR:
        return transform_a_expr(tr, node->a_expr);
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
        PgQuery__BoolExpr *in = node->bool_expr;
        tn_ast_expr_kind kind = in->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR  ? TN_AST_AND
                                : in->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR ? TN_AST_OR
                                                                                  : TN_AST_NOT;
        expr = new_expr(tr, kind, in->location, (int)in->n_args);
        if (!expr || transform_list(tr, in->args, in->n_args, expr->args) < 0)
            return NULL;
        return expr;
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return transform_func_call(tr, node->func_call);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        PgQuery__TypeCast *in = node->type_cast;
        expr = new_expr(tr, TN_AST_CAST, in->location, 1);
        if (!expr || !(expr->args[0] = tn_transform_expr(tr, in->arg)) ||
            tn_transform_type(tr, in->type_name, &expr->cast_type) < 0)
            return NULL;
        return expr;
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return transform_sub_link(tr, node->sub_link);
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return transform_case(tr, node->case_expr);
    case PG_QUERY__NODE__NODE_NULL_TEST:
        expr = new_expr(tr, TN_AST_IS_NULL, node->null_test->location, 1);
        if (!expr || !(expr->args[0] = tn_transform_expr(tr, node->null_test->arg)))
            return NULL;
        expr->is_negated = node->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL;
        return expr;
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
        PgQuery__BooleanTest *in = node->boolean_test;
        expr = new_expr(tr, TN_AST_BOOL_TEST, in->location, 1);
        if (!expr || !(expr->args[0] = tn_transform_expr(tr, in->arg)))
            return NULL;
        switch (in->booltesttype) {
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_TRUE: expr->is_negated = true; /* fall through */
        case PG_QUERY__BOOL_TEST_TYPE__IS_TRUE: expr->name = "true"; break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_FALSE: expr->is_negated = true; /* fall through */
        case PG_QUERY__BOOL_TEST_TYPE__IS_FALSE: expr->name = "false"; break;
        case PG_QUERY__BOOL_TEST_TYPE__IS_NOT_UNKNOWN: expr->is_negated = true; /* fall through */
        default: expr->name = "unknown"; break;
        }
        return expr;
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        expr = new_expr(tr, TN_AST_COALESCE, node->coalesce_expr->location,
                        (int)node->coalesce_expr->n_args);
        if (!expr || transform_list(tr, node->coalesce_expr->args, node->coalesce_expr->n_args,
                                    expr->args) < 0)
            return NULL;
        return expr;
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        expr = new_expr(tr, TN_AST_MIN_MAX, node->min_max_expr->location,
                        (int)node->min_max_expr->n_args);
        if (!expr || transform_list(tr, node->min_max_expr->args, node->min_max_expr->n_args,
                                    expr->args) < 0)
            return NULL;
        expr->name = node->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
        return expr;
    case PG_QUERY__NODE__NODE_SET_TO_DEFAULT:
        return new_expr(tr, TN_AST_DEFAULT, node->set_to_default->location, 0);
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
        return transform_sql_value(tr, node->sqlvalue_function);
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
        expr = new_expr(tr, TN_AST_GROUPING, node->grouping_func->location, (int)node->grouping_func->n_args);
        if (!expr || transform_list(tr, node->grouping_func->args, node->grouping_func->n_args, expr->args) < 0)
            return NULL;
        return expr;
    default: {
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, (unsigned)node->node_case);
        tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, tn_transform_location(tr, node_location(node)),
                     "expression %s is not supported yet", field ? field->name : "node");
        return NULL;
    }
    }
}

/* ---- type names ---- */

static const struct {
    const char *name;
    tn_type_id id;
} type_names[] = {
    {"bool", TN_TYPE_BOOL},       {"boolean", TN_TYPE_BOOL},         {"int2", TN_TYPE_INT16},
    {"smallint", TN_TYPE_INT16},  {"int4", TN_TYPE_INT32},           {"int", TN_TYPE_INT32},
    {"integer", TN_TYPE_INT32},   {"int8", TN_TYPE_INT64},           {"bigint", TN_TYPE_INT64},
    {"float4", TN_TYPE_FLOAT32},  {"real", TN_TYPE_FLOAT32},         {"float8", TN_TYPE_FLOAT64},
    {"numeric", TN_TYPE_NUMERIC}, {"decimal", TN_TYPE_NUMERIC},      {"text", TN_TYPE_TEXT},
    {"varchar", TN_TYPE_TEXT},    {"bpchar", TN_TYPE_TEXT},          {"date", TN_TYPE_DATE},
    {"timestamp", TN_TYPE_TIMESTAMP}, {"timestamptz", TN_TYPE_TIMESTAMPTZ},
    {"interval", TN_TYPE_INTERVAL}, {"time", TN_TYPE_TIME},         {"bytea", TN_TYPE_BYTEA},
};

/* PostgreSQL types tarn knows of but cannot store yet. */
static const char *const unsupported_types[] = {
    "json", "jsonb", "uuid", "timetz", "money", "bit", "varbit", "inet",
    "cidr", "macaddr", "point", "xml", "oid", "name", "char", "regclass",
};

static int typmod_value(tn_transform *tr, PgQuery__Node *node, int location, int *out)
{
    if (node->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        *out = node->a_const->ival->ival;
        return 0;
    }
    return tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, location, "type modifiers must be simple constants");
}

int tn_transform_type(tn_transform *tr, PgQuery__TypeName *in, tn_ast_type *out)
{
    const char *name = last_name(in->names, in->n_names);
    int location = tn_transform_location(tr, in->location);
    out->name = name;
    out->location = location;
    if (in->n_array_bounds > 0)
        return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location, "array types are not supported yet");
    int found = -1;
    for (size_t idx = 0; idx < sizeof type_names / sizeof type_names[0]; idx++)
        if (strcmp(name, type_names[idx].name) == 0)
            found = (int)idx;
    if (found < 0) {
        for (size_t idx = 0; idx < sizeof unsupported_types / sizeof unsupported_types[0]; idx++)
            if (strcmp(name, unsupported_types[idx]) == 0)
                return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                                    "type %s is not supported yet", name);
        return tn_error_set(tr->err, TN_ERR_UNDEFINED_OBJECT, location, "type \"%s\" does not exist", name);
    }
    out->type = tn_type_make(type_names[found].id);
    int mods[2] = {0, 0};
    if (in->n_typmods > 2 || (in->n_typmods > 0 && out->type.id != TN_TYPE_NUMERIC &&
                              out->type.id != TN_TYPE_TEXT && out->type.id != TN_TYPE_INTERVAL &&
                              out->type.id != TN_TYPE_TIMESTAMP && out->type.id != TN_TYPE_TIMESTAMPTZ &&
                              out->type.id != TN_TYPE_TIME))
        return tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, location, "invalid type modifier");
    for (size_t idx = 0; idx < in->n_typmods; idx++)
        if (typmod_value(tr, in->typmods[idx], location, &mods[idx]) < 0)
            return -1;
    if (out->type.id == TN_TYPE_INTERVAL && in->n_typmods > 0) {
        /* mods[0] is the field mask; 0x7FFF (all fields) restricts nothing */
        out->interval_fields = mods[0] == 0x7FFF ? 0 : mods[0];
        if (in->n_typmods > 1)
            return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                                "interval precision is not supported yet");
    }
    if (out->type.id == TN_TYPE_NUMERIC && in->n_typmods > 0) {
        if (mods[0] < 1 || mods[0] > 1000)
            return tn_error_set(tr->err, TN_ERR_INVALID_PARAMETER_VALUE, location,
                                "NUMERIC precision %d must be between 1 and 1000", mods[0]);
        if (mods[0] > TN_NUMERIC_MAX_PRECISION)
            return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                                "NUMERIC precision %d is not supported yet (at most %d)", mods[0],
                                TN_NUMERIC_MAX_PRECISION);
        if (mods[1] < 0 || mods[1] > mods[0])
            return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                                "NUMERIC scale %d is not supported (must be between 0 and %d)", mods[1],
                                mods[0]);
        out->type = tn_type_numeric(mods[0], mods[1]);
    } else if (out->type.id == TN_TYPE_TEXT && in->n_typmods > 0 && strcmp(name, "varchar") == 0) {
        if (mods[0] < 1)
            return tn_error_set(tr->err, TN_ERR_INVALID_PARAMETER_VALUE, location,
                                "length for type varchar must be at least 1");
        out->type.precision = (int16_t)(mods[0] > INT16_MAX ? INT16_MAX : mods[0]);
    }
    return 0;
}
