/*
 * Catalog internals shared by the files of this folder: the store interface
 * (a back end is a table of functions, as SQLite's VFS is), the catalog
 * handle, small helpers that run one SQL statement with bound arguments,
 * and the format migration hook the unit tests drive.
 *
 * The catalog logic speaks plain SQL that SQLite and PostgreSQL both accept;
 * parameters are written `?` (a PostgreSQL back end renumbers them to $n).
 * A back end only moves statements, rows and transactions.
 */
#ifndef TN_CATALOG_CATALOG_INT_H
#define TN_CATALOG_CATALOG_INT_H

#include "catalog/catalog.h"

typedef struct tn_store tn_store;
typedef struct tn_store_stmt tn_store_stmt;

typedef struct tn_store_ops {
    const char *name;
    /* Opens the database at path; only create may make a new file. */
    tn_store *(*open)(const char *path, bool create, tn_error *err);
    void (*close)(tn_store *store);
    /* Runs a script of statements without parameters (schema DDL). */
    int (*exec_script)(tn_store *store, const char *sql, tn_error *err);
    /* Opens a transaction; write takes the write lock at once.  A lock
     * still busy after the timeout is 40001. */
    int (*begin)(tn_store *store, bool write, tn_error *err);
    int (*commit)(tn_store *store, tn_error *err);
    void (*rollback)(tn_store *store);
    tn_store_stmt *(*prepare)(tn_store *store, const char *sql, tn_error *err);
    int (*bind_int64)(tn_store_stmt *stmt, int index, int64_t value, tn_error *err);
    /* text NULL binds SQL NULL. */
    int (*bind_text)(tn_store_stmt *stmt, int index, const char *text, tn_error *err);
    /* 1: a row is ready, 0: done, -1: error. */
    int (*step)(tn_store_stmt *stmt, tn_error *err);
    bool (*column_is_null)(tn_store_stmt *stmt, int column);
    int64_t (*column_int64)(tn_store_stmt *stmt, int column);
    /* NULL for SQL NULL; valid until the next step. */
    const char *(*column_text)(tn_store_stmt *stmt, int column);
    void (*finalize)(tn_store_stmt *stmt);
} tn_store_ops;

extern const tn_store_ops tn_store_sqlite;

struct tn_catalog {
    const tn_store_ops *ops;
    tn_store *store;
    char *dir;       /* lake directory, malloc'd */
    char *owner;     /* owning principal, malloc'd */
};

/*
 * Statement helpers.  args spells the bound arguments, one letter each:
 *   'i'  int64_t
 *   'b'  int (a bool stored as 0 / 1)
 *   't'  const char * (NULL binds SQL NULL)
 * tn_catalog_sql_query returns the stepped-to-nothing statement for the
 * caller to step and finalize; tn_catalog_sql_exec runs it to the end;
 * tn_catalog_sql_int64 reads the first column of the first row (1 found,
 * 0 no row or NULL, -1 error).
 */
tn_store_stmt *tn_catalog_sql_query(tn_catalog *catalog, tn_error *err, const char *sql,
                                    const char *args, ...);
int tn_catalog_sql_exec(tn_catalog *catalog, tn_error *err, const char *sql, const char *args,
                        ...);
int tn_catalog_sql_int64(tn_catalog *catalog, tn_error *err, int64_t *out, const char *sql,
                         const char *args, ...);
/* The text of column of the current row copied into arena (NULL stays NULL). */
const char *tn_catalog_sql_text(tn_catalog *catalog, tn_store_stmt *stmt, int column,
                                tn_arena *arena);

/* Timestamps as stored in snapshot_time: "YYYY-MM-DD HH:MM:SS.ffffff+00". */
void tn_catalog_time_format(int64_t micros, char *buf, size_t size);
int tn_catalog_time_parse(const char *text, int64_t *micros);
int64_t tn_catalog_time_now(void);

/* The folder of an object named name inside its parent's: "name/", made
 * safe for a file system (schema.path and table.path). */
char *tn_catalog_path_folder(tn_arena *arena, const char *name);

/* Grows an arena array of *capacity items of size bytes to hold count + 1. */
int tn_catalog_array_grow(tn_arena *arena, void **items, int *capacity, int count, size_t size,
                          tn_error *err);

/* A condition that the row of alias is visible at a snapshot; binds that
 * snapshot twice ("ii"). */
#define TN_VISIBLE(alias)                                                                  \
    " " alias ".begin_snapshot <= ? AND (" alias ".end_snapshot IS NULL OR " alias             \
    ".end_snapshot > ?) "

/* The table table_id as visible at snapshot_id (NULL with err clear when
 * it is not). */
tn_catalog_table *tn_catalog_table_get(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                                       tn_arena *arena, tn_error *err);

/* ---- format migrations ---- */

/* One step upgrades a catalog of format version from to from + 1. */
typedef struct tn_catalog_migration {
    int from;
    const char *sql;
} tn_catalog_migration;

/* Brings catalog to format version target by applying steps in one write
 * transaction; refuses a catalog newer than target (0A000). */
int tn_catalog_migrate(tn_catalog *catalog, const tn_catalog_migration *steps, int step_count,
                       int target, tn_error *err);

/* ---- write transactions (catalog_write.c records, catalog_commit.c applies) ---- */

typedef enum tn_catalog_op_kind {
    TN_OP_CREATE_SCHEMA,
    TN_OP_DROP_SCHEMA,
    TN_OP_CREATE_TABLE,
    TN_OP_DROP_TABLE,
    TN_OP_ADD_DATA_FILE,
    TN_OP_SET_DELETE_FILE,
    TN_OP_REMOVE_DATA_FILE,
    TN_OP_CREATE_VIEW,
    TN_OP_REPLACE_VIEW,                 /* new definition of an existing view */
    TN_OP_DROP_VIEW
} tn_catalog_op_kind;

/* One recorded operation, deep-copied into the transaction's arena.  Ids
 * are real (>= 0, as read at the base snapshot) or transaction-local (< 0,
 * made by an earlier operation of the same transaction). */
typedef struct tn_catalog_op {
    tn_catalog_op_kind kind;
    int64_t local_id;                   /* what a create / add made, else 0 */
    int64_t schema_id;                  /* schema ops, CREATE_TABLE, CREATE/REPLACE_VIEW */
    const char *schema_name;            /* schema ops, CREATE_TABLE, CREATE/REPLACE_VIEW */
    int64_t table_id;                   /* table and file ops */
    int64_t data_file_id;               /* SET_DELETE_FILE, REMOVE_DATA_FILE */
    tn_catalog_table table;             /* CREATE_TABLE */
    tn_catalog_data_file file;          /* ADD_DATA_FILE */
    tn_catalog_delete_file delete_file; /* SET_DELETE_FILE */
    int64_t view_id;                    /* view ops */
    tn_catalog_view view;               /* CREATE/REPLACE_VIEW: name, sql, columns */
    int table_dep_count;                /* CREATE/REPLACE_VIEW: what the view reads */
    const int64_t *table_deps;
    int view_dep_count;
    const int64_t *view_deps;
    struct tn_catalog_op *next;
} tn_catalog_op;

struct tn_catalog_txn {
    tn_catalog *catalog;
    tn_arena *arena;        /* owns the txn and every recorded operation */
    int64_t base;           /* snapshot the writer read */
    const char *author;
    tn_catalog_op *first;
    tn_catalog_op *last;
    int local_count;        /* local ids handed out: -1 .. -local_count */
};

/* Shared by catalog_write.c and catalog_view.c: what a transaction sees
 * is its base snapshot plus its own operations. */
tn_catalog_op *tn_catalog_txn_add_op(tn_catalog_txn *txn, tn_catalog_op_kind kind, tn_error *err);
/* Forgets the operations recorded after mark (NULL: all), so that a call
 * failing half-way (a cascade) leaves the transaction as it was. */
void tn_catalog_txn_truncate(tn_catalog_txn *txn, tn_catalog_op *mark, int local_count);
/* 1 and *schema_id when schema name exists for txn, 0 when not. */
int tn_catalog_txn_find_schema(tn_catalog_txn *txn, const char *name, int64_t *schema_id,
                               tn_error *err);
/* Whether txn dropped object id by an operation of kind (DROP_TABLE,
 * DROP_VIEW, REMOVE_DATA_FILE). */
bool tn_catalog_txn_is_dropped(const tn_catalog_txn *txn, tn_catalog_op_kind kind, int64_t id);
/* 42P01 unless table_id is live for txn. */
int tn_catalog_txn_check_table(tn_catalog_txn *txn, int64_t table_id, tn_error *err);
/* What schema.name is for txn; *id receives its id when it exists. */
tn_catalog_relation_kind tn_catalog_txn_find_relation(tn_catalog_txn *txn, const char *schema,
                                                      const char *name, int64_t *id,
                                                      tn_error *err);
/* Refuses (2BP01, naming what and every view depending on it, transitively)
 * or, with cascade, drops the views that read the table or view id. */
int tn_catalog_txn_drop_dependents(tn_catalog_txn *txn, bool is_view, int64_t id, bool cascade,
                                   tn_error *err);
/* The views of schema (id schema_id) that txn sees, in arena. */
int tn_catalog_txn_schema_views(tn_catalog_txn *txn, const char *schema, int64_t schema_id,
                                tn_catalog_entry **out, int *count, tn_error *err);
/* "table t", or "view s.v" outside schema main (what PostgreSQL prints
 * with search_path main). */
char *tn_catalog_describe(tn_arena *arena, const char *kind, const char *schema,
                          const char *name);

/* Column names as stored in ducklake_view.column_aliases: "a","b" with
 * embedded quotes doubled. */
char *tn_catalog_names_format(tn_arena *arena, const char *const *names, int count);
int tn_catalog_names_parse(tn_arena *arena, const char *text, const char *const **names,
                           int *count);
/* Appends "name" (quotes doubled) to text; reads one such name at *cursor
 * (NULL when there is none). */
char *tn_catalog_quote_append(tn_arena *arena, char *text, const char *name);
const char *tn_catalog_quote_parse(tn_arena *arena, const char **cursor);

/* ---- conflicts (catalog_conflict.c) ---- */

typedef enum tn_catalog_change_kind {
    TN_CHANGE_CREATED_SCHEMA,  /* name: schema */
    TN_CHANGE_CREATED_TABLE,   /* name: schema, table_name: table */
    TN_CHANGE_DROPPED_SCHEMA,  /* id */
    TN_CHANGE_DROPPED_TABLE,   /* id */
    TN_CHANGE_INSERTED_INTO,   /* id */
    TN_CHANGE_DELETED_FROM,    /* id */
    TN_CHANGE_COMPACTED,       /* id */
    TN_CHANGE_ALTERED_TABLE,   /* id */
    TN_CHANGE_CREATED_VIEW,    /* name: schema, table_name: view */
    TN_CHANGE_DROPPED_VIEW,    /* id */
    TN_CHANGE_ALTERED_VIEW,    /* id (CREATE OR REPLACE VIEW) */
    TN_CHANGE_OTHER            /* macros...: never conflicts here */
} tn_catalog_change_kind;

typedef struct tn_catalog_change {
    tn_catalog_change_kind kind;
    int64_t id;             /* object id for the id kinds (negative: this transaction's own) */
    const char *name;       /* schema name for the create kinds */
    const char *table_name; /* table or view name for created_table / created_view */
    int64_t schema_id;      /* schema of created_table / created_view when known, else -1 */
} tn_catalog_change;

/* Appends change's DuckLake spelling ("created_table:\"s\".\"t\"") to a
 * changes_made list in arena. */
char *tn_catalog_change_append(tn_arena *arena, char *list, const tn_catalog_change *change);
/* Parses a changes_made list into an arena array. */
int tn_catalog_change_parse(tn_arena *arena, const char *list, tn_catalog_change **out,
                            int *count, tn_error *err);
/* Checks own changes against every snapshot committed after base (call in
 * the write transaction): 40001 naming the first conflict found. */
int tn_catalog_conflict_check(tn_catalog *catalog, int64_t base, const tn_catalog_change *own,
                              int own_count, tn_arena *arena, tn_error *err);

#endif
