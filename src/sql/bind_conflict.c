/*
 * Unique keys and ON CONFLICT.  The table's UNIQUE and PRIMARY KEY
 * constraints come from the catalog; an INSERT into a table that has any,
 * or with ON CONFLICT, carries them in insert->conflict and runs as the
 * upsert operator (exec/op_upsert.c), which enforces them; an UPDATE that
 * assigns a key column carries the keys it may break and runs as the
 * keyed update operator.
 *
 * ON CONFLICT (columns) names the arbiter key by its column set, ON
 * CONSTRAINT by name; DO NOTHING without either makes every key an
 * arbiter.  DO UPDATE SET expressions and WHERE are bound over the
 * existing row (the table's name or the INSERT's alias) and the proposed
 * row (EXCLUDED), and become one expression per table column: assigned
 * columns get their expression with an assignment cast, the others keep
 * the existing value.
 */
#include "sql/binder.h"
#include "catalog/catalog.h"

#include <string.h>

/* The key whose column set is exactly columns (any order), -1 when none. */
static int key_with_columns(const tn_conflict *conflict, const int *columns, int count)
{
    for (int k = 0; k < conflict->key_count; k++) {
        const tn_unique_key *key = &conflict->keys[k];
        bool same = key->column_count == count;
        for (int idx = 0; same && idx < count; idx++) {
            bool found = false;
            for (int other = 0; other < key->column_count; other++)
                found |= key->columns[other] == columns[idx];
            same = found;
        }
        if (same)
            return k;
    }
    return -1;
}

static int choose_arbiter(tn_binder *b, const tn_ast_on_conflict *in, const tn_table *table, tn_conflict *conflict)
{
    conflict->arbiter = -1;
    if (in->constraint) {
        for (int k = 0; k < conflict->key_count; k++)
            if (strcmp(conflict->keys[k].name, in->constraint) == 0)
                conflict->arbiter = k;
        if (conflict->arbiter < 0)
            return tn_error_set(b->err, TN_ERR_UNDEFINED_OBJECT, 0, "constraint \"%s\" for table \"%s\" does not exist",
                                in->constraint, table->name);
        return 0;
    }
    if (in->column_count == 0) {
        if (!in->is_update)
            return 0;
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, in->location,
                     "ON CONFLICT DO UPDATE requires inference specification or constraint name");
        tn_error_hint(b->err, "For example, ON CONFLICT (column_name).");
        return -1;
    }
    int *columns = tn_arena_alloc(b->arena, sizeof *columns * (size_t)in->column_count);
    if (!columns)
        return tn_error_oom(b->err);
    for (int idx = 0; idx < in->column_count; idx++)
        if ((columns[idx] = tn_table_column_index(table, in->columns[idx])) < 0)
            return tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, in->location, "column \"%s\" does not exist",
                                in->columns[idx]);
    conflict->arbiter = key_with_columns(conflict, columns, in->column_count);
    if (conflict->arbiter < 0)
        return tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, 0,
                            "there is no unique or exclusion constraint matching the ON CONFLICT specification");
    return 0;
}

/* DO UPDATE SET / WHERE over existing row ++ EXCLUDED. */
static int bind_update(tn_binder *b, tn_ast_statement *stmt, const tn_table *table, tn_conflict *conflict)
{
    const tn_ast_on_conflict *in = stmt->on_conflict;
    int width = table->column_count;
    tn_bind_scope *scope = tn_bind_scope_new(b, NULL);
    const char *alias = stmt->target_alias ? stmt->target_alias : table->name;
    tn_bind_relation *target = scope ? tn_bind_scope_add(b, scope, alias, width, stmt->target.location) : NULL;
    tn_bind_relation *excluded = target ? tn_bind_scope_add(b, scope, "excluded", width, in->location) : NULL;
    conflict->sets = tn_arena_zalloc(b->arena, sizeof *conflict->sets * (size_t)(width + 1));
    if (!excluded || !conflict->sets)
        return tn_error_is_set(b->err) ? -1 : tn_error_oom(b->err);
    target->schema = stmt->target_alias ? NULL : table->schema_name;
    target->table = table;
    for (int col = 0; col < width; col++) {
        target->names[col] = excluded->names[col] = table->columns[col].name;
        target->types[col] = excluded->types[col] = table->columns[col].type;
    }
    b->clause = TN_CLAUSE_UPDATE;
    for (int idx = 0; idx < in->set_count; idx++) {
        const tn_ast_set_clause *set = &in->sets[idx];
        int col = tn_table_column_index(table, set->column);
        if (col < 0)
            return tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, set->location,
                                "column \"%s\" of relation \"%s\" does not exist", set->column, table->name);
        if (conflict->sets[col])
            return tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, set->location, "multiple assignments to same column \"%s\"",
                                set->column);
        if (set->expr->kind == TN_AST_DEFAULT)
            return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, set->location,
                                "DEFAULT in ON CONFLICT DO UPDATE is not supported yet");
        tn_expr *expr = tn_bind_expr(b, scope, set->expr);
        if (!expr || !(conflict->sets[col] = tn_bind_assign(b, expr, table->columns[col].type, set->column)))
            return -1;
    }
    for (int col = 0; col < width; col++)
        if (!conflict->sets[col] && !(conflict->sets[col] = tn_expr_column(b->arena, col, table->columns[col].type, 0)))
            return tn_error_oom(b->err);
    b->clause = TN_CLAUSE_WHERE;
    if (in->where && !(conflict->where = tn_bind_condition(b, scope, in->where, "WHERE")))
        return -1;
    b->clause = TN_CLAUSE_SELECT;
    return 0;
}

/* The table's unique keys (those with a column stmt assigns, for UPDATE),
 * in a new conflict with action ERROR; NULL with err clear when none. */
static tn_conflict *load_keys(tn_binder *b, const tn_table *table, const tn_ast_statement *update)
{
    const tn_sql_env *env = b->env;
    tn_catalog_table *def = tn_catalog_table_lookup(env->catalog, table->snapshot_id, table->schema_name, table->name,
                                                    b->arena, b->err);
    tn_conflict *conflict = def ? tn_arena_zalloc(b->arena, sizeof *conflict) : NULL;
    tn_unique_key *keys = conflict ? tn_arena_zalloc(b->arena, sizeof *keys * (size_t)(def->unique_count + 1)) : NULL;
    if (!keys) {
        if (def && !tn_error_is_set(b->err))
            tn_error_oom(b->err);
        return NULL;
    }
    conflict->keys = keys;
    conflict->arbiter = -1;
    for (int k = 0; k < def->unique_count; k++) {
        const tn_catalog_unique *unique = &def->uniques[k];
        if (unique->column_count > TN_UNIQUE_MAX_COLUMNS) {
            tn_error_set(b->err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "cannot use more than %d columns in an index",
                         TN_UNIQUE_MAX_COLUMNS);
            return NULL;
        }
        bool assigned = !update;
        for (int idx = 0; update && idx < update->set_count; idx++)
            for (int col = 0; col < unique->column_count; col++)
                assigned |= strcmp(update->sets[idx].column, table->columns[unique->columns[col]].name) == 0;
        if (!assigned)
            continue;
        tn_unique_key *key = &keys[conflict->key_count++];
        key->name = unique->name;
        key->column_count = unique->column_count;
        key->columns = unique->columns;
    }
    return conflict;
}

int tn_bind_update_keys(tn_binder *b, tn_ast_statement *stmt, tn_logical *update)
{
    tn_conflict *conflict = load_keys(b, update->table, stmt);
    if (!conflict)
        return tn_error_is_set(b->err) ? -1 : 0;
    /* UPDATE ... FROM may meet a row more than once: the keyed update
     * operator also keeps one update per row, as PostgreSQL does. */
    update->conflict = conflict->key_count > 0 || stmt->extra_from ? conflict : NULL;
    return 0;
}

int tn_bind_conflict(tn_binder *b, tn_ast_statement *stmt, tn_logical *insert)
{
    const tn_table *table = insert->table;
    tn_conflict *conflict = load_keys(b, table, NULL);
    if (!conflict)
        return tn_error_is_set(b->err) ? -1 : 0;
    tn_ast_on_conflict *in = stmt->on_conflict;
    if (conflict->key_count == 0 && !in)
        return 0;
    insert->conflict = conflict;
    if (!in)
        return 0;
    conflict->action = in->is_update ? TN_CONFLICT_UPDATE : TN_CONFLICT_NOTHING;
    if (choose_arbiter(b, in, table, conflict) < 0)
        return -1;
    return in->is_update ? bind_update(b, stmt, table, conflict) : 0;
}
