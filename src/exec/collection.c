/*
 * Row collections: the chunks a sink keeps (sort input, a join's build
 * side, buffered results).  Rows are appended by copying, strings
 * included, so the producer may reset its chunk right after.  Every chunk
 * is full but the last, so row r lives at chunk r / TN_VECTOR_SIZE.  The
 * chunks' own arenas die with the statement arena through a cleanup.
 */
#include "exec/exec_int.h"

#include <string.h>

static void destroy_chunk(void *arg)
{
    tn_chunk_destroy(arg);
}

tn_chunk *tn_exec_chunk_create(tn_arena *arena, const tn_type *types, int column_count,
                               tn_error *err)
{
    tn_chunk *chunk = tn_chunk_create(types, column_count);
    if (chunk == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, destroy_chunk, chunk) != 0) {
        tn_chunk_destroy(chunk);
        tn_error_oom(err);
        return NULL;
    }
    return chunk;
}

int tn_collection_init(tn_collection *collection, tn_arena *arena, const tn_type *types,
                       int column_count)
{
    memset(collection, 0, sizeof *collection);
    collection->arena = arena;
    collection->column_count = column_count;
    collection->types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(column_count + 1));
    if (collection->types == NULL)
        return -1;
    memcpy(collection->types, types, sizeof(tn_type) * (size_t)column_count);
    return 0;
}

static int add_chunk(tn_collection *collection, tn_chunk *chunk, tn_error *err)
{
    if (collection->chunk_count == collection->chunk_capacity) {
        int capacity = collection->chunk_capacity ? collection->chunk_capacity * 2 : 8;
        tn_chunk **chunks = tn_arena_realloc(collection->arena, collection->chunks,
                                             sizeof(tn_chunk *) * (size_t)collection->chunk_capacity,
                                             sizeof(tn_chunk *) * (size_t)capacity);
        if (chunks == NULL)
            return tn_error_oom(err);
        collection->chunks = chunks;
        collection->chunk_capacity = capacity;
    }
    collection->chunks[collection->chunk_count++] = chunk;
    return 0;
}

int tn_collection_append(tn_collection *collection, const tn_chunk *input, tn_error *err)
{
    uint32_t offset = 0;
    while (offset < input->count) {
        tn_chunk *last = collection->chunk_count > 0 ? collection->chunks[collection->chunk_count - 1] : NULL;
        if (last == NULL || last->count == TN_VECTOR_SIZE) {
            last = tn_exec_chunk_create(collection->arena, collection->types, collection->column_count, err);
            if (last == NULL || add_chunk(collection, last, err) != 0)
                return -1;
        }
        uint32_t room = TN_VECTOR_SIZE - last->count;
        uint32_t take = input->count - offset < room ? input->count - offset : room;
        if (tn_chunk_append(last, input, offset, take) != 0)
            return tn_error_oom(err);
        offset += take;
        collection->row_count += take;
    }
    return 0;
}

int tn_collection_merge(tn_collection *dst, tn_collection *src, tn_error *err)
{
    for (int i = 0; i < src->chunk_count; i++) {
        if (tn_collection_append(dst, src->chunks[i], err) != 0)
            return -1;
    }
    return 0;
}

int tn_chunk_gather(tn_chunk *out, const tn_chunk *in, const uint32_t *sel, uint32_t count)
{
    for (int col = 0; col < in->column_count; col++) {
        const tn_vector *src = &in->columns[col];
        tn_vector *dst = &out->columns[col];
        size_t size = tn_type_size(src->type.id);
        dst->validity = NULL;
        dst->scales = NULL;
        dst->is_constant = src->is_constant;
        if (src->is_constant) {
            if (tn_vector_copy_row(dst, 0, src, 0) != 0)
                return -1;
            if (!tn_vector_is_valid(src, 0) && tn_vector_set_null(dst, 0) != 0)
                return -1;
            continue;
        }
        if (sel == NULL) {
            memcpy(dst->data, src->data, size * count);
        } else {
            for (uint32_t i = 0; i < count; i++)
                memcpy((char *)dst->data + i * size, (const char *)src->data + sel[i] * size, size);
        }
        if (src->scales == NULL) {
            if (tn_vector_take_scales(dst, src, count) != 0)
                return -1;
        } else if (dst->type.precision == 0) {
            if (tn_vector_ensure_scales(dst) != 0)
                return -1;
            for (uint32_t i = 0; i < count; i++)
                dst->scales[i] = src->scales[sel != NULL ? sel[i] : i];
        }
        if (src->validity == NULL)
            continue;
        for (uint32_t i = 0; i < count; i++) {
            if (!tn_vector_is_valid(src, sel != NULL ? sel[i] : i) && tn_vector_set_null(dst, i) != 0)
                return -1;
        }
    }
    out->count = count;
    return 0;
}
