/*
 * Bound expressions: the binder's output and the executor's input.
 *
 * A tn_expr is fully typed and resolved: column references are positions in
 * the input chunk of the operator that evaluates the expression (for a join
 * condition: left columns, then right columns), functions and operators are
 * resolved to a tn_scalar_function with implicit casts already inserted on
 * their arguments (exec/function.h), and constants carry their final type.
 * Expressions live in the statement arena and are read-only after binding.
 *
 * Evaluation is vectorized: tn_expr_compile turns a tree into per-node
 * state once per statement (and per thread), tn_expr_eval computes a whole
 * chunk into a vector, tn_expr_select computes a predicate into a selection
 * vector.  NULL semantics, overflow (22003) and division by zero (22012)
 * follow PostgreSQL.
 */
#ifndef TN_EXEC_EXPR_H
#define TN_EXEC_EXPR_H

#include "common/arena.h"
#include "types/types.h"
#include "types/vector.h"

typedef struct tn_expr tn_expr;
typedef struct tn_logical tn_logical;
typedef struct tn_scalar_function tn_scalar_function;
typedef struct tn_exec_context tn_exec_context;

typedef enum tn_expr_kind {
    TN_EXPR_CONSTANT,     /* value */
    TN_EXPR_COLUMN,       /* column: position in the input chunk */
    TN_EXPR_OUTER_COLUMN, /* column of an enclosing query's current row: depth (1 = parent), column */
    TN_EXPR_PARAMETER,    /* $column+1 of a prepared statement */
    TN_EXPR_CAST,         /* args[0] converted to type; is_explicit picks PostgreSQL's explicit rules */
    TN_EXPR_FUNCTION,     /* function(args...) */
    TN_EXPR_AND,          /* args[0] AND args[1] AND ...; three-valued */
    TN_EXPR_OR,           /* args[0] OR args[1] OR ...; three-valued */
    TN_EXPR_NOT,          /* NOT args[0] */
    TN_EXPR_IS_NULL,      /* args[0] IS NULL */
    TN_EXPR_IS_NOT_NULL,  /* args[0] IS NOT NULL */
    TN_EXPR_CASE,         /* args: when0, then0, when1, then1, ..., and else last when arg_count is odd;
                             only the branch taken is evaluated for a row (errors in others don't fire) */
    TN_EXPR_COALESCE,     /* first non-NULL of args, evaluated lazily */
    TN_EXPR_IN_LIST,      /* args[0] IN (args[1..]): true if equal to one, else NULL if a NULL took part,
                             else false; function = the resolved "=" used for each comparison */
    TN_EXPR_SUBQUERY,     /* subquery_kind over subquery (a logical plan); see tn_subquery_kind */
} tn_expr_kind;

typedef enum tn_subquery_kind {
    TN_SUBQUERY_SCALAR, /* one column; NULL when empty; 21000 when more than one row */
    TN_SUBQUERY_EXISTS, /* true when the subquery yields a row */
    TN_SUBQUERY_ANY,    /* args[0] <function> ANY (subquery); IN is "= ANY" */
    TN_SUBQUERY_ALL,    /* args[0] <function> ALL (subquery); NOT IN is "<> ALL" */
} tn_subquery_kind;

struct tn_expr {
    tn_expr_kind kind;
    tn_type type;          /* result type */
    int location;          /* 1-based offset into the SQL text for errors; 0 if none */
    tn_value value;        /* CONSTANT (strings point into the statement arena) */
    int column;            /* COLUMN, OUTER_COLUMN, PARAMETER */
    int depth;             /* OUTER_COLUMN */
    bool is_explicit;      /* CAST: CAST(...)/:: (true) or implicit/assignment (false) */
    const tn_scalar_function *function; /* FUNCTION; IN_LIST and ANY/ALL comparison */
    void *bind_data;       /* FUNCTION: what the function prepared at bind time (e.g. a compiled
                              pattern for a constant LIKE argument); owned by the statement arena */
    tn_expr **args;
    int arg_count;
    tn_subquery_kind subquery_kind; /* SUBQUERY */
    tn_logical *subquery;           /* SUBQUERY: plan whose OUTER_COLUMNs refer to this row */
    bool is_correlated;             /* SUBQUERY: the plan has OUTER_COLUMN references at depth 1 */
};

/* Constructors, allocating from arena; NULL when out of memory. */
tn_expr *tn_expr_constant(tn_arena *arena, const tn_value *value, int location);
tn_expr *tn_expr_column(tn_arena *arena, int column, tn_type type, int location);
tn_expr *tn_expr_new(tn_arena *arena, tn_expr_kind kind, tn_type type, int arg_count, int location);
/* A deep copy (subquery plans are shared, not copied). */
tn_expr *tn_expr_copy(tn_arena *arena, const tn_expr *expr);
/* True when expr references no column, outer column, parameter or subquery
 * and calls only immutable functions (so it may be folded at bind time). */
bool tn_expr_is_foldable(const tn_expr *expr);
/* Evaluates a foldable expression to a value (strings copied into arena). */
int tn_expr_fold(tn_arena *arena, const tn_expr *expr, tn_value *out, tn_error *err);
/* Renders expr for EXPLAIN (column i prints as #i). */
char *tn_expr_to_string(tn_arena *arena, const tn_expr *expr);

/* ---- evaluation ---- */

typedef struct tn_expr_state tn_expr_state;

/* Compiles expr for repeated evaluation by one thread.  The state lives in
 * arena (per thread, per statement). */
tn_expr_state *tn_expr_compile(tn_exec_context *context, const tn_expr *expr, tn_arena *arena, tn_error *err);
/* Computes the expression for every row of input into out (a vector of
 * expr->type with TN_VECTOR_SIZE capacity; it may come back constant). */
int tn_expr_eval(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err);
/* Writes to sel the (ascending) rows of input for which the boolean
 * expression is true and returns their number, or -1 on error. */
int tn_expr_select(tn_expr_state *state, const tn_chunk *input, uint32_t *sel, tn_error *err);

#endif
