/*
 * Hash aggregation, grouped and ungrouped: a sink that folds its input
 * into per-group aggregate states, and a source that emits one row per
 * group (group columns, then aggregate results).  With no GROUP BY the
 * group key is empty, so every row lands in one group, and finalize makes
 * that group exist even for empty input (one output row, count 0).
 *
 * Each thread aggregates into its own table and combine merges it into
 * the global one.  DISTINCT aggregates and string_agg (whose partial
 * results cannot be joined without knowing the separator or seeing every
 * value) aggregate into the global table directly under its lock.
 * DISTINCT is a second hash table per aggregate keyed on (group, values):
 * only a row whose pair is new reaches the aggregate's update.
 *
 * GROUPING SETS / ROLLUP / CUBE: every row is folded once per set into the
 * same table, keyed on (set number, groups) with the groups the set leaves
 * out NULL — the set number keeps duplicate sets and a set's NULL apart
 * from another's.  The output's last column turns the set number into the
 * grouping id (bit i set = group i absent) that GROUPING(...) reads.
 */
#include "exec/operator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

typedef struct agg_table {
    tn_hash_table *groups;     /* group keys -> states (payload) */
    tn_hash_table **distinct;  /* per aggregate: (group, args) seen, or NULL */
} agg_table;

typedef struct agg_global {
    pthread_mutex_t lock;
    agg_table table;
    size_t *offsets;           /* per aggregate: state offset in the payload */
    size_t payload_size;
    bool shared_only;          /* sinks write the global table (DISTINCT, string_agg) */
    atomic_llong next_entry;   /* source cursor */
} agg_global;

typedef struct agg_local {
    agg_table own;
    agg_table *table;          /* own, or the global one when shared_only */
    tn_expr_state **group_states;
    tn_vector *group_keys;
    tn_vector **group_ptrs;
    tn_vector set_key;             /* grouping sets: the set number (constant while folding) */
    tn_vector *null_keys;          /* grouping sets: per group, a constant NULL */
    tn_vector **key_ptrs;          /* grouping sets: the table's keys for one set */
    tn_expr_state ***arg_states;   /* [aggregate][arg] */
    tn_vector **arg_vectors;       /* [aggregate] -> arg_count vectors */
    tn_expr_state **filter_states; /* [aggregate] or NULL */
    tn_vector filter_result;
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    bool is_new[TN_VECTOR_SIZE];
    char *states[TN_VECTOR_SIZE];
    uint8_t mask[TN_VECTOR_SIZE];
    int64_t distinct_entries[TN_VECTOR_SIZE];
    tn_arena *heap;            /* per-batch vectors' strings */
} agg_local;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

/* The hash key: the groups, after the set number with grouping sets. */
static int key_count(const tn_logical *logical)
{
    return logical->group_count + (logical->grouping_set_count > 0);
}

static int make_table(tn_arena *arena, const tn_logical *logical, size_t payload_size,
                      agg_table *table, tn_error *err)
{
    int first = logical->grouping_set_count > 0;
    tn_type *types = tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(key_count(logical) + 1));
    table->distinct = tn_arena_zalloc(arena, sizeof(tn_hash_table *) * (size_t)(logical->aggregate_count + 1));
    if (types == NULL || table->distinct == NULL)
        return tn_error_oom(err);
    types[0] = tn_type_make(TN_TYPE_INT64);
    for (int g = 0; g < logical->group_count; g++)
        types[first + g] = logical->groups[g]->type;
    table->groups = tn_hash_table_create(arena, types, key_count(logical), payload_size, err);
    if (table->groups == NULL)
        return -1;
    for (int a = 0; a < logical->aggregate_count; a++) {
        const tn_bound_aggregate *aggregate = logical->aggregates[a];
        if (!aggregate->is_distinct)
            continue;
        tn_type key_types[3] = {tn_type_make(TN_TYPE_INT64)};
        for (int k = 0; k < aggregate->arg_count && k < 2; k++)
            key_types[k + 1] = aggregate->args[k]->type;
        table->distinct[a] = tn_hash_table_create(arena, key_types, aggregate->arg_count + 1, 0, err);
        if (table->distinct[a] == NULL)
            return -1;
    }
    return 0;
}

static void *agg_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_logical *logical = op->logical;
    agg_global *global = tn_arena_zalloc(arena, sizeof(agg_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0)
        goto oom;
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        goto oom;
    }
    global->offsets = tn_arena_alloc(arena, sizeof(size_t) * (size_t)(logical->aggregate_count + 1));
    if (global->offsets == NULL)
        goto oom;
    for (int a = 0; a < logical->aggregate_count; a++) {
        const tn_bound_aggregate *aggregate = logical->aggregates[a];
        global->offsets[a] = global->payload_size;
        global->payload_size += (aggregate->function->state_size + 15) & ~(size_t)15;
        global->shared_only |= aggregate->is_distinct || strcmp(aggregate->function->name, "string_agg") == 0;
    }
    atomic_init(&global->next_entry, 0);
    if (make_table(arena, logical, global->payload_size, &global->table, err) != 0)
        return NULL;
    return global;
oom:
    tn_error_oom(err);
    return NULL;
}

static tn_vector *new_vectors(tn_arena *arena, tn_arena *heap, int count, tn_type (*type_of)(const tn_logical *, int, int),
                              const tn_logical *logical, int which)
{
    tn_vector *vectors = tn_arena_zalloc(arena, sizeof(tn_vector) * (size_t)(count + 1));
    if (vectors == NULL)
        return NULL;
    for (int i = 0; i < count; i++) {
        if (tn_vector_init(&vectors[i], type_of(logical, which, i), arena) != 0)
            return NULL;
        vectors[i].arena = heap;
    }
    return vectors;
}

static tn_type group_type(const tn_logical *logical, int which, int index)
{
    (void)which;
    return logical->groups[index]->type;
}

static tn_type arg_type(const tn_logical *logical, int which, int index)
{
    return logical->aggregates[which]->args[index]->type;
}

static int compile_aggregates(tn_exec_context *context, const tn_logical *logical, agg_local *local,
                              tn_error *err)
{
    int n = logical->aggregate_count;
    local->arg_states = tn_arena_zalloc(context->arena, sizeof(tn_expr_state **) * (size_t)(n + 1));
    local->arg_vectors = tn_arena_zalloc(context->arena, sizeof(tn_vector *) * (size_t)(n + 1));
    local->filter_states = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(n + 1));
    if (local->arg_states == NULL || local->arg_vectors == NULL || local->filter_states == NULL)
        return tn_error_oom(err);
    for (int a = 0; a < n; a++) {
        const tn_bound_aggregate *aggregate = logical->aggregates[a];
        local->arg_states[a] = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(aggregate->arg_count + 1));
        local->arg_vectors[a] = new_vectors(context->arena, local->heap, aggregate->arg_count, arg_type, logical, a);
        if (local->arg_states[a] == NULL || local->arg_vectors[a] == NULL)
            return tn_error_oom(err);
        for (int k = 0; k < aggregate->arg_count; k++) {
            local->arg_states[a][k] = tn_expr_compile(context, aggregate->args[k], context->arena, err);
            if (local->arg_states[a][k] == NULL)
                return -1;
        }
        if (aggregate->filter != NULL) {
            local->filter_states[a] = tn_expr_compile(context, aggregate->filter, context->arena, err);
            if (local->filter_states[a] == NULL)
                return -1;
        }
    }
    if (tn_vector_init(&local->filter_result, tn_type_make(TN_TYPE_BOOL), context->arena) != 0)
        return tn_error_oom(err);
    local->filter_result.arena = local->heap;
    return 0;
}

/* A constant NULL of type, for a group a set leaves out. */
static int init_null(tn_vector *v, tn_type type, tn_arena *arena)
{
    if (tn_vector_init(v, type, arena) != 0 ||
        !(v->validity = tn_arena_zalloc(arena, sizeof(uint64_t) * TN_VALIDITY_WORDS)))
        return -1;
    v->is_constant = true;
    return 0;
}

static int make_set_keys(tn_arena *arena, const tn_logical *logical, agg_local *local, tn_error *err)
{
    int g = logical->group_count;
    local->null_keys = tn_arena_zalloc(arena, sizeof(tn_vector) * (size_t)(g + 1));
    local->key_ptrs = tn_arena_zalloc(arena, sizeof(tn_vector *) * (size_t)(g + 2));
    if (local->null_keys == NULL || local->key_ptrs == NULL ||
        tn_vector_init(&local->set_key, tn_type_make(TN_TYPE_INT64), arena) != 0)
        return tn_error_oom(err);
    for (int i = 0; i < g; i++)
        if (init_null(&local->null_keys[i], logical->groups[i]->type, arena) != 0)
            return tn_error_oom(err);
    return 0;
}

/* The table's keys for rows folded into set (groups already evaluated). */
static tn_vector **set_keys(const tn_logical *logical, agg_local *local, int set)
{
    if (logical->grouping_set_count == 0)
        return local->group_ptrs;
    local->set_key.is_constant = true;
    local->set_key.validity = NULL;
    ((int64_t *)local->set_key.data)[0] = set;
    local->key_ptrs[0] = &local->set_key;
    for (int g = 0; g < logical->group_count; g++)
        local->key_ptrs[1 + g] = (logical->grouping_sets[set] >> g) & 1 ? &local->group_keys[g] : &local->null_keys[g];
    return local->key_ptrs;
}

static void *agg_init_local(tn_exec *exec, const tn_physical *op, void *global_state, tn_op_role role,
                            tn_error *err)
{
    agg_global *global = global_state;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    agg_local *local = tn_arena_zalloc(context->arena, sizeof(agg_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (role == TN_ROLE_SOURCE)
        return local;
    local->heap = tn_arena_create();
    if (local->heap == NULL ||
        tn_arena_on_cleanup(context->arena, (void (*)(void *))tn_arena_destroy, local->heap) != 0) {
        tn_arena_destroy(local->heap);
        tn_error_oom(err);
        return NULL;
    }
    local->table = &global->table;
    if (!global->shared_only) {
        if (make_table(context->arena, logical, global->payload_size, &local->own, err) != 0)
            return NULL;
        local->table = &local->own;
    }
    int g = logical->group_count;
    local->group_states = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(g + 1));
    local->group_keys = new_vectors(context->arena, local->heap, g, group_type, logical, 0);
    local->group_ptrs = tn_arena_zalloc(context->arena, sizeof(tn_vector *) * (size_t)(g + 1));
    if (local->group_states == NULL || local->group_keys == NULL || local->group_ptrs == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int i = 0; i < g; i++) {
        local->group_states[i] = tn_expr_compile(context, logical->groups[i], context->arena, err);
        if (local->group_states[i] == NULL)
            return NULL;
        local->group_ptrs[i] = &local->group_keys[i];
    }
    if (logical->grouping_set_count > 0 && make_set_keys(context->arena, logical, local, err) != 0)
        return NULL;
    return compile_aggregates(context, logical, local, err) == 0 ? local : NULL;
}

/* mask[row] = 1 when aggregate a counts row: FILTER true and, for
 * DISTINCT, the (group, values) pair new.  Returns the mask or NULL when
 * every row counts. */
static const uint8_t *row_mask(agg_local *local, const tn_bound_aggregate *aggregate, int a,
                               const tn_chunk *in, tn_error *err, int *status)
{
    *status = 0;
    bool any = false;
    if (local->filter_states[a] != NULL) {
        any = true;
        if (tn_expr_eval(local->filter_states[a], in, &local->filter_result, err) != 0) {
            *status = -1;
            return NULL;
        }
        const uint8_t *data = local->filter_result.data;
        bool constant = local->filter_result.is_constant;
        for (uint32_t row = 0; row < in->count; row++)
            local->mask[row] = tn_vector_is_valid(&local->filter_result, row) && data[constant ? 0 : row];
    }
    if (aggregate->is_distinct) {
        tn_vector group;
        memset(&group, 0, sizeof group);
        group.type = tn_type_make(TN_TYPE_INT64);
        group.data = local->entries;
        tn_vector *keys[3] = {&group, &local->arg_vectors[a][0], aggregate->arg_count > 1 ? &local->arg_vectors[a][1] : NULL};
        uint64_t hashes[TN_VECTOR_SIZE];
        tn_hash_rows(keys, aggregate->arg_count + 1, in->count, hashes);
        if (tn_hash_table_insert(local->table->distinct[a], keys, hashes, in->count,
                                 local->distinct_entries, local->is_new, err) != 0) {
            *status = -1;
            return NULL;
        }
        for (uint32_t row = 0; row < in->count; row++)
            local->mask[row] = (any ? local->mask[row] : 1) && local->is_new[row];
        any = true;
    }
    return any ? local->mask : NULL;
}

static int fold_batch(tn_exec *exec, const tn_physical *op, agg_global *global, agg_local *local,
                      const tn_chunk *in, tn_error *err)
{
    const tn_logical *logical = op->logical;
    tn_arena *state_arena = tn_exec_context_of(exec)->arena;
    tn_arena_reset(local->heap);
    for (int g = 0; g < logical->group_count; g++) {
        if (tn_expr_eval(local->group_states[g], in, &local->group_keys[g], err) != 0)
            return -1;
    }
    /* arguments once per row, however many sets the row is folded into */
    tn_vector ***args = tn_arena_alloc(local->heap, sizeof(tn_vector **) * (size_t)(logical->aggregate_count + 1));
    if (args == NULL)
        return tn_error_oom(err);
    for (int a = 0; a < logical->aggregate_count; a++) {
        const tn_bound_aggregate *aggregate = logical->aggregates[a];
        /* ordered aggregates (aggregate_ordered.c) carry their sort keys as extra arguments */
        args[a] = tn_arena_alloc(local->heap, sizeof(tn_vector *) * (size_t)(aggregate->arg_count + 1));
        if (args[a] == NULL)
            return tn_error_oom(err);
        for (int k = 0; k < aggregate->arg_count; k++) {
            if (tn_expr_eval(local->arg_states[a][k], in, &local->arg_vectors[a][k], err) != 0)
                return -1;
            args[a][k] = &local->arg_vectors[a][k];
        }
    }
    int sets = logical->grouping_set_count > 0 ? logical->grouping_set_count : 1;
    for (int set = 0; set < sets; set++) {
        tn_vector **keys = set_keys(logical, local, set);
        tn_hash_rows(keys, key_count(logical), in->count, local->hashes);
        if (tn_hash_table_insert(local->table->groups, keys, local->hashes, in->count, local->entries, NULL, err) != 0)
            return -1;
        for (uint32_t row = 0; row < in->count; row++)
            local->states[row] = tn_hash_table_payload(local->table->groups, local->entries[row]);
        for (int a = 0; a < logical->aggregate_count; a++) {
            const tn_bound_aggregate *aggregate = logical->aggregates[a];
            int status;
            const uint8_t *mask = row_mask(local, aggregate, a, in, err, &status);
            if (status != 0)
                return -1;
            if (aggregate->function->update(aggregate, local->states, global->offsets[a], args[a], in->count,
                                            mask, state_arena, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int agg_sink(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                    const tn_chunk *in, int side, tn_error *err)
{
    (void)side;
    agg_global *global = global_state;
    agg_local *local = local_state;
    if (!global->shared_only)
        return fold_batch(exec, op, global, local, in, err);
    pthread_mutex_lock(&global->lock);
    int status = fold_batch(exec, op, global, local, in, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* Merges a thread's groups into the global table, a batch of keys at a time. */
static int merge_groups(tn_exec *exec, const tn_physical *op, agg_global *global, agg_local *local,
                        tn_error *err)
{
    const tn_logical *logical = op->logical;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    int64_t total = tn_hash_table_count(local->own.groups);
    tn_vector **keys = local->group_ptrs;
    if (logical->grouping_set_count > 0) {
        /* the keys as stored: set number, then every group */
        keys = local->key_ptrs;
        keys[0] = &local->set_key;
        for (int g = 0; g < logical->group_count; g++)
            keys[1 + g] = &local->group_keys[g];
    }
    for (int64_t first = 0; first < total; first += TN_VECTOR_SIZE) {
        uint32_t count = (uint32_t)(total - first < TN_VECTOR_SIZE ? total - first : TN_VECTOR_SIZE);
        tn_arena_reset(local->heap);
        for (int k = 0; k < key_count(logical); k++) {
            keys[k]->validity = NULL;
            keys[k]->scales = NULL;
            keys[k]->is_constant = false;
        }
        if (tn_hash_table_keys(local->own.groups, first, count, keys, err) != 0)
            return -1;
        tn_hash_rows(keys, key_count(logical), count, local->hashes);
        if (tn_hash_table_insert(global->table.groups, keys, local->hashes, count,
                                 local->entries, NULL, err) != 0)
            return -1;
        for (uint32_t i = 0; i < count; i++) {
            char *target = tn_hash_table_payload(global->table.groups, local->entries[i]);
            const char *source = tn_hash_table_payload(local->own.groups, first + i);
            for (int a = 0; a < logical->aggregate_count; a++) {
                const tn_bound_aggregate *aggregate = logical->aggregates[a];
                size_t offset = global->offsets[a];
                if (aggregate->function->combine(aggregate, target + offset, source + offset, arena, err) != 0)
                    return -1;
            }
        }
    }
    return 0;
}

static int agg_combine(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                       tn_error *err)
{
    agg_global *global = global_state;
    agg_local *local = local_state;
    if (global->shared_only)
        return 0;
    pthread_mutex_lock(&global->lock);
    int status = merge_groups(exec, op, global, local, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

/* Each empty grouping set () yields its row even when no input arrived. */
static int add_empty_sets(tn_exec *exec, const tn_logical *logical, agg_global *global, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    agg_local *keys = tn_arena_zalloc(arena, sizeof(agg_local));
    if (keys == NULL)
        return tn_error_oom(err);
    if (make_set_keys(arena, logical, keys, err) != 0)
        return -1;
    for (int set = 0; set < logical->grouping_set_count; set++) {
        if (logical->grouping_sets[set] != 0)
            continue;
        uint64_t hash;
        int64_t entry;
        tn_vector **row = set_keys(logical, keys, set);
        tn_hash_rows(row, key_count(logical), 1, &hash);
        if (tn_hash_table_insert(global->table.groups, row, &hash, 1, &entry, NULL, err) != 0)
            return -1;
    }
    return 0;
}

/* Without GROUP BY there is one row even when no input arrived. */
static int agg_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    agg_global *global = global_state;
    if (op->logical->grouping_set_count > 0)
        return add_empty_sets(exec, op->logical, global, err);
    if (op->logical->group_count > 0 || tn_hash_table_count(global->table.groups) > 0)
        return 0;
    uint64_t hash;
    int64_t entry;
    tn_hash_rows(NULL, 0, 1, &hash);
    return tn_hash_table_insert(global->table.groups, NULL, &hash, 1, &entry, NULL, err);
}

static int agg_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local,
                         tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)local;
    agg_global *global = global_state;
    const tn_logical *logical = op->logical;
    int64_t total = tn_hash_table_count(global->table.groups);
    int64_t first = atomic_fetch_add(&global->next_entry, TN_VECTOR_SIZE);
    if (first >= total)
        return 0;
    uint32_t count = (uint32_t)(total - first < TN_VECTOR_SIZE ? total - first : TN_VECTOR_SIZE);
    tn_vector *keys[65];
    if (logical->group_count > 64)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "too many grouping columns");
    int sets = logical->grouping_set_count > 0;
    tn_vector *grouping_id = &out->columns[logical->group_count + logical->aggregate_count];
    if (sets)
        keys[0] = grouping_id;
    for (int g = 0; g < logical->group_count; g++)
        keys[sets + g] = &out->columns[g];
    if (tn_hash_table_keys(global->table.groups, first, count, keys, err) != 0)
        return -1;
    if (sets) {
        /* set number -> the groups it leaves out */
        int64_t *ids = grouping_id->data;
        uint64_t all = logical->group_count == 64 ? UINT64_MAX : (UINT64_C(1) << logical->group_count) - 1;
        for (uint32_t i = 0; i < count; i++)
            ids[i] = (int64_t)(~logical->grouping_sets[ids[i]] & all);
    }
    for (int a = 0; a < logical->aggregate_count; a++) {
        const tn_bound_aggregate *aggregate = logical->aggregates[a];
        tn_vector *column = &out->columns[logical->group_count + a];
        for (uint32_t i = 0; i < count; i++) {
            const char *state = tn_hash_table_payload(global->table.groups, first + i);
            if (aggregate->function->finalize(aggregate, state + global->offsets[a], column, i, err) != 0)
                return -1;
        }
    }
    out->count = count;
    return first + count < total ? 1 : 0;
}

const tn_physical_ops tn_op_hash_aggregate = {
    .name = "HashAggregate",
    .shape = TN_SHAPE_BREAKER,
    .init_global = agg_init_global,
    .init_local = agg_init_local,
    .get_chunk = agg_get_chunk,
    .sink = agg_sink,
    .combine = agg_combine,
    .finalize = agg_finalize,
};
