/*
 * The Thrift compact protocol, as much of it as Parquet footers and page
 * headers use: varints, zigzag integers, field headers with id deltas,
 * binaries, lists and nested structs.  The writer appends to a tn_buf and
 * remembers failure in a flag checked once at the end, so encoders read as
 * a list of fields.  The reader is defensive: every length is checked
 * against the bytes left, nesting is capped (TC_MAX_DEPTH), and unknown
 * fields of any type are skipped so files from newer writers still open.
 */
#include "storage/parquet/parquet_int.h"

#include <string.h>

static void put_byte(tc_writer *w, uint8_t byte);
static uint64_t zigzag(int64_t value);
static int64_t unzigzag(uint64_t value);

/* ---- writer ---- */

void tn_pq_tc_writer_init(tc_writer *w, tn_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->depth = 0;
}

static void put_byte(tc_writer *w, uint8_t byte)
{
    if (tn_buf_append(w->out, &byte, 1) != 0)
        w->failed = true;
}

static uint64_t zigzag(int64_t value)
{
    return ((uint64_t)value << 1) ^ (uint64_t)(value >> 63);
}

static int64_t unzigzag(uint64_t value)
{
    return (int64_t)((value >> 1) ^ (~(value & 1) + 1));
}

void tn_pq_tc_varint(tc_writer *w, uint64_t value)
{
    uint8_t bytes[10];
    int n = 0;
    while (value >= 0x80) {
        bytes[n++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    bytes[n++] = (uint8_t)value;
    if (tn_buf_append(w->out, bytes, (size_t)n) != 0)
        w->failed = true;
}

void tn_pq_tc_struct_begin(tc_writer *w)
{
    if (w->depth + 1 >= TC_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->last_id[++w->depth] = 0;
}

void tn_pq_tc_struct_end(tc_writer *w)
{
    put_byte(w, TC_STOP);
    if (w->depth > 0)
        w->depth--;
}

void tn_pq_tc_field(tc_writer *w, int16_t id, int type)
{
    int16_t delta = (int16_t)(id - w->last_id[w->depth]);
    if (delta > 0 && delta <= 15) {
        put_byte(w, (uint8_t)(delta << 4 | type));
    } else {
        put_byte(w, (uint8_t)type);
        tn_pq_tc_varint(w, zigzag(id));
    }
    w->last_id[w->depth] = id;
}

void tn_pq_tc_bool(tc_writer *w, int16_t id, bool value)
{
    tn_pq_tc_field(w, id, value ? TC_TRUE : TC_FALSE);
}

void tn_pq_tc_i8(tc_writer *w, int16_t id, int8_t value)
{
    tn_pq_tc_field(w, id, TC_I8);
    put_byte(w, (uint8_t)value);
}

void tn_pq_tc_i32(tc_writer *w, int16_t id, int32_t value)
{
    tn_pq_tc_field(w, id, TC_I32);
    tn_pq_tc_varint(w, zigzag(value));
}

void tn_pq_tc_i64(tc_writer *w, int16_t id, int64_t value)
{
    tn_pq_tc_field(w, id, TC_I64);
    tn_pq_tc_varint(w, zigzag(value));
}

void tn_pq_tc_binary(tc_writer *w, int16_t id, const void *data, size_t length)
{
    tn_pq_tc_field(w, id, TC_BINARY);
    tn_pq_tc_binary_element(w, data, length);
}

void tn_pq_tc_list(tc_writer *w, int16_t id, int element_type, int count)
{
    tn_pq_tc_field(w, id, TC_LIST);
    if (count <= 14) {
        put_byte(w, (uint8_t)(count << 4 | element_type));
    } else {
        put_byte(w, (uint8_t)(0xF0 | element_type));
        tn_pq_tc_varint(w, (uint64_t)count);
    }
}

void tn_pq_tc_i32_element(tc_writer *w, int32_t value)
{
    tn_pq_tc_varint(w, zigzag(value));
}

void tn_pq_tc_binary_element(tc_writer *w, const void *data, size_t length)
{
    tn_pq_tc_varint(w, length);
    if (tn_buf_append(w->out, data, length) != 0)
        w->failed = true;
}

void tn_pq_tc_empty_struct(tc_writer *w, int16_t id)
{
    tn_pq_tc_field(w, id, TC_STRUCT);
    tn_pq_tc_struct_begin(w);
    tn_pq_tc_struct_end(w);
}

/* ---- reader ---- */

void tn_pq_tc_reader_init(tc_reader *r, const uint8_t *data, size_t size)
{
    memset(r, 0, sizeof *r);
    r->pos = data;
    r->end = data + size;
}

int tn_pq_tc_fail(tc_reader *r, const char *defect)
{
    if (r->defect == NULL)
        r->defect = defect;
    return -1;
}

int tn_pq_tc_read_varint(tc_reader *r, uint64_t *out)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (r->pos >= r->end)
            return tn_pq_tc_fail(r, "thrift data ends inside a varint");
        uint8_t byte = *r->pos++;
        if (shift == 63 && byte > 1)
            return tn_pq_tc_fail(r, "thrift varint overflows 64 bits");
        value |= (uint64_t)(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            *out = value;
            return 0;
        }
    }
    return tn_pq_tc_fail(r, "thrift varint is too long");
}

int tn_pq_tc_struct_begin_read(tc_reader *r)
{
    if (r->depth + 1 >= TC_MAX_DEPTH)
        return tn_pq_tc_fail(r, "thrift structs nested too deeply");
    r->last_id[++r->depth] = 0;
    return 0;
}

int tn_pq_tc_next_field(tc_reader *r, int *type, int16_t *id)
{
    if (r->pos >= r->end)
        return tn_pq_tc_fail(r, "thrift data ends inside a struct");
    uint8_t byte = *r->pos++;
    if (byte == TC_STOP) {
        r->depth--;
        return 0;
    }
    *type = byte & 0x0F;
    int delta = byte >> 4;
    if (delta != 0) {
        *id = (int16_t)(r->last_id[r->depth] + delta);
    } else {
        uint64_t raw;
        if (tn_pq_tc_read_varint(r, &raw) != 0)
            return -1;
        int64_t value = unzigzag(raw);
        if (value < INT16_MIN || value > INT16_MAX)
            return tn_pq_tc_fail(r, "thrift field id out of range");
        *id = (int16_t)value;
    }
    r->last_id[r->depth] = *id;
    return 1;
}

static int read_zigzag(tc_reader *r, int64_t *out)
{
    uint64_t raw;
    if (tn_pq_tc_read_varint(r, &raw) != 0)
        return -1;
    *out = unzigzag(raw);
    return 0;
}

int tn_pq_tc_read_i32(tc_reader *r, int type, int32_t *out)
{
    int64_t value;
    if (type == TC_I8) {
        int8_t small;
        if (tn_pq_tc_read_i8(r, type, &small) != 0)
            return -1;
        *out = small;
        return 0;
    }
    if (type != TC_I32 && type != TC_I16)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected i32)");
    if (read_zigzag(r, &value) != 0)
        return -1;
    if (value < INT32_MIN || value > INT32_MAX)
        return tn_pq_tc_fail(r, "thrift i32 out of range");
    *out = (int32_t)value;
    return 0;
}

int tn_pq_tc_read_i64(tc_reader *r, int type, int64_t *out)
{
    if (type == TC_I32 || type == TC_I16 || type == TC_I8) {
        int32_t value;
        if (tn_pq_tc_read_i32(r, type, &value) != 0)
            return -1;
        *out = value;
        return 0;
    }
    if (type != TC_I64)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected i64)");
    return read_zigzag(r, out);
}

int tn_pq_tc_read_i8(tc_reader *r, int type, int8_t *out)
{
    if (type != TC_I8)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected i8)");
    if (r->pos >= r->end)
        return tn_pq_tc_fail(r, "thrift data ends inside an i8");
    *out = (int8_t)*r->pos++;
    return 0;
}

int tn_pq_tc_read_bool(tc_reader *r, int type, bool *out)
{
    if (type != TC_TRUE && type != TC_FALSE)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected bool)");
    *out = type == TC_TRUE;
    return 0;
}

int tn_pq_tc_read_binary(tc_reader *r, int type, const uint8_t **data, uint32_t *length)
{
    uint64_t size;
    if (type != TC_BINARY)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected binary)");
    if (tn_pq_tc_read_varint(r, &size) != 0)
        return -1;
    if (size > (uint64_t)(r->end - r->pos))
        return tn_pq_tc_fail(r, "thrift binary length exceeds the data");
    *data = r->pos;
    *length = (uint32_t)size;
    r->pos += size;
    return 0;
}

int tn_pq_tc_read_list(tc_reader *r, int type, int *element_type, int32_t *count)
{
    if (type != TC_LIST && type != TC_SET)
        return tn_pq_tc_fail(r, "thrift field has the wrong type (expected list)");
    if (r->pos >= r->end)
        return tn_pq_tc_fail(r, "thrift data ends inside a list header");
    uint8_t byte = *r->pos++;
    uint64_t size = byte >> 4;
    if (size == 15 && tn_pq_tc_read_varint(r, &size) != 0)
        return -1;
    /* Every element takes at least one byte: a larger count is a lie. */
    if (size > (uint64_t)(r->end - r->pos))
        return tn_pq_tc_fail(r, "thrift list size exceeds the data");
    *element_type = byte & 0x0F;
    *count = (int32_t)size;
    return 0;
}

int tn_pq_tc_skip(tc_reader *r, int type)
{
    uint64_t ignored_varint;
    const uint8_t *ignored_data;
    uint32_t ignored_length;
    switch (type) {
    case TC_TRUE:
    case TC_FALSE: return 0;
    case TC_I8:
        if (r->pos >= r->end)
            return tn_pq_tc_fail(r, "thrift data ends inside an i8");
        r->pos++;
        return 0;
    case TC_I16:
    case TC_I32:
    case TC_I64: return tn_pq_tc_read_varint(r, &ignored_varint);
    case TC_DOUBLE:
        if (r->end - r->pos < 8)
            return tn_pq_tc_fail(r, "thrift data ends inside a double");
        r->pos += 8;
        return 0;
    case TC_BINARY: return tn_pq_tc_read_binary(r, TC_BINARY, &ignored_data, &ignored_length);
    case TC_LIST:
    case TC_SET: {
        int element_type;
        int32_t count;
        if (tn_pq_tc_read_list(r, type, &element_type, &count) != 0)
            return -1;
        if (r->depth + 1 >= TC_MAX_DEPTH)
            return tn_pq_tc_fail(r, "thrift structs nested too deeply");
        r->depth++;
        for (int32_t i = 0; i < count; i++) {
            /* Bools inside lists are one byte each. */
            int skip_type = element_type == TC_TRUE || element_type == TC_FALSE ? TC_I8 : element_type;
            if (tn_pq_tc_skip(r, skip_type) != 0)
                return -1;
        }
        r->depth--;
        return 0;
    }
    case TC_MAP: {
        uint64_t count;
        if (tn_pq_tc_read_varint(r, &count) != 0)
            return -1;
        if (count == 0)
            return 0;
        if (count > (uint64_t)(r->end - r->pos) || r->pos >= r->end)
            return tn_pq_tc_fail(r, "thrift map size exceeds the data");
        uint8_t types = *r->pos++;
        if (r->depth + 1 >= TC_MAX_DEPTH)
            return tn_pq_tc_fail(r, "thrift structs nested too deeply");
        r->depth++;
        for (uint64_t i = 0; i < count; i++) {
            if (tn_pq_tc_skip(r, types >> 4) != 0 || tn_pq_tc_skip(r, types & 0x0F) != 0)
                return -1;
        }
        r->depth--;
        return 0;
    }
    case TC_STRUCT: {
        if (tn_pq_tc_struct_begin_read(r) != 0)
            return -1;
        int field_type;
        int16_t id;
        int status;
        while ((status = tn_pq_tc_next_field(r, &field_type, &id)) == 1) {
            if (tn_pq_tc_skip(r, field_type) != 0)
                return -1;
        }
        return status;
    }
    default: return tn_pq_tc_fail(r, "thrift data has an unknown type");
    }
}
