/*
 * Result printers of the `tarn` command: psql's aligned table, CSV, TSV,
 * JSON (one array per result set) and NDJSON (one object per line).
 *
 * Only the aligned table needs every row before printing (column widths);
 * the other formats stream row by row, so `tarn sql ... --format csv` can
 * export results larger than memory.  The aligned layout follows psql's
 * default (border 1): a centred header with a trailing space, a `---+---`
 * rule, numbers right-aligned, multi-line values continued with `+`, and a
 * `(N rows)` footer followed by a blank line.  NULL prints as an empty field
 * except in JSON, where it is null.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cli/cli.h"

static bool is_numeric_type(tn_type_id type);
static size_t display_width(const char *text, size_t length);
static void print_aligned(FILE *out, const cli_table *table);
static void print_header(FILE *out, cli_format format, int column_count, char *const *names);
static void print_row(FILE *out, cli_format format, int column_count, char *const *names,
                      const tn_type_id *types, const char *const *values, size_t row_idx);
static void print_footer(FILE *out, cli_format format, size_t row_count);

static const struct {
    const char *name;
    cli_format format;
} format_names[] = {
    {"table", CLI_FORMAT_TABLE}, {"aligned", CLI_FORMAT_TABLE}, {"csv", CLI_FORMAT_CSV},
    {"tsv", CLI_FORMAT_TSV},     {"json", CLI_FORMAT_JSON},     {"ndjson", CLI_FORMAT_NDJSON},
};

int cli_format_parse(const char *name, cli_format *format)
{
    for (size_t idx = 0; idx < sizeof format_names / sizeof format_names[0]; idx++) {
        if (strcmp(name, format_names[idx].name) == 0) {
            *format = format_names[idx].format;
            return 0;
        }
    }
    return -1;
}

/* ---- the buffered table ---- */

void cli_table_init(cli_table *table, int column_count)
{
    memset(table, 0, sizeof *table);
    table->column_count = column_count;
    table->names = calloc((size_t)column_count + 1, sizeof *table->names);
    table->types = calloc((size_t)column_count + 1, sizeof *table->types);
}

static char *copy_text(const char *text)
{
    return text == NULL ? NULL : strdup(text);
}

int cli_table_append(cli_table *table, const char *const *values)
{
    size_t width = (size_t)table->column_count;
    if (table->row_count == table->row_capacity) {
        size_t capacity = table->row_capacity ? table->row_capacity * 2 : 64;
        char **cells = realloc(table->cells, capacity * (width ? width : 1) * sizeof *cells);
        if (cells == NULL)
            return -1;
        table->cells = cells;
        table->row_capacity = capacity;
    }
    char **row = table->cells + table->row_count * width;
    for (size_t col_idx = 0; col_idx < width; col_idx++) {
        row[col_idx] = copy_text(values[col_idx]);
        if (values[col_idx] != NULL && row[col_idx] == NULL)
            return -1;
    }
    table->row_count++;
    return 0;
}

void cli_table_free(cli_table *table)
{
    size_t width = (size_t)table->column_count;
    for (size_t idx = 0; idx < table->row_count * width; idx++)
        free(table->cells[idx]);
    for (int col_idx = 0; col_idx < table->column_count; col_idx++)
        free(table->names[col_idx]);
    free(table->cells);
    free(table->names);
    free(table->types);
    memset(table, 0, sizeof *table);
}

void cli_table_print(FILE *out, cli_format format, const cli_table *table)
{
    if (format == CLI_FORMAT_TABLE) {
        print_aligned(out, table);
        return;
    }
    size_t width = (size_t)table->column_count;
    print_header(out, format, table->column_count, table->names);
    for (size_t row_idx = 0; row_idx < table->row_count; row_idx++)
        print_row(out, format, table->column_count, table->names, table->types,
                  (const char *const *)table->cells + row_idx * width, row_idx);
    print_footer(out, format, table->row_count);
}

/* ---- from a tn_result ---- */

/* Statements without columns: the tag on the table format, nothing else. */
static int print_command(FILE *out, cli_format format, tn_result *result, tn_error *err)
{
    int status;
    while ((status = tn_result_next_row(result, err)) == 1)
        ;
    if (status < 0)
        return -1;
    const char *tag = tn_result_command_tag(result);
    if (format == CLI_FORMAT_TABLE && tag != NULL && tag[0] != '\0')
        fprintf(out, "%s\n", tag);
    return 0;
}

static void describe_columns(tn_result *result, cli_table *table)
{
    for (int col_idx = 0; col_idx < table->column_count; col_idx++) {
        const char *name = tn_result_column_name(result, col_idx);
        table->names[col_idx] = strdup(name != NULL ? name : "?column?");
        table->types[col_idx] = tn_result_column_type(result, col_idx);
    }
}

int cli_output_result(FILE *out, cli_format format, tn_result *result, tn_error *err)
{
    int column_count = tn_result_column_count(result);
    if (column_count <= 0)
        return print_command(out, format, result, err);

    cli_table table;
    cli_table_init(&table, column_count);
    describe_columns(result, &table);
    const char **values = calloc((size_t)column_count, sizeof *values);
    bool buffered = format == CLI_FORMAT_TABLE;
    int status = 0;
    size_t row_count = 0;
    /* The header waits for the first row (or the end), so that a query
     * failing at its first chunk prints only the error, as psql does. */
    bool header_printed = buffered;
    while (values != NULL && (status = tn_result_next_row(result, err)) == 1) {
        if (!header_printed) {
            print_header(out, format, column_count, table.names);
            header_printed = true;
        }
        for (int col_idx = 0; col_idx < column_count; col_idx++)
            values[col_idx] = tn_result_is_null(result, col_idx) ? NULL
                                                                 : tn_result_text(result, col_idx);
        if (buffered) {
            if (cli_table_append(&table, values) < 0) {
                status = -1;
                break;
            }
        } else {
            print_row(out, format, column_count, table.names, table.types, values, row_count);
        }
        row_count++;
    }
    if (values == NULL || (status < 0 && !tn_error_is_set(err))) {
        tn_error_clear(err);
        memcpy(err->sqlstate, "53200", 6);
        err->message = strdup("out of memory");
        status = -1;
    }
    if (status >= 0 && buffered)
        print_aligned(out, &table);
    if (status >= 0 && !buffered) {
        if (!header_printed)
            print_header(out, format, column_count, table.names);
        print_footer(out, format, row_count);
    }
    free(values);
    cli_table_free(&table);
    return status < 0 ? -1 : 0;
}

/* ---- aligned table ---- */

static bool is_numeric_type(tn_type_id type)
{
    return type == TN_TYPE_INT16 || type == TN_TYPE_INT32 || type == TN_TYPE_INT64 ||
           type == TN_TYPE_FLOAT32 || type == TN_TYPE_FLOAT64 || type == TN_TYPE_NUMERIC;
}

/* Screen columns of length bytes of UTF-8; invalid bytes count one each. */
static size_t display_width(const char *text, size_t length)
{
    size_t width = 0;
    const utf8proc_uint8_t *bytes = (const utf8proc_uint8_t *)text;
    while (length > 0) {
        utf8proc_int32_t codepoint;
        utf8proc_ssize_t used = utf8proc_iterate(bytes, (utf8proc_ssize_t)length, &codepoint);
        if (used <= 0) {
            width++;
            used = 1;
        } else {
            int char_width = utf8proc_charwidth(codepoint);
            width += char_width > 0 ? (size_t)char_width : (codepoint < 0x20 ? 1 : 0);
        }
        bytes += used;
        length -= (size_t)used;
    }
    return width;
}

/* The line_idx-th line of text (lines split at '\n'); false past the end. */
static bool text_line(const char *text, size_t line_idx, const char **start, size_t *length)
{
    const char *line = text != NULL ? text : "";
    for (size_t idx = 0; idx < line_idx; idx++) {
        line = strchr(line, '\n');
        if (line == NULL)
            return false;
        line++;
    }
    const char *end = strchr(line, '\n');
    *start = line;
    *length = end != NULL ? (size_t)(end - line) : strlen(line);
    return true;
}

static size_t line_count(const char *text)
{
    size_t count = 1;
    for (const char *cursor = text; cursor != NULL && *cursor != '\0'; cursor++)
        count += *cursor == '\n';
    return count;
}

static void pad(FILE *out, size_t count)
{
    for (size_t idx = 0; idx < count; idx++)
        fputc(' ', out);
}

static void print_rule(FILE *out, const size_t *widths, int column_count)
{
    for (int col_idx = 0; col_idx < column_count; col_idx++) {
        for (size_t idx = 0; idx < widths[col_idx] + 2; idx++)
            fputc('-', out);
        if (col_idx < column_count - 1)
            fputc('+', out);
    }
    fputc('\n', out);
}

static void print_aligned_header(FILE *out, const cli_table *table, const size_t *widths)
{
    fputc(' ', out);
    for (int col_idx = 0; col_idx < table->column_count; col_idx++) {
        const char *name = table->names[col_idx];
        size_t slack = widths[col_idx] - display_width(name, strlen(name));
        pad(out, slack / 2);
        fputs(name, out);
        pad(out, (slack + 1) / 2);
        fputs(col_idx < table->column_count - 1 ? " | " : " ", out);
    }
    fputc('\n', out);
}

/* One physical line of a (possibly multi-line) row. */
static void print_row_line(FILE *out, const cli_table *table, char *const *row,
                           const size_t *widths, size_t line_idx)
{
    int last = table->column_count - 1;
    fputc(' ', out);
    for (int col_idx = 0; col_idx <= last; col_idx++) {
        const char *start;
        size_t length;
        if (!text_line(row[col_idx], line_idx, &start, &length)) {
            /* This cell has no more lines: psql pads it, except at the end. */
            if (col_idx < last) {
                pad(out, widths[col_idx]);
                fputs(" | ", out);
            }
            continue;
        }
        const char *rest;
        size_t rest_length;
        bool continues = text_line(row[col_idx], line_idx + 1, &rest, &rest_length);
        size_t slack = widths[col_idx] - display_width(start, length);
        bool right = is_numeric_type(table->types[col_idx]);
        if (right)
            pad(out, slack);
        fwrite(start, 1, length, out);
        if (col_idx < last) {
            if (!right)
                pad(out, slack);
            fputs(continues ? "+| " : " | ", out);
        } else if (continues) {
            if (!right)
                pad(out, slack);
            fputc('+', out);
        }
    }
    fputc('\n', out);
}

static void print_aligned(FILE *out, const cli_table *table)
{
    int column_count = table->column_count;
    size_t *widths = calloc((size_t)column_count + 1, sizeof *widths);
    if (widths == NULL)
        return;
    for (int col_idx = 0; col_idx < column_count; col_idx++)
        widths[col_idx] = display_width(table->names[col_idx], strlen(table->names[col_idx]));
    for (size_t row_idx = 0; row_idx < table->row_count; row_idx++) {
        char *const *row = table->cells + row_idx * (size_t)column_count;
        for (int col_idx = 0; col_idx < column_count; col_idx++) {
            const char *start;
            size_t length;
            for (size_t line_idx = 0; text_line(row[col_idx], line_idx, &start, &length);
                 line_idx++) {
                size_t width = display_width(start, length);
                if (width > widths[col_idx])
                    widths[col_idx] = width;
            }
        }
    }
    print_aligned_header(out, table, widths);
    print_rule(out, widths, column_count);
    for (size_t row_idx = 0; row_idx < table->row_count; row_idx++) {
        char *const *row = table->cells + row_idx * (size_t)column_count;
        size_t lines = 1;
        for (int col_idx = 0; col_idx < column_count; col_idx++) {
            size_t count = line_count(row[col_idx]);
            if (count > lines)
                lines = count;
        }
        for (size_t line_idx = 0; line_idx < lines; line_idx++)
            print_row_line(out, table, row, widths, line_idx);
    }
    fprintf(out, "(%zu %s)\n\n", table->row_count, table->row_count == 1 ? "row" : "rows");
    free(widths);
}

/* ---- streaming formats ---- */

static void print_csv_field(FILE *out, const char *text)
{
    if (text == NULL)
        return;
    if (text[0] != '\0' && strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    /* Empty strings are quoted so that they differ from NULL, as COPY does. */
    fputc('"', out);
    for (const char *cursor = text; *cursor != '\0'; cursor++) {
        if (*cursor == '"')
            fputc('"', out);
        fputc(*cursor, out);
    }
    fputc('"', out);
}

/* TSV escapes like COPY's text format, so every row stays one line. */
static void print_tsv_field(FILE *out, const char *text)
{
    for (const char *cursor = text != NULL ? text : ""; *cursor != '\0'; cursor++) {
        switch (*cursor) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        default: fputc(*cursor, out);
        }
    }
}

static void print_json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *cursor = (const unsigned char *)text; *cursor != '\0'; cursor++) {
        switch (*cursor) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (*cursor < 0x20)
                fprintf(out, "\\u%04x", *cursor);
            else
                fputc(*cursor, out);
        }
    }
    fputc('"', out);
}

/* JSON has no NaN or Infinity: such numbers stay strings. */
static bool is_json_number(const char *text)
{
    const char *cursor = text;
    if (*cursor == '-')
        cursor++;
    if (*cursor < '0' || *cursor > '9')
        return false;
    return strspn(cursor, "0123456789.eE+-") == strlen(cursor);
}

static void print_json_value(FILE *out, tn_type_id type, const char *text)
{
    if (text == NULL)
        fputs("null", out);
    else if (type == TN_TYPE_BOOL && (strcmp(text, "t") == 0 || strcmp(text, "f") == 0))
        fputs(text[0] == 't' ? "true" : "false", out);
    else if (is_numeric_type(type) && is_json_number(text))
        fputs(text, out);
    else
        print_json_string(out, text);
}

static void print_header(FILE *out, cli_format format, int column_count, char *const *names)
{
    if (format == CLI_FORMAT_JSON) {
        fputc('[', out);
        return;
    }
    if (format != CLI_FORMAT_CSV && format != CLI_FORMAT_TSV)
        return;
    for (int col_idx = 0; col_idx < column_count; col_idx++) {
        if (col_idx > 0)
            fputc(format == CLI_FORMAT_CSV ? ',' : '\t', out);
        if (format == CLI_FORMAT_CSV)
            print_csv_field(out, names[col_idx]);
        else
            print_tsv_field(out, names[col_idx]);
    }
    fputc('\n', out);
}

static void print_row(FILE *out, cli_format format, int column_count, char *const *names,
                      const tn_type_id *types, const char *const *values, size_t row_idx)
{
    bool json = format == CLI_FORMAT_JSON || format == CLI_FORMAT_NDJSON;
    if (format == CLI_FORMAT_JSON)
        fputs(row_idx > 0 ? ",\n" : "\n", out);
    if (json)
        fputc('{', out);
    for (int col_idx = 0; col_idx < column_count; col_idx++) {
        if (json) {
            if (col_idx > 0)
                fputc(',', out);
            print_json_string(out, names[col_idx]);
            fputc(':', out);
            print_json_value(out, types[col_idx], values[col_idx]);
            continue;
        }
        if (col_idx > 0)
            fputc(format == CLI_FORMAT_CSV ? ',' : '\t', out);
        if (format == CLI_FORMAT_CSV)
            print_csv_field(out, values[col_idx]);
        else
            print_tsv_field(out, values[col_idx]);
    }
    if (json)
        fputc('}', out);
    if (format != CLI_FORMAT_JSON)
        fputc('\n', out);
}

static void print_footer(FILE *out, cli_format format, size_t row_count)
{
    if (format == CLI_FORMAT_JSON)
        fputs(row_count > 0 ? "\n]\n" : "]\n", out);
}
