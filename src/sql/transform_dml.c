/*
 * Transform of INSERT (with ON CONFLICT), UPDATE [... FROM] and DELETE [...
 * USING].  RETURNING and WITH are refused with 0A000.  The FROM / USING
 * items are transformed as the FROM list of a SELECT without targets.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

static int transform_target(tn_transform *tr, PgQuery__RangeVar *var, tn_ast_statement *stmt);
static tn_ast_statement *transform_insert(tn_transform *tr, PgQuery__InsertStmt *in);
static tn_ast_statement *transform_update(tn_transform *tr, PgQuery__UpdateStmt *in);
static tn_ast_statement *transform_delete(tn_transform *tr, PgQuery__DeleteStmt *in);

static int transform_target(tn_transform *tr, PgQuery__RangeVar *var, tn_ast_statement *stmt)
{
    stmt->target.schema = var->schemaname[0] ? var->schemaname : NULL;
    stmt->target.name = var->relname;
    stmt->target.location = tn_transform_location(tr, var->location);
    stmt->target_alias = var->alias ? var->alias->aliasname : NULL;
    return 0;
}

/* UPDATE ... FROM / DELETE ... USING items, as the FROM list of a SELECT. */
static tn_ast_select *transform_extra_from(tn_transform *tr, PgQuery__Node **items, size_t count)
{
    PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
    select.from_clause = items;
    select.n_from_clause = count;
    select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    return tn_transform_select(tr, &select);
}

/* SET targets of UPDATE and ON CONFLICT DO UPDATE. */
static tn_ast_set_clause *transform_sets(tn_transform *tr, PgQuery__Node **targets, size_t count)
{
    tn_ast_set_clause *sets = tn_arena_zalloc(tr->arena, sizeof *sets * (count + 1));
    if (!sets) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < count; idx++) {
        PgQuery__ResTarget *target = targets[idx]->res_target;
        if (target->n_indirection > 0 || target->val->node_case == PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) {
            tn_transform_unsupported(tr, target->location, "this form of SET is not supported yet");
            return NULL;
        }
        sets[idx].column = target->name;
        sets[idx].location = tn_transform_location(tr, target->location);
        if (!(sets[idx].expr = tn_transform_expr(tr, target->val)))
            return NULL;
    }
    return sets;
}

static tn_ast_on_conflict *transform_on_conflict(tn_transform *tr, PgQuery__OnConflictClause *in)
{
    tn_ast_on_conflict *out = tn_arena_zalloc(tr->arena, sizeof *out);
    if (!out) {
        tn_error_oom(tr->err);
        return NULL;
    }
    out->location = tn_transform_location(tr, in->location);
    out->is_update = in->action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_UPDATE;
    PgQuery__InferClause *infer = in->infer;
    if (infer) {
        if (infer->where_clause) {
            tn_transform_unsupported(tr, infer->location, "ON CONFLICT with a WHERE on the conflict target is not supported");
            return NULL;
        }
        out->constraint = infer->conname[0] ? infer->conname : NULL;
        out->columns = tn_arena_zalloc(tr->arena, sizeof *out->columns * (infer->n_index_elems + 1));
        if (!out->columns) {
            tn_error_oom(tr->err);
            return NULL;
        }
        for (size_t idx = 0; idx < infer->n_index_elems; idx++) {
            PgQuery__IndexElem *elem = infer->index_elems[idx]->index_elem;
            if (!elem->name[0] || elem->n_collation > 0 || elem->n_opclass > 0) {
                tn_transform_unsupported(tr, infer->location, "ON CONFLICT on expressions is not supported");
                return NULL;
            }
            out->columns[idx] = elem->name;
        }
        out->column_count = (int)infer->n_index_elems;
    }
    if (out->is_update) {
        if (!(out->sets = transform_sets(tr, in->target_list, in->n_target_list)))
            return NULL;
        out->set_count = (int)in->n_target_list;
        if (in->where_clause && !(out->where = tn_transform_expr(tr, in->where_clause)))
            return NULL;
    }
    return out;
}

static tn_ast_statement *transform_insert(tn_transform *tr, PgQuery__InsertStmt *in)
{
    if (in->with_clause || in->n_returning_list > 0) {
        tn_transform_unsupported(tr, in->relation->location,
                                 in->with_clause ? "WITH queries are not supported yet" : "RETURNING is not supported yet");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_INSERT;
    stmt->tag = "INSERT";
    transform_target(tr, in->relation, stmt);
    if (in->n_cols > 0) {
        stmt->columns = tn_arena_alloc(tr->arena, sizeof *stmt->columns * in->n_cols);
        stmt->column_locations = tn_arena_alloc(tr->arena, sizeof *stmt->column_locations * in->n_cols);
        if (!stmt->columns || !stmt->column_locations) {
            tn_error_oom(tr->err);
            return NULL;
        }
        for (size_t idx = 0; idx < in->n_cols; idx++) {
            PgQuery__ResTarget *target = in->cols[idx]->res_target;
            if (target->n_indirection > 0) {
                tn_transform_unsupported(tr, target->location, "indirection is not supported yet");
                return NULL;
            }
            stmt->columns[idx] = target->name;
            stmt->column_locations[idx] = tn_transform_location(tr, target->location);
        }
        stmt->column_count = (int)in->n_cols;
    }
    if (in->select_stmt && !(stmt->select = tn_transform_select(tr, in->select_stmt->select_stmt)))
        return NULL;
    if (in->on_conflict_clause && !(stmt->on_conflict = transform_on_conflict(tr, in->on_conflict_clause)))
        return NULL;
    return stmt;
}

static tn_ast_statement *transform_update(tn_transform *tr, PgQuery__UpdateStmt *in)
{
    if (in->with_clause || in->n_returning_list > 0) {
        tn_transform_unsupported(tr, in->relation->location,
                                 in->with_clause ? "WITH queries are not supported yet" : "RETURNING is not supported yet");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_UPDATE;
    stmt->tag = "UPDATE";
    transform_target(tr, in->relation, stmt);
    if (!(stmt->sets = transform_sets(tr, in->target_list, in->n_target_list)))
        return NULL;
    stmt->set_count = (int)in->n_target_list;
    if (in->where_clause && !(stmt->where = tn_transform_expr(tr, in->where_clause)))
        return NULL;
    if (in->n_from_clause > 0 && !(stmt->extra_from = transform_extra_from(tr, in->from_clause, in->n_from_clause)))
        return NULL;
    return stmt;
}

static tn_ast_statement *transform_delete(tn_transform *tr, PgQuery__DeleteStmt *in)
{
    if (in->with_clause || in->n_returning_list > 0) {
        tn_transform_unsupported(tr, in->relation->location,
                                 in->with_clause ? "WITH queries are not supported yet" : "RETURNING is not supported yet");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_DELETE;
    stmt->tag = "DELETE";
    transform_target(tr, in->relation, stmt);
    if (in->where_clause && !(stmt->where = tn_transform_expr(tr, in->where_clause)))
        return NULL;
    if (in->n_using_clause > 0 && !(stmt->extra_from = transform_extra_from(tr, in->using_clause, in->n_using_clause)))
        return NULL;
    return stmt;
}

tn_ast_statement *tn_transform_dml(tn_transform *tr, PgQuery__Node *node)
{
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_INSERT_STMT: return transform_insert(tr, node->insert_stmt);
    case PG_QUERY__NODE__NODE_UPDATE_STMT: return transform_update(tr, node->update_stmt);
    default: return transform_delete(tr, node->delete_stmt);
    }
}
