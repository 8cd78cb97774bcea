/*
 * Reading the catalog at a snapshot.  A row of a versioned table is visible
 * at S when begin_snapshot <= S < end_snapshot (end NULL = still live);
 * since commits only ever add rows and close live ones with a later
 * snapshot, what a committed snapshot shows never changes, and a reader
 * can spread its queries over several statements without a transaction.
 * Everything returned is copied into the caller's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

static int read_columns(tn_catalog *catalog, int64_t snapshot_id, tn_catalog_table *table,
                        tn_arena *arena, tn_error *err);
static int read_constraints(tn_catalog *catalog, int64_t snapshot_id, tn_catalog_table *table,
                            tn_arena *arena, tn_error *err);
static int parse_column_list(const char *list, const tn_catalog_table *table, tn_arena *arena,
                             tn_catalog_unique *unique, tn_error *err);
static int read_entries(tn_catalog *catalog, tn_store_stmt *stmt, tn_arena *arena,
                        tn_catalog_entry **out, int *count, tn_error *err);
static int read_file_stats(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                           tn_catalog_data_file *files, int file_count, tn_arena *arena,
                           tn_error *err);
static int64_t optional_int64(tn_catalog *catalog, tn_store_stmt *stmt, int column);
static void read_stats_row(tn_catalog *catalog, tn_store_stmt *stmt, int first,
                           tn_catalog_column_stats *stats, tn_arena *arena);

static int64_t optional_int64(tn_catalog *catalog, tn_store_stmt *stmt, int column)
{
    return catalog->ops->column_is_null(stmt, column) ? -1 : catalog->ops->column_int64(stmt, column);
}

/* ---- snapshots ---- */

int tn_catalog_snapshot_latest(tn_catalog *catalog, int64_t *snapshot_id, tn_error *err)
{
    int found = tn_catalog_sql_int64(catalog, err, snapshot_id,
                                     "SELECT max(snapshot_id) FROM ducklake_snapshot", "");
    if (found == 0)
        return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "catalog of lake \"%s\" has no snapshot",
                            catalog->dir);
    return found < 0 ? -1 : 0;
}

int tn_catalog_snapshot_at_time(tn_catalog *catalog, int64_t time, int64_t *snapshot_id,
                                tn_error *err)
{
    char text[40];
    tn_catalog_time_format(time, text, sizeof text);
    int found = tn_catalog_sql_int64(
        catalog, err, snapshot_id,
        "SELECT max(snapshot_id) FROM ducklake_snapshot WHERE snapshot_time <= ?", "t", text);
    if (found == 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "lake has no snapshot at or before %s", text);
    return found < 0 ? -1 : 0;
}

int tn_catalog_snapshot_list(tn_catalog *catalog, tn_arena *arena, tn_catalog_snapshot **out,
                             int *count, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT s.snapshot_id, s.snapshot_time, s.schema_version, c.author, c.commit_message,"
        " c.changes_made FROM ducklake_snapshot s"
        " LEFT JOIN ducklake_snapshot_changes c ON c.snapshot_id = s.snapshot_id"
        " ORDER BY s.snapshot_id",
        "");
    if (stmt == NULL)
        return -1;
    tn_catalog_snapshot *items = NULL;
    int capacity = 0, used = 0, row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&items, &capacity, used, sizeof *items, err) < 0) {
            row = -1;
            break;
        }
        tn_catalog_snapshot *snapshot = &items[used++];
        snapshot->id = catalog->ops->column_int64(stmt, 0);
        const char *time = catalog->ops->column_text(stmt, 1);
        if (time == NULL || tn_catalog_time_parse(time, &snapshot->time) < 0) {
            row = tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                               "snapshot %lld has an invalid time \"%s\"",
                               (long long)snapshot->id, time != NULL ? time : "NULL");
            break;
        }
        snapshot->schema_version = catalog->ops->column_int64(stmt, 2);
        snapshot->author = tn_catalog_sql_text(catalog, stmt, 3, arena);
        snapshot->operation = tn_catalog_sql_text(catalog, stmt, 4, arena);
        snapshot->changes = tn_catalog_sql_text(catalog, stmt, 5, arena);
    }
    catalog->ops->finalize(stmt);
    *out = items;
    *count = used;
    return row < 0 ? -1 : 0;
}

/* ---- schemas and tables ---- */

/* Collects (id, name) rows. */
static int read_entries(tn_catalog *catalog, tn_store_stmt *stmt, tn_arena *arena,
                        tn_catalog_entry **out, int *count, tn_error *err)
{
    if (stmt == NULL)
        return -1;
    tn_catalog_entry *items = NULL;
    int capacity = 0, used = 0, row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&items, &capacity, used, sizeof *items, err) < 0) {
            row = -1;
            break;
        }
        items[used].id = catalog->ops->column_int64(stmt, 0);
        items[used].name = tn_catalog_sql_text(catalog, stmt, 1, arena);
        if (items[used++].name == NULL) {
            row = tn_error_oom(err);
            break;
        }
    }
    catalog->ops->finalize(stmt);
    *out = items;
    *count = used;
    return row < 0 ? -1 : 0;
}

int tn_catalog_schema_list(tn_catalog *catalog, int64_t snapshot_id, tn_arena *arena,
                           tn_catalog_entry **out, int *count, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT s.schema_id, s.schema_name FROM ducklake_schema s WHERE" TN_VISIBLE("s")
        "ORDER BY s.schema_name",
        "ii", snapshot_id, snapshot_id);
    return read_entries(catalog, stmt, arena, out, count, err);
}

int tn_catalog_schema_lookup(tn_catalog *catalog, int64_t snapshot_id, const char *name,
                             tn_arena *arena, tn_catalog_schema *out, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT s.schema_id, s.schema_uuid, s.schema_name, s.begin_snapshot FROM ducklake_schema s"
        " WHERE s.schema_name = ? AND" TN_VISIBLE("s"),
        "tii", name, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return -1;
    int row = catalog->ops->step(stmt, err);
    if (row == 1) {
        out->id = catalog->ops->column_int64(stmt, 0);
        out->uuid = tn_catalog_sql_text(catalog, stmt, 1, arena);
        out->name = tn_catalog_sql_text(catalog, stmt, 2, arena);
        out->begin_snapshot = catalog->ops->column_int64(stmt, 3);
        if (out->name == NULL)
            row = tn_error_oom(err);
    }
    catalog->ops->finalize(stmt);
    return row;
}

int tn_catalog_table_list(tn_catalog *catalog, int64_t snapshot_id, int64_t schema_id,
                          tn_arena *arena, tn_catalog_entry **out, int *count, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT t.table_id, t.table_name FROM ducklake_table t WHERE t.schema_id = ? AND"
        TN_VISIBLE("t") "ORDER BY t.table_name",
        "iii", schema_id, snapshot_id, snapshot_id);
    return read_entries(catalog, stmt, arena, out, count, err);
}

tn_catalog_table *tn_catalog_table_lookup(tn_catalog *catalog, int64_t snapshot_id,
                                          const char *schema, const char *name,
                                          tn_arena *arena, tn_error *err)
{
    int64_t table_id = 0;
    int found = tn_catalog_sql_int64(
        catalog, err, &table_id,
        "SELECT t.table_id FROM ducklake_table t JOIN ducklake_schema s"
        " ON s.schema_id = t.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND t.table_name = ? AND" TN_VISIBLE("t"),
        "iittii", snapshot_id, snapshot_id, schema, name, snapshot_id, snapshot_id);
    if (found <= 0)
        return NULL;
    return tn_catalog_table_get(catalog, snapshot_id, table_id, arena, err);
}

tn_catalog_table *tn_catalog_table_get(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                                       tn_arena *arena, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT t.table_uuid, t.schema_id, s.schema_name, t.table_name,"
        " 'data/' || s.path || t.path, t.begin_snapshot"
        " FROM ducklake_table t JOIN ducklake_schema s"
        " ON s.schema_id = t.schema_id AND" TN_VISIBLE("s")
        "WHERE t.table_id = ? AND" TN_VISIBLE("t"),
        "iiiii", snapshot_id, snapshot_id, table_id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return NULL;
    tn_catalog_table *table = NULL;
    int row = catalog->ops->step(stmt, err);
    if (row == 1 && (table = tn_arena_zalloc(arena, sizeof *table)) != NULL) {
        table->id = table_id;
        table->uuid = tn_catalog_sql_text(catalog, stmt, 0, arena);
        table->schema_id = catalog->ops->column_int64(stmt, 1);
        table->schema_name = tn_catalog_sql_text(catalog, stmt, 2, arena);
        table->name = tn_catalog_sql_text(catalog, stmt, 3, arena);
        char *path = (char *)tn_catalog_sql_text(catalog, stmt, 4, arena);
        table->begin_snapshot = catalog->ops->column_int64(stmt, 5);
        if (path != NULL && path[0] != '\0' && path[strlen(path) - 1] == '/')
            path[strlen(path) - 1] = '\0';
        table->data_path = path;
        if (table->name == NULL || table->schema_name == NULL || path == NULL)
            table = NULL;
    }
    catalog->ops->finalize(stmt);
    if (row == 1 && table == NULL)
        tn_error_oom(err);
    if (table == NULL || read_columns(catalog, snapshot_id, table, arena, err) < 0 ||
        read_constraints(catalog, snapshot_id, table, arena, err) < 0)
        return NULL;
    return table;
}

static int read_columns(tn_catalog *catalog, int64_t snapshot_id, tn_catalog_table *table,
                        tn_arena *arena, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT c.column_id, c.column_name, c.column_type, c.nulls_allowed, c.default_value"
        " FROM ducklake_column c WHERE c.table_id = ? AND c.parent_column IS NULL AND"
        TN_VISIBLE("c") "ORDER BY c.column_order",
        "iii", table->id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return -1;
    tn_catalog_column *columns = NULL;
    int capacity = 0, row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&columns, &capacity, table->column_count,
                                  sizeof *columns, err) < 0) {
            row = -1;
            break;
        }
        tn_catalog_column *column = &columns[table->column_count++];
        column->id = catalog->ops->column_int64(stmt, 0);
        column->name = tn_catalog_sql_text(catalog, stmt, 1, arena);
        const char *type = catalog->ops->column_text(stmt, 2);
        column->is_nullable = catalog->ops->column_int64(stmt, 3) != 0;
        column->default_sql = tn_catalog_sql_text(catalog, stmt, 4, arena);
        if (type == NULL || tn_type_parse(type, &column->type) < 0) {
            row = tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                               "column %lld of table \"%s\" has an unknown type \"%s\"",
                               (long long)column->id, table->name, type != NULL ? type : "NULL");
            break;
        }
    }
    catalog->ops->finalize(stmt);
    table->columns = columns;
    return row < 0 ? -1 : 0;
}

/* "3,1" (column ids) -> indexes into the table's columns. */
static int parse_column_list(const char *list, const tn_catalog_table *table, tn_arena *arena,
                             tn_catalog_unique *unique, tn_error *err)
{
    int *indexes = tn_arena_alloc(arena, sizeof(int) * (size_t)(table->column_count + 1));
    if (indexes == NULL)
        return tn_error_oom(err);
    int count = 0;
    const char *cursor = list != NULL ? list : "";
    while (*cursor != '\0') {
        char *end;
        long long id = strtoll(cursor, &end, 10);
        int found = -1;
        for (int col_idx = 0; col_idx < table->column_count; col_idx++)
            if (table->columns[col_idx].id == id)
                found = col_idx;
        if (end == cursor || found < 0 || count >= table->column_count)
            return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                                "constraint \"%s\" of table \"%s\" names bad columns \"%s\"",
                                unique->name != NULL ? unique->name : "", table->name, list);
        indexes[count++] = found;
        cursor = *end == ',' ? end + 1 : end;
    }
    unique->columns = indexes;
    unique->column_count = count;
    return 0;
}

static int read_constraints(tn_catalog *catalog, int64_t snapshot_id, tn_catalog_table *table,
                            tn_arena *arena, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT k.constraint_type, k.constraint_name, k.expression, k.column_ids"
        " FROM tarn_table_constraint k WHERE k.table_id = ? AND" TN_VISIBLE("k")
        "ORDER BY k.constraint_order",
        "iii", table->id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return -1;
    tn_catalog_check *checks = NULL;
    tn_catalog_unique *uniques = NULL;
    int check_capacity = 0, unique_capacity = 0, row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        const char *type = catalog->ops->column_text(stmt, 0);
        const char *name = tn_catalog_sql_text(catalog, stmt, 1, arena);
        if (type != NULL && strcmp(type, "check") == 0) {
            if (tn_catalog_array_grow(arena, (void **)&checks, &check_capacity, table->check_count,
                                      sizeof *checks, err) < 0) {
                row = -1;
                break;
            }
            checks[table->check_count].name = name;
            checks[table->check_count++].sql = tn_catalog_sql_text(catalog, stmt, 2, arena);
            continue;
        }
        if (tn_catalog_array_grow(arena, (void **)&uniques, &unique_capacity, table->unique_count,
                                  sizeof *uniques, err) < 0) {
            row = -1;
            break;
        }
        tn_catalog_unique *unique = &uniques[table->unique_count++];
        unique->name = name;
        unique->is_primary_key = type != NULL && strcmp(type, "primary key") == 0;
        if (parse_column_list(catalog->ops->column_text(stmt, 3), table, arena, unique, err) < 0) {
            row = -1;
            break;
        }
    }
    catalog->ops->finalize(stmt);
    table->checks = checks;
    table->uniques = uniques;
    return row < 0 ? -1 : 0;
}

/* ---- files and statistics ---- */

/* Fills stats from columns first.. of a row: column_id, null_count,
 * value_count, column_size_bytes, min, max, contains_nan. */
static void read_stats_row(tn_catalog *catalog, tn_store_stmt *stmt, int first,
                           tn_catalog_column_stats *stats, tn_arena *arena)
{
    stats->column_id = catalog->ops->column_int64(stmt, first);
    stats->null_count = optional_int64(catalog, stmt, first + 1);
    stats->value_count = optional_int64(catalog, stmt, first + 2);
    stats->column_size_bytes = optional_int64(catalog, stmt, first + 3);
    stats->min_value = tn_catalog_sql_text(catalog, stmt, first + 4, arena);
    stats->max_value = tn_catalog_sql_text(catalog, stmt, first + 5, arena);
    stats->contains_nan = catalog->ops->column_int64(stmt, first + 6) != 0;
}

int tn_catalog_data_file_list(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                              tn_arena *arena, tn_catalog_data_file **out, int *count,
                              tn_error *err)
{
    *out = NULL;
    *count = 0;
    tn_catalog_table *table = tn_catalog_table_get(catalog, snapshot_id, table_id, arena, err);
    if (table == NULL) {
        if (!tn_error_is_set(err))
            tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0,
                         "table with id %lld does not exist at snapshot %lld",
                         (long long)table_id, (long long)snapshot_id);
        return -1;
    }
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT f.data_file_id, f.path, f.record_count, f.file_size_bytes, f.footer_size,"
        " f.row_id_start, f.begin_snapshot, d.delete_file_id, d.path, d.delete_count,"
        " d.file_size_bytes, d.footer_size, d.begin_snapshot"
        " FROM ducklake_data_file f LEFT JOIN ducklake_delete_file d"
        " ON d.data_file_id = f.data_file_id AND" TN_VISIBLE("d")
        "WHERE f.table_id = ? AND" TN_VISIBLE("f") "ORDER BY f.data_file_id",
        "iiiii", snapshot_id, snapshot_id, table_id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return -1;
    tn_catalog_data_file *files = NULL;
    int capacity = 0, used = 0, row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&files, &capacity, used, sizeof *files, err) < 0) {
            row = -1;
            break;
        }
        tn_catalog_data_file *file = &files[used++];
        memset(file, 0, sizeof *file);
        file->id = catalog->ops->column_int64(stmt, 0);
        file->path = tn_arena_printf(arena, "%s/%s", table->data_path,
                                     catalog->ops->column_text(stmt, 1));
        file->record_count = catalog->ops->column_int64(stmt, 2);
        file->file_size_bytes = optional_int64(catalog, stmt, 3);
        file->footer_size = optional_int64(catalog, stmt, 4);
        file->row_id_start = catalog->ops->column_int64(stmt, 5);
        file->begin_snapshot = catalog->ops->column_int64(stmt, 6);
        if (!catalog->ops->column_is_null(stmt, 7)) {
            tn_catalog_delete_file *deletes = tn_arena_zalloc(arena, sizeof *deletes);
            if (deletes == NULL) {
                row = tn_error_oom(err);
                break;
            }
            deletes->id = catalog->ops->column_int64(stmt, 7);
            deletes->path = tn_arena_printf(arena, "%s/%s", table->data_path,
                                            catalog->ops->column_text(stmt, 8));
            deletes->delete_count = catalog->ops->column_int64(stmt, 9);
            deletes->file_size_bytes = optional_int64(catalog, stmt, 10);
            deletes->footer_size = optional_int64(catalog, stmt, 11);
            deletes->begin_snapshot = catalog->ops->column_int64(stmt, 12);
            file->delete_file = deletes;
        }
    }
    catalog->ops->finalize(stmt);
    if (row < 0 || read_file_stats(catalog, snapshot_id, table_id, files, used, arena, err) < 0)
        return -1;
    *out = files;
    *count = used;
    return 0;
}

/* Attaches each file's column statistics; both lists are in file id order. */
static int read_file_stats(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                           tn_catalog_data_file *files, int file_count, tn_arena *arena,
                           tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT c.data_file_id, c.column_id, c.null_count, c.value_count, c.column_size_bytes,"
        " c.min_value, c.max_value, c.contains_nan FROM ducklake_file_column_stats c"
        " JOIN ducklake_data_file f ON f.data_file_id = c.data_file_id"
        " WHERE f.table_id = ? AND" TN_VISIBLE("f") "ORDER BY c.data_file_id, c.column_id",
        "iii", table_id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return -1;
    int file_idx = 0, capacity = 0, row;
    tn_catalog_column_stats *stats = NULL;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        int64_t file_id = catalog->ops->column_int64(stmt, 0);
        while (file_idx < file_count && files[file_idx].id < file_id)
            file_idx++;
        if (file_idx == file_count)
            break;
        tn_catalog_data_file *file = &files[file_idx];
        if (file->stats_count == 0) {
            stats = NULL;
            capacity = 0;
        }
        if (tn_catalog_array_grow(arena, (void **)&stats, &capacity, file->stats_count,
                                  sizeof *stats, err) < 0) {
            row = -1;
            break;
        }
        read_stats_row(catalog, stmt, 1, &stats[file->stats_count++], arena);
        file->stats = stats;
    }
    catalog->ops->finalize(stmt);
    return row < 0 ? -1 : 0;
}

int tn_catalog_table_stats_get(tn_catalog *catalog, int64_t table_id, tn_arena *arena,
                               tn_catalog_table_stats *out, tn_error *err)
{
    memset(out, 0, sizeof *out);
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT record_count, next_row_id, file_size_bytes FROM ducklake_table_stats"
        " WHERE table_id = ?",
        "i", table_id);
    if (stmt == NULL)
        return -1;
    int row = catalog->ops->step(stmt, err);
    if (row == 1) {
        out->record_count = catalog->ops->column_int64(stmt, 0);
        out->next_row_id = catalog->ops->column_int64(stmt, 1);
        out->file_size_bytes = catalog->ops->column_int64(stmt, 2);
    }
    catalog->ops->finalize(stmt);
    if (row == 0)
        return tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "table with id %lld has no statistics",
                            (long long)table_id);
    if (row < 0)
        return -1;
    stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT column_id, contains_null, NULL, NULL, min_value, max_value, contains_nan"
        " FROM ducklake_table_column_stats WHERE table_id = ? ORDER BY column_id",
        "i", table_id);
    if (stmt == NULL)
        return -1;
    tn_catalog_column_stats *columns = NULL;
    int capacity = 0;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&columns, &capacity, out->column_count,
                                  sizeof *columns, err) < 0) {
            row = -1;
            break;
        }
        read_stats_row(catalog, stmt, 0, &columns[out->column_count++], arena);
    }
    catalog->ops->finalize(stmt);
    out->columns = columns;
    return row < 0 ? -1 : 0;
}
