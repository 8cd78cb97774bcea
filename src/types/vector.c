/*
 * Vector and chunk storage.  Value arrays are allocated once per chunk from
 * the chunk's arena and reused across batches; validity bitmaps and string
 * bytes come from the chunk's heap arena, which is reset per batch.
 */
#include "types/vector.h"

#include <stdlib.h>
#include <string.h>

#include "types/numeric.h"

int tn_vector_init(tn_vector *v, tn_type type, tn_arena *arena)
{
    v->type = type;
    v->validity = NULL;
    v->is_constant = false;
    v->scales = NULL;
    v->arena = arena;
    v->data = tn_arena_zalloc(arena, tn_type_size(type.id) * TN_VECTOR_SIZE);
    return v->data != NULL ? 0 : -1;
}

int tn_vector_ensure_validity(tn_vector *v)
{
    if (v->validity != NULL)
        return 0;
    v->validity = tn_arena_alloc(v->arena, sizeof(uint64_t) * TN_VALIDITY_WORDS);
    if (v->validity == NULL)
        return -1;
    memset(v->validity, 0xff, sizeof(uint64_t) * TN_VALIDITY_WORDS);
    return 0;
}

int tn_vector_ensure_scales(tn_vector *v)
{
    if (v->scales != NULL)
        return 0;
    v->scales = tn_arena_alloc(v->arena, TN_VECTOR_SIZE);
    if (v->scales == NULL)
        return -1;
    memset(v->scales, (uint8_t)v->type.scale, TN_VECTOR_SIZE);
    return 0;
}

int tn_vector_set_numeric(tn_vector *v, uint32_t row, tn_int128 value, int scale, tn_error *err)
{
    if (v->type.precision != 0 && scale != v->type.scale) {
        if (tn_numeric_rescale(value, scale, v->type.scale, &value, err) != 0)
            return -1;
        scale = v->type.scale;
    }
    ((tn_int128 *)v->data)[row] = value;
    if (v->scales == NULL && scale == v->type.scale)
        return 0;
    if (tn_vector_ensure_scales(v) != 0)
        return tn_error_oom(err);
    v->scales[row] = (uint8_t)scale;
    return 0;
}

int tn_vector_copy_row(tn_vector *dst, uint32_t to, const tn_vector *src, uint32_t from)
{
    size_t size = tn_type_size(dst->type.id);
    uint32_t index = src->is_constant ? 0 : from;
    memcpy((char *)dst->data + (size_t)to * size, (const char *)src->data + (size_t)index * size, size);
    if (dst->type.id != TN_TYPE_NUMERIC || dst->type.precision != 0)
        return 0;
    int scale = tn_vector_numeric_scale(src, from);
    if (dst->scales == NULL && scale == dst->type.scale)
        return 0;
    if (tn_vector_ensure_scales(dst) != 0)
        return -1;
    dst->scales[to] = (uint8_t)scale;
    return 0;
}

int tn_vector_set_null(tn_vector *v, uint32_t row)
{
    if (tn_vector_ensure_validity(v) != 0)
        return -1;
    v->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
    return 0;
}

void tn_vector_set_valid(tn_vector *v, uint32_t row)
{
    if (v->validity != NULL)
        v->validity[row >> 6] |= (uint64_t)1 << (row & 63);
}

int tn_vector_set_string(tn_vector *v, uint32_t row, const char *data, uint32_t length)
{
    tn_string *strings = v->data;
    if (length <= TN_STRING_INLINE) {
        strings[row] = tn_string_make(data, length);
        return 0;
    }
    char *copy = tn_arena_alloc(v->arena, length);
    if (copy == NULL)
        return -1;
    memcpy(copy, data, length);
    strings[row] = tn_string_make(copy, length);
    return 0;
}

int tn_vector_set_value(tn_vector *v, uint32_t row, const tn_value *value)
{
    if (value->is_null)
        return tn_vector_set_null(v, row);
    tn_vector_set_valid(v, row);
    switch (v->type.id) {
    case TN_TYPE_BOOL: ((uint8_t *)v->data)[row] = value->u.boolean; break;
    case TN_TYPE_INT16: ((int16_t *)v->data)[row] = (int16_t)value->u.integer; break;
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: ((int32_t *)v->data)[row] = (int32_t)value->u.integer; break;
    case TN_TYPE_INT64:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
    case TN_TYPE_TIME: ((int64_t *)v->data)[row] = value->u.integer; break;
    case TN_TYPE_FLOAT32: ((float *)v->data)[row] = (float)value->u.floating; break;
    case TN_TYPE_FLOAT64: ((double *)v->data)[row] = value->u.floating; break;
    case TN_TYPE_NUMERIC:
        ((tn_int128 *)v->data)[row] = value->u.numeric;
        if (v->type.precision == 0 && (v->scales != NULL || value->type.scale != v->type.scale)) {
            if (tn_vector_ensure_scales(v) != 0)
                return -1;
            v->scales[row] = (uint8_t)value->type.scale;
        }
        break;
    case TN_TYPE_INTERVAL: ((tn_interval *)v->data)[row] = value->u.interval; break;
    case TN_TYPE_TEXT:
    case TN_TYPE_BYTEA:
        return tn_vector_set_string(v, row, tn_string_data(&value->u.string),
                                    value->u.string.length);
    case TN_TYPE_NULL:
    case TN_TYPE__COUNT: return tn_vector_set_null(v, row);
    }
    return 0;
}

void tn_vector_get_value(const tn_vector *v, uint32_t row, tn_value *out)
{
    uint32_t index = v->is_constant ? 0 : row;
    memset(out, 0, sizeof *out);
    out->type = v->type;
    if (!tn_vector_is_valid(v, row) || v->type.id == TN_TYPE_NULL) {
        out->is_null = true;
        return;
    }
    switch (v->type.id) {
    case TN_TYPE_BOOL: out->u.boolean = ((uint8_t *)v->data)[index] != 0; break;
    case TN_TYPE_INT16: out->u.integer = ((int16_t *)v->data)[index]; break;
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: out->u.integer = ((int32_t *)v->data)[index]; break;
    case TN_TYPE_INT64:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
    case TN_TYPE_TIME: out->u.integer = ((int64_t *)v->data)[index]; break;
    case TN_TYPE_FLOAT32: out->u.floating = ((float *)v->data)[index]; break;
    case TN_TYPE_FLOAT64: out->u.floating = ((double *)v->data)[index]; break;
    case TN_TYPE_NUMERIC:
        out->u.numeric = ((tn_int128 *)v->data)[index];
        out->type.scale = (int16_t)tn_vector_numeric_scale(v, row);
        break;
    case TN_TYPE_INTERVAL: out->u.interval = ((tn_interval *)v->data)[index]; break;
    case TN_TYPE_TEXT:
    case TN_TYPE_BYTEA: out->u.string = ((tn_string *)v->data)[index]; break;
    case TN_TYPE_NULL:
    case TN_TYPE__COUNT: out->is_null = true; break;
    }
}

int tn_vector_flatten(tn_vector *v, uint32_t count)
{
    if (!v->is_constant)
        return 0;
    size_t size = tn_type_size(v->type.id);
    unsigned char *data = v->data;
    for (uint32_t row = 1; row < count; row++)
        memcpy(data + row * size, data, size);
    if (v->scales != NULL)
        memset(v->scales + 1, v->scales[0], count > 1 ? count - 1 : 0);
    bool valid = v->validity == NULL || (v->validity[0] & 1);
    v->is_constant = false;
    if (v->validity != NULL)
        memset(v->validity, valid ? 0xff : 0x00, sizeof(uint64_t) * TN_VALIDITY_WORDS);
    return 0;
}

int tn_vector_copy(tn_vector *dst, uint32_t dst_offset, const tn_vector *src,
                   uint32_t src_offset, uint32_t count)
{
    size_t size = tn_type_size(src->type.id);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t from = src->is_constant ? 0 : src_offset + i;
        uint32_t to = dst_offset + i;
        if (!tn_vector_is_valid(src, from)) {
            if (tn_vector_set_null(dst, to) != 0)
                return -1;
            continue;
        }
        tn_vector_set_valid(dst, to);
        if (tn_type_is_string(src->type.id)) {
            const tn_string *s = &((const tn_string *)src->data)[from];
            if (tn_vector_set_string(dst, to, tn_string_data(s), s->length) != 0)
                return -1;
        } else if (src->type.id == TN_TYPE_NUMERIC) {
            if (tn_vector_copy_row(dst, to, src, from) != 0)
                return -1;
        } else {
            memcpy((char *)dst->data + to * size, (const char *)src->data + from * size, size);
        }
    }
    return 0;
}

tn_chunk *tn_chunk_create(const tn_type *types, int column_count)
{
    tn_arena *arena = tn_arena_create();
    if (arena == NULL)
        return NULL;
    tn_chunk *chunk = tn_arena_zalloc(arena, sizeof(tn_chunk));
    tn_arena *heap = tn_arena_create();
    if (chunk == NULL || heap == NULL)
        goto fail;
    chunk->arena = arena;
    chunk->heap = heap;
    chunk->column_count = column_count;
    chunk->columns = tn_arena_zalloc(arena, sizeof(tn_vector) * (size_t)(column_count ? column_count : 1));
    if (chunk->columns == NULL)
        goto fail;
    for (int col = 0; col < column_count; col++) {
        if (tn_vector_init(&chunk->columns[col], types[col], arena) != 0)
            goto fail;
        chunk->columns[col].arena = heap;
    }
    return chunk;
fail:
    tn_arena_destroy(heap);
    tn_arena_destroy(arena);
    return NULL;
}

void tn_chunk_destroy(tn_chunk *chunk)
{
    if (chunk == NULL)
        return;
    tn_arena_destroy(chunk->heap);
    tn_arena_destroy(chunk->arena);
}

void tn_chunk_reset(tn_chunk *chunk)
{
    chunk->count = 0;
    for (int col = 0; col < chunk->column_count; col++) {
        chunk->columns[col].validity = NULL;
        chunk->columns[col].scales = NULL;
        chunk->columns[col].is_constant = false;
    }
    tn_arena_reset(chunk->heap);
}

void tn_chunk_select(tn_chunk *chunk, const uint32_t *sel, uint32_t count)
{
    for (int col = 0; col < chunk->column_count; col++) {
        tn_vector *v = &chunk->columns[col];
        if (v->is_constant)
            continue;
        size_t size = tn_type_size(v->type.id);
        unsigned char *data = v->data;
        for (uint32_t i = 0; i < count; i++) {
            if (sel[i] != i)
                memcpy(data + i * size, data + (size_t)sel[i] * size, size);
        }
        if (v->scales != NULL) {
            for (uint32_t i = 0; i < count; i++)
                v->scales[i] = v->scales[sel[i]];
        }
        if (v->validity != NULL) {
            for (uint32_t i = 0; i < count; i++) {
                bool valid = (v->validity[sel[i] >> 6] >> (sel[i] & 63)) & 1;
                if (valid)
                    v->validity[i >> 6] |= (uint64_t)1 << (i & 63);
                else
                    v->validity[i >> 6] &= ~((uint64_t)1 << (i & 63));
            }
        }
    }
    chunk->count = count;
}

int tn_chunk_append(tn_chunk *dst, const tn_chunk *src, uint32_t offset, uint32_t count)
{
    for (int col = 0; col < dst->column_count; col++) {
        if (tn_vector_copy(&dst->columns[col], dst->count, &src->columns[col], offset, count) != 0)
            return -1;
    }
    dst->count += count;
    return 0;
}
