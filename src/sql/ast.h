/*
 * tarn's own syntax tree: what the transform step (transform_*.c) makes of
 * libpg_query's protobuf parse tree and what the binder (bind_*.c) reads.
 * It keeps only what tarn understands, so the binder never looks at
 * protobuf structs and every construct tarn does not support is refused in
 * one place, the transform, with 0A000 and the construct's position.
 *
 * Locations are 1-based offsets into the whole script (statement offset +
 * libpg_query's 0-based location + 1), ready for tn_error.position; 0 when
 * unknown.  Everything lives in the statement arena.
 */
#ifndef TN_SQL_AST_H
#define TN_SQL_AST_H

#include "common/arena.h"
#include "common/error.h"
#include "types/types.h"

typedef struct tn_ast_select tn_ast_select;
typedef struct tn_ast_expr tn_ast_expr;
typedef struct tn_ast_window tn_ast_window;
typedef struct tn_ast_sort tn_ast_sort;

typedef enum tn_ast_expr_kind {
    TN_AST_CONSTANT,    /* constant_kind + text (as written) */
    TN_AST_COLUMN_REF,  /* names[0..name_count), is_star for t.* and * */
    TN_AST_PARAMETER,   /* $number */
    TN_AST_OPERATOR,    /* name(args): binary or unary operator */
    TN_AST_AND,
    TN_AST_OR,
    TN_AST_NOT,
    TN_AST_FUNCTION,    /* name(args); is_star, is_distinct, filter for aggregates */
    TN_AST_CAST,        /* args[0]::type */
    TN_AST_CASE,        /* args[0] = operand or NULL, then when/then pairs, else_expr */
    TN_AST_IS_NULL,     /* args[0] IS [NOT] NULL (is_negated) */
    TN_AST_BOOL_TEST,   /* args[0] IS [NOT] TRUE/FALSE/UNKNOWN: name = "true"/"false"/"unknown" */
    TN_AST_DISTINCT,    /* args[0] IS [NOT] DISTINCT FROM args[1]; is_negated = NOT DISTINCT */
    TN_AST_BETWEEN,     /* args[0] [NOT] BETWEEN [SYMMETRIC] args[1] AND args[2] */
    TN_AST_IN_LIST,     /* args[0] [NOT] IN (args[1..]) */
    TN_AST_NULLIF,      /* NULLIF(args[0], args[1]) */
    TN_AST_COALESCE,    /* COALESCE(args) */
    TN_AST_MIN_MAX,     /* GREATEST / LEAST (name) */
    TN_AST_SUBQUERY,    /* subquery_kind; ANY/ALL: args[0] name subquery */
    TN_AST_DEFAULT,     /* DEFAULT in INSERT VALUES / UPDATE SET */
    TN_AST_GROUPING,    /* GROUPING(args) of GROUPING SETS / ROLLUP / CUBE */
} tn_ast_expr_kind;

typedef enum tn_ast_constant_kind {
    TN_AST_CONST_INTEGER,  /* fits int32 as the parser saw it */
    TN_AST_CONST_DECIMAL,  /* a number too long for int32, or with a point / exponent */
    TN_AST_CONST_STRING,   /* '...' : PostgreSQL's unknown */
    TN_AST_CONST_BOOL,
    TN_AST_CONST_NULL,
} tn_ast_constant_kind;

typedef enum tn_ast_subquery_kind {
    TN_AST_SUBQUERY_SCALAR,
    TN_AST_SUBQUERY_EXISTS,
    TN_AST_SUBQUERY_ANY,
    TN_AST_SUBQUERY_ALL,
} tn_ast_subquery_kind;

/* A type as written: the tn_type plus the name for messages. */
typedef struct tn_ast_type {
    tn_type type;
    const char *name;
    int location;
    int interval_fields;        /* INTERVAL YEAR, DAY TO HOUR ...: PostgreSQL's field mask, 0 = all */
} tn_ast_type;

struct tn_ast_expr {
    tn_ast_expr_kind kind;
    int location;
    const char *name;           /* operator / function / test name */
    const char **names;         /* COLUMN_REF parts, FUNCTION qualified name parts */
    int name_count;
    tn_ast_expr **args;
    int arg_count;
    tn_ast_expr *else_expr;     /* CASE */
    tn_ast_constant_kind constant_kind;
    const char *text;           /* CONSTANT */
    int32_t integer;            /* CONSTANT INTEGER; PARAMETER number */
    bool boolean;               /* CONSTANT BOOL */
    bool is_star;
    bool is_distinct;
    bool is_negated;
    bool is_symmetric;
    tn_ast_expr *filter;        /* FUNCTION: FILTER (WHERE ...) */
    tn_ast_type cast_type;      /* CAST */
    tn_ast_subquery_kind subquery_kind;
    tn_ast_select *subquery;
    tn_ast_window *over;        /* FUNCTION: OVER (...) or OVER name */
    tn_ast_sort *agg_order;     /* FUNCTION: f(x ORDER BY ...) or WITHIN GROUP (ORDER BY ...) */
    int agg_order_count;
    bool is_within_group;
};

/* A window specification (WINDOW name AS (...), OVER (...), OVER name).
 * frame_options is PostgreSQL's FRAMEOPTION_* bit mask. */
struct tn_ast_window {
    const char *name;           /* WINDOW name AS / OVER name */
    const char *refname;        /* OVER (name ...): the window it copies */
    tn_ast_expr **partitions;
    int partition_count;
    tn_ast_sort *orders;
    int order_count;
    int frame_options;
    tn_ast_expr *start_offset;
    tn_ast_expr *end_offset;
    int location;
};

typedef enum tn_ast_join_kind {
    TN_AST_JOIN_CROSS,
    TN_AST_JOIN_INNER,
    TN_AST_JOIN_LEFT,
    TN_AST_JOIN_RIGHT,
    TN_AST_JOIN_FULL,
} tn_ast_join_kind;

typedef enum tn_ast_from_kind {
    TN_AST_FROM_TABLE,
    TN_AST_FROM_SUBQUERY,
    TN_AST_FROM_FUNCTION,
    TN_AST_FROM_JOIN,
} tn_ast_from_kind;

typedef struct tn_ast_from tn_ast_from;
struct tn_ast_from {
    tn_ast_from_kind kind;
    int location;
    const char *schema;         /* TABLE (NULL: search path) */
    const char *name;           /* TABLE */
    const char *alias;          /* NULL when none */
    const char **column_aliases;
    int column_alias_count;
    tn_ast_select *subquery;    /* SUBQUERY */
    tn_ast_expr *function;      /* FUNCTION: a FUNCTION expression */
    tn_ast_join_kind join_kind; /* JOIN */
    tn_ast_from *left, *right;
    tn_ast_expr *condition;     /* JOIN ... ON */
    const char **using_names;   /* JOIN ... USING / NATURAL (filled by the binder) */
    int using_count;
    bool is_natural;
    bool with_ordinality;       /* FUNCTION ... WITH ORDINALITY */
    bool is_lateral;            /* SUBQUERY: LATERAL (reads the FROM items before it) */
};

typedef struct tn_ast_target {
    tn_ast_expr *expr;
    const char *alias;          /* AS name, NULL when none */
    int location;
} tn_ast_target;

struct tn_ast_sort {
    tn_ast_expr *expr;
    bool is_descending;
    int nulls;                  /* 0 default, 1 NULLS FIRST, 2 NULLS LAST */
};

typedef enum tn_ast_set_op {
    TN_AST_SET_NONE,
    TN_AST_SET_UNION,
    TN_AST_SET_INTERSECT,
    TN_AST_SET_EXCEPT,
} tn_ast_set_op;

/* WITH name (columns) AS (query): bound afresh wherever it is referenced. */
typedef struct tn_ast_cte {
    const char *name;
    const char **column_aliases;
    int column_alias_count;
    tn_ast_select *query;
    bool is_recursive;          /* in WITH RECURSIVE: may refer to itself */
    int materialized;           /* 1 MATERIALIZED, -1 NOT MATERIALIZED, 0 neither */
} tn_ast_cte;

struct tn_ast_select {
    int location;
    tn_ast_cte *ctes;           /* WITH list, visible in this query and below */
    int cte_count;
    tn_ast_set_op set_op;       /* not NONE: left set_op right, other clauses apply on top */
    bool is_all;
    tn_ast_select *left, *right;
    tn_ast_expr ***values;      /* VALUES rows (values_row_count x values_column_count) */
    int values_row_count;
    int values_column_count;
    bool is_distinct;
    tn_ast_target *targets;
    int target_count;
    tn_ast_from **from;
    int from_count;
    tn_ast_expr *where;
    tn_ast_expr **groups;
    int group_count;
    tn_ast_expr *having;
    tn_ast_sort *sorts;
    int sort_count;
    tn_ast_expr *limit;
    tn_ast_expr *offset;
    tn_ast_window *windows;     /* WINDOW clause */
    int window_count;
    tn_ast_expr **distinct_on;  /* DISTINCT ON (...) */
    int distinct_on_count;
    int **grouping_sets;        /* GROUPING SETS / ROLLUP / CUBE expanded: each set lists indexes into groups */
    int *grouping_set_sizes;
    int grouping_set_count;     /* 0: plain GROUP BY */
};

/* ---- statements ---- */

typedef enum tn_ast_statement_kind {
    TN_AST_SELECT,
    TN_AST_INSERT,
    TN_AST_UPDATE,
    TN_AST_DELETE,
    TN_AST_CREATE_SCHEMA,
    TN_AST_DROP_SCHEMA,
    TN_AST_CREATE_TABLE,
    TN_AST_DROP_TABLE,
    TN_AST_EXPLAIN,
    TN_AST_UTILITY,             /* accepted without effect: CREATE/DROP INDEX, SET */
    TN_AST_CREATE_VIEW,         /* target, columns (aliases), select, view_sql, or_replace */
    TN_AST_DROP_VIEW,           /* names, if_exists, cascade */
    TN_AST_CREATE_TABLE_AS,     /* target, columns (names), select, if_exists, skip_data */
    TN_AST_PREPARE,             /* target.name, param_types (param_count), view_sql = the statement */
    TN_AST_EXECUTE,             /* target.name, args */
    TN_AST_DEALLOCATE,          /* target.name, NULL for ALL */
} tn_ast_statement_kind;

typedef struct tn_ast_name {
    const char *schema;         /* NULL: search path */
    const char *name;
    int location;
} tn_ast_name;

typedef struct tn_ast_column_def {
    const char *name;
    tn_ast_type type;
    bool is_not_null;
    bool is_explicit_null;     /* NULL was written (conflicts with NOT NULL) */
    const char *default_sql;    /* deparsed DEFAULT expression */
    tn_ast_expr *default_expr;  /* for checking at CREATE time */
    int location;
} tn_ast_column_def;

typedef struct tn_ast_check {
    const char *name;           /* NULL: generated as PostgreSQL does */
    const char *sql;            /* deparsed expression */
    tn_ast_expr *expr;
} tn_ast_check;

typedef struct tn_ast_unique {
    const char *name;
    bool is_primary_key;
    const char **columns;
    int column_count;
    int location;
} tn_ast_unique;

typedef struct tn_ast_set_clause {
    const char *column;
    tn_ast_expr *expr;
    int location;
} tn_ast_set_clause;

/* INSERT ... ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE ...] */
typedef struct tn_ast_on_conflict {
    bool is_update;
    const char **columns;       /* the arbiter key's columns, none when not given */
    int column_count;
    const char *constraint;     /* ON CONSTRAINT name, NULL when not given */
    tn_ast_set_clause *sets;    /* DO UPDATE SET */
    int set_count;
    tn_ast_expr *where;         /* DO UPDATE ... WHERE */
    int location;
} tn_ast_on_conflict;

typedef struct tn_ast_statement tn_ast_statement;
struct tn_ast_statement {
    tn_ast_statement_kind kind;
    const char *tag;            /* command tag */
    tn_ast_select *select;      /* SELECT; INSERT source (NULL = DEFAULT VALUES) */
    tn_ast_name target;         /* INSERT/UPDATE/DELETE/CREATE/DROP object */
    const char *target_alias;   /* UPDATE/DELETE alias */
    tn_ast_name *names;         /* DROP TABLE list */
    int name_count;
    bool if_exists;             /* IF [NOT] EXISTS */
    bool cascade;
    /* INSERT */
    const char **columns;
    int *column_locations;
    int column_count;
    /* UPDATE */
    tn_ast_set_clause *sets;
    int set_count;
    tn_ast_expr *where;         /* UPDATE, DELETE */
    /* CREATE TABLE */
    tn_ast_column_def *column_defs;
    int column_def_count;
    tn_ast_check *checks;
    int check_count;
    tn_ast_unique *uniques;
    int unique_count;
    /* EXPLAIN */
    tn_ast_statement *explained;
    bool is_analyze;
    /* CREATE VIEW */
    const char *view_sql;       /* the query as deparsed SQL text, what the catalog keeps */
    bool or_replace;
    bool skip_data;             /* CREATE TABLE AS ... WITH NO DATA */
    tn_ast_on_conflict *on_conflict; /* INSERT ... ON CONFLICT, NULL when none */
    /* PREPARE, EXECUTE */
    tn_ast_type *param_types;   /* PREPARE: declared, TN_TYPE_NULL past them */
    int param_count;            /* PREPARE: declared, or the highest $n when more */
    tn_ast_expr **args;         /* EXECUTE */
    int arg_count;
    tn_ast_select *extra_from;  /* UPDATE ... FROM / DELETE ... USING: the items in extra_from->from */
    /* SET TimeZone: the new value, "" for the default (SET ... DEFAULT, RESET) */
    const char *timezone_setting;
};

/* ---- parsing and transforming (parser.c, transform_*.c) ---- */

/* Parses the statement text[0..length) (exactly one statement) whose first
 * byte is at script offset `offset`, into an AST.  Syntax errors carry
 * PostgreSQL's message and the cursor position in the script. */
tn_ast_statement *tn_sql_parse(const char *text, int length, int offset, tn_arena *arena,
                               tn_error *err);
/* Parses one expression written as SQL text (a stored DEFAULT or CHECK). */
tn_ast_expr *tn_sql_parse_expression(const char *sql, tn_arena *arena, tn_error *err);

/* Transform context: the arena, the statement's script offset, and the
 * first error. */
typedef struct tn_transform {
    tn_arena *arena;
    int offset;
    tn_error *err;
} tn_transform;

/* libpg_query node types, kept opaque outside the transform files. */
struct PgQuery__Node;
struct PgQuery__SelectStmt;
struct PgQuery__TypeName;

int tn_transform_location(const tn_transform *tr, int location);
int tn_transform_unsupported(tn_transform *tr, int location, const char *what);
tn_ast_expr *tn_transform_expr(tn_transform *tr, struct PgQuery__Node *node);
int tn_transform_type(tn_transform *tr, struct PgQuery__TypeName *name, tn_ast_type *out);
tn_ast_select *tn_transform_select(tn_transform *tr, struct PgQuery__SelectStmt *stmt);
tn_ast_statement *tn_transform_statement(tn_transform *tr, struct PgQuery__Node *node);
tn_ast_statement *tn_transform_ddl(tn_transform *tr, struct PgQuery__Node *node);
tn_ast_statement *tn_transform_dml(tn_transform *tr, struct PgQuery__Node *node);
/* transform_window.c: sort lists, window definitions, GROUP BY with
 * GROUPING SETS / ROLLUP / CUBE. */
struct PgQuery__WindowDef;
int tn_transform_sorts(tn_transform *tr, struct PgQuery__Node **nodes, size_t count, tn_ast_sort **out);
tn_ast_window *tn_transform_window(tn_transform *tr, struct PgQuery__WindowDef *def);
int tn_transform_group_by(tn_transform *tr, struct PgQuery__SelectStmt *stmt, tn_ast_select *select);
/* Deparses an expression node back into SQL text (for stored DEFAULT/CHECK). */
char *tn_sql_deparse_expression(tn_transform *tr, struct PgQuery__Node *node);
/* Deparses a statement node (a query) back into SQL text (for stored views). */
char *tn_sql_deparse_statement(tn_transform *tr, struct PgQuery__Node *node);
/* CREATE VIEW (transform_view.c). */
struct PgQuery__ViewStmt;
tn_ast_statement *tn_transform_create_view(tn_transform *tr, struct PgQuery__ViewStmt *stmt);
/* CREATE TABLE AS and SELECT INTO (transform_view.c). */
struct PgQuery__CreateTableAsStmt;
tn_ast_statement *tn_transform_create_table_as(tn_transform *tr, struct PgQuery__CreateTableAsStmt *stmt);
tn_ast_statement *tn_transform_select_into(tn_transform *tr, struct PgQuery__SelectStmt *stmt);
/* PREPARE, EXECUTE, DEALLOCATE (transform_prepare.c). */
tn_ast_statement *tn_transform_prepared(tn_transform *tr, struct PgQuery__Node *node);

#endif
