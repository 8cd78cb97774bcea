/*
 * Table storage over Parquet data files and positional delete files.
 *
 * Reading: the live data files of the table at its snapshot come from the
 * catalog; each file's row groups are morsels.  A file's delete file (a
 * Parquet file with columns file_path, pos) is read once when the morsels
 * are listed, into a sorted array of deleted positions shared by the
 * file's morsels.  Row id = the file's row_id_start + position in file.
 *
 * Writing: appended chunks stream into a Parquet writer; a new file starts
 * every TABLE_FILE_ROWS rows.  Each finished file is fsynced by the writer
 * and recorded with its statistics in the caller's catalog transaction.
 * Deletes write, per affected data file, a new delete file holding all of
 * its deleted positions, which replaces the previous one in the catalog.
 */
#include "storage/table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "storage/parquet.h"
#include "types/format.h"

#define TABLE_FILE_ROWS (8 * 1024 * 1024)

struct tn_table_morsel {
    const tn_catalog_data_file *file;
    tn_parquet_reader *reader;     /* closed with the arena that listed the morsels */
    int row_group;
    int64_t first_position;        /* position in the file of the row group's first row */
    int64_t row_count;
    const int64_t *deleted;        /* sorted deleted positions of the file */
    int64_t deleted_count;
};

struct tn_table_scan {
    tn_table_morsel *morsel;
    tn_parquet_scan *scan;         /* NULL when only the row id is read */
    int column_count;
    const int *columns;
    int parquet_count;             /* columns read from the file */
    int *parquet_slots;            /* output position of each column read */
    tn_vector *parquet_vectors;    /* views handed to the Parquet scan */
    int64_t position;              /* position in the file of the next row */
    int64_t end;                   /* position after the morsel's last row */
    uint32_t *sel;
};

struct tn_table_writer {
    tn_table *table;
    tn_catalog_txn *txn;
    tn_arena *arena;
    tn_parquet_writer *parquet;    /* open file, or NULL */
    const char *path;              /* its lake-relative path */
    int64_t file_rows;
    int64_t total_rows;
    tn_parquet_column *columns;
};

static char *lake_path(tn_arena *arena, const char *lake_dir, const char *relative);
static int make_dirs(const char *path, tn_error *err);
static void close_reader(void *reader);
static int read_deleted_positions(tn_table *table, const tn_catalog_delete_file *file,
                                  tn_arena *arena, int64_t **out, int64_t *count, tn_error *err);
static int find_parquet_column(tn_parquet_reader *reader, const tn_table_column *column);
static int skip_deleted(const tn_table_morsel *morsel, int64_t first, uint32_t count,
                        uint32_t *sel);
static int finish_file(tn_table_writer *writer, tn_error *err);
static void abort_open_file(void *arg);
static char *format_bound(tn_arena *arena, const tn_value *value);
static int compare_int64(const void *a, const void *b);
static int write_delete_file(tn_table *table, tn_catalog_txn *txn, const tn_catalog_data_file *file,
                             const int64_t *positions, int64_t count, tn_arena *arena,
                             tn_error *err);

static char *lake_path(tn_arena *arena, const char *lake_dir, const char *relative)
{
    return tn_arena_printf(arena, "%s/%s", lake_dir, relative);
}

/* mkdir -p of the folder that will hold path. */
static int make_dirs(const char *path, tn_error *err)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return tn_error_oom(err);
    char *slash = strrchr(copy, '/');
    if (slash != NULL)
        *slash = '\0';
    for (char *p = copy + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            goto fail;
        *p = '/';
    }
    if (slash != NULL && mkdir(copy, 0777) != 0 && errno != EEXIST)
        goto fail;
    free(copy);
    return 0;
fail:
    tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not create directory \"%s\": %s", copy,
                 strerror(errno));
    free(copy);
    return -1;
}

tn_table *tn_table_from_definition(tn_catalog *catalog, const char *lake_dir, int64_t snapshot_id,
                                   const char *schema, const tn_catalog_table *def, int64_t table_id,
                                   tn_arena *arena, tn_error *err)
{
    tn_table *table = tn_arena_zalloc(arena, sizeof(tn_table));
    tn_table_column *columns = tn_arena_zalloc(arena, sizeof(tn_table_column) * (size_t)(def->column_count + 1));
    tn_table_check *checks = tn_arena_zalloc(arena, sizeof(tn_table_check) * (size_t)(def->check_count + 1));
    if (table == NULL || columns == NULL || checks == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int i = 0; i < def->column_count; i++) {
        columns[i].name = def->columns[i].name;
        columns[i].type = def->columns[i].type;
        columns[i].is_nullable = def->columns[i].is_nullable;
        columns[i].default_sql = def->columns[i].default_sql;
        columns[i].column_id = def->columns[i].id;
    }
    for (int i = 0; i < def->check_count; i++) {
        checks[i].name = def->checks[i].name;
        checks[i].sql = def->checks[i].sql;
    }
    table->lake_dir = lake_dir;
    table->catalog = catalog;
    table->snapshot_id = snapshot_id;
    table->table_id = table_id;
    table->schema_name = schema;
    table->name = def->name;
    table->data_path = def->data_path;
    table->column_count = def->column_count;
    table->columns = columns;
    table->check_count = def->check_count;
    table->checks = checks;
    return table;
}

tn_table *tn_table_open(tn_catalog *catalog, const char *lake_dir, int64_t snapshot_id,
                        const char *schema, const char *name, tn_arena *arena, tn_error *err)
{
    tn_catalog_table *def = tn_catalog_table_lookup(catalog, snapshot_id, schema ? schema : "main",
                                                    name, arena, err);
    if (def == NULL)
        return NULL;
    tn_table *table = tn_table_from_definition(catalog, lake_dir, snapshot_id, def->schema_name, def,
                                               def->id, arena, err);
    if (table == NULL)
        return NULL;
    tn_catalog_table_stats stats;
    if (tn_catalog_table_stats_get(catalog, def->id, arena, &stats, err) != 0)
        return NULL;
    table->row_count = stats.record_count;
    return table;
}

int tn_table_column_index(const tn_table *table, const char *name)
{
    for (int i = 0; i < table->column_count; i++) {
        if (strcmp(table->columns[i].name, name) == 0)
            return i;
    }
    return -1;
}

/* ---- scans ---- */

static void close_reader(void *reader)
{
    tn_parquet_reader_close(reader);
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads the positions a delete file lists, sorted. */
static int read_deleted_positions(tn_table *table, const tn_catalog_delete_file *file,
                                  tn_arena *arena, int64_t **out, int64_t *count, tn_error *err)
{
    char *path = lake_path(arena, table->lake_dir, file->path);
    if (path == NULL)
        return tn_error_oom(err);
    tn_parquet_reader *reader = tn_parquet_reader_open(path, err);
    if (reader == NULL)
        return -1;
    int rc = -1;
    int64_t total = tn_parquet_reader_row_count(reader);
    int64_t *positions = tn_arena_alloc(arena, sizeof(int64_t) * (size_t)(total + 1));
    tn_type type = tn_type_make(TN_TYPE_INT64);
    tn_chunk *chunk = tn_chunk_create(&type, 1);
    int pos_column = -1;
    for (int i = 0; i < tn_parquet_reader_column_count(reader); i++) {
        if (strcmp(tn_parquet_reader_column(reader, i)->name, "pos") == 0)
            pos_column = i;
    }
    if (positions == NULL || chunk == NULL) {
        tn_error_oom(err);
        goto done;
    }
    if (pos_column < 0 || tn_parquet_reader_column(reader, pos_column)->type.id != TN_TYPE_INT64) {
        tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                     "delete file \"%s\" has no BIGINT column \"pos\"", path);
        goto done;
    }
    int64_t n = 0;
    for (int group = 0; group < tn_parquet_reader_row_group_count(reader); group++) {
        tn_parquet_scan *scan = tn_parquet_scan_open(reader, group, &pos_column, 1, err);
        if (scan == NULL)
            goto done;
        int rows;
        while ((rows = tn_parquet_scan_next(scan, chunk, err)) > 0) {
            const int64_t *values = chunk->columns[0].data;
            for (int row = 0; row < rows && n < total; row++)
                positions[n++] = values[chunk->columns[0].is_constant ? 0 : row];
        }
        tn_parquet_scan_close(scan);
        if (rows < 0)
            goto done;
    }
    qsort(positions, (size_t)n, sizeof(int64_t), compare_int64);
    *out = positions;
    *count = n;
    rc = 0;
done:
    tn_chunk_destroy(chunk);
    tn_parquet_reader_close(reader);
    return rc;
}

int tn_table_morsels(tn_table *table, tn_arena *arena, tn_table_morsel ***out, int *count,
                     tn_error *err)
{
    return tn_table_morsels_of(table, NULL, NULL, arena, out, count, err);
}

int tn_table_morsels_of(tn_table *table, bool (*keep)(const tn_catalog_data_file *file, void *arg),
                        void *arg, tn_arena *arena, tn_table_morsel ***out, int *count, tn_error *err)
{
    tn_catalog_data_file *files;
    int file_count;
    if (tn_catalog_data_file_list(table->catalog, table->snapshot_id, table->table_id, arena,
                                  &files, &file_count, err) != 0)
        return -1;
    int capacity = file_count + 4, n = 0;
    tn_table_morsel **morsels = tn_arena_alloc(arena, sizeof(tn_table_morsel *) * (size_t)capacity);
    if (morsels == NULL)
        return tn_error_oom(err);
    for (int f = 0; f < file_count; f++) {
        if (keep != NULL && !keep(&files[f], arg))
            continue;
        int64_t *deleted = NULL, deleted_count = 0;
        if (files[f].delete_file != NULL &&
            read_deleted_positions(table, files[f].delete_file, arena, &deleted, &deleted_count, err) != 0)
            return -1;
        if (deleted_count >= files[f].record_count)
            continue; /* every row deleted: nothing to open */
        char *path = lake_path(arena, table->lake_dir, files[f].path);
        if (path == NULL)
            return tn_error_oom(err);
        tn_parquet_reader *reader = tn_parquet_reader_open(path, err);
        if (reader == NULL)
            return -1;
        if (tn_arena_on_cleanup(arena, close_reader, reader) != 0) {
            tn_parquet_reader_close(reader);
            return tn_error_oom(err);
        }
        int64_t position = 0;
        for (int group = 0; group < tn_parquet_reader_row_group_count(reader); group++) {
            if (n == capacity) {
                morsels = tn_arena_realloc(arena, morsels, sizeof(tn_table_morsel *) * (size_t)capacity,
                                           sizeof(tn_table_morsel *) * (size_t)capacity * 2);
                capacity *= 2;
                if (morsels == NULL)
                    return tn_error_oom(err);
            }
            tn_table_morsel *morsel = tn_arena_zalloc(arena, sizeof(tn_table_morsel));
            if (morsel == NULL)
                return tn_error_oom(err);
            morsel->file = &files[f];
            morsel->reader = reader;
            morsel->row_group = group;
            morsel->first_position = position;
            morsel->row_count = tn_parquet_reader_row_group_rows(reader, group);
            morsel->deleted = deleted;
            morsel->deleted_count = deleted_count;
            position += morsel->row_count;
            morsels[n++] = morsel;
        }
    }
    *out = morsels;
    *count = n;
    return 0;
}

/* The Parquet column holding a table column: by field id, else by name. */
static int find_parquet_column(tn_parquet_reader *reader, const tn_table_column *column)
{
    int by_name = -1;
    for (int i = 0; i < tn_parquet_reader_column_count(reader); i++) {
        const tn_parquet_column *pc = tn_parquet_reader_column(reader, i);
        if (pc->field_id >= 0 && pc->field_id == column->column_id)
            return i;
        if (strcmp(pc->name, column->name) == 0)
            by_name = i;
    }
    return by_name;
}

tn_table_scan *tn_table_scan_open(tn_table *table, tn_table_morsel *morsel, const int *columns,
                                  int column_count, tn_arena *arena, tn_error *err)
{
    tn_table_scan *scan = tn_arena_zalloc(arena, sizeof(tn_table_scan));
    int *parquet_columns = tn_arena_alloc(arena, sizeof(int) * (size_t)(column_count + 1));
    if (scan == NULL || parquet_columns == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    scan->parquet_slots = tn_arena_alloc(arena, sizeof(int) * (size_t)(column_count + 1));
    scan->parquet_vectors = tn_arena_alloc(arena, sizeof(tn_vector) * (size_t)(column_count + 1));
    scan->sel = tn_arena_alloc(arena, sizeof(uint32_t) * TN_VECTOR_SIZE);
    if (scan->parquet_slots == NULL || scan->parquet_vectors == NULL || scan->sel == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    scan->morsel = morsel;
    scan->columns = columns;
    scan->column_count = column_count;
    scan->position = morsel->first_position;
    scan->end = morsel->first_position + morsel->row_count;
    for (int i = 0; i < column_count; i++) {
        if (columns[i] == TN_ROW_ID_COLUMN)
            continue;
        const tn_table_column *column = &table->columns[columns[i]];
        int index = find_parquet_column(morsel->reader, column);
        if (index < 0) {
            tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                         "data file \"%s\" of table \"%s\" has no column \"%s\"",
                         morsel->file->path, table->name, column->name);
            return NULL;
        }
        parquet_columns[scan->parquet_count] = index;
        scan->parquet_slots[scan->parquet_count++] = i;
    }
    if (scan->parquet_count > 0) {
        scan->scan = tn_parquet_scan_open(morsel->reader, morsel->row_group, parquet_columns,
                                          scan->parquet_count, err);
        if (scan->scan == NULL)
            return NULL;
        if (tn_arena_on_cleanup(arena, (void (*)(void *))tn_parquet_scan_close, scan->scan) != 0) {
            tn_parquet_scan_close(scan->scan);
            tn_error_oom(err);
            return NULL;
        }
    }
    return scan;
}

/* Writes to sel the rows of [first, first+count) that are not deleted;
 * returns how many. */
static int skip_deleted(const tn_table_morsel *morsel, int64_t first, uint32_t count,
                        uint32_t *sel)
{
    const int64_t *deleted = morsel->deleted;
    int64_t lo = 0, hi = morsel->deleted_count;
    while (lo < hi) { /* first deleted position >= first */
        int64_t mid = lo + (hi - lo) / 2;
        if (deleted[mid] < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t kept = 0;
    for (uint32_t row = 0; row < count; row++) {
        if (lo < morsel->deleted_count && deleted[lo] == first + row) {
            lo++;
            continue;
        }
        sel[kept++] = row;
    }
    return (int)kept;
}

int tn_table_scan_next(tn_table_scan *scan, tn_chunk *out, tn_error *err)
{
    for (;;) {
        if (scan->position >= scan->end)
            return 0;
        tn_chunk_reset(out);
        uint32_t rows;
        if (scan->scan != NULL) {
            /* Read straight into out's vectors through a view chunk. */
            for (int i = 0; i < scan->parquet_count; i++)
                scan->parquet_vectors[i] = out->columns[scan->parquet_slots[i]];
            tn_chunk view = {scan->parquet_count, scan->parquet_vectors, 0, out->arena, out->heap};
            int n = tn_parquet_scan_next(scan->scan, &view, err);
            if (n < 0)
                return -1;
            if (n == 0) {
                return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                                    "data file \"%s\" ended before its row group's row count",
                                    scan->morsel->file->path);
            }
            for (int i = 0; i < scan->parquet_count; i++)
                out->columns[scan->parquet_slots[i]] = scan->parquet_vectors[i];
            rows = (uint32_t)n;
        } else {
            int64_t left = scan->end - scan->position;
            rows = left < TN_VECTOR_SIZE ? (uint32_t)left : TN_VECTOR_SIZE;
        }
        int64_t first = scan->position;
        scan->position += rows;
        for (int i = 0; i < scan->column_count; i++) {
            if (scan->columns[i] != TN_ROW_ID_COLUMN)
                continue;
            int64_t *ids = out->columns[i].data;
            int64_t base = scan->morsel->file->row_id_start + first;
            for (uint32_t row = 0; row < rows; row++)
                ids[row] = base + row;
        }
        out->count = rows;
        if (scan->morsel->deleted_count > 0) {
            int kept = skip_deleted(scan->morsel, first, rows, scan->sel);
            if ((uint32_t)kept != rows)
                tn_chunk_select(out, scan->sel, (uint32_t)kept);
        }
        if (out->count > 0)
            return (int)out->count;
    }
}

/* ---- writes ---- */

tn_table_writer *tn_table_writer_open(tn_table *table, tn_catalog_txn *txn, tn_arena *arena,
                                      tn_error *err)
{
    tn_table_writer *writer = tn_arena_zalloc(arena, sizeof(tn_table_writer));
    tn_parquet_column *columns = tn_arena_zalloc(arena, sizeof(tn_parquet_column) * (size_t)(table->column_count + 1));
    if (writer == NULL || columns == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int i = 0; i < table->column_count; i++) {
        columns[i].name = table->columns[i].name;
        columns[i].type = table->columns[i].type;
        columns[i].is_nullable = table->columns[i].is_nullable;
        columns[i].field_id = (int32_t)table->columns[i].column_id;
    }
    writer->table = table;
    writer->txn = txn;
    writer->arena = arena;
    writer->columns = columns;
    if (tn_arena_on_cleanup(arena, abort_open_file, writer) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    return writer;
}

/* An error before finish leaves no partial file behind. */
static void abort_open_file(void *arg)
{
    tn_table_writer *writer = arg;
    if (writer->parquet != NULL)
        tn_parquet_writer_abort(writer->parquet);
    writer->parquet = NULL;
}

/* The largest scale among the valid rows of an unconstrained numeric
 * column (its own type's scale when the vector has no per-row scales). */
static int max_numeric_scale(const tn_vector *v, uint32_t count)
{
    int scale = v->type.scale;
    for (uint32_t row = 0; v->scales != NULL && row < (v->is_constant ? 1 : count); row++) {
        if (tn_vector_is_valid(v, row) && v->scales[row] > scale)
            scale = v->scales[row];
    }
    return scale;
}

/* Unconstrained numeric columns are stored as DECIMAL(38, s) with s the
 * largest scale in the file (Parquet has one scale per column).  Rows
 * needing a larger scale than the open file's close it; the next file
 * starts at their scale.  Values read back at the file's scale. */
static int fit_numeric_scales(tn_table_writer *writer, const tn_chunk *rows, tn_error *err)
{
    bool wider = false;
    for (int i = 0; i < writer->table->column_count; i++) {
        tn_parquet_column *column = &writer->columns[i];
        if (column->type.id == TN_TYPE_NUMERIC && column->type.precision == 0)
            wider |= max_numeric_scale(&rows->columns[i], rows->count) > column->type.scale;
    }
    if (!wider)
        return 0;
    if (writer->parquet != NULL && finish_file(writer, err) != 0)
        return -1;
    for (int i = 0; i < writer->table->column_count; i++) {
        tn_parquet_column *column = &writer->columns[i];
        if (column->type.id == TN_TYPE_NUMERIC && column->type.precision == 0)
            column->type.scale = (int16_t)max_numeric_scale(&rows->columns[i], rows->count);
    }
    return 0;
}

int tn_table_writer_append(tn_table_writer *writer, const tn_chunk *rows, tn_error *err)
{
    if (rows->count == 0)
        return 0;
    if (fit_numeric_scales(writer, rows, err) != 0)
        return -1;
    if (writer->parquet == NULL) {
        tn_table *table = writer->table;
        writer->path = tn_catalog_path_new_file(writer->arena, table->schema_name, table->name,
                                                false, err);
        if (writer->path == NULL)
            return -1;
        char *path = lake_path(writer->arena, table->lake_dir, writer->path);
        if (path == NULL)
            return tn_error_oom(err);
        if (make_dirs(path, err) != 0)
            return -1;
        tn_parquet_options options;
        tn_parquet_options_default(&options);
        writer->parquet = tn_parquet_writer_open(path, writer->columns, table->column_count,
                                                 &options, err);
        if (writer->parquet == NULL)
            return -1;
        writer->file_rows = 0;
    }
    if (tn_parquet_writer_write(writer->parquet, rows, err) != 0)
        return -1;
    writer->file_rows += rows->count;
    writer->total_rows += rows->count;
    if (writer->file_rows >= TABLE_FILE_ROWS)
        return finish_file(writer, err);
    return 0;
}

/* The DuckLake text of a statistics bound. */
static char *format_bound(tn_arena *arena, const tn_value *value)
{
    char buf[TN_FORMAT_SIZE];
    size_t length;
    tn_timezone utc = tn_timezone_utc();
    const char *text = tn_format_value(value, &utc, buf, &length);
    return text != NULL ? tn_arena_strndup(arena, text, length) : NULL;
}

/* Closes the open file and records it in the transaction. */
static int finish_file(tn_table_writer *writer, tn_error *err)
{
    tn_parquet_writer *parquet = writer->parquet;
    writer->parquet = NULL; /* close owns it now, whatever happens */
    tn_parquet_file_info info;
    memset(&info, 0, sizeof info);
    if (tn_parquet_writer_close(parquet, &info, err) != 0)
        return -1;
    int rc = -1;
    tn_table *table = writer->table;
    tn_catalog_column_stats *stats = tn_arena_zalloc(writer->arena,
        sizeof(tn_catalog_column_stats) * (size_t)(info.column_count + 1));
    if (stats == NULL) {
        tn_error_oom(err);
        goto done;
    }
    for (int i = 0; i < info.column_count; i++) {
        const tn_parquet_column_stats *cs = &info.columns[i];
        stats[i].column_id = table->columns[i].column_id;
        stats[i].null_count = cs->has_null_count ? cs->null_count : -1;
        stats[i].value_count = info.row_count;
        stats[i].column_size_bytes = -1;
        if (cs->has_min_max) {
            stats[i].min_value = format_bound(writer->arena, &cs->min);
            stats[i].max_value = format_bound(writer->arena, &cs->max);
            if (stats[i].min_value == NULL || stats[i].max_value == NULL) {
                tn_error_oom(err);
                goto done;
            }
        }
    }
    tn_catalog_data_file file;
    memset(&file, 0, sizeof file);
    file.path = writer->path;
    file.record_count = info.row_count;
    file.file_size_bytes = info.file_size;
    file.footer_size = info.footer_size;
    file.stats_count = info.column_count;
    file.stats = stats;
    rc = tn_catalog_txn_add_data_file(writer->txn, table->table_id, &file, NULL, err);
done:
    tn_parquet_file_info_free(&info);
    return rc;
}

int tn_table_writer_finish(tn_table_writer *writer, int64_t *rows_written, tn_error *err)
{
    if (writer->parquet != NULL && finish_file(writer, err) != 0)
        return -1;
    if (rows_written != NULL)
        *rows_written = writer->total_rows;
    return 0;
}

/* ---- deletes ---- */

/* Writes a delete file listing positions (sorted) of file and makes it the
 * file's delete file in txn. */
static int write_delete_file(tn_table *table, tn_catalog_txn *txn, const tn_catalog_data_file *file,
                             const int64_t *positions, int64_t count, tn_arena *arena,
                             tn_error *err)
{
    static const tn_parquet_column columns[2] = {
        {"file_path", {TN_TYPE_TEXT, 0, 0}, false, -1},
        {"pos", {TN_TYPE_INT64, 0, 0}, false, -1},
    };
    const char *relative = tn_catalog_path_new_file(arena, table->schema_name, table->name, true, err);
    if (relative == NULL)
        return -1;
    char *path = lake_path(arena, table->lake_dir, relative);
    if (path == NULL)
        return tn_error_oom(err);
    if (make_dirs(path, err) != 0)
        return -1;
    tn_parquet_options options;
    tn_parquet_options_default(&options);
    tn_parquet_writer *writer = tn_parquet_writer_open(path, columns, 2, &options, err);
    if (writer == NULL)
        return -1;
    tn_type types[2] = {columns[0].type, columns[1].type};
    tn_chunk *chunk = tn_chunk_create(types, 2);
    if (chunk == NULL) {
        tn_parquet_writer_abort(writer);
        return tn_error_oom(err);
    }
    /* The data file's path is the same on every row: a constant vector. */
    if (tn_vector_set_string(&chunk->columns[0], 0, file->path, (uint32_t)strlen(file->path)) != 0)
        goto oom;
    for (int64_t done = 0; done < count;) {
        uint32_t rows = count - done < TN_VECTOR_SIZE ? (uint32_t)(count - done) : TN_VECTOR_SIZE;
        chunk->columns[0].is_constant = true;
        memcpy(chunk->columns[1].data, positions + done, sizeof(int64_t) * rows);
        chunk->count = rows;
        if (tn_parquet_writer_write(writer, chunk, err) != 0) {
            tn_parquet_writer_abort(writer);
            tn_chunk_destroy(chunk);
            return -1;
        }
        done += rows;
    }
    tn_chunk_destroy(chunk);
    tn_parquet_file_info info;
    memset(&info, 0, sizeof info);
    if (tn_parquet_writer_close(writer, &info, err) != 0)
        return -1;
    tn_catalog_delete_file delete_file;
    memset(&delete_file, 0, sizeof delete_file);
    delete_file.path = relative;
    delete_file.delete_count = count;
    delete_file.file_size_bytes = info.file_size;
    delete_file.footer_size = info.footer_size;
    tn_parquet_file_info_free(&info);
    return tn_catalog_txn_set_delete_file(txn, table->table_id, file->id, &delete_file, err);
oom:
    tn_parquet_writer_abort(writer);
    tn_chunk_destroy(chunk);
    return tn_error_oom(err);
}

int tn_table_delete(tn_table *table, tn_catalog_txn *txn, const int64_t *row_ids, int64_t count,
                    int64_t *deleted, tn_arena *arena, tn_error *err)
{
    *deleted = 0;
    if (count == 0)
        return 0;
    int64_t *ids = tn_arena_alloc(arena, sizeof(int64_t) * (size_t)count);
    if (ids == NULL)
        return tn_error_oom(err);
    memcpy(ids, row_ids, sizeof(int64_t) * (size_t)count);
    qsort(ids, (size_t)count, sizeof(int64_t), compare_int64);
    tn_catalog_data_file *files;
    int file_count;
    if (tn_catalog_data_file_list(table->catalog, table->snapshot_id, table->table_id, arena,
                                  &files, &file_count, err) != 0)
        return -1;
    int64_t next = 0;
    for (int f = 0; f < file_count && next < count; f++) {
        const tn_catalog_data_file *file = &files[f];
        int64_t start = file->row_id_start, end = start + file->record_count;
        int64_t first = next;
        while (first < count && ids[first] < start)
            first++;
        int64_t last = first;
        while (last < count && ids[last] < end)
            last++;
        next = last;
        if (last == first)
            continue;
        int64_t *old = NULL, old_count = 0;
        if (file->delete_file != NULL &&
            read_deleted_positions(table, file->delete_file, arena, &old, &old_count, err) != 0)
            return -1;
        /* Merge the old positions with the new ones, dropping repeats. */
        int64_t *merged = tn_arena_alloc(arena, sizeof(int64_t) * (size_t)(old_count + last - first));
        if (merged == NULL)
            return tn_error_oom(err);
        int64_t n = 0, i = 0, j = first;
        while (i < old_count || j < last) {
            int64_t value;
            if (j >= last || (i < old_count && old[i] <= ids[j] - start)) {
                value = old[i++];
            } else {
                value = ids[j++] - start;
                if (n == 0 || merged[n - 1] != value)
                    (*deleted)++;
            }
            if (n == 0 || merged[n - 1] != value)
                merged[n++] = value;
        }
        if (n == old_count)
            continue; /* every row was deleted already */
        if (write_delete_file(table, txn, file, merged, n, arena, err) != 0)
            return -1;
    }
    return 0;
}
