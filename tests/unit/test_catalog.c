/*
 * Unit tests of the catalog: creating and opening lakes, refusing what is
 * not one or is too new, format migrations, schemas and tables across
 * snapshots (time travel), data and delete files, statistics, the conflict
 * matrix (two transactions from one base snapshot), error texts, and views
 * (versions, the namespace shared with tables, dependencies with their
 * refusals and cascades, view conflicts).  Each
 * test works in its own temporary lake directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog_int.h"

typedef struct fixture {
    char dir[64];
    tn_catalog *catalog;
    tn_arena *arena;
    tn_error err;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/tarn_catalog_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    fx->arena = tn_arena_create();
    fx->err = (tn_error)TN_ERROR_INIT;
    fx->catalog = tn_catalog_create(fx->dir, "alice", &fx->err);
    assert_non_null(fx->catalog);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tn_catalog_close(fx->catalog);
    tn_arena_destroy(fx->arena);
    tn_error_clear(&fx->err);
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(command), 0);
    free(fx);
    return 0;
}

/* Runs sql directly on the lake's SQLite file (to fake old or new lakes). */
static void poke(const fixture *fx, const char *sql)
{
    char path[128];
    snprintf(path, sizeof path, "%s/" TN_CATALOG_FILE, fx->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int64_t latest(fixture *fx)
{
    int64_t id = -1;
    assert_int_equal(tn_catalog_snapshot_latest(fx->catalog, &id, &fx->err), 0);
    return id;
}

/* A 2BP01 refusal with message and detail. */
static void expect_refusal(fixture *fx, int result, const char *message, const char *detail)
{
    assert_int_equal(result, -1);
    assert_string_equal(fx->err.sqlstate, "2BP01");
    assert_string_equal(fx->err.message, message);
    assert_string_equal(fx->err.detail, detail);
    assert_string_equal(fx->err.hint, "Use DROP ... CASCADE to drop the dependent objects too.");
    tn_error_clear(&fx->err);
}

static const tn_catalog_column demo_columns[] = {
    {0, "id", {TN_TYPE_INT64, 0, 0}, false, NULL},
    {0, "name", {TN_TYPE_TEXT, 0, 0}, true, "'anon'::text"},
    {0, "price", {TN_TYPE_NUMERIC, 10, 2}, true, NULL},
};
static const int demo_key[] = {0};
static const int demo_unique[] = {1, 2};
static const tn_catalog_unique demo_uniques[] = {
    {"t_pkey", true, 1, demo_key},
    {"t_name_price_key", false, 2, demo_unique},
};
static const tn_catalog_check demo_checks[] = {{"t_price_check", "price > 0"}};

static tn_catalog_table demo_table(const char *name)
{
    tn_catalog_table def;
    memset(&def, 0, sizeof def);
    def.name = name;
    def.column_count = 3;
    def.columns = demo_columns;
    def.check_count = 1;
    def.checks = demo_checks;
    def.unique_count = 2;
    def.uniques = demo_uniques;
    return def;
}

/* Commits one operation-free-of-surprises transaction creating schema.name. */
static int64_t create_table(fixture *fx, const char *schema, const char *name)
{
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_non_null(txn);
    tn_catalog_table def = demo_table(name);
    int64_t local = 0, snapshot = 0;
    assert_int_equal(tn_catalog_txn_create_table(txn, schema, &def, &local, &fx->err), 0);
    assert_true(local < 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE TABLE", &snapshot, &fx->err), 0);
    tn_catalog_table *table = tn_catalog_table_lookup(fx->catalog, snapshot, schema, name,
                                                      fx->arena, &fx->err);
    assert_non_null(table);
    return table->id;
}

/* A data file of table schema.name with stats for column 1 (id) and 2 (name). */
static tn_catalog_data_file demo_file(fixture *fx, const char *name, int64_t rows,
                                      const char *min, const char *max, tn_catalog_column_stats *stats)
{
    tn_catalog_data_file file;
    memset(&file, 0, sizeof file);
    file.path = tn_catalog_path_new_file(fx->arena, "main", name, false, &fx->err);
    assert_non_null(file.path);
    file.record_count = rows;
    file.file_size_bytes = 1000;
    file.footer_size = 100;
    stats[0] = (tn_catalog_column_stats){1, 0, rows, 400, min, max, false};
    stats[1] = (tn_catalog_column_stats){2, 1, rows, 500, "a", "m", false};
    file.stats_count = 2;
    file.stats = stats;
    return file;
}

static int64_t insert_file(fixture *fx, int64_t table_id, const char *name, int64_t rows,
                           const char *min, const char *max)
{
    tn_catalog_column_stats stats[2];
    tn_catalog_data_file file = demo_file(fx, name, rows, min, max, stats);
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_non_null(txn);
    assert_int_equal(tn_catalog_txn_add_data_file(txn, table_id, &file, NULL, &fx->err), 0);
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_commit(txn, "INSERT", &snapshot, &fx->err), 0);
    return snapshot;
}

/* ---- lakes ---- */

static void test_create_and_open(void **state)
{
    fixture *fx = *state;
    assert_string_equal(tn_catalog_owner(fx->catalog), "alice");
    assert_int_equal(latest(fx), 0);
    tn_catalog_close(fx->catalog);
    fx->catalog = tn_catalog_open(fx->dir, &fx->err);
    assert_non_null(fx->catalog);
    assert_string_equal(tn_catalog_owner(fx->catalog), "alice");

    tn_catalog_entry *schemas;
    int count;
    assert_int_equal(tn_catalog_schema_list(fx->catalog, 0, fx->arena, &schemas, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(schemas[0].name, "main");
    assert_int_equal(schemas[0].id, 0);

    tn_catalog_snapshot *snapshots;
    assert_int_equal(tn_catalog_snapshot_list(fx->catalog, fx->arena, &snapshots, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(snapshots[0].changes, "created_schema:\"main\"");
    assert_string_equal(snapshots[0].author, "alice");
    assert_true(snapshots[0].time > 1700000000000000LL);

    int64_t version = 0;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &version,
                                          "SELECT count(*) FROM tarn_principal WHERE"
                                          " principal_name = 'alice' AND is_owner",
                                          ""),
                     1);
    assert_int_equal(version, 1);
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &version,
                                          "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                          " AND name LIKE 'ducklake%'",
                                          ""),
                     1);
    assert_int_equal(version, 28);
}

static void test_create_twice(void **state)
{
    fixture *fx = *state;
    assert_null(tn_catalog_create(fx->dir, "carol", &fx->err));
    assert_string_equal(fx->err.sqlstate, "42710");
    char expected[128];
    snprintf(expected, sizeof expected, "\"%s\" is already a tarn lake", fx->dir);
    assert_string_equal(fx->err.message, expected);
}

static void test_not_a_lake(void **state)
{
    fixture *fx = *state;
    char dir[128], expected[200];
    snprintf(dir, sizeof dir, "%s/data", fx->dir);
    assert_null(tn_catalog_open(dir, &fx->err));
    assert_string_equal(fx->err.sqlstate, "58P01");
    snprintf(expected, sizeof expected, "\"%s\" is not a tarn lake (no tarn.catalog)", dir);
    assert_string_equal(fx->err.message, expected);
    tn_error_clear(&fx->err);

    /* A file that is not SQLite at all. */
    char path[160];
    snprintf(path, sizeof path, "%s/" TN_CATALOG_FILE, dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("this is not a database, just some text that is long enough to matter\n", file);
    fclose(file);
    assert_null(tn_catalog_open(dir, &fx->err));
    assert_string_equal(fx->err.sqlstate, "XX001");
    tn_error_clear(&fx->err);

    /* A SQLite file without tarn's tables. */
    unlink(path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE x(a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_null(tn_catalog_open(dir, &fx->err));
    assert_string_equal(fx->err.sqlstate, "XX001");
    snprintf(expected, sizeof expected, "\"%s/tarn.catalog\" is not a tarn catalog", dir);
    assert_string_equal(fx->err.message, expected);
}

static void test_newer_version_refused(void **state)
{
    fixture *fx = *state;
    tn_catalog_close(fx->catalog);
    fx->catalog = NULL;
    poke(fx, "UPDATE ducklake_metadata SET value = '7' WHERE key = 'tarn_format_version'");
    assert_null(tn_catalog_open(fx->dir, &fx->err));
    assert_string_equal(fx->err.sqlstate, "0A000");
    assert_string_equal(fx->err.message, "lake format version 7 is newer than this tarn supports (2)");
    assert_non_null(fx->err.hint);
}

static int64_t format_version(fixture *fx)
{
    int64_t version = 0;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &version,
                                          "SELECT CAST(value AS BIGINT) FROM ducklake_metadata"
                                          " WHERE key = 'tarn_format_version'",
                                          ""),
                     1);
    return version;
}

static void test_migration(void **state)
{
    fixture *fx = *state;
    static const tn_catalog_migration steps[] = {
        {3, "INSERT INTO tarn_fake VALUES (42);"},
        {2, "CREATE TABLE tarn_fake(x BIGINT);"},
        {4, "INSERT INTO no_such_table VALUES (1);"},
    };
    /* The lake is version 2; pretend this build supports 4. */
    assert_int_equal(tn_catalog_migrate(fx->catalog, steps, 2, 4, &fx->err), 0);
    assert_int_equal(format_version(fx), 4);
    int64_t value = 0;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &value, "SELECT x FROM tarn_fake", ""), 1);
    assert_int_equal(value, 42);
    /* Up to date: nothing to do. */
    assert_int_equal(tn_catalog_migrate(fx->catalog, steps, 2, 4, &fx->err), 0);
    /* No step from 4: refused, nothing changed. */
    assert_int_equal(tn_catalog_migrate(fx->catalog, steps, 2, 5, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "0A000");
    assert_string_equal(fx->err.message, "lake format version 4 cannot be upgraded by this tarn");
    tn_error_clear(&fx->err);
    /* A failing step rolls the whole upgrade back. */
    assert_int_equal(tn_catalog_migrate(fx->catalog, steps, 3, 5, &fx->err), -1);
    assert_non_null(strstr(fx->err.message, "could not upgrade lake format version 4"));
    tn_error_clear(&fx->err);
    assert_int_equal(format_version(fx), 4);
    /* Older than the target passed: refused as newer. */
    assert_int_equal(tn_catalog_migrate(fx->catalog, steps, 3, 3, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "0A000");
}

/* A lake of format 1 (before views) gains tarn_view_dependency at open. */
static void test_upgrade_from_format_1(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    tn_catalog_close(fx->catalog);
    fx->catalog = NULL;
    poke(fx, "DROP TABLE tarn_view_dependency; DROP INDEX tarn_view_schema; DROP INDEX tarn_view_id;"
             "UPDATE ducklake_metadata SET value = '1' WHERE key = 'tarn_format_version'");
    fx->catalog = tn_catalog_open(fx->dir, &fx->err);
    assert_non_null(fx->catalog);
    assert_int_equal(format_version(fx), TN_CATALOG_FORMAT_VERSION);
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    static const char *const columns[] = {"id"};
    tn_catalog_view def = {0, NULL, 0, NULL, "v", "SELECT id FROM t", 1, columns, 0};
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, false, &table_id, 1, NULL, 0, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE VIEW", NULL, &fx->err), 0);
    assert_non_null(tn_catalog_view_lookup(fx->catalog, latest(fx), "main", "v", fx->arena, &fx->err));
}

/* ---- schemas and tables over time ---- */

static void test_schema_and_table_lifecycle(void **state)
{
    fixture *fx = *state;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, 0, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "sales", &fx->err), 0);
    int64_t s1 = 0;
    assert_int_equal(tn_catalog_commit(txn, "CREATE SCHEMA", &s1, &fx->err), 0);
    assert_int_equal(s1, 1);
    int64_t table_id = create_table(fx, "sales", "orders");
    int64_t s2 = latest(fx);
    assert_int_equal(s2, 2);

    /* Time travel: the table did not exist at snapshot 1. */
    assert_null(tn_catalog_table_lookup(fx->catalog, s1, "sales", "orders", fx->arena, &fx->err));
    assert_false(tn_error_is_set(&fx->err));
    tn_catalog_table *table = tn_catalog_table_lookup(fx->catalog, s2, "sales", "orders", fx->arena, &fx->err);
    assert_non_null(table);
    assert_int_equal(table->id, table_id);
    assert_string_equal(table->schema_name, "sales");
    assert_string_equal(table->data_path, "data/sales/orders");
    assert_int_equal(strlen(table->uuid), 36);
    assert_int_equal(table->begin_snapshot, s2);
    assert_int_equal(table->column_count, 3);
    assert_int_equal(table->columns[0].id, 1);
    assert_string_equal(table->columns[0].name, "id");
    assert_false(table->columns[0].is_nullable);
    assert_null(table->columns[0].default_sql);
    assert_string_equal(table->columns[1].default_sql, "'anon'::text");
    assert_true(tn_type_equal(table->columns[2].type, tn_type_numeric(10, 2)));
    assert_int_equal(table->check_count, 1);
    assert_string_equal(table->checks[0].sql, "price > 0");
    assert_string_equal(table->checks[0].name, "t_price_check");
    assert_int_equal(table->unique_count, 2);
    assert_true(table->uniques[0].is_primary_key);
    assert_int_equal(table->uniques[0].column_count, 1);
    assert_int_equal(table->uniques[0].columns[0], 0);
    assert_false(table->uniques[1].is_primary_key);
    assert_int_equal(table->uniques[1].column_count, 2);
    assert_int_equal(table->uniques[1].columns[1], 2);

    tn_catalog_schema schema;
    assert_int_equal(tn_catalog_schema_lookup(fx->catalog, s2, "sales", fx->arena, &schema, &fx->err), 1);
    tn_catalog_entry *tables;
    int count;
    assert_int_equal(tn_catalog_table_list(fx->catalog, s2, schema.id, fx->arena, &tables, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(tables[0].name, "orders");

    /* A non-empty schema is not dropped without cascade. */
    txn = tn_catalog_begin(fx->catalog, s2, "bob", &fx->err);
    expect_refusal(fx, tn_catalog_txn_drop_schema(txn, "sales", false, &fx->err),
                   "cannot drop schema sales because other objects depend on it",
                   "table sales.orders depends on schema sales");
    assert_int_equal(tn_catalog_txn_drop_schema(txn, "sales", true, &fx->err), 0);
    int64_t s3 = 0;
    assert_int_equal(tn_catalog_commit(txn, "DROP SCHEMA", &s3, &fx->err), 0);

    assert_null(tn_catalog_table_lookup(fx->catalog, s3, "sales", "orders", fx->arena, &fx->err));
    assert_int_equal(tn_catalog_schema_lookup(fx->catalog, s3, "sales", fx->arena, &schema, &fx->err), 0);
    /* ... but snapshot 2 still shows both. */
    assert_non_null(tn_catalog_table_lookup(fx->catalog, s2, "sales", "orders", fx->arena, &fx->err));

    tn_catalog_snapshot *snapshots;
    assert_int_equal(tn_catalog_snapshot_list(fx->catalog, fx->arena, &snapshots, &count, &fx->err), 0);
    assert_int_equal(count, 4);
    assert_string_equal(snapshots[1].changes, "created_schema:\"sales\"");
    assert_string_equal(snapshots[2].changes, "created_table:\"sales\".\"orders\"");
    char expected[64];
    snprintf(expected, sizeof expected, "dropped_table:%lld,dropped_schema:%lld", (long long)table_id,
             (long long)schema.id);
    assert_string_equal(snapshots[3].changes, expected);
    assert_string_equal(snapshots[3].author, "bob");
    assert_string_equal(snapshots[3].operation, "DROP SCHEMA");
    assert_int_equal(snapshots[3].schema_version, 3);

    /* The name is free again. */
    create_table(fx, "main", "orders");
}

static void test_own_objects_in_one_transaction(void **state)
{
    fixture *fx = *state;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, 0, NULL, &fx->err);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "stage", &fx->err), 0);
    tn_catalog_table def = demo_table("raw");
    int64_t table_id = 0, file_id = 0;
    assert_int_equal(tn_catalog_txn_create_table(txn, "stage", &def, &table_id, &fx->err), 0);
    tn_catalog_column_stats stats[2];
    tn_catalog_data_file file = demo_file(fx, "raw", 5, "1", "5", stats);
    file.path = tn_catalog_path_new_file(fx->arena, "stage", "raw", false, &fx->err);
    assert_int_equal(tn_catalog_txn_add_data_file(txn, table_id, &file, &file_id, &fx->err), 0);
    assert_true(file_id < 0);
    /* Its own table is visible to it. */
    assert_int_equal(tn_catalog_txn_create_table(txn, "stage", &def, NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42P07");
    tn_error_clear(&fx->err);
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_commit(txn, "CREATE TABLE AS", &snapshot, &fx->err), 0);
    tn_catalog_table *table = tn_catalog_table_lookup(fx->catalog, snapshot, "stage", "raw", fx->arena, &fx->err);
    assert_non_null(table);
    tn_catalog_data_file *files;
    int count;
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, snapshot, table->id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(files[0].path, file.path);
    tn_catalog_snapshot *snapshots;
    assert_int_equal(tn_catalog_snapshot_list(fx->catalog, fx->arena, &snapshots, &count, &fx->err), 0);
    assert_string_equal(snapshots[1].author, "alice");
}

/* ---- files and statistics ---- */

static void test_data_and_delete_files(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    int64_t s_create = latest(fx);
    int64_t s_first = insert_file(fx, table_id, "t", 10, "9", "90");
    int64_t s_second = insert_file(fx, table_id, "t", 5, "-3", "10");

    tn_catalog_data_file *files;
    int count;
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_create, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 0);
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_first, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_second, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(files[0].row_id_start, 0);
    assert_int_equal(files[1].row_id_start, 10);
    assert_int_equal(files[1].record_count, 5);
    assert_int_equal(files[1].file_size_bytes, 1000);
    assert_int_equal(files[1].footer_size, 100);
    assert_int_equal(files[1].begin_snapshot, s_second);
    assert_int_equal(files[1].stats_count, 2);
    assert_int_equal(files[1].stats[0].column_id, 1);
    assert_string_equal(files[1].stats[0].min_value, "-3");
    assert_int_equal(files[1].stats[1].null_count, 1);
    assert_null(files[1].delete_file);
    assert_int_equal(strncmp(files[0].path, "data/main/t/", 12), 0);
    int64_t first_id = files[0].id, second_id = files[1].id;

    /* A delete file, then its replacement. */
    tn_catalog_delete_file deletes = {0, "data/main/t/d1-delete.parquet", 2, 300, 50, 0};
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, s_second, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_set_delete_file(txn, table_id, first_id, &deletes, &fx->err), 0);
    int64_t s_delete = 0;
    assert_int_equal(tn_catalog_commit(txn, "DELETE", &s_delete, &fx->err), 0);
    deletes.path = "data/main/t/d2-delete.parquet";
    deletes.delete_count = 3;
    txn = tn_catalog_begin(fx->catalog, s_delete, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_set_delete_file(txn, table_id, first_id, &deletes, &fx->err), 0);
    int64_t s_redelete = 0;
    assert_int_equal(tn_catalog_commit(txn, "DELETE", &s_redelete, &fx->err), 0);

    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_second, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_null(files[0].delete_file);
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_delete, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_non_null(files[0].delete_file);
    assert_string_equal(files[0].delete_file->path, "data/main/t/d1-delete.parquet");
    assert_int_equal(files[0].delete_file->delete_count, 2);
    assert_null(files[1].delete_file);
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_redelete, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_string_equal(files[0].delete_file->path, "data/main/t/d2-delete.parquet");
    assert_int_equal(files[0].delete_file->begin_snapshot, s_redelete);

    /* Retiring the first file takes its delete file along. */
    txn = tn_catalog_begin(fx->catalog, s_redelete, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_remove_data_file(txn, table_id, first_id, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_remove_data_file(txn, table_id, first_id, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "22023");
    tn_error_clear(&fx->err);
    int64_t s_remove = 0;
    assert_int_equal(tn_catalog_commit(txn, "UPDATE", &s_remove, &fx->err), 0);
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, s_remove, table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(files[0].id, second_id);
    int64_t live_deletes = -1;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &live_deletes,
                                          "SELECT count(*) FROM ducklake_delete_file WHERE end_snapshot IS NULL", ""),
                     1);
    assert_int_equal(live_deletes, 0);

    tn_catalog_table_stats stats;
    assert_int_equal(tn_catalog_table_stats_get(fx->catalog, table_id, fx->arena, &stats, &fx->err), 0);
    assert_int_equal(stats.record_count, 5);
    assert_int_equal(stats.next_row_id, 15);
    assert_int_equal(stats.file_size_bytes, 1000);

    /* A delete file outside the table's folder is refused at commit. */
    deletes.path = "data/main/other/x-delete.parquet";
    txn = tn_catalog_begin(fx->catalog, s_remove, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_set_delete_file(txn, table_id, second_id, &deletes, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "DELETE", NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "22023");
    assert_string_equal(fx->err.message,
                        "file \"data/main/other/x-delete.parquet\" is not inside the folder \"data/main/t/\" of its table");
    assert_int_equal(latest(fx), s_remove);
}

static void test_column_stats_widen_by_type(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    insert_file(fx, table_id, "t", 10, "9", "90");
    insert_file(fx, table_id, "t", 5, "-3", "10");
    insert_file(fx, table_id, "t", 5, "12", "100");
    tn_catalog_table_stats stats;
    assert_int_equal(tn_catalog_table_stats_get(fx->catalog, table_id, fx->arena, &stats, &fx->err), 0);
    assert_int_equal(stats.record_count, 20);
    assert_int_equal(stats.next_row_id, 20);
    assert_int_equal(stats.file_size_bytes, 3000);
    assert_int_equal(stats.column_count, 2);
    /* As text "9" > "100"; as numbers the bounds are -3 and 100. */
    assert_string_equal(stats.columns[0].min_value, "-3");
    assert_string_equal(stats.columns[0].max_value, "100");
    assert_int_equal(stats.columns[0].null_count, 0);
    assert_string_equal(stats.columns[1].min_value, "a");
    assert_string_equal(stats.columns[1].max_value, "m");
    assert_int_equal(stats.columns[1].null_count, 1);

    /* An unknown bound makes the table's bound unknown. */
    insert_file(fx, table_id, "t", 1, NULL, "5");
    assert_int_equal(tn_catalog_table_stats_get(fx->catalog, table_id, fx->arena, &stats, &fx->err), 0);
    assert_null(stats.columns[0].min_value);
    assert_string_equal(stats.columns[0].max_value, "100");

    /* Statistics for a column the table lacks are refused. */
    tn_catalog_column_stats bad[2];
    tn_catalog_data_file file = demo_file(fx, "t", 1, "1", "1", bad);
    bad[1].column_id = 99;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_add_data_file(txn, table_id, &file, NULL, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "INSERT", NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42703");
}

static void test_decimal_and_time_bounds(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    tn_catalog_column_stats stats[2];
    tn_catalog_data_file file = demo_file(fx, "t", 1, "1", "1", stats);
    /* Column 3 is numeric(10,2). */
    stats[0] = (tn_catalog_column_stats){3, 0, 1, -1, "-1.50", "2.5", false};
    file.stats_count = 1;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_add_data_file(txn, table_id, &file, NULL, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "INSERT", NULL, &fx->err), 0);
    stats[0] = (tn_catalog_column_stats){3, 0, 1, -1, "-1.05", "10.25", false};
    file.path = tn_catalog_path_new_file(fx->arena, "main", "t", false, &fx->err);
    txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_add_data_file(txn, table_id, &file, NULL, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "INSERT", NULL, &fx->err), 0);
    tn_catalog_table_stats table_stats;
    assert_int_equal(tn_catalog_table_stats_get(fx->catalog, table_id, fx->arena, &table_stats, &fx->err), 0);
    assert_string_equal(table_stats.columns[0].min_value, "-1.50");
    assert_string_equal(table_stats.columns[0].max_value, "10.25");

    /* Snapshot time stamps survive a round trip. */
    char text[40];
    int64_t micros = 0;
    tn_catalog_time_format(1767225600123456LL, text, sizeof text);
    assert_string_equal(text, "2026-01-01 00:00:00.123456+00");
    assert_int_equal(tn_catalog_time_parse(text, &micros), 0);
    assert_int_equal(micros, 1767225600123456LL);
    assert_int_equal(tn_catalog_time_parse("2026-01-01", &micros), -1);
}

static void test_snapshot_at_time(void **state)
{
    fixture *fx = *state;
    create_table(fx, "main", "a");
    poke(fx, "UPDATE ducklake_snapshot SET snapshot_time = '2020-01-01 00:00:00.000000+00' WHERE snapshot_id = 0;"
             "UPDATE ducklake_snapshot SET snapshot_time = '2021-01-01 00:00:00.000000+00' WHERE snapshot_id = 1;");
    int64_t found = -1, at = 0;
    assert_int_equal(tn_catalog_time_parse("2020-06-01 00:00:00.000000+00", &at), 0);
    assert_int_equal(tn_catalog_snapshot_at_time(fx->catalog, at, &found, &fx->err), 0);
    assert_int_equal(found, 0);
    assert_int_equal(tn_catalog_time_parse("2021-01-01 00:00:00.000000+00", &at), 0);
    assert_int_equal(tn_catalog_snapshot_at_time(fx->catalog, at, &found, &fx->err), 0);
    assert_int_equal(found, 1);
    assert_int_equal(tn_catalog_time_parse("2019-01-01 00:00:00.000000+00", &at), 0);
    assert_int_equal(tn_catalog_snapshot_at_time(fx->catalog, at, &found, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "22023");
    assert_string_equal(fx->err.message, "lake has no snapshot at or before 2019-01-01 00:00:00.000000+00");
    tn_error_clear(&fx->err);
    /* A later commit never gets an earlier time than the last. */
    poke(fx, "UPDATE ducklake_snapshot SET snapshot_time = '2999-01-01 00:00:00.000000+00' WHERE snapshot_id = 1;");
    create_table(fx, "main", "b");
    tn_catalog_snapshot *snapshots;
    int count;
    assert_int_equal(tn_catalog_snapshot_list(fx->catalog, fx->arena, &snapshots, &count, &fx->err), 0);
    assert_int_equal(snapshots[2].time, snapshots[1].time);
}

/* ---- the conflict matrix ---- */

/* Two transactions from the same base: the first commits, the second is
 * committed and its outcome returned (0 or -1 with fx->err). */
typedef int (*txn_step)(fixture *fx, tn_catalog_txn *txn, int64_t table_id);

static int race(fixture *fx, int64_t table_id, txn_step first, txn_step second)
{
    int64_t base = latest(fx);
    tn_catalog_txn *a = tn_catalog_begin(fx->catalog, base, "a", &fx->err);
    tn_catalog_txn *b = tn_catalog_begin(fx->catalog, base, "b", &fx->err);
    assert_int_equal(first(fx, a, table_id), 0);
    assert_int_equal(second(fx, b, table_id), 0);
    assert_int_equal(tn_catalog_commit(a, "A", NULL, &fx->err), 0);
    int64_t before = latest(fx);
    int result = tn_catalog_commit(b, "B", NULL, &fx->err);
    if (result < 0)
        assert_int_equal(latest(fx), before);
    return result;
}

static int step_insert(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    tn_catalog_column_stats stats[2];
    tn_catalog_data_file file = demo_file(fx, "t", 3, "1", "3", stats);
    return tn_catalog_txn_add_data_file(txn, table_id, &file, NULL, &fx->err);
}

static int step_delete(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    tn_catalog_data_file *files;
    int count;
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, tn_catalog_txn_base(txn), table_id,
                                               fx->arena, &files, &count, &fx->err), 0);
    assert_true(count > 0);
    tn_catalog_delete_file deletes = {0, "data/main/t/x-delete.parquet", 1, 10, 5, 0};
    return tn_catalog_txn_set_delete_file(txn, table_id, files[0].id, &deletes, &fx->err);
}

static int step_drop(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    return tn_catalog_txn_drop_table(txn, table_id, &fx->err);
}

static int step_create_u(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    tn_catalog_table def = demo_table("u");
    return tn_catalog_txn_create_table(txn, "main", &def, NULL, &fx->err);
}

static int step_create_v(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    tn_catalog_table def = demo_table("v");
    return tn_catalog_txn_create_table(txn, "main", &def, NULL, &fx->err);
}

static int step_create_schema(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    return tn_catalog_txn_create_schema(txn, "extra", &fx->err);
}

static int step_drop_extra(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    return tn_catalog_txn_drop_schema(txn, "extra", false, &fx->err);
}

static int step_create_in_extra(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    tn_catalog_table def = demo_table("w");
    return tn_catalog_txn_create_table(txn, "extra", &def, NULL, &fx->err);
}

static void expect_conflict(fixture *fx, int result, const char *detail_part)
{
    assert_int_equal(result, -1);
    assert_string_equal(fx->err.sqlstate, "40001");
    assert_string_equal(fx->err.message, "could not serialize access due to concurrent update");
    assert_non_null(fx->err.detail);
    assert_non_null(strstr(fx->err.detail, detail_part));
    tn_error_clear(&fx->err);
}

static void test_conflict_matrix(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    char text[64];

    /* Concurrent inserts into one table both commit, with distinct row ids. */
    assert_int_equal(race(fx, table_id, step_insert, step_insert), 0);
    tn_catalog_data_file *files;
    int count;
    assert_int_equal(tn_catalog_data_file_list(fx->catalog, latest(fx), table_id, fx->arena, &files, &count, &fx->err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(files[1].row_id_start, 3);

    /* Two deletes on one table conflict; so do a delete and an insert. */
    snprintf(text, sizeof text, "deleted_from_table:%lld", (long long)table_id);
    expect_conflict(fx, race(fx, table_id, step_delete, step_delete), text);
    expect_conflict(fx, race(fx, table_id, step_insert, step_delete), "inserted_into_table");
    expect_conflict(fx, race(fx, table_id, step_delete, step_insert), text);

    /* Creating the same table twice conflicts, different names do not. */
    expect_conflict(fx, race(fx, table_id, step_create_u, step_create_u),
                    "made the change created_table:\"main\".\"u\", which conflicts with this "
                    "transaction's created_table:\"main\".\"u\"");
    assert_int_equal(race(fx, table_id, step_create_v, step_insert), 0);

    /* Schemas: same name twice; a table created in a schema dropped meanwhile. */
    expect_conflict(fx, race(fx, table_id, step_create_schema, step_create_schema),
                    "created_schema:\"extra\"");
    expect_conflict(fx, race(fx, table_id, step_drop_extra, step_create_in_extra), "dropped_schema:");
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "c", &fx->err);
    assert_int_equal(step_create_schema(fx, txn, table_id), 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE SCHEMA", NULL, &fx->err), 0);
    expect_conflict(fx, race(fx, table_id, step_create_in_extra, step_drop_extra), "created_table:\"extra\"");

    /* Insert into a table another dropped. */
    snprintf(text, sizeof text, "dropped_table:%lld", (long long)table_id);
    expect_conflict(fx, race(fx, table_id, step_drop, step_insert), text);

    int64_t integrity = 0;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &integrity,
                                          "SELECT count(*) FROM pragma_integrity_check WHERE"
                                          " integrity_check = 'ok'",
                                          ""),
                     1);
    assert_int_equal(integrity, 1);
}

static void test_change_list_round_trip(void **state)
{
    fixture *fx = *state;
    tn_catalog_change change = {TN_CHANGE_CREATED_TABLE, 0, "my \"s\"", "a,b", -1};
    char *list = tn_catalog_change_append(fx->arena, NULL, &change);
    change = (tn_catalog_change){TN_CHANGE_DELETED_FROM, 12, NULL, NULL, -1};
    list = tn_catalog_change_append(fx->arena, list, &change);
    assert_string_equal(list, "created_table:\"my \"\"s\"\"\".\"a,b\",deleted_from_table:12");
    tn_catalog_change *parsed;
    int count;
    assert_int_equal(tn_catalog_change_parse(fx->arena, list, &parsed, &count, &fx->err), 0);
    assert_int_equal(count, 2);
    assert_string_equal(parsed[0].name, "my \"s\"");
    assert_string_equal(parsed[0].table_name, "a,b");
    assert_int_equal(parsed[1].kind, TN_CHANGE_DELETED_FROM);
    assert_int_equal(parsed[1].id, 12);
    assert_int_equal(tn_catalog_change_parse(fx->arena, "created_view:\"s\".\"x\",dropped_view:3,created_macro:\"m\"", &parsed, &count, &fx->err), 0);
    assert_int_equal(count, 3);
    assert_int_equal(parsed[0].kind, TN_CHANGE_CREATED_VIEW);
    assert_string_equal(parsed[0].name, "s");
    assert_string_equal(parsed[0].table_name, "x");
    assert_int_equal(parsed[1].kind, TN_CHANGE_DROPPED_VIEW);
    assert_int_equal(parsed[1].id, 3);
    assert_int_equal(parsed[2].kind, TN_CHANGE_OTHER);
    list = tn_catalog_change_append(fx->arena, NULL, &parsed[0]);
    assert_string_equal(list, "created_view:\"s\".\"x\"");
    assert_int_equal(tn_catalog_change_parse(fx->arena, "inserted_into_table:", &parsed, &count, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "XX001");
}

/* ---- error texts ---- */

static void test_error_texts(void **state)
{
    fixture *fx = *state;
    create_table(fx, "main", "t");
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    tn_catalog_table def = demo_table("t");
    assert_int_equal(tn_catalog_txn_create_table(txn, "main", &def, NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42P07");
    assert_string_equal(fx->err.message, "relation \"t\" already exists");
    tn_error_clear(&fx->err);
    assert_int_equal(tn_catalog_txn_create_table(txn, "nope", &def, NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "3F000");
    assert_string_equal(fx->err.message, "schema \"nope\" does not exist");
    tn_error_clear(&fx->err);
    assert_int_equal(tn_catalog_txn_drop_schema(txn, "nope", true, &fx->err), -1);
    assert_string_equal(fx->err.message, "schema \"nope\" does not exist");
    tn_error_clear(&fx->err);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "main", &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42P06");
    assert_string_equal(fx->err.message, "schema \"main\" already exists");
    tn_error_clear(&fx->err);
    tn_catalog_column twice[] = {{0, "a", {TN_TYPE_INT32, 0, 0}, true, NULL},
                                 {0, "a", {TN_TYPE_TEXT, 0, 0}, true, NULL}};
    tn_catalog_table dup = {0};
    dup.name = "d";
    dup.column_count = 2;
    dup.columns = twice;
    assert_int_equal(tn_catalog_txn_create_table(txn, "main", &dup, NULL, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42701");
    assert_string_equal(fx->err.message, "column \"a\" specified more than once");
    tn_error_clear(&fx->err);
    tn_catalog_unique two_keys[] = {{"k1", true, 1, demo_key}, {"k2", true, 1, demo_key}};
    def = demo_table("k");
    def.uniques = two_keys;
    assert_int_equal(tn_catalog_txn_create_table(txn, "main", &def, NULL, &fx->err), -1);
    assert_string_equal(fx->err.message, "multiple primary keys for table \"k\" are not allowed");
    tn_error_clear(&fx->err);
    assert_int_equal(tn_catalog_txn_drop_table(txn, 999, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42P01");
    tn_error_clear(&fx->err);
    tn_catalog_abort(txn);

    assert_null(tn_catalog_begin(fx->catalog, 99, "bob", &fx->err));
    assert_string_equal(fx->err.message, "snapshot 99 does not exist");
    tn_error_clear(&fx->err);

    /* An empty transaction commits nothing. */
    txn = tn_catalog_begin(fx->catalog, 0, "bob", &fx->err);
    int64_t snapshot = -1;
    assert_int_equal(tn_catalog_commit(txn, "SELECT", &snapshot, &fx->err), 0);
    assert_int_equal(snapshot, 0);
}

/* ---- views ---- */

static const char *const view_id_name[] = {"id", "name"};
static const char *const view_id_only[] = {"id"};

#define view_def(name, sql, count, columns) ((tn_catalog_view){0, NULL, 0, NULL, name, sql, count, columns, 0})

/* Commits CREATE [OR REPLACE] VIEW schema.name reading one table and / or
 * one view (-1: none) and returns the view's id. */
static int64_t create_view(fixture *fx, const char *schema, const char *name, bool or_replace,
                           int64_t table_id, int64_t view_id)
{
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_non_null(txn);
    tn_catalog_view def = view_def(name, "SELECT id, name FROM t", 2, view_id_name);
    assert_int_equal(tn_catalog_txn_create_view(txn, schema, &def, or_replace, &table_id,
                                                table_id >= 0, &view_id, view_id >= 0, &fx->err),
                     0);
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_commit(txn, "CREATE VIEW", &snapshot, &fx->err), 0);
    tn_catalog_view *view = tn_catalog_view_lookup(fx->catalog, snapshot, schema, name, fx->arena,
                                                   &fx->err);
    assert_non_null(view);
    return view->id;
}

static const char *changes_at(fixture *fx, int64_t snapshot)
{
    tn_catalog_snapshot *snapshots;
    int count;
    assert_int_equal(tn_catalog_snapshot_list(fx->catalog, fx->arena, &snapshots, &count, &fx->err), 0);
    assert_true(snapshot < count);
    return snapshots[snapshot].changes;
}

static void expect_error(fixture *fx, int result, const char *sqlstate, const char *message)
{
    assert_int_equal(result, -1);
    assert_string_equal(fx->err.sqlstate, sqlstate);
    assert_string_equal(fx->err.message, message);
    tn_error_clear(&fx->err);
}

static void test_view_lifecycle(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    int64_t s0 = latest(fx);
    int64_t view_id = create_view(fx, "main", "v", false, table_id, -1);
    int64_t s1 = latest(fx);
    char expected[64];

    tn_catalog_view *view = tn_catalog_view_lookup(fx->catalog, s1, "main", "v", fx->arena, &fx->err);
    assert_non_null(view);
    assert_int_equal(view->id, view_id);
    assert_int_equal(strlen(view->uuid), 36);
    assert_string_equal(view->schema_name, "main");
    assert_int_equal(view->schema_id, 0);
    assert_string_equal(view->sql, "SELECT id, name FROM t");
    assert_int_equal(view->column_count, 2);
    assert_string_equal(view->column_names[1], "name");
    assert_int_equal(view->begin_snapshot, s1);
    const char *uuid = view->uuid;
    assert_string_equal(changes_at(fx, s1), "created_view:\"main\".\"v\"");

    /* Time travel, listings, and the kinds kept apart. */
    assert_null(tn_catalog_view_lookup(fx->catalog, s0, "main", "v", fx->arena, &fx->err));
    assert_false(tn_error_is_set(&fx->err));
    tn_catalog_entry *views;
    int count;
    assert_int_equal(tn_catalog_view_list(fx->catalog, s1, 0, fx->arena, &views, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(views[0].name, "v");
    assert_int_equal(tn_catalog_view_list(fx->catalog, s0, 0, fx->arena, &views, &count, &fx->err), 0);
    assert_int_equal(count, 0);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, s1, "main", "v", &fx->err), TN_CATALOG_RELATION_VIEW);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, s1, "main", "t", &fx->err), TN_CATALOG_RELATION_TABLE);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, s1, "main", "x", &fx->err), TN_CATALOG_RELATION_NONE);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, s0, "main", "v", &fx->err), TN_CATALOG_RELATION_NONE);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, s1, "nope", "v", &fx->err), TN_CATALOG_RELATION_NONE);
    assert_null(tn_catalog_table_lookup(fx->catalog, s1, "main", "v", fx->arena, &fx->err));
    assert_null(tn_catalog_view_lookup(fx->catalog, s1, "main", "t", fx->arena, &fx->err));
    assert_int_equal(tn_catalog_table_list(fx->catalog, s1, 0, fx->arena, &views, &count, &fx->err), 0);
    assert_int_equal(count, 1);
    assert_false(tn_error_is_set(&fx->err));

    /* OR REPLACE: new definition, same id and uuid, columns added at the end. */
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, s1, "bob", &fx->err);
    static const char *const three[] = {"id", "name", "price"};
    tn_catalog_view def = view_def("v", "SELECT id, name, price FROM t", 3, three);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, true, &table_id, 1, NULL, 0, &fx->err), 0);
    int64_t s2 = 0;
    assert_int_equal(tn_catalog_commit(txn, "CREATE VIEW", &s2, &fx->err), 0);
    view = tn_catalog_view_lookup(fx->catalog, s2, "main", "v", fx->arena, &fx->err);
    assert_int_equal(view->id, view_id);
    assert_string_equal(view->uuid, uuid);
    assert_int_equal(view->column_count, 3);
    assert_int_equal(view->begin_snapshot, s2);
    snprintf(expected, sizeof expected, "altered_view:%lld", (long long)view_id);
    assert_string_equal(changes_at(fx, s2), expected);
    view = tn_catalog_view_lookup(fx->catalog, s1, "main", "v", fx->arena, &fx->err);
    assert_string_equal(view->sql, "SELECT id, name FROM t");

    /* PostgreSQL's rules for replacing columns. */
    txn = tn_catalog_begin(fx->catalog, s2, "bob", &fx->err);
    def = view_def("v", "SELECT id, name FROM t", 2, view_id_name);
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, NULL, 0, &fx->err),
                 "42P16", "cannot drop columns from view");
    static const char *const renamed[] = {"id", "label", "price"};
    def = view_def("v", "SELECT id, name AS label, price FROM t", 3, renamed);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, NULL, 0, &fx->err), -1);
    assert_string_equal(fx->err.message, "cannot change name of view column \"name\" to \"label\"");
    assert_string_equal(fx->err.hint, "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.");
    tn_error_clear(&fx->err);

    /* DROP VIEW; the old snapshots keep it. */
    assert_int_equal(tn_catalog_txn_drop_view(txn, view_id, false, &fx->err), 0);
    expect_error(fx, tn_catalog_txn_drop_view(txn, view_id, false, &fx->err), "42P01",
                 "view with id 2 does not exist");
    int64_t s3 = 0;
    assert_int_equal(tn_catalog_commit(txn, "DROP VIEW", &s3, &fx->err), 0);
    snprintf(expected, sizeof expected, "dropped_view:%lld", (long long)view_id);
    assert_string_equal(changes_at(fx, s3), expected);
    assert_null(tn_catalog_view_lookup(fx->catalog, s3, "main", "v", fx->arena, &fx->err));
    assert_non_null(tn_catalog_view_lookup(fx->catalog, s2, "main", "v", fx->arena, &fx->err));
    /* The table is free to go now, and the name to be reused. */
    txn = tn_catalog_begin(fx->catalog, s3, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_drop_table(txn, table_id, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "DROP TABLE", NULL, &fx->err), 0);
    create_view(fx, "main", "v", false, -1, -1);
}

static void test_view_namespace(void **state)
{
    fixture *fx = *state;
    int64_t table_id = create_table(fx, "main", "t");
    create_view(fx, "main", "v", false, table_id, -1);
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    tn_catalog_view def = view_def("t", "SELECT 1 AS id", 1, view_id_only);
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, NULL, 0, &fx->err),
                 "42P07", "relation \"t\" already exists");
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, NULL, 0, &fx->err),
                 "42809", "\"t\" is not a view");
    def.name = "v";
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, NULL, 0, &fx->err),
                 "42P07", "relation \"v\" already exists");
    tn_catalog_table table = demo_table("v");
    expect_error(fx, tn_catalog_txn_create_table(txn, "main", &table, NULL, &fx->err), "42P07",
                 "relation \"v\" already exists");
    /* The transaction's own view takes the name too. */
    def.name = "w";
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, NULL, 0, &fx->err), 0);
    table = demo_table("w");
    expect_error(fx, tn_catalog_txn_create_table(txn, "main", &table, NULL, &fx->err), "42P07",
                 "relation \"w\" already exists");
    expect_error(fx, tn_catalog_txn_create_view(txn, "nope", &def, false, NULL, 0, NULL, 0, &fx->err),
                 "3F000", "schema \"nope\" does not exist");
    static const char *const twice[] = {"a", "a"};
    def = view_def("d", "SELECT 1 AS a, 2 AS a", 2, twice);
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, NULL, 0, &fx->err),
                 "42701", "column \"a\" specified more than once");
    def = view_def("d", "SELECT 1 AS id", 1, view_id_only);
    int64_t missing = 999;
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, false, &missing, 1, NULL, 0, &fx->err),
                 "42P01", "table with id 999 does not exist");
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, &missing, 1, &fx->err),
                 "42P01", "view with id 999 does not exist");
    /* A table id is no view id and the reverse. */
    expect_error(fx, tn_catalog_txn_drop_view(txn, table_id, false, &fx->err), "42P01",
                 "view with id 1 does not exist");
    tn_catalog_abort(txn);
}

static void test_view_dependencies(void **state)
{
    fixture *fx = *state;
    int64_t t = create_table(fx, "main", "t");
    int64_t v1 = create_view(fx, "main", "v1", false, t, -1);
    int64_t v2 = create_view(fx, "main", "v2", false, -1, v1);
    int64_t base = latest(fx);

    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, base, "bob", &fx->err);
    expect_refusal(fx, tn_catalog_txn_drop_table(txn, t, &fx->err),
                   "cannot drop table t because other objects depend on it",
                   "view v1 depends on table t\nview v2 depends on view v1");
    expect_refusal(fx, tn_catalog_txn_drop_view(txn, v1, false, &fx->err),
                   "cannot drop view v1 because other objects depend on it",
                   "view v2 depends on view v1");
    /* A refusal records nothing. */
    int64_t snapshot = -1;
    assert_int_equal(tn_catalog_commit(txn, "DROP", &snapshot, &fx->err), 0);
    assert_int_equal(snapshot, base);

    /* A view may not read itself, directly or through another. */
    txn = tn_catalog_begin(fx->catalog, base, "bob", &fx->err);
    tn_catalog_view def = view_def("v1", "SELECT id, name FROM v2", 2, view_id_name);
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, &v2, 1, &fx->err),
                 "42P19", "infinite recursion detected in rules for relation \"v1\"");
    expect_error(fx, tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, &v1, 1, &fx->err),
                 "42P19", "infinite recursion detected in rules for relation \"v1\"");
    /* Redefined to read nothing, v1 no longer holds t (v2 still holds v1). */
    def = view_def("v1", "SELECT 1 AS id, 'x' AS name", 2, view_id_name);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, true, NULL, 0, NULL, 0, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_drop_table(txn, t, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_drop_view(txn, v1, false, &fx->err), -1);
    assert_string_equal(fx->err.detail, "view v2 depends on view v1");
    tn_error_clear(&fx->err);
    tn_catalog_abort(txn);

    /* Replaced, v1 keeps its id and v2 keeps depending on it. */
    assert_int_equal(create_view(fx, "main", "v1", true, t, -1), v1);
    txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_drop_view(txn, v1, false, &fx->err), -1);
    assert_string_equal(fx->err.detail, "view v2 depends on view v1");
    tn_error_clear(&fx->err);

    /* CASCADE drops both views with the table, in one snapshot. */
    assert_int_equal(tn_catalog_txn_drop_table_cascade(txn, t, true, &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "DROP TABLE", &snapshot, &fx->err), 0);
    char expected[96];
    snprintf(expected, sizeof expected, "dropped_table:%lld,dropped_view:%lld,dropped_view:%lld",
             (long long)t, (long long)v1, (long long)v2);
    assert_string_equal(changes_at(fx, snapshot), expected);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, snapshot, "main", "v2", &fx->err),
                     TN_CATALOG_RELATION_NONE);
    int64_t live = -1;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &live,
                                          "SELECT count(*) FROM tarn_view_dependency WHERE end_snapshot IS NULL", ""), 1);
    assert_int_equal(live, 0);

    /* Outside schema main, names are qualified as PostgreSQL does. */
    txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "s", &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE SCHEMA", NULL, &fx->err), 0);
    int64_t x = create_table(fx, "s", "x");
    create_view(fx, "main", "w", false, x, -1);
    create_view(fx, "s", "w2", false, x, -1);
    txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    expect_refusal(fx, tn_catalog_txn_drop_table(txn, x, &fx->err),
                   "cannot drop table s.x because other objects depend on it",
                   "view w depends on table s.x\nview s.w2 depends on table s.x");
    tn_catalog_abort(txn);
}

static void test_drop_schema_with_views(void **state)
{
    fixture *fx = *state;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, 0, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "s", &fx->err), 0);
    assert_int_equal(tn_catalog_txn_create_schema(txn, "only", &fx->err), 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE SCHEMA", NULL, &fx->err), 0);
    int64_t t = create_table(fx, "s", "t");
    int64_t v = create_view(fx, "s", "v", false, t, -1);
    int64_t w = create_view(fx, "main", "w", false, -1, v);
    create_view(fx, "only", "lonely", false, -1, -1);

    txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    expect_refusal(fx, tn_catalog_txn_drop_schema(txn, "s", false, &fx->err),
                   "cannot drop schema s because other objects depend on it",
                   "table s.t depends on schema s\nview s.v depends on schema s");
    /* A schema holding only a view is not empty either. */
    assert_int_equal(tn_catalog_txn_drop_schema(txn, "only", false, &fx->err), -1);
    assert_string_equal(fx->err.detail, "view only.lonely depends on schema only");
    tn_error_clear(&fx->err);

    /* CASCADE takes the views along, even one in another schema. */
    assert_int_equal(tn_catalog_txn_drop_schema(txn, "s", true, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_drop_schema(txn, "only", true, &fx->err), 0);
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_commit(txn, "DROP SCHEMA", &snapshot, &fx->err), 0);
    char expected[96];
    snprintf(expected, sizeof expected, "dropped_table:%lld,dropped_view:%lld,dropped_view:%lld",
             (long long)t, (long long)v, (long long)w);
    assert_non_null(strstr(changes_at(fx, snapshot), expected));
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, snapshot, "main", "w", &fx->err),
                     TN_CATALOG_RELATION_NONE);
    assert_int_equal(tn_catalog_relation_kind_get(fx->catalog, snapshot - 1, "main", "w", &fx->err),
                     TN_CATALOG_RELATION_VIEW);
}

static void test_views_in_one_transaction(void **state)
{
    fixture *fx = *state;
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, 0, "bob", &fx->err);
    tn_catalog_table table = demo_table("t");
    int64_t t = 0, v = 0, w = 0;
    assert_int_equal(tn_catalog_txn_create_table(txn, "main", &table, &t, &fx->err), 0);
    tn_catalog_view def = view_def("v", "SELECT id FROM t", 1, view_id_only);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, false, &t, 1, NULL, 0, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_view_id(txn, "main", "v", &v, &fx->err), 1);
    assert_true(v < 0);
    assert_int_equal(tn_catalog_txn_view_id(txn, "main", "t", &w, &fx->err), 0);
    def = view_def("w", "SELECT id FROM v", 1, view_id_only);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, false, &t, 1, &v, 1, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_view_id(txn, "main", "w", &w, &fx->err), 1);
    /* Replaced and dropped before the commit: no trace in the catalog. */
    def = view_def("v", "SELECT id FROM t WHERE id > 0", 1, view_id_only);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, true, &t, 1, NULL, 0, &fx->err), 0);
    def = view_def("gone", "SELECT 1 AS id", 1, view_id_only);
    assert_int_equal(tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, NULL, 0, &fx->err), 0);
    int64_t gone = 0;
    assert_int_equal(tn_catalog_txn_view_id(txn, "main", "gone", &gone, &fx->err), 1);
    assert_int_equal(tn_catalog_txn_drop_view(txn, gone, false, &fx->err), 0);
    assert_int_equal(tn_catalog_txn_drop_table(txn, t, &fx->err), -1);
    assert_string_equal(fx->err.detail, "view v depends on table t\nview w depends on view v");
    tn_error_clear(&fx->err);
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_commit(txn, "CREATE", &snapshot, &fx->err), 0);
    assert_string_equal(changes_at(fx, snapshot),
                        "created_table:\"main\".\"t\",created_view:\"main\".\"v\","
                        "created_view:\"main\".\"w\",created_view:\"main\".\"gone\",dropped_view:4");
    tn_catalog_view *view = tn_catalog_view_lookup(fx->catalog, snapshot, "main", "v", fx->arena, &fx->err);
    assert_string_equal(view->sql, "SELECT id FROM t WHERE id > 0");
    int64_t rows = -1;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &rows, "SELECT count(*) FROM ducklake_view", ""), 1);
    assert_int_equal(rows, 2);
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &rows,
                                          "SELECT count(*) FROM tarn_view_dependency d JOIN ducklake_view v"
                                          " ON v.view_id = d.view_id AND v.view_name = 'w'"
                                          " WHERE d.referenced_id IN (1, 2)", ""), 1);
    assert_int_equal(rows, 2);
    /* Real ids after the commit: w reads v. */
    txn = tn_catalog_begin(fx->catalog, snapshot, "bob", &fx->err);
    assert_int_equal(tn_catalog_txn_drop_view(txn, view->id, false, &fx->err), -1);
    assert_string_equal(fx->err.detail, "view w depends on view v");
    tn_error_clear(&fx->err);
    tn_catalog_abort(txn);
}

/* Conflict steps; table_id is the table t, the views are found by name. */
static int64_t view_named(fixture *fx, tn_catalog_txn *txn, const char *name)
{
    int64_t id = 0;
    assert_int_equal(tn_catalog_txn_view_id(txn, "main", name, &id, &fx->err), 1);
    return id;
}

static int step_create_view_cv(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    tn_catalog_view def = view_def("cv", "SELECT id FROM t", 1, view_id_only);
    return tn_catalog_txn_create_view(txn, "main", &def, false, &table_id, 1, NULL, 0, &fx->err);
}

static int step_create_view_other(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    tn_catalog_view def = view_def("other", "SELECT id FROM t", 1, view_id_only);
    return tn_catalog_txn_create_view(txn, "main", &def, false, &table_id, 1, NULL, 0, &fx->err);
}

static int step_create_table_cv(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    tn_catalog_table def = demo_table("cv");
    return tn_catalog_txn_create_table(txn, "main", &def, NULL, &fx->err);
}

static int step_drop_view_cv(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    return tn_catalog_txn_drop_view(txn, view_named(fx, txn, "cv"), true, &fx->err);
}

static int step_replace_view_cv(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    tn_catalog_view def = view_def("cv", "SELECT id FROM t WHERE id > 1", 1, view_id_only);
    return tn_catalog_txn_create_view(txn, "main", &def, true, &table_id, 1, NULL, 0, &fx->err);
}

static int step_drop_table_t(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    return tn_catalog_txn_drop_table_cascade(txn, table_id, true, &fx->err);
}

static int step_create_view_over_cv(fixture *fx, tn_catalog_txn *txn, int64_t table_id)
{
    (void)table_id;
    int64_t view_id = view_named(fx, txn, "cv");
    tn_catalog_view def = view_def("over", "SELECT id FROM cv", 1, view_id_only);
    return tn_catalog_txn_create_view(txn, "main", &def, false, NULL, 0, &view_id, 1, &fx->err);
}

/* Drops whatever the races left behind, so that each starts clean. */
static void reset_views(fixture *fx)
{
    static const char *const names[] = {"over", "cv", "other"};
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    for (size_t idx = 0; idx < sizeof names / sizeof names[0]; idx++) {
        int64_t id = 0;
        tn_catalog_relation_kind kind = tn_catalog_txn_find_relation(txn, "main", names[idx], &id, &fx->err);
        if (kind == TN_CATALOG_RELATION_VIEW)
            assert_int_equal(tn_catalog_txn_drop_view(txn, id, true, &fx->err), 0);
        else if (kind == TN_CATALOG_RELATION_TABLE)
            assert_int_equal(tn_catalog_txn_drop_table_cascade(txn, id, true, &fx->err), 0);
    }
    assert_int_equal(tn_catalog_commit(txn, "RESET", NULL, &fx->err), 0);
}

/* A clean lake but for view cv over t; its id. */
static int64_t make_cv(fixture *fx, int64_t table_id)
{
    reset_views(fx);
    tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, latest(fx), "bob", &fx->err);
    assert_int_equal(step_create_view_cv(fx, txn, table_id), 0);
    assert_int_equal(tn_catalog_commit(txn, "CREATE VIEW", NULL, &fx->err), 0);
    tn_catalog_view *view = tn_catalog_view_lookup(fx->catalog, latest(fx), "main", "cv", fx->arena, &fx->err);
    assert_non_null(view);
    return view->id;
}

static void test_view_conflicts(void **state)
{
    fixture *fx = *state;
    int64_t t = create_table(fx, "main", "t");
    char text[64];

    /* One name, two creations: views and tables alike. */
    expect_conflict(fx, race(fx, t, step_create_view_cv, step_create_view_cv),
                    "made the change created_view:\"main\".\"cv\", which conflicts with this "
                    "transaction's created_view:\"main\".\"cv\"");
    reset_views(fx);
    expect_conflict(fx, race(fx, t, step_create_table_cv, step_create_view_cv), "created_table:\"main\".\"cv\"");
    reset_views(fx);
    expect_conflict(fx, race(fx, t, step_create_view_cv, step_create_table_cv), "created_view:\"main\".\"cv\"");
    reset_views(fx);
    /* Different names over one table: both commit. */
    assert_int_equal(race(fx, t, step_create_view_cv, step_create_view_other), 0);

    /* Drop vs drop, drop vs replace, replace vs drop, replace vs replace. */
    int64_t cv = make_cv(fx, t);
    snprintf(text, sizeof text, "change dropped_view:%lld", (long long)cv);
    expect_conflict(fx, race(fx, t, step_drop_view_cv, step_drop_view_cv), text);
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "change dropped_view:%lld", (long long)cv);
    expect_conflict(fx, race(fx, t, step_drop_view_cv, step_replace_view_cv), text);
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "change altered_view:%lld", (long long)cv);
    expect_conflict(fx, race(fx, t, step_replace_view_cv, step_drop_view_cv), text);
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "change altered_view:%lld", (long long)cv);
    expect_conflict(fx, race(fx, t, step_replace_view_cv, step_replace_view_cv), text);

    /* A view over a view a concurrent transaction dropped, and the reverse. */
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "reads view %lld, which a transaction committed after", (long long)cv);
    expect_conflict(fx, race(fx, t, step_drop_view_cv, step_create_view_over_cv), text);
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "reads view %lld, which this transaction drops", (long long)cv);
    expect_conflict(fx, race(fx, t, step_create_view_over_cv, step_drop_view_cv), text);

    /* A cascade drops the view another replaces. */
    cv = make_cv(fx, t);
    snprintf(text, sizeof text, "change dropped_view:%lld", (long long)cv);
    expect_conflict(fx, race(fx, t, step_drop_table_t, step_replace_view_cv), text);
    int64_t live = -1;
    assert_int_equal(tn_catalog_sql_int64(fx->catalog, &fx->err, &live,
                                          "SELECT count(*) FROM ducklake_view WHERE end_snapshot IS NULL", ""), 1);
    assert_int_equal(live, 0);
}

static void test_view_over_dropped_table_conflicts(void **state)
{
    fixture *fx = *state;
    int64_t t = create_table(fx, "main", "t");
    char text[96];
    snprintf(text, sizeof text, "This transaction's view 2 reads table %lld, which a transaction", (long long)t);
    expect_conflict(fx, race(fx, t, step_drop_table_t, step_create_view_cv), text);
    t = create_table(fx, "main", "t");
    snprintf(text, sizeof text, "reads table %lld, which this transaction drops", (long long)t);
    expect_conflict(fx, race(fx, t, step_create_view_cv, step_drop_table_t), text);
    assert_non_null(tn_catalog_view_lookup(fx->catalog, latest(fx), "main", "cv", fx->arena, &fx->err));
    assert_non_null(tn_catalog_table_lookup(fx->catalog, latest(fx), "main", "t", fx->arena, &fx->err));
}

static void test_paths(void **state)
{
    fixture *fx = *state;
    char *path = tn_catalog_path_new_file(fx->arena, "my schema", "../t", true, &fx->err);
    assert_non_null(path);
    assert_int_equal(strncmp(path, "data/my_schema/.._t/", 20), 0);
    assert_int_equal(strlen(path), 20 + 36 + strlen("-delete.parquet"));
    assert_int_equal(path[20 + 14], '4'); /* uuid version */
    path = tn_catalog_path_new_file(fx->arena, "main", "..", false, &fx->err);
    assert_int_equal(strncmp(path, "data/main/_./", 13), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_lake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_from_format_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_and_table_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_objects_in_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_and_delete_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_stats_widen_by_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal_and_time_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_at_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_list_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_namespace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_dependencies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_schema_with_views, setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_in_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_over_dropped_table_conflicts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
