/*
 * Transform of DDL: CREATE/DROP SCHEMA, CREATE/DROP TABLE with column and
 * table constraints, and CREATE/DROP INDEX (accepted without effect: tarn
 * has no indexes, and the statements only speed lookups up in PostgreSQL).
 * Constraint names are chosen here the way PostgreSQL chooses them
 * (t_pkey, t_a_key, t_a_check, t_check1 ...); DEFAULT and CHECK
 * expressions are deparsed into the SQL text the catalog keeps.
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdio.h>
#include <string.h>

typedef struct table_builder {
    tn_transform *tr;
    const char *table;
    tn_ast_statement *stmt;
    const char **used_names;   /* constraint names taken so far */
    int used_count;
} table_builder;

static tn_ast_statement *transform_create_table(tn_transform *tr, PgQuery__CreateStmt *in);
static int add_constraint(table_builder *builder, PgQuery__Constraint *constraint, tn_ast_column_def *column);
static const char *choose_name(table_builder *builder, const char *column, const char *label);
static const char *single_column(const tn_ast_expr *expr, const char *found, bool *several);
static tn_ast_statement *transform_drop(tn_transform *tr, PgQuery__DropStmt *in);

/* PostgreSQL's ChooseConstraintName: table_column_label, then with 1, 2, ...
 * appended until unused. */
static const char *choose_name(table_builder *builder, const char *column, const char *label)
{
    for (int pass = 0;; pass++) {
        char suffix[16] = "";
        if (pass > 0)
            snprintf(suffix, sizeof suffix, "%d", pass);
        char *name = column ? tn_arena_printf(builder->tr->arena, "%s_%s_%s%s", builder->table, column, label, suffix)
                            : tn_arena_printf(builder->tr->arena, "%s_%s%s", builder->table, label, suffix);
        if (!name)
            return NULL;
        bool taken = false;
        for (int idx = 0; idx < builder->used_count; idx++)
            taken |= strcmp(builder->used_names[idx], name) == 0;
        if (!taken)
            return name;
    }
}

/* The one column an expression references (NULL when none or several). */
static const char *single_column(const tn_ast_expr *expr, const char *found, bool *several)
{
    if (!expr || *several)
        return found;
    if (expr->kind == TN_AST_COLUMN_REF && expr->name_count > 0) {
        const char *name = expr->names[expr->name_count - 1];
        if (found && strcmp(found, name) != 0)
            *several = true;
        return name;
    }
    for (int idx = 0; idx < expr->arg_count; idx++)
        found = single_column(expr->args[idx], found, several);
    return single_column(expr->else_expr, found, several);
}

static int remember_name(table_builder *builder, const char *name)
{
    builder->used_names[builder->used_count++] = name;
    return 0;
}

static int add_constraint(table_builder *builder, PgQuery__Constraint *c, tn_ast_column_def *column)
{
    tn_transform *tr = builder->tr;
    tn_ast_statement *stmt = builder->stmt;
    int location = tn_transform_location(tr, c->location);
    const char *given = c->conname[0] ? c->conname : NULL;
    switch (c->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: {
        bool not_null = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL;
        if (!column || (not_null && column->is_explicit_null) || (!not_null && column->is_not_null))
            return tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, location,
                                "conflicting NULL/NOT NULL declarations for column \"%s\" of table \"%s\"",
                                column ? column->name : "", builder->table);
        column->is_not_null = not_null;
        column->is_explicit_null = !not_null;
        return 0;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
        if (column->default_expr)
            return tn_error_set(tr->err, TN_ERR_SYNTAX_ERROR, location,
                                "multiple default values specified for column \"%s\" of table \"%s\"",
                                column->name, builder->table);
        if (!(column->default_expr = tn_transform_expr(tr, c->raw_expr)) ||
            !(column->default_sql = tn_sql_deparse_expression(tr, c->raw_expr)))
            return -1;
        return 0;
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
        tn_ast_check *check = &stmt->checks[stmt->check_count];
        if (!(check->expr = tn_transform_expr(tr, c->raw_expr)) ||
            !(check->sql = tn_sql_deparse_expression(tr, c->raw_expr)))
            return -1;
        bool several = false;
        const char *only = single_column(check->expr, NULL, &several);
        check->name = given ? given : choose_name(builder, several ? NULL : only, "check");
        if (!check->name)
            return tn_error_oom(tr->err);
        stmt->check_count++;
        return remember_name(builder, check->name);
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
        bool primary = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
        if (primary) {
            for (int idx = 0; idx < stmt->unique_count; idx++)
                if (stmt->uniques[idx].is_primary_key)
                    return tn_error_set(tr->err, TN_ERR_INVALID_TABLE_DEFINITION, location,
                                        "multiple primary keys for table \"%s\" are not allowed", builder->table);
        }
        tn_ast_unique *unique = &stmt->uniques[stmt->unique_count];
        unique->is_primary_key = primary;
        unique->location = location;
        int count = column ? 1 : (int)c->n_keys;
        unique->columns = tn_arena_alloc(tr->arena, sizeof *unique->columns * (size_t)count);
        if (!unique->columns)
            return tn_error_oom(tr->err);
        if (column)
            unique->columns[0] = column->name;
        for (int idx = 0; !column && idx < count; idx++)
            unique->columns[idx] = c->keys[idx]->string->sval;
        unique->column_count = count;
        if (given) {
            unique->name = given;
        } else if (primary) {
            unique->name = choose_name(builder, NULL, "pkey");
        } else {
            char *joined = tn_arena_strdup(tr->arena, unique->columns[0]);
            for (int idx = 1; joined && idx < count; idx++)
                joined = tn_arena_printf(tr->arena, "%s_%s", joined, unique->columns[idx]);
            unique->name = joined ? choose_name(builder, joined, "key") : NULL;
        }
        if (!unique->name)
            return tn_error_oom(tr->err);
        stmt->unique_count++;
        return remember_name(builder, unique->name);
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                            "foreign key constraints are not supported yet");
    case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
        return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                            "identity and generated columns are not supported yet");
    default:
        return tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, location,
                            "this kind of constraint is not supported yet");
    }
}

static tn_ast_statement *transform_create_table(tn_transform *tr, PgQuery__CreateStmt *in)
{
    PgQuery__RangeVar *var = in->relation;
    if (in->n_inh_relations > 0 || in->partspec || in->partbound || in->of_typename) {
        tn_transform_unsupported(tr, var->location, "inheritance, partitioning and typed tables are not supported yet");
        return NULL;
    }
    if (var->relpersistence[0] == 't') {
        tn_transform_unsupported(tr, var->location, "temporary tables are not supported yet");
        return NULL;
    }
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->kind = TN_AST_CREATE_TABLE;
    stmt->tag = "CREATE TABLE";
    stmt->target.schema = var->schemaname[0] ? var->schemaname : NULL;
    stmt->target.name = var->relname;
    stmt->target.location = tn_transform_location(tr, var->location);
    stmt->if_exists = in->if_not_exists;

    /* Upper bounds for the arrays: every element may add one of each. */
    size_t constraint_bound = in->n_table_elts + 1;
    for (size_t idx = 0; idx < in->n_table_elts; idx++)
        if (in->table_elts[idx]->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
            constraint_bound += in->table_elts[idx]->column_def->n_constraints;
    stmt->column_defs = tn_arena_zalloc(tr->arena, sizeof *stmt->column_defs * (in->n_table_elts + 1));
    stmt->checks = tn_arena_zalloc(tr->arena, sizeof *stmt->checks * constraint_bound);
    stmt->uniques = tn_arena_zalloc(tr->arena, sizeof *stmt->uniques * constraint_bound);
    table_builder builder = {tr, var->relname, stmt,
                             tn_arena_zalloc(tr->arena, sizeof(const char *) * constraint_bound * 2), 0};
    if (!stmt->column_defs || !stmt->checks || !stmt->uniques || !builder.used_names) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < in->n_table_elts; idx++) {
        PgQuery__Node *element = in->table_elts[idx];
        if (element->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
            continue;
        PgQuery__ColumnDef *def = element->column_def;
        tn_ast_column_def *column = &stmt->column_defs[stmt->column_def_count++];
        column->name = def->colname;
        column->location = tn_transform_location(tr, def->location);
        for (int prev = 0; prev < stmt->column_def_count - 1; prev++)
            if (strcmp(stmt->column_defs[prev].name, def->colname) == 0) {
                tn_error_set(tr->err, TN_ERR_DUPLICATE_COLUMN, 0, "column \"%s\" specified more than once",
                             def->colname);
                return NULL;
            }
        if (def->coll_clause) {
            tn_transform_unsupported(tr, def->coll_clause->location, "COLLATE is not supported yet");
            return NULL;
        }
        if (tn_transform_type(tr, def->type_name, &column->type) < 0)
            return NULL;
        for (size_t con = 0; con < def->n_constraints; con++)
            if (add_constraint(&builder, def->constraints[con]->constraint, column) < 0)
                return NULL;
    }
    for (size_t idx = 0; idx < in->n_table_elts; idx++) {
        PgQuery__Node *element = in->table_elts[idx];
        if (element->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            if (add_constraint(&builder, element->constraint, NULL) < 0)
                return NULL;
        } else if (element->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
            tn_transform_unsupported(tr, var->location, "LIKE in CREATE TABLE is not supported yet");
            return NULL;
        }
    }
    return stmt;
}

static tn_ast_statement *transform_drop(tn_transform *tr, PgQuery__DropStmt *in)
{
    tn_ast_statement *stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
    if (!stmt) {
        tn_error_oom(tr->err);
        return NULL;
    }
    stmt->if_exists = in->missing_ok;
    stmt->cascade = in->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
    switch (in->remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
        stmt->kind = TN_AST_UTILITY;
        stmt->tag = "DROP INDEX";
        return stmt;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
        stmt->kind = TN_AST_DROP_SCHEMA;
        stmt->tag = "DROP SCHEMA";
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
        stmt->kind = TN_AST_DROP_TABLE;
        stmt->tag = "DROP TABLE";
        break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
        stmt->kind = TN_AST_DROP_VIEW;
        stmt->tag = "DROP VIEW";
        break;
    default:
        tn_transform_unsupported(tr, -1, "DROP of this kind of object is not supported yet");
        return NULL;
    }
    stmt->names = tn_arena_zalloc(tr->arena, sizeof *stmt->names * (in->n_objects + 1));
    if (!stmt->names) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < in->n_objects; idx++) {
        PgQuery__Node *object = in->objects[idx];
        tn_ast_name *name = &stmt->names[idx];
        if (object->node_case == PG_QUERY__NODE__NODE_STRING) {
            name->name = object->string->sval;
        } else {
            PgQuery__List *list = object->list;
            if (list->n_items > 2) {
                tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                             "cross-database references are not implemented");
                return NULL;
            }
            name->name = list->items[list->n_items - 1]->string->sval;
            name->schema = list->n_items == 2 ? list->items[0]->string->sval : NULL;
        }
    }
    stmt->name_count = (int)in->n_objects;
    return stmt;
}

tn_ast_statement *tn_transform_ddl(tn_transform *tr, PgQuery__Node *node)
{
    tn_ast_statement *stmt;
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
        PgQuery__CreateSchemaStmt *in = node->create_schema_stmt;
        if (in->n_schema_elts > 0 || in->authrole || !in->schemaname[0]) {
            tn_transform_unsupported(tr, -1, "CREATE SCHEMA with AUTHORIZATION or elements is not supported yet");
            return NULL;
        }
        stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
        if (!stmt) {
            tn_error_oom(tr->err);
            return NULL;
        }
        stmt->kind = TN_AST_CREATE_SCHEMA;
        stmt->tag = "CREATE SCHEMA";
        stmt->target.name = in->schemaname;
        stmt->if_exists = in->if_not_exists;
        return stmt;
    }
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        return transform_create_table(tr, node->create_stmt);
    case PG_QUERY__NODE__NODE_DROP_STMT:
        return transform_drop(tr, node->drop_stmt);
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        stmt = tn_arena_zalloc(tr->arena, sizeof *stmt);
        if (!stmt) {
            tn_error_oom(tr->err);
            return NULL;
        }
        stmt->kind = TN_AST_UTILITY;
        stmt->tag = "CREATE INDEX";
        return stmt;
    case PG_QUERY__NODE__NODE_VIEW_STMT:
        return tn_transform_create_view(tr, node->view_stmt);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
        return tn_transform_create_table_as(tr, node->create_table_as_stmt);
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
    case PG_QUERY__NODE__NODE_EXECUTE_STMT:
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT:
        return tn_transform_prepared(tr, node);
    default: {
        static const struct {
            PgQuery__Node__NodeCase node_case;
            const char *words;
        } names[] = {
            {PG_QUERY__NODE__NODE_ALTER_TABLE_STMT, "ALTER TABLE"},
            {PG_QUERY__NODE__NODE_TRUNCATE_STMT, "TRUNCATE"},
            {PG_QUERY__NODE__NODE_COPY_STMT, "COPY"},
            {PG_QUERY__NODE__NODE_RENAME_STMT, "ALTER ... RENAME"},
            {PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT, "SHOW"},
            {PG_QUERY__NODE__NODE_GRANT_STMT, "GRANT"},
            {PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT, "CREATE FUNCTION"},
        };
        const char *words = NULL;
        for (size_t idx = 0; idx < sizeof names / sizeof names[0]; idx++)
            if (names[idx].node_case == node->node_case)
                words = names[idx].words;
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field(&pg_query__node__descriptor, (unsigned)node->node_case);
        if (words)
            tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "%s is not supported yet", words);
        else
            tn_error_set(tr->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "statement %s is not supported yet",
                         field ? field->name : "?");
        return NULL;
    }
    }
}
