/*
 * Binding of INSERT, UPDATE and DELETE into write plans:
 *
 *   INSERT  VALUES rows (or a query, re-projected) in table column order,
 *           missing columns filled with their DEFAULT or NULL, every value
 *           assignment-cast to its column -> INSERT (with CHECK constraints)
 *   DELETE  GET (row id + columns) -> FILTER (WHERE) -> PROJECTION (row id) -> DELETE
 *   UPDATE  GET (row id + columns) -> FILTER (WHERE)
 *           -> PROJECTION (row id, new row in table order) -> UPDATE (with CHECKs)
 *
 * NOT NULL is checked by the insert sink from the table's column
 * nullability; uniqueness (PRIMARY KEY, UNIQUE) is not enforced yet.
 * Stored DEFAULT and CHECK expressions are parsed again from their SQL
 * text and bound here, so they behave like written expressions.
 */
#include "sql/binder.h"
#include "storage/table.h"

#include <string.h>

static tn_expr *bind_default(tn_binder *b, tn_table *table, int column);
static int bind_checks(tn_binder *b, tn_table *table, tn_logical *node, int offset);
static tn_bind_scope *table_scope(tn_binder *b, tn_table *table, const char *alias, int offset, int location);
static int resolve_columns(tn_binder *b, tn_ast_statement *stmt, tn_table *table, int *targets);
static tn_logical *insert_source(tn_binder *b, tn_ast_statement *stmt, tn_table *table, const int *targets,
                                 int target_count);

/* The DEFAULT of a column bound and converted, or a typed NULL. */
static tn_expr *bind_default(tn_binder *b, tn_table *table, int column)
{
    const tn_table_column *col = &table->columns[column];
    if (!col->default_sql)
        return tn_bind_null(b, col->type);
    tn_ast_expr *ast = tn_sql_parse_expression(col->default_sql, b->arena, b->err);
    tn_bind_scope *empty = ast ? tn_bind_scope_new(b, NULL) : NULL;
    if (!empty)
        return NULL;
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_DEFAULT;
    tn_expr *expr = tn_bind_expr(b, empty, ast);
    b->clause = saved;
    return expr ? tn_bind_assign(b, expr, col->type, col->name) : NULL;
}

/* A scope holding the table's columns starting at offset (the row id, if
 * any, sits before them and cannot be referenced). */
static tn_bind_scope *table_scope(tn_binder *b, tn_table *table, const char *alias, int offset, int location)
{
    tn_bind_scope *scope = tn_bind_scope_new(b, NULL);
    if (!scope)
        return NULL;
    if (offset > 0) {
        tn_bind_relation *hidden = tn_bind_scope_add(b, scope, NULL, offset, location);
        if (!hidden)
            return NULL;
        for (int col = 0; col < offset; col++) {
            hidden->names[col] = "";
            hidden->is_hidden[col] = true;
        }
        scope->star_count = 0;
    }
    tn_bind_relation *rel = tn_bind_scope_add(b, scope, alias ? alias : table->name, table->column_count, location);
    if (!rel)
        return NULL;
    rel->schema = alias ? NULL : table->schema_name;
    for (int col = 0; col < table->column_count; col++) {
        rel->names[col] = table->columns[col].name;
        rel->types[col] = table->columns[col].type;
    }
    return scope;
}

/* Binds the table's CHECK constraints over node's input row (table columns
 * from offset). */
static int bind_checks(tn_binder *b, tn_table *table, tn_logical *node, int offset)
{
    if (table->check_count == 0)
        return 0;
    tn_bind_scope *scope = table_scope(b, table, NULL, offset, 0);
    node->checks = tn_arena_zalloc(b->arena, sizeof *node->checks * (size_t)table->check_count);
    node->check_names = tn_arena_zalloc(b->arena, sizeof *node->check_names * (size_t)table->check_count);
    if (!scope || !node->checks || !node->check_names)
        return tn_error_is_set(b->err) ? -1 : tn_error_oom(b->err);
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_CHECK;
    for (int idx = 0; idx < table->check_count; idx++) {
        tn_ast_expr *ast = tn_sql_parse_expression(table->checks[idx].sql, b->arena, b->err);
        tn_expr *check = ast ? tn_bind_condition(b, scope, ast, "CHECK") : NULL;
        if (!check) {
            b->clause = saved;
            return -1;
        }
        node->checks[idx] = check;
        node->check_names[idx] = table->checks[idx].name;
    }
    b->clause = saved;
    node->check_count = table->check_count;
    return 0;
}

/* targets[i] = the table column the i-th value goes to. */
static int resolve_columns(tn_binder *b, tn_ast_statement *stmt, tn_table *table, int *targets)
{
    if (stmt->column_count == 0) {
        for (int col = 0; col < table->column_count; col++)
            targets[col] = col;
        return table->column_count;
    }
    for (int idx = 0; idx < stmt->column_count; idx++) {
        int col = tn_table_column_index(table, stmt->columns[idx]);
        if (col < 0)
            return tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, stmt->column_locations[idx],
                                "column \"%s\" of relation \"%s\" does not exist", stmt->columns[idx], table->name);
        for (int prev = 0; prev < idx; prev++)
            if (targets[prev] == col)
                return tn_error_set(b->err, TN_ERR_DUPLICATE_COLUMN, stmt->column_locations[idx],
                                    "column \"%s\" specified more than once", stmt->columns[idx]);
        targets[idx] = col;
    }
    return stmt->column_count;
}

static int count_error(tn_binder *b, bool too_many, int location)
{
    return tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, location,
                        too_many ? "INSERT has more expressions than target columns"
                                 : "INSERT has more target columns than expressions");
}

/* The rows to insert, in table column order. */
static tn_logical *insert_source(tn_binder *b, tn_ast_statement *stmt, tn_table *table, const int *targets,
                                 int target_count)
{
    int columns = table->column_count;
    tn_ast_select *select = stmt->select;
    bool plain_values = select && select->values_row_count > 0 && select->sort_count == 0 && !select->limit &&
                        !select->offset;
    if (!select || plain_values) {
        int rows = select ? select->values_row_count : 1;
        tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_VALUES, columns);
        tn_expr **values = node ? tn_arena_zalloc(b->arena, sizeof *values * (size_t)(rows * columns + 1)) : NULL;
        tn_bind_scope *empty = values ? tn_bind_scope_new(b, NULL) : NULL;
        if (!empty)
            return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
        int given = select ? select->values_column_count : 0;
        if (select && given > target_count) {
            count_error(b, true, select->values[0][target_count]->location);
            return NULL;
        }
        if (select && given < target_count && stmt->column_count > 0) {
            count_error(b, false, stmt->column_locations[given]);
            return NULL;
        }
        b->clause = TN_CLAUSE_VALUES;
        for (int row = 0; row < rows; row++) {
            tn_expr **out = values + row * columns;
            for (int idx = 0; idx < given; idx++) {
                tn_ast_expr *ast = select->values[row][idx];
                int col = targets[idx];
                if (ast->kind == TN_AST_DEFAULT) {
                    out[col] = bind_default(b, table, col);
                } else {
                    tn_expr *expr = tn_bind_expr(b, empty, ast);
                    out[col] = expr ? tn_bind_assign(b, expr, table->columns[col].type, table->columns[col].name) : NULL;
                }
                if (!out[col])
                    return NULL;
            }
            for (int col = 0; col < columns; col++)
                if (!out[col] && !(out[col] = bind_default(b, table, col)))
                    return NULL;
        }
        b->clause = TN_CLAUSE_SELECT;
        for (int col = 0; col < columns; col++) {
            node->types[col] = table->columns[col].type;
            node->names[col] = table->columns[col].name;
        }
        node->values = values;
        node->row_count = rows;
        return node;
    }
    tn_logical *query = tn_bind_select(b, select, NULL, false);
    if (!query)
        return NULL;
    if (query->column_count > target_count) {
        count_error(b, true, select->location);
        return NULL;
    }
    if (query->column_count < target_count && stmt->column_count > 0) {
        count_error(b, false, stmt->column_locations[query->column_count]);
        return NULL;
    }
    tn_expr **exprs = tn_arena_zalloc(b->arena, sizeof *exprs * (size_t)(columns + 1));
    const char **names = tn_arena_zalloc(b->arena, sizeof *names * (size_t)(columns + 1));
    if (!exprs || !names) {
        tn_error_oom(b->err);
        return NULL;
    }
    for (int idx = 0; idx < query->column_count; idx++) {
        int col = targets[idx];
        const tn_table_column *column = &table->columns[col];
        /* an unknown literal of the query takes the column's type, as in PostgreSQL */
        if (query->kind == TN_LOGICAL_PROJECTION && tn_bind_is_unknown(query->exprs[idx])) {
            tn_expr *cast = tn_bind_assign(b, query->exprs[idx], column->type, column->name);
            if (!cast)
                return NULL;
            query->exprs[idx] = cast;
            query->types[idx] = cast->type;
        }
        tn_expr *ref = tn_expr_column(b->arena, idx, query->types[idx], select->location);
        if (!ref) {
            tn_error_oom(b->err);
            return NULL;
        }
        if (!(exprs[col] = tn_bind_assign(b, ref, column->type, column->name)))
            return NULL;
    }
    for (int col = 0; col < columns; col++) {
        names[col] = table->columns[col].name;
        if (!exprs[col] && !(exprs[col] = bind_default(b, table, col)))
            return NULL;
    }
    return tn_bind_projection(b, query, exprs, names, columns);
}

tn_logical *tn_bind_insert(tn_binder *b, tn_ast_statement *stmt)
{
    tn_table *table = tn_bind_table(b, stmt->target.schema, stmt->target.name, stmt->target.location);
    if (!table)
        tn_bind_refuse_view(b, stmt);
    int *targets = table ? tn_arena_alloc(b->arena, sizeof *targets * (size_t)(table->column_count + stmt->column_count + 1))
                         : NULL;
    if (!targets)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    int target_count = resolve_columns(b, stmt, table, targets);
    if (target_count < 0)
        return NULL;
    tn_logical *source = insert_source(b, stmt, table, targets, target_count);
    tn_logical *insert = source ? tn_logical_new(b->arena, TN_LOGICAL_INSERT, 0) : NULL;
    if (!insert)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    insert->table = table;
    insert->children[0] = source;
    insert->child_count = 1;
    if (tn_bind_conflict(b, stmt, insert) < 0)
        return NULL;
    return bind_checks(b, table, insert, 0) < 0 ? NULL : insert;
}

/* The cross product of left and right (WHERE later makes it a join). */
static tn_logical *cross_join(tn_binder *b, tn_logical *left, tn_logical *right)
{
    int width = left->column_count;
    tn_logical *join = tn_logical_new(b->arena, TN_LOGICAL_JOIN, width + right->column_count);
    if (!join) {
        tn_error_oom(b->err);
        return NULL;
    }
    join->children[0] = left;
    join->children[1] = right;
    join->child_count = 2;
    join->join_type = TN_JOIN_INNER;
    memcpy(join->types, left->types, sizeof *join->types * (size_t)width);
    memcpy(join->types + width, right->types, sizeof *join->types * (size_t)right->column_count);
    memcpy(join->names, left->names, sizeof *join->names * (size_t)width);
    memcpy(join->names + width, right->names, sizeof *join->names * (size_t)right->column_count);
    return join;
}

/* GET (row id + columns) [x UPDATE ... FROM / DELETE ... USING items] ->
 * FILTER (WHERE), with the table's scope (and the items'). */
static tn_logical *scan_where(tn_binder *b, tn_ast_statement *stmt, tn_table **table_out, tn_bind_scope **scope_out)
{
    tn_table *table = tn_bind_table(b, stmt->target.schema, stmt->target.name, stmt->target.location);
    if (!table)
        tn_bind_refuse_view(b, stmt);
    tn_logical *plan = table ? tn_bind_get(b, table, true) : NULL;
    tn_bind_scope *scope = plan ? table_scope(b, table, stmt->target_alias, 1, stmt->target.location) : NULL;
    if (!scope)
        return NULL;
    for (int idx = 0; stmt->extra_from && idx < stmt->extra_from->from_count; idx++) {
        tn_bind_scope *item_scope;
        tn_logical *item = tn_bind_from(b, stmt->extra_from->from[idx], NULL, &item_scope);
        if (!item || tn_bind_scope_merge(b, scope, item_scope, stmt->extra_from->from[idx]->location) < 0 ||
            !(plan = cross_join(b, plan, item)))
            return NULL;
    }
    if (stmt->where) {
        b->clause = TN_CLAUSE_WHERE;
        tn_expr *predicate = tn_bind_condition(b, scope, stmt->where, "WHERE");
        b->clause = TN_CLAUSE_SELECT;
        tn_logical *filter = predicate ? tn_logical_new(b->arena, TN_LOGICAL_FILTER, plan->column_count) : NULL;
        if (!filter)
            return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
        memcpy(filter->types, plan->types, sizeof *plan->types * (size_t)plan->column_count);
        memcpy(filter->names, plan->names, sizeof *plan->names * (size_t)plan->column_count);
        filter->children[0] = plan;
        filter->child_count = 1;
        filter->predicate = predicate;
        plan = filter;
    }
    *table_out = table;
    *scope_out = scope;
    return plan;
}

tn_logical *tn_bind_delete(tn_binder *b, tn_ast_statement *stmt)
{
    tn_table *table;
    tn_bind_scope *scope;
    tn_logical *plan = scan_where(b, stmt, &table, &scope);
    if (!plan)
        return NULL;
    tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs);
    const char **names = tn_arena_alloc(b->arena, sizeof *names);
    if (!exprs || !names || !(exprs[0] = tn_expr_column(b->arena, 0, tn_type_make(TN_TYPE_INT64), 0))) {
        tn_error_oom(b->err);
        return NULL;
    }
    names[0] = "rowid";
    plan = tn_bind_projection(b, plan, exprs, names, 1);
    tn_logical *node = plan ? tn_logical_new(b->arena, TN_LOGICAL_DELETE, 0) : NULL;
    if (!node)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    node->table = table;
    node->children[0] = plan;
    node->child_count = 1;
    return node;
}

tn_logical *tn_bind_update(tn_binder *b, tn_ast_statement *stmt)
{
    tn_table *table;
    tn_bind_scope *scope;
    tn_logical *plan = scan_where(b, stmt, &table, &scope);
    if (!plan)
        return NULL;
    int columns = table->column_count;
    tn_expr **exprs = tn_arena_zalloc(b->arena, sizeof *exprs * (size_t)(columns + 1));
    const char **names = tn_arena_zalloc(b->arena, sizeof *names * (size_t)(columns + 1));
    if (!exprs || !names || !(exprs[0] = tn_expr_column(b->arena, 0, tn_type_make(TN_TYPE_INT64), 0))) {
        tn_error_oom(b->err);
        return NULL;
    }
    names[0] = "rowid";
    b->clause = TN_CLAUSE_UPDATE;
    for (int idx = 0; idx < stmt->set_count; idx++) {
        tn_ast_set_clause *set = &stmt->sets[idx];
        int col = tn_table_column_index(table, set->column);
        if (col < 0) {
            tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, set->location, "column \"%s\" of relation \"%s\" does not exist",
                         set->column, table->name);
            return NULL;
        }
        if (exprs[1 + col]) {
            tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, set->location, "multiple assignments to same column \"%s\"",
                         set->column);
            return NULL;
        }
        if (set->expr->kind == TN_AST_DEFAULT) {
            exprs[1 + col] = bind_default(b, table, col);
        } else {
            tn_expr *expr = tn_bind_expr(b, scope, set->expr);
            exprs[1 + col] = expr ? tn_bind_assign(b, expr, table->columns[col].type, set->column) : NULL;
        }
        if (!exprs[1 + col])
            return NULL;
    }
    b->clause = TN_CLAUSE_SELECT;
    for (int col = 0; col < columns; col++) {
        names[1 + col] = table->columns[col].name;
        if (!exprs[1 + col] && !(exprs[1 + col] = tn_expr_column(b->arena, 1 + col, table->columns[col].type, 0))) {
            tn_error_oom(b->err);
            return NULL;
        }
    }
    plan = tn_bind_projection(b, plan, exprs, names, columns + 1);
    tn_logical *node = plan ? tn_logical_new(b->arena, TN_LOGICAL_UPDATE, 0) : NULL;
    if (!node)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    node->table = table;
    node->children[0] = plan;
    node->child_count = 1;
    if (tn_bind_update_keys(b, stmt, node) < 0)
        return NULL;
    return bind_checks(b, table, node, 1) < 0 ? NULL : node;
}
