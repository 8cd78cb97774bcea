/*
 * Unit tests of the Parquet codec: the Thrift compact protocol against the
 * byte examples of the format notes, the RLE/bit-packing hybrid, every
 * read-side encoding on hand-built buffers, and write + read round trips
 * for every type x {some nulls, all null, required} x every codec, with
 * several row groups and pages, dictionary fallback, long strings, NUMERIC
 * extremes, statistics, and the error texts of bad files and bad calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/parquet/parquet_int.h"

static char temp_path[64];

static const char *make_temp_path(void)
{
    strcpy(temp_path, "/tmp/tarn_parquet_XXXXXX");
    int fd = mkstemp(temp_path);
    assert_true(fd >= 0);
    close(fd);
    return temp_path;
}

/* ---- thrift ---- */

static void test_thrift_schema_element_bytes(void **state)
{
    (void)state;
    tn_buf buf = TN_BUF_INIT;
    pq_file_meta meta;
    memset(&meta, 0, sizeof meta);
    pq_schema_element e = {.type = PQ_BYTE_ARRAY, .repetition = PQ_OPTIONAL, .name = "s", .num_children = -1,
                           .converted_type = PQ_CONV_UTF8, .logical = {.kind = PQ_LOGICAL_STRING}};
    /* Serialise through the file writer and find the element's bytes. */
    pq_schema_element schema[2] = {{.type = -1, .repetition = -1, .name = "r", .num_children = 1, .converted_type = -1}, e};
    meta.version = 1;
    meta.schema = schema;
    meta.schema_count = 2;
    assert_int_equal(tn_pq_file_meta_write(&meta, &buf), 0);
    static const uint8_t expected[] = {0x15, 0x0C, 0x25, 0x02, 0x18, 0x01, 0x73, 0x25, 0x00,
                                       0x4C, 0x1C, 0x00, 0x00, 0x00};
    assert_non_null(memmem(buf.data, buf.length, expected, sizeof expected));
    /* FileMetaData: version then the schema list header of 2 structs. */
    static const uint8_t head[] = {0x15, 0x02, 0x19, 0x2C};
    assert_memory_equal(buf.data, head, sizeof head);
    /* And it parses back. */
    tn_arena *arena = tn_arena_create();
    pq_file_meta parsed;
    const char *defect = NULL;
    assert_int_equal(tn_pq_file_meta_parse((const uint8_t *)buf.data, buf.length, arena, &parsed, &defect), 0);
    assert_int_equal(parsed.schema_count, 2);
    assert_string_equal(parsed.schema[1].name, "s");
    assert_int_equal(parsed.schema[1].logical.kind, PQ_LOGICAL_STRING);
    assert_int_equal(parsed.schema[1].converted_type, PQ_CONV_UTF8);
    assert_int_equal(parsed.schema[1].repetition, PQ_OPTIONAL);
    assert_int_equal(parsed.schema[0].num_children, 1);
    tn_arena_destroy(arena);
    tn_buf_free(&buf);
}

static void test_thrift_timestamp_logical_bytes(void **state)
{
    (void)state;
    tn_buf buf = TN_BUF_INIT;
    pq_schema_element schema[2] = {
        {.type = -1, .repetition = -1, .name = "r", .num_children = 1, .converted_type = -1},
        {.type = PQ_INT64, .repetition = PQ_OPTIONAL, .name = "t", .num_children = -1, .converted_type = -1,
         .logical = {.kind = PQ_LOGICAL_TIMESTAMP, .is_utc = true, .unit = PQ_UNIT_MICROS}}};
    pq_file_meta meta = {.version = 1, .schema = schema, .schema_count = 2};
    assert_int_equal(tn_pq_file_meta_write(&meta, &buf), 0);
    /* name "t" (field 4) then field 10 as a long delta from 4: 0x6C. */
    static const uint8_t expected[] = {0x6C, 0x8C, 0x11, 0x1C, 0x2C, 0x00, 0x00, 0x00, 0x00};
    assert_non_null(memmem(buf.data, buf.length, expected, sizeof expected));
    tn_arena *arena = tn_arena_create();
    pq_file_meta parsed;
    const char *defect = NULL;
    assert_int_equal(tn_pq_file_meta_parse((const uint8_t *)buf.data, buf.length, arena, &parsed, &defect), 0);
    assert_int_equal(parsed.schema[1].logical.kind, PQ_LOGICAL_TIMESTAMP);
    assert_true(parsed.schema[1].logical.is_utc);
    assert_int_equal(parsed.schema[1].logical.unit, PQ_UNIT_MICROS);
    tn_arena_destroy(arena);
    tn_buf_free(&buf);
}

static void test_thrift_varints_and_skip(void **state)
{
    (void)state;
    tn_buf buf = TN_BUF_INIT;
    tc_writer w;
    tn_pq_tc_writer_init(&w, &buf);
    tn_pq_tc_struct_begin(&w);
    tn_pq_tc_i32(&w, 1, 1);
    tn_pq_tc_i32(&w, 2, -1);
    tn_pq_tc_i32(&w, 3, 6);
    tn_pq_tc_i64(&w, 4, 300);
    tn_pq_tc_i8(&w, 5, -3);
    tn_pq_tc_bool(&w, 6, true);
    tn_pq_tc_bool(&w, 40, false); /* long-form header */
    tn_pq_tc_list(&w, 41, TC_I32, 20);
    for (int i = 0; i < 20; i++)
        tn_pq_tc_i32_element(&w, i);
    tn_pq_tc_binary(&w, 42, "abc", 3);
    tn_pq_tc_struct_end(&w);
    assert_false(w.failed);
    static const uint8_t head[] = {0x15, 0x02, 0x15, 0x01, 0x15, 0x0C, 0x16, 0xD8, 0x04, 0x13, 0xFD, 0x11,
                                   0x02, 0x50, 0x19, 0xF5, 0x14};
    assert_memory_equal(buf.data, head, sizeof head);

    tc_reader r;
    int type;
    int16_t id;
    int32_t value32;
    int64_t value64;
    int8_t value8;
    bool flag;
    tn_pq_tc_reader_init(&r, (const uint8_t *)buf.data, buf.length);
    assert_int_equal(tn_pq_tc_struct_begin_read(&r), 0);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_read_i32(&r, type, &value32), 0);
    assert_int_equal(value32, 1);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_read_i32(&r, type, &value32), 0);
    assert_int_equal(value32, -1);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_skip(&r, type), 0);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_read_i64(&r, type, &value64), 0);
    assert_int_equal(value64, 300);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_read_i8(&r, type, &value8), 0);
    assert_int_equal(value8, -3);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_read_bool(&r, type, &flag), 0);
    assert_true(flag);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(id, 40);
    assert_int_equal(tn_pq_tc_read_bool(&r, type, &flag), 0);
    assert_false(flag);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(id, 41);
    assert_int_equal(tn_pq_tc_skip(&r, type), 0);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 1);
    assert_int_equal(tn_pq_tc_skip(&r, type), 0);
    assert_int_equal(tn_pq_tc_next_field(&r, &type, &id), 0);
    assert_true(r.pos == r.end);

    /* Truncation anywhere is a defect, never a crash. */
    for (size_t cut = 0; cut < buf.length; cut++) {
        tn_pq_tc_reader_init(&r, (const uint8_t *)buf.data, cut);
        assert_int_equal(tn_pq_tc_skip(&r, TC_STRUCT), -1);
        assert_non_null(r.defect);
    }
    /* A list claiming more elements than bytes. */
    static const uint8_t lying[] = {0x19, 0xF5, 0xFF, 0xFF, 0x03, 0x00};
    tn_pq_tc_reader_init(&r, lying, sizeof lying);
    assert_int_equal(tn_pq_tc_skip(&r, TC_STRUCT), -1);
    assert_string_equal(r.defect, "thrift list size exceeds the data");
    tn_buf_free(&buf);
}

static void test_thrift_page_header_round_trip(void **state)
{
    (void)state;
    tn_buf buf = TN_BUF_INIT;
    pq_page_header h = {.type = PQ_PAGE_DATA, .uncompressed_size = 1000, .compressed_size = 400,
                        .num_values = 77, .encoding = PQ_ENC_RLE_DICTIONARY};
    assert_int_equal(tn_pq_page_header_write(&h, &buf), 0);
    assert_int_equal(tn_buf_append(&buf, "body", 4), 0);
    pq_page_header parsed;
    size_t size;
    const char *defect = NULL;
    assert_int_equal(tn_pq_page_header_parse((const uint8_t *)buf.data, buf.length, &parsed, &size, &defect), 0);
    assert_int_equal(size, buf.length - 4);
    assert_int_equal(parsed.type, PQ_PAGE_DATA);
    assert_int_equal(parsed.uncompressed_size, 1000);
    assert_int_equal(parsed.compressed_size, 400);
    assert_int_equal(parsed.num_values, 77);
    assert_int_equal(parsed.encoding, PQ_ENC_RLE_DICTIONARY);
    /* A v2 header written by hand: type 3, sizes, sub-header field 8. */
    static const uint8_t v2[] = {0x15, 0x06, 0x15, 0x20, 0x15, 0x1E, 0x5C, 0x15, 0x14, 0x15, 0x02, 0x15, 0x14,
                                 0x15, 0x00, 0x15, 0x04, 0x15, 0x00, 0x12, 0x00, 0x00};
    assert_int_equal(tn_pq_page_header_parse(v2, sizeof v2, &parsed, &size, &defect), 0);
    assert_int_equal(parsed.type, PQ_PAGE_DATA_V2);
    assert_int_equal(parsed.num_values, 10);
    assert_int_equal(parsed.num_nulls, 1);
    assert_int_equal(parsed.num_rows, 10);
    assert_int_equal(parsed.def_levels_size, 2);
    assert_false(parsed.is_compressed);
    assert_int_equal(size, sizeof v2);
    tn_buf_free(&buf);
}

/* ---- RLE / bit-packing hybrid ---- */

static void test_rle_examples(void **state)
{
    (void)state;
    uint32_t out[16];
    const char *defect = NULL;
    /* v1 levels of 10 non-null values: length 2, RLE 10 x 1. */
    static const uint8_t levels[] = {0x02, 0x00, 0x00, 0x00, 0x14, 0x01};
    assert_int_equal(pq_load_u32(levels), 2);
    assert_int_equal(tn_pq_rle_decode(levels + 4, 2, 1, out, 10, &defect), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(out[i], 1);
    /* Levels 1,0,1,1,0,0,0,1 bit-packed. */
    static const uint8_t packed[] = {0x03, 0x8D};
    static const uint32_t packed_values[] = {1, 0, 1, 1, 0, 0, 0, 1};
    assert_int_equal(tn_pq_rle_decode(packed, 2, 1, out, 8, &defect), 0);
    assert_memory_equal(out, packed_values, sizeof packed_values);
    /* Dictionary indices 0,1,2,3,0,1,2,3 at width 2 (after the width byte). */
    static const uint8_t indices[] = {0x02, 0x03, 0xE4, 0xE4};
    static const uint32_t index_values[] = {0, 1, 2, 3, 0, 1, 2, 3};
    assert_int_equal(tn_pq_rle_decode(indices + 1, 3, indices[0], out, 8, &defect), 0);
    assert_memory_equal(out, index_values, sizeof index_values);
    /* The encoder produces the same bytes. */
    tn_buf buf = TN_BUF_INIT;
    assert_int_equal(tn_pq_rle_encode(&buf, index_values, 8, 2), 0);
    assert_int_equal(buf.length, 3);
    assert_memory_equal(buf.data, indices + 1, 3);
    tn_buf_clear(&buf);
    assert_int_equal(tn_pq_rle_encode(&buf, packed_values, 8, 1), 0);
    assert_memory_equal(buf.data, packed, 2);
    tn_buf_free(&buf);
    /* Truncated and lying runs. */
    assert_int_equal(tn_pq_rle_decode(levels + 4, 1, 1, out, 10, &defect), -1);
    static const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
    assert_int_equal(tn_pq_rle_decode(huge, sizeof huge, 8, out, 8, &defect), -1);
    assert_string_equal(defect, "bit-packed run exceeds the data");
    static const uint8_t too_wide[] = {0x04, 0x05};
    assert_int_equal(tn_pq_rle_decode(too_wide, 2, 2, out, 2, &defect), -1);
}

static void test_rle_round_trip(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint32_t *values = malloc(sizeof(uint32_t) * N), *out = malloc(sizeof(uint32_t) * N);
    for (int width = 0; width <= 32; width += (width < 4 ? 1 : 7)) {
        uint64_t mask = width == 32 ? 0xFFFFFFFFu : (((uint64_t)1 << width) - 1);
        for (int i = 0; i < N; i++) {
            /* Runs, alternations and noise. */
            uint64_t v = (i / 100) % 3 == 0 ? 5 : (i % 4 == 0 ? (uint64_t)i * 2654435761u : (uint64_t)i);
            values[i] = (uint32_t)(v & mask);
        }
        for (int count = 0; count <= N; count += count < 20 ? 1 : 997) {
            tn_buf buf = TN_BUF_INIT;
            const char *defect = NULL;
            assert_int_equal(tn_pq_rle_encode(&buf, values, (size_t)count, width), 0);
            assert_int_equal(tn_pq_rle_decode((const uint8_t *)buf.data, buf.length, width, out, (size_t)count, &defect), 0);
            assert_memory_equal(out, values, sizeof(uint32_t) * (size_t)count);
            tn_buf_free(&buf);
        }
    }
    free(values);
    free(out);
}

/* ---- read-side encodings ---- */

static void test_delta_binary_packed(void **state)
{
    (void)state;
    int64_t out[8];
    size_t consumed;
    const char *defect = NULL;
    /* 1,2,3,4,5: one block, min delta 1, every width 0. */
    static const uint8_t ones[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
    assert_int_equal(tn_pq_delta_decode(ones, sizeof ones, out, 5, &consumed, &defect), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i], i + 1);
    assert_int_equal(consumed, sizeof ones);
    /* 7,5,3,1,2,3,4,5: min delta -2, width 2. */
    static const uint8_t mixed[] = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                                    0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const int64_t expected[] = {7, 5, 3, 1, 2, 3, 4, 5};
    assert_int_equal(tn_pq_delta_decode(mixed, sizeof mixed, out, 8, &consumed, &defect), 0);
    assert_memory_equal(out, expected, sizeof expected);
    assert_int_equal(consumed, sizeof mixed);
    /* Only a first value: no block follows. */
    static const uint8_t single[] = {0x80, 0x01, 0x04, 0x01, 0x07};
    assert_int_equal(tn_pq_delta_decode(single, sizeof single, out, 1, &consumed, &defect), 0);
    assert_int_equal(out[0], -4);
    /* Truncations fail cleanly. */
    for (size_t cut = 0; cut < sizeof mixed; cut++)
        assert_int_equal(tn_pq_delta_decode(mixed, cut, out, 8, &consumed, &defect), -1);
    /* A bad block size. */
    static const uint8_t bad[] = {0x81, 0x01, 0x04, 0x01, 0x07};
    assert_int_equal(tn_pq_delta_decode(bad, sizeof bad, out, 1, &consumed, &defect), -1);
    assert_string_equal(defect, "delta header has invalid block sizes");
}

static void test_delta_byte_arrays(void **state)
{
    (void)state;
    tn_arena *arena = tn_arena_create();
    pq_bytes out[4];
    const char *defect = NULL;
    static const uint8_t lengths[] = {0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x00,
                                      0x02, 0x00, 0x00, 0x00, 'H', 'e', 'l', 'l', 'o', 'W', 'o', 'r', 'l', 'd',
                                      'F', 'o', 'o', 'b', 'a', 'r', 'A', 'B', 'C', 'D', 'E', 'F'};
    static const char *const words[] = {"Hello", "World", "Foobar", "ABCDEF"};
    assert_int_equal(tn_pq_delta_length_decode(lengths, sizeof lengths, out, 4, arena, &defect), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[i].length, strlen(words[i]));
        assert_memory_equal(out[i].data, words[i], out[i].length);
    }
    assert_int_equal(tn_pq_delta_length_decode(lengths, sizeof lengths - 1, out, 4, arena, &defect), -1);

    static const uint8_t prefixed[] = {
        0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00,
        0x44, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00,
        0x70, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        'a', 'x', 'i', 's', 'l', 'e', 'b', 'a', 'b', 'b', 'l', 'e', 'y', 'h', 'o', 'o', 'd'};
    static const char *const rebuilt[] = {"axis", "axle", "babble", "babyhood"};
    assert_int_equal(tn_pq_delta_byte_array_decode(prefixed, sizeof prefixed, out, 4, arena, &defect), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[i].length, strlen(rebuilt[i]));
        assert_memory_equal(out[i].data, rebuilt[i], out[i].length);
    }
    tn_arena_destroy(arena);
}

static void test_byte_stream_split(void **state)
{
    (void)state;
    static const uint8_t data[] = {0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x3F, 0x40};
    float out[2];
    const char *defect = NULL;
    assert_int_equal(tn_pq_byte_stream_split_decode(data, sizeof data, 4, 2, (uint8_t *)out, &defect), 0);
    assert_true(out[0] == 1.0f && out[1] == 2.0f);
    assert_int_equal(tn_pq_byte_stream_split_decode(data, 7, 4, 2, (uint8_t *)out, &defect), -1);
}

static void test_codecs_round_trip(void **state)
{
    (void)state;
    static const int codecs[] = {TN_PARQUET_UNCOMPRESSED, TN_PARQUET_SNAPPY, TN_PARQUET_GZIP, TN_PARQUET_ZSTD,
                                 TN_PARQUET_LZ4_RAW};
    char text[4000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)("parquet"[i % 7] + (i % 97 == 0));
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        tn_buf buf = TN_BUF_INIT;
        char out[4000];
        const char *defect = NULL;
        tn_pq_codecs contexts = {NULL, NULL};
        assert_int_equal(tn_pq_compress(&contexts, codecs[c], 0, (const uint8_t *)text, sizeof text, &buf), 0);
        assert_int_equal(tn_pq_decompress(&contexts, codecs[c], (const uint8_t *)buf.data, buf.length, (uint8_t *)out,
                                          sizeof out, &defect), 0);
        assert_memory_equal(out, text, sizeof text);
        /* A wrong expected size is corruption. */
        assert_int_equal(tn_pq_decompress(&contexts, codecs[c], (const uint8_t *)buf.data, buf.length, (uint8_t *)out,
                                          sizeof out - 1, &defect), -1);
        assert_string_equal(defect, "page does not decompress to its recorded size");
        tn_pq_codecs_free(&contexts);
        tn_buf_free(&buf);
    }
}

/* ---- round trips ---- */

typedef struct type_case {
    tn_type type;
} type_case;

static tn_type case_type(int index)
{
    static const tn_type_id ids[] = {TN_TYPE_BOOL, TN_TYPE_INT16, TN_TYPE_INT32, TN_TYPE_INT64, TN_TYPE_FLOAT32,
                                     TN_TYPE_FLOAT64, TN_TYPE_NUMERIC, TN_TYPE_NUMERIC, TN_TYPE_NUMERIC,
                                     TN_TYPE_TEXT, TN_TYPE_DATE, TN_TYPE_TIMESTAMP, TN_TYPE_TIMESTAMPTZ};
    if (index == 6)
        return tn_type_numeric(9, 2);
    if (index == 7)
        return tn_type_numeric(18, 3);
    if (index == 8)
        return tn_type_numeric(38, 5);
    return tn_type_make(ids[index]);
}
#define TYPE_CASES 13
#define VARIANTS 3 /* 0: nullable with some nulls, 1: all null, 2: required */

static tn_int128 pow10_128(int n)
{
    tn_int128 v = 1;
    while (n-- > 0)
        v *= 10;
    return v;
}

/* The value of row r for a type case; text goes through buf. */
static tn_value expected_value(int type_index, int variant, int64_t r, char *buf)
{
    tn_type type = case_type(type_index);
    tn_value value = tn_value_null(type);
    if (variant == 1 || (variant == 0 && r % 5 == 2))
        return value;
    value.is_null = false;
    int64_t s = r % 2 ? -r : r;
    switch (type.id) {
    case TN_TYPE_BOOL: value.u.boolean = r % 3 == 1; break;
    case TN_TYPE_INT16: value.u.integer = r == 1 ? INT16_MIN : r == 4 ? INT16_MAX : s % 30000; break;
    case TN_TYPE_INT32: value.u.integer = r == 1 ? INT32_MIN : r == 4 ? INT32_MAX : s * 1234567 % 1000000000; break;
    case TN_TYPE_INT64: value.u.integer = r == 1 ? INT64_MIN : r == 4 ? INT64_MAX : s * 987654321987LL; break;
    case TN_TYPE_FLOAT32: value.u.floating = r == 1 ? -0.0 : r == 6 ? (double)NAN : (float)s / 8.0f; break;
    case TN_TYPE_FLOAT64: value.u.floating = r == 4 ? INFINITY : (double)s / 3.0; break;
    case TN_TYPE_NUMERIC: {
        tn_int128 limit = pow10_128(type.precision) - 1;
        value.u.numeric = r == 1 ? -limit : r == 4 ? limit : (tn_int128)s * 97 % limit;
        break;
    }
    case TN_TYPE_TEXT: {
        /* Short and long strings, a few repeated (dictionary) and an empty one. */
        int length = r == 0 ? 0 : r % 3 == 0 ? sprintf(buf, "short %d", (int)(r % 4))
                                             : sprintf(buf, "a longer string for row %lld", (long long)r);
        value.u.string = tn_string_make(buf, (uint32_t)length);
        break;
    }
    case TN_TYPE_DATE: value.u.integer = s * 3; break;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: value.u.integer = s * 86400000123LL; break;
    default: break;
    }
    return value;
}

static bool values_equal(const tn_value *a, const tn_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null == b->is_null;
    switch (a->type.id) {
    case TN_TYPE_BOOL: return a->u.boolean == b->u.boolean;
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64:
        return (isnan(a->u.floating) && isnan(b->u.floating)) ||
               (a->u.floating == b->u.floating && signbit(a->u.floating) == signbit(b->u.floating));
    case TN_TYPE_NUMERIC: return a->u.numeric == b->u.numeric;
    case TN_TYPE_TEXT: return tn_string_equal(&a->u.string, &b->u.string);
    default: return a->u.integer == b->u.integer;
    }
}

static void write_cases(const char *path, tn_parquet_codec codec, int64_t rows, tn_parquet_file_info *info)
{
    tn_error err = TN_ERROR_INIT;
    enum { COLUMNS = TYPE_CASES * VARIANTS };
    tn_parquet_column columns[COLUMNS];
    tn_type types[COLUMNS];
    char names[COLUMNS][16];
    for (int c = 0; c < COLUMNS; c++) {
        types[c] = case_type(c / VARIANTS);
        sprintf(names[c], "c%d_%d", c / VARIANTS, c % VARIANTS);
        columns[c] = (tn_parquet_column){names[c], types[c], c % VARIANTS != 2, c};
    }
    tn_parquet_options options;
    tn_parquet_options_default(&options);
    options.codec = codec;
    options.row_group_rows = 3000;
    options.page_rows = 700;
    tn_parquet_writer *writer = tn_parquet_writer_open(path, columns, COLUMNS, &options, &err);
    assert_non_null(writer);
    tn_chunk *chunk = tn_chunk_create(types, COLUMNS);
    char buf[64];
    for (int64_t r = 0; r < rows;) {
        tn_chunk_reset(chunk);
        uint32_t n = rows - r < 1500 ? (uint32_t)(rows - r) : 1500;
        for (int c = 0; c < COLUMNS; c++) {
            for (uint32_t i = 0; i < n; i++) {
                tn_value value = expected_value(c / VARIANTS, c % VARIANTS, r + i, buf);
                assert_int_equal(tn_vector_set_value(&chunk->columns[c], i, &value), 0);
            }
        }
        chunk->count = n;
        assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), 0);
        r += n;
    }
    tn_chunk_destroy(chunk);
    assert_int_equal(tn_parquet_writer_close(writer, info, &err), 0);
    assert_false(tn_error_is_set(&err));
}

static void check_cases(const char *path, int64_t rows)
{
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    assert_non_null(reader);
    int n = tn_parquet_reader_column_count(reader);
    assert_int_equal(n, TYPE_CASES * VARIANTS);
    assert_int_equal(tn_parquet_reader_row_count(reader), rows);
    assert_string_equal(tn_parquet_reader_created_by(reader), "tarn version " TN_VERSION);
    int indexes[TYPE_CASES * VARIANTS];
    tn_type types[TYPE_CASES * VARIANTS];
    for (int c = 0; c < n; c++) {
        const tn_parquet_column *column = tn_parquet_reader_column(reader, c);
        assert_true(tn_type_equal(column->type, case_type(c / VARIANTS)));
        assert_int_equal(column->is_nullable, c % VARIANTS != 2);
        assert_int_equal(column->field_id, c);
        indexes[c] = c;
        types[c] = column->type;
    }
    tn_chunk *chunk = tn_chunk_create(types, n);
    int64_t r = 0;
    char buf[64];
    for (int g = 0; g < tn_parquet_reader_row_group_count(reader); g++) {
        tn_parquet_scan *scan = tn_parquet_scan_open(reader, g, indexes, n, &err);
        assert_non_null(scan);
        int count;
        while ((count = tn_parquet_scan_next(scan, chunk, &err)) > 0) {
            for (int c = 0; c < n; c++) {
                for (int i = 0; i < count; i++) {
                    tn_value got, want = expected_value(c / VARIANTS, c % VARIANTS, r + i, buf);
                    tn_vector_get_value(&chunk->columns[c], (uint32_t)i, &got);
                    if (!values_equal(&got, &want))
                        fail_msg("column %d row %lld differs", c, (long long)(r + i));
                }
            }
            r += count;
        }
        assert_int_equal(count, 0);
        tn_parquet_scan_close(scan);
    }
    assert_int_equal(r, rows);
    tn_chunk_destroy(chunk);
    tn_parquet_reader_close(reader);
}

static void test_round_trip_every_codec(void **state)
{
    (void)state;
    static const tn_parquet_codec codecs[] = {TN_PARQUET_UNCOMPRESSED, TN_PARQUET_SNAPPY, TN_PARQUET_GZIP,
                                              TN_PARQUET_ZSTD, TN_PARQUET_LZ4_RAW};
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        const char *path = make_temp_path();
        tn_parquet_file_info info;
        write_cases(path, codecs[i], 7000, &info);
        assert_int_equal(info.row_count, 7000);
        assert_int_equal(info.row_group_count, 3);
        assert_int_equal(info.column_count, TYPE_CASES * VARIANTS);
        tn_parquet_file_info_free(&info);
        check_cases(path, 7000);
        unlink(path);
    }
}

static void test_round_trip_small_and_empty(void **state)
{
    (void)state;
    int64_t sizes[] = {0, 1, 2048, 2049};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const char *path = make_temp_path();
        tn_parquet_file_info info;
        write_cases(path, TN_PARQUET_ZSTD, sizes[i], &info);
        assert_int_equal(info.row_group_count, sizes[i] == 0 ? 0 : 1);
        tn_parquet_file_info_free(&info);
        check_cases(path, sizes[i]);
        unlink(path);
    }
}

static void test_statistics(void **state)
{
    (void)state;
    const char *path = make_temp_path();
    tn_parquet_file_info info;
    write_cases(path, TN_PARQUET_SNAPPY, 7000, &info);
    /* File statistics from the writer. */
    const tn_parquet_column_stats *s = &info.columns[2 * VARIANTS + 0]; /* INT32, some nulls */
    assert_true(s->has_null_count);
    assert_int_equal(s->null_count, 1400);
    assert_true(s->has_min_max);
    assert_int_equal(s->min.u.integer, INT32_MIN);
    assert_int_equal(s->max.u.integer, INT32_MAX);
    s = &info.columns[2 * VARIANTS + 1]; /* all null */
    assert_int_equal(s->null_count, 7000);
    assert_false(s->has_min_max);
    s = &info.columns[8 * VARIANTS + 2]; /* NUMERIC(38,5), required */
    assert_int_equal(s->null_count, 0);
    assert_true(s->min.u.numeric == -(pow10_128(38) - 1));
    assert_true(s->max.u.numeric == pow10_128(38) - 1);
    s = &info.columns[4 * VARIANTS + 2]; /* FLOAT32: NaN left out, -0.0 and no NaN in bounds */
    assert_false(isnan(s->min.u.floating) || isnan(s->max.u.floating));
    s = &info.columns[9 * VARIANTS + 2]; /* TEXT */
    assert_int_equal(s->min.u.string.length, 0);
    assert_memory_equal(tn_string_data(&s->max.u.string), "short 3", 7);
    tn_parquet_file_info_free(&info);

    /* Row-group statistics from the footer. */
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    assert_non_null(reader);
    tn_parquet_column_stats rs;
    tn_parquet_reader_column_stats(reader, 1, 3 * VARIANTS + 0, &rs); /* INT64 rows 3000..5999 */
    assert_true(rs.has_null_count && rs.has_min_max);
    assert_int_equal(rs.null_count, 600);
    assert_int_equal(rs.min.u.integer, -5999 * 987654321987LL);
    assert_int_equal(rs.max.u.integer, 5998 * 987654321987LL);
    tn_parquet_reader_column_stats(reader, 0, 8 * VARIANTS + 0, &rs);
    assert_true(rs.min.u.numeric == -(pow10_128(38) - 1));
    tn_parquet_reader_column_stats(reader, 2, 9 * VARIANTS + 0, &rs);
    assert_true(rs.has_min_max);
    assert_memory_equal(tn_string_data(&rs.min.u.string), "a longer string for row 6001", 28);
    tn_parquet_reader_column_stats(reader, 0, 1 * VARIANTS + 1, &rs);
    assert_int_equal(rs.null_count, 3000);
    assert_false(rs.has_min_max);
    tn_parquet_reader_column_stats(reader, 0, 10 * VARIANTS + 2, &rs); /* DATE */
    assert_int_equal(rs.min.u.integer, -2999 * 3);
    tn_parquet_reader_close(reader);
    unlink(path);
}

/* Encodings of the data pages of column 0 in row group 0, in order. */
static int page_encodings(const char *path, int *encodings, int max)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    uint8_t *data = malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    const pq_column_meta *meta = &reader->meta.row_groups[0].columns[0];
    size_t pos = (size_t)(meta->has_dictionary_page_offset ? meta->dictionary_page_offset : meta->data_page_offset);
    size_t end = pos + (size_t)meta->total_compressed_size;
    int n = 0;
    while (pos < end && n < max) {
        pq_page_header h;
        size_t header;
        const char *defect = NULL;
        assert_int_equal(tn_pq_page_header_parse(data + pos, end - pos, &h, &header, &defect), 0);
        encodings[n++] = h.type == PQ_PAGE_DICTIONARY ? -1 : h.encoding;
        pos += header + (size_t)h.compressed_size;
    }
    tn_parquet_reader_close(reader);
    free(data);
    return n;
}

static void test_dictionary_fallback(void **state)
{
    (void)state;
    const char *path = make_temp_path();
    tn_error err = TN_ERROR_INIT;
    tn_type type = tn_type_make(TN_TYPE_TEXT);
    tn_parquet_column column = {"s", type, true, -1};
    tn_parquet_options options;
    tn_parquet_options_default(&options);
    options.page_rows = 1000;
    options.dictionary_bytes = 20000;
    tn_parquet_writer *writer = tn_parquet_writer_open(path, &column, 1, &options, &err);
    assert_non_null(writer);
    tn_chunk *chunk = tn_chunk_create(&type, 1);
    char buf[64];
    /* 3000 rows of 10 distinct values, then 5000 distinct ones. */
    for (int r = 0; r < 8000; r += 1000) {
        tn_chunk_reset(chunk);
        for (int i = 0; i < 1000; i++) {
            int length = sprintf(buf, "value number %d", r < 3000 ? i % 10 : r + i);
            assert_int_equal(tn_vector_set_string(&chunk->columns[0], (uint32_t)i, buf, (uint32_t)length), 0);
        }
        chunk->count = 1000;
        assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), 0);
    }
    tn_chunk_destroy(chunk);
    assert_int_equal(tn_parquet_writer_close(writer, NULL, &err), 0);
    int encodings[32];
    int n = page_encodings(path, encodings, 32);
    assert_true(n >= 5);
    assert_int_equal(encodings[0], -1);
    assert_int_equal(encodings[1], PQ_ENC_RLE_DICTIONARY);
    assert_int_equal(encodings[n - 1], PQ_ENC_PLAIN);

    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    int index = 0;
    tn_parquet_scan *scan = tn_parquet_scan_open(reader, 0, &index, 1, &err);
    chunk = tn_chunk_create(&type, 1);
    int r = 0, count;
    while ((count = tn_parquet_scan_next(scan, chunk, &err)) > 0) {
        for (int i = 0; i < count; i++, r++) {
            int length = sprintf(buf, "value number %d", r < 3000 ? r % 1000 % 10 : r);
            tn_value value;
            tn_vector_get_value(&chunk->columns[0], (uint32_t)i, &value);
            assert_int_equal(value.u.string.length, length);
            assert_memory_equal(tn_string_data(&value.u.string), buf, (size_t)length);
        }
    }
    assert_int_equal(r, 8000);
    tn_chunk_destroy(chunk);
    tn_parquet_scan_close(scan);
    tn_parquet_reader_close(reader);

    /* All-distinct integers never pay for a dictionary. */
    tn_type int_type = tn_type_make(TN_TYPE_INT64);
    tn_parquet_column int_column = {"i", int_type, false, -1};
    writer = tn_parquet_writer_open(path, &int_column, 1, NULL, &err);
    chunk = tn_chunk_create(&int_type, 1);
    for (int i = 0; i < 2000; i++)
        ((int64_t *)chunk->columns[0].data)[i] = i * 1000003LL;
    chunk->count = 2000;
    assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), 0);
    tn_chunk_destroy(chunk);
    assert_int_equal(tn_parquet_writer_close(writer, NULL, &err), 0);
    n = page_encodings(path, encodings, 32);
    assert_int_equal(n, 1);
    assert_int_equal(encodings[0], PQ_ENC_PLAIN);
    unlink(path);
}

static void test_key_value_metadata(void **state)
{
    (void)state;
    const char *path = make_temp_path();
    tn_error err = TN_ERROR_INIT;
    tn_type type = tn_type_make(TN_TYPE_BOOL);
    tn_parquet_column column = {"flag", type, false, 7};
    tn_parquet_key_value pairs[] = {{"tarn.table", "orders"}, {"empty", NULL}};
    tn_parquet_options options;
    tn_parquet_options_default(&options);
    options.key_values = pairs;
    options.key_value_count = 2;
    options.codec = TN_PARQUET_GZIP;
    tn_parquet_writer *writer = tn_parquet_writer_open(path, &column, 1, &options, &err);
    assert_non_null(writer);
    tn_chunk *chunk = tn_chunk_create(&type, 1);
    for (int i = 0; i < 100; i++)
        ((uint8_t *)chunk->columns[0].data)[i] = (uint8_t)(i % 3 == 0);
    chunk->count = 100;
    assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), 0);
    tn_chunk_destroy(chunk);
    tn_parquet_file_info info;
    assert_int_equal(tn_parquet_writer_close(writer, &info, &err), 0);
    assert_int_equal(info.row_count, 100);
    assert_true(info.file_size > info.footer_size && info.footer_size > 0);
    assert_false(info.columns[0].min.u.boolean);
    assert_true(info.columns[0].max.u.boolean);
    tn_parquet_file_info_free(&info);
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    assert_non_null(reader);
    assert_int_equal(reader->meta.key_value_count, 2);
    assert_string_equal(reader->meta.key_values[0].key, "tarn.table");
    assert_string_equal(reader->meta.key_values[0].value, "orders");
    assert_null(reader->meta.key_values[1].value);
    assert_int_equal(tn_parquet_reader_column(reader, 0)->field_id, 7);
    tn_parquet_reader_close(reader);
    unlink(path);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
    (void)state;
    tn_error err = TN_ERROR_INIT;
    assert_null(tn_parquet_reader_open("/nonexistent/x.parquet", &err));
    assert_string_equal(err.sqlstate, "58P01");
    assert_string_equal(err.message, "could not open file \"/nonexistent/x.parquet\": No such file or directory");
    tn_error_clear(&err);

    const char *path = make_temp_path();
    FILE *f = fopen(path, "wb");
    fwrite("PAR1\x01\x02\x03\x04\x3F\x42\x0F\x00PAR1", 1, 16, f);
    fclose(f);
    assert_null(tn_parquet_reader_open(path, &err));
    assert_string_equal(err.sqlstate, "XX001");
    char expected[256];
    snprintf(expected, sizeof expected,
             "could not read parquet file \"%s\": footer length 999999 exceeds file size 16", path);
    assert_string_equal(err.message, expected);
    tn_error_clear(&err);

    f = fopen(path, "wb");
    fwrite("PAR1", 1, 4, f);
    fclose(f);
    assert_null(tn_parquet_reader_open(path, &err));
    assert_string_equal(err.sqlstate, "XX001");
    tn_error_clear(&err);

    tn_parquet_column interval = {"iv", tn_type_make(TN_TYPE_INTERVAL), true, -1};
    assert_null(tn_parquet_writer_open(path, &interval, 1, NULL, &err));
    assert_string_equal(err.sqlstate, "0A000");
    assert_string_equal(err.message, "cannot store column \"iv\" of type interval in parquet");
    tn_error_clear(&err);

    /* NULL into a required column; abort removes the file. */
    tn_type type = tn_type_make(TN_TYPE_INT32);
    tn_parquet_column required = {"r", type, false, -1};
    tn_parquet_writer *writer = tn_parquet_writer_open(path, &required, 1, NULL, &err);
    assert_non_null(writer);
    tn_chunk *chunk = tn_chunk_create(&type, 1);
    assert_int_equal(tn_vector_set_null(&chunk->columns[0], 0), 0);
    chunk->count = 1;
    assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), -1);
    assert_string_equal(err.sqlstate, "23502");
    tn_error_clear(&err);
    tn_parquet_writer_abort(writer);
    tn_chunk_destroy(chunk);
    assert_int_equal(access(path, F_OK), -1);

    /* A NUMERIC wider than its precision; after it, close fails and removes the file. */
    tn_type numeric = tn_type_numeric(9, 2);
    tn_parquet_column narrow = {"n", numeric, true, -1};
    writer = tn_parquet_writer_open(path, &narrow, 1, NULL, &err);
    assert_non_null(writer);
    chunk = tn_chunk_create(&numeric, 1);
    ((tn_int128 *)chunk->columns[0].data)[0] = 1000000000;
    chunk->count = 1;
    assert_int_equal(tn_parquet_writer_write(writer, chunk, &err), -1);
    assert_string_equal(err.sqlstate, "22003");
    assert_string_equal(err.message, "value of column \"n\" exceeds numeric(9,2)");
    tn_error_clear(&err);
    assert_int_equal(tn_parquet_writer_close(writer, NULL, &err), -1);
    assert_string_equal(err.sqlstate, "22023");
    tn_error_clear(&err);
    tn_chunk_destroy(chunk);
    assert_int_equal(access(path, F_OK), -1);
}

/* Every truncation and every single-byte change of a small file either
 * reads or fails with an error; never a crash. */
static void test_damaged_files(void **state)
{
    (void)state;
    const char *path = make_temp_path();
    char good_path[64];
    strcpy(good_path, path);
    tn_parquet_file_info info;
    write_cases(good_path, TN_PARQUET_SNAPPY, 300, &info);
    tn_parquet_file_info_free(&info);
    FILE *f = fopen(good_path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    uint8_t *data = malloc((size_t)size), *copy = malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    const char *bad = make_temp_path();
    int failures = 0;
    for (long i = 0; i < size; i += (i < size - 400 ? 37 : 1)) {
        memcpy(copy, data, (size_t)size);
        copy[i] ^= (uint8_t)(0x5A + i);
        f = fopen(bad, "wb");
        fwrite(copy, 1, (size_t)size, f);
        fclose(f);
        tn_error err = TN_ERROR_INIT;
        tn_parquet_reader *reader = tn_parquet_reader_open(bad, &err);
        if (reader == NULL) {
            failures++;
            assert_non_null(strstr(err.message, bad));
            tn_error_clear(&err);
            continue;
        }
        int n = tn_parquet_reader_column_count(reader);
        int indexes[64];
        tn_type types[64];
        for (int c = 0; c < n && c < 64; c++) {
            indexes[c] = c;
            types[c] = tn_parquet_reader_column(reader, c)->type;
        }
        for (int g = 0; g < tn_parquet_reader_row_group_count(reader); g++) {
            for (int c = 0; c < n && c < 64; c++) {
                tn_parquet_scan *scan = tn_parquet_scan_open(reader, g, &indexes[c], 1, &err);
                if (scan == NULL) {
                    tn_error_clear(&err);
                    continue;
                }
                tn_chunk *chunk = tn_chunk_create(&types[c], 1);
                while (tn_parquet_scan_next(scan, chunk, &err) > 0)
                    ;
                tn_error_clear(&err);
                tn_chunk_destroy(chunk);
                tn_parquet_scan_close(scan);
            }
        }
        tn_parquet_reader_close(reader);
    }
    assert_true(failures > 0);
    free(data);
    free(copy);
    unlink(bad);
    unlink(good_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thrift_schema_element_bytes),
        cmocka_unit_test(test_thrift_timestamp_logical_bytes),
        cmocka_unit_test(test_thrift_varints_and_skip),
        cmocka_unit_test(test_thrift_page_header_round_trip),
        cmocka_unit_test(test_rle_examples),
        cmocka_unit_test(test_rle_round_trip),
        cmocka_unit_test(test_delta_binary_packed),
        cmocka_unit_test(test_delta_byte_arrays),
        cmocka_unit_test(test_byte_stream_split),
        cmocka_unit_test(test_codecs_round_trip),
        cmocka_unit_test(test_round_trip_every_codec),
        cmocka_unit_test(test_round_trip_small_and_empty),
        cmocka_unit_test(test_statistics),
        cmocka_unit_test(test_dictionary_fallback),
        cmocka_unit_test(test_key_value_metadata),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
