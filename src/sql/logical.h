/*
 * Logical plans: what a statement computes, as a tree of relational
 * operators over typed columns.  The binder builds them from the AST; the
 * optimizer rewrites them; the physical planner (sql/physical_plan.c) turns
 * them into executable pipelines.
 *
 * Every node has an output schema (types, names).  Expressions in a node
 * refer to its input by position: for one child, the child's output
 * columns; for a join, the left child's columns followed by the right's.
 * Nodes and expressions live in the statement arena.
 */
#ifndef TN_SQL_LOGICAL_H
#define TN_SQL_LOGICAL_H

#include "exec/expr.h"
#include "exec/function.h"
#include "storage/table.h"

typedef enum tn_logical_kind {
    TN_LOGICAL_GET,            /* scan of table: columns (table column ordinals, TN_ROW_ID_COLUMN for
                                  the row id); filters are pushed-down predicates over the output */
    TN_LOGICAL_TABLE_FUNCTION, /* function_name(function_args) in FROM, e.g. read_parquet('x/<glob>.parquet') */
    TN_LOGICAL_VALUES,         /* rows x column_count expressions without column references */
    TN_LOGICAL_DUMMY_SCAN,     /* one row, no columns: SELECT without FROM */
    TN_LOGICAL_FILTER,         /* rows of child where predicate is true */
    TN_LOGICAL_PROJECTION,     /* exprs over child */
    TN_LOGICAL_AGGREGATE,      /* groups then aggregates; output = group columns ++ aggregate results.
                                  No groups = one output row even on empty input. */
    TN_LOGICAL_JOIN,           /* join_type of children[0] and [1] on condition (NULL = cross product) */
    TN_LOGICAL_ORDER,          /* child sorted by sort_keys (stable) */
    TN_LOGICAL_LIMIT,          /* limit / offset rows of child (exprs folded to constants by the binder) */
    TN_LOGICAL_DISTINCT,       /* rows of child without duplicates (NULLs equal) */
    TN_LOGICAL_SET_OPERATION,  /* set_op of children[0] and [1]; same column count and types */
    TN_LOGICAL_INSERT,         /* child rows in table column order are appended to table */
    TN_LOGICAL_DELETE,         /* child's column 0 holds the row ids to delete from table */
    TN_LOGICAL_UPDATE,         /* child's column 0 = row id, then one column per table column (new row) */
    TN_LOGICAL_EXPLAIN,        /* children[0] is the plan to explain; output one text column */
    TN_LOGICAL_WINDOW,         /* child's columns ++ one column per window function (windows) */
    TN_LOGICAL_RECURSIVE_CTE,  /* WITH RECURSIVE: children[0] once, then children[1] until it adds no rows
                                  (is_all: UNION ALL, else duplicates dropped); run by exec/op_recursive_cte.c */
    TN_LOGICAL_CTE_SCAN,       /* the rows the last iteration of recursive_source added (its working table) */
    TN_LOGICAL_LATERAL_JOIN,   /* children[0]'s columns ++ those of predicate's correlated subquery, run per
                                  row of children[0] (LATERAL in FROM; join_type INNER or LEFT) */
    TN_LOGICAL_SHARED_CTE_SCAN, /* the rows of cte_plan, a WITH query referenced more than once: computed once
                                   per executor (exec/op_shared_cte.c), every reference reading them */
} tn_logical_kind;

/* INSERT / UPDATE: the table's UNIQUE and PRIMARY KEY constraints, which
 * the executor enforces (op_upsert.c), and INSERT's ON CONFLICT action. */
typedef enum tn_conflict_action {
    TN_CONFLICT_ERROR,   /* 23505 on any duplicate key */
    TN_CONFLICT_NOTHING, /* ON CONFLICT DO NOTHING: skip rows whose arbiter key exists */
    TN_CONFLICT_UPDATE,  /* ON CONFLICT DO UPDATE: update the existing row instead */
} tn_conflict_action;

/* PostgreSQL's limit on the columns of an index, so of a key. */
#define TN_UNIQUE_MAX_COLUMNS 32

typedef struct tn_unique_key {
    const char *name;    /* constraint name, e.g. "t_pkey" */
    int column_count;
    const int *columns;  /* table column ordinals */
} tn_unique_key;

typedef struct tn_conflict {
    tn_unique_key *keys;
    int key_count;
    int arbiter;         /* NOTHING / UPDATE: the key ON CONFLICT names, -1 = every key */
    tn_conflict_action action;
    tn_expr **sets;      /* UPDATE: the new row, one expression per table column, over the
                            existing row (table columns) ++ the proposed row (EXCLUDED) */
    tn_expr *where;      /* UPDATE: DO UPDATE ... WHERE over the same input, NULL when none */
} tn_conflict;

typedef enum tn_join_type {
    TN_JOIN_INNER,
    TN_JOIN_LEFT,
    TN_JOIN_RIGHT,
    TN_JOIN_FULL,
    TN_JOIN_SEMI,  /* left rows with a match (EXISTS / IN after decorrelation) */
    TN_JOIN_ANTI,  /* left rows without a match */
} tn_join_type;

typedef enum tn_set_op {
    TN_SET_UNION,
    TN_SET_INTERSECT,
    TN_SET_EXCEPT,
} tn_set_op;

struct tn_sort_key {
    tn_expr *expr;
    bool is_descending;
    bool nulls_first;   /* PostgreSQL default: NULLS LAST for ASC, NULLS FIRST for DESC */
};

/* Window functions (TN_LOGICAL_WINDOW).  Frames use PostgreSQL's
 * FRAMEOPTION_* bits, kept as written. */
typedef enum tn_window_kind {
    TN_WINDOW_AGGREGATE,      /* an aggregate over the frame */
    TN_WINDOW_ROW_NUMBER,
    TN_WINDOW_RANK,
    TN_WINDOW_DENSE_RANK,
    TN_WINDOW_PERCENT_RANK,
    TN_WINDOW_CUME_DIST,
    TN_WINDOW_NTILE,          /* args[0]: bucket count */
    TN_WINDOW_LAG,            /* args: value, offset, default (all present after binding) */
    TN_WINDOW_LEAD,
    TN_WINDOW_FIRST_VALUE,
    TN_WINDOW_LAST_VALUE,
    TN_WINDOW_NTH_VALUE,      /* args: value, n */
} tn_window_kind;

enum {
    TN_FRAME_RANGE = 0x2,
    TN_FRAME_ROWS = 0x4,
    TN_FRAME_GROUPS = 0x8,
    TN_FRAME_START_UNBOUNDED_PRECEDING = 0x20,
    TN_FRAME_END_UNBOUNDED_PRECEDING = 0x40,
    TN_FRAME_START_UNBOUNDED_FOLLOWING = 0x80,
    TN_FRAME_END_UNBOUNDED_FOLLOWING = 0x100,
    TN_FRAME_START_CURRENT_ROW = 0x200,
    TN_FRAME_END_CURRENT_ROW = 0x400,
    TN_FRAME_START_OFFSET_PRECEDING = 0x800,
    TN_FRAME_END_OFFSET_PRECEDING = 0x1000,
    TN_FRAME_START_OFFSET_FOLLOWING = 0x2000,
    TN_FRAME_END_OFFSET_FOLLOWING = 0x4000,
    TN_FRAME_EXCLUDE_CURRENT_ROW = 0x8000,
    TN_FRAME_EXCLUDE_GROUP = 0x10000,
    TN_FRAME_EXCLUDE_TIES = 0x20000,
};

typedef struct tn_sort_key tn_sort_key;

typedef struct tn_window_function {
    tn_window_kind kind;
    const char *name;
    tn_bound_aggregate *aggregate; /* AGGREGATE: its arguments and FILTER are over the input row */
    tn_expr **args;                /* other kinds, over the input row */
    int arg_count;
    tn_expr **partitions;          /* PARTITION BY, over the input row */
    int partition_count;
    tn_sort_key *orders;           /* ORDER BY, over the input row */
    int order_count;
    int frame;                     /* TN_FRAME_* bits */
    int64_t start_offset;          /* ROWS / GROUPS n PRECEDING / FOLLOWING */
    int64_t end_offset;
    /* RANGE n PRECEDING / FOLLOWING: the single ORDER BY key as a common
     * type with the bounds, and the bounds key -/+ offset (for DESC,
     * +/-), over the input row; NULL when unused */
    tn_expr *range_key;
    tn_expr *range_start;
    tn_expr *range_end;
    tn_type type;
    int location;
} tn_window_function;

struct tn_logical {
    tn_logical_kind kind;
    tn_logical *children[2];
    int child_count;

    int column_count;          /* output schema */
    tn_type *types;
    const char **names;

    /* GET, INSERT, DELETE, UPDATE */
    tn_table *table;
    int *columns;              /* GET: table column ordinal per output column */
    tn_expr **filters;         /* GET: conjuncts the scan may use for pruning and filtering */
    int filter_count;

    /* INSERT, UPDATE: CHECK constraints over the new row (child columns in
     * table order; for UPDATE shifted by the row id column) and their names */
    tn_expr **checks;
    const char **check_names;
    int check_count;

    /* TABLE_FUNCTION */
    const char *function_name;
    tn_value *function_args;
    int function_arg_count;

    /* VALUES: rows x column_count, row-major */
    tn_expr **values;
    int row_count;

    /* FILTER: predicate; JOIN: condition */
    tn_expr *predicate;

    /* PROJECTION: column_count exprs */
    tn_expr **exprs;

    /* AGGREGATE */
    tn_expr **groups;
    int group_count;
    tn_bound_aggregate **aggregates;
    int aggregate_count;

    /* JOIN */
    tn_join_type join_type;

    /* ORDER */
    tn_sort_key *sort_keys;
    int sort_key_count;

    /* LIMIT: -1 = none */
    int64_t limit;
    int64_t offset;

    /* SET_OPERATION */
    tn_set_op set_op;
    bool is_all;

    /* EXPLAIN */
    bool is_analyze;

    /* INSERT, UPDATE: unique keys to enforce and ON CONFLICT, NULL when none */
    tn_conflict *conflict;

    /* WINDOW: results follow the child's columns */
    tn_window_function **windows;
    int window_count;

    /* TABLE_FUNCTION of exec/table_function.h (table_function set): its
     * function_arg_count argument expressions, and WITH ORDINALITY (a
     * bigint row number as the last column) */
    const struct tn_table_function *table_function;
    tn_expr **function_exprs;
    bool with_ordinality;

    /* CTE_SCAN: the RECURSIVE_CTE whose working table it reads */
    const tn_logical *recursive_source;
    /* SHARED_CTE_SCAN: the WITH query's plan (optimized on its own, once,
     * shared by every reference) */
    tn_logical *cte_plan;      /* the holder: a SHARED_CTE_SCAN whose children[0] is the plan */
    bool cte_optimized;        /* the holder: its plan went through tn_optimize */
    const char *cte_name;      /* the WITH query's name, for EXPLAIN */

    /* AGGREGATE with GROUPING SETS / ROLLUP / CUBE (grouping_set_count > 0):
     * per set, the bitmask of the groups it holds (bit i = groups[i]).  Each
     * input row is aggregated once per set, absent groups as NULL, and the
     * output ends with a bigint column whose bit i is set when group i is
     * absent from the row's set (what GROUPING(...) reads). */
    int grouping_set_count;
    uint64_t *grouping_sets;
};

/* A node of kind with room for column_count output columns and
 * child_count children; NULL when out of memory. */
tn_logical *tn_logical_new(tn_arena *arena, tn_logical_kind kind, int column_count);
/* Renders the plan as an indented tree for EXPLAIN. */
char *tn_logical_to_string(tn_arena *arena, const tn_logical *plan);

#endif
