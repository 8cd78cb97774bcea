/*
 * Recording a write transaction.  Operations are checked against the base
 * snapshot plus the operations recorded before them (so a transaction sees
 * its own schemas and tables), which yields the ordinary errors (42P07,
 * 3F000, 2BP01...) at once; they are then deep-copied into the
 * transaction's arena and applied only at commit (catalog_commit.c), where
 * changes committed by others since the base are checked for conflicts.
 */
#include <string.h>

#include "catalog/catalog_int.h"

static int find_table(tn_catalog_txn *txn, const char *schema, const char *name,
                      int64_t *table_id, tn_error *err);
static int find_view(tn_catalog_txn *txn, const char *schema, const char *name, int64_t *view_id,
                     tn_error *err);
static int check_data_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                           tn_error *err);
static int check_definition(const tn_catalog_table *def, tn_error *err);
static int copy_definition(tn_arena *arena, const tn_catalog_table *def, tn_catalog_table *copy);
static int copy_data_file(tn_arena *arena, const tn_catalog_data_file *file,
                          tn_catalog_data_file *copy);
static int schema_tables(tn_catalog_txn *txn, const char *schema, int64_t schema_id,
                         tn_catalog_entry **out, int *count, tn_error *err);
static int drop_members(tn_catalog_txn *txn, const char *schema, int64_t schema_id, bool cascade,
                        tn_error *err);

tn_catalog_txn *tn_catalog_begin(tn_catalog *catalog, int64_t base_snapshot, const char *author,
                                 tn_error *err)
{
    int64_t latest = 0;
    if (tn_catalog_snapshot_latest(catalog, &latest, err) < 0)
        return NULL;
    if (base_snapshot < 0 || base_snapshot > latest) {
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "snapshot %lld does not exist",
                     (long long)base_snapshot);
        return NULL;
    }
    tn_arena *arena = tn_arena_create();
    tn_catalog_txn *txn = arena != NULL ? tn_arena_zalloc(arena, sizeof *txn) : NULL;
    if (txn != NULL) {
        txn->catalog = catalog;
        txn->arena = arena;
        txn->base = base_snapshot;
        txn->author = tn_arena_strdup(arena, author != NULL ? author : catalog->owner);
    }
    if (txn == NULL || txn->author == NULL) {
        tn_arena_destroy(arena);
        tn_error_oom(err);
        return NULL;
    }
    return txn;
}

int64_t tn_catalog_txn_base(const tn_catalog_txn *txn)
{
    return txn->base;
}

void tn_catalog_abort(tn_catalog_txn *txn)
{
    if (txn != NULL)
        tn_arena_destroy(txn->arena);
}

tn_catalog_op *tn_catalog_txn_add_op(tn_catalog_txn *txn, tn_catalog_op_kind kind, tn_error *err)
{
    tn_catalog_op *op = tn_arena_zalloc(txn->arena, sizeof *op);
    if (op == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    op->kind = kind;
    if (kind == TN_OP_CREATE_SCHEMA || kind == TN_OP_CREATE_TABLE || kind == TN_OP_ADD_DATA_FILE ||
        kind == TN_OP_CREATE_VIEW)
        op->local_id = -(int64_t)++txn->local_count;
    if (txn->last != NULL)
        txn->last->next = op;
    else
        txn->first = op;
    txn->last = op;
    return op;
}

void tn_catalog_txn_truncate(tn_catalog_txn *txn, tn_catalog_op *mark, int local_count)
{
    if (mark != NULL)
        mark->next = NULL;
    else
        txn->first = NULL;
    txn->last = mark;
    txn->local_count = local_count;
}

/* ---- what the transaction sees: base snapshot + own operations ---- */

int tn_catalog_txn_find_schema(tn_catalog_txn *txn, const char *name, int64_t *schema_id, tn_error *err)
{
    tn_catalog_schema schema;
    int found = tn_catalog_schema_lookup(txn->catalog, txn->base, name, txn->arena, &schema, err);
    if (found < 0)
        return -1;
    *schema_id = found ? schema.id : 0;
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next) {
        if (op->kind == TN_OP_CREATE_SCHEMA && strcmp(op->schema_name, name) == 0) {
            found = 1;
            *schema_id = op->local_id;
        } else if (op->kind == TN_OP_DROP_SCHEMA && strcmp(op->schema_name, name) == 0) {
            found = 0;
        }
    }
    return found;
}

bool tn_catalog_txn_is_dropped(const tn_catalog_txn *txn, tn_catalog_op_kind kind, int64_t id)
{
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
        if (op->kind == kind && (kind == TN_OP_DROP_TABLE  ? op->table_id
                                 : kind == TN_OP_DROP_VIEW ? op->view_id
                                                           : op->data_file_id) == id)
            return true;
    return false;
}

/* 1 and *table_id when table schema.name exists for txn, 0 when not. */
static int find_table(tn_catalog_txn *txn, const char *schema, const char *name,
                      int64_t *table_id, tn_error *err)
{
    int found = tn_catalog_sql_int64(
        txn->catalog, err, table_id,
        "SELECT t.table_id FROM ducklake_table t JOIN ducklake_schema s"
        " ON s.schema_id = t.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND t.table_name = ? AND" TN_VISIBLE("t"),
        "iittii", txn->base, txn->base, schema, name, txn->base, txn->base);
    if (found < 0)
        return -1;
    if (found == 1 && tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, *table_id))
        found = 0;
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
        if (op->kind == TN_OP_CREATE_TABLE && strcmp(op->schema_name, schema) == 0 &&
            strcmp(op->table.name, name) == 0 && !tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, op->local_id)) {
            found = 1;
            *table_id = op->local_id;
        }
    return found;
}

/* 1 and *view_id when view schema.name exists for txn, 0 when not. */
static int find_view(tn_catalog_txn *txn, const char *schema, const char *name, int64_t *view_id,
                     tn_error *err)
{
    int found = tn_catalog_sql_int64(
        txn->catalog, err, view_id,
        "SELECT v.view_id FROM ducklake_view v JOIN ducklake_schema s"
        " ON s.schema_id = v.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND v.view_name = ? AND" TN_VISIBLE("v"),
        "iittii", txn->base, txn->base, schema, name, txn->base, txn->base);
    if (found < 0)
        return -1;
    if (found == 1 && tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, *view_id))
        found = 0;
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
        if (op->kind == TN_OP_CREATE_VIEW && strcmp(op->schema_name, schema) == 0 &&
            strcmp(op->view.name, name) == 0 &&
            !tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, op->local_id)) {
            found = 1;
            *view_id = op->local_id;
        }
    return found;
}

tn_catalog_relation_kind tn_catalog_txn_find_relation(tn_catalog_txn *txn, const char *schema,
                                                      const char *name, int64_t *id,
                                                      tn_error *err)
{
    int found = find_table(txn, schema, name, id, err);
    if (found != 0)
        return found < 0 ? TN_CATALOG_RELATION_ERROR : TN_CATALOG_RELATION_TABLE;
    found = find_view(txn, schema, name, id, err);
    if (found != 0)
        return found < 0 ? TN_CATALOG_RELATION_ERROR : TN_CATALOG_RELATION_VIEW;
    return TN_CATALOG_RELATION_NONE;
}

int tn_catalog_txn_check_table(tn_catalog_txn *txn, int64_t table_id, tn_error *err)
{
    int64_t found = 0;
    if (table_id < 0) {
        for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
            if (op->kind == TN_OP_CREATE_TABLE && op->local_id == table_id)
                found = 1;
    } else if (tn_catalog_sql_int64(txn->catalog, err, &found,
                                    "SELECT count(*) FROM ducklake_table t WHERE t.table_id = ? AND"
                                    TN_VISIBLE("t"),
                                    "iii", table_id, txn->base, txn->base) < 0) {
        return -1;
    }
    if (found == 0 || tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, table_id))
        return tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "table with id %lld does not exist",
                            (long long)table_id);
    return 0;
}

/* 22023 unless data_file_id is a live data file of table_id for txn. */
static int check_data_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                           tn_error *err)
{
    if (tn_catalog_txn_check_table(txn, table_id, err) < 0)
        return -1;
    int64_t found = 0;
    if (data_file_id < 0) {
        for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
            if (op->kind == TN_OP_ADD_DATA_FILE && op->local_id == data_file_id &&
                op->table_id == table_id)
                found = 1;
    } else if (tn_catalog_sql_int64(txn->catalog, err, &found,
                                    "SELECT count(*) FROM ducklake_data_file f WHERE"
                                    " f.data_file_id = ? AND f.table_id = ? AND" TN_VISIBLE("f"),
                                    "iiii", data_file_id, table_id, txn->base, txn->base) < 0) {
        return -1;
    }
    if (found == 0 || tn_catalog_txn_is_dropped(txn, TN_OP_REMOVE_DATA_FILE, data_file_id))
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "data file %lld of table %lld does not exist", (long long)data_file_id,
                            (long long)table_id);
    return 0;
}

/* ---- schemas ---- */

int tn_catalog_txn_create_schema(tn_catalog_txn *txn, const char *name, tn_error *err)
{
    int64_t schema_id;
    int found = tn_catalog_txn_find_schema(txn, name, &schema_id, err);
    if (found < 0)
        return -1;
    if (found)
        return tn_error_set(err, TN_ERR_DUPLICATE_SCHEMA, 0, "schema \"%s\" already exists", name);
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_CREATE_SCHEMA, err);
    if (op == NULL)
        return -1;
    op->schema_id = op->local_id;
    op->schema_name = tn_arena_strdup(txn->arena, name);
    return op->schema_name == NULL ? tn_error_oom(err) : 0;
}

/* Live tables of schema for txn: the base's not dropped, then its own. */
static int schema_tables(tn_catalog_txn *txn, const char *schema, int64_t schema_id,
                         tn_catalog_entry **out, int *count, tn_error *err)
{
    tn_catalog_entry *base = NULL, *items = NULL;
    int base_count = 0, capacity = 0, used = 0;
    if (schema_id >= 0 && tn_catalog_table_list(txn->catalog, txn->base, schema_id, txn->arena,
                                                &base, &base_count, err) < 0)
        return -1;
    for (int table_idx = 0; table_idx < base_count; table_idx++) {
        if (tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, base[table_idx].id))
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&items, &capacity, used, sizeof *items,
                                  err) < 0)
            return -1;
        items[used++] = base[table_idx];
    }
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next) {
        if (op->kind != TN_OP_CREATE_TABLE || strcmp(op->schema_name, schema) != 0 ||
            tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, op->local_id))
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&items, &capacity, used, sizeof *items,
                                  err) < 0)
            return -1;
        items[used++] = (tn_catalog_entry){op->local_id, op->table.name};
    }
    *out = items;
    *count = used;
    return 0;
}

/* Refuses (2BP01, listing every table and view of the schema as
 * PostgreSQL does) or drops (cascade) the members of a schema about to
 * go, with the views elsewhere that read them. */
static int drop_members(tn_catalog_txn *txn, const char *schema, int64_t schema_id, bool cascade,
                        tn_error *err)
{
    tn_catalog_entry *tables = NULL, *views = NULL;
    int table_count = 0, view_count = 0;
    if (schema_tables(txn, schema, schema_id, &tables, &table_count, err) < 0 ||
        tn_catalog_txn_schema_views(txn, schema, schema_id, &views, &view_count, err) < 0)
        return -1;
    if (!cascade && table_count + view_count > 0) {
        char *detail = tn_arena_strdup(txn->arena, "");
        char *self = tn_catalog_describe(txn->arena, "schema", NULL, schema);
        for (int idx = 0; detail != NULL && idx < table_count + view_count; idx++) {
            bool is_view = idx >= table_count;
            const char *name = is_view ? views[idx - table_count].name : tables[idx].name;
            char *object = tn_catalog_describe(txn->arena, is_view ? "view" : "table", schema, name);
            detail = object != NULL ? tn_arena_printf(txn->arena, "%s%s%s depends on %s", detail,
                                                      idx > 0 ? "\n" : "", object, self) : NULL;
        }
        if (detail == NULL || self == NULL)
            return tn_error_oom(err);
        tn_error_set(err, TN_ERR_DEPENDENT_OBJECTS_STILL_EXIST, 0,
                     "cannot drop %s because other objects depend on it", self);
        tn_error_detail(err, "%s", detail);
        tn_error_hint(err, "Use DROP ... CASCADE to drop the dependent objects too.");
        return -1;
    }
    for (int table_idx = 0; table_idx < table_count; table_idx++)
        if (!tn_catalog_txn_is_dropped(txn, TN_OP_DROP_TABLE, tables[table_idx].id) &&
            tn_catalog_txn_drop_table_cascade(txn, tables[table_idx].id, true, err) < 0)
            return -1;
    for (int view_idx = 0; view_idx < view_count; view_idx++)
        if (!tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, views[view_idx].id) &&
            tn_catalog_txn_drop_view(txn, views[view_idx].id, true, err) < 0)
            return -1;
    return 0;
}

int tn_catalog_txn_drop_schema(tn_catalog_txn *txn, const char *name, bool cascade,
                               tn_error *err)
{
    int64_t schema_id;
    int found = tn_catalog_txn_find_schema(txn, name, &schema_id, err);
    if (found < 0)
        return -1;
    if (!found)
        return tn_error_set(err, TN_ERR_INVALID_SCHEMA_NAME, 0, "schema \"%s\" does not exist",
                            name);
    tn_catalog_op *mark = txn->last;
    int local_count = txn->local_count;
    tn_catalog_op *op = NULL;
    if (drop_members(txn, name, schema_id, cascade, err) < 0 ||
        (op = tn_catalog_txn_add_op(txn, TN_OP_DROP_SCHEMA, err)) == NULL ||
        (op->schema_name = tn_arena_strdup(txn->arena, name)) == NULL) {
        if (op != NULL)
            tn_error_oom(err);
        tn_catalog_txn_truncate(txn, mark, local_count);
        return -1;
    }
    op->schema_id = schema_id;
    return 0;
}

/* ---- tables ---- */

static int check_definition(const tn_catalog_table *def, tn_error *err)
{
    if (def->name == NULL || def->name[0] == '\0')
        return tn_error_set(err, TN_ERR_INVALID_NAME, 0, "table name must not be empty");
    bool has_primary_key = false;
    for (int col_idx = 0; col_idx < def->column_count; col_idx++) {
        const tn_catalog_column *column = &def->columns[col_idx];
        if (column->name == NULL || column->name[0] == '\0')
            return tn_error_set(err, TN_ERR_INVALID_NAME, 0, "column name must not be empty");
        if ((unsigned)column->type.id >= TN_TYPE__COUNT || column->type.id == TN_TYPE_NULL)
            return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                                "column \"%s\" has no storable type", column->name);
        for (int other = 0; other < col_idx; other++)
            if (strcmp(def->columns[other].name, column->name) == 0)
                return tn_error_set(err, TN_ERR_DUPLICATE_COLUMN, 0,
                                    "column \"%s\" specified more than once", column->name);
    }
    for (int unique_idx = 0; unique_idx < def->unique_count; unique_idx++) {
        const tn_catalog_unique *unique = &def->uniques[unique_idx];
        if (unique->is_primary_key && has_primary_key)
            return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                                "multiple primary keys for table \"%s\" are not allowed",
                                def->name);
        has_primary_key |= unique->is_primary_key;
        if (unique->column_count <= 0)
            return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                                "constraint of table \"%s\" names no column", def->name);
        for (int key_idx = 0; key_idx < unique->column_count; key_idx++)
            if (unique->columns[key_idx] < 0 || unique->columns[key_idx] >= def->column_count)
                return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                                    "constraint of table \"%s\" names column %d, which it lacks",
                                    def->name, unique->columns[key_idx]);
    }
    for (int check_idx = 0; check_idx < def->check_count; check_idx++)
        if (def->checks[check_idx].sql == NULL)
            return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                                "check constraint of table \"%s\" has no expression", def->name);
    return 0;
}

/* Deep copy of the parts of a definition create_table reads; -1 on OOM. */
static int copy_definition(tn_arena *arena, const tn_catalog_table *def, tn_catalog_table *copy)
{
    memset(copy, 0, sizeof *copy);
    copy->name = tn_arena_strdup(arena, def->name);
    tn_catalog_column *columns = tn_arena_zalloc(arena, sizeof *columns * (size_t)(def->column_count + 1));
    tn_catalog_check *checks = tn_arena_zalloc(arena, sizeof *checks * (size_t)(def->check_count + 1));
    tn_catalog_unique *uniques = tn_arena_zalloc(arena, sizeof *uniques * (size_t)(def->unique_count + 1));
    if (copy->name == NULL || columns == NULL || checks == NULL || uniques == NULL)
        return -1;
    for (int col_idx = 0; col_idx < def->column_count; col_idx++) {
        columns[col_idx] = def->columns[col_idx];
        columns[col_idx].name = tn_arena_strdup(arena, def->columns[col_idx].name);
        if (columns[col_idx].name == NULL)
            return -1;
        if (def->columns[col_idx].default_sql != NULL &&
            (columns[col_idx].default_sql = tn_arena_strdup(arena, def->columns[col_idx].default_sql)) == NULL)
            return -1;
    }
    for (int check_idx = 0; check_idx < def->check_count; check_idx++) {
        const tn_catalog_check *check = &def->checks[check_idx];
        checks[check_idx].sql = tn_arena_strdup(arena, check->sql);
        checks[check_idx].name = check->name != NULL ? tn_arena_strdup(arena, check->name) : NULL;
        if (checks[check_idx].sql == NULL || (check->name != NULL && checks[check_idx].name == NULL))
            return -1;
    }
    for (int unique_idx = 0; unique_idx < def->unique_count; unique_idx++) {
        const tn_catalog_unique *unique = &def->uniques[unique_idx];
        uniques[unique_idx] = *unique;
        int *keys = tn_arena_alloc(arena, sizeof *keys * (size_t)unique->column_count);
        if (keys == NULL || (unique->name != NULL &&
                             (uniques[unique_idx].name = tn_arena_strdup(arena, unique->name)) == NULL))
            return -1;
        memcpy(keys, unique->columns, sizeof *keys * (size_t)unique->column_count);
        uniques[unique_idx].columns = keys;
    }
    copy->column_count = def->column_count;
    copy->columns = columns;
    copy->check_count = def->check_count;
    copy->checks = checks;
    copy->unique_count = def->unique_count;
    copy->uniques = uniques;
    return 0;
}

int tn_catalog_txn_create_table(tn_catalog_txn *txn, const char *schema,
                                const tn_catalog_table *def, int64_t *table_id, tn_error *err)
{
    if (check_definition(def, err) < 0)
        return -1;
    int64_t schema_id, existing;
    int found = tn_catalog_txn_find_schema(txn, schema, &schema_id, err);
    if (found < 0)
        return -1;
    if (!found)
        return tn_error_set(err, TN_ERR_INVALID_SCHEMA_NAME, 0, "schema \"%s\" does not exist",
                            schema);
    tn_catalog_relation_kind kind = tn_catalog_txn_find_relation(txn, schema, def->name,
                                                                 &existing, err);
    if (kind == TN_CATALOG_RELATION_ERROR)
        return -1;
    if (kind != TN_CATALOG_RELATION_NONE)
        return tn_error_set(err, TN_ERR_DUPLICATE_TABLE, 0, "relation \"%s\" already exists",
                            def->name);
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_CREATE_TABLE, err);
    if (op == NULL)
        return -1;
    op->schema_id = schema_id;
    op->schema_name = tn_arena_strdup(txn->arena, schema);
    op->table_id = op->local_id;
    if (op->schema_name == NULL || copy_definition(txn->arena, def, &op->table) < 0)
        return tn_error_oom(err);
    if (table_id != NULL)
        *table_id = op->local_id;
    return 0;
}

int tn_catalog_txn_drop_table(tn_catalog_txn *txn, int64_t table_id, tn_error *err)
{
    return tn_catalog_txn_drop_table_cascade(txn, table_id, false, err);
}

int tn_catalog_txn_drop_table_cascade(tn_catalog_txn *txn, int64_t table_id, bool cascade,
                                      tn_error *err)
{
    if (tn_catalog_txn_check_table(txn, table_id, err) < 0)
        return -1;
    tn_catalog_op *mark = txn->last;
    int local_count = txn->local_count;
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_DROP_TABLE, err);
    if (op == NULL)
        return -1;
    op->table_id = table_id;
    if (tn_catalog_txn_drop_dependents(txn, false, table_id, cascade, err) < 0) {
        tn_catalog_txn_truncate(txn, mark, local_count);
        return -1;
    }
    return 0;
}

/* ---- files ---- */

static int copy_data_file(tn_arena *arena, const tn_catalog_data_file *file,
                          tn_catalog_data_file *copy)
{
    *copy = *file;
    copy->delete_file = NULL;
    copy->path = tn_arena_strdup(arena, file->path);
    tn_catalog_column_stats *stats = tn_arena_zalloc(arena, sizeof *stats * (size_t)(file->stats_count + 1));
    if (copy->path == NULL || stats == NULL)
        return -1;
    for (int stat_idx = 0; stat_idx < file->stats_count; stat_idx++) {
        const tn_catalog_column_stats *source = &file->stats[stat_idx];
        stats[stat_idx] = *source;
        if ((source->min_value != NULL &&
             (stats[stat_idx].min_value = tn_arena_strdup(arena, source->min_value)) == NULL) ||
            (source->max_value != NULL &&
             (stats[stat_idx].max_value = tn_arena_strdup(arena, source->max_value)) == NULL))
            return -1;
    }
    copy->stats = stats;
    return 0;
}

int tn_catalog_txn_add_data_file(tn_catalog_txn *txn, int64_t table_id,
                                 const tn_catalog_data_file *file, int64_t *file_id,
                                 tn_error *err)
{
    if (tn_catalog_txn_check_table(txn, table_id, err) < 0)
        return -1;
    if (file->path == NULL || file->record_count < 0 || file->stats_count < 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "data file of table %lld lacks a path or a row count",
                            (long long)table_id);
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_ADD_DATA_FILE, err);
    if (op == NULL)
        return -1;
    op->table_id = table_id;
    op->data_file_id = op->local_id;
    if (copy_data_file(txn->arena, file, &op->file) < 0)
        return tn_error_oom(err);
    if (file_id != NULL)
        *file_id = op->local_id;
    return 0;
}

int tn_catalog_txn_set_delete_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                                   const tn_catalog_delete_file *file, tn_error *err)
{
    if (check_data_file(txn, table_id, data_file_id, err) < 0)
        return -1;
    if (file->path == NULL || file->delete_count < 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "delete file of data file %lld lacks a path or a count",
                            (long long)data_file_id);
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_SET_DELETE_FILE, err);
    if (op == NULL)
        return -1;
    op->table_id = table_id;
    op->data_file_id = data_file_id;
    op->delete_file = *file;
    op->delete_file.path = tn_arena_strdup(txn->arena, file->path);
    return op->delete_file.path == NULL ? tn_error_oom(err) : 0;
}

int tn_catalog_txn_remove_data_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                                    tn_error *err)
{
    if (check_data_file(txn, table_id, data_file_id, err) < 0)
        return -1;
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_REMOVE_DATA_FILE, err);
    if (op == NULL)
        return -1;
    op->table_id = table_id;
    op->data_file_id = data_file_id;
    return 0;
}
