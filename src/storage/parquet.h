/*
 * tarn's Parquet codec for flat schemas: a writer that turns chunks into a
 * Parquet file (v1 data pages, PLAIN + RLE_DICTIONARY, zstd by default,
 * footer statistics) and a reader that turns any flat Parquet file written
 * by tarn, Arrow, DuckDB or Spark back into chunks, one row group at a time.
 * Encryption, nested types and page indexes are deliberately absent.
 *
 * Ownership and lifetimes:
 * - A writer owns its file until tn_parquet_writer_close (fsync + close) or
 *   tn_parquet_writer_abort (close + unlink); exactly one of them must be
 *   called.  Close fills a tn_parquet_file_info whose statistics strings
 *   are malloc'd: release them with tn_parquet_file_info_free.
 * - A reader owns the file descriptor and the parsed footer.  Column
 *   descriptions and row-group statistics (string min/max included) point
 *   into the reader and stay valid until tn_parquet_reader_close.
 * - A scan belongs to one reader and must be closed before it.  Scans never
 *   change the reader, so several threads may each run scans (of different
 *   or equal row groups) over one reader at the same time.
 * - tn_parquet_scan_next fills a caller-owned chunk; TEXT bytes are copied
 *   into the chunk's heap arena, so rows stay valid until the chunk is
 *   reset, independent of the scan.
 * Errors: -1 / NULL with tn_error set.  Corrupt or truncated files give
 * XX001 naming the file and the defect, a missing file 58P01, unsupported
 * features 0A000.
 */
#ifndef TN_STORAGE_PARQUET_H
#define TN_STORAGE_PARQUET_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "types/types.h"
#include "types/vector.h"

typedef enum tn_parquet_codec {
    TN_PARQUET_UNCOMPRESSED = 0,
    TN_PARQUET_SNAPPY = 1,
    TN_PARQUET_GZIP = 2,
    TN_PARQUET_ZSTD = 6,
    TN_PARQUET_LZ4_RAW = 7,
} tn_parquet_codec;

/* One column of a flat schema.  field_id < 0 means "none". */
typedef struct tn_parquet_column {
    const char *name;
    tn_type type;
    bool is_nullable; /* OPTIONAL when true, REQUIRED otherwise */
    int32_t field_id;
} tn_parquet_column;

typedef struct tn_parquet_key_value {
    const char *key;
    const char *value;
} tn_parquet_key_value;

typedef struct tn_parquet_options {
    tn_parquet_codec codec;        /* default ZSTD */
    int compression_level;         /* zstd / gzip level; 0 = codec default */
    int64_t row_group_rows;        /* rows per row group, default 1,048,576 */
    int64_t row_group_bytes;       /* uncompressed bytes per row group, default 128 MiB */
    int64_t page_bytes;            /* uncompressed bytes per page, default 1 MiB */
    int32_t page_rows;             /* rows per page, default 20,000 */
    int64_t dictionary_bytes;      /* dictionary size before falling back to PLAIN, default 1 MiB */
    bool use_dictionary;           /* default true */
    const tn_parquet_key_value *key_values; /* optional footer metadata, copied at open */
    int key_value_count;
} tn_parquet_options;

/* Statistics of one column, over a row group or a whole written file.
 * has_min_max is false when every value is NULL or NaN, or when a string
 * bound is longer than 4 KiB (such bounds are not kept). */
typedef struct tn_parquet_column_stats {
    bool has_null_count;
    int64_t null_count;
    bool has_min_max;
    tn_value min; /* type = the column's type */
    tn_value max;
} tn_parquet_column_stats;

/* What a closed writer produced, for the catalog. */
typedef struct tn_parquet_file_info {
    int64_t row_count;
    int64_t file_size;          /* bytes */
    int64_t footer_size;        /* FileMetaData bytes (the trailing length field) */
    int row_group_count;
    int column_count;
    tn_parquet_column_stats *columns; /* malloc'd, strings malloc'd */
} tn_parquet_file_info;

typedef struct tn_parquet_writer tn_parquet_writer;
typedef struct tn_parquet_reader tn_parquet_reader;
typedef struct tn_parquet_scan tn_parquet_scan;

/* ---- writing ---- */

void tn_parquet_options_default(tn_parquet_options *options);

/* Creates (or truncates) path and prepares to write columns.  The column
 * array is copied.  INTERVAL columns are rejected (0A000). */
tn_parquet_writer *tn_parquet_writer_open(const char *path, const tn_parquet_column *columns,
                                          int column_count, const tn_parquet_options *options,
                                          tn_error *err);
/* Appends chunk's rows (its vectors must have the writer's column types;
 * constant vectors are fine).  NULL in a REQUIRED column is 23502, a
 * NUMERIC beyond the column's precision 22003.  After a failed write the
 * file can only be aborted (close fails and removes it). */
int tn_parquet_writer_write(tn_parquet_writer *writer, const tn_chunk *chunk, tn_error *err);
/* Flushes the last row group, writes the footer, fsyncs and closes; frees
 * the writer whatever happens (on failure the partial file is removed).
 * out may be NULL. */
int tn_parquet_writer_close(tn_parquet_writer *writer, tn_parquet_file_info *out, tn_error *err);
/* Closes and unlinks the partial file and frees the writer. */
void tn_parquet_writer_abort(tn_parquet_writer *writer);
void tn_parquet_file_info_free(tn_parquet_file_info *info);

/* ---- reading ---- */

tn_parquet_reader *tn_parquet_reader_open(const char *path, tn_error *err);
void tn_parquet_reader_close(tn_parquet_reader *reader);

int tn_parquet_reader_column_count(const tn_parquet_reader *reader);
/* Column i as tarn sees it.  A column whose Parquet type has no tarn
 * equivalent has type TN_TYPE_NULL; scanning it fails with 0A000. */
const tn_parquet_column *tn_parquet_reader_column(const tn_parquet_reader *reader, int column);
int64_t tn_parquet_reader_row_count(const tn_parquet_reader *reader);
int tn_parquet_reader_row_group_count(const tn_parquet_reader *reader);
int64_t tn_parquet_reader_row_group_rows(const tn_parquet_reader *reader, int row_group);
/* The footer's "created_by", or NULL. */
const char *tn_parquet_reader_created_by(const tn_parquet_reader *reader);
/* Footer statistics of one column chunk; fields are "unknown" (has_* false)
 * when the file carries none or uses an order tarn cannot trust. */
void tn_parquet_reader_column_stats(const tn_parquet_reader *reader, int row_group, int column,
                                    tn_parquet_column_stats *out);

/* Starts reading row_group, producing the columns column_indexes[0..n). */
tn_parquet_scan *tn_parquet_scan_open(tn_parquet_reader *reader, int row_group,
                                      const int *column_indexes, int n, tn_error *err);
/* Resets out and fills it with the next rows: out must have n vectors of
 * the projected columns' types.  Returns the row count (1..2048), 0 at the
 * end of the row group, -1 on error. */
int tn_parquet_scan_next(tn_parquet_scan *scan, tn_chunk *out, tn_error *err);
void tn_parquet_scan_close(tn_parquet_scan *scan);

#endif
