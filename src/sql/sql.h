/*
 * The SQL front end's entry points: split a script into statements, turn
 * one statement into a bound, planned tn_statement (libpg_query parse tree
 * -> tarn AST -> binder -> logical plan -> optimizer), and apply DDL to a
 * catalog transaction.  The session (api/) drives these and the executor.
 *
 * Everything is bound for a principal (tn_sql_env.principal), so grants,
 * row policies and masks can later be applied here, once, for every path.
 */
#ifndef TN_SQL_SQL_H
#define TN_SQL_SQL_H

#include "sql/logical.h"

typedef struct tn_catalog tn_catalog;
typedef struct tn_catalog_txn tn_catalog_txn;

/* What binding a statement needs from the session. */
typedef struct tn_sql_env {
    tn_catalog *catalog;
    const char *lake_dir;
    int64_t snapshot_id;     /* the snapshot this statement reads */
    const char *principal;   /* who runs it */
    const char *const *search_path; /* schemas tried for unqualified names, NULL-terminated */
} tn_sql_env;

/* One statement's place in a script. */
typedef struct tn_sql_range {
    int offset;   /* byte offset of the statement in the script */
    int length;   /* bytes, without the terminating semicolon */
} tn_sql_range;

/* Splits sql into statements (empty ones dropped); arena-allocated. */
int tn_sql_split(const char *sql, tn_arena *arena, tn_sql_range **ranges, int *count, tn_error *err);

typedef enum tn_statement_kind {
    TN_STATEMENT_QUERY,   /* plan yields rows: SELECT, VALUES, EXPLAIN */
    TN_STATEMENT_DML,     /* plan writes: INSERT, UPDATE, DELETE (runs in a catalog transaction) */
    TN_STATEMENT_DDL,     /* applied with tn_sql_apply_ddl in a catalog transaction */
    TN_STATEMENT_UTILITY, /* no effect on the lake (SET, CREATE INDEX accepted as a no-op, ...) */
} tn_statement_kind;

typedef struct tn_statement {
    tn_statement_kind kind;
    const char *tag;      /* command tag without counts: "SELECT", "INSERT", "CREATE TABLE" */
    tn_logical *plan;     /* QUERY and DML */
    const char *operation;/* DML/DDL: the snapshot's operation text, e.g. "insert into main.t" */
    void *ddl;            /* DDL (and CREATE TABLE AS): what tn_sql_apply_ddl needs (front end's own) */
    const char *timezone_setting; /* UTILITY: SET TimeZone's value for the session, "" = default */
} tn_statement;

/* Parses, binds and plans the statement sql[offset, offset+length).  Error
 * positions count from the start of sql. */
tn_statement *tn_sql_prepare(const tn_sql_env *env, const char *sql, int offset, int length,
                             tn_arena *arena, tn_error *err);

/* Applies a DDL statement, or the DDL a DML statement carries (ddl not
 * NULL: CREATE TABLE AS), to txn (the caller commits): 0 done, 1 nothing
 * to do (IF NOT EXISTS found the object: skip the DML too), -1 error. */
int tn_sql_apply_ddl(const tn_sql_env *env, tn_statement *statement, tn_catalog_txn *txn,
                     tn_error *err);

#endif
