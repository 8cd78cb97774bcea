/*
 * Single values (tn_value, declared in types.h): ordering, equality and
 * copying.  Sort, min/max, DISTINCT on constants, the binder's constant
 * folding and catalog defaults use these; vector kernels inline the
 * per-type comparisons below instead of calling tn_value_compare per row.
 *
 * Ordering is PostgreSQL's total order per type: NaN sorts above every
 * other float and equals itself, -0 equals 0, numerics of different
 * scales compare by value, text compares bytewise (the C collation),
 * intervals compare by their span with a month as 30 days.
 */
#ifndef TN_TYPES_VALUE_H
#define TN_TYPES_VALUE_H

#include <math.h>
#include <stdbool.h>

#include "common/arena.h"
#include "types/types.h"

static inline int tn_compare_int64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* PostgreSQL's float8_cmp_internal: NaN is equal to NaN and above all. */
static inline int tn_compare_double(double a, double b)
{
    if (isnan(a))
        return isnan(b) ? 0 : 1;
    if (isnan(b))
        return -1;
    return a < b ? -1 : a > b;
}

/* Compares two values of the same type id: <0, 0, >0.  NULL equals NULL
 * and sorts after every value (PostgreSQL's default NULLS LAST). */
int tn_value_compare(const tn_value *a, const tn_value *b);
/* tn_value_compare(a, b) == 0: the equality of GROUP BY and DISTINCT. */
bool tn_value_equal(const tn_value *a, const tn_value *b);
/* Copies src into dst, copying string bytes into arena so that dst no
 * longer depends on src's storage.  -1 when out of memory. */
int tn_value_copy(tn_arena *arena, const tn_value *src, tn_value *dst);

/* Constructors for the common cases. */
static inline tn_value tn_value_int(tn_type_id id, int64_t integer)
{
    tn_value value = tn_value_null(tn_type_make(id));
    value.is_null = false;
    value.u.integer = integer;
    return value;
}

static inline tn_value tn_value_float(tn_type_id id, double number)
{
    tn_value value = tn_value_null(tn_type_make(id));
    value.is_null = false;
    value.u.floating = number;
    return value;
}

static inline tn_value tn_value_numeric(tn_int128 unscaled, int precision, int scale)
{
    tn_value value = tn_value_null(tn_type_numeric(precision, scale));
    value.is_null = false;
    value.u.numeric = unscaled;
    return value;
}

/* A TEXT value viewing data (which must outlive it; see tn_value_copy). */
static inline tn_value tn_value_text(const char *data, uint32_t length)
{
    tn_value value = tn_value_null(tn_type_make(TN_TYPE_TEXT));
    value.is_null = false;
    value.u.string = tn_string_make(data, length);
    return value;
}

#endif
