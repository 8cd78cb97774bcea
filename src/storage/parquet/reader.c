/*
 * Opening a Parquet file: check the magics and the footer length against
 * the file size, parse FileMetaData, check that the schema is flat and the
 * row groups agree with it, and map each leaf's physical / logical /
 * converted type to a tarn type.  Row-group statistics are decoded on
 * request.  Reading pages is scan.c's job.
 *
 * Mapping (logical type first, converted type when there is none):
 *   BOOLEAN -> BOOL;  FLOAT -> FLOAT32;  DOUBLE -> FLOAT64
 *   INT32: INT(8|16,signed) -> INT16, UINT(8|16) -> INT32, UINT32 -> INT64,
 *          DATE -> DATE, DECIMAL -> NUMERIC, else INT32
 *   INT64: TIMESTAMP(utc, unit) -> TIMESTAMPTZ / TIMESTAMP (to micros),
 *          UINT64 -> NUMERIC(20,0), DECIMAL -> NUMERIC, else INT64
 *   INT96 -> TIMESTAMP;  BYTE_ARRAY: DECIMAL -> NUMERIC, else TEXT
 *   FIXED_LEN_BYTE_ARRAY: DECIMAL -> NUMERIC
 * TIME, FLOAT16, UUID and other FIXED_LEN_BYTE_ARRAY columns have no tarn
 * type: they are listed with type NULL and cannot be scanned.
 */
#include "storage/parquet/parquet_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *map_decimal(const pq_schema_element *e, tn_type *type);
static const char *map_column(const pq_schema_element *e, tn_type *type, pq_physical *physical);
static int check_schema(tn_parquet_reader *reader, tn_error *err);

int tn_pq_reader_corrupt(const tn_parquet_reader *reader, tn_error *err, const char *fmt, ...)
{
    char defect[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(defect, sizeof defect, fmt, ap);
    va_end(ap);
    return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "could not read parquet file \"%s\": %s",
                        reader->path, defect);
}

int tn_pq_reader_read(const tn_parquet_reader *reader, void *buf, size_t size, int64_t offset, tn_error *err)
{
    char *p = buf;
    while (size > 0) {
        ssize_t n = pread(reader->fd, p, size, offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not read file \"%s\": %s", reader->path,
                                strerror(errno));
        if (n == 0)
            return tn_pq_reader_corrupt(reader, err, "file ends at offset %lld", (long long)offset);
        p += n;
        size -= (size_t)n;
        offset += n;
    }
    return 0;
}

static const char *map_decimal(const pq_schema_element *e, tn_type *type)
{
    int32_t precision = e->logical.kind == PQ_LOGICAL_DECIMAL ? e->logical.precision : e->precision;
    int32_t scale = e->logical.kind == PQ_LOGICAL_DECIMAL ? e->logical.scale : e->scale;
    if (precision < 1 || precision > TN_NUMERIC_MAX_PRECISION || scale < 0 || scale > precision)
        return "decimal precision above 38";
    *type = tn_type_numeric(precision, scale);
    return NULL;
}

/* Returns NULL when the column maps, else why it does not. */
static const char *map_column(const pq_schema_element *e, tn_type *type, pq_physical *physical)
{
    int logical = e->logical.kind, converted = e->converted_type;
    memset(physical, 0, sizeof *physical);
    physical->type = e->type;
    physical->type_length = e->type_length;
    *type = tn_type_make(TN_TYPE_NULL);
    if (logical == PQ_LOGICAL_DECIMAL || (logical == PQ_LOGICAL_NONE && converted == PQ_CONV_DECIMAL)) {
        if (e->type == PQ_BOOLEAN || e->type == PQ_INT96 || e->type == PQ_FLOAT || e->type == PQ_DOUBLE)
            return "decimal stored in a non-integer type";
        return map_decimal(e, type);
    }
    if (logical == PQ_LOGICAL_TIME || (logical == PQ_LOGICAL_NONE && (converted == 7 || converted == 8)))
        return "time of day";
    if (logical == PQ_LOGICAL_FLOAT16)
        return "float16";
    switch (e->type) {
    case PQ_BOOLEAN: *type = tn_type_make(TN_TYPE_BOOL); return NULL;
    case PQ_FLOAT: *type = tn_type_make(TN_TYPE_FLOAT32); return NULL;
    case PQ_DOUBLE: *type = tn_type_make(TN_TYPE_FLOAT64); return NULL;
    case PQ_INT96: physical->time_unit = PQ_UNIT_NANOS; *type = tn_type_make(TN_TYPE_TIMESTAMP); return NULL;
    case PQ_BYTE_ARRAY: *type = tn_type_make(TN_TYPE_TEXT); return NULL;
    case PQ_FIXED_LEN_BYTE_ARRAY: return "fixed-length byte array";
    case PQ_INT32: {
        int width = logical == PQ_LOGICAL_INTEGER ? e->logical.bit_width : 32;
        bool is_signed = logical == PQ_LOGICAL_INTEGER ? e->logical.is_signed : true;
        if (logical == PQ_LOGICAL_NONE && converted >= PQ_CONV_UINT_8 && converted <= PQ_CONV_INT_32) {
            static const int widths[] = {8, 16, 32, 64, 8, 16, 32};
            width = widths[converted - PQ_CONV_UINT_8];
            is_signed = converted >= PQ_CONV_INT_8;
        }
        if (logical == PQ_LOGICAL_DATE || (logical == PQ_LOGICAL_NONE && converted == PQ_CONV_DATE))
            *type = tn_type_make(TN_TYPE_DATE);
        else if (is_signed && width <= 16)
            *type = tn_type_make(TN_TYPE_INT16);
        else if (!is_signed && width >= 32)
            *type = tn_type_make(TN_TYPE_INT64), physical->is_unsigned = true;
        else
            *type = tn_type_make(TN_TYPE_INT32);
        return NULL;
    }
    case PQ_INT64:
        if (logical == PQ_LOGICAL_TIMESTAMP) {
            physical->time_unit = e->logical.unit;
            *type = tn_type_make(e->logical.is_utc ? TN_TYPE_TIMESTAMPTZ : TN_TYPE_TIMESTAMP);
            return e->logical.unit >= PQ_UNIT_MILLIS && e->logical.unit <= PQ_UNIT_NANOS ? NULL : "timestamp unit";
        }
        if (logical == PQ_LOGICAL_NONE && (converted == PQ_CONV_TIMESTAMP_MILLIS || converted == PQ_CONV_TIMESTAMP_MICROS)) {
            /* Converted timestamps are UTC-adjusted by definition. */
            physical->time_unit = converted == PQ_CONV_TIMESTAMP_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS;
            *type = tn_type_make(TN_TYPE_TIMESTAMPTZ);
            return NULL;
        }
        if ((logical == PQ_LOGICAL_INTEGER && !e->logical.is_signed) ||
            (logical == PQ_LOGICAL_NONE && converted == PQ_CONV_UINT_64)) {
            physical->is_unsigned = true;
            *type = tn_type_numeric(20, 0);
            return NULL;
        }
        *type = tn_type_make(TN_TYPE_INT64);
        return NULL;
    default: return "unknown physical type";
    }
}

static int check_schema(tn_parquet_reader *reader, tn_error *err)
{
    const pq_file_meta *meta = &reader->meta;
    if (meta->has_encryption)
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                            "encrypted parquet file \"%s\" is not supported", reader->path);
    if (meta->schema_count < 1)
        return tn_pq_reader_corrupt(reader, err, "schema is empty");
    int leaves = meta->schema_count - 1;
    if (meta->schema[0].num_children != leaves) {
        for (int i = 1; i < meta->schema_count; i++) {
            if (meta->schema[i].num_children > 0 || meta->schema[i].type < 0)
                return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                                    "nested column \"%s\" in parquet file \"%s\" is not supported",
                                    meta->schema[i].name, reader->path);
        }
        return tn_pq_reader_corrupt(reader, err, "schema root has %d children, expected %d",
                                    meta->schema[0].num_children, leaves);
    }
    reader->column_count = leaves;
    reader->columns = tn_arena_zalloc(reader->arena, sizeof(tn_parquet_column) * (size_t)(leaves + 1));
    reader->physical = tn_arena_zalloc(reader->arena, sizeof(pq_physical) * (size_t)(leaves + 1));
    reader->unsupported = tn_arena_zalloc(reader->arena, sizeof(char *) * (size_t)(leaves + 1));
    if (reader->columns == NULL || reader->physical == NULL || reader->unsupported == NULL)
        return tn_error_oom(err);
    for (int i = 0; i < leaves; i++) {
        const pq_schema_element *e = &meta->schema[i + 1];
        tn_parquet_column *column = &reader->columns[i];
        if (e->num_children > 0 || e->type < 0 || e->repetition == PQ_REPEATED)
            return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                                "nested column \"%s\" in parquet file \"%s\" is not supported", e->name,
                                reader->path);
        if (e->type > PQ_FIXED_LEN_BYTE_ARRAY)
            return tn_pq_reader_corrupt(reader, err, "column \"%s\" has unknown physical type %d", e->name, e->type);
        if (e->type == PQ_FIXED_LEN_BYTE_ARRAY && e->type_length <= 0)
            return tn_pq_reader_corrupt(reader, err, "column \"%s\" has invalid length %d", e->name, e->type_length);
        column->name = e->name;
        column->is_nullable = e->repetition != PQ_REQUIRED;
        column->field_id = e->has_field_id ? e->field_id : -1;
        reader->unsupported[i] = map_column(e, &column->type, &reader->physical[i]);
        if (reader->unsupported[i] != NULL)
            column->type = tn_type_make(TN_TYPE_NULL);
    }
    reader->row_count = 0;
    for (int g = 0; g < meta->row_group_count; g++) {
        const pq_row_group *group = &meta->row_groups[g];
        if (group->column_count != leaves)
            return tn_pq_reader_corrupt(reader, err, "row group %d has %d columns, the schema has %d", g,
                                        group->column_count, leaves);
        for (int c = 0; c < leaves; c++) {
            if (group->columns[c].type != meta->schema[c + 1].type)
                return tn_pq_reader_corrupt(reader, err, "row group %d column \"%s\" has the wrong physical type",
                                            g, reader->columns[c].name);
        }
        if (__builtin_add_overflow(reader->row_count, group->num_rows, &reader->row_count))
            return tn_pq_reader_corrupt(reader, err, "row counts overflow");
    }
    return 0;
}

tn_parquet_reader *tn_parquet_reader_open(const char *path, tn_error *err)
{
    tn_parquet_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    reader->fd = -1;
    reader->path = strdup(path);
    reader->arena = tn_arena_create();
    if (reader->path == NULL || reader->arena == NULL) {
        tn_error_oom(err);
        goto fail;
    }
    reader->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (reader->fd < 0 || fstat(reader->fd, &st) != 0) {
        tn_error_set(err, errno == ENOENT ? TN_ERR_UNDEFINED_FILE : TN_ERR_IO_ERROR, 0,
                     "could not open file \"%s\": %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        tn_error_set(err, TN_ERR_WRONG_OBJECT_TYPE, 0, "\"%s\" is not a file", path);
        goto fail;
    }
    reader->file_size = st.st_size;
    if (reader->file_size < 12) {
        tn_pq_reader_corrupt(reader, err, "file size %lld is too small for a parquet file",
                             (long long)reader->file_size);
        goto fail;
    }
    uint8_t head[4], tail[8];
    if (tn_pq_reader_read(reader, head, 4, 0, err) != 0 || tn_pq_reader_read(reader, tail, 8, reader->file_size - 8, err) != 0)
        goto fail;
    if (memcmp(tail + 4, "PARE", 4) == 0) {
        tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "encrypted parquet file \"%s\" is not supported", path);
        goto fail;
    }
    if (memcmp(head, "PAR1", 4) != 0 || memcmp(tail + 4, "PAR1", 4) != 0) {
        tn_pq_reader_corrupt(reader, err, "missing magic bytes \"PAR1\" at the %s of the file",
                             memcmp(head, "PAR1", 4) != 0 ? "start" : "end");
        goto fail;
    }
    uint32_t footer_size = pq_load_u32(tail);
    if ((int64_t)footer_size > reader->file_size - 12) {
        tn_pq_reader_corrupt(reader, err, "footer length %u exceeds file size %lld", footer_size,
                             (long long)reader->file_size);
        goto fail;
    }
    reader->footer_start = reader->file_size - 8 - footer_size;
    reader->footer = malloc(footer_size ? footer_size : 1);
    if (reader->footer == NULL) {
        tn_error_oom(err);
        goto fail;
    }
    if (tn_pq_reader_read(reader, reader->footer, footer_size, reader->footer_start, err) != 0)
        goto fail;
    const char *defect = NULL;
    if (tn_pq_file_meta_parse(reader->footer, footer_size, reader->arena, &reader->meta, &defect) != 0) {
        if (strcmp(defect, "out of memory") == 0)
            tn_error_oom(err);
        else if (strcmp(defect, "column is encrypted") == 0)
            tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "encrypted parquet file \"%s\" is not supported", path);
        else
            tn_pq_reader_corrupt(reader, err, "invalid footer: %s", defect);
        goto fail;
    }
    if (check_schema(reader, err) != 0)
        goto fail;
    return reader;
fail:
    tn_parquet_reader_close(reader);
    return NULL;
}

void tn_parquet_reader_close(tn_parquet_reader *reader)
{
    if (reader == NULL)
        return;
    if (reader->fd >= 0)
        close(reader->fd);
    tn_arena_destroy(reader->arena);
    free(reader->footer);
    free(reader->path);
    free(reader);
}

int tn_parquet_reader_column_count(const tn_parquet_reader *reader)
{
    return reader->column_count;
}

const tn_parquet_column *tn_parquet_reader_column(const tn_parquet_reader *reader, int column)
{
    return column >= 0 && column < reader->column_count ? &reader->columns[column] : NULL;
}

int64_t tn_parquet_reader_row_count(const tn_parquet_reader *reader)
{
    return reader->row_count;
}

int tn_parquet_reader_row_group_count(const tn_parquet_reader *reader)
{
    return reader->meta.row_group_count;
}

int64_t tn_parquet_reader_row_group_rows(const tn_parquet_reader *reader, int row_group)
{
    if (row_group < 0 || row_group >= reader->meta.row_group_count)
        return 0;
    return reader->meta.row_groups[row_group].num_rows;
}

const char *tn_parquet_reader_created_by(const tn_parquet_reader *reader)
{
    return reader->meta.created_by;
}

void tn_parquet_reader_column_stats(const tn_parquet_reader *reader, int row_group, int column,
                                    tn_parquet_column_stats *out)
{
    static const pq_statistics none;
    const pq_statistics *statistics = &none;
    tn_type type = tn_type_make(TN_TYPE_NULL);
    if (column >= 0 && column < reader->column_count) {
        type = reader->columns[column].type;
        if (row_group >= 0 && row_group < reader->meta.row_group_count) {
            const pq_column_meta *meta = &reader->meta.row_groups[row_group].columns[column];
            if (meta->has_statistics)
                statistics = &meta->statistics;
        }
    }
    pq_physical physical = column >= 0 && column < reader->column_count ? reader->physical[column]
                                                                        : (pq_physical){0};
    tn_pq_stats_decode(statistics, &physical, type, out);
}
