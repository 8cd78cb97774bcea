/*
 * The SQLite catalog store: one database file per lake, opened with
 *   journal_mode = WAL     readers never block the writer and vice versa;
 *   synchronous  = FULL    the WAL is fsynced at every commit, so a commit
 *                          that returned survives a power cut (NORMAL would
 *                          only keep the database consistent, not durable);
 *   foreign_keys = OFF     DuckLake declares no foreign keys;
 *   busy_timeout           a writer waits this long for another's lock.
 * Writers serialise with BEGIN IMMEDIATE: the write lock is taken before
 * anything is read, so a transaction never has to upgrade a read snapshot
 * (which WAL mode refuses with SQLITE_BUSY_SNAPSHOT).  A lock still busy
 * after the timeout, or a primary key collision on a snapshot id, is a
 * lost race and is reported as 40001 for the caller to retry.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

/* How long a writer waits for the write lock before giving up with 40001. */
#define STORE_BUSY_TIMEOUT_MS 10000

struct tn_store {
    sqlite3 *db;
    char *path;
};

struct tn_store_stmt {
    sqlite3_stmt *stmt;
    tn_store *store;
};

static int report(tn_store *store, int code, tn_error *err);
static int apply_settings(tn_store *store, bool create, tn_error *err);

/* Turns a SQLite result code into the SQLSTATE a caller can act on. */
static int report(tn_store *store, int code, tn_error *err)
{
    const char *message = store->db != NULL ? sqlite3_errmsg(store->db) : sqlite3_errstr(code);
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        tn_error_set(err, TN_ERR_SERIALIZATION_FAILURE, 0,
                     "could not serialize access due to concurrent update");
        tn_error_detail(err, "The catalog \"%s\" stayed locked by another writer for %d ms.",
                        store->path, STORE_BUSY_TIMEOUT_MS);
        return -1;
    case SQLITE_CONSTRAINT:
        tn_error_set(err, TN_ERR_SERIALIZATION_FAILURE, 0,
                     "could not serialize access due to concurrent update");
        tn_error_detail(err, "Another transaction committed the same catalog rows first (%s).",
                        message);
        return -1;
    case SQLITE_NOMEM:
        return tn_error_oom(err);
    case SQLITE_FULL:
        return tn_error_set(err, TN_ERR_DISK_FULL, 0, "could not write catalog \"%s\": %s",
                            store->path, message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "catalog \"%s\" is not usable: %s",
                            store->path, message);
    default:
        return tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not access catalog \"%s\": %s",
                            store->path, message);
    }
}

static int apply_settings(tn_store *store, bool create, tn_error *err)
{
    int code = sqlite3_busy_timeout(store->db, STORE_BUSY_TIMEOUT_MS);
    if (code == SQLITE_OK)
        code = sqlite3_extended_result_codes(store->db, 1);
    if (code != SQLITE_OK)
        return report(store, code, err);
    /* journal_mode is persistent in the file; setting it on a new file makes
     * every later connection use WAL. */
    const char *settings = create ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                    "PRAGMA foreign_keys = OFF;"
                                  : "PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;";
    code = sqlite3_exec(store->db, settings, NULL, NULL, NULL);
    if (code != SQLITE_OK)
        return report(store, code, err);
    return 0;
}

static tn_store *store_open(const char *path, bool create, tn_error *err)
{
    tn_store *store = calloc(1, sizeof *store);
    if (store == NULL || (store->path = strdup(path)) == NULL) {
        free(store);
        tn_error_oom(err);
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int code = sqlite3_open_v2(path, &store->db, flags, NULL);
    if (code != SQLITE_OK) {
        report(store, code, err);
        goto fail;
    }
    if (apply_settings(store, create, err) < 0)
        goto fail;
    return store;
fail:
    sqlite3_close(store->db);
    free(store->path);
    free(store);
    return NULL;
}

static void store_close(tn_store *store)
{
    if (store == NULL)
        return;
    sqlite3_close(store->db);
    free(store->path);
    free(store);
}

static int store_exec_script(tn_store *store, const char *sql, tn_error *err)
{
    int code = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    return code == SQLITE_OK ? 0 : report(store, code, err);
}

static int store_begin(tn_store *store, bool write, tn_error *err)
{
    return store_exec_script(store, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", err);
}

static int store_commit(tn_store *store, tn_error *err)
{
    return store_exec_script(store, "COMMIT", err);
}

static void store_rollback(tn_store *store)
{
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

static tn_store_stmt *store_prepare(tn_store *store, const char *sql, tn_error *err)
{
    tn_store_stmt *stmt = malloc(sizeof *stmt);
    if (stmt == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    stmt->store = store;
    int code = sqlite3_prepare_v2(store->db, sql, -1, &stmt->stmt, NULL);
    if (code != SQLITE_OK) {
        report(store, code, err);
        free(stmt);
        return NULL;
    }
    return stmt;
}

static int store_bind_int64(tn_store_stmt *stmt, int index, int64_t value, tn_error *err)
{
    int code = sqlite3_bind_int64(stmt->stmt, index, value);
    return code == SQLITE_OK ? 0 : report(stmt->store, code, err);
}

static int store_bind_text(tn_store_stmt *stmt, int index, const char *text, tn_error *err)
{
    int code = text == NULL ? sqlite3_bind_null(stmt->stmt, index)
                            : sqlite3_bind_text(stmt->stmt, index, text, -1, SQLITE_TRANSIENT);
    return code == SQLITE_OK ? 0 : report(stmt->store, code, err);
}

static int store_step(tn_store_stmt *stmt, tn_error *err)
{
    int code = sqlite3_step(stmt->stmt);
    if (code == SQLITE_ROW)
        return 1;
    if (code == SQLITE_DONE)
        return 0;
    return report(stmt->store, code, err);
}

static bool store_column_is_null(tn_store_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt->stmt, column) == SQLITE_NULL;
}

static int64_t store_column_int64(tn_store_stmt *stmt, int column)
{
    return sqlite3_column_int64(stmt->stmt, column);
}

static const char *store_column_text(tn_store_stmt *stmt, int column)
{
    return (const char *)sqlite3_column_text(stmt->stmt, column);
}

static void store_finalize(tn_store_stmt *stmt)
{
    if (stmt == NULL)
        return;
    sqlite3_finalize(stmt->stmt);
    free(stmt);
}

const tn_store_ops tn_store_sqlite = {
    .name = "sqlite",
    .open = store_open,
    .close = store_close,
    .exec_script = store_exec_script,
    .begin = store_begin,
    .commit = store_commit,
    .rollback = store_rollback,
    .prepare = store_prepare,
    .bind_int64 = store_bind_int64,
    .bind_text = store_bind_text,
    .step = store_step,
    .column_is_null = store_column_is_null,
    .column_int64 = store_column_int64,
    .column_text = store_column_text,
    .finalize = store_finalize,
};
