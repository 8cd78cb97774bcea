/*
 * Reads sqllogictest files into records (see /work/shared/sqllogictest
 * FORMAT.md; docs/sqllogictest.md has tarn's summary).
 *
 * The text is cut into lines (a trailing \r dropped, so CRLF files read
 * like LF ones).  Lines whose first character is '#' are comments and
 * vanish wherever they are, without ending a record; blank (whitespace-only)
 * lines end records.  One exception: in the rs flavour, an expected-error
 * block after `statement error` / `query error` + `----` may hold single
 * blank lines and ends at two consecutive blank lines.  The one-line records
 * (include, halt, hash-threshold) end at their line.  `include` (rs only)
 * is expanded in place, relative to the including file, with glob patterns
 * allowed; included records remember their origin for baselines.  A record
 * the parser does not understand becomes an SLT_BROKEN record, so one bad
 * line is reported as a failure instead of ending the file.
 */
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/slt.h"

enum { MAX_INCLUDE_DEPTH = 8 }; /* also bounds a file that includes itself */

/* The lines of one text, and where the parser is in them. */
typedef struct line_reader {
    char **lines;       /* into the copy of the text */
    int *numbers;       /* 1-based line numbers */
    size_t count;
    size_t next;
} line_reader;

/* What an include needs to know about the file being parsed. */
typedef struct parse_context {
    slt_file *file;
    const char *path;    /* this file's path, for resolving includes */
    const char *origin;  /* this file's origin (NULL for the top file) */
    int depth;
} parse_context;

static int parse_text(const parse_context *context, const char *text, char **error);

/* ---- small lists ---- */

int slt_strings_push_owned(slt_strings *list, char *text)
{
    if (text == NULL)
        return -1;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        char **items = realloc(list->items, capacity * sizeof *items);
        if (items == NULL) {
            free(text);
            return -1;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = text;
    return 0;
}

int slt_strings_push(slt_strings *list, const char *text)
{
    return slt_strings_push_owned(list, strdup(text));
}

void slt_strings_free(slt_strings *list)
{
    for (size_t idx = 0; idx < list->count; idx++)
        free(list->items[idx]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static slt_record *add_record(slt_file *file, slt_kind kind, int line, const char *origin)
{
    if (file->count == file->capacity) {
        size_t capacity = file->capacity ? file->capacity * 2 : 256;
        slt_record *records = realloc(file->records, capacity * sizeof *records);
        if (records == NULL)
            return NULL;
        file->records = records;
        file->capacity = capacity;
    }
    slt_record *record = &file->records[file->count++];
    memset(record, 0, sizeof *record);
    record->kind = kind;
    record->line = line;
    record->origin = origin != NULL ? strdup(origin) : NULL;
    return record;
}

static void free_record(slt_record *record)
{
    for (size_t idx = 0; idx < record->condition_count; idx++)
        free(record->conditions[idx].engine);
    free(record->conditions);
    free(record->origin);
    free(record->error_pattern);
    free(record->types);
    free(record->label);
    free(record->sql);
    free(record->problem);
    slt_strings_free(&record->expected);
}

void slt_file_free(slt_file *file)
{
    for (size_t idx = 0; idx < file->count; idx++)
        free_record(&file->records[idx]);
    free(file->records);
    memset(file, 0, sizeof *file);
}

/* ---- lines ---- */

static bool is_blank(const char *line)
{
    return line[strspn(line, " \t\r\n\f\v")] == '\0';
}

static bool is_comment(const char *line)
{
    return line[0] == '#';
}

/* Cuts copy into lines in place. */
static int split_lines(char *copy, line_reader *reader)
{
    size_t capacity = 1;
    for (const char *cursor = copy; *cursor != '\0'; cursor++)
        capacity += *cursor == '\n';
    reader->lines = malloc(capacity * sizeof *reader->lines);
    reader->numbers = malloc(capacity * sizeof *reader->numbers);
    if (reader->lines == NULL || reader->numbers == NULL)
        return -1;
    char *cursor = copy;
    int number = 1;
    while (*cursor != '\0') {
        char *end = strchr(cursor, '\n');
        if (end != NULL)
            *end = '\0';
        size_t length = strlen(cursor);
        if (length > 0 && cursor[length - 1] == '\r')
            cursor[length - 1] = '\0';
        reader->lines[reader->count] = cursor;
        reader->numbers[reader->count++] = number++;
        if (end == NULL)
            break;
        cursor = end + 1;
    }
    return 0;
}

/* The next line that is not a comment, or NULL at the end of the text. */
static const char *peek_line(line_reader *reader)
{
    while (reader->next < reader->count && is_comment(reader->lines[reader->next]))
        reader->next++;
    return reader->next < reader->count ? reader->lines[reader->next] : NULL;
}

/* Collects lines up to a blank line (or, when stop_at_dashes, a "----"
 * line, which is consumed) into lines; returns true when "----" ended it. */
static bool collect_block(line_reader *reader, slt_strings *lines, bool stop_at_dashes)
{
    const char *line;
    while ((line = peek_line(reader)) != NULL && !is_blank(line)) {
        reader->next++;
        if (stop_at_dashes && strcmp(line, "----") == 0)
            return true;
        if (lines != NULL)
            slt_strings_push(lines, line);
    }
    return false;
}

static char *join_lines(const slt_strings *lines)
{
    size_t size = 1;
    for (size_t idx = 0; idx < lines->count; idx++)
        size += strlen(lines->items[idx]) + 1;
    char *joined = calloc(1, size);
    char *cursor = joined;
    for (size_t idx = 0; joined != NULL && idx < lines->count; idx++) {
        if (idx > 0)
            *cursor++ = '\n';
        size_t length = strlen(lines->items[idx]);
        memcpy(cursor, lines->items[idx], length);
        cursor += length;
    }
    if (joined != NULL)
        *cursor = '\0';
    return joined;
}

/* An rs expected-error block: ends at two consecutive blank lines. */
static char *collect_error_block(line_reader *reader)
{
    slt_strings lines = {0};
    const char *line;
    while ((line = peek_line(reader)) != NULL) {
        reader->next++;
        if (is_blank(line)) {
            const char *following = peek_line(reader);
            if (following == NULL || is_blank(following))
                break;
        }
        slt_strings_push(&lines, line);
    }
    char *joined = join_lines(&lines);
    slt_strings_free(&lines);
    return joined;
}

/* ---- tokens ---- */

/* Copies the idx-th whitespace-separated token of line into out; false if
 * there is none.  *rest (optional) points after it. */
static bool token_at(const char *line, int idx, char *out, size_t size, const char **rest)
{
    const char *cursor = line;
    for (int count = 0;; count++) {
        cursor += strspn(cursor, " \t");
        if (*cursor == '\0')
            return false;
        size_t length = strcspn(cursor, " \t");
        if (count == idx) {
            snprintf(out, size, "%.*s", (int)length, cursor);
            if (rest != NULL)
                *rest = cursor + length;
            return true;
        }
        cursor += length;
    }
}

static char *trimmed_copy(const char *text)
{
    text += strspn(text, " \t");
    size_t length = strlen(text);
    while (length > 0 && isspace((unsigned char)text[length - 1]))
        length--;
    return length > 0 ? strndup(text, length) : NULL;
}

/* ---- records ---- */

static void set_broken(slt_record *record, const char *problem, const char *word)
{
    record->kind = SLT_BROKEN;
    if (asprintf(&record->problem, problem, word) < 0)
        record->problem = NULL;
}

/* Reads a record's SQL and what follows "----": an rs error block, or the
 * expected lines into expected (dropped when expected is NULL). */
static void read_body(line_reader *reader, slt_record *record, bool rs, slt_strings *expected)
{
    slt_strings sql = {0};
    bool dashes = collect_block(reader, &sql, true);
    record->sql = join_lines(&sql);
    slt_strings_free(&sql);
    if (dashes && record->expect_error && rs) {
        free(record->error_pattern);
        record->error_pattern = collect_error_block(reader);
    } else if (dashes) {
        collect_block(reader, expected, false);
    }
}

static void parse_statement(line_reader *reader, slt_record *record, const char *header, bool rs)
{
    char word[64];
    const char *rest = "";
    if (!token_at(header, 1, word, sizeof word, &rest))
        strcpy(word, "ok");
    if (strcmp(word, "error") == 0) {
        record->expect_error = true;
        record->error_pattern = trimmed_copy(rest);
    } else if (strcmp(word, "ok") != 0 && strcmp(word, "count") != 0) {
        set_broken(record, "unknown statement mode '%s'", word);
        collect_block(reader, NULL, false);
        return;
    }
    read_body(reader, record, rs, NULL);
}

static slt_sort parse_sort(const char *word, bool *known)
{
    *known = true;
    if (strcmp(word, "rowsort") == 0)
        return SLT_ROWSORT;
    if (strcmp(word, "valuesort") == 0)
        return SLT_VALUESORT;
    *known = strcmp(word, "nosort") == 0;
    return SLT_NOSORT;
}

static void parse_query(line_reader *reader, slt_record *record, const char *header, bool rs)
{
    char word[256];
    const char *rest = "";
    if (!token_at(header, 1, word, sizeof word, &rest)) {
        set_broken(record, "query without type letters%s", "");
        collect_block(reader, NULL, false);
        return;
    }
    if (strcmp(word, "error") == 0) {
        record->expect_error = true;
        record->error_pattern = trimmed_copy(rest);
    } else {
        record->types = strdup(word);
        bool known = true;
        if (token_at(header, 2, word, sizeof word, NULL))
            record->sort = parse_sort(word, &known);
        if (!known) {
            set_broken(record, "unknown sort mode '%s'", word);
            collect_block(reader, NULL, false);
            return;
        }
        if (token_at(header, 3, word, sizeof word, NULL))
            record->label = strdup(word);
    }
    read_body(reader, record, rs, &record->expected);
}

static int add_condition(slt_condition **conditions, size_t *count, bool only, const char *engine)
{
    slt_condition *grown = realloc(*conditions, (*count + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    *conditions = grown;
    grown[*count].only = only;
    grown[*count].engine = strdup(engine);
    (*count)++;
    return 0;
}

/* ---- include ---- */

/* The whole file as a NUL-terminated malloc'd string; NULL (errno set) when
 * it cannot be read. */
static char *read_whole_file(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *buffer = open_memstream(&text, &size);
    char chunk[65536];
    size_t got;
    while (buffer != NULL && (got = fread(chunk, 1, sizeof chunk, in)) > 0)
        fwrite(chunk, 1, got, buffer);
    bool failed = ferror(in) || buffer == NULL;
    if (buffer != NULL)
        fclose(buffer);
    fclose(in);
    if (failed) {
        free(text);
        return NULL;
    }
    return text;
}

static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? strndup(path, (size_t)(slash - path) + 1) : strdup("");
}

/* Drops "./" segments so origins read "x.slt.part", not "./x.slt.part". */
static void drop_dot_segments(char *path)
{
    const char *read = path;
    char *write = path;
    while (read[0] == '.' && read[1] == '/')
        read += 2;
    while (*read != '\0') {
        if (read[0] == '/' && read[1] == '.' && read[2] == '/') {
            read += 2;
            continue;
        }
        *write++ = *read++;
    }
    *write = '\0';
}

static void add_broken(const parse_context *context, int line, const char *problem,
                       const char *word)
{
    slt_record *record = add_record(context->file, SLT_BROKEN, line, context->origin);
    if (record != NULL)
        set_broken(record, problem, word);
}

static void include_one(const parse_context *context, int line, const char *match,
                        const char *base_dir, const char *origin_dir)
{
    char *origin = NULL;
    const char *relative = match + strlen(base_dir);
    if (asprintf(&origin, "%s%s", origin_dir, relative) < 0)
        return;
    drop_dot_segments(origin);
    char *error = NULL;
    char *text = read_whole_file(match);
    parse_context inner = {context->file, match, origin, context->depth + 1};
    if (text == NULL)
        add_broken(context, line, "could not read included file \"%s\"", match);
    else if (parse_text(&inner, text, &error) < 0)
        add_broken(context, line, "%s", error != NULL ? error : "out of memory");
    free(error);
    free(text);
    free(origin);
}

static void expand_include(const parse_context *context, int line, const char *pattern)
{
    if (context->depth >= MAX_INCLUDE_DEPTH) {
        add_broken(context, line, "includes nested more than 8 deep at \"%s\"", pattern);
        return;
    }
    char *base_dir = directory_of(context->path);
    char *origin_dir = context->origin != NULL ? directory_of(context->origin) : strdup("");
    char *full = NULL;
    glob_t matches = {0};
    if (base_dir == NULL || origin_dir == NULL ||
        asprintf(&full, "%s%s", pattern[0] == '/' ? "" : base_dir, pattern) < 0) {
        full = NULL;
    } else if (glob(full, 0, NULL, &matches) != 0) {
        add_broken(context, line, "included file \"%s\" not found", pattern);
    } else {
        const char *prefix = pattern[0] == '/' ? "" : base_dir;
        for (size_t idx = 0; idx < matches.gl_pathc; idx++)
            include_one(context, line, matches.gl_pathv[idx], prefix, origin_dir);
    }
    globfree(&matches);
    free(full);
    free(base_dir);
    free(origin_dir);
}

/* ---- the record loop ---- */

/* Reads the onlyif/skipif lines that open a block; false if the block
 * holds nothing else. */
static bool read_conditions(line_reader *reader, slt_condition **conditions, size_t *count)
{
    const char *line;
    char word[64], engine[64];
    while ((line = peek_line(reader)) != NULL && !is_blank(line)) {
        token_at(line, 0, word, sizeof word, NULL);
        bool only = strcmp(word, "onlyif") == 0;
        if (!only && strcmp(word, "skipif") != 0)
            return true;
        if (token_at(line, 1, engine, sizeof engine, NULL))
            add_condition(conditions, count, only, engine);
        reader->next++;
    }
    return false;
}

static void free_conditions(slt_condition *conditions, size_t count)
{
    for (size_t idx = 0; idx < count; idx++)
        free(conditions[idx].engine);
    free(conditions);
}

static slt_kind kind_of(const char *word, bool *known)
{
    *known = true;
    if (strcmp(word, "statement") == 0)
        return SLT_STATEMENT;
    if (strcmp(word, "query") == 0)
        return SLT_QUERY;
    if (strcmp(word, "hash-threshold") == 0)
        return SLT_HASH_THRESHOLD;
    if (strcmp(word, "halt") == 0)
        return SLT_HALT;
    *known = false;
    return SLT_BROKEN;
}

/* Parses the record whose first line is next in reader. */
static void parse_record(const parse_context *context, line_reader *reader,
                         slt_condition *conditions, size_t condition_count)
{
    const char *header = reader->lines[reader->next];
    int line = reader->numbers[reader->next];
    reader->next++;
    char word[64] = "";
    token_at(header, 0, word, sizeof word, NULL);
    bool rs = context->file->rs;
    if (rs && strcmp(word, "include") == 0) {
        char *pattern = trimmed_copy(header + strlen("include") + strspn(header, " \t"));
        if (pattern != NULL)
            expand_include(context, line, pattern);
        free(pattern);
        free_conditions(conditions, condition_count);
        return;
    }
    bool known;
    slt_kind kind = kind_of(word, &known);
    slt_record *record = add_record(context->file, kind, line, context->origin);
    if (record == NULL) {
        free_conditions(conditions, condition_count);
        return;
    }
    record->conditions = conditions;
    record->condition_count = condition_count;
    if (kind == SLT_STATEMENT) {
        parse_statement(reader, record, header, rs);
    } else if (kind == SLT_QUERY) {
        parse_query(reader, record, header, rs);
    } else if (kind == SLT_HASH_THRESHOLD) {
        char value[32] = "";
        char *end = NULL;
        token_at(header, 1, value, sizeof value, NULL);
        long threshold = strtol(value, &end, 10);
        if (value[0] == '\0' || *end != '\0' || threshold < 0 || threshold > 1000000000)
            set_broken(record, "bad hash-threshold value '%s'", value);
        record->threshold = (int)threshold;
    } else if (kind == SLT_BROKEN) {
        set_broken(record, "unknown record type '%s'", word);
        collect_block(reader, NULL, false);
    }
}

static int parse_text(const parse_context *context, const char *text, char **error)
{
    char *copy = strdup(text);
    line_reader reader = {0};
    if (copy == NULL || split_lines(copy, &reader) < 0) {
        free(copy);
        free(reader.lines);
        free(reader.numbers);
        *error = strdup("out of memory");
        return -1;
    }
    const char *line;
    while ((line = peek_line(&reader)) != NULL) {
        if (is_blank(line)) {
            reader.next++;
            continue;
        }
        slt_condition *conditions = NULL;
        size_t condition_count = 0;
        if (read_conditions(&reader, &conditions, &condition_count))
            parse_record(context, &reader, conditions, condition_count);
        else
            free_conditions(conditions, condition_count);
    }
    free(reader.lines);
    free(reader.numbers);
    free(copy);
    return 0;
}

/* ---- public entry points ---- */

bool slt_path_is_rs(const char *path)
{
    size_t length = strlen(path);
    return (length >= 4 && strcmp(path + length - 4, ".slt") == 0) ||
           (length >= 9 && strcmp(path + length - 9, ".slt.part") == 0);
}

int slt_file_parse_text(slt_file *file, const char *text, const char *path, const char *origin,
                        char **error)
{
    file->rs = slt_path_is_rs(path);
    parse_context context = {file, path, origin, 0};
    return parse_text(&context, text, error);
}

int slt_file_load(slt_file *file, const char *path, char **error)
{
    char *text = read_whole_file(path);
    if (text == NULL) {
        if (asprintf(error, "could not read file \"%s\": %m", path) < 0)
            *error = NULL;
        return -1;
    }
    int status = slt_file_parse_text(file, text, path, NULL, error);
    free(text);
    return status;
}

bool slt_record_applies(const slt_record *record, const char *engine)
{
    for (size_t idx = 0; idx < record->condition_count; idx++) {
        bool same = strcasecmp(record->conditions[idx].engine, engine) == 0;
        if (record->conditions[idx].only != same)
            return false;
    }
    return true;
}

bool slt_record_is_noop(const slt_record *record)
{
    if (record->kind != SLT_STATEMENT || record->sql == NULL)
        return false;
    const char *sql = record->sql + strspn(record->sql, " \t\n");
    if (strncasecmp(sql, "set", 3) != 0 || !isspace((unsigned char)sql[3]))
        return false;
    sql += 3;
    sql += strspn(sql, " \t\n");
    return strncasecmp(sql, "rw_implicit_flush", 17) == 0;
}
