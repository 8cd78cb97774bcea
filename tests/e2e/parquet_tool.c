/*
 * Test driver for the Parquet codec, used by parquet_interop.py and
 * parquet_damaged.sh until the tarn CLI can do the same through SQL:
 *
 *   parquet_tool write FILE CODEC [ROWS [ROW_GROUP_ROWS [DICTIONARY]]]
 *       writes ROWS rows of fixed generated data, one column per tarn type
 *   parquet_tool dump FILE     one row per line, tab separated, NULL as \N
 *   parquet_tool schema FILE   one line per column: name, type, nullability
 *   parquet_tool stats FILE    per row group and column: nulls, min, max
 *
 * Values print as PostgreSQL would (dates ISO, timestamps with six
 * fractional digits, booleans t/f) except floats, which use %.9g / %.17g so
 * the comparison with other readers is exact.  Errors go to stderr with the
 * SQLSTATE, and the exit status is 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/parquet.h"

static void format_numeric(tn_int128 value, int scale, char *out);
static void format_date(int64_t days, char *out);
static void format_value(const tn_value *value, FILE *out);
static int fail(tn_error *err);
static int write_file(const char *path, const char *codec, int64_t rows, int64_t group_rows, bool dictionary);
static int dump_file(const char *path);
static int schema_file(const char *path);
static int stats_file(const char *path);

static void format_numeric(tn_int128 value, int scale, char *out)
{
    char digits[64];
    int n = 0;
    bool negative = value < 0;
    unsigned __int128 magnitude = negative ? -(unsigned __int128)value : (unsigned __int128)value;
    do {
        digits[n++] = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    while (n <= scale)
        digits[n++] = '0';
    char *p = out;
    if (negative)
        *p++ = '-';
    for (int i = n - 1; i >= 0; i--) {
        *p++ = digits[i];
        if (i == scale && scale > 0)
            *p++ = '.';
    }
    *p = '\0';
}

/* Proleptic Gregorian date of days since 1970-01-01 (Hinnant's algorithm). */
static void format_date(int64_t days, char *out)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    sprintf(out, "%04" PRId64 "-%02" PRId64 "-%02" PRId64, y + (m <= 2), m, d);
}

static void format_value(const tn_value *value, FILE *out)
{
    char buf[96];
    if (value->is_null) {
        fputs("\\N", out);
        return;
    }
    switch (value->type.id) {
    case TN_TYPE_BOOL: fputs(value->u.boolean ? "t" : "f", out); break;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64: fprintf(out, "%" PRId64, value->u.integer); break;
    case TN_TYPE_FLOAT32: fprintf(out, "%.9g", value->u.floating); break;
    case TN_TYPE_FLOAT64: fprintf(out, "%.17g", value->u.floating); break;
    case TN_TYPE_NUMERIC:
        format_numeric(value->u.numeric, value->type.scale, buf);
        fputs(buf, out);
        break;
    case TN_TYPE_DATE:
        format_date(value->u.integer, buf);
        fputs(buf, out);
        break;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: {
        int64_t us = value->u.integer;
        int64_t days = us / INT64_C(86400000000) - (us % INT64_C(86400000000) < 0);
        int64_t rest = us - days * INT64_C(86400000000);
        format_date(days, buf);
        fprintf(out, "%s %02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%06" PRId64 "%s", buf, rest / INT64_C(3600000000),
                rest / INT64_C(60000000) % 60, rest / 1000000 % 60, rest % 1000000,
                value->type.id == TN_TYPE_TIMESTAMPTZ ? "+00" : "");
        break;
    }
    case TN_TYPE_TEXT: {
        const char *s = tn_string_data(&value->u.string);
        for (uint32_t i = 0; i < value->u.string.length; i++) {
            char c = s[i];
            if (c == '\t') fputs("\\t", out);
            else if (c == '\n') fputs("\\n", out);
            else if (c == '\\') fputs("\\\\", out);
            else fputc(c, out);
        }
        break;
    }
    default: fputs("?", out); break;
    }
}

static int fail(tn_error *err)
{
    fprintf(stderr, "ERROR %s: %s\n", err->sqlstate, err->message ? err->message : "(no message)");
    tn_error_clear(err);
    return 1;
}

static const struct {
    const char *name;
    tn_type_id id;
    int precision, scale;
    bool is_nullable;
} generated[] = {
    {"b", TN_TYPE_BOOL, 0, 0, true},       {"i16", TN_TYPE_INT16, 0, 0, true},
    {"i32", TN_TYPE_INT32, 0, 0, true},    {"i64", TN_TYPE_INT64, 0, 0, false},
    {"f32", TN_TYPE_FLOAT32, 0, 0, true},  {"f64", TN_TYPE_FLOAT64, 0, 0, true},
    {"n9", TN_TYPE_NUMERIC, 9, 2, true},   {"n18", TN_TYPE_NUMERIC, 18, 4, true},
    {"n38", TN_TYPE_NUMERIC, 38, 10, true}, {"t", TN_TYPE_TEXT, 0, 0, true},
    {"cat", TN_TYPE_TEXT, 0, 0, false},    {"d", TN_TYPE_DATE, 0, 0, true},
    {"ts", TN_TYPE_TIMESTAMP, 0, 0, true}, {"tz", TN_TYPE_TIMESTAMPTZ, 0, 0, true},
    {"allnull", TN_TYPE_INT32, 0, 0, true},
};
#define GENERATED_COUNT ((int)(sizeof generated / sizeof generated[0]))

/* Row r of column c: every 7th row is NULL in nullable columns. */
static void generate(int c, int64_t r, tn_vector *v, uint32_t row, char *text)
{
    tn_value value = tn_value_null(v->type);
    if ((generated[c].is_nullable && r % 7 == 3) || strcmp(generated[c].name, "allnull") == 0) {
        tn_vector_set_value(v, row, &value);
        return;
    }
    value.is_null = false;
    int64_t s = r % 2 ? -r : r;
    static const char *const categories[] = {"alpha", "beta", "gamma", "a category name longer than twelve"};
    switch (generated[c].id) {
    case TN_TYPE_BOOL: value.u.boolean = r % 3 == 0; break;
    case TN_TYPE_INT16: value.u.integer = (int16_t)(s * 7); break;
    case TN_TYPE_INT32: value.u.integer = (int32_t)(s * 100003); break;
    case TN_TYPE_INT64: value.u.integer = s * 1000000007LL; break;
    case TN_TYPE_FLOAT32: value.u.floating = (float)s / 3.0f; break;
    case TN_TYPE_FLOAT64: value.u.floating = (double)s / 7.0; break;
    case TN_TYPE_NUMERIC:
        if (generated[c].precision == 38)
            value.u.numeric = (tn_int128)s * (tn_int128)1000000000000000000LL * 1000003 + 12345;
        else
            value.u.numeric = generated[c].precision == 9 ? (tn_int128)(s * 1001 % 1000000000) : (tn_int128)s * 100000007;
        if (generated[c].precision == 38 && r == 1)
            value.u.numeric = -(((tn_int128)1 << 126) / 2);
        break;
    case TN_TYPE_TEXT:
        if (strcmp(generated[c].name, "cat") == 0) {
            value.u.string = tn_string_make(categories[r % 4], (uint32_t)strlen(categories[r % 4]));
        } else {
            int length = sprintf(text, "row %" PRId64 " %s", r, r % 5 == 0 ? "with a tab\there and more text" : "x");
            value.u.string = tn_string_make(text, (uint32_t)length);
        }
        break;
    case TN_TYPE_DATE: value.u.integer = s * 37; break;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: value.u.integer = s * 3600000123LL; break;
    default: break;
    }
    tn_vector_set_value(v, row, &value);
}

static int parse_codec(const char *name, tn_parquet_codec *codec)
{
    static const struct { const char *name; tn_parquet_codec codec; } codecs[] = {
        {"zstd", TN_PARQUET_ZSTD}, {"snappy", TN_PARQUET_SNAPPY}, {"gzip", TN_PARQUET_GZIP},
        {"uncompressed", TN_PARQUET_UNCOMPRESSED}, {"lz4_raw", TN_PARQUET_LZ4_RAW},
    };
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        if (strcmp(codecs[i].name, name) == 0) {
            *codec = codecs[i].codec;
            return 0;
        }
    }
    return -1;
}

static int write_file(const char *path, const char *codec, int64_t rows, int64_t group_rows, bool dictionary)
{
    tn_error err = TN_ERROR_INIT;
    tn_parquet_column columns[GENERATED_COUNT];
    tn_type types[GENERATED_COUNT];
    for (int c = 0; c < GENERATED_COUNT; c++) {
        types[c] = generated[c].id == TN_TYPE_NUMERIC ? tn_type_numeric(generated[c].precision, generated[c].scale)
                                                       : tn_type_make(generated[c].id);
        columns[c] = (tn_parquet_column){generated[c].name, types[c], generated[c].is_nullable, c + 1};
    }
    tn_parquet_options options;
    tn_parquet_options_default(&options);
    if (parse_codec(codec, &options.codec) != 0) {
        fprintf(stderr, "unknown codec %s\n", codec);
        return 1;
    }
    if (group_rows > 0)
        options.row_group_rows = group_rows;
    options.use_dictionary = dictionary;
    tn_parquet_writer *writer = tn_parquet_writer_open(path, columns, GENERATED_COUNT, &options, &err);
    if (writer == NULL)
        return fail(&err);
    tn_chunk *chunk = tn_chunk_create(types, GENERATED_COUNT);
    char text[128];
    for (int64_t r = 0; r < rows;) {
        tn_chunk_reset(chunk);
        uint32_t n = rows - r < 1000 ? (uint32_t)(rows - r) : 1000;
        for (int c = 0; c < GENERATED_COUNT; c++) {
            for (uint32_t i = 0; i < n; i++)
                generate(c, r + i, &chunk->columns[c], i, text);
        }
        chunk->count = n;
        if (tn_parquet_writer_write(writer, chunk, &err) != 0) {
            tn_parquet_writer_abort(writer);
            tn_chunk_destroy(chunk);
            return fail(&err);
        }
        r += n;
    }
    tn_chunk_destroy(chunk);
    tn_parquet_file_info info;
    if (tn_parquet_writer_close(writer, &info, &err) != 0)
        return fail(&err);
    printf("%" PRId64 " rows, %" PRId64 " bytes, %d row groups\n", info.row_count, info.file_size,
           info.row_group_count);
    tn_parquet_file_info_free(&info);
    return 0;
}

static int dump_file(const char *path)
{
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    if (reader == NULL)
        return fail(&err);
    int n = tn_parquet_reader_column_count(reader);
    int *indexes = malloc(sizeof(int) * (size_t)(n + 1));
    tn_type *types = malloc(sizeof(tn_type) * (size_t)(n + 1));
    for (int c = 0; c < n; c++) {
        indexes[c] = c;
        types[c] = tn_parquet_reader_column(reader, c)->type;
    }
    tn_chunk *chunk = tn_chunk_create(types, n);
    int status = 0;
    for (int g = 0; g < tn_parquet_reader_row_group_count(reader) && status == 0; g++) {
        tn_parquet_scan *scan = tn_parquet_scan_open(reader, g, indexes, n, &err);
        if (scan == NULL) {
            status = fail(&err);
            break;
        }
        int rows;
        while ((rows = tn_parquet_scan_next(scan, chunk, &err)) > 0) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < n; c++) {
                    tn_value value;
                    tn_vector_get_value(&chunk->columns[c], (uint32_t)r, &value);
                    if (c > 0)
                        putchar('\t');
                    format_value(&value, stdout);
                }
                putchar('\n');
            }
        }
        if (rows < 0)
            status = fail(&err);
        tn_parquet_scan_close(scan);
    }
    tn_chunk_destroy(chunk);
    free(types);
    free(indexes);
    tn_parquet_reader_close(reader);
    return status;
}

static int schema_file(const char *path)
{
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    if (reader == NULL)
        return fail(&err);
    for (int c = 0; c < tn_parquet_reader_column_count(reader); c++) {
        const tn_parquet_column *column = tn_parquet_reader_column(reader, c);
        char name[64];
        printf("%s\t%s\t%s\t%d\n", column->name, tn_type_name(column->type, name, sizeof name),
               column->is_nullable ? "null" : "not null", column->field_id);
    }
    tn_parquet_reader_close(reader);
    return 0;
}

static int stats_file(const char *path)
{
    tn_error err = TN_ERROR_INIT;
    tn_parquet_reader *reader = tn_parquet_reader_open(path, &err);
    if (reader == NULL)
        return fail(&err);
    for (int g = 0; g < tn_parquet_reader_row_group_count(reader); g++) {
        for (int c = 0; c < tn_parquet_reader_column_count(reader); c++) {
            tn_parquet_column_stats stats;
            tn_parquet_reader_column_stats(reader, g, c, &stats);
            printf("%d\t%s\t", g, tn_parquet_reader_column(reader, c)->name);
            if (stats.has_null_count)
                printf("%" PRId64, stats.null_count);
            else
                fputs("?", stdout);
            putchar('\t');
            format_value(&stats.min, stdout);
            putchar('\t');
            format_value(&stats.max, stdout);
            putchar('\n');
        }
    }
    tn_parquet_reader_close(reader);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "write") == 0)
        return write_file(argv[2], argv[3], argc > 4 ? atoll(argv[4]) : 10000, argc > 5 ? atoll(argv[5]) : 0,
                          argc > 6 ? atoi(argv[6]) != 0 : true);
    if (argc == 3 && strcmp(argv[1], "dump") == 0)
        return dump_file(argv[2]);
    if (argc == 3 && strcmp(argv[1], "schema") == 0)
        return schema_file(argv[2]);
    if (argc == 3 && strcmp(argv[1], "stats") == 0)
        return stats_file(argv[2]);
    fprintf(stderr, "usage: parquet_tool write FILE CODEC [ROWS [ROW_GROUP_ROWS [DICTIONARY]]]\n"
                    "       parquet_tool dump|schema|stats FILE\n");
    return 2;
}
