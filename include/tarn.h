/*
 * tarn public API: open a lake, open a session as a principal, run SQL and
 * stream its results.  Every front end (the CLI, the sqllogictest runner, the
 * server, the pipeline runner, the Python package) is a client of this
 * header and nothing else.
 *
 * Ownership: objects returned by tn_*_open / tn_*_create are owned by the
 * caller and released with the matching close function.  A value's text
 * from tn_result_text stays valid until the result moves to the next row.
 * Errors: functions return 0 / non-NULL on success and -1 / NULL on failure,
 * filling the caller's tn_error (release it with tn_error_clear).  The
 * library never prints and never exits.
 */
#ifndef TARN_H
#define TARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TN_VERSION "0.1.0"

/* An error as PostgreSQL reports one. */
typedef struct tn_error {
    char  sqlstate[6]; /* "42P01"; "00000" when clear */
    int   position;    /* 1-based character offset into the SQL text, 0 if none */
    char *message;     /* short, lower case, no final period; malloc'd */
    char *detail;      /* full sentences, or NULL; malloc'd */
    char *hint;        /* full sentences, or NULL; malloc'd */
} tn_error;

#define TN_ERROR_INIT {"00000", 0, NULL, NULL, NULL}

/* Frees the texts of err and makes it clear again ("00000"). */
void tn_error_clear(tn_error *err);
/* True when err carries an error. */
bool tn_error_is_set(const tn_error *err);

/* SQL types as tarn stores and computes them. */
typedef enum tn_type_id {
    TN_TYPE_NULL = 0,    /* the type of an untyped NULL literal */
    TN_TYPE_BOOL,
    TN_TYPE_INT16,
    TN_TYPE_INT32,
    TN_TYPE_INT64,
    TN_TYPE_FLOAT32,
    TN_TYPE_FLOAT64,
    TN_TYPE_NUMERIC,     /* NUMERIC(p,s), p <= 38; 128-bit unscaled value */
    TN_TYPE_TEXT,        /* TEXT and VARCHAR(n) */
    TN_TYPE_DATE,
    TN_TYPE_TIMESTAMP,   /* without time zone, microseconds */
    TN_TYPE_TIMESTAMPTZ, /* UTC microseconds since 1970 */
    TN_TYPE_INTERVAL,
    TN_TYPE_TIME,        /* without time zone, microseconds since midnight */
    TN_TYPE_BYTEA,       /* binary strings, stored as tn_string bytes */
    TN_TYPE__COUNT
} tn_type_id;

typedef struct tn_lake tn_lake;
typedef struct tn_session tn_session;
typedef struct tn_script tn_script;
typedef struct tn_result tn_result;

/* ---- lakes ---- */

/* Creates a new lake in dir (created if missing, must be empty otherwise). */
int tn_lake_create(const char *dir, tn_error *err);
/* Opens an existing lake; fails if dir is not a lake or its catalog is newer
 * than this build understands. */
tn_lake *tn_lake_open(const char *dir, tn_error *err);
void tn_lake_close(tn_lake *lake);
/* The principal that owns the lake (the default for sessions). */
const char *tn_lake_owner(const tn_lake *lake);

/* ---- sessions ---- */

/* Opens a session acting as principal (NULL: the lake's owner). */
tn_session *tn_session_open(tn_lake *lake, const char *principal, tn_error *err);
void tn_session_close(tn_session *session);
const char *tn_session_principal(const tn_session *session);

/* Runs every statement of sql in order and returns the last one's result
 * (NULL with err set when one fails; earlier statements stay committed). */
tn_result *tn_session_execute(tn_session *session, const char *sql, tn_error *err);

/* A script is sql split into statements, run one at a time so that a front
 * end can show each result.  Error positions count from the start of sql. */
tn_script *tn_script_open(tn_session *session, const char *sql, tn_error *err);
/* The next statement's result; NULL at the end (err clear) or on error
 * (err set; the script may be continued with the following statement). */
tn_result *tn_script_next(tn_script *script, tn_error *err);
/* The text of the statement last returned by tn_script_next, with its
 * terminating semicolon when it has one. */
const char *tn_script_statement(const tn_script *script, size_t *length);
void tn_script_close(tn_script *script);

/* ---- results ---- */

int tn_result_column_count(const tn_result *result);
const char *tn_result_column_name(const tn_result *result, int column);
tn_type_id tn_result_column_type(const tn_result *result, int column);
/* The column's SQL type as PostgreSQL spells it: "integer", "numeric(10,2)". */
const char *tn_result_column_type_name(tn_result *result, int column);
/* Advances to the next row: 1 when there is one, 0 at the end, -1 on error. */
int tn_result_next_row(tn_result *result, tn_error *err);
bool tn_result_is_null(const tn_result *result, int column);
/* The value in PostgreSQL's text output format; NULL for SQL NULL. */
const char *tn_result_text(tn_result *result, int column);
/* "SELECT 3", "INSERT 0 2", "CREATE TABLE"; row counts are final once
 * tn_result_next_row has returned 0. */
const char *tn_result_command_tag(tn_result *result);
void tn_result_close(tn_result *result);

#endif /* TARN_H */
