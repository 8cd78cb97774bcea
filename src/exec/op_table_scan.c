/*
 * Table scan: the source of a GET.  The table's morsels (one row group of
 * one live data file each, storage/table.h) are listed once; each thread
 * claims the next morsel with an atomic counter and reads it a chunk at a
 * time.  A morsel's reader lives in an arena reset when the thread moves
 * to the next one, so a long scan holds one row group's buffers at a time.
 * The GET's pushed-down filters run right here, so rows they reject never
 * enter the pipeline.
 */
#include "exec/operator.h"

#include <stdatomic.h>

#include "storage/table.h"

typedef struct scan_global {
    tn_table_morsel **morsels;
    int morsel_count;
    atomic_int next_morsel;
} scan_global;

typedef struct scan_local {
    tn_table_scan *scan;          /* current morsel's reader, or NULL */
    tn_arena *morsel_arena;       /* owns scan */
    tn_expr_state **filters;
    uint32_t sel[TN_VECTOR_SIZE];
} scan_local;

static void *scan_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    scan_global *global = tn_arena_zalloc(arena, sizeof(scan_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_table_morsels(op->logical->table, arena, &global->morsels, &global->morsel_count, err) != 0)
        return NULL;
    atomic_init(&global->next_morsel, 0);
    return global;
}

static void *scan_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                             tn_error *err)
{
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    scan_local *local = tn_arena_zalloc(context->arena, sizeof(scan_local));
    if (local == NULL ||
        (local->filters = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(logical->filter_count + 1))) == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int i = 0; i < logical->filter_count; i++) {
        local->filters[i] = tn_expr_compile(context, logical->filters[i], context->arena, err);
        if (local->filters[i] == NULL)
            return NULL;
    }
    local->morsel_arena = tn_arena_create();
    if (local->morsel_arena == NULL ||
        tn_arena_on_cleanup(context->arena, (void (*)(void *))tn_arena_destroy, local->morsel_arena) != 0) {
        tn_arena_destroy(local->morsel_arena);
        tn_error_oom(err);
        return NULL;
    }
    return local;
}

/* Applies the pushed-down filters to out in place. */
static int apply_filters(const tn_logical *logical, scan_local *local, tn_chunk *out, tn_error *err)
{
    for (int i = 0; i < logical->filter_count && out->count > 0; i++) {
        int selected = tn_expr_select(local->filters[i], out, local->sel, err);
        if (selected < 0)
            return -1;
        if ((uint32_t)selected < out->count)
            tn_chunk_select(out, local->sel, (uint32_t)selected);
    }
    return 0;
}

static int scan_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                          tn_chunk *out, tn_error *err)
{
    (void)exec;
    scan_global *global = global_state;
    scan_local *local = local_state;
    const tn_logical *logical = op->logical;
    for (;;) {
        if (local->scan == NULL) {
            int index = atomic_fetch_add(&global->next_morsel, 1);
            if (index >= global->morsel_count)
                return 0;
            tn_arena_reset(local->morsel_arena);
            local->scan = tn_table_scan_open(logical->table, global->morsels[index], logical->columns,
                                             logical->column_count, local->morsel_arena, err);
            if (local->scan == NULL)
                return -1;
        }
        int rows = tn_table_scan_next(local->scan, out, err);
        if (rows < 0)
            return -1;
        if (rows == 0) {
            local->scan = NULL;
            continue;
        }
        if (apply_filters(logical, local, out, err) != 0)
            return -1;
        if (out->count > 0)
            return 1;
    }
}

const tn_physical_ops tn_op_table_scan = {
    .name = "Seq Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = scan_init_global,
    .init_local = scan_init_local,
    .get_chunk = scan_get_chunk,
};
