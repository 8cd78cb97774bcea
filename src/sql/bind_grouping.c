/*
 * GROUPING SETS, ROLLUP, CUBE and GROUPING(...) in the binder.
 *
 * The transform has already expanded the GROUP BY clause into a list of
 * sets, each a list of positions into select->groups.  Here duplicate group
 * expressions are merged (ROLLUP (a, b), a lists a twice) and every set
 * becomes a bitmask over the merged groups, which the AGGREGATE node
 * carries to the executor (op_hash_aggregate.c aggregates each row once
 * per set and appends a grouping id column: bit i set = group i absent).
 *
 * GROUPING(a, b) is bound in two steps, as aggregates are: first into a
 * placeholder COLUMN (TN_BIND_GROUPING_CALL, its arguments bound over the
 * FROM row); then, when bind_select.c rewrites the select list, HAVING,
 * ORDER BY and window functions onto the aggregate's output, each argument
 * is matched against the groups (42803 when it is none of them) and the
 * placeholder becomes PostgreSQL's value: bit(a) * 2 + bit(b) read from
 * the grouping id column, or 0 under a plain GROUP BY.
 */
#include "sql/binder.h"

#include <limits.h>

/* PostgreSQL's limit: the result is an int with one bit per argument. */
#define MAX_GROUPING_ARGS 31
/* The grouping id is a bigint bitmask over the groups. */
#define MAX_GROUPS_WITH_SETS 63

tn_expr *tn_bind_grouping(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    if (b->clause != TN_CLAUSE_SELECT) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->location, "grouping operations are not allowed in %s",
                     tn_bind_clause_name(b->clause));
        return NULL;
    }
    if (b->in_aggregate) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->location, "aggregate function calls cannot be nested");
        return NULL;
    }
    if (ast->arg_count > MAX_GROUPING_ARGS) {
        tn_error_set(b->err, TN_ERR_TOO_MANY_ARGUMENTS, ast->location, "GROUPING must have fewer than 32 arguments");
        return NULL;
    }
    if (!b->select || b->select->group_count == 0) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->args[0]->location,
                     "arguments to GROUPING must be grouping expressions of the associated query level");
        return NULL;
    }
    tn_expr *call = tn_expr_column(b->arena, TN_BIND_GROUPING_CALL, tn_type_make(TN_TYPE_INT32), ast->location);
    if (!call || !(call->args = tn_arena_zalloc(b->arena, sizeof *call->args * (size_t)ast->arg_count))) {
        tn_error_oom(b->err);
        return NULL;
    }
    call->arg_count = ast->arg_count;
    /* an argument of an enclosing query makes GROUPING belong to that
     * query, which only PostgreSQL's own planner untangles */
    int saved_min = b->min_level;
    b->min_level = INT_MAX;
    for (int idx = 0; idx < ast->arg_count; idx++)
        if (!(call->args[idx] = tn_bind_expr(b, scope, ast->args[idx])))
            return NULL;
    bool outer = b->min_level < scope->level;
    if (b->min_level > saved_min)
        b->min_level = saved_min;
    if (outer) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                     "GROUPING over columns of an outer query is not supported yet");
        return NULL;
    }
    return call;
}

int tn_bind_grouping_sets(tn_binder *b, const tn_ast_select *select, tn_expr **groups, int *group_count,
                          uint64_t **sets, int *set_count)
{
    /* merged[i]: the merged position of select->groups[i] */
    int *merged = tn_arena_zalloc(b->arena, sizeof *merged * (size_t)(select->group_count + 1));
    if (!merged)
        return tn_error_oom(b->err);
    int count = 0;
    for (int idx = 0; idx < select->group_count; idx++) {
        int at = 0;
        while (at < count && !tn_bind_expr_equal(groups[at], groups[idx]))
            at++;
        if (at == count)
            groups[count++] = groups[idx];
        merged[idx] = at;
    }
    if (count > MAX_GROUPS_WITH_SETS)
        return tn_error_set(b->err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, select->groups[0]->location,
                            "GROUPING SETS are limited to %d distinct grouping expressions", MAX_GROUPS_WITH_SETS);
    uint64_t *masks = tn_arena_zalloc(b->arena, sizeof *masks * (size_t)select->grouping_set_count);
    if (!masks)
        return tn_error_oom(b->err);
    for (int s = 0; s < select->grouping_set_count; s++)
        for (int k = 0; k < select->grouping_set_sizes[s]; k++)
            masks[s] |= UINT64_C(1) << merged[select->grouping_sets[s][k]];
    *group_count = count;
    uint64_t all = count == 64 ? UINT64_MAX : (UINT64_C(1) << count) - 1;
    if (select->grouping_set_count == 1 && masks[0] == all) {
        /* GROUP BY () or one set naming every group: a plain GROUP BY */
        *sets = NULL;
        *set_count = 0;
        return 0;
    }
    *sets = masks;
    *set_count = select->grouping_set_count;
    return 0;
}

/* left op right over bigints. */
static tn_expr *apply(tn_binder *b, const char *op, tn_expr *left, tn_expr *right)
{
    tn_expr *args[2] = {left, right};
    return left && right ? tn_function_bind(b->arena, op, args, 2, 0, b->err) : NULL;
}

static tn_expr *bigint(tn_binder *b, int64_t number)
{
    tn_value value = {.type = tn_type_make(TN_TYPE_INT64), .u.integer = number};
    return tn_expr_constant(b->arena, &value, 0);
}

int tn_bind_grouping_rewrite(tn_binder *b, tn_expr **groups, int group_count, tn_expr **slot)
{
    tn_expr *call = *slot;
    int *positions = tn_arena_zalloc(b->arena, sizeof *positions * (size_t)(call->arg_count + 1));
    if (!positions)
        return tn_error_oom(b->err);
    for (int idx = 0; idx < call->arg_count; idx++) {
        positions[idx] = -1;
        for (int g = 0; g < group_count && positions[idx] < 0; g++)
            if (tn_bind_expr_equal(call->args[idx], groups[g]))
                positions[idx] = g;
        if (positions[idx] < 0)
            return tn_error_set(b->err, TN_ERR_GROUPING_ERROR, call->args[idx]->location,
                                "arguments to GROUPING must be grouping expressions of the associated query level");
    }
    if (b->grouping_column < 0) {
        tn_value zero = {.type = tn_type_make(TN_TYPE_INT32)};
        if (!(*slot = tn_expr_constant(b->arena, &zero, call->location)))
            return tn_error_oom(b->err);
        return 0;
    }
    /* bit(arg 0) * 2^(n-1) + ... + bit(arg n-1), bit(g) = (id >> g) & 1 */
    tn_expr *value = NULL;
    for (int idx = 0; idx < call->arg_count; idx++) {
        tn_expr *id = tn_expr_column(b->arena, b->grouping_column, tn_type_make(TN_TYPE_INT64), call->location);
        tn_value shift_value = {.type = tn_type_make(TN_TYPE_INT32), .u.integer = positions[idx]};
        tn_expr *shift = tn_expr_constant(b->arena, &shift_value, 0);
        tn_expr *bit = apply(b, "&", apply(b, ">>", id, shift), bigint(b, 1));
        value = value ? apply(b, "+", apply(b, "*", value, bigint(b, 2)), bit) : bit;
        if (!value)
            return tn_error_is_set(b->err) ? -1 : tn_error_oom(b->err);
    }
    tn_expr *cast = tn_expr_cast(b->arena, value, tn_type_make(TN_TYPE_INT32), TN_CAST_EXPLICIT, b->err);
    if (!cast)
        return tn_error_is_set(b->err) ? -1 : tn_error_oom(b->err);
    cast->location = call->location;
    *slot = cast;
    return 0;
}
