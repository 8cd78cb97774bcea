/*
 * Table functions in FROM: generate_series(...), regexp_split_to_table(...)
 * (exec/table_function.h), optionally WITH ORDINALITY, into a
 * TABLE_FUNCTION plan node run by the function scan operator.
 *
 * The arguments are bound in an empty scope of the FROM clause's query,
 * so they may use constants, parameters and the enclosing queries'
 * columns (a correlated subquery), not the sibling FROM items (that would
 * be LATERAL).  PostgreSQL's naming: a function returning one column is
 * a relation named by its alias (or the function's name) whose column
 * also takes that name unless column aliases are given; WITH ORDINALITY
 * adds the bigint column "ordinality".
 */
#include "sql/binder.h"

#include <string.h>

#include "exec/table_function.h"

tn_logical *tn_bind_function_scan(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out)
{
    tn_ast_expr *call = from->function;
    if (strcmp(call->name, "unnest") == 0) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location,
                     "unnest is not supported: tarn has no arrays");
        return NULL;
    }
    const tn_table_function *function = tn_table_function_lookup(call->name);
    if (!function) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location, "function %s in FROM is not supported yet",
                     call->name);
        return NULL;
    }
    if (call->is_star || call->is_distinct || call->filter || call->over || call->agg_order) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, call->location, "%s is not an aggregate function", call->name);
        return NULL;
    }
    tn_expr **args = tn_arena_zalloc(b->arena, sizeof *args * (size_t)(call->arg_count + 1));
    tn_bind_scope *empty = args ? tn_bind_scope_new(b, parent) : NULL;
    if (!empty) {
        tn_error_oom(b->err);
        return NULL;
    }
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_FUNCTION;
    for (int idx = 0; idx < call->arg_count; idx++) {
        if (!(args[idx] = tn_bind_expr(b, empty, call->args[idx]))) {
            b->clause = saved;
            return NULL;
        }
    }
    b->clause = saved;
    tn_type type;
    if (function->bind(b->arena, call->name, args, call->arg_count, call->location, &type, b->err) < 0)
        return NULL;
    int count = from->with_ordinality ? 2 : 1;
    const char *alias = from->alias ? from->alias : call->name;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_TABLE_FUNCTION, count);
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
    node->types[0] = rel->types[0] = type;
    node->names[0] = rel->names[0] = from->column_alias_count > 0 ? from->column_aliases[0] : alias;
    if (from->with_ordinality) {
        node->types[1] = rel->types[1] = tn_type_make(TN_TYPE_INT64);
        node->names[1] = rel->names[1] = from->column_alias_count > 1 ? from->column_aliases[1] : "ordinality";
    }
    node->function_name = function->name;
    node->table_function = function;
    node->function_exprs = args;
    node->function_arg_count = call->arg_count;
    node->with_ordinality = from->with_ordinality;
    *out = scope;
    return node;
}
