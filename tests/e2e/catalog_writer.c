/*
 * Driver of the catalog concurrency test (catalog_concurrency.sh).
 *
 *   catalog_writer setup DIR             a lake with table main.t
 *   catalog_writer write DIR WORKER M    M rounds of: insert a data file into
 *                                        main.t, then create table main.c<round>
 *                                        from the setup's snapshot (so every
 *                                        worker races for each name)
 *   catalog_writer verify DIR < results  checks the lake against the reported
 *                                        successes
 *
 * write prints one line per commit: "ok insert SNAPSHOT PATH", "ok create
 * SNAPSHOT NAME" or "fail KIND SQLSTATE MESSAGE | DETAIL".  verify reads the
 * "ok" lines and prints "pass NAME" / "fail NAME: why" per check.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

#define MAX_RESULTS 100000

typedef struct result {
    char kind[16];
    long long snapshot;
    char name[256];
} result;

static int checks_failed = 0;

static void check(int ok, const char *name, const char *why)
{
    if (ok) {
        printf("pass %s\n", name);
    } else {
        printf("fail %s: %s\n", name, why);
        checks_failed++;
    }
}

static void report_failure(const char *kind, tn_error *err)
{
    printf("fail %s %s %s | %s\n", kind, err->sqlstate, err->message != NULL ? err->message : "",
           err->detail != NULL ? err->detail : "");
    tn_error_clear(err);
}

static int setup(const char *dir)
{
    tn_error err = TN_ERROR_INIT;
    tn_catalog *catalog = tn_catalog_create(dir, "tester", &err);
    tn_catalog_txn *txn = catalog != NULL ? tn_catalog_begin(catalog, 0, "tester", &err) : NULL;
    tn_catalog_column columns[] = {{0, "x", {TN_TYPE_INT64, 0, 0}, true, NULL}};
    tn_catalog_table def = {0};
    def.name = "t";
    def.column_count = 1;
    def.columns = columns;
    int status = txn != NULL && tn_catalog_txn_create_table(txn, "main", &def, NULL, &err) == 0 &&
                         tn_catalog_commit(txn, "CREATE TABLE", NULL, &err) == 0
                     ? 0
                     : 1;
    if (status != 0)
        fprintf(stderr, "setup failed: %s %s\n", err.sqlstate, err.message);
    tn_catalog_close(catalog);
    tn_error_clear(&err);
    return status;
}

static void insert_round(tn_catalog *catalog, int worker, int round, tn_arena *arena)
{
    tn_error err = TN_ERROR_INIT;
    int64_t base = 0, snapshot = 0;
    if (tn_catalog_snapshot_latest(catalog, &base, &err) < 0) {
        report_failure("insert", &err);
        return;
    }
    tn_catalog_table *table = tn_catalog_table_lookup(catalog, base, "main", "t", arena, &err);
    if (table == NULL) {
        report_failure("insert", &err);
        return;
    }
    char *path = tn_arena_printf(arena, "%s/w%d_%d.parquet", table->data_path, worker, round);
    char *text = tn_arena_printf(arena, "%d", worker * 1000 + round);
    tn_catalog_column_stats stats = {1, 0, 1, 8, text, text, false};
    tn_catalog_data_file file = {0};
    file.path = path;
    file.record_count = 1 + round % 3;
    file.file_size_bytes = 100;
    file.footer_size = 10;
    file.stats_count = 1;
    file.stats = &stats;
    tn_catalog_txn *txn = tn_catalog_begin(catalog, base, "worker", &err);
    if (txn == NULL) {
        report_failure("insert", &err);
        return;
    }
    if (tn_catalog_txn_add_data_file(txn, table->id, &file, NULL, &err) < 0) {
        tn_catalog_abort(txn);
        report_failure("insert", &err);
        return;
    }
    if (tn_catalog_commit(txn, "INSERT", &snapshot, &err) < 0) {
        report_failure("insert", &err);
        return;
    }
    printf("ok insert %lld %s\n", (long long)snapshot, path);
}

static void create_round(tn_catalog *catalog, int64_t base, int round)
{
    tn_error err = TN_ERROR_INIT;
    char name[32];
    snprintf(name, sizeof name, "c%d", round);
    tn_catalog_column columns[] = {{0, "y", {TN_TYPE_TEXT, 0, 0}, true, NULL}};
    tn_catalog_table def = {0};
    def.name = name;
    def.column_count = 1;
    def.columns = columns;
    int64_t snapshot = 0;
    tn_catalog_txn *txn = tn_catalog_begin(catalog, base, "worker", &err);
    if (txn == NULL) {
        report_failure("create", &err);
        return;
    }
    if (tn_catalog_txn_create_table(txn, "main", &def, NULL, &err) < 0) {
        tn_catalog_abort(txn);
        report_failure("create", &err);
        return;
    }
    if (tn_catalog_commit(txn, "CREATE TABLE", &snapshot, &err) < 0) {
        report_failure("create", &err);
        return;
    }
    printf("ok create %lld %s\n", (long long)snapshot, name);
}

static int write_rounds(const char *dir, int worker, int rounds)
{
    tn_error err = TN_ERROR_INIT;
    tn_catalog *catalog = tn_catalog_open(dir, &err);
    /* Every worker creates its tables from the setup's snapshot, however
     * late it starts, so each name is a race between all of them. */
    int64_t latest = 0, base = 0;
    tn_arena *setup_arena = tn_arena_create();
    tn_catalog_table *table = NULL;
    if (catalog != NULL && tn_catalog_snapshot_latest(catalog, &latest, &err) == 0)
        table = tn_catalog_table_lookup(catalog, latest, "main", "t", setup_arena, &err);
    if (table != NULL)
        base = table->begin_snapshot;
    tn_arena_destroy(setup_arena);
    if (table == NULL) {
        report_failure("open", &err);
        tn_catalog_close(catalog);
        return 1;
    }
    for (int round = 0; round < rounds; round++) {
        tn_arena *arena = tn_arena_create();
        insert_round(catalog, worker, round, arena);
        create_round(catalog, base, round);
        tn_arena_destroy(arena);
        fflush(stdout);
    }
    tn_catalog_close(catalog);
    return 0;
}

/* ---- verification ---- */

static long long query_int(sqlite3 *db, const char *sql, const char *text, long long number)
{
    sqlite3_stmt *stmt;
    long long value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -2;
    if (text != NULL)
        sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
    if (number >= 0)
        sqlite3_bind_int64(stmt, text != NULL ? 2 : 1, number);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

static int verify(const char *dir)
{
    static result results[MAX_RESULTS];
    int count = 0;
    char line[1024];
    while (count < MAX_RESULTS && fgets(line, sizeof line, stdin) != NULL) {
        result *r = &results[count];
        if (sscanf(line, "ok %15s %lld %255s", r->kind, &r->snapshot, r->name) == 3)
            count++;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/" TN_CATALOG_FILE, dir);
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        check(0, "open", sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    long long max = query_int(db, "SELECT max(snapshot_id) FROM ducklake_snapshot", NULL, -1);
    long long snapshots = query_int(db, "SELECT count(*) FROM ducklake_snapshot", NULL, -1);
    long long changes = query_int(db, "SELECT count(*) FROM ducklake_snapshot_changes", NULL, -1);
    check(snapshots == max + 1 && query_int(db, "SELECT min(snapshot_id) FROM ducklake_snapshot", NULL, -1) == 0 &&
              changes == snapshots,
          "snapshot ids are contiguous", "gaps or missing change rows");
    /* Snapshot 0 is the bootstrap and 1 the setup's table: every later one is a reported success. */
    check(max - 1 == count, "every snapshot is a reported commit", "snapshot count differs");
    int distinct = 1;
    for (int r_idx = 0; r_idx < count && distinct; r_idx++)
        for (int other = 0; other < r_idx; other++)
            if (results[other].snapshot == results[r_idx].snapshot ||
                (strcmp(results[other].kind, "create") == 0 &&
                 strcmp(results[r_idx].kind, "create") == 0 &&
                 strcmp(results[other].name, results[r_idx].name) == 0))
                distinct = 0;
    check(distinct, "successes are distinct", "two successes share a snapshot or a table name");
    int inserts_ok = 1, creates_ok = 1, inserts = 0, creates = 0;
    for (int r_idx = 0; r_idx < count; r_idx++) {
        result *r = &results[r_idx];
        const char *file = strrchr(r->name, '/');
        if (strcmp(r->kind, "insert") == 0) {
            inserts++;
            inserts_ok &= query_int(db, "SELECT count(*) FROM ducklake_data_file WHERE path = ?"
                                        " AND begin_snapshot = ? AND end_snapshot IS NULL",
                                    file != NULL ? file + 1 : r->name, r->snapshot) == 1;
        } else {
            creates++;
            creates_ok &= query_int(db, "SELECT count(*) FROM ducklake_table WHERE table_name = ?"
                                        " AND begin_snapshot = ?",
                                    r->name, r->snapshot) == 1;
        }
    }
    check(inserts_ok && query_int(db, "SELECT count(*) FROM ducklake_data_file", NULL, -1) == inserts,
          "every insert is visible exactly once", "a data file is missing or extra");
    check(creates_ok &&
              query_int(db, "SELECT count(*) FROM ducklake_table WHERE table_name LIKE 'c%'", NULL, -1) == creates,
          "every created table is visible exactly once", "a table is missing or extra");
    check(query_int(db, "SELECT count(*) FROM ducklake_data_file a JOIN ducklake_data_file b"
                        " ON a.data_file_id < b.data_file_id AND a.row_id_start < b.row_id_start + b.record_count"
                        " AND b.row_id_start < a.row_id_start + a.record_count", NULL, -1) == 0 &&
              query_int(db, "SELECT next_row_id - (SELECT sum(record_count) FROM ducklake_data_file)"
                            " FROM ducklake_table_stats s JOIN ducklake_table t USING (table_id)"
                            " WHERE t.table_name = 't'", NULL, -1) == 0,
          "row id ranges are disjoint and counted", "overlapping row ids or wrong next_row_id");
    sqlite3_stmt *stmt;
    int integrity = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
                    sqlite3_step(stmt) == SQLITE_ROW &&
                    strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
    sqlite3_finalize(stmt);
    check(integrity, "integrity_check", "PRAGMA integrity_check did not answer ok");
    sqlite3_close(db);
    tn_error err = TN_ERROR_INIT;
    tn_catalog *catalog = tn_catalog_open(dir, &err);
    check(catalog != NULL, "lake reopens", err.message != NULL ? err.message : "");
    tn_catalog_close(catalog);
    tn_error_clear(&err);
    return checks_failed > 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "setup") == 0)
        return setup(argv[2]);
    if (argc == 5 && strcmp(argv[1], "write") == 0)
        return write_rounds(argv[2], atoi(argv[3]), atoi(argv[4]));
    if (argc == 3 && strcmp(argv[1], "verify") == 0)
        return verify(argv[2]);
    fprintf(stderr, "usage: catalog_writer setup DIR | write DIR WORKER ROUNDS | verify DIR\n");
    return 2;
}
