/*
 * Column statistics: the running min / max / null count the writer keeps
 * per column chunk and per file, their footer encoding (PLAIN bytes of one
 * value, no length prefix), and the reverse decoding the reader uses to
 * hand footer statistics back as tn_values for pruning.
 *
 * Order is the SQL order of the tarn type: signed for integers, dates,
 * timestamps and decimals, IEEE for floats with NaN left out, bytewise
 * for TEXT.  Zero floats are widened to -0.0 (min) / +0.0 (max) as the
 * format asks.  TEXT bounds longer than PQ_STATS_MAX_TEXT are not kept.
 */
#include "storage/parquet/parquet_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_values(const tn_value *a, const tn_value *b);
static int keep_text(tn_buf *text, tn_value *bound, const tn_value *value);
static int decode_big_endian(const uint8_t *bytes, size_t length, tn_int128 *out);
static int scale_timestamp(int64_t raw, int unit, int64_t *out);
static int decode_int96(const uint8_t *bytes, int64_t *out);

void tn_pq_stats_init(pq_stats *stats, tn_type type)
{
    memset(stats, 0, sizeof *stats);
    stats->min = tn_value_null(type);
    stats->max = tn_value_null(type);
}

void tn_pq_stats_free(pq_stats *stats)
{
    tn_buf_free(&stats->min_text);
    tn_buf_free(&stats->max_text);
}

void tn_pq_stats_reset(pq_stats *stats)
{
    tn_type type = stats->min.type;
    tn_buf min_text = stats->min_text, max_text = stats->max_text;
    tn_buf_clear(&min_text);
    tn_buf_clear(&max_text);
    tn_pq_stats_init(stats, type);
    stats->min_text = min_text;
    stats->max_text = max_text;
}

static int compare_values(const tn_value *a, const tn_value *b)
{
    switch (a->type.id) {
    case TN_TYPE_BOOL: return (int)a->u.boolean - (int)b->u.boolean;
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: return a->u.floating < b->u.floating ? -1 : a->u.floating > b->u.floating;
    case TN_TYPE_NUMERIC: return a->u.numeric < b->u.numeric ? -1 : a->u.numeric > b->u.numeric;
    case TN_TYPE_TEXT: return tn_string_compare(&a->u.string, &b->u.string);
    default: return a->u.integer < b->u.integer ? -1 : a->u.integer > b->u.integer;
    }
}

/* Copies a TEXT value into the bound's own buffer so it outlives the chunk. */
static int keep_text(tn_buf *text, tn_value *bound, const tn_value *value)
{
    tn_buf_clear(text);
    if (tn_buf_append(text, tn_string_data(&value->u.string), value->u.string.length) != 0)
        return -1;
    *bound = *value;
    bound->u.string = tn_string_make(text->data, value->u.string.length);
    return 0;
}

int tn_pq_stats_update(pq_stats *stats, const tn_value *value)
{
    if (value->is_null) {
        stats->null_count++;
        return 0;
    }
    if (tn_type_is_float(value->type.id) && isnan(value->u.floating)) {
        stats->nan_count++;
        return 0;
    }
    bool is_text = value->type.id == TN_TYPE_TEXT;
    if (!stats->has_min_max || compare_values(value, &stats->min) < 0) {
        if (is_text ? keep_text(&stats->min_text, &stats->min, value) != 0 : (stats->min = *value, 0))
            return -1;
    }
    if (!stats->has_min_max || compare_values(value, &stats->max) > 0) {
        if (is_text ? keep_text(&stats->max_text, &stats->max, value) != 0 : (stats->max = *value, 0))
            return -1;
    }
    stats->has_min_max = true;
    return 0;
}

int tn_pq_stats_merge(pq_stats *into, const pq_stats *from)
{
    into->null_count += from->null_count;
    into->nan_count += from->nan_count;
    if (!from->has_min_max)
        return 0;
    if (tn_pq_stats_update(into, &from->min) != 0 || tn_pq_stats_update(into, &from->max) != 0)
        return -1;
    return 0;
}

bool tn_pq_stats_bounds_kept(const pq_stats *stats)
{
    if (!stats->has_min_max)
        return false;
    if (stats->min.type.id != TN_TYPE_TEXT)
        return true;
    return stats->min.u.string.length <= PQ_STATS_MAX_TEXT && stats->max.u.string.length <= PQ_STATS_MAX_TEXT;
}

size_t tn_pq_value_encode(const tn_value *value, const pq_physical *physical, uint8_t *out)
{
    switch (value->type.id) {
    case TN_TYPE_BOOL: out[0] = value->u.boolean ? 1 : 0; return 1;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: pq_store_u32(out, (uint32_t)(int32_t)value->u.integer); return 4;
    case TN_TYPE_INT64:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: pq_store_u64(out, (uint64_t)value->u.integer); return 8;
    case TN_TYPE_FLOAT32: {
        float f = (float)value->u.floating;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        pq_store_u32(out, bits);
        return 4;
    }
    case TN_TYPE_FLOAT64: {
        uint64_t bits;
        memcpy(&bits, &value->u.floating, 8);
        pq_store_u64(out, bits);
        return 8;
    }
    case TN_TYPE_NUMERIC:
        if (physical->type == PQ_INT32) {
            pq_store_u32(out, (uint32_t)(int32_t)value->u.numeric);
            return 4;
        }
        if (physical->type == PQ_INT64) {
            pq_store_u64(out, (uint64_t)(int64_t)value->u.numeric);
            return 8;
        }
        /* FIXED_LEN_BYTE_ARRAY: big-endian two's complement. */
        for (int i = 0; i < physical->type_length; i++)
            out[i] = (uint8_t)((unsigned __int128)value->u.numeric >> (8 * (physical->type_length - 1 - i)));
        return (size_t)physical->type_length;
    default: return 0;
    }
}

int tn_pq_stats_encode(const pq_stats *stats, const pq_physical *physical, tn_arena *arena,
                       pq_statistics *out)
{
    memset(out, 0, sizeof *out);
    out->has_null_count = true;
    out->null_count = stats->null_count;
    if (!tn_pq_stats_bounds_kept(stats))
        return 0;
    const tn_value *bounds[2] = {&stats->min, &stats->max};
    pq_bytes *targets[2] = {&out->min_value, &out->max_value};
    for (int i = 0; i < 2; i++) {
        tn_value value = *bounds[i];
        /* -0.0 for the min and +0.0 for the max keep zero inside either way. */
        if (tn_type_is_float(value.type.id) && value.u.floating == 0)
            value.u.floating = i == 0 ? -0.0 : 0.0;
        size_t length = value.type.id == TN_TYPE_TEXT ? value.u.string.length : 16;
        uint8_t *bytes = tn_arena_alloc(arena, length ? length : 1);
        if (bytes == NULL)
            return -1;
        if (value.type.id == TN_TYPE_TEXT) {
            if (length)
                memcpy(bytes, tn_string_data(&value.u.string), length);
        } else {
            length = tn_pq_value_encode(&value, physical, bytes);
        }
        targets[i]->data = bytes;
        targets[i]->length = (uint32_t)length;
    }
    out->has_min_value = out->has_max_value = true;
    return 0;
}

int tn_pq_stats_export(const pq_stats *stats, tn_parquet_column_stats *out)
{
    memset(out, 0, sizeof *out);
    out->has_null_count = true;
    out->null_count = stats->null_count;
    out->min = stats->min;
    out->max = stats->max;
    out->has_min_max = tn_pq_stats_bounds_kept(stats);
    if (!out->has_min_max) {
        out->min = tn_value_null(stats->min.type);
        out->max = tn_value_null(stats->min.type);
        return 0;
    }
    if (stats->min.type.id != TN_TYPE_TEXT)
        return 0;
    tn_value *bounds[2] = {&out->min, &out->max};
    for (int i = 0; i < 2; i++) {
        tn_string *s = &bounds[i]->u.string;
        if (s->length <= TN_STRING_INLINE)
            continue;
        char *copy = malloc(s->length);
        if (copy == NULL) {
            if (i == 1 && out->min.u.string.length > TN_STRING_INLINE)
                free((void *)out->min.u.string.value.pointer.data);
            return -1;
        }
        memcpy(copy, s->value.pointer.data, s->length);
        *s = tn_string_make(copy, s->length);
    }
    return 0;
}

void tn_pq_column_stats_free(tn_parquet_column_stats *stats)
{
    if (!stats->has_min_max || stats->min.type.id != TN_TYPE_TEXT)
        return;
    if (stats->min.u.string.length > TN_STRING_INLINE)
        free((void *)stats->min.u.string.value.pointer.data);
    if (stats->max.u.string.length > TN_STRING_INLINE)
        free((void *)stats->max.u.string.value.pointer.data);
}

/* A big-endian two's complement integer of any length, as DECIMAL stores
 * in byte arrays; longer than 16 bytes only with pure sign extension. */
static int decode_big_endian(const uint8_t *bytes, size_t length, tn_int128 *out)
{
    if (length == 0) {
        *out = 0;
        return 0;
    }
    uint8_t sign = bytes[0] & 0x80 ? 0xFF : 0x00;
    for (; length > 16; bytes++, length--) {
        if (bytes[0] != sign || ((bytes[1] ^ sign) & 0x80) != 0)
            return -1;
    }
    unsigned __int128 value = sign ? ~(unsigned __int128)0 : 0;
    for (size_t i = 0; i < length; i++)
        value = value << 8 | bytes[i];
    *out = (tn_int128)value;
    return 0;
}

/* Microseconds from a timestamp in unit; floor division for nanoseconds. */
static int scale_timestamp(int64_t raw, int unit, int64_t *out)
{
    if (unit == PQ_UNIT_MILLIS)
        return __builtin_mul_overflow(raw, 1000, out) ? -1 : 0;
    if (unit == PQ_UNIT_NANOS) {
        *out = raw / 1000 - (raw % 1000 < 0 ? 1 : 0);
        return 0;
    }
    *out = raw;
    return 0;
}

static int decode_int96(const uint8_t *bytes, int64_t *out)
{
    int64_t nanos = (int64_t)pq_load_u64(bytes);
    int64_t julian = (int32_t)pq_load_u32(bytes + 8);
    int64_t micros, day_micros;
    if (scale_timestamp(nanos, PQ_UNIT_NANOS, &micros) != 0 ||
        __builtin_mul_overflow(julian - 2440588, INT64_C(86400000000), &day_micros) ||
        __builtin_add_overflow(day_micros, micros, out))
        return -1;
    return 0;
}

int tn_pq_value_decode(const uint8_t *bytes, size_t length, const pq_physical *physical,
                       tn_type type, tn_value *out, const char **defect)
{
    static const size_t widths[] = {1, 4, 8, 12, 4, 8, 0, 0};
    memset(out, 0, sizeof *out);
    out->type = type;
    int32_t ptype = physical->type;
    if (ptype < PQ_BYTE_ARRAY && length != widths[ptype]) {
        *defect = "value has the wrong size for its type";
        return -1;
    }
    switch (ptype) {
    case PQ_BOOLEAN: out->u.boolean = bytes[0] & 1; return 0;
    case PQ_INT32: {
        int32_t v = (int32_t)pq_load_u32(bytes);
        int64_t wide = physical->is_unsigned ? (int64_t)(uint32_t)v : v;
        if (type.id == TN_TYPE_INT16 && (wide < INT16_MIN || wide > INT16_MAX)) {
            *defect = "value is out of range for smallint";
            return -1;
        }
        if (type.id == TN_TYPE_NUMERIC)
            out->u.numeric = wide;
        else
            out->u.integer = wide;
        return 0;
    }
    case PQ_INT64: {
        int64_t v = (int64_t)pq_load_u64(bytes);
        if (type.id == TN_TYPE_NUMERIC) {
            out->u.numeric = physical->is_unsigned ? (tn_int128)(uint64_t)v : v;
            return 0;
        }
        if (scale_timestamp(v, physical->time_unit, &out->u.integer) != 0) {
            *defect = "timestamp is out of range";
            return -1;
        }
        return 0;
    }
    case PQ_INT96:
        if (decode_int96(bytes, &out->u.integer) != 0) {
            *defect = "timestamp is out of range";
            return -1;
        }
        return 0;
    case PQ_FLOAT: {
        uint32_t bits = pq_load_u32(bytes);
        float f;
        memcpy(&f, &bits, 4);
        out->u.floating = f;
        return 0;
    }
    case PQ_DOUBLE: {
        uint64_t bits = pq_load_u64(bytes);
        memcpy(&out->u.floating, &bits, 8);
        return 0;
    }
    default:
        if (type.id == TN_TYPE_TEXT) {
            if (length > UINT32_MAX) {
                *defect = "string is too long";
                return -1;
            }
            out->u.string = tn_string_make((const char *)bytes, (uint32_t)length);
            return 0;
        }
        if (decode_big_endian(bytes, length, &out->u.numeric) != 0) {
            *defect = "decimal value does not fit 128 bits";
            return -1;
        }
        return 0;
    }
}

void tn_pq_stats_decode(const pq_statistics *statistics, const pq_physical *physical, tn_type type,
                        tn_parquet_column_stats *out)
{
    const char *ignored;
    memset(out, 0, sizeof *out);
    out->min = tn_value_null(type);
    out->max = tn_value_null(type);
    out->has_null_count = statistics->has_null_count && statistics->null_count >= 0;
    out->null_count = out->has_null_count ? statistics->null_count : 0;
    pq_bytes min = statistics->min_value, max = statistics->max_value;
    bool has = statistics->has_min_value && statistics->has_max_value;
    /* The deprecated pair used signed order: only trust it where that is
     * the type's order. */
    bool signed_order = physical->type != PQ_BYTE_ARRAY && physical->type != PQ_FIXED_LEN_BYTE_ARRAY &&
                        physical->type != PQ_INT96 && !physical->is_unsigned;
    if (!has && signed_order && statistics->has_legacy_min && statistics->has_legacy_max) {
        min = statistics->legacy_min;
        max = statistics->legacy_max;
        has = true;
    }
    if (!has || physical->type == PQ_INT96 || type.id == TN_TYPE_NULL)
        return;
    if (tn_pq_value_decode(min.data, min.length, physical, type, &out->min, &ignored) != 0 ||
        tn_pq_value_decode(max.data, max.length, physical, type, &out->max, &ignored) != 0)
        goto unknown;
    if (tn_type_is_float(type.id) && (isnan(out->min.u.floating) || isnan(out->max.u.floating)))
        goto unknown;
    out->has_min_max = true;
    return;
unknown:
    out->min = tn_value_null(type);
    out->max = tn_value_null(type);
}
