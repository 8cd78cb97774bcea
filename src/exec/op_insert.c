/*
 * INSERT: a sink that checks each chunk of new rows against the table's
 * NOT NULL columns (23502) and the node's CHECK constraints (23514, a NULL
 * result passes), in PostgreSQL's order, then appends it to the table's
 * writer inside the statement's catalog transaction.  finalize finishes
 * the files and counts the rows; the source yields nothing (the command
 * tag carries the count).  UPDATE shares the checks (op_update.c).
 */
#include "exec/operator.h"

#include <pthread.h>
#include <string.h>

#include "common/buffer.h"
#include "storage/table.h"
#include "types/format.h"

typedef struct insert_global {
    pthread_mutex_t lock;
    tn_table_writer *writer;   /* opened by the first chunk */
} insert_global;

typedef struct insert_local {
    tn_expr_state **checks;
    tn_vector result;
} insert_local;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

void *tn_dml_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    tn_exec_context *context = tn_exec_context_of(exec);
    if (context->txn == NULL) {
        tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "data modification without a transaction");
        return NULL;
    }
    insert_global *global = tn_arena_zalloc(context->arena, sizeof(insert_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(context->arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        tn_error_oom(err);
        return NULL;
    }
    return global;
}

void *tn_dml_init_checks(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                         tn_error *err)
{
    (void)global;
    (void)role;
    tn_exec_context *context = tn_exec_context_of(exec);
    const tn_logical *logical = op->logical;
    insert_local *local = tn_arena_zalloc(context->arena, sizeof(insert_local));
    if (local == NULL ||
        (local->checks = tn_arena_zalloc(context->arena, sizeof(tn_expr_state *) * (size_t)(logical->check_count + 1))) == NULL ||
        tn_vector_init(&local->result, tn_type_make(TN_TYPE_BOOL), context->arena) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    for (int i = 0; i < logical->check_count; i++) {
        local->checks[i] = tn_expr_compile(context, logical->checks[i], context->arena, err);
        if (local->checks[i] == NULL)
            return NULL;
    }
    return local;
}

/* DETAIL of a constraint error: "Failing row contains (1, null, x)." */
static void failing_row(tn_error *err, const tn_chunk *rows, int first_column, uint32_t row)
{
    tn_buf buf = TN_BUF_INIT;
    tn_timezone zone = tn_timezone_utc();
    tn_buf_append_str(&buf, "Failing row contains (");
    for (int col = first_column; col < rows->column_count; col++) {
        tn_value value;
        char text[TN_FORMAT_SIZE];
        size_t length;
        tn_vector_get_value(&rows->columns[col], row, &value);
        const char *shown = tn_format_value(&value, &zone, text, &length);
        if (col > first_column)
            tn_buf_append_str(&buf, ", ");
        if (shown == NULL)
            tn_buf_append_str(&buf, "null");
        else
            tn_buf_append(&buf, shown, length);
    }
    tn_buf_append_str(&buf, ").");
    if (buf.data != NULL)
        tn_error_detail(err, "%s", buf.data);
    tn_buf_free(&buf);
}

int tn_dml_check_rows(const tn_physical *op, void *local_state, const tn_chunk *rows, int first_column,
                      tn_error *err)
{
    insert_local *local = local_state;
    const tn_logical *logical = op->logical;
    const tn_table *table = logical->table;
    for (int col = 0; col < table->column_count; col++) {
        if (table->columns[col].is_nullable)
            continue;
        const tn_vector *v = &rows->columns[first_column + col];
        for (uint32_t row = 0; row < rows->count && v->validity != NULL; row++) {
            if (tn_vector_is_valid(v, row))
                continue;
            tn_error_set(err, TN_ERR_NOT_NULL_VIOLATION, 0,
                         "null value in column \"%s\" of relation \"%s\" violates not-null constraint",
                         table->columns[col].name, table->name);
            failing_row(err, rows, first_column, row);
            return -1;
        }
    }
    for (int i = 0; i < logical->check_count; i++) {
        if (tn_expr_eval(local->checks[i], rows, &local->result, err) != 0)
            return -1;
        const uint8_t *data = local->result.data;
        for (uint32_t row = 0; row < rows->count; row++) {
            uint32_t index = local->result.is_constant ? 0 : row;
            if (!tn_vector_is_valid(&local->result, row) || data[index])
                continue;
            tn_error_set(err, TN_ERR_CHECK_VIOLATION, 0,
                         "new row for relation \"%s\" violates check constraint \"%s\"", table->name,
                         logical->check_names[i]);
            failing_row(err, rows, first_column, row);
            return -1;
        }
    }
    return 0;
}

/* Appends rows (columns from first_column on, in table order). */
int tn_dml_write_rows(tn_exec *exec, const tn_physical *op, void *global_state, const tn_chunk *rows,
                      int first_column, tn_error *err)
{
    insert_global *global = global_state;
    tn_exec_context *context = tn_exec_context_of(exec);
    tn_chunk view = *rows;
    view.columns = rows->columns + first_column;
    view.column_count = rows->column_count - first_column;
    pthread_mutex_lock(&global->lock);
    int status = 0;
    if (global->writer == NULL) {
        global->writer = tn_table_writer_open(op->logical->table, context->txn, context->arena, err);
        status = global->writer != NULL ? 0 : -1;
    }
    if (status == 0)
        status = tn_table_writer_append(global->writer, &view, err);
    pthread_mutex_unlock(&global->lock);
    return status;
}

int tn_dml_finish_writes(tn_exec *exec, void *global_state, bool count_rows, tn_error *err)
{
    insert_global *global = global_state;
    if (global->writer == NULL)
        return 0;
    int64_t written = 0;
    if (tn_table_writer_finish(global->writer, &written, err) != 0)
        return -1;
    if (count_rows)
        tn_exec_add_rows_affected(exec, written);
    return 0;
}

int tn_dml_no_rows(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_chunk *out,
                   tn_error *err)
{
    (void)exec;
    (void)op;
    (void)global;
    (void)local;
    (void)out;
    (void)err;
    return 0;
}

static int insert_sink(tn_exec *exec, const tn_physical *op, void *global, void *local,
                       const tn_chunk *in, int side, tn_error *err)
{
    (void)side;
    if (tn_dml_check_rows(op, local, in, 0, err) != 0)
        return -1;
    return tn_dml_write_rows(exec, op, global, in, 0, err);
}

static int insert_finalize(tn_exec *exec, const tn_physical *op, void *global, tn_error *err)
{
    (void)op;
    return tn_dml_finish_writes(exec, global, true, err);
}

const tn_physical_ops tn_op_insert = {
    .name = "Insert",
    .shape = TN_SHAPE_BREAKER,
    .init_global = tn_dml_init_global,
    .init_local = tn_dml_init_checks,
    .get_chunk = tn_dml_no_rows,
    .sink = insert_sink,
    .finalize = insert_finalize,
};
