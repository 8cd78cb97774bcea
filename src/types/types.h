/*
 * Logical types and the physical layout of their values.
 *
 *   type            C storage in a vector       notes
 *   BOOL            uint8_t (0/1)
 *   INT16/32/64     int16_t / int32_t / int64_t
 *   FLOAT32/64      float / double
 *   NUMERIC(p,s)    tn_int128 unscaled          p <= 38; value = unscaled / 10^s
 *   TEXT            tn_string (16-byte view)    bytes live in an arena
 *   DATE            int32_t days since 1970-01-01
 *   TIMESTAMP[TZ]   int64_t microseconds since 1970-01-01 (UTC for TZ)
 *   INTERVAL        tn_interval
 *   TIME            int64_t microseconds since midnight, 0..24:00:00
 *   BYTEA           tn_string (16-byte view)    raw bytes, as TEXT's
 *
 * A NUMERIC with precision 0 is PostgreSQL's unconstrained "numeric": its
 * values still carry the type's scale, which the operator producing them
 * chooses (PostgreSQL's display-scale rules).
 */
#ifndef TN_TYPES_TYPES_H
#define TN_TYPES_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tarn.h"

typedef __int128 tn_int128;

#define TN_NUMERIC_MAX_PRECISION 38
#define TN_TEXT_UNLIMITED 0

typedef struct tn_type {
    tn_type_id id;
    int16_t precision; /* NUMERIC: 1..38, 0 = unconstrained; TEXT: VARCHAR(n) length, 0 = none */
    int16_t scale;     /* NUMERIC: digits after the point */
} tn_type;

static inline tn_type tn_type_make(tn_type_id id)
{
    tn_type type = {id, 0, 0};
    return type;
}

static inline tn_type tn_type_numeric(int precision, int scale)
{
    tn_type type = {TN_TYPE_NUMERIC, (int16_t)precision, (int16_t)scale};
    return type;
}

static inline bool tn_type_equal(tn_type a, tn_type b)
{
    return a.id == b.id && a.precision == b.precision && a.scale == b.scale;
}

/* Bytes one value takes in a vector. */
size_t tn_type_size(tn_type_id id);
/* PostgreSQL's name: "integer", "numeric(10,2)", "character varying(20)".
 * Writes into buf (at least 48 bytes) and returns it. */
const char *tn_type_name(tn_type type, char *buf, size_t size);
/* Short name of a type id ("integer", "text"), for messages. */
const char *tn_type_id_name(tn_type_id id);
/* Parses a catalog spelling written by tn_type_name back into a type;
 * returns -1 when the text is not one. */
int tn_type_parse(const char *text, tn_type *out);

static inline bool tn_type_is_integer(tn_type_id id)
{
    return id == TN_TYPE_INT16 || id == TN_TYPE_INT32 || id == TN_TYPE_INT64;
}

static inline bool tn_type_is_float(tn_type_id id)
{
    return id == TN_TYPE_FLOAT32 || id == TN_TYPE_FLOAT64;
}

static inline bool tn_type_is_numeric(tn_type_id id)
{
    return tn_type_is_integer(id) || tn_type_is_float(id) || id == TN_TYPE_NUMERIC;
}

static inline bool tn_type_is_temporal(tn_type_id id)
{
    return id == TN_TYPE_DATE || id == TN_TYPE_TIMESTAMP || id == TN_TYPE_TIMESTAMPTZ;
}

/* Types whose vectors hold tn_string views (bytes in an arena). */
static inline bool tn_type_is_string(tn_type_id id)
{
    return id == TN_TYPE_TEXT || id == TN_TYPE_BYTEA;
}

/*
 * tn_string: 16-byte string view.  Up to 12 bytes are stored inline; longer
 * strings keep their first 4 bytes inline (fast comparisons fail early) and
 * point to the bytes, which live in an arena owned by whoever made the
 * vector (chunk arena, dictionary, constant pool).  Not NUL-terminated.
 */
#define TN_STRING_INLINE 12

typedef struct __attribute__((aligned(8))) tn_string {
    uint32_t length;
    /* Packed so the pointer sits right after the prefix, at offset 8. */
    union __attribute__((packed)) {
        char inlined[TN_STRING_INLINE];
        struct __attribute__((packed)) {
            char prefix[4];
            const char *data;
        } pointer;
    } value;
} tn_string;

_Static_assert(sizeof(tn_string) == 16, "tn_string is a 16-byte view");

static inline const char *tn_string_data(const tn_string *s)
{
    return s->length <= TN_STRING_INLINE ? s->value.inlined : s->value.pointer.data;
}

/* A view of data[0..length): inline when short, else pointing at data
 * (which must outlive the view). */
static inline tn_string tn_string_make(const char *data, uint32_t length)
{
    tn_string s;
    memset(&s, 0, sizeof s);
    s.length = length;
    if (length <= TN_STRING_INLINE) {
        if (length > 0)
            memcpy(s.value.inlined, data, length);
    } else {
        memcpy(s.value.pointer.prefix, data, 4);
        s.value.pointer.data = data;
    }
    return s;
}

static inline bool tn_string_equal(const tn_string *a, const tn_string *b)
{
    if (a->length != b->length)
        return false;
    if (a->length <= TN_STRING_INLINE)
        return memcmp(a->value.inlined, b->value.inlined, a->length) == 0;
    return memcmp(a->value.pointer.prefix, b->value.pointer.prefix, 4) == 0 &&
           memcmp(a->value.pointer.data, b->value.pointer.data, a->length) == 0;
}

/* Bytewise comparison (the C collation): <0, 0, >0. */
int tn_string_compare(const tn_string *a, const tn_string *b);

/* PostgreSQL's interval: months, days and microseconds kept apart. */
typedef struct tn_interval {
    int32_t months;
    int32_t days;
    int64_t micros;
} tn_interval;

/* One value of any type, for constants, parameters and catalog defaults. */
typedef struct tn_value {
    tn_type type;
    bool is_null;
    union {
        bool boolean;
        int64_t integer;     /* INT16, INT32, INT64, DATE, TIMESTAMP, TIMESTAMPTZ, TIME */
        double floating;     /* FLOAT32, FLOAT64 */
        tn_int128 numeric;
        tn_string string;    /* TEXT, BYTEA; bytes owned by whoever made the value */
        tn_interval interval;
    } u;
} tn_value;

static inline tn_value tn_value_null(tn_type type)
{
    tn_value value;
    memset(&value, 0, sizeof value);
    value.type = type;
    value.is_null = true;
    return value;
}

#endif
