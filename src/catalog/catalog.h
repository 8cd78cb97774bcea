/*
 * The lake catalog: which schemas, tables, columns, data files and delete
 * files exist at each snapshot, after DuckLake (shared/reference/DUCKLAKE.md).
 * A lake directory holds `tarn.catalog`, a SQLite database in WAL mode whose
 * tables carry DuckLake's names and meaning, plus tarn's own (constraints,
 * principals, view dependencies).  Data files are recorded here, never written here: the
 * storage layer writes and fsyncs them before the commit that names them.
 *
 * Reading: every read names a snapshot id (the statement pins one with
 * tn_catalog_snapshot_latest or tn_catalog_snapshot_at_time) and sees the
 * catalog exactly as that snapshot left it; no reader blocks a writer.
 * Results are allocated in the caller's arena and die with it.
 *
 * Writing: tn_catalog_begin records operations in memory against the
 * snapshot the writer read (its base); tn_catalog_commit takes the write
 * lock (BEGIN IMMEDIATE), checks what was committed after the base against
 * DuckLake's conflict matrix, applies the operations as one new snapshot and
 * commits.  A conflict, or the lock staying busy past the timeout, fails
 * with 40001 and leaves the lake untouched.  Ids handed out before the
 * commit (tables, data files created in the transaction) are negative,
 * transaction-local ids, usable by later operations of the same
 * transaction; after the commit, look objects up again by name.
 *
 * Errors (besides the usual 53200 and 58030 for the database itself):
 *   58P01  "DIR" is not a tarn lake (no tarn.catalog)
 *   0A000  lake format version N is newer than this tarn supports (2)
 *   XX001  the file is not a usable catalog (not SQLite, metadata missing)
 *   40001  could not serialize access due to concurrent update
 */
#ifndef TN_CATALOG_CATALOG_H
#define TN_CATALOG_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "types/types.h"

#define TN_CATALOG_FILE "tarn.catalog"
#define TN_CATALOG_FORMAT_VERSION 2

typedef struct tn_catalog tn_catalog;
typedef struct tn_catalog_txn tn_catalog_txn;

/* ---- lakes ---- */

/* Creates dir (if missing) and a new catalog in it owned by principal
 * owner, with snapshot 0 holding schema "main"; returns it open.  Fails
 * with 42710 when dir already holds a catalog. */
tn_catalog *tn_catalog_create(const char *dir, const char *owner, tn_error *err);
/* Opens the catalog of the lake in dir, upgrading an older format in place. */
tn_catalog *tn_catalog_open(const char *dir, tn_error *err);
void tn_catalog_close(tn_catalog *catalog);
const char *tn_catalog_dir(const tn_catalog *catalog);
const char *tn_catalog_owner(const tn_catalog *catalog);

/* ---- snapshots ---- */

typedef struct tn_catalog_snapshot {
    int64_t id;
    int64_t time;           /* microseconds since 1970-01-01 UTC */
    int64_t schema_version; /* bumped by every DDL commit */
    const char *author;     /* principal that committed (the owner for snapshot 0) */
    const char *operation;  /* commit message, e.g. "INSERT" */
    const char *changes;    /* DuckLake changes_made list */
} tn_catalog_snapshot;

int tn_catalog_snapshot_latest(tn_catalog *catalog, int64_t *snapshot_id, tn_error *err);
/* The newest snapshot committed at or before time (microseconds UTC);
 * 22023 when time is before the first snapshot. */
int tn_catalog_snapshot_at_time(tn_catalog *catalog, int64_t time, int64_t *snapshot_id,
                                tn_error *err);
/* Every snapshot, oldest first. */
int tn_catalog_snapshot_list(tn_catalog *catalog, tn_arena *arena, tn_catalog_snapshot **out,
                             int *count, tn_error *err);

/* ---- schemas and tables at a snapshot ---- */

typedef struct tn_catalog_schema {
    int64_t id;
    const char *uuid;
    const char *name;
    int64_t begin_snapshot; /* the snapshot that created it */
} tn_catalog_schema;

/* A schema, table or view name with its id, for listings. */
typedef struct tn_catalog_entry {
    int64_t id;
    const char *name;
} tn_catalog_entry;

typedef struct tn_catalog_column {
    int64_t id;              /* column_id = Parquet field_id; ignored in a create request */
    const char *name;
    tn_type type;
    bool is_nullable;
    const char *default_sql; /* DEFAULT expression as SQL text, NULL when none */
} tn_catalog_column;

typedef struct tn_catalog_check {
    const char *name;        /* constraint name, e.g. "t_a_check" */
    const char *sql;         /* the CHECK expression as SQL text */
} tn_catalog_check;

typedef struct tn_catalog_unique {
    const char *name;        /* constraint name, e.g. "t_pkey" */
    bool is_primary_key;
    int column_count;
    const int *columns;      /* indexes into the table's columns */
} tn_catalog_unique;

/* A table definition: what tn_catalog_table_lookup returns, and the request
 * tn_catalog_txn_create_table takes (only name, columns, checks, uniques are
 * read then).  Columns are in table order. */
typedef struct tn_catalog_table {
    int64_t id;
    const char *uuid;
    int64_t schema_id;
    const char *schema_name;
    const char *name;
    const char *data_path;   /* folder of its files relative to the lake, "data/main/t" */
    int64_t begin_snapshot;  /* the snapshot that created it */
    int column_count;
    const tn_catalog_column *columns;
    int check_count;
    const tn_catalog_check *checks;
    int unique_count;
    const tn_catalog_unique *uniques;
} tn_catalog_table;

/* Schemas visible at snapshot_id, by name. */
int tn_catalog_schema_list(tn_catalog *catalog, int64_t snapshot_id, tn_arena *arena,
                           tn_catalog_entry **out, int *count, tn_error *err);
/* The schema called name at snapshot_id: 1 found, 0 none, -1 error. */
int tn_catalog_schema_lookup(tn_catalog *catalog, int64_t snapshot_id, const char *name,
                             tn_arena *arena, tn_catalog_schema *out, tn_error *err);
/* Tables of schema_id visible at snapshot_id, by name. */
int tn_catalog_table_list(tn_catalog *catalog, int64_t snapshot_id, int64_t schema_id,
                          tn_arena *arena, tn_catalog_entry **out, int *count, tn_error *err);
/* The table schema.name at snapshot_id: a definition in arena, or NULL with
 * err clear when there is no such table (or schema), NULL with err set on
 * failure. */
tn_catalog_table *tn_catalog_table_lookup(tn_catalog *catalog, int64_t snapshot_id,
                                          const char *schema, const char *name,
                                          tn_arena *arena, tn_error *err);

/* ---- views ----
 *
 * Views live in ducklake_view (dialect 'postgresql', column_aliases holding
 * the output column names as a comma list of double-quoted names) and
 * share one namespace per schema with tables, as in PostgreSQL.  The
 * catalog keeps the SELECT text, not a plan: the front end binds it again
 * where the view is used.  Which tables and views a view reads is recorded
 * in tarn_view_dependency, versioned like the view, so that DROP refuses
 * (2BP01) or cascades as PostgreSQL does.
 *
 * Wrong kinds: table lookups never see views and view lookups never see
 * tables.  A front end that asked for one kind and found nothing asks
 * tn_catalog_relation_kind_get to tell "no such relation" (42P01) from
 * "x is a view" (42809 "\"x\" is not a table", HINT "Use DROP VIEW to
 * remove a view.") and the reverse. */

typedef struct tn_catalog_view {
    int64_t id;
    const char *uuid;
    int64_t schema_id;
    const char *schema_name;
    const char *name;
    const char *sql;                 /* the SELECT text */
    int column_count;
    const char *const *column_names; /* output column names as bound at creation */
    int64_t begin_snapshot;          /* the snapshot that created or last replaced it */
} tn_catalog_view;

typedef enum tn_catalog_relation_kind {
    TN_CATALOG_RELATION_ERROR = -1, /* err is set */
    TN_CATALOG_RELATION_NONE = 0,
    TN_CATALOG_RELATION_TABLE,
    TN_CATALOG_RELATION_VIEW
} tn_catalog_relation_kind;

/* The view schema.name at snapshot_id: a definition in arena, or NULL with
 * err clear when there is no such view (a table of that name included). */
tn_catalog_view *tn_catalog_view_lookup(tn_catalog *catalog, int64_t snapshot_id,
                                        const char *schema, const char *name, tn_arena *arena,
                                        tn_error *err);
/* The view view_id as visible at snapshot_id, NULL with err clear when it
 * is not. */
tn_catalog_view *tn_catalog_view_get(tn_catalog *catalog, int64_t snapshot_id, int64_t view_id,
                                     tn_arena *arena, tn_error *err);
/* Views of schema_id visible at snapshot_id, by name. */
int tn_catalog_view_list(tn_catalog *catalog, int64_t snapshot_id, int64_t schema_id,
                         tn_arena *arena, tn_catalog_entry **out, int *count, tn_error *err);
/* What schema.name is at snapshot_id: none, a table or a view. */
tn_catalog_relation_kind tn_catalog_relation_kind_get(tn_catalog *catalog, int64_t snapshot_id,
                                                      const char *schema, const char *name,
                                                      tn_error *err);

/* ---- files and statistics ---- */

/* Statistics of one column of one data file.  Bounds use DuckLake's string
 * encodings: integers and numerics as decimal text, dates and timestamps as
 * ISO 8601 (or infinity / -infinity), floats with inf / -inf (NaN is never
 * a bound; contains_nan flags it), text as is, booleans true / false.  They
 * are bounds, not exact values. */
typedef struct tn_catalog_column_stats {
    int64_t column_id;
    int64_t null_count;        /* -1 when unknown */
    int64_t value_count;       /* -1 when unknown */
    int64_t column_size_bytes; /* -1 when unknown */
    const char *min_value;     /* NULL when unknown (or all values NULL) */
    const char *max_value;
    bool contains_nan;
} tn_catalog_column_stats;

typedef struct tn_catalog_delete_file {
    int64_t id;              /* ignored in a request */
    const char *path;        /* relative to the lake directory */
    int64_t delete_count;    /* rows it deletes */
    int64_t file_size_bytes;
    int64_t footer_size;
    int64_t begin_snapshot;  /* ignored in a request */
} tn_catalog_delete_file;

typedef struct tn_catalog_data_file {
    int64_t id;              /* ignored in a request */
    const char *path;        /* relative to the lake directory, inside the table's data_path */
    int64_t record_count;
    int64_t file_size_bytes;
    int64_t footer_size;
    int64_t row_id_start;    /* row id of its first row; assigned at commit */
    int64_t begin_snapshot;  /* ignored in a request */
    int stats_count;
    const tn_catalog_column_stats *stats;
    const tn_catalog_delete_file *delete_file; /* live one at the snapshot, NULL if none */
} tn_catalog_data_file;

/* Live data files of table_id at snapshot_id, in commit order, each with
 * its statistics and live delete file. */
int tn_catalog_data_file_list(tn_catalog *catalog, int64_t snapshot_id, int64_t table_id,
                              tn_arena *arena, tn_catalog_data_file **out, int *count,
                              tn_error *err);

/* Table-wide statistics as of the latest snapshot (DuckLake keeps them
 * current only).  record_count counts rows of live data files before
 * deletes; next_row_id is the first row id the next insert gets. */
typedef struct tn_catalog_table_stats {
    int64_t record_count;
    int64_t next_row_id;
    int64_t file_size_bytes;
    int column_count;
    const tn_catalog_column_stats *columns; /* null_count is 1 when it contains NULLs, else 0 */
} tn_catalog_table_stats;

int tn_catalog_table_stats_get(tn_catalog *catalog, int64_t table_id, tn_arena *arena,
                               tn_catalog_table_stats *out, tn_error *err);

/* ---- paths ---- */

/* A fresh lake-relative path for a new file of table schema.table:
 * "data/<schema>/<table>/<uuid v4>.parquet", or "...-delete.parquet" for a
 * delete file.  Names are made safe for a file system. */
char *tn_catalog_path_new_file(tn_arena *arena, const char *schema, const char *table,
                               bool is_delete_file, tn_error *err);
/* A random version 4 UUID in its 36-character text form. */
char *tn_catalog_uuid_new(tn_arena *arena, tn_error *err);

/* ---- write transactions ---- */

/* Starts recording a transaction on top of base_snapshot (what the writer
 * read), committed as author. */
tn_catalog_txn *tn_catalog_begin(tn_catalog *catalog, int64_t base_snapshot, const char *author,
                                 tn_error *err);
int64_t tn_catalog_txn_base(const tn_catalog_txn *txn);

int tn_catalog_txn_create_schema(tn_catalog_txn *txn, const char *name, tn_error *err);
/* Fails with 2BP01 when the schema holds tables or views, unless cascade,
 * which drops them and every view (of any schema) that depends on them. */
int tn_catalog_txn_drop_schema(tn_catalog_txn *txn, const char *name, bool cascade,
                               tn_error *err);
/* Creates schema.def->name; *table_id receives its transaction-local id. */
int tn_catalog_txn_create_table(tn_catalog_txn *txn, const char *schema,
                                const tn_catalog_table *def, int64_t *table_id, tn_error *err);
/* Drops table_id; 2BP01 "cannot drop table t because other objects depend
 * on it" (DETAIL one line per dependent view, as PostgreSQL) while a view
 * reads it.  tn_catalog_txn_drop_table_cascade with cascade drops those
 * views too, recursively; drop_table is it without cascade. */
int tn_catalog_txn_drop_table(tn_catalog_txn *txn, int64_t table_id, tn_error *err);
int tn_catalog_txn_drop_table_cascade(tn_catalog_txn *txn, int64_t table_id, bool cascade,
                                      tn_error *err);
/* Creates view schema.def->name (def->name, sql, columns are read) reading
 * the tables and views listed (ids as from lookups, or transaction-local
 * ids of this transaction).  42P07 when a table or view of that name
 * exists, unless or_replace and it is a view: then its definition is
 * replaced (same id; its dependents keep depending on it), refused with
 * 42P16 as PostgreSQL does when columns are dropped or renamed (types are
 * the caller's to compare), and with 42809 "\"x\" is not a view" when x is
 * a table.  A view that would read itself, directly or through others, is
 * refused with 42P19.  tn_catalog_txn_view_id gives the view's id (the
 * existing one when replaced, else transaction-local). */
int tn_catalog_txn_create_view(tn_catalog_txn *txn, const char *schema,
                               const tn_catalog_view *def, bool or_replace,
                               const int64_t *depends_on_tables, int table_dep_count,
                               const int64_t *depends_on_views, int view_dep_count,
                               tn_error *err);
/* The id of view schema.name as this transaction sees it (its own
 * creations included), for dependency lists of later views of the same
 * transaction: 1 found, 0 no such view, -1 error. */
int tn_catalog_txn_view_id(tn_catalog_txn *txn, const char *schema, const char *name,
                           int64_t *view_id, tn_error *err);
/* Drops view_id; 2BP01 "cannot drop view v because other objects depend on
 * it" while another view reads it, unless cascade. */
int tn_catalog_txn_drop_view(tn_catalog_txn *txn, int64_t view_id, bool cascade, tn_error *err);
/* Records a written data file (path, counts, stats) in table_id; *file_id
 * (may be NULL) receives its transaction-local id. */
int tn_catalog_txn_add_data_file(tn_catalog_txn *txn, int64_t table_id,
                                 const tn_catalog_data_file *file, int64_t *file_id,
                                 tn_error *err);
/* Makes file the delete file of data_file_id, closing the one it replaces
 * (which file must therefore repeat: all positions, old and new). */
int tn_catalog_txn_set_delete_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                                   const tn_catalog_delete_file *file, tn_error *err);
/* Retires a data file (and its delete file), for rewrites and compaction. */
int tn_catalog_txn_remove_data_file(tn_catalog_txn *txn, int64_t table_id, int64_t data_file_id,
                                    tn_error *err);

/* Commits the recorded operations as one snapshot labelled operation and
 * frees txn whatever happens.  *snapshot_id (may be NULL) receives the new
 * snapshot; a transaction without operations commits nothing and returns
 * its base. */
int tn_catalog_commit(tn_catalog_txn *txn, const char *operation, int64_t *snapshot_id,
                      tn_error *err);
/* Drops the recorded operations and frees txn. */
void tn_catalog_abort(tn_catalog_txn *txn);

#endif
