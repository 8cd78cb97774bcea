/*
 * The Parquet writer: chunks in, one file out.
 *
 * Rows are cut into row groups (row_group_rows / row_group_bytes) and,
 * within a row group, each column into v1 data pages (page_rows /
 * page_bytes).  A column chunk is buffered in memory until its row group
 * ends, because its dictionary page must precede its data pages and the
 * dictionary is only complete by then.
 *
 * Dictionary encoding, per column chunk:
 *   active --(first page: dictionary form not smaller than PLAIN)--> off
 *   active --(dictionary past dictionary_bytes)--> fallen back: the
 *            dictionary keeps the entries earlier pages used, later pages
 *            are PLAIN (both encodings are listed in the chunk metadata)
 * While active, every value is kept both as an index and as PLAIN bytes,
 * so a page can still be written PLAIN when the dictionary stops paying.
 *
 * The footer model (row groups, column metadata, encoded statistics) lives
 * in the writer's arena until close writes it, fsyncs and closes the file.
 */
#include "storage/parquet/parquet_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "types/numeric.h"

typedef struct column_writer {
    tn_parquet_column column;    /* name copied into the writer's arena */
    pq_physical physical;
    tn_int128 numeric_limit;     /* NUMERIC: largest magnitude the precision allows */
    /* current page */
    tn_buf values;               /* PLAIN bytes of its non-null values (BOOL: a byte each) */
    uint32_t *indices;           /* dictionary index per non-null value (malloc'd) */
    uint32_t *levels;            /* definition level per row (malloc'd, page_rows long) */
    uint32_t page_rows;
    uint32_t page_values;        /* non-null values */
    /* dictionary of the current column chunk */
    bool dict_active;
    bool dict_used;              /* some data page of this chunk refers to it */
    tn_buf dict_plain;           /* PLAIN entries, as the dictionary page holds them */
    uint32_t *dict_offsets;      /* entry -> offset of its value bytes in dict_plain */
    uint32_t *dict_lengths;
    uint32_t dict_count, dict_capacity;
    uint32_t *slots;             /* hash slots: entry + 1, 0 = empty */
    uint32_t slot_count;         /* power of two */
    uint32_t dict_count_used;    /* entries referenced by pages written so far */
    size_t dict_bytes_used;
    /* current column chunk */
    tn_buf pages;                /* data pages (headers + compressed bodies) */
    int64_t chunk_uncompressed;  /* page headers + uncompressed bodies */
    bool has_plain_page;
    pq_stats chunk_stats;
    pq_stats file_stats;
} column_writer;

struct tn_parquet_writer {
    char *path;                  /* malloc'd */
    tn_pq_codecs codecs;         /* compression state reused across pages */
    int fd;
    tn_parquet_options options;
    tn_arena *arena;             /* footer model, names, statistics bytes */
    int column_count;
    column_writer *columns;      /* malloc'd */
    pq_row_group *row_groups;    /* arena, grown by doubling */
    int row_group_count, row_group_capacity;
    int64_t group_rows;          /* rows in the row group being built */
    int64_t total_rows;
    int64_t offset;              /* bytes written to the file */
    bool failed;                 /* a write failed: columns may be uneven, only abort is safe */
    tn_buf scratch;              /* page body before compression */
    tn_buf compressed;
};

static int decimal_bytes(int precision);
static int physical_for(const tn_parquet_column *column, pq_physical *out, tn_error *err);
static void schema_for(const column_writer *cw, pq_schema_element *e);
static int write_all(tn_parquet_writer *w, const void *data, size_t size, tn_error *err);
static int dict_insert(column_writer *cw, const uint8_t *bytes, size_t length, uint32_t *index);
static void dict_clear(column_writer *cw, uint32_t keep);
static int append_value(tn_parquet_writer *w, column_writer *cw, const tn_vector *v, uint32_t row,
                        tn_error *err);
static int write_rows(tn_parquet_writer *w, const tn_chunk *chunk, tn_error *err);
static bool dictionary_pays(const column_writer *cw);
static int flush_page(tn_parquet_writer *w, column_writer *cw, tn_error *err);
static int emit_page(tn_parquet_writer *w, column_writer *cw, pq_page_header *h, tn_buf *into,
                     tn_error *err);
static int flush_row_group(tn_parquet_writer *w, tn_error *err);
static int flush_column_chunk(tn_parquet_writer *w, column_writer *cw, pq_column_meta *meta,
                              tn_error *err);
static int64_t group_bytes(const tn_parquet_writer *w);
static int write_footer(tn_parquet_writer *w, int64_t *footer_size, tn_error *err);
static int sync_directory(const char *path);
static void free_writer(tn_parquet_writer *w);

void tn_parquet_options_default(tn_parquet_options *options)
{
    memset(options, 0, sizeof *options);
    options->codec = TN_PARQUET_ZSTD;
    options->compression_level = 3;
    options->row_group_rows = 1048576;
    options->row_group_bytes = (int64_t)128 << 20;
    options->page_bytes = 1 << 20;
    options->page_rows = 20000;
    options->dictionary_bytes = 1 << 20;
    options->use_dictionary = true;
}

/* Smallest FIXED_LEN_BYTE_ARRAY width that holds every precision-digit value. */
static int decimal_bytes(int precision)
{
    unsigned __int128 limit = 1;
    for (int i = 0; i < precision; i++)
        limit *= 10;
    for (int bytes = 1; bytes < 16; bytes++) {
        if (limit - 1 <= ((unsigned __int128)1 << (8 * bytes - 1)) - 1)
            return bytes;
    }
    return 16;
}

static int physical_for(const tn_parquet_column *column, pq_physical *out, tn_error *err)
{
    memset(out, 0, sizeof *out);
    switch (column->type.id) {
    case TN_TYPE_BOOL: out->type = PQ_BOOLEAN; return 0;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: out->type = PQ_INT32; return 0;
    case TN_TYPE_INT64: out->type = PQ_INT64; return 0;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: out->type = PQ_INT64; out->time_unit = PQ_UNIT_MICROS; return 0;
    case TN_TYPE_FLOAT32: out->type = PQ_FLOAT; return 0;
    case TN_TYPE_FLOAT64: out->type = PQ_DOUBLE; return 0;
    case TN_TYPE_TEXT: out->type = PQ_BYTE_ARRAY; return 0;
    case TN_TYPE_NUMERIC: {
        /* Unconstrained numeric is stored at the widest precision. */
        int precision = column->type.precision > 0 ? column->type.precision : TN_NUMERIC_MAX_PRECISION;
        if (precision > TN_NUMERIC_MAX_PRECISION || column->type.scale < 0 || column->type.scale > precision)
            return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                                "cannot store numeric(%d,%d) in parquet", precision, column->type.scale);
        out->type = precision <= 9 ? PQ_INT32 : precision <= 18 ? PQ_INT64 : PQ_FIXED_LEN_BYTE_ARRAY;
        out->type_length = out->type == PQ_FIXED_LEN_BYTE_ARRAY ? decimal_bytes(precision) : 0;
        return 0;
    }
    default:
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                            "cannot store column \"%s\" of type %s in parquet", column->name,
                            tn_type_id_name(column->type.id));
    }
}

static void schema_for(const column_writer *cw, pq_schema_element *e)
{
    const tn_parquet_column *c = &cw->column;
    memset(e, 0, sizeof *e);
    e->type = cw->physical.type;
    e->type_length = cw->physical.type_length;
    e->repetition = c->is_nullable ? PQ_OPTIONAL : PQ_REQUIRED;
    e->name = c->name;
    e->num_children = -1;
    e->converted_type = -1;
    e->has_field_id = c->field_id >= 0;
    e->field_id = c->field_id;
    switch (c->type.id) {
    case TN_TYPE_INT16:
        e->converted_type = PQ_CONV_INT_16;
        e->logical = (pq_logical){.kind = PQ_LOGICAL_INTEGER, .bit_width = 16, .is_signed = true};
        break;
    case TN_TYPE_TEXT:
        e->converted_type = PQ_CONV_UTF8;
        e->logical.kind = PQ_LOGICAL_STRING;
        break;
    case TN_TYPE_DATE:
        e->converted_type = PQ_CONV_DATE;
        e->logical.kind = PQ_LOGICAL_DATE;
        break;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
        e->converted_type = PQ_CONV_TIMESTAMP_MICROS;
        e->logical = (pq_logical){.kind = PQ_LOGICAL_TIMESTAMP, .unit = PQ_UNIT_MICROS,
                                  .is_utc = c->type.id == TN_TYPE_TIMESTAMPTZ};
        break;
    case TN_TYPE_NUMERIC:
        e->converted_type = PQ_CONV_DECIMAL;
        e->precision = c->type.precision > 0 ? c->type.precision : TN_NUMERIC_MAX_PRECISION;
        e->scale = c->type.scale;
        e->logical = (pq_logical){.kind = PQ_LOGICAL_DECIMAL, .scale = e->scale, .precision = e->precision};
        break;
    default: break;
    }
}

tn_parquet_writer *tn_parquet_writer_open(const char *path, const tn_parquet_column *columns,
                                          int column_count, const tn_parquet_options *options,
                                          tn_error *err)
{
    tn_parquet_writer *w = calloc(1, sizeof *w);
    if (w == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    w->fd = -1;
    if (options != NULL)
        w->options = *options;
    else
        tn_parquet_options_default(&w->options);
    const char *codec = tn_pq_codec_name(w->options.codec);
    if (codec == NULL || (int)w->options.codec == PQ_CODEC_LZ4_HADOOP) {
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "unsupported parquet compression codec %d",
                     (int)w->options.codec);
        goto fail;
    }
    if (w->options.row_group_rows <= 0 || w->options.page_rows <= 0 || w->options.page_bytes <= 0 ||
        w->options.row_group_bytes <= 0 || column_count <= 0) {
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid parquet writer options");
        goto fail;
    }
    w->arena = tn_arena_create();
    w->path = strdup(path);
    w->columns = calloc((size_t)column_count, sizeof(column_writer));
    if (w->arena == NULL || w->path == NULL || w->columns == NULL) {
        tn_error_oom(err);
        goto fail;
    }
    w->column_count = column_count;
    for (int i = 0; i < column_count; i++) {
        column_writer *cw = &w->columns[i];
        cw->column = columns[i];
        cw->column.name = tn_arena_strdup(w->arena, columns[i].name);
        cw->levels = malloc(sizeof(uint32_t) * (size_t)w->options.page_rows);
        cw->indices = malloc(sizeof(uint32_t) * (size_t)w->options.page_rows);
        if (cw->column.name == NULL || cw->levels == NULL || cw->indices == NULL) {
            tn_error_oom(err);
            goto fail;
        }
        if (physical_for(&columns[i], &cw->physical, err) != 0)
            goto fail;
        cw->dict_active = w->options.use_dictionary && cw->physical.type != PQ_BOOLEAN;
        if (columns[i].type.id == TN_TYPE_NUMERIC) {
            /* precision means VARCHAR's length for text: only NUMERIC has digits */
            int digits = columns[i].type.precision > 0 ? columns[i].type.precision : TN_NUMERIC_MAX_PRECISION;
            cw->numeric_limit = 1;
            for (int digit = 0; digit < digits; digit++)
                cw->numeric_limit *= 10;
            cw->numeric_limit -= 1;
        }
        tn_pq_stats_init(&cw->chunk_stats, columns[i].type);
        tn_pq_stats_init(&cw->file_stats, columns[i].type);
    }
    tn_parquet_key_value *kv = tn_arena_zalloc(w->arena, sizeof *kv * (size_t)(w->options.key_value_count + 1));
    if (kv == NULL) {
        tn_error_oom(err);
        goto fail;
    }
    for (int i = 0; i < w->options.key_value_count; i++) {
        kv[i].key = tn_arena_strdup(w->arena, w->options.key_values[i].key);
        kv[i].value = w->options.key_values[i].value ? tn_arena_strdup(w->arena, w->options.key_values[i].value) : NULL;
    }
    w->options.key_values = kv;
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        tn_error_set(err, errno == ENOENT ? TN_ERR_UNDEFINED_FILE : TN_ERR_IO_ERROR, 0,
                     "could not create file \"%s\": %s", path, strerror(errno));
        goto fail;
    }
    if (write_all(w, "PAR1", 4, err) != 0) {
        tn_parquet_writer_abort(w);
        return NULL;
    }
    return w;
fail:
    free_writer(w);
    return NULL;
}

static void free_writer(tn_parquet_writer *w)
{
    if (w->fd >= 0)
        close(w->fd);
    for (int i = 0; w->columns != NULL && i < w->column_count; i++) {
        column_writer *cw = &w->columns[i];
        tn_buf_free(&cw->values);
        tn_buf_free(&cw->dict_plain);
        tn_buf_free(&cw->pages);
        free(cw->indices);
        free(cw->levels);
        free(cw->dict_offsets);
        free(cw->dict_lengths);
        free(cw->slots);
        tn_pq_stats_free(&cw->chunk_stats);
        tn_pq_stats_free(&cw->file_stats);
    }
    free(w->columns);
    tn_buf_free(&w->scratch);
    tn_pq_codecs_free(&w->codecs);
    tn_buf_free(&w->compressed);
    tn_arena_destroy(w->arena);
    free(w->path);
    free(w);
}

static int write_all(tn_parquet_writer *w, const void *data, size_t size, tn_error *err)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(w->fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return tn_error_set(err, errno == ENOSPC ? TN_ERR_DISK_FULL : TN_ERR_IO_ERROR, 0,
                                "could not write to file \"%s\": %s", w->path,
                                n < 0 ? strerror(errno) : "short write");
        p += n;
        size -= (size_t)n;
        w->offset += n;
    }
    return 0;
}

/* ---- dictionary ---- */

static int dict_insert(column_writer *cw, const uint8_t *bytes, size_t length, uint32_t *index)
{
    if (cw->dict_count * 2 >= cw->slot_count) {
        uint32_t count = cw->slot_count ? cw->slot_count * 2 : 1024;
        uint32_t *slots = calloc(count, sizeof(uint32_t));
        if (slots == NULL)
            return -1;
        for (uint32_t e = 0; e < cw->dict_count; e++) {
            const char *data = cw->dict_plain.data + cw->dict_offsets[e];
            uint32_t s = (uint32_t)XXH3_64bits(data, cw->dict_lengths[e]) & (count - 1);
            while (slots[s] != 0)
                s = (s + 1) & (count - 1);
            slots[s] = e + 1;
        }
        free(cw->slots);
        cw->slots = slots;
        cw->slot_count = count;
    }
    uint32_t s = (uint32_t)XXH3_64bits(bytes, length) & (cw->slot_count - 1);
    for (; cw->slots[s] != 0; s = (s + 1) & (cw->slot_count - 1)) {
        uint32_t e = cw->slots[s] - 1;
        if (cw->dict_lengths[e] == length && memcmp(cw->dict_plain.data + cw->dict_offsets[e], bytes, length) == 0) {
            *index = e;
            return 0;
        }
    }
    if (cw->dict_count == cw->dict_capacity) {
        uint32_t capacity = cw->dict_capacity ? cw->dict_capacity * 2 : 256;
        uint32_t *offsets = realloc(cw->dict_offsets, sizeof(uint32_t) * capacity);
        if (offsets == NULL)
            return -1;
        cw->dict_offsets = offsets;
        uint32_t *lengths = realloc(cw->dict_lengths, sizeof(uint32_t) * capacity);
        if (lengths == NULL)
            return -1;
        cw->dict_lengths = lengths;
        cw->dict_capacity = capacity;
    }
    if (cw->physical.type == PQ_BYTE_ARRAY) {
        uint8_t prefix[4];
        pq_store_u32(prefix, (uint32_t)length);
        if (tn_buf_append(&cw->dict_plain, prefix, 4) != 0)
            return -1;
    }
    size_t offset = cw->dict_plain.length;
    if (tn_buf_append(&cw->dict_plain, bytes, length) != 0)
        return -1;
    cw->dict_offsets[cw->dict_count] = (uint32_t)offset;
    cw->dict_lengths[cw->dict_count] = (uint32_t)length;
    cw->slots[s] = ++cw->dict_count;
    *index = cw->dict_count - 1;
    return 0;
}

/* Keeps the first keep entries (those written pages refer to). */
static void dict_clear(column_writer *cw, uint32_t keep)
{
    cw->dict_count = keep;
    cw->dict_plain.length = keep ? cw->dict_bytes_used : 0;
    free(cw->slots);
    cw->slots = NULL;
    cw->slot_count = 0;
}

/* ---- values ---- */

static int append_value(tn_parquet_writer *w, column_writer *cw, const tn_vector *v, uint32_t row,
                        tn_error *err)
{
    tn_value value;
    tn_vector_get_value(v, row, &value);
    /* an unconstrained numeric with fewer decimals than the file's scale */
    if (!value.is_null && value.type.id == TN_TYPE_NUMERIC && value.type.scale != cw->column.type.scale) {
        if (tn_numeric_rescale(value.u.numeric, value.type.scale, cw->column.type.scale, &value.u.numeric,
                               err) != 0)
            return -1;
        value.type.scale = cw->column.type.scale;
    }
    if (tn_pq_stats_update(&cw->chunk_stats, &value) != 0)
        return tn_error_oom(err);
    if (value.is_null) {
        if (!cw->column.is_nullable)
            return tn_error_set(err, TN_ERR_NOT_NULL_VIOLATION, 0,
                                "null value in column \"%s\" of parquet file \"%s\"", cw->column.name, w->path);
        cw->levels[cw->page_rows++] = 0;
        return 0;
    }
    if (value.type.id == TN_TYPE_NUMERIC && (value.u.numeric > cw->numeric_limit || value.u.numeric < -cw->numeric_limit))
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0,
                            "value of column \"%s\" exceeds numeric(%d,%d)", cw->column.name,
                            cw->column.type.precision, cw->column.type.scale);
    cw->levels[cw->page_rows++] = 1;
    uint8_t fixed[16];
    const uint8_t *bytes = fixed;
    size_t length;
    if (value.type.id == TN_TYPE_TEXT) {
        bytes = (const uint8_t *)tn_string_data(&value.u.string);
        length = value.u.string.length;
        uint8_t prefix[4];
        pq_store_u32(prefix, (uint32_t)length);
        if (tn_buf_append(&cw->values, prefix, 4) != 0)
            return tn_error_oom(err);
    } else {
        length = tn_pq_value_encode(&value, &cw->physical, fixed);
    }
    if (tn_buf_append(&cw->values, bytes, length) != 0)
        return tn_error_oom(err);
    if (cw->dict_active && dict_insert(cw, bytes, length, &cw->indices[cw->page_values]) != 0)
        return tn_error_oom(err);
    cw->page_values++;
    return 0;
}

int tn_parquet_writer_write(tn_parquet_writer *w, const tn_chunk *chunk, tn_error *err)
{
    if (w->failed)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "parquet file \"%s\" cannot be written after an error", w->path);
    if (write_rows(w, chunk, err) != 0) {
        w->failed = true;
        return -1;
    }
    return 0;
}

static int write_rows(tn_parquet_writer *w, const tn_chunk *chunk, tn_error *err)
{
    if (chunk->column_count != w->column_count)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "chunk has %d columns, parquet file \"%s\" has %d",
                            chunk->column_count, w->path, w->column_count);
    for (int c = 0; c < w->column_count; c++) {
        if (chunk->columns[c].type.id != w->columns[c].column.type.id)
            return tn_error_set(err, TN_ERR_DATATYPE_MISMATCH, 0, "column \"%s\" of parquet file \"%s\" is %s, not %s",
                                w->columns[c].column.name, w->path,
                                tn_type_id_name(w->columns[c].column.type.id),
                                tn_type_id_name(chunk->columns[c].type.id));
    }
    uint32_t row = 0;
    while (row < chunk->count) {
        int64_t room = w->options.row_group_rows - w->group_rows;
        uint32_t take = (int64_t)(chunk->count - row) < room ? chunk->count - row : (uint32_t)room;
        for (int c = 0; c < w->column_count; c++) {
            column_writer *cw = &w->columns[c];
            for (uint32_t r = row; r < row + take; r++) {
                if (append_value(w, cw, &chunk->columns[c], r, err) != 0)
                    return -1;
                if ((cw->page_rows >= (uint32_t)w->options.page_rows ||
                     (int64_t)cw->values.length >= w->options.page_bytes) && flush_page(w, cw, err) != 0)
                    return -1;
            }
        }
        row += take;
        w->group_rows += take;
        w->total_rows += take;
        if ((w->group_rows >= w->options.row_group_rows || group_bytes(w) >= w->options.row_group_bytes) &&
            flush_row_group(w, err) != 0)
            return -1;
    }
    return 0;
}

static int64_t group_bytes(const tn_parquet_writer *w)
{
    int64_t total = 0;
    for (int c = 0; c < w->column_count; c++)
        total += w->columns[c].chunk_uncompressed + (int64_t)w->columns[c].values.length;
    return total;
}

/* ---- pages ---- */

/* Dictionary form (entries + bit-packed indices) smaller than PLAIN? */
static bool dictionary_pays(const column_writer *cw)
{
    size_t width = (size_t)tn_pq_bit_width(cw->dict_count ? cw->dict_count - 1 : 0);
    size_t dictionary = cw->dict_plain.length + (cw->page_values * width + 7) / 8 + 1;
    return dictionary < cw->values.length;
}

static int flush_page(tn_parquet_writer *w, column_writer *cw, tn_error *err)
{
    bool use_dict = cw->dict_active && cw->dict_count > 0 &&
                    (int64_t)cw->dict_plain.length <= w->options.dictionary_bytes &&
                    (cw->dict_used || dictionary_pays(cw));
    if (cw->dict_active && !use_dict && cw->dict_count > 0) {
        cw->dict_active = false;
        dict_clear(cw, cw->dict_used ? cw->dict_count_used : 0);
    }
    tn_buf *body = &w->scratch;
    tn_buf_clear(body);
    if (cw->column.is_nullable) {
        if (tn_buf_append(body, "\0\0\0\0", 4) != 0 || tn_pq_rle_encode(body, cw->levels, cw->page_rows, 1) != 0)
            return tn_error_oom(err);
        pq_store_u32((uint8_t *)body->data, (uint32_t)(body->length - 4));
    }
    if (use_dict) {
        uint8_t width = (uint8_t)tn_pq_bit_width(cw->dict_count - 1);
        if (tn_buf_append(body, &width, 1) != 0 || tn_pq_rle_encode(body, cw->indices, cw->page_values, width) != 0)
            return tn_error_oom(err);
        cw->dict_used = true;
        cw->dict_count_used = cw->dict_count;
        cw->dict_bytes_used = cw->dict_plain.length;
    } else if (cw->physical.type == PQ_BOOLEAN) {
        size_t bytes = (cw->page_values + 7) / 8;
        if (tn_buf_reserve(body, bytes) != 0)
            return tn_error_oom(err);
        uint8_t *dst = (uint8_t *)body->data + body->length;
        memset(dst, 0, bytes);
        for (uint32_t i = 0; i < cw->page_values; i++)
            dst[i >> 3] |= (uint8_t)((cw->values.data[i] & 1) << (i & 7));
        body->length += bytes;
        cw->has_plain_page = true;
    } else {
        if (tn_buf_append(body, cw->values.data, cw->values.length) != 0)
            return tn_error_oom(err);
        cw->has_plain_page = true;
    }
    pq_page_header h = {.type = PQ_PAGE_DATA, .num_values = (int32_t)cw->page_rows,
                        .encoding = use_dict ? PQ_ENC_RLE_DICTIONARY : PQ_ENC_PLAIN};
    if (emit_page(w, cw, &h, &cw->pages, err) != 0)
        return -1;
    tn_buf_clear(&cw->values);
    cw->page_rows = 0;
    cw->page_values = 0;
    return 0;
}

/* Compresses w->scratch and appends header + body to into. */
static int emit_page(tn_parquet_writer *w, column_writer *cw, pq_page_header *h, tn_buf *into,
                     tn_error *err)
{
    tn_buf_clear(&w->compressed);
    if (w->scratch.length > INT32_MAX)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "parquet page of column \"%s\" is too large",
                            cw->column.name);
    if (tn_pq_compress(&w->codecs, w->options.codec, w->options.compression_level, (const uint8_t *)w->scratch.data,
                       w->scratch.length, &w->compressed) != 0)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "could not compress a page of column \"%s\" with %s",
                            cw->column.name, tn_pq_codec_name(w->options.codec));
    if (w->compressed.length > INT32_MAX)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "parquet page of column \"%s\" is too large",
                            cw->column.name);
    h->uncompressed_size = (int32_t)w->scratch.length;
    h->compressed_size = (int32_t)w->compressed.length;
    size_t before = into->length;
    if (tn_pq_page_header_write(h, into) != 0 ||
        tn_buf_append(into, w->compressed.data, w->compressed.length) != 0)
        return tn_error_oom(err);
    size_t header = into->length - before - w->compressed.length;
    cw->chunk_uncompressed += (int64_t)(header + w->scratch.length);
    return 0;
}

/* ---- row groups ---- */

static int flush_column_chunk(tn_parquet_writer *w, column_writer *cw, pq_column_meta *meta,
                              tn_error *err)
{
    if (cw->page_rows > 0 && flush_page(w, cw, err) != 0)
        return -1;
    memset(meta, 0, sizeof *meta);
    meta->type = cw->physical.type;
    meta->codec = w->options.codec;
    meta->num_values = w->group_rows;
    meta->path = cw->column.name;
    tn_buf dictionary_page = TN_BUF_INIT;
    int status = -1;
    int64_t start = w->offset;
    if (cw->dict_used) {
        tn_buf_clear(&w->scratch);
        if (tn_buf_append(&w->scratch, cw->dict_plain.data, cw->dict_plain.length) != 0) {
            tn_error_oom(err);
            goto done;
        }
        pq_page_header h = {.type = PQ_PAGE_DICTIONARY, .num_values = (int32_t)cw->dict_count,
                            .encoding = PQ_ENC_PLAIN};
        if (emit_page(w, cw, &h, &dictionary_page, err) != 0 ||
            write_all(w, dictionary_page.data, dictionary_page.length, err) != 0)
            goto done;
        meta->has_dictionary_page_offset = true;
        meta->dictionary_page_offset = start;
    }
    meta->data_page_offset = w->offset;
    if (write_all(w, cw->pages.data, cw->pages.length, err) != 0)
        goto done;
    meta->total_compressed_size = w->offset - start;
    meta->total_uncompressed_size = cw->chunk_uncompressed;
    if (cw->dict_used || cw->has_plain_page)
        meta->encodings[meta->encoding_count++] = PQ_ENC_PLAIN;
    if (cw->column.is_nullable)
        meta->encodings[meta->encoding_count++] = PQ_ENC_RLE;
    if (cw->dict_used)
        meta->encodings[meta->encoding_count++] = PQ_ENC_RLE_DICTIONARY;
    if (tn_pq_stats_encode(&cw->chunk_stats, &cw->physical, w->arena, &meta->statistics) != 0 ||
        tn_pq_stats_merge(&cw->file_stats, &cw->chunk_stats) != 0) {
        tn_error_oom(err);
        goto done;
    }
    meta->has_statistics = true;
    /* Start the next chunk afresh. */
    tn_pq_stats_reset(&cw->chunk_stats);
    tn_buf_clear(&cw->pages);
    cw->chunk_uncompressed = 0;
    cw->has_plain_page = false;
    cw->dict_active = w->options.use_dictionary && cw->physical.type != PQ_BOOLEAN;
    cw->dict_used = false;
    cw->dict_count_used = 0;
    cw->dict_bytes_used = 0;
    dict_clear(cw, 0);
    status = 0;
done:
    tn_buf_free(&dictionary_page);
    return status;
}

static int flush_row_group(tn_parquet_writer *w, tn_error *err)
{
    if (w->row_group_count == w->row_group_capacity) {
        int capacity = w->row_group_capacity ? w->row_group_capacity * 2 : 8;
        pq_row_group *groups = tn_arena_realloc(w->arena, w->row_groups,
                                                sizeof(pq_row_group) * (size_t)w->row_group_capacity,
                                                sizeof(pq_row_group) * (size_t)capacity);
        if (groups == NULL)
            return tn_error_oom(err);
        w->row_groups = groups;
        w->row_group_capacity = capacity;
    }
    pq_row_group *group = &w->row_groups[w->row_group_count];
    memset(group, 0, sizeof *group);
    group->columns = tn_arena_zalloc(w->arena, sizeof(pq_column_meta) * (size_t)w->column_count);
    if (group->columns == NULL)
        return tn_error_oom(err);
    group->column_count = w->column_count;
    group->num_rows = w->group_rows;
    group->file_offset = w->offset;
    int64_t start = w->offset;
    for (int c = 0; c < w->column_count; c++) {
        if (flush_column_chunk(w, &w->columns[c], &group->columns[c], err) != 0)
            return -1;
        group->total_byte_size += group->columns[c].total_uncompressed_size;
    }
    group->total_compressed_size = w->offset - start;
    w->row_group_count++;
    w->group_rows = 0;
    return 0;
}

/* ---- closing ---- */

static int write_footer(tn_parquet_writer *w, int64_t *footer_size, tn_error *err)
{
    pq_file_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.version = 1;
    meta.schema_count = w->column_count + 1;
    meta.schema = tn_arena_zalloc(w->arena, sizeof(pq_schema_element) * (size_t)meta.schema_count);
    if (meta.schema == NULL)
        return tn_error_oom(err);
    meta.schema[0] = (pq_schema_element){.type = -1, .repetition = -1, .name = "schema",
                                         .num_children = w->column_count, .converted_type = -1};
    for (int c = 0; c < w->column_count; c++)
        schema_for(&w->columns[c], &meta.schema[c + 1]);
    meta.num_rows = w->total_rows;
    meta.row_groups = w->row_groups;
    meta.row_group_count = w->row_group_count;
    meta.key_values = (tn_parquet_key_value *)w->options.key_values;
    meta.key_value_count = w->options.key_value_count;
    meta.created_by = "tarn version " TN_VERSION;
    tn_buf footer = TN_BUF_INIT;
    if (tn_pq_file_meta_write(&meta, &footer) != 0 || footer.length > UINT32_MAX) {
        tn_buf_free(&footer);
        return tn_error_oom(err);
    }
    uint8_t tail[8];
    pq_store_u32(tail, (uint32_t)footer.length);
    memcpy(tail + 4, "PAR1", 4);
    int status = write_all(w, footer.data, footer.length, err);
    if (status == 0)
        status = write_all(w, tail, 8, err);
    *footer_size = (int64_t)footer.length;
    tn_buf_free(&footer);
    return status;
}

/* Makes the new directory entry durable too. */
static int sync_directory(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    int status = fsync(fd);
    close(fd);
    return status;
}

int tn_parquet_writer_close(tn_parquet_writer *w, tn_parquet_file_info *out, tn_error *err)
{
    int64_t footer_size = 0;
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (w->failed) {
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                     "parquet file \"%s\" cannot be completed after a failed write", w->path);
        tn_parquet_writer_abort(w);
        return -1;
    }
    if ((w->group_rows > 0 && flush_row_group(w, err) != 0) || write_footer(w, &footer_size, err) != 0) {
        tn_parquet_writer_abort(w);
        return -1;
    }
    if (fsync(w->fd) != 0 || close(w->fd) != 0) {
        w->fd = -1;
        tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not fsync file \"%s\": %s", w->path, strerror(errno));
        tn_parquet_writer_abort(w);
        return -1;
    }
    w->fd = -1;
    if (sync_directory(w->path) != 0) {
        tn_error_set(err, TN_ERR_IO_ERROR, 0, "could not fsync the directory of file \"%s\": %s", w->path,
                     strerror(errno));
        tn_parquet_writer_abort(w);
        return -1;
    }
    if (out != NULL) {
        out->row_count = w->total_rows;
        out->file_size = w->offset;
        out->footer_size = footer_size;
        out->row_group_count = w->row_group_count;
        out->columns = calloc((size_t)w->column_count, sizeof(tn_parquet_column_stats));
        if (out->columns == NULL) {
            tn_error_oom(err);
            free_writer(w);
            return -1;
        }
        out->column_count = w->column_count;
        for (int c = 0; c < w->column_count; c++) {
            if (tn_pq_stats_export(&w->columns[c].file_stats, &out->columns[c]) != 0) {
                out->column_count = c;
                tn_parquet_file_info_free(out);
                tn_error_oom(err);
                free_writer(w);
                return -1;
            }
        }
    }
    free_writer(w);
    return 0;
}

void tn_parquet_writer_abort(tn_parquet_writer *w)
{
    if (w == NULL)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    unlink(w->path);
    free_writer(w);
}

void tn_parquet_file_info_free(tn_parquet_file_info *info)
{
    if (info == NULL)
        return;
    for (int c = 0; c < info->column_count; c++)
        tn_pq_column_stats_free(&info->columns[c]);
    free(info->columns);
    info->columns = NULL;
    info->column_count = 0;
}
