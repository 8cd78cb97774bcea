/*
 * The structs behind tarn.h's handles, shared by the files of api/.  The
 * API layer is the session: it pins a snapshot per statement, asks the SQL
 * front end for a plan, runs it with the executor inside a catalog
 * transaction when it writes, commits, and hands results out row by row.
 */
#ifndef TN_API_INT_H
#define TN_API_INT_H

#include "catalog/catalog.h"
#include "common/buffer.h"
#include "exec/exec.h"
#include "sql/sql.h"

struct tn_lake {
    char *dir;               /* malloc'd */
    tn_catalog *catalog;
};

/* A prepared statement the session keeps (PREPARE), copied into its own arena. */
typedef struct tn_session_prepared {
    tn_arena *arena;
    tn_sql_prepared statement;
    struct tn_session_prepared *next;
} tn_session_prepared;

struct tn_session {
    tn_session_prepared *prepared; /* PREPAREd statements, newest first */
    tn_lake *lake;
    char *principal;         /* malloc'd */
    uint64_t random_state;   /* random() / setseed() */
    tn_timezone timezone;    /* SET TimeZone; zeroed = UTC */
    int thread_count;
};

struct tn_script {
    tn_session *session;
    char *sql;               /* malloc'd copy of the script */
    tn_arena *arena;         /* the split ranges */
    tn_sql_range *ranges;
    int range_count;
    int next;                /* index of the next statement to run */
};

struct tn_result {
    tn_session *session;
    tn_arena *arena;         /* the statement's arena: plan, executor state */
    tn_exec_context context;
    tn_timezone timezone;    /* the session's zone when the statement started (context.timezone) */
    tn_executor *executor;   /* NULL for statements without rows */
    const char *tag;         /* command tag without counts */
    bool returns_rows;
    int64_t row_count;       /* rows returned so far, or rows affected */
    int column_count;
    const char **names;
    tn_type *types;
    const tn_chunk *chunk;   /* current chunk, NULL before the first row */
    uint32_t row;            /* current row in chunk */
    bool at_end;
    tn_buf *texts;           /* tn_result_text's buffer per column */
    char tag_text[64];
    char type_name[64];
};

/* Runs the statement sql[offset, offset+length) and returns its result. */
tn_result *tn_session_run(tn_session *session, const char *sql, int offset, int length,
                          tn_error *err);

#endif
