/*
 * Joins: the build side (right child) is collected by a sink, the probe
 * side (left child) streams through execute.  Every join type is handled
 * here: INNER, LEFT, RIGHT, FULL, SEMI and ANTI.
 *
 * Design notes:
 *  1. Finalize indexes the build rows as chains: head[] (one per hash
 *     entry) and next[] (one per build row).  A hash join keys the chains
 *     by the right key values (rows with a NULL key are never chained: NULL
 *     never equals anything); a nested loop join (no equality to hash on,
 *     op_nested_loop_join.c) puts every build row in one chain.
 *  2. Probing walks each input row's chain, emitting (left row, build row)
 *     pairs a chunk at a time; the residual predicate (the condition's
 *     non-equality conjuncts) runs over the pairs.  A row's position in its
 *     chain survives between calls, so any fan-out is fine (HAVE_MORE).
 *  3. After an input chunk's pairs, LEFT and FULL joins emit its unmatched
 *     rows with NULLs, SEMI its matched and ANTI its unmatched rows.
 *  4. RIGHT and FULL joins mark build rows that matched; flush emits the
 *     others once the probe side is exhausted (one thread flushes).
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

typedef struct join_global {
    pthread_mutex_t lock;
    tn_collection build;       /* right rows */
    tn_hash_table *table;      /* hash join: right keys -> chain head */
    int64_t *next;             /* chain successor per build row, -1 at the end */
    int64_t all_head;          /* nested loop: the one chain */
    uint8_t *matched;          /* RIGHT/FULL: build row found a partner */
    atomic_bool flush_claimed;
} join_global;

typedef enum probe_phase { PHASE_IDLE, PHASE_PAIRS, PHASE_UNMATCHED } probe_phase;

typedef struct join_local {
    /* sink role */
    tn_collection build;
    /* operator role */
    tn_expr_state **key_states;
    tn_vector *keys;
    tn_expr_state *residual;
    int64_t heads[TN_VECTOR_SIZE];
    uint8_t left_matched[TN_VECTOR_SIZE];
    uint32_t left_rows[TN_VECTOR_SIZE];
    int64_t build_rows[TN_VECTOR_SIZE];
    uint32_t sel[TN_VECTOR_SIZE];
    tn_chunk *pairs;           /* left ++ right columns of the current pairs */
    probe_phase phase;
    uint32_t next_row;
    int64_t next_build;
    int64_t flush_row;         /* flush role: next build row to look at */
    bool is_flusher;
} join_local;

static const tn_hash_join_data *join_data(const tn_physical *op)
{
    return op->data;
}

static bool keeps_build_rows(tn_join_type type)
{
    return type == TN_JOIN_RIGHT || type == TN_JOIN_FULL;
}

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

void *tn_join_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    join_global *global = tn_arena_zalloc(arena, sizeof(join_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0)
        goto oom;
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        goto oom;
    }
    const tn_physical *right = op->children[1];
    if (tn_collection_init(&global->build, arena, right->types, right->column_count) != 0)
        goto oom;
    global->all_head = -1;
    atomic_init(&global->flush_claimed, false);
    return global;
oom:
    tn_error_oom(err);
    return NULL;
}

static int init_probe(tn_exec *exec, const tn_physical *op, join_local *local, tn_error *err)
{
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_hash_join_data *data = join_data(op);
    int n = data->key_count;
    local->key_states = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(n + 1));
    local->keys = tn_arena_zalloc(context->arena, sizeof(tn_vector) * (size_t)(n + 1));
    if (local->key_states == NULL || local->keys == NULL)
        return tn_error_oom(err);
    tn_arena *heap = tn_arena_create();
    if (heap == NULL || tn_arena_on_cleanup(context->arena, (void (*)(void *))tn_arena_destroy, heap) != 0) {
        tn_arena_destroy(heap);
        return tn_error_oom(err);
    }
    for (int k = 0; k < n; k++) {
        local->key_states[k] = tn_expr_compile(context, data->left_keys[k], context->arena, err);
        if (local->key_states[k] == NULL)
            return -1;
        if (tn_vector_init(&local->keys[k], data->left_keys[k]->type, context->arena) != 0)
            return tn_error_oom(err);
        local->keys[k].arena = heap;
    }
    if (data->residual != NULL) {
        local->residual = tn_expr_compile(context, data->residual, context->arena, err);
        if (local->residual == NULL)
            return -1;
    }
    const tn_physical *left = op->children[0], *right = op->children[1];
    int width = left->column_count + right->column_count;
    tn_type *types = tn_arena_alloc(context->arena, sizeof(tn_type) * (size_t)(width + 1));
    if (types == NULL)
        return tn_error_oom(err);
    memcpy(types, left->types, sizeof(tn_type) * (size_t)left->column_count);
    memcpy(types + left->column_count, right->types, sizeof(tn_type) * (size_t)right->column_count);
    local->pairs = tn_exec_chunk_create(context->arena, types, width, err);
    return local->pairs != NULL ? 0 : -1;
}

void *tn_join_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                         tn_error *err)
{
    join_global *global = global_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    join_local *local = tn_arena_zalloc(arena, sizeof(join_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (role == TN_ROLE_SINK) {
        const tn_physical *right = op->children[1];
        if (tn_collection_init(&local->build, arena, right->types, right->column_count) != 0) {
            tn_error_oom(err);
            return NULL;
        }
        return local;
    }
    if (init_probe(exec, op, local, err) != 0)
        return NULL;
    local->is_flusher = keeps_build_rows(join_data(op)->join_type) &&
                        !atomic_exchange(&global->flush_claimed, true);
    return local;
}

/* ---- build ---- */

int tn_join_sink(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                 const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)op;
    (void)global;
    (void)side;
    join_local *local = local_state;
    return tn_collection_append(&local->build, in, err);
}

int tn_join_combine(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                    tn_error *err)
{
    (void)exec;
    (void)op;
    join_global *global = global_state;
    join_local *local = local_state;
    pthread_mutex_lock(&global->lock);
    int status = tn_collection_merge(&global->build, &local->build, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* Chains the build rows by their key (hash join) or all in one chain. */
int tn_join_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    join_global *global = global_state;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_hash_join_data *data = join_data(op);
    int64_t rows = global->build.row_count;
    global->next = tn_arena_alloc(context->arena, sizeof(int64_t) * (size_t)(rows + 1));
    global->matched = tn_arena_zalloc(context->arena, (size_t)rows + 1);
    if (global->next == NULL || global->matched == NULL)
        return tn_error_oom(err);
    if (data->key_count == 0) {
        for (int64_t row = 0; row < rows; row++)
            global->next[row] = row + 1 < rows ? row + 1 : -1;
        global->all_head = rows > 0 ? 0 : -1;
        return 0;
    }
    int n = data->key_count;
    tn_type *key_types = tn_arena_alloc(context->arena, sizeof(tn_type) * (size_t)n);
    tn_expr_state **states = tn_arena_alloc(context->arena, sizeof(tn_expr_state *) * (size_t)n);
    tn_vector *keys = tn_arena_zalloc(context->arena, sizeof(tn_vector) * (size_t)n);
    tn_vector **key_ptrs = tn_arena_alloc(context->arena, sizeof(tn_vector *) * (size_t)n);
    uint64_t *hashes = tn_arena_alloc(context->arena, sizeof(uint64_t) * TN_VECTOR_SIZE);
    int64_t *entries = tn_arena_alloc(context->arena, sizeof(int64_t) * TN_VECTOR_SIZE);
    bool *is_new = tn_arena_alloc(context->arena, sizeof(bool) * TN_VECTOR_SIZE);
    if (key_types == NULL || states == NULL || keys == NULL || key_ptrs == NULL || hashes == NULL ||
        entries == NULL || is_new == NULL)
        return tn_error_oom(err);
    for (int k = 0; k < n; k++) {
        key_types[k] = data->right_keys[k]->type;
        states[k] = tn_expr_compile(context, data->right_keys[k], context->arena, err);
        if (states[k] == NULL || tn_vector_init(&keys[k], key_types[k], context->arena) != 0)
            return states[k] == NULL ? -1 : tn_error_oom(err);
        key_ptrs[k] = &keys[k];
    }
    global->table = tn_hash_table_create(context->arena, key_types, n, sizeof(int64_t) * 2, err);
    if (global->table == NULL)
        return -1;
    for (int c = 0; c < global->build.chunk_count; c++) {
        const tn_chunk *chunk = global->build.chunks[c];
        int64_t base = (int64_t)c * TN_VECTOR_SIZE;
        for (int k = 0; k < n; k++) {
            if (tn_expr_eval(states[k], chunk, &keys[k], err) != 0)
                return -1;
        }
        /* rows with a NULL key are left out: their chain is empty */
        uint32_t sel[TN_VECTOR_SIZE], count = 0;
        for (uint32_t row = 0; row < chunk->count; row++) {
            bool has_null = false;
            for (int k = 0; k < n && !has_null; k++)
                has_null = !tn_vector_is_valid(&keys[k], row);
            global->next[base + row] = -1;
            if (!has_null)
                sel[count++] = row;
        }
        for (int k = 0; k < n; k++) {
            if (tn_vector_flatten(&keys[k], chunk->count) != 0)
                return tn_error_oom(err);
            size_t size = tn_type_size(keys[k].type.id);
            for (uint32_t i = 0; i < count; i++)
                memmove((char *)keys[k].data + i * size, (char *)keys[k].data + sel[i] * size, size);
            for (uint32_t i = 0; i < count && keys[k].scales != NULL; i++)
                keys[k].scales[i] = keys[k].scales[sel[i]];
            keys[k].validity = NULL;
        }
        tn_hash_rows(key_ptrs, n, count, hashes);
        if (tn_hash_table_insert(global->table, key_ptrs, hashes, count, entries, is_new, err) != 0)
            return -1;
        /* payload = chain head and tail: appending keeps build order */
        for (uint32_t i = 0; i < count; i++) {
            int64_t *head = tn_hash_table_payload(global->table, entries[i]);
            int64_t row = base + sel[i];
            if (is_new[i]) {
                head[0] = row;
                head[1] = row; /* tail */
            } else {
                global->next[head[1]] = row;
                head[1] = row;
            }
        }
    }
    return 0;
}

/* ---- probe ---- */

/* Finds each input row's chain head (-1 for none, or a NULL key). */
static int find_heads(const tn_physical *op, join_global *global, join_local *local,
                      const tn_chunk *in, tn_error *err)
{
    const tn_hash_join_data *data = join_data(op);
    if (data->key_count == 0) {
        for (uint32_t row = 0; row < in->count; row++)
            local->heads[row] = global->all_head;
        return 0;
    }
    tn_vector *key_ptrs[16];
    tn_vector **ptrs = data->key_count <= 16 ? key_ptrs : NULL;
    if (ptrs == NULL)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "too many join keys");
    for (int k = 0; k < data->key_count; k++) {
        if (tn_expr_eval(local->key_states[k], in, &local->keys[k], err) != 0)
            return -1;
        ptrs[k] = &local->keys[k];
    }
    uint64_t hashes[TN_VECTOR_SIZE];
    tn_hash_rows(ptrs, data->key_count, in->count, hashes);
    tn_hash_table_find(global->table, ptrs, hashes, in->count, local->heads);
    for (uint32_t row = 0; row < in->count; row++) {
        bool has_null = false;
        for (int k = 0; k < data->key_count && !has_null; k++)
            has_null = !tn_vector_is_valid(&local->keys[k], row);
        if (has_null || local->heads[row] < 0)
            local->heads[row] = -1;
        else
            local->heads[row] = *(int64_t *)tn_hash_table_payload(global->table, local->heads[row]);
    }
    return 0;
}

/* Copies a value's bytes and validity (strings stay where they are). */
static int copy_cell(tn_vector *dst, uint32_t dst_row, const tn_vector *src, uint32_t src_row)
{
    if (tn_vector_copy_row(dst, dst_row, src, src_row) != 0)
        return -1;
    if (!tn_vector_is_valid(src, src_row))
        return tn_vector_set_null(dst, dst_row);
    return 0;
}

/* Builds the pairs chunk: left rows of in, right rows of the build side. */
static int fill_pairs(join_global *global, join_local *local, const tn_chunk *in, uint32_t count)
{
    tn_chunk *pairs = local->pairs;
    tn_chunk_reset(pairs);
    int left_width = in->column_count;
    for (int col = 0; col < left_width; col++) {
        for (uint32_t i = 0; i < count; i++) {
            if (copy_cell(&pairs->columns[col], i, &in->columns[col], local->left_rows[i]) != 0)
                return -1;
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        const tn_chunk *chunk;
        uint32_t offset;
        tn_collection_locate(&global->build, local->build_rows[i], &chunk, &offset);
        for (int col = 0; col < chunk->column_count; col++) {
            if (copy_cell(&pairs->columns[left_width + col], i, &chunk->columns[col], offset) != 0)
                return -1;
        }
    }
    pairs->count = count;
    return 0;
}

/* Collects up to a chunk of pairs from the rows' chains. */
static uint32_t next_pairs(join_global *global, join_local *local, const tn_chunk *in)
{
    uint32_t count = 0;
    while (local->next_row < in->count && count < TN_VECTOR_SIZE) {
        if (local->next_build < 0) {
            local->next_row++;
            if (local->next_row < in->count)
                local->next_build = local->heads[local->next_row];
            continue;
        }
        local->left_rows[count] = local->next_row;
        local->build_rows[count] = local->next_build;
        count++;
        local->next_build = global->next[local->next_build];
    }
    return count;
}

/* Emits the input rows that did (SEMI) or did not (ANTI, LEFT, FULL) match. */
static int emit_unmatched(const tn_physical *op, join_local *local, const tn_chunk *in, tn_chunk *out)
{
    tn_join_type type = join_data(op)->join_type;
    bool want_matched = type == TN_JOIN_SEMI;
    uint32_t count = 0;
    for (uint32_t row = 0; row < in->count; row++) {
        if ((local->left_matched[row] != 0) == want_matched)
            local->sel[count++] = row;
    }
    if (count == 0)
        return 0;
    for (int col = 0; col < in->column_count; col++) {
        for (uint32_t i = 0; i < count; i++) {
            if (copy_cell(&out->columns[col], i, &in->columns[col], local->sel[i]) != 0)
                return -1;
        }
    }
    for (int col = in->column_count; col < out->column_count; col++) {
        for (uint32_t i = 0; i < count; i++) {
            if (tn_vector_set_null(&out->columns[col], i) != 0)
                return -1;
        }
    }
    out->count = count;
    return 0;
}

int tn_join_execute(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                    const tn_chunk *in, tn_chunk *out, tn_error *err)
{
    (void)exec;
    join_global *global = global_state;
    join_local *local = local_state;
    tn_join_type type = join_data(op)->join_type;
    if (local->phase == PHASE_IDLE) {
        if (find_heads(op, global, local, in, err) != 0)
            return -1;
        memset(local->left_matched, 0, in->count);
        local->next_row = 0;
        local->next_build = local->heads[0];
        local->phase = PHASE_PAIRS;
    }
    if (local->phase == PHASE_UNMATCHED) {
        local->phase = PHASE_IDLE;
        return emit_unmatched(op, local, in, out) == 0 ? TN_OP_NEED_MORE : tn_error_oom(err);
    }
    uint32_t count = next_pairs(global, local, in);
    bool input_done = local->next_row >= in->count;
    if (count > 0) {
        if (fill_pairs(global, local, in, count) != 0)
            return tn_error_oom(err);
        int selected = (int)count;
        const uint32_t *sel = NULL;
        if (local->residual != NULL) {
            selected = tn_expr_select(local->residual, local->pairs, local->sel, err);
            if (selected < 0)
                return -1;
            sel = local->sel;
        }
        for (int i = 0; i < selected; i++) {
            uint32_t pair = sel != NULL ? sel[i] : (uint32_t)i;
            local->left_matched[local->left_rows[pair]] = 1;
            if (keeps_build_rows(type))
                global->matched[local->build_rows[pair]] = 1;
        }
        if (type != TN_JOIN_SEMI && type != TN_JOIN_ANTI && selected > 0 &&
            tn_chunk_gather(out, local->pairs, sel, (uint32_t)selected) != 0)
            return tn_error_oom(err);
    }
    if (!input_done)
        return TN_OP_HAVE_MORE;
    if (type == TN_JOIN_INNER || type == TN_JOIN_RIGHT) {
        local->phase = PHASE_IDLE;
        return TN_OP_NEED_MORE;
    }
    if (out->count > 0) {
        local->phase = PHASE_UNMATCHED;
        return TN_OP_HAVE_MORE;
    }
    local->phase = PHASE_IDLE;
    return emit_unmatched(op, local, in, out) == 0 ? TN_OP_NEED_MORE : tn_error_oom(err);
}

/* RIGHT and FULL: build rows nobody matched, with NULL left columns. */
int tn_join_flush(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                  tn_chunk *out, tn_error *err)
{
    (void)exec;
    join_global *global = global_state;
    join_local *local = local_state;
    if (!local->is_flusher)
        return TN_OP_NEED_MORE;
    int left_width = op->children[0]->column_count;
    uint32_t count = 0;
    while (local->flush_row < global->build.row_count && count < TN_VECTOR_SIZE) {
        int64_t row = local->flush_row++;
        if (global->matched[row])
            continue;
        const tn_chunk *chunk;
        uint32_t offset;
        tn_collection_locate(&global->build, row, &chunk, &offset);
        for (int col = 0; col < left_width; col++) {
            if (tn_vector_set_null(&out->columns[col], count) != 0)
                return tn_error_oom(err);
        }
        for (int col = 0; col < chunk->column_count; col++) {
            if (copy_cell(&out->columns[left_width + col], count, &chunk->columns[col], offset) != 0)
                return tn_error_oom(err);
        }
        count++;
    }
    out->count = count;
    return local->flush_row < global->build.row_count ? TN_OP_HAVE_MORE : TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_hash_join = {
    .name = "Hash Join",
    .shape = TN_SHAPE_PROBE,
    .init_global = tn_join_init_global,
    .init_local = tn_join_init_local,
    .execute = tn_join_execute,
    .flush = tn_join_flush,
    .sink = tn_join_sink,
    .combine = tn_join_combine,
    .finalize = tn_join_finalize,
};
