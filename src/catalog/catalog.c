/*
 * Catalog lifecycle: creating a lake's catalog (DuckLake's tables, tarn's
 * own, the bootstrap snapshot 0 with schema "main"), opening one (refusing
 * what is not a lake or is newer than this build) and upgrading older
 * formats in place.
 *
 * Creation is atomic: the database is built under a temporary name and
 * renamed to tarn.catalog only once complete, so a crash mid-way leaves no
 * half-made lake behind.
 *
 * Format versions: ducklake_metadata key 'tarn_format_version'.  Each
 * format change adds one entry to `migrations` (SQL upgrading version N to
 * N + 1); opening applies the missing steps in one write transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog_int.h"

/* tarn_view_dependency: which tables and views a view reads, versioned
 * with the view (a new definition closes the old rows and adds new ones);
 * referenced_kind is 'table' or 'view'.  Added by format version 2. */
#define VIEW_DEPENDENCY_SQL                                                                   \
    "CREATE TABLE tarn_view_dependency(view_id BIGINT, begin_snapshot BIGINT,"                \
    " end_snapshot BIGINT, referenced_kind VARCHAR, referenced_id BIGINT);"                   \
    "CREATE INDEX tarn_view_dependency_view ON tarn_view_dependency(view_id);"                \
    "CREATE INDEX tarn_view_dependency_target ON tarn_view_dependency(referenced_kind,"       \
    " referenced_id);"                                                                        \
    "CREATE INDEX tarn_view_schema ON ducklake_view(schema_id, view_name);"                   \
    "CREATE INDEX tarn_view_id ON ducklake_view(view_id);"

/* The upgrade steps to TN_CATALOG_FORMAT_VERSION, one per version. */
static const tn_catalog_migration migrations[] = {
    {1, VIEW_DEPENDENCY_SQL},
};
static const int migration_count = (int)(sizeof migrations / sizeof migrations[0]);

static char *join_path(const char *dir, const char *name, tn_error *err);
static int build_schema(tn_catalog *catalog, const char *owner, tn_error *err);
static int sync_directory(const char *dir, tn_error *err);
static int read_format_version(tn_catalog *catalog, int *version, tn_error *err);
static int read_owner(tn_catalog *catalog, tn_error *err);
static tn_catalog *catalog_new(const char *dir, tn_error *err);

/*
 * DuckLake 1.0's 28 tables (flat columns: parent_column stays NULL; tables
 * for tags, macros, partitions, mappings and inlining exist but stay
 * empty), then tarn's own:
 *   tarn_principal         principals; the owner now, roles later
 *   tarn_table_constraint  CHECK / UNIQUE / PRIMARY KEY per table, versioned
 *                          like columns; column_ids is a comma list
 *   tarn_view_dependency   what each view reads (VIEW_DEPENDENCY_SQL)
 * DEFAULT expressions and NOT NULL live on ducklake_column (default_value
 * with default_value_type 'expression' and dialect 'postgres';
 * nulls_allowed).  The indexes are tarn's: lookups by table and schema.
 */
static const char schema_sql[] =
    "CREATE TABLE ducklake_metadata(key VARCHAR NOT NULL, value VARCHAR NOT NULL, scope VARCHAR,"
    " scope_id BIGINT);"
    "CREATE TABLE ducklake_snapshot(snapshot_id BIGINT PRIMARY KEY, snapshot_time TIMESTAMPTZ,"
    " schema_version BIGINT, next_catalog_id BIGINT, next_file_id BIGINT);"
    "CREATE TABLE ducklake_snapshot_changes(snapshot_id BIGINT PRIMARY KEY, changes_made VARCHAR,"
    " author VARCHAR, commit_message VARCHAR, commit_extra_info VARCHAR);"
    "CREATE TABLE ducklake_schema(schema_id BIGINT PRIMARY KEY, schema_uuid UUID,"
    " begin_snapshot BIGINT, end_snapshot BIGINT, schema_name VARCHAR, path VARCHAR,"
    " path_is_relative BOOLEAN);"
    "CREATE TABLE ducklake_table(table_id BIGINT, table_uuid UUID, begin_snapshot BIGINT,"
    " end_snapshot BIGINT, schema_id BIGINT, table_name VARCHAR, path VARCHAR,"
    " path_is_relative BOOLEAN);"
    "CREATE TABLE ducklake_view(view_id BIGINT, view_uuid UUID, begin_snapshot BIGINT,"
    " end_snapshot BIGINT, schema_id BIGINT, view_name VARCHAR, dialect VARCHAR, sql VARCHAR,"
    " column_aliases VARCHAR);"
    "CREATE TABLE ducklake_tag(object_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT,"
    " key VARCHAR, value VARCHAR);"
    "CREATE TABLE ducklake_column_tag(table_id BIGINT, column_id BIGINT, begin_snapshot BIGINT,"
    " end_snapshot BIGINT, key VARCHAR, value VARCHAR);"
    "CREATE TABLE ducklake_data_file(data_file_id BIGINT PRIMARY KEY, table_id BIGINT,"
    " begin_snapshot BIGINT, end_snapshot BIGINT, file_order BIGINT, path VARCHAR,"
    " path_is_relative BOOLEAN, file_format VARCHAR, record_count BIGINT, file_size_bytes BIGINT,"
    " footer_size BIGINT, row_id_start BIGINT, partition_id BIGINT, encryption_key VARCHAR,"
    " mapping_id BIGINT, partial_max BIGINT);"
    "CREATE TABLE ducklake_delete_file(delete_file_id BIGINT PRIMARY KEY, table_id BIGINT,"
    " begin_snapshot BIGINT, end_snapshot BIGINT, data_file_id BIGINT, path VARCHAR,"
    " path_is_relative BOOLEAN, format VARCHAR, delete_count BIGINT, file_size_bytes BIGINT,"
    " footer_size BIGINT, encryption_key VARCHAR, partial_max BIGINT);"
    "CREATE TABLE ducklake_column(column_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT,"
    " table_id BIGINT, column_order BIGINT, column_name VARCHAR, column_type VARCHAR,"
    " initial_default VARCHAR, default_value VARCHAR, nulls_allowed BOOLEAN,"
    " parent_column BIGINT, default_value_type VARCHAR, default_value_dialect VARCHAR);"
    "CREATE TABLE ducklake_file_column_stats(data_file_id BIGINT, table_id BIGINT,"
    " column_id BIGINT, column_size_bytes BIGINT, value_count BIGINT, null_count BIGINT,"
    " min_value VARCHAR, max_value VARCHAR, contains_nan BOOLEAN, extra_stats VARCHAR);"
    "CREATE TABLE ducklake_file_variant_stats(data_file_id BIGINT, table_id BIGINT,"
    " column_id BIGINT, variant_path VARCHAR, shredded_type VARCHAR, column_size_bytes BIGINT,"
    " value_count BIGINT, null_count BIGINT, min_value VARCHAR, max_value VARCHAR,"
    " contains_nan BOOLEAN, extra_stats VARCHAR);"
    "CREATE TABLE ducklake_table_stats(table_id BIGINT, record_count BIGINT, next_row_id BIGINT,"
    " file_size_bytes BIGINT);"
    "CREATE TABLE ducklake_table_column_stats(table_id BIGINT, column_id BIGINT,"
    " contains_null BOOLEAN, contains_nan BOOLEAN, min_value VARCHAR, max_value VARCHAR,"
    " extra_stats VARCHAR);"
    "CREATE TABLE ducklake_partition_info(partition_id BIGINT, table_id BIGINT,"
    " begin_snapshot BIGINT, end_snapshot BIGINT);"
    "CREATE TABLE ducklake_partition_column(partition_id BIGINT, table_id BIGINT,"
    " partition_key_index BIGINT, column_id BIGINT, transform VARCHAR);"
    "CREATE TABLE ducklake_file_partition_value(data_file_id BIGINT, table_id BIGINT,"
    " partition_key_index BIGINT, partition_value VARCHAR);"
    "CREATE TABLE ducklake_files_scheduled_for_deletion(data_file_id BIGINT, path VARCHAR,"
    " path_is_relative BOOLEAN, schedule_start TIMESTAMPTZ);"
    "CREATE TABLE ducklake_inlined_data_tables(table_id BIGINT, table_name VARCHAR,"
    " schema_version BIGINT);"
    "CREATE TABLE ducklake_column_mapping(mapping_id BIGINT, table_id BIGINT, type VARCHAR);"
    "CREATE TABLE ducklake_name_mapping(mapping_id BIGINT, column_id BIGINT,"
    " source_name VARCHAR, target_field_id BIGINT, parent_column BIGINT, is_partition BOOLEAN);"
    "CREATE TABLE ducklake_schema_versions(begin_snapshot BIGINT, schema_version BIGINT,"
    " table_id BIGINT);"
    "CREATE TABLE ducklake_macro(schema_id BIGINT, macro_id BIGINT, macro_name VARCHAR,"
    " begin_snapshot BIGINT, end_snapshot BIGINT);"
    "CREATE TABLE ducklake_macro_impl(macro_id BIGINT, impl_id BIGINT, dialect VARCHAR,"
    " sql VARCHAR, type VARCHAR);"
    "CREATE TABLE ducklake_macro_parameters(macro_id BIGINT, impl_id BIGINT, column_id BIGINT,"
    " parameter_name VARCHAR, parameter_type VARCHAR, default_value VARCHAR,"
    " default_value_type VARCHAR);"
    "CREATE TABLE ducklake_sort_info(sort_id BIGINT, table_id BIGINT, begin_snapshot BIGINT,"
    " end_snapshot BIGINT);"
    "CREATE TABLE ducklake_sort_expression(sort_id BIGINT, table_id BIGINT, sort_key_index BIGINT,"
    " expression VARCHAR, dialect VARCHAR, sort_direction VARCHAR, null_order VARCHAR);"
    "CREATE TABLE tarn_principal(principal_id BIGINT PRIMARY KEY, principal_name VARCHAR NOT NULL"
    " UNIQUE, is_owner BOOLEAN NOT NULL, begin_snapshot BIGINT, end_snapshot BIGINT);"
    "CREATE TABLE tarn_table_constraint(table_id BIGINT, constraint_order BIGINT,"
    " begin_snapshot BIGINT, end_snapshot BIGINT, constraint_type VARCHAR, constraint_name VARCHAR,"
    " expression VARCHAR, column_ids VARCHAR);"
    "CREATE INDEX tarn_schema_name ON ducklake_schema(schema_name);"
    "CREATE INDEX tarn_table_schema ON ducklake_table(schema_id, table_name);"
    "CREATE INDEX tarn_table_id ON ducklake_table(table_id);"
    "CREATE INDEX tarn_column_table ON ducklake_column(table_id);"
    "CREATE INDEX tarn_data_file_table ON ducklake_data_file(table_id);"
    "CREATE INDEX tarn_delete_file_data ON ducklake_delete_file(data_file_id);"
    "CREATE INDEX tarn_file_stats_file ON ducklake_file_column_stats(data_file_id);"
    "CREATE INDEX tarn_table_stats_table ON ducklake_table_stats(table_id);"
    "CREATE INDEX tarn_table_column_stats_table ON ducklake_table_column_stats(table_id);"
    "CREATE INDEX tarn_constraint_table ON tarn_table_constraint(table_id);"
    VIEW_DEPENDENCY_SQL;

static char *join_path(const char *dir, const char *name, tn_error *err)
{
    size_t length = strlen(dir) + strlen(name) + 2;
    char *path = malloc(length);
    if (path == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    snprintf(path, length, "%s/%s", dir, name);
    return path;
}

static tn_catalog *catalog_new(const char *dir, tn_error *err)
{
    tn_catalog *catalog = calloc(1, sizeof *catalog);
    if (catalog == NULL || (catalog->dir = strdup(dir)) == NULL) {
        free(catalog);
        tn_error_oom(err);
        return NULL;
    }
    catalog->ops = &tn_store_sqlite;
    return catalog;
}

void tn_catalog_close(tn_catalog *catalog)
{
    if (catalog == NULL)
        return;
    if (catalog->store != NULL)
        catalog->ops->close(catalog->store);
    free(catalog->dir);
    free(catalog->owner);
    free(catalog);
}

const char *tn_catalog_dir(const tn_catalog *catalog)
{
    return catalog->dir;
}

const char *tn_catalog_owner(const tn_catalog *catalog)
{
    return catalog->owner;
}

/* Tables, metadata and snapshot 0 in one transaction of the new database. */
static int build_schema(tn_catalog *catalog, const char *owner, tn_error *err)
{
    char now[40];
    tn_catalog_time_format(tn_catalog_time_now(), now, sizeof now);
    tn_arena *arena = tn_arena_create();
    if (arena == NULL)
        return tn_error_oom(err);
    char *uuid = tn_catalog_uuid_new(arena, err);
    char *version = tn_arena_printf(arena, "%d", TN_CATALOG_FORMAT_VERSION);
    int result = -1;
    if (version == NULL && uuid != NULL)
        tn_error_oom(err);
    if (uuid == NULL || version == NULL || catalog->ops->begin(catalog->store, true, err) < 0)
        goto done;
    if (catalog->ops->exec_script(catalog->store, schema_sql, err) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_metadata(key, value) VALUES ('version', '1.0'),"
                            " ('created_by', 'tarn " TN_VERSION "'), ('data_path', 'data/'),"
                            " ('encrypted', 'false'), ('tarn_format_version', ?),"
                            " ('tarn_owner', ?)",
                            "tt", version, owner) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_snapshot VALUES (0, ?, 0, 1, 0)", "t", now) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_snapshot_changes VALUES"
                            " (0, 'created_schema:\"main\"', ?, 'CREATE LAKE', NULL)",
                            "t", owner) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_schema VALUES (0, ?, 0, NULL, 'main', 'main/', 1)",
                            "t", uuid) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_schema_versions VALUES (0, 0, NULL)", "") < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO tarn_principal VALUES (1, ?, 1, 0, NULL)", "t",
                            owner) < 0 ||
        catalog->ops->commit(catalog->store, err) < 0) {
        catalog->ops->rollback(catalog->store);
        goto done;
    }
    result = 0;
done:
    tn_arena_destroy(arena);
    return result;
}

/* Makes a rename inside dir durable. */
static int sync_directory(const char *dir, tn_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) < 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        return tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not fsync directory \"%s\": %s", dir,
                            strerror(saved));
    }
    close(fd);
    return 0;
}

tn_catalog *tn_catalog_create(const char *dir, const char *owner, tn_error *err)
{
    tn_catalog *catalog = NULL;
    char *path = join_path(dir, TN_CATALOG_FILE, err);
    char *temp = join_path(dir, TN_CATALOG_FILE ".new", err);
    char *data = join_path(dir, "data", err);
    if (path == NULL || temp == NULL || data == NULL)
        goto done;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not create directory \"%s\": %s", dir,
                     strerror(errno));
        goto done;
    }
    if (access(path, F_OK) == 0) {
        tn_error_set(err, TN_ERR_DUPLICATE_OBJECT, 0, "\"%s\" is already a tarn lake", dir);
        goto done;
    }
    if (mkdir(data, 0777) < 0 && errno != EEXIST) {
        tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not create directory \"%s\": %s", data,
                     strerror(errno));
        goto done;
    }
    /* Leftovers of a creation that crashed. */
    unlink(temp);
    catalog = catalog_new(dir, err);
    if (catalog == NULL)
        goto done;
    catalog->store = catalog->ops->open(temp, true, err);
    int built = catalog->store != NULL ? build_schema(catalog, owner, err) : -1;
    catalog->ops->close(catalog->store);
    catalog->store = NULL;
    tn_catalog_close(catalog);
    catalog = NULL;
    if (built < 0) {
        unlink(temp);
        goto done;
    }
    if (rename(temp, path) < 0) {
        tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not rename \"%s\" to \"%s\": %s", temp, path,
                     strerror(errno));
        unlink(temp);
        goto done;
    }
    if (sync_directory(dir, err) == 0)
        catalog = tn_catalog_open(dir, err);
done:
    free(path);
    free(temp);
    free(data);
    return catalog;
}

/* The catalog's format version; XX001 when the file is no tarn catalog. */
static int read_format_version(tn_catalog *catalog, int *version, tn_error *err)
{
    tn_error cause = TN_ERROR_INIT;
    int64_t value = 0;
    int found = tn_catalog_sql_int64(
        catalog, &cause, &value,
        "SELECT CAST(value AS BIGINT) FROM ducklake_metadata WHERE key = 'tarn_format_version'"
        " AND scope IS NULL",
        "");
    if (found == 1 && value > 0 && value < 1000000) {
        *version = (int)value;
        return 0;
    }
    if (found < 0 && tn_error_is(&cause, TN_ERR_SERIALIZATION_FAILURE)) {
        tn_error_move(err, &cause);
        return -1;
    }
    tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "\"%s/" TN_CATALOG_FILE "\" is not a tarn catalog",
                 catalog->dir);
    tn_error_detail(err, "%s", found < 0 ? cause.message : "Its tarn_format_version is missing.");
    tn_error_clear(&cause);
    return -1;
}

static int read_owner(tn_catalog *catalog, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err, "SELECT value FROM ducklake_metadata WHERE key = 'tarn_owner'", "");
    if (stmt == NULL)
        return -1;
    int row = catalog->ops->step(stmt, err);
    const char *owner = row == 1 ? catalog->ops->column_text(stmt, 0) : NULL;
    if (owner != NULL && (catalog->owner = strdup(owner)) == NULL)
        row = tn_error_oom(err);
    catalog->ops->finalize(stmt);
    if (row == 0 || (row == 1 && owner == NULL))
        return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                            "catalog of lake \"%s\" names no owner", catalog->dir);
    return row < 0 ? -1 : 0;
}

tn_catalog *tn_catalog_open(const char *dir, tn_error *err)
{
    char *path = join_path(dir, TN_CATALOG_FILE, err);
    if (path == NULL)
        return NULL;
    struct stat info;
    if (stat(path, &info) < 0 || !S_ISREG(info.st_mode)) {
        tn_error_set(err, TN_ERR_UNDEFINED_FILE, 0, "\"%s\" is not a tarn lake (no " TN_CATALOG_FILE ")",
                     dir);
        free(path);
        return NULL;
    }
    tn_catalog *catalog = catalog_new(dir, err);
    if (catalog != NULL)
        catalog->store = catalog->ops->open(path, false, err);
    free(path);
    if (catalog == NULL || catalog->store == NULL ||
        tn_catalog_migrate(catalog, migrations, migration_count, TN_CATALOG_FORMAT_VERSION, err) < 0 ||
        read_owner(catalog, err) < 0) {
        tn_catalog_close(catalog);
        return NULL;
    }
    return catalog;
}

/* Version check and upgrade.  The version is read again under the write
 * lock so that two processes opening an old lake upgrade it once. */
int tn_catalog_migrate(tn_catalog *catalog, const tn_catalog_migration *steps, int step_count,
                       int target, tn_error *err)
{
    int version = 0;
    if (read_format_version(catalog, &version, err) < 0)
        return -1;
    if (version > target) {
        tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                     "lake format version %d is newer than this tarn supports (%d)", version,
                     target);
        tn_error_hint(err, "Open the lake with a newer version of tarn.");
        return -1;
    }
    if (version == target)
        return 0;
    if (catalog->ops->begin(catalog->store, true, err) < 0)
        return -1;
    if (read_format_version(catalog, &version, err) < 0)
        goto fail;
    for (; version < target; version++) {
        const tn_catalog_migration *step = NULL;
        for (int step_idx = 0; step_idx < step_count; step_idx++)
            if (steps[step_idx].from == version)
                step = &steps[step_idx];
        if (step == NULL) {
            tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                         "lake format version %d cannot be upgraded by this tarn", version);
            goto fail;
        }
        if (catalog->ops->exec_script(catalog->store, step->sql, err) < 0) {
            tn_error_prefix(err, "could not upgrade lake format version %d", version);
            goto fail;
        }
    }
    char text[16];
    snprintf(text, sizeof text, "%d", target);
    if (tn_catalog_sql_exec(catalog, err,
                            "UPDATE ducklake_metadata SET value = ? WHERE key = 'tarn_format_version'",
                            "t", text) < 0 ||
        catalog->ops->commit(catalog->store, err) < 0)
        goto fail;
    return 0;
fail:
    catalog->ops->rollback(catalog->store);
    return -1;
}
