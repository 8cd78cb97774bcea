/*
 * Casts (see cast.h).  One element converter per family (int_check,
 * float_to_int, to_numeric...) holds each rule once.  cast_one applies them
 * to a tn_value and serves every pair; tn_vector_cast runs the integer,
 * float, boolean and date/time pairs as plain loops over the arrays
 * (integers widened to an int64 scratch array first, floats to double, so
 * each pair is two tight loops with no call per value) and sends the
 * remaining pairs (text, numeric) row by row through cast_one.
 */
#include "types/cast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "types/bytea.h"
#include "types/format.h"
#include "types/numeric.h"
#include "types/parse.h"

/* pg_cast.castcontext for [from][to], in tn_type_id order:
 * NULL BOOL INT16 INT32 INT64 FLOAT32 FLOAT64 NUMERIC TEXT DATE TIMESTAMP
 * TIMESTAMPTZ INTERVAL TIME BYTEA.  i = implicit, a = assignment, e =
 * explicit. */
static const char cast_contexts[TN_TYPE__COUNT][TN_TYPE__COUNT + 1] = {
    [TN_TYPE_NULL] = "iiiiiiiiiiiiiii",
    [TN_TYPE_BOOL] = "-i-e----a------",
    [TN_TYPE_INT16] = "--iiiiiia------",
    [TN_TYPE_INT32] = "-eaiiiiia------",
    [TN_TYPE_INT64] = "--aaiiiia------",
    [TN_TYPE_FLOAT32] = "--aaaiiaa------",
    [TN_TYPE_FLOAT64] = "--aaaaiaa------",
    [TN_TYPE_NUMERIC] = "--aaaiiia------",
    [TN_TYPE_TEXT] = "-eeeeeeeieeeeee",
    [TN_TYPE_DATE] = "--------aiii---",
    [TN_TYPE_TIMESTAMP] = "--------aaii-a-",
    [TN_TYPE_TIMESTAMPTZ] = "--------aaai-a-",
    [TN_TYPE_INTERVAL] = "--------a---ia-",
    [TN_TYPE_TIME] = "--------a---ii-",
    [TN_TYPE_BYTEA] = "--------a-----i",
};

bool tn_cast_depends_on_zone(tn_type_id from, tn_type_id to)
{
    return (from == TN_TYPE_TIMESTAMPTZ) != (to == TN_TYPE_TIMESTAMPTZ) && from != TN_TYPE_NULL;
}

tn_cast_kind tn_cast_lookup(tn_type_id from, tn_type_id to)
{
    if ((unsigned)from >= TN_TYPE__COUNT || (unsigned)to >= TN_TYPE__COUNT)
        return TN_CAST_KIND_NONE;
    switch (cast_contexts[from][to]) {
    case 'i': return TN_CAST_KIND_IMPLICIT;
    case 'a': return TN_CAST_KIND_ASSIGNMENT;
    case 'e': return TN_CAST_KIND_EXPLICIT;
    default: return TN_CAST_KIND_NONE;
    }
}

static int cannot_cast(tn_type from, tn_type to, tn_error *err)
{
    char from_name[64], to_name[64];
    return tn_error_set(err, TN_ERR_CANNOT_COERCE, 0, "cannot cast type %s to %s",
                        tn_type_name(from, from_name, sizeof from_name), tn_type_name(to, to_name, sizeof to_name));
}

/* ---- element converters: each rule once ---- */

static int int_out_of_range(tn_type_id to, tn_error *err)
{
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "%s out of range", tn_type_id_name(to));
}

static inline bool int_fits(int64_t value, tn_type_id to)
{
    switch (to) {
    case TN_TYPE_INT16: return value >= INT16_MIN && value <= INT16_MAX;
    case TN_TYPE_INT32: return value >= INT32_MIN && value <= INT32_MAX;
    default: return true;
    }
}

/* rint, then PostgreSQL's FLOAT8_FITS_IN_INTxx (NaN never fits). */
static inline int float_to_int(double value, tn_type_id to, int64_t *out, tn_error *err)
{
    double rounded = rint(value);
    double low = to == TN_TYPE_INT16 ? -32768.0 : to == TN_TYPE_INT32 ? -2147483648.0 : -9223372036854775808.0;
    if (!(rounded >= low && rounded < -low))
        return int_out_of_range(to, err);
    *out = (int64_t)rounded;
    return 0;
}

/* float8 -> float4: overflow to infinity or underflow to zero are errors. */
static inline int float_narrow(double value, float *out, tn_error *err)
{
    float result = (float)value;
    if (isinf(result) && !isinf(value))
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value out of range: overflow");
    if (result == 0.0f && value != 0.0)
        return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value out of range: underflow");
    *out = result;
    return 0;
}

static int numeric_to_int(tn_int128 value, int scale, tn_type_id to, int64_t *out, tn_error *err)
{
    if (tn_numeric_to_int64(value, scale, out) != 0 || !int_fits(*out, to))
        return int_out_of_range(to, err);
    return 0;
}

/* numeric -> float4 reads the decimal text, as PostgreSQL does, so the
 * float is correctly rounded from the exact value. */
static double numeric_to_float(tn_int128 value, int scale, bool is_float4)
{
    if (!is_float4)
        return tn_numeric_to_double(value, scale);
    char buf[TN_NUMERIC_STRING_SIZE];
    tn_numeric_to_string(value, scale, buf);
    return strtof(buf, NULL);
}

/* Characters (not bytes) of UTF-8 text, up to limit; *cut receives the
 * byte length of the first limit characters. */
static uint32_t count_chars(const char *data, uint32_t length, uint32_t limit, uint32_t *cut)
{
    uint32_t chars = 0;
    *cut = length;
    for (uint32_t i = 0; i < length; i++) {
        if (((unsigned char)data[i] & 0xC0) == 0x80)
            continue;
        if (chars == limit)
            *cut = i;
        chars++;
    }
    return chars;
}

/* VARCHAR(n) length rule; *length may shrink. */
static int fit_varchar(const char *data, uint32_t *length, int max_chars, bool is_explicit, tn_error *err)
{
    uint32_t cut;
    if (max_chars <= 0 || count_chars(data, *length, (uint32_t)max_chars, &cut) <= (uint32_t)max_chars)
        return 0;
    if (!is_explicit) {
        for (uint32_t i = cut; i < *length; i++) {
            if (data[i] != ' ')
                return tn_error_set(err, TN_ERR_STRING_DATA_RIGHT_TRUNCATION, 0,
                                    "value too long for type character varying(%d)", max_chars);
        }
    }
    *length = cut;
    return 0;
}

/* ---- one value ---- */

/* The value's numeric (unscaled, scale) before the target's typmod. */
static int numeric_source(const tn_value *in, tn_int128 *value, int *scale, tn_error *err)
{
    switch (in->type.id) {
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64: tn_numeric_from_int(in->u.integer, value, scale); return 0;
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64:
        return tn_numeric_from_double(in->u.floating, in->type.id == TN_TYPE_FLOAT32, value, scale, err);
    default:
        *value = in->u.numeric;
        *scale = in->type.scale;
        return 0;
    }
}

/* Converts a non-NULL value between types of different families.  Text
 * results point into scratch (TN_FORMAT_SIZE bytes) or into in's bytes.
 * An unconstrained numeric result keeps the value's own scale (integers 0,
 * floats their 15 or 6 significant digits, numerics and text as written),
 * as PostgreSQL's numeric values carry their display scale. */
static int cast_one(const tn_value *in, tn_type to, const tn_cast_options *options,
                    char *scratch, tn_value *out, tn_error *err)
{
    tn_type_id from = in->type.id;
    memset(out, 0, sizeof *out);
    out->type = to;
    if (to.id == TN_TYPE_TEXT) {
        size_t length;
        const char *text;
        if (from == TN_TYPE_BOOL) {
            text = in->u.boolean ? "true" : "false";
            length = strlen(text);
        } else {
            text = tn_format_value(in, &options->zone, scratch, &length);
        }
        uint32_t n = (uint32_t)length;
        if (fit_varchar(text, &n, to.precision, options->is_explicit, err) != 0)
            return -1;
        out->u.string = tn_string_make(text, n);
        return 0;
    }
    if (from == TN_TYPE_TEXT) {
        const char *data = tn_string_data(&in->u.string);
        if (to.id == TN_TYPE_NUMERIC && to.precision > 0)
            return tn_parse_numeric(data, in->u.string.length, to, &out->u.numeric, err);
        return tn_parse_value(data, in->u.string.length, to, &options->zone, out, err);
    }
    tn_int128 number;
    int scale;
    int32_t date;
    switch (to.id) {
    case TN_TYPE_BOOL: out->u.boolean = from == TN_TYPE_BOOL ? in->u.boolean : in->u.integer != 0; return 0;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64:
        if (from == TN_TYPE_BOOL)
            out->u.integer = in->u.boolean;
        else if (tn_type_is_float(from))
            return float_to_int(in->u.floating, to.id, &out->u.integer, err);
        else if (from == TN_TYPE_NUMERIC)
            return numeric_to_int(in->u.numeric, in->type.scale, to.id, &out->u.integer, err);
        else if (!int_fits(in->u.integer, to.id))
            return int_out_of_range(to.id, err);
        else
            out->u.integer = in->u.integer;
        return 0;
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: {
        double value = tn_type_is_integer(from) ? (double)in->u.integer
                       : from == TN_TYPE_NUMERIC ? numeric_to_float(in->u.numeric, in->type.scale, to.id == TN_TYPE_FLOAT32)
                                                 : in->u.floating;
        float narrow;
        if (to.id == TN_TYPE_FLOAT32 && from == TN_TYPE_FLOAT64 && float_narrow(value, &narrow, err) != 0)
            return -1;
        out->u.floating = to.id == TN_TYPE_FLOAT32 ? (double)(float)value : value;
        return 0;
    }
    case TN_TYPE_NUMERIC:
        if (numeric_source(in, &number, &scale, err) != 0)
            return tn_numeric_report_overflow(to, err);
        if (to.precision == 0) {
            out->u.numeric = number;
            out->type.scale = (int16_t)scale;
            return 0;
        }
        return tn_numeric_apply_typmod(number, scale, to, &out->u.numeric, err);
    case TN_TYPE_DATE: {
        int64_t local = in->u.integer;
        if (from == TN_TYPE_DATE) {
            out->u.integer = local;
            return 0;
        }
        if (from == TN_TYPE_TIMESTAMPTZ && tn_timestamptz_to_timestamp(local, &options->zone, &local, err) != 0)
            return -1;
        if (tn_timestamp_to_date(local, &date, err) != 0)
            return -1;
        out->u.integer = date;
        return 0;
    }
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: {
        int64_t ts = in->u.integer;
        if (from == TN_TYPE_DATE && tn_date_to_timestamp((int32_t)in->u.integer, &ts, err) != 0)
            return -1;
        bool source_has_zone = from == TN_TYPE_TIMESTAMPTZ, target_has_zone = to.id == TN_TYPE_TIMESTAMPTZ;
        if (source_has_zone && !target_has_zone)
            return tn_timestamptz_to_timestamp(ts, &options->zone, &out->u.integer, err);
        if (!source_has_zone && target_has_zone)
            return tn_timestamp_to_timestamptz(ts, &options->zone, &out->u.integer, err);
        out->u.integer = ts;
        return 0;
    }
    case TN_TYPE_INTERVAL:
        if (from == TN_TYPE_TIME)
            out->u.interval = (tn_interval){0, 0, in->u.integer};
        else
            out->u.interval = in->u.interval;
        return 0;
    case TN_TYPE_TIME: {
        int64_t ts = in->u.integer;
        if (from == TN_TYPE_TIME)
            out->u.integer = ts;
        else if (from == TN_TYPE_INTERVAL)
            out->u.integer = tn_time_from_interval(&in->u.interval);
        else if (from == TN_TYPE_TIMESTAMPTZ && tn_timestamptz_to_timestamp(ts, &options->zone, &ts, err) != 0)
            return -1;
        else if (tn_time_from_timestamp(ts, &out->u.integer) == 1)
            out->is_null = true; /* PostgreSQL: infinity::time is NULL */
        return 0;
    }
    default: return cannot_cast(in->type, to, err);
    }
}

int tn_value_cast(const tn_value *in, tn_type to, const tn_cast_options *options, tn_arena *arena,
                  tn_value *out, tn_error *err)
{
    if (tn_cast_lookup(in->type.id, to.id) == TN_CAST_KIND_NONE)
        return cannot_cast(in->type, to, err);
    if (in->is_null || in->type.id == TN_TYPE_NULL) {
        *out = tn_value_null(to);
        return 0;
    }
    if (in->type.id == TN_TYPE_BYTEA || to.id == TN_TYPE_BYTEA)
        return tn_bytea_cast(in, to, arena, out, err);
    char scratch[TN_FORMAT_SIZE];
    if (cast_one(in, to, options, scratch, out, err) != 0)
        return -1;
    /* formatted text lives in scratch: move it to the arena */
    if (to.id == TN_TYPE_TEXT && in->type.id != TN_TYPE_TEXT && out->u.string.length > TN_STRING_INLINE) {
        char *bytes = tn_arena_strndup(arena, tn_string_data(&out->u.string), out->u.string.length);
        if (bytes == NULL)
            return tn_error_oom(err);
        out->u.string = tn_string_make(bytes, out->u.string.length);
    }
    return 0;
}

/* ---- vectors ---- */

#define IS_VALID(validity, row) ((validity) == NULL || (((validity)[(row) >> 6] >> ((row) & 63)) & 1))

/* Integer or date/time storage widened to int64. */
static void load_ints(const tn_vector *in, uint32_t n, int64_t *out)
{
    switch (in->type.id) {
    case TN_TYPE_BOOL: for (uint32_t i = 0; i < n; i++) out[i] = ((const uint8_t *)in->data)[i]; break;
    case TN_TYPE_INT16: for (uint32_t i = 0; i < n; i++) out[i] = ((const int16_t *)in->data)[i]; break;
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: for (uint32_t i = 0; i < n; i++) out[i] = ((const int32_t *)in->data)[i]; break;
    default: memcpy(out, in->data, n * sizeof(int64_t)); break;
    }
}

static void load_doubles(const tn_vector *in, uint32_t n, double *out)
{
    if (in->type.id == TN_TYPE_FLOAT32) {
        for (uint32_t i = 0; i < n; i++)
            out[i] = ((const float *)in->data)[i];
    } else {
        memcpy(out, in->data, n * sizeof(double));
    }
}

/* Stores int64 values into an integer, boolean or date/time vector,
 * checking the range of narrow integer types on valid rows. */
static int store_ints(tn_vector *out, uint32_t n, const int64_t *values, const uint64_t *validity, tn_error *err)
{
    tn_type_id to = out->type.id;
    if (to == TN_TYPE_INT16 || to == TN_TYPE_INT32) {
        for (uint32_t i = 0; i < n; i++) {
            if (IS_VALID(validity, i) && !int_fits(values[i], to))
                return int_out_of_range(to, err);
        }
    }
    switch (to) {
    case TN_TYPE_BOOL: for (uint32_t i = 0; i < n; i++) ((uint8_t *)out->data)[i] = values[i] != 0; break;
    case TN_TYPE_INT16: for (uint32_t i = 0; i < n; i++) ((int16_t *)out->data)[i] = (int16_t)values[i]; break;
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: for (uint32_t i = 0; i < n; i++) ((int32_t *)out->data)[i] = (int32_t)values[i]; break;
    default: memcpy(out->data, values, n * sizeof(int64_t)); break;
    }
    return 0;
}

static int store_doubles(tn_vector *out, uint32_t n, const double *values, const uint64_t *validity, tn_error *err)
{
    if (out->type.id == TN_TYPE_FLOAT64) {
        memcpy(out->data, values, n * sizeof(double));
        return 0;
    }
    float *data = out->data;
    for (uint32_t i = 0; i < n; i++) {
        if (IS_VALID(validity, i) && float_narrow(values[i], &data[i], err) != 0)
            return -1;
    }
    return 0;
}

/* Date/time conversions in place over int64 values (valid rows only). */
static int convert_temporal(tn_type_id from, tn_type_id to, const tn_timezone *zone, uint32_t n, int64_t *values,
                            const uint64_t *validity, tn_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!IS_VALID(validity, i))
            continue;
        int64_t v = values[i];
        int32_t date;
        if (from == TN_TYPE_DATE && tn_date_to_timestamp((int32_t)v, &v, err) != 0)
            return -1;
        if (from == TN_TYPE_TIMESTAMPTZ && to != TN_TYPE_TIMESTAMPTZ &&
            tn_timestamptz_to_timestamp(v, zone, &v, err) != 0)
            return -1;
        if (from != TN_TYPE_TIMESTAMPTZ && to == TN_TYPE_TIMESTAMPTZ &&
            tn_timestamp_to_timestamptz(v, zone, &v, err) != 0)
            return -1;
        if (to == TN_TYPE_DATE) {
            if (tn_timestamp_to_date(v, &date, err) != 0)
                return -1;
            v = date;
        }
        values[i] = v;
    }
    return 0;
}

/* The pairs run as array loops; false sends the pair through cast_one. */
static bool is_fast_pair(tn_type_id from, tn_type_id to)
{
    bool from_int = tn_type_is_integer(from), to_int = tn_type_is_integer(to);
    if ((from_int || tn_type_is_float(from)) && (to_int || tn_type_is_float(to)))
        return true;
    if ((from == TN_TYPE_BOOL && to == TN_TYPE_INT32) || (from == TN_TYPE_INT32 && to == TN_TYPE_BOOL))
        return true;
    return tn_type_is_temporal(from) && tn_type_is_temporal(to);
}

static int cast_fast(const tn_vector *in, uint32_t n, tn_vector *out, const tn_cast_options *options, tn_error *err)
{
    int64_t ints[TN_VECTOR_SIZE];
    double doubles[TN_VECTOR_SIZE];
    tn_type_id from = in->type.id, to = out->type.id;
    const uint64_t *validity = in->validity;
    if (tn_type_is_float(from)) {
        load_doubles(in, n, doubles);
        if (tn_type_is_float(to))
            return store_doubles(out, n, doubles, validity, err);
        for (uint32_t i = 0; i < n; i++) {
            ints[i] = 0;
            if (IS_VALID(validity, i) && float_to_int(doubles[i], to, &ints[i], err) != 0)
                return -1;
        }
        return store_ints(out, n, ints, validity, err);
    }
    load_ints(in, n, ints);
    if (tn_type_is_float(to)) {
        for (uint32_t i = 0; i < n; i++)
            doubles[i] = (double)ints[i];
        return store_doubles(out, n, doubles, NULL, err);
    }
    if (tn_type_is_temporal(from) &&
        convert_temporal(from, to, &options->zone, n, ints, validity, err) != 0)
        return -1;
    return store_ints(out, n, ints, validity, err);
}

static int cast_rows(const tn_vector *in, uint32_t n, tn_vector *out, const tn_cast_options *options, tn_error *err)
{
    char scratch[TN_FORMAT_SIZE];
    for (uint32_t row = 0; row < n; row++) {
        if (!IS_VALID(in->validity, row))
            continue;
        tn_value value, result;
        tn_vector_get_value(in, row, &value);
        if (value.type.id == TN_TYPE_BYTEA || out->type.id == TN_TYPE_BYTEA
                ? tn_bytea_cast(&value, out->type, out->arena, &result, err) != 0
                : cast_one(&value, out->type, options, scratch, &result, err) != 0)
            return -1;
        if (tn_vector_set_value(out, row, &result) != 0)
            return tn_error_oom(err);
    }
    return 0;
}

int tn_vector_cast(const tn_vector *in, uint32_t count, tn_vector *out, const tn_cast_options *options,
                   tn_error *err)
{
    tn_type_id from = in->type.id, to = out->type.id;
    if (tn_cast_lookup(from, to) == TN_CAST_KIND_NONE)
        return cannot_cast(in->type, out->type, err);
    uint32_t n = in->is_constant ? 1 : count;
    out->is_constant = in->is_constant;
    out->validity = NULL;
    out->scales = NULL;
    if (from == TN_TYPE_NULL) {
        for (uint32_t row = 0; row < n; row++) {
            if (tn_vector_set_null(out, row) != 0)
                return tn_error_oom(err);
        }
        return 0;
    }
    if (in->validity != NULL) {
        if (tn_vector_ensure_validity(out) != 0)
            return tn_error_oom(err);
        memcpy(out->validity, in->validity, sizeof(uint64_t) * TN_VALIDITY_WORDS);
    }
    if (from == to && !tn_type_is_string(from) && from != TN_TYPE_NUMERIC) {
        memcpy(out->data, in->data, n * tn_type_size(from));
        return 0;
    }
    if (is_fast_pair(from, to))
        return cast_fast(in, n, out, options, err);
    return cast_rows(in, n, out, options, err);
}
