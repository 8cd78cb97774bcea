/*
 * Private contract of the Parquet module: the Thrift compact protocol, the
 * footer and page-header model, encodings and codecs shared by the writer
 * (writer.c), the reader (reader.c) and the page decoder (scan.c).
 *
 * Decoders never trust a length: every function that reads input takes
 * its size and reports a defect (a static string naming what is wrong)
 * instead of reading past it.  The caller turns a defect into XX001 with
 * the file name.
 */
#ifndef TN_STORAGE_PARQUET_INT_H
#define TN_STORAGE_PARQUET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/buffer.h"
#include "storage/parquet.h"

#include <zstd.h>

/* ---- format enums (parquet.thrift) ---- */

enum {
    PQ_BOOLEAN = 0, PQ_INT32 = 1, PQ_INT64 = 2, PQ_INT96 = 3, PQ_FLOAT = 4, PQ_DOUBLE = 5,
    PQ_BYTE_ARRAY = 6, PQ_FIXED_LEN_BYTE_ARRAY = 7
};
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };
enum { PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICTIONARY = 2, PQ_PAGE_DATA_V2 = 3 };
enum {
    PQ_ENC_PLAIN = 0, PQ_ENC_PLAIN_DICTIONARY = 2, PQ_ENC_RLE = 3, PQ_ENC_BIT_PACKED = 4,
    PQ_ENC_DELTA_BINARY_PACKED = 5, PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
    PQ_ENC_DELTA_BYTE_ARRAY = 7, PQ_ENC_RLE_DICTIONARY = 8, PQ_ENC_BYTE_STREAM_SPLIT = 9
};
enum { PQ_CODEC_LZ4_HADOOP = 5 };
enum {
    PQ_CONV_UTF8 = 0, PQ_CONV_ENUM = 4, PQ_CONV_DECIMAL = 5, PQ_CONV_DATE = 6,
    PQ_CONV_TIMESTAMP_MILLIS = 9, PQ_CONV_TIMESTAMP_MICROS = 10, PQ_CONV_UINT_8 = 11,
    PQ_CONV_UINT_16 = 12, PQ_CONV_UINT_32 = 13, PQ_CONV_UINT_64 = 14, PQ_CONV_INT_8 = 15,
    PQ_CONV_INT_16 = 16, PQ_CONV_INT_32 = 17, PQ_CONV_INT_64 = 18, PQ_CONV_JSON = 19
};
/* LogicalType union members. */
enum {
    PQ_LOGICAL_NONE = 0, PQ_LOGICAL_STRING = 1, PQ_LOGICAL_ENUM = 4, PQ_LOGICAL_DECIMAL = 5,
    PQ_LOGICAL_DATE = 6, PQ_LOGICAL_TIME = 7, PQ_LOGICAL_TIMESTAMP = 8, PQ_LOGICAL_INTEGER = 10,
    PQ_LOGICAL_UNKNOWN = 11, PQ_LOGICAL_JSON = 12, PQ_LOGICAL_FLOAT16 = 15,
    PQ_LOGICAL_OTHER = 100 /* a member tarn does not model */
};
enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };

/* ---- Thrift compact protocol ---- */

enum {
    TC_STOP = 0, TC_TRUE = 1, TC_FALSE = 2, TC_I8 = 3, TC_I16 = 4, TC_I32 = 5, TC_I64 = 6,
    TC_DOUBLE = 7, TC_BINARY = 8, TC_LIST = 9, TC_SET = 10, TC_MAP = 11, TC_STRUCT = 12
};
#define TC_MAX_DEPTH 32

typedef struct tc_writer {
    tn_buf *out;
    int16_t last_id[TC_MAX_DEPTH];
    int depth;
    bool failed; /* out of memory or nesting too deep; checked once at the end */
} tc_writer;

void tn_pq_tc_writer_init(tc_writer *w, tn_buf *out);
void tn_pq_tc_struct_begin(tc_writer *w);
void tn_pq_tc_struct_end(tc_writer *w);
void tn_pq_tc_field(tc_writer *w, int16_t id, int type);
void tn_pq_tc_bool(tc_writer *w, int16_t id, bool value);
void tn_pq_tc_i8(tc_writer *w, int16_t id, int8_t value);
void tn_pq_tc_i32(tc_writer *w, int16_t id, int32_t value);
void tn_pq_tc_i64(tc_writer *w, int16_t id, int64_t value);
void tn_pq_tc_binary(tc_writer *w, int16_t id, const void *data, size_t length);
/* A list field header; elements follow with the *_element writers. */
void tn_pq_tc_list(tc_writer *w, int16_t id, int element_type, int count);
void tn_pq_tc_i32_element(tc_writer *w, int32_t value);
void tn_pq_tc_binary_element(tc_writer *w, const void *data, size_t length);
/* An empty struct as a field (union members such as STRING{}). */
void tn_pq_tc_empty_struct(tc_writer *w, int16_t id);
void tn_pq_tc_varint(tc_writer *w, uint64_t value);

typedef struct tc_reader {
    const uint8_t *pos;
    const uint8_t *end;
    int16_t last_id[TC_MAX_DEPTH];
    int depth;
    const char *defect; /* first problem found; NULL while all is well */
} tc_reader;

void tn_pq_tc_reader_init(tc_reader *r, const uint8_t *data, size_t size);
int tn_pq_tc_struct_begin_read(tc_reader *r);
/* Next field of the current struct: 1 with *type and *id set, 0 at the stop
 * byte (the struct is then closed), -1 on a defect. */
int tn_pq_tc_next_field(tc_reader *r, int *type, int16_t *id);
int tn_pq_tc_read_varint(tc_reader *r, uint64_t *out);
int tn_pq_tc_read_i32(tc_reader *r, int type, int32_t *out);
int tn_pq_tc_read_i64(tc_reader *r, int type, int64_t *out);
int tn_pq_tc_read_i8(tc_reader *r, int type, int8_t *out);
int tn_pq_tc_read_bool(tc_reader *r, int type, bool *out);
int tn_pq_tc_read_binary(tc_reader *r, int type, const uint8_t **data, uint32_t *length);
/* A list header: element type and a count checked against the bytes left. */
int tn_pq_tc_read_list(tc_reader *r, int type, int *element_type, int32_t *count);
int tn_pq_tc_skip(tc_reader *r, int type);
int tn_pq_tc_fail(tc_reader *r, const char *defect);

/* ---- footer and page header model ---- */

typedef struct pq_bytes {
    const uint8_t *data;
    uint32_t length;
} pq_bytes;

typedef struct pq_logical {
    int kind;          /* PQ_LOGICAL_* */
    int32_t scale;     /* DECIMAL */
    int32_t precision; /* DECIMAL */
    bool is_utc;       /* TIMESTAMP / TIME */
    int unit;          /* TIMESTAMP / TIME: PQ_UNIT_* */
    int bit_width;     /* INTEGER */
    bool is_signed;    /* INTEGER */
} pq_logical;

typedef struct pq_schema_element {
    int32_t type;           /* PQ_BOOLEAN..; -1 for groups */
    int32_t type_length;
    int32_t repetition;     /* -1 when absent */
    const char *name;
    int32_t num_children;   /* -1 when absent */
    int32_t converted_type; /* -1 when absent */
    int32_t scale;
    int32_t precision;
    bool has_field_id;
    int32_t field_id;
    pq_logical logical;
} pq_schema_element;

typedef struct pq_statistics {
    bool has_null_count;
    int64_t null_count;
    bool has_min_value, has_max_value;   /* min_value / max_value (ids 6, 5) */
    pq_bytes min_value, max_value;
    bool has_legacy_min, has_legacy_max; /* deprecated min / max (ids 2, 1) */
    pq_bytes legacy_min, legacy_max;
} pq_statistics;

#define PQ_MAX_ENCODINGS 8

typedef struct pq_column_meta {
    int32_t type;
    int32_t codec;
    int64_t num_values;
    int64_t total_uncompressed_size;
    int64_t total_compressed_size;
    int64_t data_page_offset;
    bool has_dictionary_page_offset;
    int64_t dictionary_page_offset;
    int encoding_count;                 /* written by the writer only */
    int32_t encodings[PQ_MAX_ENCODINGS];
    const char *path;                   /* leaf name, written by the writer only */
    bool has_statistics;
    pq_statistics statistics;
} pq_column_meta;

typedef struct pq_row_group {
    pq_column_meta *columns;
    int column_count;
    int64_t total_byte_size;
    int64_t num_rows;
    int64_t file_offset;
    int64_t total_compressed_size;
} pq_row_group;

typedef struct pq_file_meta {
    int32_t version;
    pq_schema_element *schema;
    int schema_count;
    int64_t num_rows;
    pq_row_group *row_groups;
    int row_group_count;
    tn_parquet_key_value *key_values;
    int key_value_count;
    const char *created_by;
    bool has_encryption;
} pq_file_meta;

typedef struct pq_page_header {
    int32_t type;
    int32_t uncompressed_size;
    int32_t compressed_size;
    int32_t num_values;      /* data (v1, v2) and dictionary pages */
    int32_t encoding;
    int32_t num_nulls;       /* v2 */
    int32_t num_rows;        /* v2 */
    int32_t def_levels_size; /* v2 */
    int32_t rep_levels_size; /* v2 */
    bool is_compressed;      /* v2; true when absent */
} pq_page_header;

/* Parses a FileMetaData; strings are copied into arena, statistics bytes
 * point into data (which must outlive meta).  -1 with *defect set. */
int tn_pq_file_meta_parse(const uint8_t *data, size_t size, tn_arena *arena, pq_file_meta *meta,
                          const char **defect);
int tn_pq_file_meta_write(const pq_file_meta *meta, tn_buf *out);
/* Parses a page header at the start of data; *header_size = its bytes. */
int tn_pq_page_header_parse(const uint8_t *data, size_t size, pq_page_header *header,
                            size_t *header_size, const char **defect);
int tn_pq_page_header_write(const pq_page_header *header, tn_buf *out);

/* ---- encodings ---- */

/* The bit width needed for values up to max_value. */
int tn_pq_bit_width(uint64_t max_value);
/* Decodes count values of the RLE/bit-packing hybrid (no length prefix). */
int tn_pq_rle_decode(const uint8_t *data, size_t size, int bit_width, uint32_t *out, size_t count,
                     const char **defect);
/* Appends the hybrid encoding of values (no length prefix); -1 when out of memory. */
int tn_pq_rle_encode(tn_buf *out, const uint32_t *values, size_t count, int bit_width);
/* DELTA_BINARY_PACKED: decodes the first count values into out; the
 * stream must hold at least count.  *consumed = the stream's bytes. */
int tn_pq_delta_decode(const uint8_t *data, size_t size, int64_t *out, size_t count,
                       size_t *consumed, const char **defect);
/* DELTA_LENGTH_BYTE_ARRAY: views into data. */
int tn_pq_delta_length_decode(const uint8_t *data, size_t size, pq_bytes *out, size_t count,
                              tn_arena *arena, const char **defect);
/* DELTA_BYTE_ARRAY: values rebuilt in arena. */
int tn_pq_delta_byte_array_decode(const uint8_t *data, size_t size, pq_bytes *out, size_t count,
                                  tn_arena *arena, const char **defect);
/* BYTE_STREAM_SPLIT: count values of width bytes into out (count*width). */
int tn_pq_byte_stream_split_decode(const uint8_t *data, size_t size, int width, size_t count,
                                   uint8_t *out, const char **defect);

/* ---- codecs ---- */

/* Codec state kept across pages: zstd's one-shot calls allocate and set up
 * a context of about a megabyte per page, so a writer or a scan keeps one
 * (made on first use; zero-initialise, release with tn_pq_codecs_free). */
typedef struct tn_pq_codecs {
    ZSTD_CCtx *zstd_compress;
    ZSTD_DCtx *zstd_decompress;
} tn_pq_codecs;

void tn_pq_codecs_free(tn_pq_codecs *codecs);
/* Appends the compressed form of data[0..size) to out. */
int tn_pq_compress(tn_pq_codecs *codecs, int codec, int level, const uint8_t *data, size_t size,
                   tn_buf *out);
/* Decompresses into out, which must come out exactly out_size bytes. */
int tn_pq_decompress(tn_pq_codecs *codecs, int codec, const uint8_t *data, size_t size, uint8_t *out,
                     size_t out_size, const char **defect);
/* "zstd", "snappy", ... for messages; NULL when tarn cannot read the codec. */
const char *tn_pq_codec_name(int codec);

/* ---- columns and statistics ---- */

/* How a leaf is stored, next to the tarn type it reads and writes as. */
typedef struct pq_physical {
    int32_t type;        /* PQ_BOOLEAN .. PQ_FIXED_LEN_BYTE_ARRAY */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY width in bytes */
    int time_unit;       /* INT64 timestamps: PQ_UNIT_*; 0 otherwise */
    bool is_unsigned;    /* UINT_32 / UINT_64 widened on read */
} pq_physical;

/* Decodes one PLAIN value (no length prefix for byte arrays) of physical
 * into a tn_value of type; strings point into bytes.  -1 with *defect when
 * the bytes do not fit the type or the value does not fit tarn's range. */
int tn_pq_value_decode(const uint8_t *bytes, size_t length, const pq_physical *physical,
                       tn_type type, tn_value *out, const char **defect);
/* PLAIN bytes of a non-TEXT value (at most 16); returns their count. */
size_t tn_pq_value_encode(const tn_value *value, const pq_physical *physical, uint8_t *out);

#define PQ_STATS_MAX_TEXT 4096

/* Running statistics of a column chunk or a file, as tarn values. */
typedef struct pq_stats {
    int64_t null_count;
    int64_t nan_count;
    bool has_min_max;
    tn_value min, max;  /* TEXT bounds point into min_text / max_text */
    tn_buf min_text, max_text;
} pq_stats;

void tn_pq_stats_init(pq_stats *stats, tn_type type);
void tn_pq_stats_reset(pq_stats *stats);
void tn_pq_stats_free(pq_stats *stats);
int tn_pq_stats_update(pq_stats *stats, const tn_value *value);
int tn_pq_stats_merge(pq_stats *into, const pq_stats *from);
/* False when there are no bounds or a TEXT bound is too long to keep. */
bool tn_pq_stats_bounds_kept(const pq_stats *stats);
/* Footer form; bytes allocated from arena. */
int tn_pq_stats_encode(const pq_stats *stats, const pq_physical *physical, tn_arena *arena,
                       pq_statistics *out);
/* Caller form with malloc'd TEXT bounds (tn_pq_column_stats_free). */
int tn_pq_stats_export(const pq_stats *stats, tn_parquet_column_stats *out);
void tn_pq_column_stats_free(tn_parquet_column_stats *stats);
/* Footer statistics back to tarn values; unknown parts stay unset. */
void tn_pq_stats_decode(const pq_statistics *statistics, const pq_physical *physical, tn_type type,
                        tn_parquet_column_stats *out);

/* ---- the reader, shared by reader.c and scan.c ---- */

/* Hostile-input limits: values in one page, bytes of one decompressed page. */
#define PQ_MAX_PAGE_VALUES (16 * 1024 * 1024)
#define PQ_MAX_PAGE_BYTES ((int64_t)256 << 20)

struct tn_parquet_reader {
    char *path;                  /* malloc'd */
    int fd;
    int64_t file_size;
    int64_t footer_start;        /* first byte of FileMetaData: pages end before it */
    uint8_t *footer;             /* FileMetaData bytes (malloc'd); statistics point here */
    tn_arena *arena;             /* parsed footer and the column descriptions */
    pq_file_meta meta;
    int column_count;
    tn_parquet_column *columns;  /* one per schema leaf */
    pq_physical *physical;
    const char **unsupported;    /* why column i cannot be read, or NULL */
    int64_t row_count;           /* sum of the row groups' rows */
};

/* Sets XX001 "could not read parquet file "<path>": <defect>" and returns -1. */
int tn_pq_reader_corrupt(const tn_parquet_reader *reader, tn_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* pread of exactly size bytes; a short file is XX001, an I/O error 58030. */
int tn_pq_reader_read(const tn_parquet_reader *reader, void *buf, size_t size, int64_t offset, tn_error *err);

/* ---- little-endian helpers ---- */

static inline uint32_t pq_load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pq_load_u64(const uint8_t *p)
{
    return (uint64_t)pq_load_u32(p) | (uint64_t)pq_load_u32(p + 4) << 32;
}

static inline void pq_store_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline void pq_store_u64(uint8_t *p, uint64_t v)
{
    pq_store_u32(p, (uint32_t)v);
    pq_store_u32(p + 4, (uint32_t)(v >> 32));
}

#endif
