/*
 * The engine's hash table: keys of any types, one fixed-size record per
 * distinct key, open addressing with linear probing over entry numbers.
 * Hash aggregate, hash join, DISTINCT and set operations all build on it.
 *
 * Design notes:
 *  1. Records live in pages of RECORDS_PER_PAGE, so a payload's address is
 *     stable while the table grows (aggregate states are updated through
 *     pointers collected for a whole batch).
 *  2. A record is [hash][null flags][key values][payload].  The
 *     hash is stored so growing never re-hashes and probes compare it first.
 *  3. Strings are copied into the table's arena; float keys hash -0.0 as
 *     0.0 and every NaN alike, matching the comparison that says they are
 *     equal (PostgreSQL groups NaNs together).
 *  4. Hashes are XXH3 over the value bytes, chained through the seed from
 *     one key column to the next.
 *  5. NUMERIC keys are equal by value whatever their scales (1.5 = 1.50):
 *     a key hashes in its shortest form (trailing zeros stripped) and its
 *     slot keeps the first value's own scale after the 16 value bytes, so
 *     a group shows the value that opened it, as PostgreSQL does.
 */
#include "exec/exec_int.h"

#include <math.h>
#include <string.h>
#include <xxhash.h>

#include "types/datetime.h"
#include "types/numeric.h"
#include "types/value.h"

#define RECORDS_PER_PAGE 1024
#define NULL_HASH UINT64_C(0x9ae16a3b2f90404f)

struct tn_hash_table {
    tn_arena *arena;
    tn_type *key_types;
    int key_count;
    size_t *key_offsets;   /* each key's value within a record */
    size_t payload_offset;
    size_t record_size;
    char **pages;
    int64_t page_capacity;
    int64_t count;         /* entries */
    int64_t *slots;        /* entry numbers, -1 when empty */
    uint64_t slot_mask;    /* capacity - 1 */
};

static size_t align16(size_t size)
{
    return (size + 15) & ~(size_t)15;
}

static char *record_of(const tn_hash_table *table, int64_t entry)
{
    return table->pages[entry / RECORDS_PER_PAGE] + (size_t)(entry % RECORDS_PER_PAGE) * table->record_size;
}

static int alloc_slots(tn_hash_table *table, uint64_t capacity)
{
    table->slots = tn_arena_alloc(table->arena, sizeof(int64_t) * capacity);
    if (table->slots == NULL)
        return -1;
    memset(table->slots, 0xff, sizeof(int64_t) * capacity);
    table->slot_mask = capacity - 1;
    return 0;
}

/* A key's bytes in a record: NUMERIC adds its scale after the value. */
static size_t key_slot_size(tn_type_id id)
{
    return id == TN_TYPE_NUMERIC ? sizeof(tn_int128) + 16 : tn_type_size(id);
}

tn_hash_table *tn_hash_table_create(tn_arena *arena, const tn_type *key_types, int key_count,
                                    size_t payload_size, tn_error *err)
{
    tn_hash_table *table = tn_arena_zalloc(arena, sizeof(tn_hash_table));
    if (table == NULL)
        goto oom;
    table->arena = arena;
    table->key_count = key_count;
    table->key_types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(key_count + 1));
    if (table->key_types == NULL)
        goto oom;
    memcpy(table->key_types, key_types, sizeof(tn_type) * (size_t)key_count);
    table->key_offsets = tn_arena_alloc(arena, sizeof(size_t) * (size_t)(key_count + 1));
    if (table->key_offsets == NULL)
        goto oom;
    size_t offset = sizeof(uint64_t) + (size_t)key_count;
    for (int k = 0; k < key_count; k++) {
        offset = align16(offset);
        table->key_offsets[k] = offset;
        offset += key_slot_size(key_types[k].id);
    }
    table->payload_offset = align16(offset);
    table->record_size = align16(table->payload_offset + payload_size);
    if (alloc_slots(table, 1024) != 0)
        goto oom;
    return table;
oom:
    tn_error_oom(err);
    return NULL;
}

/* ---- hashing and comparing values ---- */

static uint64_t hash_value(tn_type_id id, const void *value, uint64_t seed)
{
    switch (id) {
    case TN_TYPE_TEXT:
    case TN_TYPE_BYTEA: {
        const tn_string *s = value;
        return XXH3_64bits_withSeed(tn_string_data(s), s->length, seed);
    }
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: {
        double d = id == TN_TYPE_FLOAT32 ? *(const float *)value : *(const double *)value;
        if (d == 0)
            d = 0; /* -0.0 */
        if (isnan(d))
            d = NAN;
        return XXH3_64bits_withSeed(&d, sizeof d, seed);
    }
    default:
        return XXH3_64bits_withSeed(value, tn_type_size(id), seed);
    }
}

/* Equal numerics hash alike whatever their scales (note 5). */
static uint64_t hash_numeric(tn_int128 value, int scale, uint64_t seed)
{
    while (scale > 0 && value % 10 == 0) {
        value /= 10;
        scale--;
    }
    unsigned char key[sizeof(tn_int128) + 1];
    memcpy(key, &value, sizeof value);
    key[sizeof value] = (unsigned char)scale;
    return XXH3_64bits_withSeed(key, sizeof key, seed);
}

void tn_hash_rows(tn_vector *const *keys, int key_count, uint32_t count, uint64_t *hashes)
{
    for (uint32_t row = 0; row < count; row++)
        hashes[row] = NULL_HASH;
    for (int k = 0; k < key_count; k++) {
        const tn_vector *v = keys[k];
        tn_type_id id = v->type.id;
        for (uint32_t row = 0; row < count; row++) {
            if (!tn_vector_is_valid(v, row))
                hashes[row] = XXH3_64bits_withSeed(&hashes[row], sizeof hashes[row], NULL_HASH);
            else if (id == TN_TYPE_NUMERIC)
                hashes[row] = hash_numeric(*(const tn_int128 *)tn_vector_row_ptr(v, row),
                                           tn_vector_numeric_scale(v, row), hashes[row]);
            else
                hashes[row] = hash_value(id, tn_vector_row_ptr(v, row), hashes[row]);
        }
    }
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

int tn_value_compare_raw(tn_type_id id, const void *a, const void *b)
{
    switch (id) {
    case TN_TYPE_BOOL: return CMP(*(const uint8_t *)a, *(const uint8_t *)b);
    case TN_TYPE_INT16: return CMP(*(const int16_t *)a, *(const int16_t *)b);
    case TN_TYPE_INT32:
    case TN_TYPE_DATE: return CMP(*(const int32_t *)a, *(const int32_t *)b);
    case TN_TYPE_INT64:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
    case TN_TYPE_TIME: return CMP(*(const int64_t *)a, *(const int64_t *)b);
    case TN_TYPE_FLOAT32: return tn_compare_double(*(const float *)a, *(const float *)b);
    case TN_TYPE_FLOAT64: return tn_compare_double(*(const double *)a, *(const double *)b);
    case TN_TYPE_NUMERIC: return CMP(*(const tn_int128 *)a, *(const tn_int128 *)b);
    case TN_TYPE_TEXT:
    case TN_TYPE_BYTEA: return tn_string_compare(a, b);
    case TN_TYPE_INTERVAL: return tn_interval_compare(a, b);
    default: return 0;
    }
}

int tn_vector_compare_rows(const tn_vector *a, uint32_t row_a, const tn_vector *b, uint32_t row_b)
{
    if (a->type.id == TN_TYPE_NUMERIC)
        return tn_numeric_compare(*(const tn_int128 *)tn_vector_row_ptr(a, row_a),
                                  tn_vector_numeric_scale(a, row_a),
                                  *(const tn_int128 *)tn_vector_row_ptr(b, row_b),
                                  tn_vector_numeric_scale(b, row_b));
    return tn_value_compare_raw(a->type.id, tn_vector_row_ptr(a, row_a), tn_vector_row_ptr(b, row_b));
}

/* ---- records ---- */

static int slot_scale(const char *slot)
{
    return ((const uint8_t *)slot)[sizeof(tn_int128)];
}

static bool record_matches(const tn_hash_table *table, const char *record, tn_vector *const *keys,
                           uint32_t row)
{
    const uint8_t *nulls = (const uint8_t *)record + sizeof(uint64_t);
    for (int k = 0; k < table->key_count; k++) {
        bool valid = tn_vector_is_valid(keys[k], row);
        if (valid == (nulls[k] != 0))
            return false;
        if (!valid)
            continue;
        const void *slot = record + table->key_offsets[k];
        tn_type_id id = table->key_types[k].id;
        const void *value = tn_vector_row_ptr(keys[k], row);
        if (id == TN_TYPE_NUMERIC) {
            tn_int128 stored;
            memcpy(&stored, slot, sizeof stored);
            if (tn_numeric_compare(stored, slot_scale(slot), *(const tn_int128 *)value,
                                   tn_vector_numeric_scale(keys[k], row)) != 0)
                return false;
        } else if (tn_type_is_string(id) ? !tn_string_equal(slot, value)
                                      : tn_value_compare_raw(id, slot, value) != 0) {
            return false;
        }
    }
    return true;
}

static int64_t new_record(tn_hash_table *table, tn_vector *const *keys, uint32_t row, uint64_t hash)
{
    int64_t entry = table->count;
    if (entry % RECORDS_PER_PAGE == 0) {
        int64_t page = entry / RECORDS_PER_PAGE;
        if (page >= table->page_capacity) {
            int64_t capacity = table->page_capacity ? table->page_capacity * 2 : 16;
            char **pages = tn_arena_realloc(table->arena, table->pages,
                                            sizeof(char *) * (size_t)table->page_capacity,
                                            sizeof(char *) * (size_t)capacity);
            if (pages == NULL)
                return -1;
            table->pages = pages;
            table->page_capacity = capacity;
        }
        table->pages[page] = tn_arena_zalloc(table->arena, table->record_size * RECORDS_PER_PAGE);
        if (table->pages[page] == NULL)
            return -1;
    }
    char *record = record_of(table, entry);
    memcpy(record, &hash, sizeof hash);
    uint8_t *nulls = (uint8_t *)record + sizeof(uint64_t);
    for (int k = 0; k < table->key_count; k++) {
        char *slot = record + table->key_offsets[k];
        if (!tn_vector_is_valid(keys[k], row)) {
            nulls[k] = 1;
            continue;
        }
        tn_type_id id = table->key_types[k].id;
        const void *value = tn_vector_row_ptr(keys[k], row);
        if (tn_type_is_string(id)) {
            const tn_string *s = value;
            const char *data = tn_string_data(s);
            if (s->length > TN_STRING_INLINE) {
                char *copy = tn_arena_alloc(table->arena, s->length);
                if (copy == NULL)
                    return -1;
                memcpy(copy, data, s->length);
                data = copy;
            }
            tn_string stored = tn_string_make(data, s->length);
            memcpy(slot, &stored, sizeof stored);
        } else if (id == TN_TYPE_NUMERIC) {
            memcpy(slot, value, sizeof(tn_int128));
            ((uint8_t *)slot)[sizeof(tn_int128)] = (uint8_t)tn_vector_numeric_scale(keys[k], row);
        } else {
            memcpy(slot, value, tn_type_size(id));
        }
    }
    table->count++;
    return entry;
}

static int grow(tn_hash_table *table)
{
    uint64_t capacity = (table->slot_mask + 1) * 2;
    if (alloc_slots(table, capacity) != 0)
        return -1;
    for (int64_t entry = 0; entry < table->count; entry++) {
        uint64_t hash;
        memcpy(&hash, record_of(table, entry), sizeof hash);
        uint64_t slot = hash & table->slot_mask;
        while (table->slots[slot] >= 0)
            slot = (slot + 1) & table->slot_mask;
        table->slots[slot] = entry;
    }
    return 0;
}

static int64_t probe(const tn_hash_table *table, tn_vector *const *keys, uint32_t row, uint64_t hash,
                     uint64_t *slot_out)
{
    uint64_t slot = hash & table->slot_mask;
    for (;;) {
        int64_t entry = table->slots[slot];
        if (entry < 0)
            break;
        const char *record = record_of(table, entry);
        uint64_t stored;
        memcpy(&stored, record, sizeof stored);
        if (stored == hash && record_matches(table, record, keys, row))
            return entry;
        slot = (slot + 1) & table->slot_mask;
    }
    *slot_out = slot;
    return -1;
}

int tn_hash_table_insert(tn_hash_table *table, tn_vector *const *keys, const uint64_t *hashes,
                         uint32_t count, int64_t *entries, bool *is_new, tn_error *err)
{
    for (uint32_t row = 0; row < count; row++) {
        if ((uint64_t)(table->count + 1) * 2 > table->slot_mask + 1 && grow(table) != 0)
            return tn_error_oom(err);
        uint64_t slot;
        int64_t entry = probe(table, keys, row, hashes[row], &slot);
        bool fresh = entry < 0;
        if (fresh) {
            entry = new_record(table, keys, row, hashes[row]);
            if (entry < 0)
                return tn_error_oom(err);
            table->slots[slot] = entry;
        }
        entries[row] = entry;
        if (is_new != NULL)
            is_new[row] = fresh;
    }
    return 0;
}

void tn_hash_table_find(const tn_hash_table *table, tn_vector *const *keys,
                        const uint64_t *hashes, uint32_t count, int64_t *entries)
{
    for (uint32_t row = 0; row < count; row++) {
        uint64_t slot;
        entries[row] = probe(table, keys, row, hashes[row], &slot);
    }
}

int64_t tn_hash_table_count(const tn_hash_table *table)
{
    return table->count;
}

void *tn_hash_table_payload(const tn_hash_table *table, int64_t entry)
{
    return record_of(table, entry) + table->payload_offset;
}

int tn_hash_table_keys(const tn_hash_table *table, int64_t first, uint32_t count, tn_vector **out,
                       tn_error *err)
{
    for (int k = 0; k < table->key_count; k++) {
        tn_vector *v = out[k];
        size_t size = tn_type_size(table->key_types[k].id);
        for (uint32_t row = 0; row < count; row++) {
            const char *record = record_of(table, first + row);
            if (((const uint8_t *)record)[sizeof(uint64_t) + (size_t)k]) {
                if (tn_vector_set_null(v, row) != 0)
                    return tn_error_oom(err);
                continue;
            }
            const char *slot = record + table->key_offsets[k];
            if (table->key_types[k].id == TN_TYPE_NUMERIC) {
                tn_int128 value;
                memcpy(&value, slot, sizeof value);
                if (tn_vector_set_numeric(v, row, value, slot_scale(slot), err) != 0)
                    return -1;
            } else {
                memcpy((char *)v->data + row * size, slot, size);
            }
        }
    }
    return 0;
}
