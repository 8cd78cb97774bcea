/*
 * The sqllogictest runner's private header: a parsed test file (slt_parse.c),
 * the rendering, sorting, hashing and comparing of results (slt_result.c),
 * and the runner itself (slt.c).  The two flavours - the SQLite corpus
 * (*.test: one value per line, type letters decide rendering, MD5 hashes)
 * and sqllogictest-rs (*.slt, *.slt.part: one row per line, PostgreSQL text,
 * include, multi-line error blocks) - share one record model; `rs` on a
 * file says which comparison rules apply.
 */
#ifndef TARN_CLI_SLT_H
#define TARN_CLI_SLT_H

#include <stdbool.h>
#include <stddef.h>

#include "tarn.h"

#define SLT_ENGINE "postgresql"
#define SLT_DEFAULT_HASH_THRESHOLD 8

typedef enum slt_kind {
    SLT_STATEMENT,      /* statement ok | error */
    SLT_QUERY,          /* query <types> [sort] [label] | query error */
    SLT_HASH_THRESHOLD, /* hash-threshold N */
    SLT_HALT,           /* halt */
    SLT_BROKEN,         /* a record the parser could not understand */
} slt_kind;

typedef enum slt_sort { SLT_NOSORT, SLT_ROWSORT, SLT_VALUESORT } slt_sort;

/* An onlyif/skipif line in front of a record. */
typedef struct slt_condition {
    bool only;      /* onlyif (else skipif) */
    char *engine;
} slt_condition;

typedef struct slt_strings {
    char **items;
    size_t count;
    size_t capacity;
} slt_strings;

typedef struct slt_record {
    slt_kind kind;
    int line;               /* 1-based line of the statement/query line in its file */
    char *origin;           /* NULL in the top file; else the included file's path
                               relative to the top file's folder */
    slt_condition *conditions;
    size_t condition_count;
    bool expect_error;      /* statement error / query error */
    char *error_pattern;    /* text after "error", or the ---- block; NULL if none */
    char *types;            /* query type letters */
    slt_sort sort;
    char *label;
    char *sql;              /* lines joined by '\n' */
    slt_strings expected;   /* lines after ---- */
    int threshold;          /* hash-threshold value */
    char *problem;          /* SLT_BROKEN: what is wrong */
} slt_record;

typedef struct slt_file {
    bool rs;                /* sqllogictest-rs flavour */
    slt_record *records;
    size_t count;
    size_t capacity;
} slt_file;

/* ---- slt_parse.c ---- */

/* True for paths ending in .slt or .slt.part (the sqllogictest-rs flavour). */
bool slt_path_is_rs(const char *path);
/* Parses the file at path, expanding includes (rs flavour).  Returns 0, or
 * -1 with *error set (malloc'd) when the file cannot be read. */
int slt_file_load(slt_file *file, const char *path, char **error);
/* Parses text as if read from path (used by load and by tests); origin is
 * the include origin given to every record (NULL for a top file). */
int slt_file_parse_text(slt_file *file, const char *text, const char *path, const char *origin,
                        char **error);
void slt_file_free(slt_file *file);
/* False when the record's conditions exclude engine. */
bool slt_record_applies(const slt_record *record, const char *engine);
/* True for the RisingWave-only statements the runner skips. */
bool slt_record_is_noop(const slt_record *record);

int slt_strings_push(slt_strings *list, const char *text);
int slt_strings_push_owned(slt_strings *list, char *text);
void slt_strings_free(slt_strings *list);

/* ---- slt_result.c ---- */

/* One value of a SQLite-flavour query rendered by its type letter (I, R, T);
 * text is PostgreSQL's text output or NULL for SQL NULL.  Malloc'd. */
char *slt_render_typed(char letter, tn_type_id type, const char *text);
/* One value of an rs-flavour query: NULL -> "NULL", "" -> "(empty)". */
char *slt_render_plain(const char *text);
/* Collapses runs of whitespace to one space and trims; malloc'd. */
char *slt_normalize_row(const char *row);

/* Sorts values as rows of column_count values, comparing column by column. */
void slt_sort_rows(slt_strings *values, size_t column_count);
/* Sorts every value on its own. */
void slt_sort_values(slt_strings *values);
/* Lowercase hex MD5 of the values, each followed by '\n'. */
void slt_hash_values(const slt_strings *values, char hex[33]);
/* Reads "N values hashing to H"; false when line is not of that form. */
bool slt_parse_hash_line(const char *line, size_t *count, char hex[33]);

/* Compares actual values (already rendered and sorted) with the record's
 * expected lines.  For the SQLite flavour actual holds one value per entry;
 * for rs one joined row per entry.  When they differ and shown is not NULL,
 * it receives the actual result in the expected block's form (values, or a
 * hash line), malloc'd strings. */
bool slt_result_matches(const slt_record *record, bool rs, const slt_strings *actual,
                        slt_strings *shown);

#endif /* TARN_CLI_SLT_H */
