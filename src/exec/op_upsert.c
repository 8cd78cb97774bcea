/*
 * INSERT into a table with UNIQUE / PRIMARY KEY constraints, and INSERT
 * ... ON CONFLICT.  tarn has no indexes, so the keys are checked the way a
 * hash join would: the sink collects the proposed rows (after the NOT NULL
 * and CHECK tests INSERT applies, which PostgreSQL also runs first), and
 * finalize reads the table's live rows at the statement's snapshot, puts
 * each key of each row in a hash table, and then walks the proposed rows in
 * order, deciding for each: insert it (claiming its keys, so that a later
 * proposed row with the same key conflicts with it), skip it (DO NOTHING),
 * update the existing row it conflicts with (DO UPDATE: delete + insert,
 * as UPDATE does), or fail with PostgreSQL's errors:
 *   23505  duplicate key value violates unique constraint "t_pkey"
 *          DETAIL Key (a)=(1) already exists.
 *   21000  ON CONFLICT DO UPDATE command cannot affect row a second time
 * A key with a NULL in it never conflicts.  Keys are compared with the
 * executor's hash-table equality (GROUP BY's).  Rows affected = rows
 * inserted + rows updated.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "common/buffer.h"
#include "storage/table.h"
#include "types/format.h"

typedef struct upsert_global {
    void *writes;              /* the INSERT machinery's global state */
    pthread_mutex_t lock;      /* guards proposed */
    tn_collection proposed;    /* rows proposed for insertion in table column order (UPDATE: row id first) */
} upsert_global;

/* Where proposed rows stand against one unique key. */
typedef struct key_state {
    tn_hash_table *existing;   /* key -> payload: first existing row holding it */
    tn_hash_table *proposed;   /* key -> payload: proposed row that claimed it + 1, 0 = none */
    int64_t *existing_row;     /* per proposed row: existing row with its key, -1 none */
    int64_t *proposed_entry;   /* per proposed row: its entry in proposed, -1 when the key has a NULL */
} key_state;

typedef enum decision { DECIDE_INSERT, DECIDE_SKIP, DECIDE_UPDATE } decision;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

/* The global state of INSERT (rows in table column order) or, with
 * with_row_id, of UPDATE (the row id, then the new row). */
static void *init_global(tn_exec *exec, const tn_physical *op, bool with_row_id, tn_error *err)
{
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_table *table = op->logical->table;
    int first = with_row_id ? 1 : 0;
    upsert_global *global = tn_arena_zalloc(context->arena, sizeof(upsert_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(context->arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        tn_error_oom(err);
        return NULL;
    }
    tn_type *types = tn_arena_alloc(context->arena, sizeof(tn_type) * (size_t)(table->column_count + 1));
    if (types == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    types[0] = tn_type_make(TN_TYPE_INT64);
    for (int col = 0; col < table->column_count; col++)
        types[first + col] = table->columns[col].type;
    if (tn_collection_init(&global->proposed, context->arena, types, first + table->column_count) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    global->writes = tn_dml_init_global(exec, op, err);
    return global->writes != NULL ? global : NULL;
}

static void *upsert_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    return init_global(exec, op, false, err);
}

static void *keyed_update_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    return init_global(exec, op, true, err);
}

/* Collects rows after the NOT NULL and CHECK tests (table columns from first_column). */
static int collect(const tn_physical *op, upsert_global *global, void *local, const tn_chunk *in, int first_column,
                   tn_error *err)
{
    if (tn_dml_check_rows(op, local, in, first_column, err) != 0)
        return -1;
    pthread_mutex_lock(&global->lock);
    int rc = tn_collection_append(&global->proposed, in, err);
    pthread_mutex_unlock(&global->lock);
    return rc;
}

static int upsert_sink(tn_exec *exec, const tn_physical *op, void *global, void *local, const tn_chunk *in,
                       int side, tn_error *err)
{
    (void)exec;
    (void)side;
    return collect(op, global, local, in, 0, err);
}

static int keyed_update_sink(tn_exec *exec, const tn_physical *op, void *global, void *local, const tn_chunk *in,
                             int side, tn_error *err)
{
    (void)exec;
    (void)side;
    return collect(op, global, local, in, 1, err);
}

/* File pruning: the range of the first column of each key among the rows
 * to check, when that column is an integer; a data file whose statistics
 * put that column outside the range for every key cannot hold a
 * conflicting row and is not read. */
typedef struct key_ranges {
    const tn_table *table;
    const tn_conflict *conflict;
    bool *known;           /* per key: an integer range (or no value at all) */
    bool *empty;           /* per key: no row to check has a value there */
    int64_t *low, *high;
} key_ranges;

static int ranges_init(tn_arena *arena, const tn_table *table, const tn_conflict *conflict, const tn_collection *rows,
                       int first_column, key_ranges *out, tn_error *err)
{
    int count = conflict->key_count + 1;
    out->table = table;
    out->conflict = conflict;
    out->known = tn_arena_zalloc(arena, sizeof(bool) * (size_t)count);
    out->empty = tn_arena_zalloc(arena, sizeof(bool) * (size_t)count);
    out->low = tn_arena_zalloc(arena, sizeof(int64_t) * (size_t)count);
    out->high = tn_arena_zalloc(arena, sizeof(int64_t) * (size_t)count);
    if (out->known == NULL || out->empty == NULL || out->low == NULL || out->high == NULL)
        return tn_error_oom(err);
    for (int k = 0; k < conflict->key_count; k++) {
        int column = conflict->keys[k].columns[0];
        if (!tn_type_is_integer(table->columns[column].type.id))
            continue;
        out->known[k] = out->empty[k] = true;
        for (int c = 0; c < rows->chunk_count; c++) {
            const tn_chunk *chunk = rows->chunks[c];
            const tn_vector *v = &chunk->columns[first_column + column];
            for (uint32_t row = 0; row < chunk->count; row++) {
                if (!tn_vector_is_valid(v, row))
                    continue;
                tn_value value;
                tn_vector_get_value(v, row, &value);
                if (out->empty[k] || value.u.integer < out->low[k])
                    out->low[k] = value.u.integer;
                if (out->empty[k] || value.u.integer > out->high[k])
                    out->high[k] = value.u.integer;
                out->empty[k] = false;
            }
        }
    }
    return 0;
}

/* Whether file may hold a row whose key equals one of the rows to check. */
static bool may_conflict(const tn_catalog_data_file *file, void *arg)
{
    const key_ranges *ranges = arg;
    for (int k = 0; k < ranges->conflict->key_count; k++) {
        if (!ranges->known[k])
            return true;
        if (ranges->empty[k])
            continue;
        int64_t column_id = ranges->table->columns[ranges->conflict->keys[k].columns[0]].column_id;
        const tn_catalog_column_stats *stats = NULL;
        for (int idx = 0; idx < file->stats_count; idx++)
            if (file->stats[idx].column_id == column_id)
                stats = &file->stats[idx];
        if (stats == NULL || stats->min_value == NULL || stats->max_value == NULL)
            return true;
        char *end_low, *end_high;
        long long low = strtoll(stats->min_value, &end_low, 10);
        long long high = strtoll(stats->max_value, &end_high, 10);
        if (*end_low != '\0' || *end_high != '\0' || (low <= ranges->high[k] && high >= ranges->low[k]))
            return true;
    }
    return false;
}

/* The table's live rows that may conflict with rows (table columns from
 * first_column): the row id, then every column. */
static int read_existing(tn_exec *exec, const tn_table *table, const tn_conflict *conflict, const tn_collection *rows,
                         int first_column, tn_collection *out, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    int width = table->column_count + 1;
    tn_type *types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)width);
    int *columns = tn_arena_alloc(arena, sizeof(int) * (size_t)width);
    if (types == NULL || columns == NULL)
        return tn_error_oom(err);
    types[0] = tn_type_make(TN_TYPE_INT64);
    columns[0] = TN_ROW_ID_COLUMN;
    for (int col = 0; col < table->column_count; col++) {
        types[col + 1] = table->columns[col].type;
        columns[col + 1] = col;
    }
    if (tn_collection_init(out, arena, types, width) != 0)
        return tn_error_oom(err);
    key_ranges ranges;
    tn_table_morsel **morsels;
    int morsel_count;
    tn_chunk *scratch = tn_exec_chunk_create(arena, types, width, err);
    if (scratch == NULL || ranges_init(arena, table, conflict, rows, first_column, &ranges, err) != 0 ||
        tn_table_morsels_of((tn_table *)table, may_conflict, &ranges, arena, &morsels, &morsel_count, err) != 0)
        return -1;
    for (int index = 0; index < morsel_count; index++) {
        tn_arena *morsel_arena = tn_arena_create();
        if (morsel_arena == NULL)
            return tn_error_oom(err);
        tn_table_scan *scan = tn_table_scan_open((tn_table *)table, morsels[index], columns, width, morsel_arena, err);
        int rows_read = scan != NULL ? 1 : -1;
        while (rows_read > 0 && (rows_read = tn_table_scan_next(scan, scratch, err)) > 0)
            if (tn_collection_append(out, scratch, err) != 0)
                rows_read = -1;
        tn_arena_destroy(morsel_arena);
        if (rows_read < 0)
            return -1;
    }
    return 0;
}

/* Hashes key's columns (from first_column on) of every row of rows into
 * hash, inserting them (entries, is_new) or finding them (is_new NULL). */
static int hash_keys(tn_hash_table *hash, const tn_unique_key *key, const tn_chunk *chunk, int first_column,
                     uint64_t *hashes, int64_t *entries, bool *is_new, bool insert, tn_error *err)
{
    tn_vector *keys[TN_UNIQUE_MAX_COLUMNS];
    for (int idx = 0; idx < key->column_count; idx++)
        keys[idx] = &chunk->columns[first_column + key->columns[idx]];
    tn_hash_rows(keys, key->column_count, chunk->count, hashes);
    if (insert)
        return tn_hash_table_insert(hash, keys, hashes, chunk->count, entries, is_new, err);
    tn_hash_table_find(hash, keys, hashes, chunk->count, entries);
    return 0;
}

static bool key_has_null(const tn_unique_key *key, const tn_chunk *chunk, int first_column, uint32_t row)
{
    for (int idx = 0; idx < key->column_count; idx++)
        if (!tn_vector_is_valid(&chunk->columns[first_column + key->columns[idx]], row))
            return true;
    return false;
}

/* Builds the per-key state: existing keys, proposed keys, and where each
 * proposed row's key stands. */
static int build_keys(tn_arena *arena, const tn_conflict *conflict, const tn_collection *existing,
                      const tn_collection *proposed, key_state *states, tn_error *err)
{
    uint64_t *hashes = tn_arena_alloc(arena, sizeof(uint64_t) * TN_VECTOR_SIZE);
    int64_t *entries = tn_arena_alloc(arena, sizeof(int64_t) * TN_VECTOR_SIZE);
    bool *is_new = tn_arena_alloc(arena, sizeof(bool) * TN_VECTOR_SIZE);
    if (hashes == NULL || entries == NULL || is_new == NULL)
        return tn_error_oom(err);
    for (int k = 0; k < conflict->key_count; k++) {
        const tn_unique_key *key = &conflict->keys[k];
        key_state *state = &states[k];
        tn_type types[TN_UNIQUE_MAX_COLUMNS];
        for (int idx = 0; idx < key->column_count; idx++)
            types[idx] = proposed->types[key->columns[idx]];
        state->existing = tn_hash_table_create(arena, types, key->column_count, sizeof(int64_t), err);
        state->proposed = tn_hash_table_create(arena, types, key->column_count, sizeof(int64_t), err);
        state->existing_row = tn_arena_alloc(arena, sizeof(int64_t) * (size_t)(proposed->row_count + 1));
        state->proposed_entry = tn_arena_alloc(arena, sizeof(int64_t) * (size_t)(proposed->row_count + 1));
        if (state->existing == NULL || state->proposed == NULL || state->existing_row == NULL ||
            state->proposed_entry == NULL)
            return tn_error_is_set(err) ? -1 : tn_error_oom(err);
        int64_t base = 0;
        for (int c = 0; c < existing->chunk_count; c++) {
            const tn_chunk *chunk = existing->chunks[c];
            if (hash_keys(state->existing, key, chunk, 1, hashes, entries, is_new, true, err) != 0)
                return -1;
            for (uint32_t row = 0; row < chunk->count; row++)
                if (is_new[row])
                    *(int64_t *)tn_hash_table_payload(state->existing, entries[row]) = base + row;
            base += chunk->count;
        }
        base = 0;
        for (int c = 0; c < proposed->chunk_count; c++) {
            const tn_chunk *chunk = proposed->chunks[c];
            if (hash_keys(state->proposed, key, chunk, 0, hashes, state->proposed_entry + base, is_new, true, err) != 0)
                return -1;
            hash_keys(state->existing, key, chunk, 0, hashes, entries, NULL, false, err);
            for (uint32_t row = 0; row < chunk->count; row++) {
                bool has_null = key_has_null(key, chunk, 0, row);
                state->existing_row[base + row] =
                    has_null || entries[row] < 0 ? -1 : *(int64_t *)tn_hash_table_payload(state->existing, entries[row]);
                if (has_null)
                    state->proposed_entry[base + row] = -1;
            }
            base += chunk->count;
        }
    }
    return 0;
}

/* 23505 for key of row offset of chunk (table columns from first_column). */
static int duplicate_key(const tn_table *table, const tn_unique_key *key, const tn_chunk *chunk, int first_column,
                         uint32_t offset, tn_error *err)
{
    tn_error_set(err, TN_ERR_UNIQUE_VIOLATION, 0, "duplicate key value violates unique constraint \"%s\"", key->name);
    tn_buf names = TN_BUF_INIT, values = TN_BUF_INIT;
    tn_timezone zone = tn_timezone_utc();
    for (int idx = 0; idx < key->column_count; idx++) {
        tn_value value;
        char text[TN_FORMAT_SIZE];
        size_t length;
        tn_vector_get_value(&chunk->columns[first_column + key->columns[idx]], offset, &value);
        const char *shown = tn_format_value(&value, &zone, text, &length);
        tn_buf_append_str(&names, idx > 0 ? ", " : "");
        tn_buf_append_str(&names, table->columns[key->columns[idx]].name);
        tn_buf_append_str(&values, idx > 0 ? ", " : "");
        tn_buf_append(&values, shown, length);
    }
    if (names.data != NULL && values.data != NULL)
        tn_error_detail(err, "Key (%s)=(%s) already exists.", names.data, values.data);
    tn_buf_free(&names);
    tn_buf_free(&values);
    return -1;
}

/* Rows taking part in a final key check: the rows of a collection whose
 * keep flag is set (all when keep is NULL), table columns from first_column. */
typedef struct row_set {
    const tn_collection *rows;
    int first_column;
    const bool *keep;
} row_set;

/* 23505 when a row of added has a key (without NULLs) that a row of base,
 * or an earlier row of added, has: the final rows must be unique. */
static int check_added_keys(tn_arena *arena, const tn_table *table, const tn_conflict *conflict, const row_set *base,
                            int base_count, const row_set *added, tn_error *err)
{
    uint64_t *hashes = tn_arena_alloc(arena, sizeof(uint64_t) * TN_VECTOR_SIZE);
    int64_t *entries = tn_arena_alloc(arena, sizeof(int64_t) * TN_VECTOR_SIZE);
    bool *is_new = tn_arena_alloc(arena, sizeof(bool) * TN_VECTOR_SIZE);
    uint32_t *sel = tn_arena_alloc(arena, sizeof(uint32_t) * TN_VECTOR_SIZE);
    if (hashes == NULL || entries == NULL || is_new == NULL || sel == NULL)
        return tn_error_oom(err);
    for (int k = 0; k < conflict->key_count; k++) {
        const tn_unique_key *key = &conflict->keys[k];
        tn_type types[TN_UNIQUE_MAX_COLUMNS];
        for (int idx = 0; idx < key->column_count; idx++)
            types[idx] = table->columns[key->columns[idx]].type;
        tn_hash_table *hash = tn_hash_table_create(arena, types, key->column_count, 0, err);
        if (hash == NULL)
            return -1;
        for (int set = 0; set < base_count; set++) {
            const tn_collection *rows = base[set].rows;
            tn_chunk *kept = tn_exec_chunk_create(arena, rows->types, rows->column_count, err);
            if (kept == NULL)
                return -1;
            int64_t first = 0;
            for (int c = 0; c < rows->chunk_count; c++) {
                const tn_chunk *chunk = rows->chunks[c];
                uint32_t count = 0;
                for (uint32_t row = 0; row < chunk->count; row++)
                    if (base[set].keep == NULL || base[set].keep[first + row])
                        sel[count++] = row;
                first += chunk->count;
                tn_chunk_reset(kept);
                if (tn_chunk_gather(kept, chunk, sel, count) != 0)
                    return tn_error_oom(err);
                if (hash_keys(hash, key, kept, base[set].first_column, hashes, entries, is_new, true, err) != 0)
                    return -1;
            }
        }
        for (int c = 0; c < added->rows->chunk_count; c++) {
            const tn_chunk *chunk = added->rows->chunks[c];
            if (hash_keys(hash, key, chunk, added->first_column, hashes, entries, is_new, true, err) != 0)
                return -1;
            for (uint32_t row = 0; row < chunk->count; row++)
                if (!is_new[row] && !key_has_null(key, chunk, added->first_column, row))
                    return duplicate_key(table, key, chunk, added->first_column, row, err);
        }
    }
    return 0;
}

/* Decides every proposed row in order (see the file comment); for
 * DECIDE_UPDATE, target[row] is the existing row to update, and
 * updated[target[row]] is set. */
static int decide(const tn_table *table, const tn_conflict *conflict, const tn_collection *proposed,
                  key_state *states, bool *updated, decision *decisions, int64_t *target, tn_error *err)
{
    for (int64_t row = 0; row < proposed->row_count; row++) {
        int arbiter_hit = -1;      /* key of the arbiter conflict */
        int other_hit = -1;        /* first other key in conflict */
        int64_t existing = -1;     /* the existing row of the arbiter conflict, -1: a proposed row */
        for (int k = 0; k < conflict->key_count; k++) {
            key_state *state = &states[k];
            int64_t entry = state->proposed_entry[row];
            if (entry < 0)
                continue;
            int64_t claimed = *(int64_t *)tn_hash_table_payload(state->proposed, entry);
            if (claimed == 0 && state->existing_row[row] < 0)
                continue;
            bool is_arbiter = conflict->action != TN_CONFLICT_ERROR && (conflict->arbiter < 0 || conflict->arbiter == k);
            if (is_arbiter && arbiter_hit < 0) {
                arbiter_hit = k;
                existing = claimed != 0 ? -1 : state->existing_row[row];
            } else if (!is_arbiter && other_hit < 0) {
                other_hit = k;
            }
        }
        if (arbiter_hit >= 0 && conflict->action == TN_CONFLICT_NOTHING) {
            decisions[row] = DECIDE_SKIP;
            continue;
        }
        if (arbiter_hit >= 0) {
            if (existing < 0 || updated[existing]) {
                tn_error_set(err, TN_ERR_CARDINALITY_VIOLATION, 0,
                             "ON CONFLICT DO UPDATE command cannot affect row a second time");
                tn_error_hint(err, "Ensure that no rows proposed for insertion within the same command have "
                                   "duplicate constrained values.");
                return -1;
            }
            updated[existing] = true;
            decisions[row] = DECIDE_UPDATE;
            target[row] = existing;
            continue;
        }
        if (other_hit >= 0) {
            const tn_chunk *chunk;
            uint32_t offset;
            tn_collection_locate(proposed, row, &chunk, &offset);
            return duplicate_key(table, &conflict->keys[other_hit], chunk, 0, offset, err);
        }
        decisions[row] = DECIDE_INSERT;
        for (int k = 0; k < conflict->key_count; k++)
            if (states[k].proposed_entry[row] >= 0)
                *(int64_t *)tn_hash_table_payload(states[k].proposed, states[k].proposed_entry[row]) = row + 1;
    }
    return 0;
}

/* Writes the proposed rows decided DECIDE_INSERT. */
static int write_inserts(tn_exec *exec, const tn_physical *op, upsert_global *global, const decision *decisions,
                         tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_collection *proposed = &global->proposed;
    tn_chunk *out = tn_exec_chunk_create(arena, proposed->types, proposed->column_count, err);
    uint32_t *sel = tn_arena_alloc(arena, sizeof(uint32_t) * TN_VECTOR_SIZE);
    if (out == NULL || sel == NULL)
        return tn_error_is_set(err) ? -1 : tn_error_oom(err);
    int64_t base = 0;
    for (int c = 0; c < proposed->chunk_count; c++) {
        const tn_chunk *chunk = proposed->chunks[c];
        uint32_t count = 0;
        for (uint32_t row = 0; row < chunk->count; row++)
            if (decisions[base + row] == DECIDE_INSERT)
                sel[count++] = row;
        base += chunk->count;
        if (count == 0)
            continue;
        tn_chunk_reset(out);
        if (tn_chunk_gather(out, chunk, sel, count) != 0)
            return tn_error_oom(err);
        if (tn_dml_write_rows(exec, op, global->writes, out, 0, err) != 0)
            return -1;
    }
    return 0;
}

/* The DO UPDATE machinery: compiled WHERE and SET, CHECK states, and the
 * batch chunks (pairs = existing row ++ proposed row, with their row ids). */
typedef struct updater {
    tn_expr_state *where;
    tn_expr_state **sets;
    void *checks;
    tn_chunk *pairs, *pair_ids, *kept, *kept_ids, *rows;
    tn_collection new_rows;    /* the updated rows, checked for keys before they are written */
    tn_row_ids *ids;
} updater;

static int updater_init(tn_exec *exec, const tn_physical *op, const tn_collection *existing,
                        const tn_collection *proposed, updater *up, tn_error *err)
{
    tn_exec_context *context = tn_exec_context_of(exec);
    tn_arena *arena = context->arena;
    const tn_conflict *conflict = op->logical->conflict;
    int width = proposed->column_count;
    tn_type *types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(2 * width + 1));
    up->sets = tn_arena_zalloc(arena, sizeof(tn_expr_state *) * (size_t)(width + 1));
    if (types == NULL || up->sets == NULL)
        return tn_error_oom(err);
    memcpy(types, existing->types + 1, sizeof(tn_type) * (size_t)width);
    memcpy(types + width, proposed->types, sizeof(tn_type) * (size_t)width);
    tn_type id_type = tn_type_make(TN_TYPE_INT64);
    if ((up->pairs = tn_exec_chunk_create(arena, types, 2 * width, err)) == NULL ||
        (up->kept = tn_exec_chunk_create(arena, types, 2 * width, err)) == NULL ||
        (up->pair_ids = tn_exec_chunk_create(arena, &id_type, 1, err)) == NULL ||
        (up->kept_ids = tn_exec_chunk_create(arena, &id_type, 1, err)) == NULL ||
        (up->rows = tn_exec_chunk_create(arena, proposed->types, width, err)) == NULL ||
        (up->ids = tn_row_ids_create(arena, err)) == NULL ||
        tn_collection_init(&up->new_rows, arena, proposed->types, width) != 0 ||
        (up->checks = tn_dml_init_checks(exec, op, NULL, TN_ROLE_SINK, err)) == NULL)
        return -1;
    if (conflict->where != NULL && (up->where = tn_expr_compile(context, conflict->where, arena, err)) == NULL)
        return -1;
    for (int col = 0; col < width; col++)
        if ((up->sets[col] = tn_expr_compile(context, conflict->sets[col], arena, err)) == NULL)
            return -1;
    return 0;
}

/* Runs WHERE and SET over the batch in up->pairs and keeps the new rows. */
static int update_batch(const tn_physical *op, updater *up, tn_error *err)
{
    tn_chunk *input = up->pairs, *input_ids = up->pair_ids;
    if (input->count == 0)
        return 0;
    if (up->where != NULL) {
        uint32_t sel[TN_VECTOR_SIZE];
        int count = tn_expr_select(up->where, input, sel, err);
        if (count < 0)
            return -1;
        tn_chunk_reset(up->kept);
        tn_chunk_reset(up->kept_ids);
        if (tn_chunk_gather(up->kept, input, sel, (uint32_t)count) != 0 ||
            tn_chunk_gather(up->kept_ids, input_ids, sel, (uint32_t)count) != 0)
            return tn_error_oom(err);
        input = up->kept;
        input_ids = up->kept_ids;
    }
    if (input->count > 0) {
        tn_chunk_reset(up->rows);
        for (int col = 0; col < up->rows->column_count; col++)
            if (tn_expr_eval(up->sets[col], input, &up->rows->columns[col], err) != 0)
                return -1;
        up->rows->count = input->count;
        if (tn_dml_check_rows(op, up->checks, up->rows, 0, err) != 0 ||
            tn_collection_append(&up->new_rows, up->rows, err) != 0 ||
            tn_row_ids_add(up->ids, &input_ids->columns[0], input_ids->count, err) != 0)
            return -1;
    }
    tn_chunk_reset(up->pairs);
    tn_chunk_reset(up->pair_ids);
    return 0;
}

/* Computes the updates of the existing rows decided DECIDE_UPDATE, in batches. */
static int compute_updates(const tn_physical *op, upsert_global *global, const tn_collection *existing,
                           const decision *decisions, const int64_t *target, updater *up, tn_error *err)
{
    const tn_collection *proposed = &global->proposed;
    int width = proposed->column_count;
    for (int64_t row = 0; row < proposed->row_count; row++) {
        if (decisions[row] != DECIDE_UPDATE)
            continue;
        const tn_chunk *old_chunk, *new_chunk;
        uint32_t old_offset, new_offset;
        tn_collection_locate(existing, target[row], &old_chunk, &old_offset);
        tn_collection_locate(proposed, row, &new_chunk, &new_offset);
        uint32_t at = up->pairs->count;
        for (int col = 0; col < width; col++)
            if (tn_vector_copy_row(&up->pairs->columns[col], at, &old_chunk->columns[col + 1], old_offset) != 0 ||
                tn_vector_copy_row(&up->pairs->columns[width + col], at, &new_chunk->columns[col], new_offset) != 0)
                return tn_error_oom(err);
        if (tn_vector_copy_row(&up->pair_ids->columns[0], at, &old_chunk->columns[0], old_offset) != 0)
            return tn_error_oom(err);
        up->pairs->count = up->pair_ids->count = at + 1;
        if (up->pairs->count == TN_VECTOR_SIZE && update_batch(op, up, err) != 0)
            return -1;
    }
    return update_batch(op, up, err);
}

/* Writes every row of rows (table columns from first_column). */
static int write_collection(tn_exec *exec, const tn_physical *op, void *writes, const tn_collection *rows,
                            int first_column, tn_error *err)
{
    for (int c = 0; c < rows->chunk_count; c++)
        if (tn_dml_write_rows(exec, op, writes, rows->chunks[c], first_column, err) != 0)
            return -1;
    return 0;
}

/* DO UPDATE: the new rows must not repeat a key of the rows that stay
 * (existing rows not updated, rows inserted) or of each other. */
static int finish_updates(tn_exec *exec, const tn_physical *op, upsert_global *global, const tn_collection *existing,
                          const bool *updated, const decision *decisions, const int64_t *target, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_collection *proposed = &global->proposed;
    bool *stays = tn_arena_alloc(arena, sizeof(bool) * (size_t)(existing->row_count + 1));
    bool *inserted = tn_arena_alloc(arena, sizeof(bool) * (size_t)(proposed->row_count + 1));
    if (stays == NULL || inserted == NULL)
        return tn_error_oom(err);
    for (int64_t row = 0; row < existing->row_count; row++)
        stays[row] = !updated[row];
    for (int64_t row = 0; row < proposed->row_count; row++)
        inserted[row] = decisions[row] == DECIDE_INSERT;
    updater up = {0};
    if (updater_init(exec, op, existing, proposed, &up, err) != 0 ||
        compute_updates(op, global, existing, decisions, target, &up, err) != 0)
        return -1;
    row_set base[2] = {{existing, 1, stays}, {proposed, 0, inserted}};
    row_set added = {&up.new_rows, 0, NULL};
    if (check_added_keys(arena, op->logical->table, op->logical->conflict, base, 2, &added, err) != 0 ||
        write_collection(exec, op, global->writes, &up.new_rows, 0, err) != 0 ||
        tn_dml_finish_writes(exec, global->writes, true, err) != 0)
        return -1;
    /* The new versions of updated rows were counted as written; deleting
     * their old versions counts them again. */
    tn_exec_add_rows_affected(exec, -up.new_rows.row_count);
    return tn_row_ids_delete(exec, op, up.ids, err);
}

static int upsert_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    upsert_global *global = global_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_conflict *conflict = op->logical->conflict;
    const tn_table *table = op->logical->table;
    const tn_collection *proposed = &global->proposed;
    if (proposed->row_count == 0)
        return 0;
    tn_collection existing;
    if (read_existing(exec, table, conflict, proposed, 0, &existing, err) != 0)
        return -1;
    key_state *states = tn_arena_zalloc(arena, sizeof(key_state) * (size_t)(conflict->key_count + 1));
    decision *decisions = tn_arena_zalloc(arena, sizeof(decision) * (size_t)(proposed->row_count + 1));
    int64_t *target = tn_arena_zalloc(arena, sizeof(int64_t) * (size_t)(proposed->row_count + 1));
    bool *updated = tn_arena_zalloc(arena, sizeof(bool) * (size_t)(existing.row_count + 1));
    if (states == NULL || decisions == NULL || target == NULL || updated == NULL)
        return tn_error_oom(err);
    if (build_keys(arena, conflict, &existing, proposed, states, err) != 0 ||
        decide(table, conflict, proposed, states, updated, decisions, target, err) != 0 ||
        write_inserts(exec, op, global, decisions, err) != 0)
        return -1;
    if (conflict->action == TN_CONFLICT_UPDATE)
        return finish_updates(exec, op, global, &existing, updated, decisions, target, err);
    return tn_dml_finish_writes(exec, global->writes, true, err);
}

const tn_physical_ops tn_op_upsert = {
    .name = "Insert",
    .shape = TN_SHAPE_BREAKER,
    .init_global = upsert_init_global,
    .init_local = tn_dml_init_checks,
    .get_chunk = tn_dml_no_rows,
    .sink = upsert_sink,
    .finalize = upsert_finalize,
};

/* UPDATE of key columns, and UPDATE ... FROM: a row met more than once is
 * updated once (by its first new version, as PostgreSQL takes one of
 * them), and the new rows must not repeat a key of the rows left alone or
 * of each other (checked on the final rows, so that UPDATE t SET a = a + 1
 * succeeds whatever order the rows come in). */
static int keyed_update_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    upsert_global *global = global_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_collection *all = &global->proposed;
    if (all->row_count == 0)
        return 0;
    tn_collection existing, rows;
    if (read_existing(exec, op->logical->table, op->logical->conflict, all, 1, &existing, err) != 0)
        return -1;
    tn_type id_type = tn_type_make(TN_TYPE_INT64);
    tn_hash_table *updated = tn_hash_table_create(arena, &id_type, 1, 0, err);
    tn_row_ids *ids = tn_row_ids_create(arena, err);
    tn_chunk *kept = updated && ids ? tn_exec_chunk_create(arena, all->types, all->column_count, err) : NULL;
    if (kept == NULL)
        return -1;
    uint64_t *hashes = tn_arena_alloc(arena, sizeof(uint64_t) * TN_VECTOR_SIZE);
    int64_t *entries = tn_arena_alloc(arena, sizeof(int64_t) * TN_VECTOR_SIZE);
    bool *is_new = tn_arena_alloc(arena, sizeof(bool) * TN_VECTOR_SIZE);
    uint32_t *sel = tn_arena_alloc(arena, sizeof(uint32_t) * TN_VECTOR_SIZE);
    bool *stays = tn_arena_alloc(arena, sizeof(bool) * (size_t)(existing.row_count + 1));
    if (hashes == NULL || entries == NULL || is_new == NULL || sel == NULL || stays == NULL ||
        tn_collection_init(&rows, arena, all->types, all->column_count) != 0)
        return tn_error_oom(err);
    for (int c = 0; c < all->chunk_count; c++) {
        const tn_chunk *chunk = all->chunks[c];
        tn_vector *key = &chunk->columns[0];
        tn_hash_rows(&key, 1, chunk->count, hashes);
        if (tn_hash_table_insert(updated, &key, hashes, chunk->count, entries, is_new, err) != 0)
            return -1;
        uint32_t count = 0;
        for (uint32_t row = 0; row < chunk->count; row++)
            if (is_new[row])
                sel[count++] = row;
        tn_chunk_reset(kept);
        if (tn_chunk_gather(kept, chunk, sel, count) != 0)
            return tn_error_oom(err);
        if (tn_collection_append(&rows, kept, err) != 0 || tn_row_ids_add(ids, &kept->columns[0], count, err) != 0)
            return -1;
    }
    int64_t first = 0;
    for (int c = 0; c < existing.chunk_count; c++) {
        tn_vector *key = &existing.chunks[c]->columns[0];
        tn_hash_rows(&key, 1, existing.chunks[c]->count, hashes);
        tn_hash_table_find(updated, &key, hashes, existing.chunks[c]->count, entries);
        for (uint32_t row = 0; row < existing.chunks[c]->count; row++)
            stays[first + row] = entries[row] < 0;
        first += existing.chunks[c]->count;
    }
    row_set base = {&existing, 1, stays};
    row_set added = {&rows, 1, NULL};
    if (check_added_keys(arena, op->logical->table, op->logical->conflict, &base, 1, &added, err) != 0 ||
        write_collection(exec, op, global->writes, &rows, 1, err) != 0 ||
        tn_dml_finish_writes(exec, global->writes, false, err) != 0)
        return -1;
    return tn_row_ids_delete(exec, op, ids, err);
}

const tn_physical_ops tn_op_update_keyed = {
    .name = "Update",
    .shape = TN_SHAPE_BREAKER,
    .init_global = keyed_update_init_global,
    .init_local = tn_dml_init_checks,
    .get_chunk = tn_dml_no_rows,
    .sink = keyed_update_sink,
    .finalize = keyed_update_finalize,
};
