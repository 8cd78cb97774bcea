/*
 * Committing a write transaction, in one store write transaction:
 *   1. BEGIN IMMEDIATE: the write lock first, so nothing read below can
 *      change before COMMIT (a busy lock past the timeout is 40001);
 *   2. read the latest snapshot S and check the changes of snapshots
 *      base+1..S against this transaction's (catalog_conflict.c);
 *   3. apply the operations as snapshot S+1: real ids from next_catalog_id
 *      and next_file_id, row_id_start from table_stats.next_row_id, closed
 *      rows get end_snapshot = S+1, statistics are kept current;
 *   4. check that no live view reads a table or view that is gone (a view
 *      made over what a concurrent transaction dropped, or the reverse);
 *   5. insert the snapshot and its changes row, COMMIT.
 * Any failure rolls everything back: the lake stays at S.  The primary key
 * on snapshot_id still guards against a writer that bypassed the lock.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

typedef struct commit_state {
    tn_catalog *catalog;
    tn_catalog_txn *txn;
    int64_t snapshot;        /* the snapshot being made */
    int64_t next_catalog_id; /* schema and table ids */
    int64_t next_file_id;    /* data and delete file ids */
    int64_t *real_ids;       /* real id of local id -(i + 1) */
    tn_catalog_change *changes;
    int change_count;
    int change_capacity;
    bool is_ddl;
} commit_state;

static int64_t resolve(const commit_state *state, int64_t id);
static int add_change(commit_state *state, tn_catalog_change_kind kind, int64_t id,
                      const char *name, const char *table_name, int64_t schema_id, tn_error *err);
static int own_changes(commit_state *state, tn_error *err);
static int apply_op(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int apply_create_schema(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int apply_create_table(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int apply_drop_table(commit_state *state, int64_t table_id, tn_error *err);
static int apply_add_data_file(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int apply_set_delete_file(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int apply_remove_data_file(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int insert_constraints(commit_state *state, int64_t table_id, const tn_catalog_table *def,
                              tn_error *err);
static int apply_view(commit_state *state, const tn_catalog_op *op, tn_error *err);
static int close_view_rows(commit_state *state, int64_t view_id, tn_error *err);
static int insert_view(commit_state *state, const tn_catalog_op *op, int64_t view_id,
                       const char *uuid, int64_t schema_id, tn_error *err);
static int check_dependencies(commit_state *state, tn_error *err);
static const char *relative_path(commit_state *state, int64_t table_id, const char *path,
                                 tn_error *err);
static int merge_column_stats(commit_state *state, int64_t table_id,
                              const tn_catalog_data_file *file, tn_error *err);
static int merge_bound(tn_type type, const char *current, const char *value, bool want_max,
                       const char **out);
static int compare_bounds(tn_type type, const char *a, const char *b, int *result);
static int compare_decimal(const char *a, const char *b, int *result);
static int finish_snapshot(commit_state *state, const char *operation, int64_t latest,
                           int64_t schema_version, tn_error *err);

static int64_t resolve(const commit_state *state, int64_t id)
{
    return id >= 0 ? id : state->real_ids[-id - 1];
}

/* Adds a change unless the list already has it. */
static int add_change(commit_state *state, tn_catalog_change_kind kind, int64_t id,
                      const char *name, const char *table_name, int64_t schema_id, tn_error *err)
{
    for (int change_idx = 0; change_idx < state->change_count; change_idx++) {
        const tn_catalog_change *change = &state->changes[change_idx];
        if (change->kind == kind && change->id == id && change->schema_id == schema_id &&
            (change->name == name || (change->name && name && strcmp(change->name, name) == 0)) &&
            (change->table_name == table_name ||
             (change->table_name && table_name && strcmp(change->table_name, table_name) == 0)))
            return 0;
    }
    if (tn_catalog_array_grow(state->txn->arena, (void **)&state->changes, &state->change_capacity,
                              state->change_count, sizeof *state->changes, err) < 0)
        return -1;
    state->changes[state->change_count++] =
        (tn_catalog_change){kind, id, name, table_name, schema_id};
    return 0;
}

/* This transaction's changes in base-snapshot ids, for the conflict check. */
static int own_changes(commit_state *state, tn_error *err)
{
    for (const tn_catalog_op *op = state->txn->first; op != NULL; op = op->next) {
        int result = 0;
        switch (op->kind) {
        case TN_OP_CREATE_SCHEMA:
            result = add_change(state, TN_CHANGE_CREATED_SCHEMA, 0, op->schema_name, NULL, -1, err);
            break;
        case TN_OP_DROP_SCHEMA:
            result = add_change(state, TN_CHANGE_DROPPED_SCHEMA, op->schema_id, op->schema_name,
                                NULL, -1, err);
            break;
        case TN_OP_CREATE_TABLE:
            result = add_change(state, TN_CHANGE_CREATED_TABLE, 0, op->schema_name, op->table.name,
                                op->schema_id, err);
            break;
        case TN_OP_DROP_TABLE:
            result = add_change(state, TN_CHANGE_DROPPED_TABLE, op->table_id, NULL, NULL, -1, err);
            break;
        case TN_OP_ADD_DATA_FILE:
            result = add_change(state, TN_CHANGE_INSERTED_INTO, op->table_id, NULL, NULL, -1, err);
            break;
        case TN_OP_SET_DELETE_FILE:
        case TN_OP_REMOVE_DATA_FILE:
            result = add_change(state, TN_CHANGE_DELETED_FROM, op->table_id, NULL, NULL, -1, err);
            break;
        case TN_OP_CREATE_VIEW:
            result = add_change(state, TN_CHANGE_CREATED_VIEW, 0, op->schema_name, op->view.name,
                                op->schema_id, err);
            break;
        case TN_OP_REPLACE_VIEW:
            /* Replacing a view created by this same transaction alters nothing others see. */
            if (op->view_id >= 0)
                result = add_change(state, TN_CHANGE_ALTERED_VIEW, op->view_id, NULL, NULL, -1,
                                    err);
            break;
        case TN_OP_DROP_VIEW:
            result = add_change(state, TN_CHANGE_DROPPED_VIEW, op->view_id, NULL, NULL, -1, err);
            break;
        }
        if (result < 0)
            return -1;
    }
    return 0;
}

int tn_catalog_commit(tn_catalog_txn *txn, const char *operation, int64_t *snapshot_id,
                      tn_error *err)
{
    tn_catalog *catalog = txn->catalog;
    if (txn->first == NULL) {
        if (snapshot_id != NULL)
            *snapshot_id = txn->base;
        tn_catalog_abort(txn);
        return 0;
    }
    commit_state state = {catalog, txn, 0, 0, 0, NULL, NULL, 0, 0, false};
    state.real_ids = tn_arena_zalloc(txn->arena, sizeof(int64_t) * (size_t)(txn->local_count + 1));
    if (state.real_ids == NULL) {
        tn_catalog_abort(txn);
        return tn_error_oom(err);
    }
    if (own_changes(&state, err) < 0 || catalog->ops->begin(catalog->store, true, err) < 0) {
        tn_catalog_abort(txn);
        return -1;
    }
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot"
        " ORDER BY snapshot_id DESC LIMIT 1",
        "");
    int row = stmt != NULL ? catalog->ops->step(stmt, err) : -1;
    int64_t latest = 0, schema_version = 0;
    if (row == 1) {
        latest = catalog->ops->column_int64(stmt, 0);
        schema_version = catalog->ops->column_int64(stmt, 1);
        state.next_catalog_id = catalog->ops->column_int64(stmt, 2);
        state.next_file_id = catalog->ops->column_int64(stmt, 3);
    } else if (row == 0) {
        tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "catalog of lake \"%s\" has no snapshot",
                     catalog->dir);
    }
    catalog->ops->finalize(stmt);
    if (row != 1)
        goto fail;
    state.snapshot = latest + 1;
    if (tn_catalog_conflict_check(catalog, txn->base, state.changes, state.change_count,
                                  txn->arena, err) < 0)
        goto fail;
    /* From here the list collects the changes in real ids, for the snapshot. */
    state.change_count = 0;
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
        if (apply_op(&state, op, err) < 0)
            goto fail;
    if ((state.is_ddl && check_dependencies(&state, err) < 0) ||
        finish_snapshot(&state, operation, latest, schema_version, err) < 0 ||
        catalog->ops->commit(catalog->store, err) < 0)
        goto fail;
    if (snapshot_id != NULL)
        *snapshot_id = state.snapshot;
    tn_catalog_abort(txn);
    return 0;
fail:
    catalog->ops->rollback(catalog->store);
    tn_catalog_abort(txn);
    return -1;
}

/* The snapshot row (its time never before the previous one's, so that
 * time travel finds snapshots in id order) and its changes row. */
static int finish_snapshot(commit_state *state, const char *operation, int64_t latest,
                           int64_t schema_version, tn_error *err)
{
    tn_catalog *catalog = state->catalog;
    int64_t now = tn_catalog_time_now(), previous = 0;
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err, "SELECT snapshot_time FROM ducklake_snapshot WHERE snapshot_id = ?", "i",
        latest);
    if (stmt == NULL)
        return -1;
    int row = catalog->ops->step(stmt, err);
    const char *text = row == 1 ? catalog->ops->column_text(stmt, 0) : NULL;
    if (text != NULL && tn_catalog_time_parse(text, &previous) == 0 && previous > now)
        now = previous;
    catalog->ops->finalize(stmt);
    if (row < 0)
        return -1;
    char time[40];
    tn_catalog_time_format(now, time, sizeof time);
    char *list = tn_arena_strdup(state->txn->arena, "");
    for (int change_idx = 0; list != NULL && change_idx < state->change_count; change_idx++)
        list = tn_catalog_change_append(state->txn->arena, list, &state->changes[change_idx]);
    if (list == NULL)
        return tn_error_oom(err);
    if (state->is_ddl) {
        schema_version++;
        if (tn_catalog_sql_exec(catalog, err, "INSERT INTO ducklake_schema_versions VALUES (?, ?, NULL)",
                                "ii", state->snapshot, schema_version) < 0)
            return -1;
    }
    if (tn_catalog_sql_exec(catalog, err, "INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                            "itiii", state->snapshot, time, schema_version,
                            state->next_catalog_id, state->next_file_id) < 0)
        return -1;
    return tn_catalog_sql_exec(catalog, err,
                               "INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                               "ittt", state->snapshot, list, state->txn->author, operation);
}

static int apply_op(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    switch (op->kind) {
    case TN_OP_CREATE_SCHEMA:
        return apply_create_schema(state, op, err);
    case TN_OP_DROP_SCHEMA: {
        int64_t schema_id = resolve(state, op->schema_id);
        state->is_ddl = true;
        if (tn_catalog_sql_exec(state->catalog, err,
                                "UPDATE ducklake_schema SET end_snapshot = ? WHERE schema_id = ?"
                                " AND end_snapshot IS NULL",
                                "ii", state->snapshot, schema_id) < 0)
            return -1;
        return add_change(state, TN_CHANGE_DROPPED_SCHEMA, schema_id, NULL, NULL, -1, err);
    }
    case TN_OP_CREATE_TABLE:
        return apply_create_table(state, op, err);
    case TN_OP_DROP_TABLE:
        return apply_drop_table(state, resolve(state, op->table_id), err);
    case TN_OP_ADD_DATA_FILE:
        return apply_add_data_file(state, op, err);
    case TN_OP_SET_DELETE_FILE:
        return apply_set_delete_file(state, op, err);
    case TN_OP_REMOVE_DATA_FILE:
        return apply_remove_data_file(state, op, err);
    case TN_OP_CREATE_VIEW:
    case TN_OP_REPLACE_VIEW:
    case TN_OP_DROP_VIEW:
        return apply_view(state, op, err);
    }
    return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "unknown catalog operation %d", op->kind);
}

static int apply_create_schema(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    int64_t schema_id = state->next_catalog_id++;
    state->real_ids[-op->local_id - 1] = schema_id;
    state->is_ddl = true;
    char *uuid = tn_catalog_uuid_new(state->txn->arena, err);
    if (uuid == NULL)
        return -1;
    char *folder = tn_catalog_path_folder(state->txn->arena, op->schema_name);
    if (folder == NULL)
        return tn_error_oom(err);
    if (tn_catalog_sql_exec(state->catalog, err,
                            "INSERT INTO ducklake_schema VALUES (?, ?, ?, NULL, ?, ?, 1)", "ititt",
                            schema_id, uuid, state->snapshot, op->schema_name, folder) < 0)
        return -1;
    return add_change(state, TN_CHANGE_CREATED_SCHEMA, 0, op->schema_name, NULL, -1, err);
}

static int apply_create_table(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    const tn_catalog_table *def = &op->table;
    int64_t table_id = state->next_catalog_id++;
    state->real_ids[-op->local_id - 1] = table_id;
    state->is_ddl = true;
    char *uuid = tn_catalog_uuid_new(state->txn->arena, err);
    if (uuid == NULL)
        return -1;
    char *folder = tn_catalog_path_folder(state->txn->arena, def->name);
    if (folder == NULL)
        return tn_error_oom(err);
    if (tn_catalog_sql_exec(state->catalog, err,
                            "INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, 1)",
                            "itiitt", table_id, uuid, state->snapshot,
                            resolve(state, op->schema_id), def->name, folder) < 0 ||
        tn_catalog_sql_exec(state->catalog, err,
                            "INSERT INTO ducklake_table_stats VALUES (?, 0, 0, 0)", "i",
                            table_id) < 0)
        return -1;
    for (int col_idx = 0; col_idx < def->column_count; col_idx++) {
        const tn_catalog_column *column = &def->columns[col_idx];
        char type[64];
        tn_type_name(column->type, type, sizeof type);
        if (tn_catalog_sql_exec(
                state->catalog, err,
                "INSERT INTO ducklake_column VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?)",
                "iiiitttbtt", (int64_t)col_idx + 1, state->snapshot, table_id, (int64_t)col_idx,
                column->name, type, column->default_sql, (int)column->is_nullable,
                column->default_sql != NULL ? "expression" : NULL,
                column->default_sql != NULL ? "postgres" : NULL) < 0)
            return -1;
    }
    if (insert_constraints(state, table_id, def, err) < 0)
        return -1;
    return add_change(state, TN_CHANGE_CREATED_TABLE, 0, op->schema_name, def->name, -1, err);
}

/* CHECK texts and UNIQUE / PRIMARY KEY column id lists (ids = ordinal + 1). */
static int insert_constraints(commit_state *state, int64_t table_id, const tn_catalog_table *def,
                              tn_error *err)
{
    int64_t order = 0;
    for (int check_idx = 0; check_idx < def->check_count; check_idx++)
        if (tn_catalog_sql_exec(state->catalog, err,
                                "INSERT INTO tarn_table_constraint VALUES"
                                " (?, ?, ?, NULL, 'check', ?, ?, NULL)",
                                "iiitt", table_id, order++, state->snapshot,
                                def->checks[check_idx].name, def->checks[check_idx].sql) < 0)
            return -1;
    for (int unique_idx = 0; unique_idx < def->unique_count; unique_idx++) {
        const tn_catalog_unique *unique = &def->uniques[unique_idx];
        char *ids = tn_arena_strdup(state->txn->arena, "");
        for (int key_idx = 0; ids != NULL && key_idx < unique->column_count; key_idx++)
            ids = tn_arena_printf(state->txn->arena, "%s%s%d", ids, key_idx > 0 ? "," : "",
                                  unique->columns[key_idx] + 1);
        if (ids == NULL)
            return tn_error_oom(err);
        if (tn_catalog_sql_exec(state->catalog, err,
                                "INSERT INTO tarn_table_constraint VALUES (?, ?, ?, NULL, ?, ?, NULL, ?)",
                                "iiittt", table_id, order++, state->snapshot,
                                unique->is_primary_key ? "primary key" : "unique", unique->name,
                                ids) < 0)
            return -1;
    }
    return 0;
}

/* Closes every live row of the table. */
static int apply_drop_table(commit_state *state, int64_t table_id, tn_error *err)
{
    static const char *const statements[] = {
        "UPDATE ducklake_table SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
        "UPDATE ducklake_column SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
        "UPDATE ducklake_data_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
        "UPDATE ducklake_delete_file SET end_snapshot = ? WHERE table_id = ? AND end_snapshot IS NULL",
        "UPDATE tarn_table_constraint SET end_snapshot = ? WHERE table_id = ?"
        " AND end_snapshot IS NULL",
    };
    state->is_ddl = true;
    for (size_t stmt_idx = 0; stmt_idx < sizeof statements / sizeof statements[0]; stmt_idx++)
        if (tn_catalog_sql_exec(state->catalog, err, statements[stmt_idx], "ii", state->snapshot,
                                table_id) < 0)
            return -1;
    return add_change(state, TN_CHANGE_DROPPED_TABLE, table_id, NULL, NULL, -1, err);
}

/* ---- views ---- */

/* Ends the live rows of a view and its dependencies; rows this very
 * snapshot made (a view created, then replaced or dropped, in one
 * transaction) are deleted instead, as no snapshot ever showed them. */
static int close_view_rows(commit_state *state, int64_t view_id, tn_error *err)
{
    static const char *const statements[] = {
        "DELETE FROM ducklake_view WHERE view_id = ? AND begin_snapshot = ?",
        "UPDATE ducklake_view SET end_snapshot = ? WHERE view_id = ? AND end_snapshot IS NULL",
        "DELETE FROM tarn_view_dependency WHERE view_id = ? AND begin_snapshot = ?",
        "UPDATE tarn_view_dependency SET end_snapshot = ? WHERE view_id = ?"
        " AND end_snapshot IS NULL",
    };
    for (size_t stmt_idx = 0; stmt_idx < sizeof statements / sizeof statements[0]; stmt_idx++) {
        bool is_delete = stmt_idx % 2 == 0;
        if (tn_catalog_sql_exec(state->catalog, err, statements[stmt_idx], "ii",
                                is_delete ? view_id : state->snapshot,
                                is_delete ? state->snapshot : view_id) < 0)
            return -1;
    }
    return 0;
}

/* The definition row and the dependency rows of op's view. */
static int insert_view(commit_state *state, const tn_catalog_op *op, int64_t view_id,
                       const char *uuid, int64_t schema_id, tn_error *err)
{
    char *aliases = tn_catalog_names_format(state->txn->arena, op->view.column_names,
                                            op->view.column_count);
    if (aliases == NULL)
        return tn_error_oom(err);
    if (tn_catalog_sql_exec(state->catalog, err,
                            "INSERT INTO ducklake_view VALUES (?, ?, ?, NULL, ?, ?, 'postgresql', ?, ?)",
                            "itiittt", view_id, uuid, state->snapshot, schema_id, op->view.name,
                            op->view.sql, aliases) < 0)
        return -1;
    for (int dep_idx = 0; dep_idx < op->table_dep_count + op->view_dep_count; dep_idx++) {
        bool is_view = dep_idx >= op->table_dep_count;
        int64_t target = is_view ? op->view_deps[dep_idx - op->table_dep_count]
                                 : op->table_deps[dep_idx];
        if (tn_catalog_sql_exec(state->catalog, err,
                                "INSERT INTO tarn_view_dependency VALUES (?, ?, NULL, ?, ?)",
                                "iiti", view_id, state->snapshot, is_view ? "view" : "table",
                                resolve(state, target)) < 0)
            return -1;
    }
    return 0;
}

static int apply_view(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    state->is_ddl = true;
    if (op->kind == TN_OP_CREATE_VIEW) {
        int64_t view_id = state->next_catalog_id++;
        state->real_ids[-op->local_id - 1] = view_id;
        char *uuid = tn_catalog_uuid_new(state->txn->arena, err);
        if (uuid == NULL ||
            insert_view(state, op, view_id, uuid, resolve(state, op->schema_id), err) < 0)
            return -1;
        return add_change(state, TN_CHANGE_CREATED_VIEW, 0, op->schema_name, op->view.name, -1,
                          err);
    }
    int64_t view_id = resolve(state, op->view_id);
    if (op->kind == TN_OP_DROP_VIEW) {
        if (close_view_rows(state, view_id, err) < 0)
            return -1;
        return add_change(state, TN_CHANGE_DROPPED_VIEW, view_id, NULL, NULL, -1, err);
    }
    /* A replacement keeps the view's id, uuid and schema. */
    tn_store_stmt *stmt = tn_catalog_sql_query(
        state->catalog, err,
        "SELECT view_uuid, schema_id FROM ducklake_view WHERE view_id = ? AND end_snapshot IS NULL",
        "i", view_id);
    if (stmt == NULL)
        return -1;
    int row = state->catalog->ops->step(stmt, err);
    const char *uuid = row == 1 ? tn_catalog_sql_text(state->catalog, stmt, 0, state->txn->arena)
                                : NULL;
    int64_t schema_id = row == 1 ? state->catalog->ops->column_int64(stmt, 1) : 0;
    state->catalog->ops->finalize(stmt);
    if (row == 0)
        return tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "view with id %lld does not exist",
                            (long long)view_id);
    if (row == 1 && uuid == NULL)
        return tn_error_oom(err);
    if (row < 0 || close_view_rows(state, view_id, err) < 0 ||
        insert_view(state, op, view_id, uuid, schema_id, err) < 0)
        return -1;
    return op->view_id >= 0 ? add_change(state, TN_CHANGE_ALTERED_VIEW, view_id, NULL, NULL, -1, err)
                            : 0;
}

/* 40001 when a live view reads a table or view that is gone and this
 * snapshot made one side of that: its view over what a concurrent
 * transaction dropped, or its drop of what a concurrent view reads.  Both
 * transactions passed their own checks against their base snapshots. */
static int check_dependencies(commit_state *state, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        state->catalog, err,
        "SELECT d.view_id, d.begin_snapshot, d.referenced_kind, d.referenced_id"
        " FROM tarn_view_dependency d WHERE d.end_snapshot IS NULL AND NOT EXISTS"
        " (SELECT 1 FROM ducklake_table t WHERE d.referenced_kind = 'table'"
        " AND t.table_id = d.referenced_id AND t.end_snapshot IS NULL) AND NOT EXISTS"
        " (SELECT 1 FROM ducklake_view v WHERE d.referenced_kind = 'view'"
        " AND v.view_id = d.referenced_id AND v.end_snapshot IS NULL) AND (d.begin_snapshot = ?"
        " OR EXISTS (SELECT 1 FROM ducklake_table t WHERE d.referenced_kind = 'table'"
        " AND t.table_id = d.referenced_id AND t.end_snapshot = ?)"
        " OR EXISTS (SELECT 1 FROM ducklake_view v WHERE d.referenced_kind = 'view'"
        " AND v.view_id = d.referenced_id AND v.end_snapshot = ?)) LIMIT 1",
        "iii", state->snapshot, state->snapshot, state->snapshot);
    if (stmt == NULL)
        return -1;
    int row = state->catalog->ops->step(stmt, err);
    if (row == 1) {
        int64_t view_id = state->catalog->ops->column_int64(stmt, 0);
        bool is_own_view = state->catalog->ops->column_int64(stmt, 1) == state->snapshot;
        const char *kind = state->catalog->ops->column_text(stmt, 2);
        int64_t target = state->catalog->ops->column_int64(stmt, 3);
        tn_error_set(err, TN_ERR_SERIALIZATION_FAILURE, 0,
                     "could not serialize access due to concurrent update");
        if (is_own_view)
            tn_error_detail(err,
                            "This transaction's view %lld reads %s %lld, which a transaction "
                            "committed after snapshot %lld that this transaction read dropped.",
                            (long long)view_id, kind != NULL ? kind : "?", (long long)target,
                            (long long)state->txn->base);
        else
            tn_error_detail(err,
                            "View %lld, made by a transaction committed after snapshot %lld that "
                            "this transaction read, reads %s %lld, which this transaction drops.",
                            (long long)view_id, (long long)state->txn->base,
                            kind != NULL ? kind : "?", (long long)target);
        row = -1;
    }
    state->catalog->ops->finalize(stmt);
    return row < 0 ? -1 : 0;
}

/* path made relative to the live table's folder; 22023 when outside it. */
static const char *relative_path(commit_state *state, int64_t table_id, const char *path,
                                 tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        state->catalog, err,
        "SELECT 'data/' || s.path || t.path FROM ducklake_table t JOIN ducklake_schema s"
        " ON s.schema_id = t.schema_id WHERE t.table_id = ? AND t.end_snapshot IS NULL"
        " AND s.end_snapshot IS NULL",
        "i", table_id);
    if (stmt == NULL)
        return NULL;
    const char *relative = NULL;
    int row = state->catalog->ops->step(stmt, err);
    const char *folder = row == 1 ? state->catalog->ops->column_text(stmt, 0) : NULL;
    if (row == 0)
        tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "table with id %lld does not exist",
                     (long long)table_id);
    else if (folder != NULL && strncmp(path, folder, strlen(folder)) == 0 &&
             path[strlen(folder)] != '\0' && strchr(path + strlen(folder), '/') == NULL)
        relative = tn_arena_strdup(state->txn->arena, path + strlen(folder));
    else if (row == 1)
        tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                     "file \"%s\" is not inside the folder \"%s\" of its table", path,
                     folder != NULL ? folder : "");
    state->catalog->ops->finalize(stmt);
    if (row == 1 && relative == NULL && !tn_error_is_set(err))
        tn_error_oom(err);
    return relative;
}

static int apply_add_data_file(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    tn_catalog *catalog = state->catalog;
    const tn_catalog_data_file *file = &op->file;
    int64_t table_id = resolve(state, op->table_id);
    int64_t file_id = state->next_file_id++, row_id_start = 0;
    state->real_ids[-op->local_id - 1] = file_id;
    const char *path = relative_path(state, table_id, file->path, err);
    if (path == NULL)
        return -1;
    if (tn_catalog_sql_int64(catalog, err, &row_id_start,
                             "SELECT next_row_id FROM ducklake_table_stats WHERE table_id = ?", "i",
                             table_id) <= 0) {
        if (!tn_error_is_set(err))
            tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "table %lld has no statistics row",
                         (long long)table_id);
        return -1;
    }
    if (tn_catalog_sql_exec(catalog, err,
                            "INSERT INTO ducklake_data_file VALUES (?, ?, ?, NULL, NULL, ?, 1,"
                            " 'parquet', ?, ?, ?, ?, NULL, NULL, NULL, NULL)",
                            "iiitiiii", file_id, table_id, state->snapshot, path,
                            file->record_count, file->file_size_bytes, file->footer_size,
                            row_id_start) < 0 ||
        tn_catalog_sql_exec(catalog, err,
                            "UPDATE ducklake_table_stats SET record_count = record_count + ?,"
                            " next_row_id = next_row_id + ?, file_size_bytes = file_size_bytes + ?"
                            " WHERE table_id = ?",
                            "iiii", file->record_count, file->record_count,
                            file->file_size_bytes > 0 ? file->file_size_bytes : (int64_t)0,
                            table_id) < 0)
        return -1;
    for (int stat_idx = 0; stat_idx < file->stats_count; stat_idx++) {
        const tn_catalog_column_stats *stats = &file->stats[stat_idx];
        if (tn_catalog_sql_exec(catalog, err,
                                "INSERT INTO ducklake_file_column_stats VALUES"
                                " (?, ?, ?, NULLIF(?, -1), NULLIF(?, -1), NULLIF(?, -1), ?, ?, ?, NULL)",
                                "iiiiiittb", file_id, table_id, stats->column_id,
                                stats->column_size_bytes, stats->value_count, stats->null_count,
                                stats->min_value, stats->max_value, (int)stats->contains_nan) < 0)
            return -1;
    }
    if (merge_column_stats(state, table_id, file, err) < 0)
        return -1;
    return add_change(state, TN_CHANGE_INSERTED_INTO, table_id, NULL, NULL, -1, err);
}

static int apply_set_delete_file(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    int64_t table_id = resolve(state, op->table_id);
    int64_t data_file_id = resolve(state, op->data_file_id), live = 0;
    const tn_catalog_delete_file *file = &op->delete_file;
    const char *path = relative_path(state, table_id, file->path, err);
    if (path == NULL ||
        tn_catalog_sql_int64(state->catalog, err, &live,
                             "SELECT count(*) FROM ducklake_data_file WHERE data_file_id = ?"
                             " AND table_id = ? AND end_snapshot IS NULL",
                             "ii", data_file_id, table_id) < 0)
        return -1;
    if (live == 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "data file %lld of table %lld does not exist",
                            (long long)data_file_id, (long long)table_id);
    if (tn_catalog_sql_exec(state->catalog, err,
                            "UPDATE ducklake_delete_file SET end_snapshot = ? WHERE data_file_id = ?"
                            " AND end_snapshot IS NULL",
                            "ii", state->snapshot, data_file_id) < 0 ||
        tn_catalog_sql_exec(state->catalog, err,
                            "INSERT INTO ducklake_delete_file VALUES (?, ?, ?, NULL, ?, ?, 1,"
                            " 'parquet', ?, ?, ?, NULL, NULL)",
                            "iiiitiii", state->next_file_id++, table_id, state->snapshot,
                            data_file_id, path, file->delete_count, file->file_size_bytes,
                            file->footer_size) < 0)
        return -1;
    return add_change(state, TN_CHANGE_DELETED_FROM, table_id, NULL, NULL, -1, err);
}

static int apply_remove_data_file(commit_state *state, const tn_catalog_op *op, tn_error *err)
{
    int64_t table_id = resolve(state, op->table_id);
    int64_t data_file_id = resolve(state, op->data_file_id);
    if (tn_catalog_sql_exec(state->catalog, err,
                            "UPDATE ducklake_table_stats SET"
                            " record_count = record_count - (SELECT coalesce(sum(record_count), 0)"
                            " FROM ducklake_data_file WHERE data_file_id = ? AND end_snapshot IS NULL),"
                            " file_size_bytes = file_size_bytes - (SELECT"
                            " coalesce(sum(file_size_bytes), 0) FROM ducklake_data_file"
                            " WHERE data_file_id = ? AND end_snapshot IS NULL) WHERE table_id = ?",
                            "iii", data_file_id, data_file_id, table_id) < 0 ||
        tn_catalog_sql_exec(state->catalog, err,
                            "UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ?"
                            " AND end_snapshot IS NULL",
                            "ii", state->snapshot, data_file_id) < 0 ||
        tn_catalog_sql_exec(state->catalog, err,
                            "UPDATE ducklake_delete_file SET end_snapshot = ? WHERE data_file_id = ?"
                            " AND end_snapshot IS NULL",
                            "ii", state->snapshot, data_file_id) < 0)
        return -1;
    return add_change(state, TN_CHANGE_DELETED_FROM, table_id, NULL, NULL, -1, err);
}

/* ---- table column statistics ---- */

/* Widens the table's per-column statistics by one new file's.  Bounds are
 * compared by type, never as text; a bound that is unknown on either side
 * (or cannot be compared) becomes unknown, which is always a safe bound. */
static int merge_column_stats(commit_state *state, int64_t table_id,
                              const tn_catalog_data_file *file, tn_error *err)
{
    tn_catalog *catalog = state->catalog;
    for (int stat_idx = 0; stat_idx < file->stats_count; stat_idx++) {
        const tn_catalog_column_stats *stats = &file->stats[stat_idx];
        tn_store_stmt *stmt = tn_catalog_sql_query(
            catalog, err,
            "SELECT c.column_type, s.contains_null, s.contains_nan, s.min_value, s.max_value,"
            " s.table_id FROM ducklake_column c LEFT JOIN ducklake_table_column_stats s"
            " ON s.table_id = c.table_id AND s.column_id = c.column_id"
            " WHERE c.table_id = ? AND c.column_id = ? AND c.end_snapshot IS NULL",
            "ii", table_id, stats->column_id);
        if (stmt == NULL)
            return -1;
        int row = catalog->ops->step(stmt, err);
        tn_type type = tn_type_make(TN_TYPE_NULL);
        bool exists = false, contains_null = stats->null_count != 0,
             contains_nan = stats->contains_nan;
        const char *min = stats->min_value, *max = stats->max_value;
        if (row == 1 && tn_type_parse(catalog->ops->column_text(stmt, 0), &type) < 0)
            type = tn_type_make(TN_TYPE_NULL);
        if (row == 1 && !catalog->ops->column_is_null(stmt, 5)) {
            exists = true;
            contains_null |= catalog->ops->column_int64(stmt, 1) != 0;
            contains_nan |= catalog->ops->column_int64(stmt, 2) != 0;
            merge_bound(type, catalog->ops->column_text(stmt, 3), stats->min_value, false, &min);
            merge_bound(type, catalog->ops->column_text(stmt, 4), stats->max_value, true, &max);
            min = min != NULL ? tn_arena_strdup(state->txn->arena, min) : NULL;
            max = max != NULL ? tn_arena_strdup(state->txn->arena, max) : NULL;
        }
        catalog->ops->finalize(stmt);
        if (row == 0)
            return tn_error_set(err, TN_ERR_UNDEFINED_COLUMN, 0,
                                "table %lld has no column with id %lld", (long long)table_id,
                                (long long)stats->column_id);
        if (row < 0)
            return -1;
        const char *sql = exists ? "UPDATE ducklake_table_column_stats SET contains_null = ?,"
                                   " contains_nan = ?, min_value = ?, max_value = ?"
                                   " WHERE table_id = ? AND column_id = ?"
                                 : "INSERT INTO ducklake_table_column_stats(contains_null,"
                                   " contains_nan, min_value, max_value, table_id, column_id)"
                                   " VALUES (?, ?, ?, ?, ?, ?)";
        if (tn_catalog_sql_exec(catalog, err, sql, "bbttii", (int)contains_null, (int)contains_nan,
                                min, max, table_id, stats->column_id) < 0)
            return -1;
    }
    return 0;
}

/* *out = the wider of current and value (min or max); NULL when either is
 * unknown or they cannot be compared.  out points at one of the inputs. */
static int merge_bound(tn_type type, const char *current, const char *value, bool want_max,
                       const char **out)
{
    int order = 0;
    if (current == NULL || value == NULL || compare_bounds(type, current, value, &order) < 0) {
        *out = NULL;
        return 0;
    }
    *out = (want_max ? order >= 0 : order <= 0) ? current : value;
    return 0;
}

/* Orders two bounds of type in their DuckLake text encodings; -1 when they
 * cannot be compared. */
static int compare_bounds(tn_type type, const char *a, const char *b, int *result)
{
    switch (type.id) {
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64:
    case TN_TYPE_NUMERIC:
        return compare_decimal(a, b, result);
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64: {
        char *end_a, *end_b;
        double x = strtod(a, &end_a), y = strtod(b, &end_b);
        if (*end_a != '\0' || *end_b != '\0' || x != x || y != y)
            return -1;
        *result = (x > y) - (x < y);
        return 0;
    }
    case TN_TYPE_DATE:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: {
        /* ISO 8601 with four-digit years orders as text; infinities do not. */
        int rank_a = strcmp(a, "-infinity") == 0 ? -1 : strcmp(a, "infinity") == 0 ? 1 : 0;
        int rank_b = strcmp(b, "-infinity") == 0 ? -1 : strcmp(b, "infinity") == 0 ? 1 : 0;
        if (rank_a != rank_b || rank_a != 0)
            *result = (rank_a > rank_b) - (rank_a < rank_b);
        else
            *result = strcmp(a, b);
        return 0;
    }
    case TN_TYPE_TEXT:
    case TN_TYPE_BOOL:
        *result = strcmp(a, b);
        return 0;
    default:
        return -1;
    }
}

/* Compares decimal texts ("-12.50", "7") by value. */
static int compare_decimal(const char *a, const char *b, int *result)
{
    const char *text[2] = {a, b};
    bool negative[2];
    size_t int_length[2];
    for (int side = 0; side < 2; side++) {
        negative[side] = text[side][0] == '-';
        if (text[side][0] == '-' || text[side][0] == '+')
            text[side]++;
        while (text[side][0] == '0' && text[side][1] >= '0' && text[side][1] <= '9')
            text[side]++;
        int_length[side] = strspn(text[side], "0123456789");
        const char *rest = text[side] + int_length[side];
        if (int_length[side] == 0 ||
            (*rest != '\0' && (*rest != '.' || strspn(rest + 1, "0123456789") != strlen(rest + 1))))
            return -1;
    }
    int magnitude;
    if (int_length[0] != int_length[1]) {
        magnitude = int_length[0] < int_length[1] ? -1 : 1;
    } else {
        magnitude = strncmp(text[0], text[1], int_length[0]);
        const char *fraction[2] = {text[0] + int_length[0], text[1] + int_length[1]};
        for (int side = 0; side < 2; side++)
            if (*fraction[side] == '.')
                fraction[side]++;
        while (magnitude == 0 && (*fraction[0] != '\0' || *fraction[1] != '\0')) {
            char x = *fraction[0] != '\0' ? *fraction[0]++ : '0';
            char y = *fraction[1] != '\0' ? *fraction[1]++ : '0';
            magnitude = (x > y) - (x < y);
        }
        magnitude = (magnitude > 0) - (magnitude < 0);
    }
    if (negative[0] != negative[1])
        *result = negative[0] ? -1 : 1;
    else
        *result = negative[0] ? -magnitude : magnitude;
    return 0;
}
