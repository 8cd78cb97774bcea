/*
 * UPDATE = delete the old rows and insert the new ones, in the same
 * transaction.  The input carries the row id in column 0 and then the new
 * row in table column order; the new rows pass the NOT NULL and CHECK
 * tests of INSERT (op_insert.c) before being written, and the ids are
 * deleted at the end (op_delete.c).  Rows affected = rows deleted.
 */
#include "exec/operator.h"

typedef struct update_global {
    void *writes;       /* the INSERT machinery's global state */
    tn_row_ids *ids;
} update_global;

static void *update_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    update_global *global = tn_arena_zalloc(arena, sizeof(update_global));
    if (global == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    global->writes = tn_dml_init_global(exec, op, err);
    if (global->writes == NULL)
        return NULL;
    global->ids = tn_row_ids_create(arena, err);
    return global->ids != NULL ? global : NULL;
}

static int update_sink(tn_exec *exec, const tn_physical *op, void *global_state, void *local,
                       const tn_chunk *in, int side, tn_error *err)
{
    (void)side;
    update_global *global = global_state;
    if (tn_dml_check_rows(op, local, in, 1, err) != 0 ||
        tn_row_ids_add(global->ids, &in->columns[0], in->count, err) != 0)
        return -1;
    return tn_dml_write_rows(exec, op, global->writes, in, 1, err);
}

static int update_finalize(tn_exec *exec, const tn_physical *op, void *global_state, tn_error *err)
{
    update_global *global = global_state;
    if (tn_dml_finish_writes(exec, global->writes, false, err) != 0)
        return -1;
    return tn_row_ids_delete(exec, op, global->ids, err);
}

const tn_physical_ops tn_op_update = {
    .name = "Update",
    .shape = TN_SHAPE_BREAKER,
    .init_global = update_init_global,
    .init_local = tn_dml_init_checks,
    .get_chunk = tn_dml_no_rows,
    .sink = update_sink,
    .finalize = update_finalize,
};
