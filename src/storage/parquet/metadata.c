/*
 * The footer (FileMetaData) and page headers: parsed from Thrift compact
 * bytes into the model of parquet_int.h and serialised back.  Field ids
 * follow parquet.thrift; fields tarn does not model are skipped on read and
 * never written.  Parsing checks that required fields are present and that
 * counts fit the bytes that carry them, so a hostile footer cannot make the
 * reader allocate more than a small multiple of its own size.
 */
#include "storage/parquet/parquet_int.h"

#include <string.h>

/* Field-reading shorthands: each returns -1 from the enclosing function. */
#define READ_I32(dst) do { if (tn_pq_tc_read_i32(r, type, &(dst)) != 0) return -1; } while (0)
#define READ_I64(dst) do { if (tn_pq_tc_read_i64(r, type, &(dst)) != 0) return -1; } while (0)
#define READ_BOOL(dst) do { if (tn_pq_tc_read_bool(r, type, &(dst)) != 0) return -1; } while (0)
#define SKIP() do { if (tn_pq_tc_skip(r, type) != 0) return -1; } while (0)
#define EXPECT_STRUCT() \
    do { if (type != TC_STRUCT) return tn_pq_tc_fail(r, "thrift field has the wrong type (expected struct)"); } while (0)

static int read_string(tc_reader *r, int type, tn_arena *arena, const char **out);
static int read_bytes(tc_reader *r, int type, pq_bytes *out);
static int read_union_member(tc_reader *r, int16_t *member);
static int read_logical(tc_reader *r, pq_logical *logical);
static int read_schema_element(tc_reader *r, tn_arena *arena, pq_schema_element *e);
static int read_statistics(tc_reader *r, pq_statistics *s);
static int read_column_meta(tc_reader *r, pq_column_meta *m);
static int read_column_chunk(tc_reader *r, pq_column_meta *m);
static int read_row_group(tc_reader *r, tn_arena *arena, pq_row_group *g);
static int read_key_value(tc_reader *r, tn_arena *arena, tn_parquet_key_value *kv);
static void *alloc_list(tc_reader *r, tn_arena *arena, int32_t count, size_t size);
static int read_file_meta(tc_reader *r, tn_arena *arena, pq_file_meta *meta);
static void write_logical(tc_writer *w, const pq_logical *logical);
static void write_schema_element(tc_writer *w, const pq_schema_element *e);
static void write_statistics(tc_writer *w, const pq_statistics *s);
static void write_column_chunk(tc_writer *w, const pq_column_meta *m);

/* ---- reading ---- */

static int read_string(tc_reader *r, int type, tn_arena *arena, const char **out)
{
    const uint8_t *data;
    uint32_t length;
    if (tn_pq_tc_read_binary(r, type, &data, &length) != 0)
        return -1;
    *out = tn_arena_strndup(arena, (const char *)data, length);
    return *out != NULL ? 0 : tn_pq_tc_fail(r, "out of memory");
}

static int read_bytes(tc_reader *r, int type, pq_bytes *out)
{
    return tn_pq_tc_read_binary(r, type, &out->data, &out->length);
}

static void *alloc_list(tc_reader *r, tn_arena *arena, int32_t count, size_t size)
{
    void *list = tn_arena_zalloc(arena, size * (size_t)(count > 0 ? count : 1));
    if (list == NULL)
        tn_pq_tc_fail(r, "out of memory");
    return list;
}

/* Reads a union whose members tarn only needs by id (TimeUnit, empty
 * structs); the member's own fields are skipped. */
static int read_union_member(tc_reader *r, int16_t *member)
{
    int type, count = 0;
    int16_t id;
    int status;
    *member = 0;
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        *member = id;
        count++;
        SKIP();
    }
    if (status < 0)
        return -1;
    return count == 1 ? 0 : tn_pq_tc_fail(r, "thrift union does not have exactly one member");
}

static int read_logical(tc_reader *r, pq_logical *logical)
{
    int type, outer_type, members = 0;
    int16_t id, outer_id;
    int status;
    memset(logical, 0, sizeof *logical);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &outer_type, &outer_id)) == 1) {
        members++;
        type = outer_type;
        EXPECT_STRUCT();
        switch (outer_id) {
        case PQ_LOGICAL_DECIMAL:
        case PQ_LOGICAL_TIMESTAMP:
        case PQ_LOGICAL_TIME:
        case PQ_LOGICAL_INTEGER:
            break;
        case PQ_LOGICAL_STRING: case PQ_LOGICAL_ENUM: case PQ_LOGICAL_DATE:
        case PQ_LOGICAL_UNKNOWN: case PQ_LOGICAL_JSON: case PQ_LOGICAL_FLOAT16:
            logical->kind = outer_id;
            SKIP();
            continue;
        default:
            logical->kind = PQ_LOGICAL_OTHER;
            SKIP();
            continue;
        }
        logical->kind = outer_id;
        if (tn_pq_tc_struct_begin_read(r) != 0)
            return -1;
        while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
            if (outer_id == PQ_LOGICAL_DECIMAL && id == 1) READ_I32(logical->scale);
            else if (outer_id == PQ_LOGICAL_DECIMAL && id == 2) READ_I32(logical->precision);
            else if (outer_id != PQ_LOGICAL_DECIMAL && outer_id != PQ_LOGICAL_INTEGER && id == 1)
                READ_BOOL(logical->is_utc);
            else if (outer_id != PQ_LOGICAL_DECIMAL && outer_id != PQ_LOGICAL_INTEGER && id == 2) {
                int16_t unit;
                EXPECT_STRUCT();
                if (read_union_member(r, &unit) != 0)
                    return -1;
                logical->unit = unit;
            } else if (outer_id == PQ_LOGICAL_INTEGER && id == 1) {
                int8_t width;
                if (tn_pq_tc_read_i8(r, type, &width) != 0)
                    return -1;
                logical->bit_width = width;
            } else if (outer_id == PQ_LOGICAL_INTEGER && id == 2) READ_BOOL(logical->is_signed);
            else SKIP();
        }
        if (status < 0)
            return -1;
    }
    if (status < 0)
        return -1;
    return members == 1 ? 0 : tn_pq_tc_fail(r, "logical type union does not have exactly one member");
}

static int read_schema_element(tc_reader *r, tn_arena *arena, pq_schema_element *e)
{
    int type, status;
    int16_t id;
    memset(e, 0, sizeof *e);
    e->type = e->repetition = e->num_children = e->converted_type = -1;
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        switch (id) {
        case 1: READ_I32(e->type); break;
        case 2: READ_I32(e->type_length); break;
        case 3: READ_I32(e->repetition); break;
        case 4: if (read_string(r, type, arena, &e->name) != 0) return -1; break;
        case 5: READ_I32(e->num_children); break;
        case 6: READ_I32(e->converted_type); break;
        case 7: READ_I32(e->scale); break;
        case 8: READ_I32(e->precision); break;
        case 9: READ_I32(e->field_id); e->has_field_id = true; break;
        case 10: EXPECT_STRUCT(); if (read_logical(r, &e->logical) != 0) return -1; break;
        default: SKIP(); break;
        }
    }
    if (status < 0)
        return -1;
    return e->name != NULL ? 0 : tn_pq_tc_fail(r, "schema element has no name");
}

static int read_statistics(tc_reader *r, pq_statistics *s)
{
    int type, status;
    int16_t id;
    memset(s, 0, sizeof *s);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        switch (id) {
        case 1: if (read_bytes(r, type, &s->legacy_max) != 0) return -1; s->has_legacy_max = true; break;
        case 2: if (read_bytes(r, type, &s->legacy_min) != 0) return -1; s->has_legacy_min = true; break;
        case 3: READ_I64(s->null_count); s->has_null_count = true; break;
        case 5: if (read_bytes(r, type, &s->max_value) != 0) return -1; s->has_max_value = true; break;
        case 6: if (read_bytes(r, type, &s->min_value) != 0) return -1; s->has_min_value = true; break;
        default: SKIP(); break;
        }
    }
    return status < 0 ? -1 : 0;
}

static int read_column_meta(tc_reader *r, pq_column_meta *m)
{
    int type, status;
    int16_t id;
    unsigned seen = 0;
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        switch (id) {
        case 1: READ_I32(m->type); seen |= 1; break;
        case 4: READ_I32(m->codec); seen |= 2; break;
        case 5: READ_I64(m->num_values); seen |= 4; break;
        case 6: READ_I64(m->total_uncompressed_size); break;
        case 7: READ_I64(m->total_compressed_size); seen |= 8; break;
        case 9: READ_I64(m->data_page_offset); seen |= 16; break;
        case 11: READ_I64(m->dictionary_page_offset); m->has_dictionary_page_offset = true; break;
        case 12:
            EXPECT_STRUCT();
            if (read_statistics(r, &m->statistics) != 0)
                return -1;
            m->has_statistics = true;
            break;
        default: SKIP(); break;
        }
    }
    if (status < 0)
        return -1;
    return seen == 31 ? 0 : tn_pq_tc_fail(r, "column metadata lacks a required field");
}

static int read_column_chunk(tc_reader *r, pq_column_meta *m)
{
    int type, status;
    int16_t id;
    bool has_meta = false;
    memset(m, 0, sizeof *m);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        if (id == 3) {
            EXPECT_STRUCT();
            if (read_column_meta(r, m) != 0)
                return -1;
            has_meta = true;
        } else if (id == 8 || id == 9) {
            return tn_pq_tc_fail(r, "column is encrypted");
        } else {
            SKIP();
        }
    }
    if (status < 0)
        return -1;
    return has_meta ? 0 : tn_pq_tc_fail(r, "column chunk has no metadata");
}

static int read_row_group(tc_reader *r, tn_arena *arena, pq_row_group *g)
{
    int type, status, element_type;
    int16_t id;
    int32_t count;
    bool has_columns = false, has_rows = false;
    memset(g, 0, sizeof *g);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        switch (id) {
        case 1:
            if (tn_pq_tc_read_list(r, type, &element_type, &count) != 0)
                return -1;
            if (element_type != TC_STRUCT)
                return tn_pq_tc_fail(r, "row group columns are not structs");
            if ((g->columns = alloc_list(r, arena, count, sizeof(pq_column_meta))) == NULL)
                return -1;
            g->column_count = count;
            for (int32_t i = 0; i < count; i++) {
                if (read_column_chunk(r, &g->columns[i]) != 0)
                    return -1;
            }
            has_columns = true;
            break;
        case 2: READ_I64(g->total_byte_size); break;
        case 3: READ_I64(g->num_rows); has_rows = true; break;
        case 5: READ_I64(g->file_offset); break;
        case 6: READ_I64(g->total_compressed_size); break;
        default: SKIP(); break;
        }
    }
    if (status < 0)
        return -1;
    if (!has_columns || !has_rows)
        return tn_pq_tc_fail(r, "row group lacks a required field");
    return g->num_rows >= 0 ? 0 : tn_pq_tc_fail(r, "row group has a negative row count");
}

static int read_key_value(tc_reader *r, tn_arena *arena, tn_parquet_key_value *kv)
{
    int type, status;
    int16_t id;
    kv->key = kv->value = NULL;
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        if (id == 1) {
            if (read_string(r, type, arena, &kv->key) != 0)
                return -1;
        } else if (id == 2) {
            if (read_string(r, type, arena, &kv->value) != 0)
                return -1;
        } else {
            SKIP();
        }
    }
    if (status < 0)
        return -1;
    return kv->key != NULL ? 0 : tn_pq_tc_fail(r, "key-value metadata has no key");
}

static int read_file_meta(tc_reader *r, tn_arena *arena, pq_file_meta *meta)
{
    int type, status, element_type;
    int16_t id;
    int32_t count;
    unsigned seen = 0;
    memset(meta, 0, sizeof *meta);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        return -1;
    while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
        switch (id) {
        case 1: READ_I32(meta->version); seen |= 1; break;
        case 2:
            if (tn_pq_tc_read_list(r, type, &element_type, &count) != 0)
                return -1;
            if (element_type != TC_STRUCT)
                return tn_pq_tc_fail(r, "schema elements are not structs");
            if ((meta->schema = alloc_list(r, arena, count, sizeof(pq_schema_element))) == NULL)
                return -1;
            meta->schema_count = count;
            for (int32_t i = 0; i < count; i++) {
                if (read_schema_element(r, arena, &meta->schema[i]) != 0)
                    return -1;
            }
            seen |= 2;
            break;
        case 3: READ_I64(meta->num_rows); seen |= 4; break;
        case 4:
            if (tn_pq_tc_read_list(r, type, &element_type, &count) != 0)
                return -1;
            if (element_type != TC_STRUCT)
                return tn_pq_tc_fail(r, "row groups are not structs");
            if ((meta->row_groups = alloc_list(r, arena, count, sizeof(pq_row_group))) == NULL)
                return -1;
            meta->row_group_count = count;
            for (int32_t i = 0; i < count; i++) {
                if (read_row_group(r, arena, &meta->row_groups[i]) != 0)
                    return -1;
            }
            seen |= 8;
            break;
        case 5:
            if (tn_pq_tc_read_list(r, type, &element_type, &count) != 0)
                return -1;
            if (element_type != TC_STRUCT)
                return tn_pq_tc_fail(r, "key-value metadata is not structs");
            if ((meta->key_values = alloc_list(r, arena, count, sizeof(tn_parquet_key_value))) == NULL)
                return -1;
            meta->key_value_count = count;
            for (int32_t i = 0; i < count; i++) {
                if (read_key_value(r, arena, &meta->key_values[i]) != 0)
                    return -1;
            }
            break;
        case 6: if (read_string(r, type, arena, &meta->created_by) != 0) return -1; break;
        case 8: meta->has_encryption = true; SKIP(); break;
        default: SKIP(); break;
        }
    }
    if (status < 0)
        return -1;
    return seen == 15 ? 0 : tn_pq_tc_fail(r, "file metadata lacks a required field");
}

int tn_pq_file_meta_parse(const uint8_t *data, size_t size, tn_arena *arena, pq_file_meta *meta,
                          const char **defect)
{
    tc_reader r;
    tn_pq_tc_reader_init(&r, data, size);
    if (read_file_meta(&r, arena, meta) != 0) {
        *defect = r.defect != NULL ? r.defect : "invalid file metadata";
        return -1;
    }
    return 0;
}

int tn_pq_page_header_parse(const uint8_t *data, size_t size, pq_page_header *h,
                            size_t *header_size, const char **defect)
{
    tc_reader reader, *r = &reader;
    int type, status, outer_type;
    int16_t id, outer_id;
    unsigned seen = 0;
    memset(h, 0, sizeof *h);
    h->is_compressed = true;
    tn_pq_tc_reader_init(r, data, size);
    if (tn_pq_tc_struct_begin_read(r) != 0)
        goto fail;
    while ((status = tn_pq_tc_next_field(r, &outer_type, &outer_id)) == 1) {
        type = outer_type;
        if (outer_id == 1 || outer_id == 2 || outer_id == 3) {
            int32_t value;
            if (tn_pq_tc_read_i32(r, type, &value) != 0)
                goto fail;
            if (outer_id == 1) h->type = value;
            else if (outer_id == 2) h->uncompressed_size = value;
            else h->compressed_size = value;
            seen |= 1u << outer_id;
            continue;
        }
        if (outer_id != 5 && outer_id != 7 && outer_id != 8) {
            if (tn_pq_tc_skip(r, type) != 0)
                goto fail;
            continue;
        }
        if (type != TC_STRUCT || tn_pq_tc_struct_begin_read(r) != 0) {
            tn_pq_tc_fail(r, "page header has a malformed sub-header");
            goto fail;
        }
        seen |= 16;
        while ((status = tn_pq_tc_next_field(r, &type, &id)) == 1) {
            int32_t *target = NULL;
            if (outer_id == 5 || outer_id == 7) {
                /* DataPageHeader and DictionaryPageHeader share ids 1 and 2. */
                target = id == 1 ? &h->num_values : id == 2 ? &h->encoding : NULL;
            } else {
                int32_t *v2[] = {NULL, &h->num_values, &h->num_nulls, &h->num_rows, &h->encoding,
                                 &h->def_levels_size, &h->rep_levels_size};
                if (id >= 1 && id <= 6)
                    target = v2[id];
                else if (id == 7 && tn_pq_tc_read_bool(r, type, &h->is_compressed) != 0)
                    goto fail;
                else if (id == 7)
                    continue;
            }
            if (target != NULL ? tn_pq_tc_read_i32(r, type, target) : tn_pq_tc_skip(r, type))
                goto fail;
        }
        if (status < 0)
            goto fail;
    }
    if (status < 0)
        goto fail;
    if (seen != (2 | 4 | 8 | 16) && seen != (2 | 4 | 8)) {
        tn_pq_tc_fail(r, "page header lacks a required field");
        goto fail;
    }
    if (h->uncompressed_size < 0 || h->compressed_size < 0 || h->num_values < 0 ||
        h->num_nulls < 0 || h->def_levels_size < 0 || h->rep_levels_size < 0) {
        tn_pq_tc_fail(r, "page header has a negative size");
        goto fail;
    }
    *header_size = (size_t)(r->pos - data);
    return 0;
fail:
    *defect = r->defect != NULL ? r->defect : "invalid page header";
    return -1;
}

/* ---- writing ---- */

static void write_logical(tc_writer *w, const pq_logical *logical)
{
    tn_pq_tc_field(w, 10, TC_STRUCT);
    tn_pq_tc_struct_begin(w);
    tn_pq_tc_field(w, (int16_t)logical->kind, TC_STRUCT);
    tn_pq_tc_struct_begin(w);
    switch (logical->kind) {
    case PQ_LOGICAL_DECIMAL:
        tn_pq_tc_i32(w, 1, logical->scale);
        tn_pq_tc_i32(w, 2, logical->precision);
        break;
    case PQ_LOGICAL_TIMESTAMP:
        tn_pq_tc_bool(w, 1, logical->is_utc);
        tn_pq_tc_field(w, 2, TC_STRUCT);
        tn_pq_tc_struct_begin(w);
        tn_pq_tc_empty_struct(w, (int16_t)logical->unit);
        tn_pq_tc_struct_end(w);
        break;
    case PQ_LOGICAL_INTEGER:
        tn_pq_tc_i8(w, 1, (int8_t)logical->bit_width);
        tn_pq_tc_bool(w, 2, logical->is_signed);
        break;
    default: break;
    }
    tn_pq_tc_struct_end(w);
    tn_pq_tc_struct_end(w);
}

static void write_schema_element(tc_writer *w, const pq_schema_element *e)
{
    tn_pq_tc_struct_begin(w);
    if (e->type >= 0)
        tn_pq_tc_i32(w, 1, e->type);
    if (e->type == PQ_FIXED_LEN_BYTE_ARRAY)
        tn_pq_tc_i32(w, 2, e->type_length);
    if (e->repetition >= 0)
        tn_pq_tc_i32(w, 3, e->repetition);
    tn_pq_tc_binary(w, 4, e->name, strlen(e->name));
    if (e->num_children >= 0)
        tn_pq_tc_i32(w, 5, e->num_children);
    if (e->converted_type >= 0)
        tn_pq_tc_i32(w, 6, e->converted_type);
    if (e->converted_type == PQ_CONV_DECIMAL) {
        tn_pq_tc_i32(w, 7, e->scale);
        tn_pq_tc_i32(w, 8, e->precision);
    }
    if (e->has_field_id)
        tn_pq_tc_i32(w, 9, e->field_id);
    if (e->logical.kind != PQ_LOGICAL_NONE)
        write_logical(w, &e->logical);
    tn_pq_tc_struct_end(w);
}

static void write_statistics(tc_writer *w, const pq_statistics *s)
{
    tn_pq_tc_field(w, 12, TC_STRUCT);
    tn_pq_tc_struct_begin(w);
    tn_pq_tc_i64(w, 3, s->null_count);
    if (s->has_max_value)
        tn_pq_tc_binary(w, 5, s->max_value.data, s->max_value.length);
    if (s->has_min_value)
        tn_pq_tc_binary(w, 6, s->min_value.data, s->min_value.length);
    tn_pq_tc_struct_end(w);
}

static void write_column_chunk(tc_writer *w, const pq_column_meta *m)
{
    tn_pq_tc_struct_begin(w);
    tn_pq_tc_i64(w, 2, 0); /* file_offset: deprecated but required */
    tn_pq_tc_field(w, 3, TC_STRUCT);
    tn_pq_tc_struct_begin(w);
    tn_pq_tc_i32(w, 1, m->type);
    tn_pq_tc_list(w, 2, TC_I32, m->encoding_count);
    for (int i = 0; i < m->encoding_count; i++)
        tn_pq_tc_i32_element(w, m->encodings[i]);
    tn_pq_tc_list(w, 3, TC_BINARY, 1);
    tn_pq_tc_binary_element(w, m->path, strlen(m->path));
    tn_pq_tc_i32(w, 4, m->codec);
    tn_pq_tc_i64(w, 5, m->num_values);
    tn_pq_tc_i64(w, 6, m->total_uncompressed_size);
    tn_pq_tc_i64(w, 7, m->total_compressed_size);
    tn_pq_tc_i64(w, 9, m->data_page_offset);
    if (m->has_dictionary_page_offset)
        tn_pq_tc_i64(w, 11, m->dictionary_page_offset);
    if (m->has_statistics)
        write_statistics(w, &m->statistics);
    tn_pq_tc_struct_end(w);
    tn_pq_tc_struct_end(w);
}

int tn_pq_file_meta_write(const pq_file_meta *meta, tn_buf *out)
{
    tc_writer w;
    tn_pq_tc_writer_init(&w, out);
    tn_pq_tc_struct_begin(&w);
    tn_pq_tc_i32(&w, 1, meta->version);
    tn_pq_tc_list(&w, 2, TC_STRUCT, meta->schema_count);
    for (int i = 0; i < meta->schema_count; i++)
        write_schema_element(&w, &meta->schema[i]);
    tn_pq_tc_i64(&w, 3, meta->num_rows);
    tn_pq_tc_list(&w, 4, TC_STRUCT, meta->row_group_count);
    for (int g = 0; g < meta->row_group_count; g++) {
        const pq_row_group *group = &meta->row_groups[g];
        tn_pq_tc_struct_begin(&w);
        tn_pq_tc_list(&w, 1, TC_STRUCT, group->column_count);
        for (int c = 0; c < group->column_count; c++)
            write_column_chunk(&w, &group->columns[c]);
        tn_pq_tc_i64(&w, 2, group->total_byte_size);
        tn_pq_tc_i64(&w, 3, group->num_rows);
        tn_pq_tc_i64(&w, 5, group->file_offset);
        tn_pq_tc_i64(&w, 6, group->total_compressed_size);
        tn_pq_tc_field(&w, 7, TC_I16);
        tn_pq_tc_varint(&w, (uint64_t)g << 1);
        tn_pq_tc_struct_end(&w);
    }
    if (meta->key_value_count > 0) {
        tn_pq_tc_list(&w, 5, TC_STRUCT, meta->key_value_count);
        for (int i = 0; i < meta->key_value_count; i++) {
            const tn_parquet_key_value *kv = &meta->key_values[i];
            tn_pq_tc_struct_begin(&w);
            tn_pq_tc_binary(&w, 1, kv->key, strlen(kv->key));
            if (kv->value != NULL)
                tn_pq_tc_binary(&w, 2, kv->value, strlen(kv->value));
            tn_pq_tc_struct_end(&w);
        }
    }
    if (meta->created_by != NULL)
        tn_pq_tc_binary(&w, 6, meta->created_by, strlen(meta->created_by));
    /* column_orders: TYPE_ORDER for every leaf, so min_value/max_value mean
     * what they say. */
    int leaves = meta->schema_count - 1;
    tn_pq_tc_list(&w, 7, TC_STRUCT, leaves);
    for (int i = 0; i < leaves; i++) {
        tn_pq_tc_struct_begin(&w);
        tn_pq_tc_empty_struct(&w, 1);
        tn_pq_tc_struct_end(&w);
    }
    tn_pq_tc_struct_end(&w);
    return w.failed ? -1 : 0;
}

int tn_pq_page_header_write(const pq_page_header *h, tn_buf *out)
{
    tc_writer w;
    tn_pq_tc_writer_init(&w, out);
    tn_pq_tc_struct_begin(&w);
    tn_pq_tc_i32(&w, 1, h->type);
    tn_pq_tc_i32(&w, 2, h->uncompressed_size);
    tn_pq_tc_i32(&w, 3, h->compressed_size);
    if (h->type == PQ_PAGE_DATA) {
        tn_pq_tc_field(&w, 5, TC_STRUCT);
        tn_pq_tc_struct_begin(&w);
        tn_pq_tc_i32(&w, 1, h->num_values);
        tn_pq_tc_i32(&w, 2, h->encoding);
        tn_pq_tc_i32(&w, 3, PQ_ENC_RLE);
        tn_pq_tc_i32(&w, 4, PQ_ENC_RLE);
        tn_pq_tc_struct_end(&w);
    } else {
        tn_pq_tc_field(&w, 7, TC_STRUCT);
        tn_pq_tc_struct_begin(&w);
        tn_pq_tc_i32(&w, 1, h->num_values);
        tn_pq_tc_i32(&w, 2, h->encoding);
        tn_pq_tc_struct_end(&w);
    }
    tn_pq_tc_struct_end(&w);
    return w.failed ? -1 : 0;
}
