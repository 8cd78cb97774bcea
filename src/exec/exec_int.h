/*
 * Private helpers shared by the files of the execution engine: per-type
 * X-macro lists that stamp kernels once per C type, the function tables
 * each func_*.c contributes, value hashing and comparison used by hash
 * tables and sorting, and row collections (materialized chunks) used by
 * every operator that must keep its input.  Nothing here is part of the
 * engine's contract (exec.h, expr.h, function.h).
 */
#ifndef TN_EXEC_EXEC_INT_H
#define TN_EXEC_EXEC_INT_H

#include "common/error.h"
#include "exec/exec.h"
#include "exec/function.h"

#define TN_INTEGER_TYPES(X) \
    X(INT16, int16_t)       \
    X(INT32, int32_t)       \
    X(INT64, int64_t)

#define TN_FLOAT_TYPES(X) \
    X(FLOAT32, float)     \
    X(FLOAT64, double)

/* 0 for a constant vector, 1 otherwise: index = row * stride. */
static inline uint32_t tn_stride(const tn_vector *v)
{
    return v->is_constant ? 0u : 1u;
}

/* Defines a kernel that visits each valid row of a two-argument strict
 * function: x and y are the row's arguments, r[i] its result.  For kernels
 * whose rows may fail or that call a helper per value (dates, NUMERIC). */
#define TN_ROW_KERNEL2(NAME, CA, CB, CR, ...)                                                     \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        (void)err;                                                                                 \
        const CA *a = args[0]->data;                                                               \
        const CB *b = args[1]->data;                                                               \
        CR *r = out->data;                                                                         \
        (void)r;                                                                                   \
        uint32_t sa = tn_stride(args[0]), sb = tn_stride(args[1]);                                 \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            if (!tn_vector_is_valid(out, i))                                                       \
                continue;                                                                          \
            CA x = a[i * sa];                                                                      \
            CB y = b[i * sb];                                                                      \
            (void)x;                                                                               \
            (void)y;                                                                               \
            __VA_ARGS__                                                                            \
        }                                                                                          \
        return 0;                                                                                  \
    }

/* The same for one argument. */
#define TN_ROW_KERNEL1(NAME, CA, CR, ...)                                                         \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        (void)err;                                                                                 \
        const CA *a = args[0]->data;                                                               \
        CR *r = out->data;                                                                         \
        (void)r;                                                                                   \
        uint32_t sa = tn_stride(args[0]);                                                          \
        for (uint32_t i = 0; i < count; i++) {                                                     \
            if (!tn_vector_is_valid(out, i))                                                       \
                continue;                                                                          \
            CA x = a[i * sa];                                                                      \
            __VA_ARGS__                                                                            \
        }                                                                                          \
        return 0;                                                                                  \
    }

/* Shorthands for function table entries. */
#define TN_T(name) TN_TYPE_##name
#define TN_FN1(NAME, A, R, KERNEL, BIND) {NAME, 1, {TN_T(A)}, TN_T(R), TN_IMMUTABLE, true, KERNEL, BIND}
#define TN_FN2(NAME, A, B, R, KERNEL, BIND) \
    {NAME, 2, {TN_T(A), TN_T(B)}, TN_T(R), TN_IMMUTABLE, true, KERNEL, BIND}
#define TN_FN3(NAME, A, B, C, R, KERNEL, BIND) \
    {NAME, 3, {TN_T(A), TN_T(B), TN_T(C)}, TN_T(R), TN_IMMUTABLE, true, KERNEL, BIND}

/* ---- function tables: each func_*.c exports one ---- */

typedef struct tn_function_list {
    const tn_scalar_function *functions;
    int count;
} tn_function_list;

extern const tn_function_list tn_func_arith_list;
extern const tn_function_list tn_func_compare_list;
extern const tn_function_list tn_func_string_list;
extern const tn_function_list tn_func_math_list;
extern const tn_function_list tn_func_datetime_list;
extern const tn_function_list tn_func_regex_list;

/* Iterates over every overload named name: pass index 0 first, then the
 * returned index + 1; returns -1 after the last. */
int tn_function_next(const char *name, int index, const tn_scalar_function **out);

/* The vector an expression's call leaves for a cast: runs a cast kernel from
 * src into out for count rows (out has the target type). */
int tn_cast_vector(const tn_expr *cast, const tn_vector *src, uint32_t count, tn_vector *out,
                   tn_error *err);
/* The same in the session's zone (tn_cast_vector reads timestamptz in UTC). */
int tn_cast_vector_zone(const tn_expr *cast, const tn_timezone *zone, const tn_vector *src, uint32_t count,
                        tn_vector *out, tn_error *err);
/* Converts one value to type (explicit rules): used for folding. */
int tn_cast_value(tn_arena *arena, const tn_value *value, tn_type type, bool is_explicit,
                  int location, tn_value *out, tn_error *err);
/* True when PostgreSQL casts from to to implicitly (or in assignment when
 * assignment is true). */
bool tn_cast_is_implicit(tn_type_id from, tn_type_id to);
/* Formats one value as PostgreSQL's text output into arena. */
char *tn_value_to_text(tn_arena *arena, const tn_value *value);

/* ---- values ---- */

/* Compares two non-NULL values of the same type id (NUMERIC: and scale): <0, 0, >0.
 * NaN sorts after every other float, as in PostgreSQL. */
int tn_value_compare_raw(tn_type_id id, const void *a, const void *b);
/* Compares non-NULL rows of two vectors of one type id (NUMERIC across
 * scales): <0, 0, >0. */
int tn_vector_compare_rows(const tn_vector *a, uint32_t row_a, const tn_vector *b, uint32_t row_b);
/* After src's first rows were copied into dst wholesale: gives dst the
 * scales of src's NUMERIC values (src's per-row scales, or src's type
 * scale when dst's differs, as when a numeric(15,1) feeds a column of
 * unconstrained numeric).  -1 when out of memory. */
static inline int tn_vector_take_scales(tn_vector *dst, const tn_vector *src, uint32_t rows)
{
    dst->scales = NULL;
    if (dst->type.id != TN_TYPE_NUMERIC || dst->type.precision != 0 || rows == 0 ||
        (src->scales == NULL && src->type.scale == dst->type.scale))
        return 0;
    if (tn_vector_ensure_scales(dst) != 0)
        return -1;
    if (src->scales != NULL)
        memcpy(dst->scales, src->scales, rows);
    else
        memset(dst->scales, (uint8_t)src->type.scale, rows);
    return 0;
}

/* Pointer to row's value in v. */
static inline const void *tn_vector_row_ptr(const tn_vector *v, uint32_t row)
{
    return (const char *)v->data + (size_t)(v->is_constant ? 0 : row) * tn_type_size(v->type.id);
}

/* ---- hash tables (hash_table.c) ----
 * Keys are rows of key_count vectors of any types (NULL is a value; NULLs
 * are equal); each entry carries payload_size zeroed bytes whose address
 * never moves.  Entries are numbered 0.. in insertion order. */

typedef struct tn_hash_table tn_hash_table;

tn_hash_table *tn_hash_table_create(tn_arena *arena, const tn_type *key_types, int key_count,
                                    size_t payload_size, tn_error *err);
/* hashes[row] for count rows of keys. */
void tn_hash_rows(tn_vector *const *keys, int key_count, uint32_t count, uint64_t *hashes);
/* entries[row] = the entry of row's key, inserted when new (is_new[row]
 * then true; is_new may be NULL). */
int tn_hash_table_insert(tn_hash_table *table, tn_vector *const *keys, const uint64_t *hashes,
                         uint32_t count, int64_t *entries, bool *is_new, tn_error *err);
/* entries[row] = the entry of row's key, or -1. */
void tn_hash_table_find(const tn_hash_table *table, tn_vector *const *keys,
                        const uint64_t *hashes, uint32_t count, int64_t *entries);
int64_t tn_hash_table_count(const tn_hash_table *table);
void *tn_hash_table_payload(const tn_hash_table *table, int64_t entry);
/* Writes the keys of entries [first, first + count) to rows 0.. of out. */
int tn_hash_table_keys(const tn_hash_table *table, int64_t first, uint32_t count, tn_vector **out,
                       tn_error *err);

/* ---- row collections: chunks kept by sinks ---- */

typedef struct tn_collection {
    int column_count;
    tn_type *types;
    tn_chunk **chunks;     /* each full but the last; destroyed with the arena */
    int chunk_count;
    int chunk_capacity;
    int64_t row_count;
    tn_arena *arena;       /* statement arena: owns the array and cleanups */
} tn_collection;

int tn_collection_init(tn_collection *collection, tn_arena *arena, const tn_type *types,
                       int column_count);
/* Appends count rows of input (copying strings). */
int tn_collection_append(tn_collection *collection, const tn_chunk *input, tn_error *err);
/* Moves every chunk of src to the end of dst (same types). */
int tn_collection_merge(tn_collection *dst, tn_collection *src, tn_error *err);
/* Row row of the collection as (chunk, offset). */
static inline void tn_collection_locate(const tn_collection *collection, int64_t row,
                                        const tn_chunk **chunk, uint32_t *offset)
{
    *chunk = collection->chunks[row / TN_VECTOR_SIZE];
    *offset = (uint32_t)(row % TN_VECTOR_SIZE);
}

/* A chunk of types whose arenas die with arena. */
tn_chunk *tn_exec_chunk_create(tn_arena *arena, const tn_type *types, int column_count,
                               tn_error *err);
/* out = rows sel[0..count) of in (all first count rows when sel is NULL),
 * same types; string bytes stay where in keeps them, so out is valid as
 * long as in is.  -1 when out of memory. */
int tn_chunk_gather(tn_chunk *out, const tn_chunk *in, const uint32_t *sel, uint32_t count);

/* ---- aggregates (aggregate.c) ----
 * States are zeroed bytes of state_size; update folds a batch in, with
 * states[row] + offset the state of row's group and mask (when not NULL)
 * saying which rows count (FILTER, DISTINCT).  Bytes a state must keep
 * (strings) are allocated from arena. */
struct tn_aggregate_function {
    const char *name;
    int arg_count;            /* 0 for count(*) */
    tn_type_id arg_types[2];  /* TN_TYPE__COUNT: any type */
    tn_type_id result_type;
    size_t state_size;
    int (*update)(const tn_bound_aggregate *aggregate, char **states, size_t offset,
                  tn_vector **args, uint32_t count, const uint8_t *mask, tn_arena *arena,
                  tn_error *err);
    int (*combine)(const tn_bound_aggregate *aggregate, void *target, const void *source,
                   tn_arena *arena, tn_error *err);
    /* Writes the result of state to out[row]. */
    int (*finalize)(const tn_bound_aggregate *aggregate, const void *state, tn_vector *out,
                    uint32_t row, tn_error *err);
    int (*bind)(tn_bound_aggregate *aggregate, tn_error *err);
};

/* tn_expr_compile with the caller's per-batch heap (it must not be arena,
 * as every evaluation resets it): for one-off evaluations whose arenas
 * the caller resets. */
tn_expr_state *tn_expr_compile_with_heap(tn_exec_context *context, const tn_expr *expr,
                                         tn_arena *arena, tn_arena *heap, tn_error *err);

/* Runs call's kernel over args (count rows) with PostgreSQL's strictness:
 * a strict function gives NULL wherever an argument is NULL; all-constant
 * arguments give a constant result (expr_eval.c). */
int tn_expr_call(tn_exec_context *context, const tn_expr *call, tn_vector **args, uint32_t count,
                 tn_vector *out, tn_error *err);

/* ---- subqueries (subquery.c) ---- */

/* Evaluates a SUBQUERY expression for every row of input.  outer holds the
 * current rows of enclosing queries (row index in the chunk of each depth). */
typedef struct tn_outer_row {
    const tn_chunk *chunk;
    uint32_t row;
    const struct tn_outer_row *parent;
} tn_outer_row;

typedef struct tn_subquery_state tn_subquery_state;
tn_subquery_state *tn_subquery_compile(tn_exec_context *context, const tn_expr *expr,
                                       tn_arena *arena, tn_error *err);
int tn_subquery_eval(tn_subquery_state *state, const tn_chunk *input, const tn_outer_row *outer,
                     tn_vector *out, tn_error *err);

/* Appends PostgreSQL's ordinal suffix ("st", "nd", "rd", "th"; upper case
 * when upper) to the number in s (func_format_number.c, used by both
 * to_char families). */
void tn_to_char_th_suffix(char *s, int upper);

#endif
