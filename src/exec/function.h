/*
 * The function catalog: scalar functions, operators and aggregates, with
 * PostgreSQL's overload resolution.  The binder asks for a function by name
 * (operators by their symbol: "+", "=", "||", "~~" for LIKE, unary minus as
 * "-" with one argument) and gets back a bound expression whose arguments
 * carry the implicit casts resolution chose.  Functions are described in
 * tables (one entry per overload) and their kernels run over whole vectors.
 */
#ifndef TN_EXEC_FUNCTION_H
#define TN_EXEC_FUNCTION_H

#include "exec/expr.h"

/* How a function may be folded or reordered. */
typedef enum tn_volatility {
    TN_IMMUTABLE, /* same arguments, same result: folded at bind time */
    TN_STABLE,    /* same within a statement (now()) */
    TN_VOLATILE,  /* random() */
} tn_volatility;

/* A kernel computes count rows of out from the argument vectors.  It sees
 * constant vectors as such and may produce a constant result. */
typedef int (*tn_scalar_kernel)(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                uint32_t count, tn_vector *out, tn_error *err);

struct tn_scalar_function {
    const char *name;
    int arg_count;              /* -1: variadic, all of arg_types[0] */
    tn_type_id arg_types[4];
    tn_type_id return_type;
    tn_volatility volatility;
    bool is_strict;             /* NULL in any argument gives NULL without calling the kernel */
    tn_scalar_kernel kernel;
    /* Optional: computes the exact result type (NUMERIC scale, VARCHAR length)
     * and bind_data from the bound arguments. */
    int (*bind)(tn_arena *arena, tn_expr *call, tn_error *err);
};

/* Resolves name(args) per PostgreSQL's rules (exact match, then implicit
 * casts, preferring the preferred type of a category; unknown literals take
 * the other side's type) and returns the call with casts inserted.  Errors:
 * 42883 "operator does not exist: integer + text" / "function foo(integer)
 * does not exist" with PostgreSQL's hint, 42725 when ambiguous. */
tn_expr *tn_function_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                          int location, tn_error *err);
/* True when name is a known scalar function or operator. */
bool tn_function_exists(const char *name);

/* Wraps expr in a cast to type.  context: TN_CAST_IMPLICIT (only casts
 * PostgreSQL applies silently), TN_CAST_ASSIGNMENT (INSERT/UPDATE target:
 * also numeric narrowing, with 22001/22003 on overflow) or TN_CAST_EXPLICIT.
 * Returns expr itself when the types are equal; 42846 "cannot cast type x
 * to y" when no such cast exists.  Constants are cast at once. */
typedef enum tn_cast_context { TN_CAST_IMPLICIT, TN_CAST_ASSIGNMENT, TN_CAST_EXPLICIT } tn_cast_context;
tn_expr *tn_expr_cast(tn_arena *arena, tn_expr *expr, tn_type type, tn_cast_context context,
                      tn_error *err);

/* The common type of a set of expressions (CASE branches, UNION columns,
 * IN lists, COALESCE), PostgreSQL's select_common_type; 42804 when none. */
int tn_common_type(tn_expr **exprs, int count, const char *construct, tn_type *out, tn_error *err);

/* ---- aggregates ---- */

typedef struct tn_aggregate_function tn_aggregate_function; /* opaque, defined by exec */

typedef struct tn_bound_aggregate {
    const tn_aggregate_function *function;
    const char *name;      /* as written, for EXPLAIN and column names */
    tn_expr **args;        /* over the aggregate's input chunk; none for count(*) */
    int arg_count;
    bool is_distinct;
    bool is_star;          /* count(*) */
    tn_expr *filter;       /* FILTER (WHERE ...), or NULL */
    tn_type type;          /* result type */
    int location;
    /* ORDER BY inside the call / WITHIN GROUP (aggregate_ordered.c): the
     * rows' arguments are kept per group and sorted at finalize; args
     * then end with the sort keys not among the arguments */
    int order_count;
    int *order_args;       /* sort key i is args[order_args[i]] */
    bool *order_descending;
    bool *order_nulls_first;
    int value_count;       /* arguments the aggregate itself reads (args[0..value_count)) */
    const struct tn_aggregate_function *inner; /* the plain aggregate run over the sorted rows, or NULL */
} tn_bound_aggregate;

/* An aggregate with ORDER BY (string_agg(x, ',' ORDER BY y)) or an
 * ordered-set aggregate (percentile_cont(0.5) WITHIN GROUP (ORDER BY x)):
 * args are the call's arguments (direct arguments for WITHIN GROUP),
 * keys the bound sort expressions with their directions. */
tn_bound_aggregate *tn_aggregate_bind_ordered(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                                              tn_expr **keys, const bool *descending, const bool *nulls_first,
                                              int key_count, bool is_distinct, bool is_within_group,
                                              int location, tn_error *err);

/* True when name names an aggregate (so the binder knows f(x) is one). */
bool tn_aggregate_exists(const char *name);
/* Resolves an aggregate call; args must already be bound. */
tn_bound_aggregate *tn_aggregate_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                                      bool is_distinct, bool is_star, int location, tn_error *err);

#endif
