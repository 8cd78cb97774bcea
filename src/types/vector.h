/*
 * Vectors and data chunks: the unit of work between operators.
 *
 * A tn_vector holds up to TN_VECTOR_SIZE values of one type as a flat C
 * array (layout in types.h), a validity bitmap in 64-bit words (NULL means
 * every row is valid; bit set = valid) and a constant flag: a constant
 * vector's row 0 stands for every row, so a literal costs one value.
 *
 * NUMERIC values are unscaled integers.  A numeric(p,s) vector holds every
 * value at type.scale.  PostgreSQL's unconstrained numeric (precision 0)
 * carries a display scale per value ("1.5" and "100.00" in one column), so
 * such a vector may attach a scales array, one byte per row; like the
 * validity bitmap it is optional (NULL = every row at type.scale, the
 * binder's estimate), allocated from the vector's arena on first need and
 * dropped at each reset.  Producers that know per-value scales store
 * through tn_vector_set_numeric; every reader asks tn_vector_numeric_scale.
 *
 * A tn_chunk is a set of equally long vectors plus the arena that holds
 * their string bytes.  Operators fill chunks they own, and reset them
 * between batches; a chunk handed to the next operator is read-only for
 * it.  Filters compact a chunk in place with a selection vector
 * (tn_chunk_select), so every consumer sees dense rows.
 */
#ifndef TN_TYPES_VECTOR_H
#define TN_TYPES_VECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "types/types.h"

#define TN_VECTOR_SIZE 2048
_Static_assert((TN_VECTOR_SIZE & (TN_VECTOR_SIZE - 1)) == 0, "vector size must be a power of two");

#define TN_VALIDITY_WORDS (TN_VECTOR_SIZE / 64)

typedef struct tn_vector {
    tn_type type;
    void *data;          /* TN_VECTOR_SIZE values, owned by the chunk's arena */
    uint64_t *validity;  /* NULL = all valid; else TN_VALIDITY_WORDS words */
    bool is_constant;    /* row 0 holds the value of every row */
    uint8_t *scales;     /* unconstrained NUMERIC: NULL = all rows at type.scale; else per row */
    tn_arena *arena;     /* where validity, scales and string bytes are allocated */
} tn_vector;

typedef struct tn_chunk {
    int column_count;
    tn_vector *columns;
    uint32_t count;      /* rows in use, <= TN_VECTOR_SIZE */
    tn_arena *arena;     /* owns the vectors' data; reset by tn_chunk_reset */
    tn_arena *heap;      /* string bytes and validity; cleared per batch */
} tn_chunk;

/* Validity helpers (bit set = valid). */
static inline bool tn_vector_is_valid(const tn_vector *v, uint32_t row)
{
    if (v->is_constant)
        row = 0;
    return v->validity == NULL || (v->validity[row >> 6] >> (row & 63)) & 1;
}

/* Marks row NULL (allocating the bitmap, all valid, on first use).
 * Returns -1 when out of memory. */
int tn_vector_set_null(tn_vector *v, uint32_t row);
/* Marks row valid again (no-op when there is no bitmap). */
void tn_vector_set_valid(tn_vector *v, uint32_t row);
/* Makes the bitmap exist (all valid) so kernels can write it directly. */
int tn_vector_ensure_validity(tn_vector *v);

/* The scale of a NUMERIC row (honours the constant flag). */
static inline int tn_vector_numeric_scale(const tn_vector *v, uint32_t row)
{
    return v->scales == NULL ? v->type.scale : v->scales[v->is_constant ? 0 : row];
}

/* Makes the scales array exist (every row at type.scale).  -1 when out of
 * memory. */
int tn_vector_ensure_scales(tn_vector *v);
/* Stores a NUMERIC value given at scale.  An unconstrained vector keeps
 * the value's own scale; a numeric(p,s) one rounds it to s (22003 when
 * that overflows 38 digits). */
int tn_vector_set_numeric(tn_vector *v, uint32_t row, tn_int128 value, int scale, tn_error *err);
/* Copies one row's value (string views shared, NUMERIC scale included, no
 * validity) from src row from (honouring src's constant flag) to dst row
 * to; -1 when out of memory. */
int tn_vector_copy_row(tn_vector *dst, uint32_t to, const tn_vector *src, uint32_t from);

/* Initialises v with storage for TN_VECTOR_SIZE values from arena. */
int tn_vector_init(tn_vector *v, tn_type type, tn_arena *arena);
/* Copies a string's bytes into the vector's arena and stores the view. */
int tn_vector_set_string(tn_vector *v, uint32_t row, const char *data, uint32_t length);
/* Stores value into row (strings are copied into the vector's arena). */
int tn_vector_set_value(tn_vector *v, uint32_t row, const tn_value *value);
/* Reads row as a tn_value (strings point into the vector). */
void tn_vector_get_value(const tn_vector *v, uint32_t row, tn_value *out);
/* Expands a constant vector into count flat rows. */
int tn_vector_flatten(tn_vector *v, uint32_t count);
/* Copies src rows [src_offset, src_offset+count) to dst starting at
 * dst_offset (types must match; strings are copied into dst's arena). */
int tn_vector_copy(tn_vector *dst, uint32_t dst_offset, const tn_vector *src,
                   uint32_t src_offset, uint32_t count);

/* A chunk with one vector per type; its storage lives in a new arena. */
tn_chunk *tn_chunk_create(const tn_type *types, int column_count);
void tn_chunk_destroy(tn_chunk *chunk);
/* Empties the chunk for the next batch: count 0, validity, scales and
 * constant flags cleared, string heap reset. */
void tn_chunk_reset(tn_chunk *chunk);
/* Keeps only rows sel[0..count) (ascending), in that order. */
void tn_chunk_select(tn_chunk *chunk, const uint32_t *sel, uint32_t count);
/* Appends src rows [offset, offset+count) to dst (same column types). */
int tn_chunk_append(tn_chunk *dst, const tn_chunk *src, uint32_t offset, uint32_t count);

#endif
