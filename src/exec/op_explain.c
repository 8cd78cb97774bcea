/*
 * EXPLAIN and EXPLAIN ANALYZE: one text row per line of the plan.  Plain
 * EXPLAIN prints the logical plan (sql/logical.h's renderer) without
 * running anything; EXPLAIN ANALYZE runs the plan into a sink that drops
 * its rows and then prints the physical operators with the rows each
 * produced and the time spent in it.
 */
#include "exec/operator.h"

#include <stdatomic.h>
#include <string.h>

typedef struct explain_global {
    atomic_bool claimed;
} explain_global;

typedef struct explain_local {
    const char *text;      /* lines still to emit, or NULL */
    bool is_owner;
} explain_local;

static void *explain_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    explain_global *global = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(explain_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    atomic_init(&global->claimed, false);
    return global;
}

static void *explain_init_local(tn_exec *exec, const tn_physical *op, void *global_state,
                                tn_op_role role, tn_error *err)
{
    (void)op;
    explain_global *global = global_state;
    explain_local *local = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(explain_local));
    if (local == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (role == TN_ROLE_SOURCE)
        local->is_owner = !atomic_exchange(&global->claimed, true);
    return local;
}

static int explain_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local_state,
                             tn_chunk *out, tn_error *err)
{
    (void)global;
    explain_local *local = local_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    if (!local->is_owner)
        return 0;
    if (local->text == NULL) {
        local->text = op->logical->is_analyze ? tn_exec_profile_text(exec, op->children[0], arena)
                                              : tn_logical_to_string(arena, op->logical->children[0]);
        if (local->text == NULL)
            return tn_error_oom(err);
    }
    uint32_t row = 0;
    while (*local->text != '\0' && row < TN_VECTOR_SIZE) {
        const char *end = strchr(local->text, '\n');
        size_t length = end != NULL ? (size_t)(end - local->text) : strlen(local->text);
        if (tn_vector_set_string(&out->columns[0], row++, local->text, (uint32_t)length) != 0)
            return tn_error_oom(err);
        local->text += length + (end != NULL);
    }
    out->count = row;
    return *local->text != '\0' ? 1 : 0;
}

static int explain_sink(tn_exec *exec, const tn_physical *op, void *global, void *local,
                        const tn_chunk *in, int side, tn_error *err)
{
    (void)exec;
    (void)op;
    (void)global;
    (void)local;
    (void)in;
    (void)side;
    (void)err;
    return 0;
}

const tn_physical_ops tn_op_explain = {
    .name = "Explain",
    .shape = TN_SHAPE_LEAF,
    .init_global = explain_init_global,
    .init_local = explain_init_local,
    .get_chunk = explain_get_chunk,
};

const tn_physical_ops tn_op_explain_analyze = {
    .name = "Explain Analyze",
    .shape = TN_SHAPE_BREAKER,
    .init_global = explain_init_global,
    .init_local = explain_init_local,
    .get_chunk = explain_get_chunk,
    .sink = explain_sink,
};
