/*
 * Set-returning (table) functions: generate_series and
 * regexp_split_to_table.  They are not scalar kernels (exec/function.h
 * maps a row to a value); each produces a column of rows from one set of
 * argument values.  The binder resolves a call here (sql/bind_srf.c), the
 * function scan operator (op_function_scan.c) evaluates the arguments
 * once and pulls the rows chunk by chunk.
 */
#ifndef TN_EXEC_TABLE_FUNCTION_H
#define TN_EXEC_TABLE_FUNCTION_H

#include "exec/expr.h"

typedef struct tn_table_function tn_table_function;

/* One running call: the argument values and the function's progress. */
typedef struct tn_table_call {
    const tn_table_function *function;
    tn_type type;             /* the output column's type */
    tn_value args[3];
    int arg_count;
    tn_value next;            /* generate_series: the next value */
    int next_scale;           /* generate_series(numeric): scale of rows after the first */
    int64_t offset;           /* regexp_split_to_table: byte offset of the next piece */
    int64_t search;           /* ... and where the next match search starts */
    int64_t previous_end;     /* ... end of the previous match */
    void *pattern;            /* ... compiled (pcre2_code) */
    void *match;              /* ... pcre2_match_data */
    bool is_done;
} tn_table_call;

struct tn_table_function {
    const char *name;
    /* Inserts the argument casts of the chosen overload into args and sets
     * the output type; 42883 (PostgreSQL's text and hint) when none fits. */
    int (*bind)(tn_arena *arena, const char *name, tn_expr **args, int arg_count, int location, tn_type *out,
                tn_error *err);
    /* Prepares call (its args set); resources are tied to arena. */
    int (*start)(tn_table_call *call, tn_arena *arena, tn_error *err);
    /* Writes up to capacity rows into out (of call->type): the count, 0
     * when done, -1 on error. */
    int (*next)(tn_table_call *call, tn_vector *out, uint32_t capacity, tn_error *err);
};

/* The table function called name, or NULL. */
const tn_table_function *tn_table_function_lookup(const char *name);

#endif
