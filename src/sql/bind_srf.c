/*
 * Table functions in FROM: generate_series(...), regexp_split_to_table(...)
 * (exec/table_function.h), optionally WITH ORDINALITY, into a
 * TABLE_FUNCTION plan node run by the function scan operator.
 *
 * The arguments may use constants, parameters, the enclosing queries'
 * columns (a correlated subquery) and, as in PostgreSQL where a function
 * in FROM is implicitly LATERAL, the FROM items before it in a FROM list:
 * then the node runs over them (a lateral call per row, TABLE_FUNCTION
 * with a child).  PostgreSQL's naming: a function returning one column is
 * a relation named by its alias (or the function's name) whose column
 * also takes that name unless column aliases are given; WITH ORDINALITY
 * adds the bigint column "ordinality".
 */
#include "sql/binder.h"

#include <string.h>

#include "exec/table_function.h"

static bool reads_row(const tn_expr *expr)
{
    if (expr->kind == TN_EXPR_COLUMN || (expr->kind == TN_EXPR_SUBQUERY && expr->is_correlated))
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (reads_row(expr->args[idx]))
            return true;
    return false;
}

/* The call of from bound with its arguments in arg_scope; over left (a
 * lateral call) when they read arg_scope's row. */
static tn_logical *bind_call(tn_binder *b, tn_ast_from *from, const tn_table_function *function,
                             tn_bind_scope *arg_scope, tn_bind_scope *parent, tn_logical *left, tn_bind_scope **out)
{
    tn_ast_expr *call = from->function;
    if (call->is_star || call->is_distinct || call->filter || call->over || call->agg_order) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, call->location, "%s is not an aggregate function", call->name);
        return NULL;
    }
    tn_expr **args = tn_arena_zalloc(b->arena, sizeof *args * (size_t)(call->arg_count + 1));
    if (!args) {
        tn_error_oom(b->err);
        return NULL;
    }
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_FUNCTION;
    bool lateral = false;
    for (int idx = 0; idx < call->arg_count; idx++) {
        if (!(args[idx] = tn_bind_expr(b, arg_scope, call->args[idx]))) {
            b->clause = saved;
            return NULL;
        }
        lateral |= left && reads_row(args[idx]);
    }
    b->clause = saved;
    tn_type type;
    if (function->bind(b->arena, call->name, args, call->arg_count, call->location, &type, b->err) < 0)
        return NULL;
    int count = from->with_ordinality ? 2 : 1;
    int width = lateral ? left->column_count : 0;
    const char *alias = from->alias ? from->alias : call->name;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_TABLE_FUNCTION, width + count);
    tn_bind_scope *scope = node ? tn_bind_scope_new(b, parent) : NULL;
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, alias, count, from->location) : NULL;
    if (!rel) {
        if (!node)
            tn_error_oom(b->err);
        return NULL;
    }
    if (from->column_alias_count > count) {
        tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, from->location,
                     "table \"%s\" has %d columns available but %d columns specified", alias, count,
                     from->column_alias_count);
        return NULL;
    }
    if (lateral) {
        memcpy(node->types, left->types, sizeof *node->types * (size_t)width);
        memcpy(node->names, left->names, sizeof *node->names * (size_t)width);
        node->children[0] = left;
        node->child_count = 1;
    }
    node->types[width] = rel->types[0] = type;
    node->names[width] = rel->names[0] = from->column_alias_count > 0 ? from->column_aliases[0] : alias;
    if (from->with_ordinality) {
        node->types[width + 1] = rel->types[1] = tn_type_make(TN_TYPE_INT64);
        node->names[width + 1] = rel->names[1] = from->column_alias_count > 1 ? from->column_aliases[1] : "ordinality";
    }
    node->function_name = function->name;
    node->table_function = function;
    node->function_exprs = args;
    node->function_arg_count = call->arg_count;
    node->with_ordinality = from->with_ordinality;
    *out = scope;
    return node;
}

static const tn_table_function *lookup(tn_binder *b, const tn_ast_expr *call)
{
    if (strcmp(call->name, "unnest") == 0) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location,
                     "unnest is not supported: tarn has no arrays");
        return NULL;
    }
    const tn_table_function *function = tn_table_function_lookup(call->name);
    if (!function)
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location, "function %s in FROM is not supported yet",
                     call->name);
    return function;
}

tn_logical *tn_bind_function_scan(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out)
{
    const tn_table_function *function = lookup(b, from->function);
    tn_bind_scope *empty = function ? tn_bind_scope_new(b, parent) : NULL;
    if (function && !empty)
        tn_error_oom(b->err);
    return empty ? bind_call(b, from, function, empty, parent, NULL, out) : NULL;
}

tn_logical *tn_bind_lateral_function(tn_binder *b, tn_ast_from *from, tn_bind_scope *scope, tn_logical *left,
                                     tn_bind_scope *parent, tn_bind_scope **out)
{
    if (strcmp(from->function->name, "read_parquet") == 0)
        return tn_bind_from(b, from, parent, out);
    const tn_table_function *function = lookup(b, from->function);
    return function ? bind_call(b, from, function, scope, parent, left, out) : NULL;
}

static bool has_aggregate(const tn_ast_expr *expr)
{
    if (expr == NULL)
        return false;
    if (expr->kind == TN_AST_FUNCTION && (expr->over || tn_aggregate_exists(expr->name)))
        return true;
    for (int idx = 0; idx < expr->arg_count; idx++)
        if (has_aggregate(expr->args[idx]))
            return true;
    return has_aggregate(expr->else_expr);
}

static bool is_srf_call(const tn_ast_expr *expr)
{
    return expr->kind == TN_AST_FUNCTION && !expr->over && tn_table_function_lookup(expr->name) != NULL;
}

int tn_bind_srf_targets(tn_binder *b, tn_ast_select *select)
{
    int found = -1;
    for (int idx = 0; idx < select->target_count; idx++) {
        const tn_ast_expr *expr = select->targets[idx].expr;
        if (!expr || !is_srf_call(expr))
            continue;
        if (found >= 0)
            return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, expr->location,
                                "more than one set-returning function in a select list is not supported");
        found = idx;
    }
    if (found < 0)
        return 0;
    tn_ast_expr *call = select->targets[found].expr;
    bool aggregates = select->group_count > 0 || select->having || select->is_distinct || select->distinct_on_count > 0 ||
                      select->window_count > 0;
    for (int idx = 0; idx < select->target_count && !aggregates; idx++)
        aggregates = has_aggregate(select->targets[idx].expr);
    if (aggregates)
        return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location,
                            "set-returning functions in a select list with aggregates, GROUP BY or DISTINCT are not "
                            "supported");
    /* the call joins the FROM list (laterally) under a name no query can
     * spell; the select list reads its column */
    tn_ast_from *from = tn_arena_zalloc(b->arena, sizeof *from);
    tn_ast_from **list = tn_arena_alloc(b->arena, sizeof *list * (size_t)(select->from_count + 1));
    const char **aliases = tn_arena_alloc(b->arena, sizeof *aliases);
    const char **names = tn_arena_alloc(b->arena, sizeof *names * 2);
    tn_ast_expr *ref = tn_arena_zalloc(b->arena, sizeof *ref);
    if (!from || !list || !aliases || !names || !ref)
        return tn_error_oom(b->err);
    from->kind = TN_AST_FROM_FUNCTION;
    from->location = call->location;
    from->function = call;
    from->alias = "*SELECT* set-returning function";
    aliases[0] = call->name;
    from->column_aliases = aliases;
    from->column_alias_count = 1;
    if (select->from_count > 0)
        memcpy(list, select->from, sizeof *list * (size_t)select->from_count);
    list[select->from_count] = from;
    select->from = list;
    select->from_count++;
    names[0] = from->alias;
    names[1] = call->name;
    ref->kind = TN_AST_COLUMN_REF;
    ref->location = call->location;
    ref->names = names;
    ref->name_count = 2;
    select->targets[found].expr = ref;
    return 0;
}
