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

/* A parameter $n while a prepared statement is bound: at PREPARE only its
 * declared type (TN_TYPE_NULL when none), at EXECUTE also its value. */
typedef struct tn_sql_param {
    tn_type type;
    bool has_value;
    bool is_unknown;         /* the argument was an untyped string literal */
    tn_value value;
} tn_sql_param;

/* What binding a statement needs from the session. */
typedef struct tn_sql_env {
    tn_catalog *catalog;
    const char *lake_dir;
    int64_t snapshot_id;     /* the snapshot this statement reads */
    const char *principal;   /* who runs it */
    const char *const *search_path; /* schemas tried for unqualified names, NULL-terminated */
    const tn_sql_param *params;     /* $1.. of a prepared statement, NULL otherwise */
    int param_count;
} tn_sql_env;

/* A prepared statement as the session keeps it (PREPARE name AS ...). */
typedef struct tn_sql_prepared {
    const char *name;
    const char *sql;             /* the statement as SQL text, $n for the parameters */
    int param_count;
    const tn_type *param_types;  /* TN_TYPE_NULL: the argument's own type at EXECUTE */
} tn_sql_prepared;

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
    TN_STATEMENT_PREPARE, /* the session keeps prepared under its name */
    TN_STATEMENT_EXECUTE, /* the session runs tn_sql_prepare_execute(name's statement, args) */
    TN_STATEMENT_DEALLOCATE, /* the session forgets name (NULL: every prepared statement) */
} tn_statement_kind;

typedef struct tn_statement {
    tn_statement_kind kind;
    const char *tag;      /* command tag without counts: "SELECT", "INSERT", "CREATE TABLE" */
    tn_logical *plan;     /* QUERY and DML */
    const char *operation;/* DML/DDL: the snapshot's operation text, e.g. "insert into main.t" */
    void *ddl;            /* DDL (and CREATE TABLE AS): what tn_sql_apply_ddl needs (front end's own) */
    const char *timezone_setting; /* UTILITY: SET TimeZone's value for the session, "" = default */
    const char *name;     /* PREPARE, EXECUTE, DEALLOCATE: the prepared statement's name */
    tn_sql_prepared *prepared; /* PREPARE */
    tn_expr **args;       /* EXECUTE: the arguments, bound (constants) */
    int arg_count;
} tn_statement;

/* Parses, binds and plans the statement sql[offset, offset+length).  Error
 * positions count from the start of sql. */
tn_statement *tn_sql_prepare(const tn_sql_env *env, const char *sql, int offset, int length,
                             tn_arena *arena, tn_error *err);

/* EXECUTE execute (a TN_STATEMENT_EXECUTE) of prepared: coerces the
 * arguments to the parameter types (42601 on a wrong count, 42804) and
 * binds and plans the prepared text with their values.  Errors carry no
 * position: the text is not the script's. */
tn_statement *tn_sql_prepare_execute(const tn_sql_env *env, const tn_sql_prepared *prepared,
                                     const tn_statement *execute, tn_arena *arena, tn_error *err);

/* Applies a DDL statement, or the DDL a DML statement carries (ddl not
 * NULL: CREATE TABLE AS), to txn (the caller commits): 0 done, 1 nothing
 * to do (IF NOT EXISTS found the object: skip the DML too), -1 error. */
int tn_sql_apply_ddl(const tn_sql_env *env, tn_statement *statement, tn_catalog_txn *txn,
                     tn_error *err);

#endif
