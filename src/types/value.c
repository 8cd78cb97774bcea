/*
 * tn_value ordering, equality and copying (see value.h).  Equality is
 * defined as "compares equal" so that GROUP BY, DISTINCT and sorting never
 * disagree (NaN groups with NaN, 1.0 with 1.00).
 */
#include "types/value.h"

#include <string.h>

#include "types/datetime.h"
#include "types/numeric.h"

int tn_value_compare(const tn_value *a, const tn_value *b)
{
    if (a->is_null || b->is_null)
        return a->is_null == b->is_null ? 0 : a->is_null ? 1 : -1;
    switch (a->type.id) {
    case TN_TYPE_BOOL: return (int)a->u.boolean - (int)b->u.boolean;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64:
    case TN_TYPE_DATE:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
    case TN_TYPE_TIME: return tn_compare_int64(a->u.integer, b->u.integer);
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: return tn_compare_double(a->u.floating, b->u.floating);
    case TN_TYPE_NUMERIC:
        return tn_numeric_compare(a->u.numeric, a->type.scale, b->u.numeric, b->type.scale);
    case TN_TYPE_TEXT:
    case TN_TYPE_BYTEA: return tn_string_compare(&a->u.string, &b->u.string);
    case TN_TYPE_INTERVAL: return tn_interval_compare(&a->u.interval, &b->u.interval);
    case TN_TYPE_NULL:
    case TN_TYPE__COUNT: break;
    }
    return 0;
}

bool tn_value_equal(const tn_value *a, const tn_value *b)
{
    return tn_value_compare(a, b) == 0;
}

int tn_value_copy(tn_arena *arena, const tn_value *src, tn_value *dst)
{
    *dst = *src;
    if (src->is_null || !tn_type_is_string(src->type.id) || src->u.string.length <= TN_STRING_INLINE)
        return 0;
    char *bytes = tn_arena_alloc(arena, src->u.string.length);
    if (bytes == NULL)
        return -1;
    memcpy(bytes, src->u.string.value.pointer.data, src->u.string.length);
    dst->u.string = tn_string_make(bytes, src->u.string.length);
    return 0;
}
