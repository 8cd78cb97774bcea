/*
 * Tables over data files: the storage side of a table pinned at a
 * snapshot.  A scan reads the live data files (Parquet) and drops the rows
 * their delete files name; a writer turns appended chunks into new data
 * files; deletes become positional delete files.  Files are written and
 * fsynced here and recorded in the caller's catalog transaction, which the
 * statement commits as one snapshot.
 *
 * Scans are cut into morsels (one row group of one data file each), so a
 * parallel pipeline can hand them to threads; with one thread the same
 * morsels run in order.
 */
#ifndef TN_STORAGE_TABLE_H
#define TN_STORAGE_TABLE_H

#include "common/arena.h"
#include "types/vector.h"

typedef struct tn_catalog tn_catalog;
typedef struct tn_catalog_txn tn_catalog_txn;

/* The row id pseudo-column of a scan: the data file's row_id_start plus
 * the row's position in the file, as BIGINT. */
#define TN_ROW_ID_COLUMN (-1)

typedef struct tn_table_column {
    const char *name;
    tn_type type;
    bool is_nullable;
    const char *default_sql; /* DEFAULT expression as SQL text, or NULL */
    int64_t column_id;       /* catalog column id = Parquet field_id */
} tn_table_column;

typedef struct tn_table_check {
    const char *name;        /* constraint name, e.g. "t_a_check" */
    const char *sql;         /* the CHECK expression as SQL text */
} tn_table_check;

typedef struct tn_table {
    const char *lake_dir;    /* lake root; data paths are relative to it */
    tn_catalog *catalog;
    int64_t snapshot_id;     /* snapshot the definition and files were read at */
    int64_t table_id;
    const char *schema_name;
    const char *name;
    const char *data_path;   /* relative folder of the table's files, e.g. "data/main/t" */
    int column_count;
    tn_table_column *columns;
    int check_count;
    tn_table_check *checks;
    int64_t row_count;       /* live rows as the catalog counts them (an estimate for planning) */
} tn_table;

/* Loads schema.name at snapshot_id (schema NULL means "main").  Returns
 * NULL with err clear when there is no such table, NULL with err set on
 * failure.  Allocated in arena. */
tn_table *tn_table_open(tn_catalog *catalog, const char *lake_dir, int64_t snapshot_id,
                        const char *schema, const char *name, tn_arena *arena, tn_error *err);
/* A table from a definition: what tn_table_open builds from the catalog's,
 * and how a table created by a transaction that has not committed yet is
 * written to (table_id its transaction-local id, def->columns[i].id the id
 * the commit gives the column: ordinal + 1; data_path may be NULL). */
struct tn_catalog_table;
tn_table *tn_table_from_definition(tn_catalog *catalog, const char *lake_dir, int64_t snapshot_id,
                                   const char *schema, const struct tn_catalog_table *def,
                                   int64_t table_id, tn_arena *arena, tn_error *err);
/* Position of the column named name, -1 if none. */
int tn_table_column_index(const tn_table *table, const char *name);

/* ---- scans ---- */

typedef struct tn_table_morsel tn_table_morsel; /* one row group of one live data file */

/* The table's morsels at its snapshot, in file order (arena-allocated). */
int tn_table_morsels(tn_table *table, tn_arena *arena, tn_table_morsel ***out, int *count,
                     tn_error *err);
struct tn_catalog_data_file;
/* The same, only of the files keep(file, arg) accepts (files it refuses are
 * not opened: a reader prunes with the catalog's statistics). */
int tn_table_morsels_of(tn_table *table, bool (*keep)(const struct tn_catalog_data_file *file, void *arg),
                        void *arg, tn_arena *arena, tn_table_morsel ***out, int *count, tn_error *err);

typedef struct tn_table_scan tn_table_scan;

/* Opens a reader of one morsel producing columns (table column ordinals,
 * or TN_ROW_ID_COLUMN = -1 for the row id as BIGINT).  Deleted rows are
 * skipped.  The scan's resources are released with arena. */
tn_table_scan *tn_table_scan_open(tn_table *table, tn_table_morsel *morsel, const int *columns,
                                  int column_count, tn_arena *arena, tn_error *err);
/* Fills out (one vector per requested column) with up to TN_VECTOR_SIZE
 * rows: returns rows produced, 0 at the end of the morsel, -1 on error. */
int tn_table_scan_next(tn_table_scan *scan, tn_chunk *out, tn_error *err);

/* ---- writes ---- */

typedef struct tn_table_writer tn_table_writer;

/* Starts appending rows (chunks whose columns are in table order) to the
 * table inside txn. */
tn_table_writer *tn_table_writer_open(tn_table *table, tn_catalog_txn *txn, tn_arena *arena,
                                      tn_error *err);
int tn_table_writer_append(tn_table_writer *writer, const tn_chunk *rows, tn_error *err);
/* Flushes, fsyncs and records the new data files in the transaction. */
int tn_table_writer_finish(tn_table_writer *writer, int64_t *rows_written, tn_error *err);

/* Records the deletion of rows (row ids, any order, no duplicates) in txn:
 * writes one delete file per affected data file holding all its deleted
 * positions (old and new).  *deleted receives the number of rows newly
 * deleted. */
int tn_table_delete(tn_table *table, tn_catalog_txn *txn, const int64_t *row_ids, int64_t count,
                    int64_t *deleted, tn_arena *arena, tn_error *err);

#endif
