/*
 * Scanning one row group: each projected column chunk is read whole, then
 * walked page by page.  A page is decoded completely when the previous one
 * is used up: definition levels into `levels`, values into an array of
 * "raw" physical values (pq_bytes views for byte arrays) or, for
 * dictionary pages, into indices into the chunk's decoded dictionary.
 * tn_parquet_scan_next then converts up to 2048 rows per column into the
 * caller's chunk, crossing page boundaries as needed; TEXT bytes are copied
 * into the chunk's heap, so the page buffers can be reused for the next
 * page while the chunk's rows stay valid.
 *
 * Memory per column: the chunk's bytes, its dictionary (dictionary arena)
 * and one page (page arena, reset per page).  Every count taken from the
 * file is checked against the row group's row count and PQ_MAX_PAGE_VALUES
 * before it sizes an allocation.
 */
#include "storage/parquet/parquet_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct column_scan {
    int column;                  /* reader column index */
    const tn_parquet_column *desc;
    const pq_column_meta *meta;
    pq_physical physical;
    size_t raw_size;             /* bytes of one raw value */
    uint8_t *chunk;              /* the column chunk's bytes (malloc'd) */
    size_t chunk_size, chunk_pos;
    int64_t values_left;         /* values of the chunk not yet in a decoded page */
    tn_arena *dict_arena;
    uint8_t *dict;               /* raw dictionary entries, NULL before a dictionary page */
    uint32_t dict_count;
    tn_arena *page_arena;
    uint32_t *levels;            /* definition level per row; NULL = no nulls */
    uint8_t *values;             /* raw values, or NULL when indices is used */
    uint32_t *indices;           /* dictionary index per non-null value */
    uint32_t page_values;        /* non-null values in the page */
    uint32_t page_rows, page_row, value_pos;
} column_scan;

struct tn_parquet_scan {
    tn_parquet_reader *reader;
    int row_group;
    int64_t rows_left;
    int column_count;
    column_scan *columns;        /* malloc'd */
    tn_pq_codecs codecs;         /* this scan's decompression state */
};

static size_t raw_size_of(const pq_physical *physical);
static int64_t plain_bits(const pq_physical *physical);
static int open_column(tn_parquet_scan *scan, column_scan *cs, int row_group, tn_error *err);
static int corrupt(const tn_parquet_scan *scan, const column_scan *cs, tn_error *err, const char *defect);
static int load_page(tn_parquet_scan *scan, column_scan *cs, tn_error *err);
static int load_dictionary(tn_parquet_scan *scan, column_scan *cs, const pq_page_header *h,
                           const uint8_t *body, tn_error *err);
static uint8_t *decompress(tn_parquet_scan *scan, column_scan *cs, tn_arena *arena, const uint8_t *body,
                           size_t size, int64_t out_size, bool compressed, tn_error *err);
static int decode_plain(column_scan *cs, const uint8_t *data, size_t size, uint32_t count, uint8_t *out,
                        const char **defect);
static int decode_values(tn_parquet_scan *scan, column_scan *cs, int encoding, const uint8_t *data,
                         size_t size, tn_error *err);
static int emit(tn_parquet_scan *scan, column_scan *cs, tn_vector *v, uint32_t offset, uint32_t count,
                tn_error *err);
static void free_column(column_scan *cs);

static size_t raw_size_of(const pq_physical *physical)
{
    static const size_t sizes[] = {1, 4, 8, 12, 4, 8, sizeof(pq_bytes), sizeof(pq_bytes)};
    return sizes[physical->type];
}

/* The fewest bits one PLAIN value takes. */
static int64_t plain_bits(const pq_physical *physical)
{
    static const int64_t bits[] = {1, 32, 64, 96, 32, 64, 32, 0};
    return physical->type == PQ_FIXED_LEN_BYTE_ARRAY ? 8 * (int64_t)physical->type_length : bits[physical->type];
}

static int corrupt(const tn_parquet_scan *scan, const column_scan *cs, tn_error *err, const char *defect)
{
    if (strcmp(defect, "out of memory") == 0)
        return tn_error_oom(err);
    return tn_pq_reader_corrupt(scan->reader, err, "row group %d, column \"%s\": %s", scan->row_group,
                                cs->desc->name, defect);
}

tn_parquet_scan *tn_parquet_scan_open(tn_parquet_reader *reader, int row_group, const int *column_indexes,
                                      int n, tn_error *err)
{
    if (row_group < 0 || row_group >= reader->meta.row_group_count) {
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "parquet file \"%s\" has no row group %d",
                     reader->path, row_group);
        return NULL;
    }
    tn_parquet_scan *scan = calloc(1, sizeof *scan);
    if (scan == NULL || (scan->columns = calloc((size_t)(n > 0 ? n : 1), sizeof(column_scan))) == NULL) {
        free(scan);
        tn_error_oom(err);
        return NULL;
    }
    scan->reader = reader;
    scan->row_group = row_group;
    scan->rows_left = reader->meta.row_groups[row_group].num_rows;
    for (int i = 0; i < n; i++) {
        int column = column_indexes[i];
        if (column < 0 || column >= reader->column_count) {
            tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "parquet file \"%s\" has no column %d",
                         reader->path, column);
            goto fail;
        }
        if (reader->unsupported[column] != NULL) {
            tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                         "column \"%s\" of parquet file \"%s\" has an unsupported type (%s)",
                         reader->columns[column].name, reader->path, reader->unsupported[column]);
            goto fail;
        }
        scan->columns[i].column = column;
        scan->column_count = i + 1;
        if (open_column(scan, &scan->columns[i], row_group, err) != 0)
            goto fail;
    }
    return scan;
fail:
    tn_parquet_scan_close(scan);
    return NULL;
}

static int open_column(tn_parquet_scan *scan, column_scan *cs, int row_group, tn_error *err)
{
    tn_parquet_reader *reader = scan->reader;
    cs->desc = &reader->columns[cs->column];
    cs->meta = &reader->meta.row_groups[row_group].columns[cs->column];
    cs->physical = reader->physical[cs->column];
    cs->raw_size = raw_size_of(&cs->physical);
    cs->dict_arena = tn_arena_create();
    cs->page_arena = tn_arena_create();
    if (cs->dict_arena == NULL || cs->page_arena == NULL)
        return tn_error_oom(err);
    const pq_column_meta *meta = cs->meta;
    if (meta->num_values != scan->rows_left)
        return corrupt(scan, cs, err, "value count differs from the row group's row count");
    cs->values_left = meta->num_values;
    if (meta->num_values == 0)
        return 0;
    int64_t start = meta->data_page_offset;
    if (meta->has_dictionary_page_offset && meta->dictionary_page_offset > 0 &&
        meta->dictionary_page_offset < start)
        start = meta->dictionary_page_offset;
    int64_t size = meta->total_compressed_size;
    if (start < 4 || size <= 0 || start > reader->footer_start || size > reader->footer_start - start)
        return corrupt(scan, cs, err, "column chunk lies outside the file's data");
    cs->chunk = malloc((size_t)size);
    if (cs->chunk == NULL)
        return tn_error_oom(err);
    cs->chunk_size = (size_t)size;
    return tn_pq_reader_read(reader, cs->chunk, (size_t)size, start, err);
}

static void free_column(column_scan *cs)
{
    free(cs->chunk);
    tn_arena_destroy(cs->dict_arena);
    tn_arena_destroy(cs->page_arena);
}

void tn_parquet_scan_close(tn_parquet_scan *scan)
{
    if (scan == NULL)
        return;
    for (int i = 0; i < scan->column_count; i++)
        free_column(&scan->columns[i]);
    free(scan->columns);
    tn_pq_codecs_free(&scan->codecs);
    free(scan);
}

/* ---- pages ---- */

static uint8_t *decompress(tn_parquet_scan *scan, column_scan *cs, tn_arena *arena, const uint8_t *body,
                           size_t size, int64_t out_size, bool compressed, tn_error *err)
{
    const char *defect = NULL;
    if (out_size < 0 || out_size > PQ_MAX_PAGE_BYTES) {
        corrupt(scan, cs, err, "page is larger than 256 MiB");
        return NULL;
    }
    uint8_t *out = tn_arena_alloc(arena, out_size > 0 ? (size_t)out_size : 1);
    if (out == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    int codec = compressed ? cs->meta->codec : TN_PARQUET_UNCOMPRESSED;
    if (tn_pq_decompress(&scan->codecs, codec, body, size, out, (size_t)out_size, &defect) != 0) {
        if (tn_pq_codec_name(codec) == NULL)
            tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                         "column \"%s\" of parquet file \"%s\" uses unsupported compression codec %d",
                         cs->desc->name, scan->reader->path, codec);
        else
            corrupt(scan, cs, err, defect);
        return NULL;
    }
    return out;
}

static int decode_plain(column_scan *cs, const uint8_t *data, size_t size, uint32_t count, uint8_t *out,
                        const char **defect)
{
    switch (cs->physical.type) {
    case PQ_BOOLEAN:
        if (size < ((size_t)count + 7) / 8)
            break;
        for (uint32_t i = 0; i < count; i++)
            out[i] = (data[i >> 3] >> (i & 7)) & 1;
        return 0;
    case PQ_BYTE_ARRAY: {
        pq_bytes *views = (pq_bytes *)out;
        size_t pos = 0;
        for (uint32_t i = 0; i < count; i++) {
            if (size - pos < 4 || pq_load_u32(data + pos) > size - pos - 4)
                goto short_data;
            views[i].length = pq_load_u32(data + pos);
            views[i].data = data + pos + 4;
            pos += 4 + views[i].length;
        }
        return 0;
    }
    case PQ_FIXED_LEN_BYTE_ARRAY: {
        pq_bytes *views = (pq_bytes *)out;
        size_t width = (size_t)cs->physical.type_length;
        if (size / width < count)
            break;
        for (uint32_t i = 0; i < count; i++) {
            views[i].data = data + i * width;
            views[i].length = (uint32_t)width;
        }
        return 0;
    }
    default:
        if (size / cs->raw_size < count)
            break;
        memcpy(out, data, (size_t)count * cs->raw_size);
        return 0;
    }
short_data:
    *defect = "page holds fewer values than its header says";
    return -1;
}

static int load_dictionary(tn_parquet_scan *scan, column_scan *cs, const pq_page_header *h,
                           const uint8_t *body, tn_error *err)
{
    const char *defect = NULL;
    if (cs->dict != NULL)
        return corrupt(scan, cs, err, "column chunk has more than one dictionary page");
    if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
        return corrupt(scan, cs, err, "dictionary page is not PLAIN encoded");
    /* Entries take at least their PLAIN size (4-byte length for byte arrays). */
    if ((int64_t)h->num_values * plain_bits(&cs->physical) > (int64_t)h->uncompressed_size * 8)
        return corrupt(scan, cs, err, "dictionary page holds fewer entries than its header says");
    uint8_t *data = decompress(scan, cs, cs->dict_arena, body, (size_t)h->compressed_size,
                               h->uncompressed_size, true, err);
    if (data == NULL)
        return -1;
    cs->dict = tn_arena_alloc(cs->dict_arena, cs->raw_size * ((size_t)h->num_values + 1));
    if (cs->dict == NULL)
        return tn_error_oom(err);
    if (decode_plain(cs, data, (size_t)h->uncompressed_size, (uint32_t)h->num_values, cs->dict, &defect) != 0)
        return corrupt(scan, cs, err, defect);
    cs->dict_count = (uint32_t)h->num_values;
    return 0;
}

static int decode_values(tn_parquet_scan *scan, column_scan *cs, int encoding, const uint8_t *data,
                         size_t size, tn_error *err)
{
    const char *defect = NULL;
    uint32_t count = cs->page_values;
    int type = cs->physical.type;
    cs->values = NULL;
    cs->indices = NULL;
    if (encoding == PQ_ENC_PLAIN_DICTIONARY || encoding == PQ_ENC_RLE_DICTIONARY) {
        if (cs->dict == NULL)
            return corrupt(scan, cs, err, "dictionary-encoded page without a dictionary page");
        if ((cs->indices = tn_arena_alloc(cs->page_arena, sizeof(uint32_t) * ((size_t)count + 1))) == NULL)
            return tn_error_oom(err);
        if (count > 0 && (size < 1 || tn_pq_rle_decode(data + 1, size - 1, data[0], cs->indices, count, &defect) != 0))
            return corrupt(scan, cs, err, defect != NULL ? defect : "dictionary indices are missing");
        for (uint32_t i = 0; i < count; i++) {
            if (cs->indices[i] >= cs->dict_count)
                return corrupt(scan, cs, err, "dictionary index is out of range");
        }
        return 0;
    }
    if (encoding == PQ_ENC_PLAIN && (int64_t)count * plain_bits(&cs->physical) > (int64_t)size * 8)
        return corrupt(scan, cs, err, "page holds fewer values than its header says");
    uint8_t *out = tn_arena_alloc(cs->page_arena, cs->raw_size * ((size_t)count + 1));
    if (out == NULL)
        return tn_error_oom(err);
    cs->values = out;
    int status = -1;
    switch (encoding) {
    case PQ_ENC_PLAIN: status = decode_plain(cs, data, size, count, out, &defect); break;
    case PQ_ENC_RLE: {
        if (type != PQ_BOOLEAN)
            goto unsupported;
        uint32_t *bits = tn_arena_alloc(cs->page_arena, sizeof(uint32_t) * ((size_t)count + 1));
        if (bits == NULL)
            return tn_error_oom(err);
        if (size < 4 || pq_load_u32(data) > size - 4) {
            defect = "boolean RLE length exceeds the page";
            break;
        }
        status = tn_pq_rle_decode(data + 4, pq_load_u32(data), 1, bits, count, &defect);
        for (uint32_t i = 0; status == 0 && i < count; i++)
            out[i] = (uint8_t)bits[i];
        break;
    }
    case PQ_ENC_DELTA_BINARY_PACKED: {
        if (type != PQ_INT32 && type != PQ_INT64)
            goto unsupported;
        size_t consumed;
        int64_t *wide = tn_arena_alloc(cs->page_arena, sizeof(int64_t) * ((size_t)count + 1));
        if (wide == NULL)
            return tn_error_oom(err);
        status = tn_pq_delta_decode(data, size, wide, count, &consumed, &defect);
        for (uint32_t i = 0; status == 0 && i < count; i++) {
            if (type == PQ_INT32)
                pq_store_u32(out + 4 * (size_t)i, (uint32_t)wide[i]);
            else
                memcpy(out + 8 * (size_t)i, &wide[i], 8);
        }
        break;
    }
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
        if (type != PQ_BYTE_ARRAY)
            goto unsupported;
        status = tn_pq_delta_length_decode(data, size, (pq_bytes *)out, count, cs->page_arena, &defect);
        break;
    case PQ_ENC_DELTA_BYTE_ARRAY:
        if (type != PQ_BYTE_ARRAY && type != PQ_FIXED_LEN_BYTE_ARRAY)
            goto unsupported;
        status = tn_pq_delta_byte_array_decode(data, size, (pq_bytes *)out, count, cs->page_arena, &defect);
        break;
    case PQ_ENC_BYTE_STREAM_SPLIT: {
        if (type == PQ_BOOLEAN || type == PQ_BYTE_ARRAY || type == PQ_INT96)
            goto unsupported;
        int width = type == PQ_FIXED_LEN_BYTE_ARRAY ? cs->physical.type_length : (int)cs->raw_size;
        uint8_t *bytes = type == PQ_FIXED_LEN_BYTE_ARRAY
                             ? tn_arena_alloc(cs->page_arena, (size_t)width * count + 1) : out;
        if (bytes == NULL)
            return tn_error_oom(err);
        status = tn_pq_byte_stream_split_decode(data, size, width, count, bytes, &defect);
        if (status == 0 && type == PQ_FIXED_LEN_BYTE_ARRAY)
            status = decode_plain(cs, bytes, (size_t)width * count, count, out, &defect);
        break;
    }
    default: goto unsupported;
    }
    if (status != 0)
        return corrupt(scan, cs, err, defect != NULL ? defect : "invalid page data");
    return 0;
unsupported:
    return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                        "column \"%s\" of parquet file \"%s\" uses unsupported encoding %d", cs->desc->name,
                        scan->reader->path, encoding);
}

/* Decodes the next data page of the chunk (reading a dictionary page first
 * when one comes). */
static int load_page(tn_parquet_scan *scan, column_scan *cs, tn_error *err)
{
    for (;;) {
        pq_page_header h;
        size_t header_size;
        const char *defect = NULL;
        if (cs->values_left <= 0 || cs->chunk_pos >= cs->chunk_size)
            return corrupt(scan, cs, err, "column chunk ends before its last value");
        if (tn_pq_page_header_parse(cs->chunk + cs->chunk_pos, cs->chunk_size - cs->chunk_pos, &h,
                                    &header_size, &defect) != 0)
            return corrupt(scan, cs, err, defect);
        cs->chunk_pos += header_size;
        if ((size_t)h.compressed_size > cs->chunk_size - cs->chunk_pos)
            return corrupt(scan, cs, err, "page extends past the end of the column chunk");
        const uint8_t *body = cs->chunk + cs->chunk_pos;
        cs->chunk_pos += (size_t)h.compressed_size;
        if (h.type == PQ_PAGE_DICTIONARY) {
            if (load_dictionary(scan, cs, &h, body, err) != 0)
                return -1;
            continue;
        }
        if (h.type != PQ_PAGE_DATA && h.type != PQ_PAGE_DATA_V2)
            continue;
        if (h.num_values == 0)
            continue;
        if (h.num_values > cs->values_left || h.num_values > PQ_MAX_PAGE_VALUES)
            return corrupt(scan, cs, err, "page holds more values than the column chunk");
        tn_arena_reset(cs->page_arena);
        uint32_t rows = (uint32_t)h.num_values;
        const uint8_t *levels_data = NULL, *values_data;
        size_t levels_size = 0, values_size;
        if (h.type == PQ_PAGE_DATA) {
            uint8_t *data = decompress(scan, cs, cs->page_arena, body, (size_t)h.compressed_size,
                                       h.uncompressed_size, true, err);
            if (data == NULL)
                return -1;
            values_data = data;
            values_size = (size_t)h.uncompressed_size;
            if (cs->desc->is_nullable) {
                if (values_size < 4 || pq_load_u32(data) > values_size - 4)
                    return corrupt(scan, cs, err, "definition levels exceed the page");
                levels_size = pq_load_u32(data);
                levels_data = data + 4;
                values_data = data + 4 + levels_size;
                values_size -= 4 + levels_size;
            }
        } else {
            int64_t level_bytes = (int64_t)h.rep_levels_size + h.def_levels_size;
            if (level_bytes > h.compressed_size || level_bytes > h.uncompressed_size)
                return corrupt(scan, cs, err, "levels exceed the page");
            levels_data = body + h.rep_levels_size;
            levels_size = (size_t)h.def_levels_size;
            uint8_t *data = decompress(scan, cs, cs->page_arena, body + level_bytes,
                                       (size_t)(h.compressed_size - level_bytes),
                                       h.uncompressed_size - level_bytes, h.is_compressed, err);
            if (data == NULL)
                return -1;
            values_data = data;
            values_size = (size_t)(h.uncompressed_size - level_bytes);
        }
        cs->levels = NULL;
        cs->page_values = rows;
        if (cs->desc->is_nullable) {
            cs->levels = tn_arena_alloc(cs->page_arena, sizeof(uint32_t) * rows);
            if (cs->levels == NULL)
                return tn_error_oom(err);
            if (tn_pq_rle_decode(levels_data, levels_size, 1, cs->levels, rows, &defect) != 0)
                return corrupt(scan, cs, err, defect);
            cs->page_values = 0;
            for (uint32_t i = 0; i < rows; i++)
                cs->page_values += cs->levels[i];
        }
        if (decode_values(scan, cs, h.encoding, values_data, values_size, err) != 0)
            return -1;
        cs->values_left -= rows;
        cs->page_rows = rows;
        cs->page_row = 0;
        cs->value_pos = 0;
        return 0;
    }
}

/* ---- output ---- */

/* Converts page rows [page_row, page_row + count) into v rows [offset, ...). */
static int emit(tn_parquet_scan *scan, column_scan *cs, tn_vector *v, uint32_t offset, uint32_t count,
                tn_error *err)
{
    int type = cs->physical.type;
    tn_type_id target = v->type.id;
    /* Same-layout pairs are copied without conversion. */
    bool direct = (type == PQ_INT32 && (target == TN_TYPE_INT32 || target == TN_TYPE_DATE)) ||
                  (type == PQ_INT64 && target != TN_TYPE_NUMERIC &&
                   (cs->physical.time_unit == 0 || cs->physical.time_unit == PQ_UNIT_MICROS)) ||
                  (type == PQ_FLOAT && target == TN_TYPE_FLOAT32) ||
                  (type == PQ_DOUBLE && target == TN_TYPE_FLOAT64) || (type == PQ_BOOLEAN && target == TN_TYPE_BOOL);
    size_t size = cs->raw_size;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t row = offset + i;
        if (cs->levels != NULL && cs->levels[cs->page_row + i] == 0) {
            if (tn_vector_set_null(v, row) != 0)
                return tn_error_oom(err);
            continue;
        }
        uint32_t k = cs->value_pos++;
        const uint8_t *raw = cs->indices != NULL ? cs->dict + (size_t)cs->indices[k] * size : cs->values + (size_t)k * size;
        if (direct) {
            memcpy((uint8_t *)v->data + (size_t)row * size, raw, size);
            continue;
        }
        if (target == TN_TYPE_TEXT) {
            const pq_bytes *bytes = (const pq_bytes *)raw;
            if (tn_vector_set_string(v, row, (const char *)bytes->data, bytes->length) != 0)
                return tn_error_oom(err);
            continue;
        }
        const uint8_t *data = raw;
        size_t length = size;
        if (type == PQ_BYTE_ARRAY || type == PQ_FIXED_LEN_BYTE_ARRAY) {
            data = ((const pq_bytes *)raw)->data;
            length = ((const pq_bytes *)raw)->length;
        }
        tn_value value;
        const char *defect = NULL;
        if (tn_pq_value_decode(data, length, &cs->physical, v->type, &value, &defect) != 0)
            return corrupt(scan, cs, err, defect);
        if (target == TN_TYPE_NUMERIC)
            value.type.scale = cs->desc->type.scale; /* the file's scale */
        if (tn_vector_set_value(v, row, &value) != 0)
            return tn_error_oom(err);
    }
    cs->page_row += count;
    return 0;
}

int tn_parquet_scan_next(tn_parquet_scan *scan, tn_chunk *out, tn_error *err)
{
    tn_chunk_reset(out);
    if (scan->rows_left <= 0)
        return 0;
    if (out->column_count != scan->column_count)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "chunk has %d columns, the parquet scan %d",
                            out->column_count, scan->column_count);
    uint32_t rows = scan->rows_left < TN_VECTOR_SIZE ? (uint32_t)scan->rows_left : TN_VECTOR_SIZE;
    for (int c = 0; c < scan->column_count; c++) {
        column_scan *cs = &scan->columns[c];
        tn_vector *v = &out->columns[c];
        /* VARCHAR(n) or a wider NUMERIC precision read the same bytes; an
         * unconstrained numeric takes the file's scale as its rows' own. */
        bool own_scale = v->type.id == TN_TYPE_NUMERIC && v->type.precision == 0;
        if (v->type.id != cs->desc->type.id ||
            (v->type.id == TN_TYPE_NUMERIC && !own_scale && v->type.scale != cs->desc->type.scale))
            return tn_error_set(err, TN_ERR_DATATYPE_MISMATCH, 0,
                                "chunk column %d does not have the type of parquet column \"%s\"", c,
                                cs->desc->name);
        uint32_t done = 0;
        while (done < rows) {
            if (cs->page_row == cs->page_rows && load_page(scan, cs, err) != 0)
                return -1;
            uint32_t take = cs->page_rows - cs->page_row;
            if (take > rows - done)
                take = rows - done;
            if (emit(scan, cs, v, done, take, err) != 0)
                return -1;
            done += take;
        }
    }
    out->count = rows;
    scan->rows_left -= rows;
    return (int)rows;
}
