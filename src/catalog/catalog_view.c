/*
 * Views: reading them at a snapshot, and recording CREATE [OR REPLACE]
 * VIEW and DROP VIEW in a write transaction, with the dependency rules of
 * PostgreSQL.  A view's definition (SELECT text and output column names)
 * lives in ducklake_view; what it reads lives in tarn_view_dependency,
 * versioned with it.  Dropping a table or view that another live view
 * reads is refused (2BP01, DETAIL naming every dependent, transitively) or,
 * with cascade, drops the dependents first-to-last in the same
 * transaction.  As for tables, the checks here see the base snapshot plus
 * the transaction's own operations; concurrent transactions are reconciled
 * at commit (catalog_commit.c).
 */
#include <string.h>

#include "catalog/catalog_int.h"

/* A view that reads some object, for refusals and cascades. */
typedef struct dependent {
    int64_t id;
    const char *schema;
    const char *name;
} dependent;

/* Views already named in a refusal, so that each is listed once. */
typedef struct seen_list {
    int64_t *ids;
    int count;
    int capacity;
} seen_list;

static tn_catalog_view *read_view(tn_catalog *catalog, tn_store_stmt *stmt, int64_t view_id,
                                  tn_arena *arena, tn_error *err);
static const tn_catalog_op *current_definition(const tn_catalog_txn *txn, int64_t view_id);
static bool op_reads(const tn_catalog_op *op, bool is_view, int64_t id);
static int direct_dependents(tn_catalog_txn *txn, bool is_view, int64_t id, dependent **out,
                             int *count, tn_error *err);
static int add_dependent(tn_catalog_txn *txn, dependent **items, int *capacity, int *count,
                         dependent item, tn_error *err);
static int describe_dependents(tn_catalog_txn *txn, bool is_view, int64_t id,
                               const char *referenced, char **detail, seen_list *seen,
                               tn_error *err);
static int object_name(tn_catalog_txn *txn, bool is_view, int64_t id, const char **schema,
                       const char **name, tn_error *err);
static int check_view(tn_catalog_txn *txn, int64_t view_id, tn_error *err);
static int check_view_definition(const tn_catalog_view *def, tn_error *err);
static int check_replacement(tn_catalog_txn *txn, int64_t view_id, const tn_catalog_view *def,
                             const int64_t *view_deps, int view_dep_count, tn_error *err);
static int reaches(tn_catalog_txn *txn, int64_t from, int64_t target, seen_list *seen,
                   bool *found, tn_error *err);
static int copy_view(tn_arena *arena, const tn_catalog_view *def, tn_catalog_view *copy);
static int64_t *copy_ids(tn_arena *arena, const int64_t *ids, int count, int *unique_count);

/* ---- names ---- */

char *tn_catalog_describe(tn_arena *arena, const char *kind, const char *schema,
                          const char *name)
{
    if (schema == NULL || strcmp(schema, "main") == 0)
        return tn_arena_printf(arena, "%s %s", kind, name);
    return tn_arena_printf(arena, "%s %s.%s", kind, schema, name);
}

char *tn_catalog_names_format(tn_arena *arena, const char *const *names, int count)
{
    char *text = tn_arena_strdup(arena, "");
    for (int name_idx = 0; text != NULL && name_idx < count; name_idx++) {
        if (name_idx > 0)
            text = tn_arena_printf(arena, "%s,", text);
        if (text != NULL)
            text = tn_catalog_quote_append(arena, text, names[name_idx]);
    }
    return text;
}

int tn_catalog_names_parse(tn_arena *arena, const char *text, const char *const **names,
                           int *count)
{
    const char **items = NULL;
    int capacity = 0, used = 0;
    tn_error ignored = TN_ERROR_INIT;
    const char *cursor = text != NULL ? text : "";
    while (*cursor != '\0') {
        if (tn_catalog_array_grow(arena, (void **)&items, &capacity, used, sizeof *items,
                                  &ignored) < 0) {
            tn_error_clear(&ignored);
            return -1;
        }
        if ((items[used++] = tn_catalog_quote_parse(arena, &cursor)) == NULL)
            return -1;
        if (*cursor == ',' && cursor[1] != '\0')
            cursor++;
        else if (*cursor != '\0')
            return -1;
    }
    *names = items;
    *count = used;
    return 0;
}

/* ---- reading at a snapshot ---- */

/* The view of the row stmt is on: uuid, schema_id, schema_name, view_name,
 * sql, column_aliases, begin_snapshot. */
static tn_catalog_view *read_view(tn_catalog *catalog, tn_store_stmt *stmt, int64_t view_id,
                                  tn_arena *arena, tn_error *err)
{
    tn_catalog_view *view = tn_arena_zalloc(arena, sizeof *view);
    if (view == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    view->id = view_id;
    view->uuid = tn_catalog_sql_text(catalog, stmt, 0, arena);
    view->schema_id = catalog->ops->column_int64(stmt, 1);
    view->schema_name = tn_catalog_sql_text(catalog, stmt, 2, arena);
    view->name = tn_catalog_sql_text(catalog, stmt, 3, arena);
    view->sql = tn_catalog_sql_text(catalog, stmt, 4, arena);
    view->begin_snapshot = catalog->ops->column_int64(stmt, 6);
    if (view->schema_name == NULL || view->name == NULL || view->sql == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_catalog_names_parse(arena, catalog->ops->column_text(stmt, 5), &view->column_names,
                               &view->column_count) < 0) {
        tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0,
                     "view \"%s\" has an invalid column list \"%s\"", view->name,
                     catalog->ops->column_text(stmt, 5));
        return NULL;
    }
    return view;
}

tn_catalog_view *tn_catalog_view_get(tn_catalog *catalog, int64_t snapshot_id, int64_t view_id,
                                     tn_arena *arena, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT v.view_uuid, v.schema_id, s.schema_name, v.view_name, v.sql, v.column_aliases,"
        " v.begin_snapshot FROM ducklake_view v JOIN ducklake_schema s"
        " ON s.schema_id = v.schema_id AND" TN_VISIBLE("s")
        "WHERE v.view_id = ? AND" TN_VISIBLE("v"),
        "iiiii", snapshot_id, snapshot_id, view_id, snapshot_id, snapshot_id);
    if (stmt == NULL)
        return NULL;
    tn_catalog_view *view = NULL;
    if (catalog->ops->step(stmt, err) == 1)
        view = read_view(catalog, stmt, view_id, arena, err);
    catalog->ops->finalize(stmt);
    return view;
}

tn_catalog_view *tn_catalog_view_lookup(tn_catalog *catalog, int64_t snapshot_id,
                                        const char *schema, const char *name, tn_arena *arena,
                                        tn_error *err)
{
    int64_t view_id = 0;
    int found = tn_catalog_sql_int64(
        catalog, err, &view_id,
        "SELECT v.view_id FROM ducklake_view v JOIN ducklake_schema s"
        " ON s.schema_id = v.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND v.view_name = ? AND" TN_VISIBLE("v"),
        "iittii", snapshot_id, snapshot_id, schema, name, snapshot_id, snapshot_id);
    if (found <= 0)
        return NULL;
    return tn_catalog_view_get(catalog, snapshot_id, view_id, arena, err);
}

int tn_catalog_view_list(tn_catalog *catalog, int64_t snapshot_id, int64_t schema_id,
                         tn_arena *arena, tn_catalog_entry **out, int *count, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT v.view_id, v.view_name FROM ducklake_view v WHERE v.schema_id = ? AND"
        TN_VISIBLE("v") "ORDER BY v.view_name",
        "iii", schema_id, snapshot_id, snapshot_id);
    tn_catalog_entry *items = NULL;
    int capacity = 0, used = 0, row = stmt != NULL ? 1 : -1;
    while (stmt != NULL && (row = catalog->ops->step(stmt, err)) == 1) {
        if (tn_catalog_array_grow(arena, (void **)&items, &capacity, used, sizeof *items, err) < 0) {
            row = -1;
            break;
        }
        items[used].id = catalog->ops->column_int64(stmt, 0);
        if ((items[used++].name = tn_catalog_sql_text(catalog, stmt, 1, arena)) == NULL) {
            row = tn_error_oom(err);
            break;
        }
    }
    if (stmt != NULL)
        catalog->ops->finalize(stmt);
    *out = items;
    *count = used;
    return row < 0 ? -1 : 0;
}

tn_catalog_relation_kind tn_catalog_relation_kind_get(tn_catalog *catalog, int64_t snapshot_id,
                                                      const char *schema, const char *name,
                                                      tn_error *err)
{
    int64_t kind = 0;
    int found = tn_catalog_sql_int64(
        catalog, err, &kind,
        "SELECT 1 FROM ducklake_table t JOIN ducklake_schema s"
        " ON s.schema_id = t.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND t.table_name = ? AND" TN_VISIBLE("t")
        "UNION ALL SELECT 2 FROM ducklake_view v JOIN ducklake_schema s"
        " ON s.schema_id = v.schema_id AND" TN_VISIBLE("s")
        "WHERE s.schema_name = ? AND v.view_name = ? AND" TN_VISIBLE("v"),
        "iittiiiittii", snapshot_id, snapshot_id, schema, name, snapshot_id, snapshot_id,
        snapshot_id, snapshot_id, schema, name, snapshot_id, snapshot_id);
    if (found < 0)
        return TN_CATALOG_RELATION_ERROR;
    if (found == 0)
        return TN_CATALOG_RELATION_NONE;
    return kind == 1 ? TN_CATALOG_RELATION_TABLE : TN_CATALOG_RELATION_VIEW;
}

/* ---- what a transaction sees ---- */

/* The last operation of txn defining view_id, NULL when it has none. */
static const tn_catalog_op *current_definition(const tn_catalog_txn *txn, int64_t view_id)
{
    const tn_catalog_op *found = NULL;
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
        if ((op->kind == TN_OP_CREATE_VIEW || op->kind == TN_OP_REPLACE_VIEW) &&
            op->view_id == view_id)
            found = op;
    return found;
}

static bool op_reads(const tn_catalog_op *op, bool is_view, int64_t id)
{
    const int64_t *ids = is_view ? op->view_deps : op->table_deps;
    int count = is_view ? op->view_dep_count : op->table_dep_count;
    for (int dep_idx = 0; dep_idx < count; dep_idx++)
        if (ids[dep_idx] == id)
            return true;
    return false;
}

int tn_catalog_txn_schema_views(tn_catalog_txn *txn, const char *schema, int64_t schema_id,
                                tn_catalog_entry **out, int *count, tn_error *err)
{
    tn_catalog_entry *base = NULL, *items = NULL;
    int base_count = 0, capacity = 0, used = 0;
    if (schema_id >= 0 && tn_catalog_view_list(txn->catalog, txn->base, schema_id, txn->arena,
                                               &base, &base_count, err) < 0)
        return -1;
    for (int view_idx = 0; view_idx < base_count; view_idx++) {
        if (tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, base[view_idx].id))
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&items, &capacity, used, sizeof *items,
                                  err) < 0)
            return -1;
        items[used++] = base[view_idx];
    }
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next) {
        if (op->kind != TN_OP_CREATE_VIEW || strcmp(op->schema_name, schema) != 0 ||
            tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, op->view_id))
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&items, &capacity, used, sizeof *items,
                                  err) < 0)
            return -1;
        items[used++] = (tn_catalog_entry){op->view_id, op->view.name};
    }
    *out = items;
    *count = used;
    return 0;
}

int tn_catalog_txn_view_id(tn_catalog_txn *txn, const char *schema, const char *name,
                           int64_t *view_id, tn_error *err)
{
    int64_t id = 0;
    tn_catalog_relation_kind kind = tn_catalog_txn_find_relation(txn, schema, name, &id, err);
    if (kind == TN_CATALOG_RELATION_ERROR)
        return -1;
    if (kind != TN_CATALOG_RELATION_VIEW)
        return 0;
    *view_id = id;
    return 1;
}

static int add_dependent(tn_catalog_txn *txn, dependent **items, int *capacity, int *count,
                         dependent item, tn_error *err)
{
    for (int idx = 0; idx < *count; idx++)
        if ((*items)[idx].id == item.id)
            return 0;
    if (tn_catalog_array_grow(txn->arena, (void **)items, capacity, *count, sizeof **items, err) < 0)
        return -1;
    (*items)[(*count)++] = item;
    return 0;
}

/* The live views (for txn) that read table or view id directly, by schema
 * and name: committed ones unless txn dropped or redefined them, and
 * txn's own. */
static int direct_dependents(tn_catalog_txn *txn, bool is_view, int64_t id, dependent **out,
                             int *count, tn_error *err)
{
    tn_catalog *catalog = txn->catalog;
    dependent *items = NULL;
    int capacity = 0, used = 0, row = 0;
    if (id >= 0) {
        tn_store_stmt *stmt = tn_catalog_sql_query(
            catalog, err,
            "SELECT d.view_id, s.schema_name, v.view_name FROM tarn_view_dependency d"
            " JOIN ducklake_view v ON v.view_id = d.view_id AND" TN_VISIBLE("v")
            "JOIN ducklake_schema s ON s.schema_id = v.schema_id AND" TN_VISIBLE("s")
            "WHERE d.referenced_kind = ? AND d.referenced_id = ? AND" TN_VISIBLE("d"),
            "iiiitiii", txn->base, txn->base, txn->base, txn->base, is_view ? "view" : "table",
            id, txn->base, txn->base);
        if (stmt == NULL)
            return -1;
        while ((row = catalog->ops->step(stmt, err)) == 1) {
            dependent item = {catalog->ops->column_int64(stmt, 0),
                              tn_catalog_sql_text(catalog, stmt, 1, txn->arena),
                              tn_catalog_sql_text(catalog, stmt, 2, txn->arena)};
            if (item.schema == NULL || item.name == NULL) {
                row = tn_error_oom(err);
                break;
            }
            if (tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, item.id) ||
                current_definition(txn, item.id) != NULL)
                continue;
            if (add_dependent(txn, &items, &capacity, &used, item, err) < 0) {
                row = -1;
                break;
            }
        }
        catalog->ops->finalize(stmt);
        if (row < 0)
            return -1;
    }
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next) {
        if ((op->kind != TN_OP_CREATE_VIEW && op->kind != TN_OP_REPLACE_VIEW) ||
            current_definition(txn, op->view_id) != op ||
            tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, op->view_id) ||
            !op_reads(op, is_view, id))
            continue;
        dependent item = {op->view_id, op->schema_name, op->view.name};
        if (add_dependent(txn, &items, &capacity, &used, item, err) < 0)
            return -1;
    }
    /* By schema and name, whichever transaction made them. */
    for (int idx = 1; idx < used; idx++)
        for (int pos = idx; pos > 0; pos--) {
            int order = strcmp(items[pos - 1].schema, items[pos].schema);
            if (order < 0 || (order == 0 && strcmp(items[pos - 1].name, items[pos].name) <= 0))
                break;
            dependent swap = items[pos - 1];
            items[pos - 1] = items[pos];
            items[pos] = swap;
        }
    *out = items;
    *count = used;
    return 0;
}

/* Schema and name of table or view id as txn sees (or last saw) it. */
static int object_name(tn_catalog_txn *txn, bool is_view, int64_t id, const char **schema,
                       const char **name, tn_error *err)
{
    for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next) {
        if (is_view ? op->kind == TN_OP_CREATE_VIEW && op->view_id == id
                    : op->kind == TN_OP_CREATE_TABLE && op->local_id == id) {
            *schema = op->schema_name;
            *name = is_view ? op->view.name : op->table.name;
            return 0;
        }
    }
    tn_store_stmt *stmt = tn_catalog_sql_query(
        txn->catalog, err,
        is_view ? "SELECT s.schema_name, o.view_name FROM ducklake_view o JOIN ducklake_schema s"
                  " ON s.schema_id = o.schema_id AND" TN_VISIBLE("s")
                  "WHERE o.view_id = ? AND" TN_VISIBLE("o")
                : "SELECT s.schema_name, o.table_name FROM ducklake_table o JOIN ducklake_schema s"
                  " ON s.schema_id = o.schema_id AND" TN_VISIBLE("s")
                  "WHERE o.table_id = ? AND" TN_VISIBLE("o"),
        "iiiii", txn->base, txn->base, id, txn->base, txn->base);
    if (stmt == NULL)
        return -1;
    int row = txn->catalog->ops->step(stmt, err);
    if (row == 1) {
        *schema = tn_catalog_sql_text(txn->catalog, stmt, 0, txn->arena);
        *name = tn_catalog_sql_text(txn->catalog, stmt, 1, txn->arena);
        if (*schema == NULL || *name == NULL)
            row = tn_error_oom(err);
    } else if (row == 0) {
        row = tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "%s with id %lld does not exist",
                           is_view ? "view" : "table", (long long)id);
    }
    txn->catalog->ops->finalize(stmt);
    return row < 0 ? -1 : 0;
}

/* Appends "view v2 depends on <referenced>" for every view reading id,
 * then, depth first, what depends on those (PostgreSQL's order). */
static int describe_dependents(tn_catalog_txn *txn, bool is_view, int64_t id,
                               const char *referenced, char **detail, seen_list *seen,
                               tn_error *err)
{
    dependent *items;
    int count;
    if (direct_dependents(txn, is_view, id, &items, &count, err) < 0)
        return -1;
    for (int dep_idx = 0; dep_idx < count; dep_idx++) {
        bool known = false;
        for (int seen_idx = 0; seen_idx < seen->count; seen_idx++)
            known |= seen->ids[seen_idx] == items[dep_idx].id;
        if (known)
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&seen->ids, &seen->capacity, seen->count,
                                  sizeof *seen->ids, err) < 0)
            return -1;
        seen->ids[seen->count++] = items[dep_idx].id;
        char *self = tn_catalog_describe(txn->arena, "view", items[dep_idx].schema,
                                         items[dep_idx].name);
        *detail = self != NULL ? tn_arena_printf(txn->arena, "%s%s%s depends on %s", *detail,
                                                 (*detail)[0] != '\0' ? "\n" : "", self,
                                                 referenced)
                               : NULL;
        if (*detail == NULL)
            return tn_error_oom(err);
        if (describe_dependents(txn, true, items[dep_idx].id, self, detail, seen, err) < 0)
            return -1;
    }
    return 0;
}

int tn_catalog_txn_drop_dependents(tn_catalog_txn *txn, bool is_view, int64_t id, bool cascade,
                                   tn_error *err)
{
    dependent *items;
    int count;
    if (direct_dependents(txn, is_view, id, &items, &count, err) < 0)
        return -1;
    if (count == 0)
        return 0;
    if (cascade) {
        for (int dep_idx = 0; dep_idx < count; dep_idx++)
            if (!tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, items[dep_idx].id) &&
                tn_catalog_txn_drop_view(txn, items[dep_idx].id, true, err) < 0)
                return -1;
        return 0;
    }
    const char *schema = NULL, *name = NULL;
    if (object_name(txn, is_view, id, &schema, &name, err) < 0)
        return -1;
    char *self = tn_catalog_describe(txn->arena, is_view ? "view" : "table", schema, name);
    char *detail = tn_arena_strdup(txn->arena, "");
    seen_list seen = {NULL, 0, 0};
    if (self == NULL || detail == NULL)
        return tn_error_oom(err);
    if (describe_dependents(txn, is_view, id, self, &detail, &seen, err) < 0)
        return -1;
    tn_error_set(err, TN_ERR_DEPENDENT_OBJECTS_STILL_EXIST, 0,
                 "cannot drop %s because other objects depend on it", self);
    tn_error_detail(err, "%s", detail);
    tn_error_hint(err, "Use DROP ... CASCADE to drop the dependent objects too.");
    return -1;
}

/* 42P01 unless view_id is live for txn. */
static int check_view(tn_catalog_txn *txn, int64_t view_id, tn_error *err)
{
    int64_t found = 0;
    if (view_id < 0) {
        for (const tn_catalog_op *op = txn->first; op != NULL; op = op->next)
            if (op->kind == TN_OP_CREATE_VIEW && op->local_id == view_id)
                found = 1;
    } else if (tn_catalog_sql_int64(txn->catalog, err, &found,
                                    "SELECT count(*) FROM ducklake_view v WHERE v.view_id = ? AND"
                                    TN_VISIBLE("v"),
                                    "iii", view_id, txn->base, txn->base) < 0) {
        return -1;
    }
    if (found == 0 || tn_catalog_txn_is_dropped(txn, TN_OP_DROP_VIEW, view_id))
        return tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "view with id %lld does not exist",
                            (long long)view_id);
    return 0;
}

/* ---- recording ---- */

static int check_view_definition(const tn_catalog_view *def, tn_error *err)
{
    if (def->name == NULL || def->name[0] == '\0')
        return tn_error_set(err, TN_ERR_INVALID_NAME, 0, "view name must not be empty");
    if (def->sql == NULL || def->column_count < 0 ||
        (def->column_count > 0 && def->column_names == NULL))
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "view \"%s\" lacks its query or its columns", def->name);
    for (int col_idx = 0; col_idx < def->column_count; col_idx++) {
        const char *column = def->column_names[col_idx];
        if (column == NULL || column[0] == '\0')
            return tn_error_set(err, TN_ERR_INVALID_NAME, 0, "column name must not be empty");
        for (int other = 0; other < col_idx; other++)
            if (strcmp(def->column_names[other], column) == 0)
                return tn_error_set(err, TN_ERR_DUPLICATE_COLUMN, 0,
                                    "column \"%s\" specified more than once", column);
    }
    return 0;
}

/* Whether view target is reachable from view from by "is read by" edges,
 * i.e. target (transitively) reads from. */
static int reaches(tn_catalog_txn *txn, int64_t from, int64_t target, seen_list *seen,
                   bool *found, tn_error *err)
{
    dependent *items;
    int count;
    if (direct_dependents(txn, true, from, &items, &count, err) < 0)
        return -1;
    for (int dep_idx = 0; dep_idx < count && !*found; dep_idx++) {
        bool known = false;
        for (int seen_idx = 0; seen_idx < seen->count; seen_idx++)
            known |= seen->ids[seen_idx] == items[dep_idx].id;
        if (known)
            continue;
        if (tn_catalog_array_grow(txn->arena, (void **)&seen->ids, &seen->capacity, seen->count,
                                  sizeof *seen->ids, err) < 0)
            return -1;
        seen->ids[seen->count++] = items[dep_idx].id;
        if (items[dep_idx].id == target) {
            *found = true;
            return 0;
        }
        if (reaches(txn, items[dep_idx].id, target, seen, found, err) < 0)
            return -1;
    }
    return 0;
}

/* PostgreSQL's rules for CREATE OR REPLACE VIEW (columns may only be added
 * at the end), plus refusing a definition that would read itself. */
static int check_replacement(tn_catalog_txn *txn, int64_t view_id, const tn_catalog_view *def,
                             const int64_t *view_deps, int view_dep_count, tn_error *err)
{
    const tn_catalog_op *own = current_definition(txn, view_id);
    const tn_catalog_view *old = own != NULL ? &own->view
                                             : tn_catalog_view_get(txn->catalog, txn->base,
                                                                   view_id, txn->arena, err);
    if (old == NULL)
        return tn_error_is_set(err) ? -1 : check_view(txn, view_id, err);
    if (def->column_count < old->column_count)
        return tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                            "cannot drop columns from view");
    for (int col_idx = 0; col_idx < old->column_count; col_idx++)
        if (strcmp(old->column_names[col_idx], def->column_names[col_idx]) != 0) {
            tn_error_set(err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                         "cannot change name of view column \"%s\" to \"%s\"",
                         old->column_names[col_idx], def->column_names[col_idx]);
            tn_error_hint(err, "Use ALTER VIEW ... RENAME COLUMN ... to change name of view "
                               "column instead.");
            return -1;
        }
    for (int dep_idx = 0; dep_idx < view_dep_count; dep_idx++) {
        bool found = view_deps[dep_idx] == view_id;
        seen_list seen = {NULL, 0, 0};
        if (!found && reaches(txn, view_id, view_deps[dep_idx], &seen, &found, err) < 0)
            return -1;
        if (found)
            return tn_error_set(err, TN_ERR_INVALID_RECURSION, 0,
                                "infinite recursion detected in rules for relation \"%s\"",
                                def->name);
    }
    return 0;
}

static int copy_view(tn_arena *arena, const tn_catalog_view *def, tn_catalog_view *copy)
{
    memset(copy, 0, sizeof *copy);
    const char **names = tn_arena_zalloc(arena, sizeof *names * (size_t)(def->column_count + 1));
    copy->name = tn_arena_strdup(arena, def->name);
    copy->sql = tn_arena_strdup(arena, def->sql);
    if (names == NULL || copy->name == NULL || copy->sql == NULL)
        return -1;
    for (int col_idx = 0; col_idx < def->column_count; col_idx++)
        if ((names[col_idx] = tn_arena_strdup(arena, def->column_names[col_idx])) == NULL)
            return -1;
    copy->column_count = def->column_count;
    copy->column_names = names;
    return 0;
}

/* ids without repeats, in arena (never NULL unless out of memory). */
static int64_t *copy_ids(tn_arena *arena, const int64_t *ids, int count, int *unique_count)
{
    int64_t *copy = tn_arena_alloc(arena, sizeof *copy * (size_t)(count + 1));
    *unique_count = 0;
    for (int idx = 0; copy != NULL && idx < count; idx++) {
        bool known = false;
        for (int other = 0; other < *unique_count; other++)
            known |= copy[other] == ids[idx];
        if (!known)
            copy[(*unique_count)++] = ids[idx];
    }
    return copy;
}

int tn_catalog_txn_create_view(tn_catalog_txn *txn, const char *schema,
                               const tn_catalog_view *def, bool or_replace,
                               const int64_t *depends_on_tables, int table_dep_count,
                               const int64_t *depends_on_views, int view_dep_count,
                               tn_error *err)
{
    if (check_view_definition(def, err) < 0)
        return -1;
    if (table_dep_count < 0 || view_dep_count < 0 ||
        (table_dep_count > 0 && depends_on_tables == NULL) ||
        (view_dep_count > 0 && depends_on_views == NULL))
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                            "view \"%s\" has an invalid dependency list", def->name);
    int64_t schema_id, existing = 0;
    int found = tn_catalog_txn_find_schema(txn, schema, &schema_id, err);
    if (found < 0)
        return -1;
    if (!found)
        return tn_error_set(err, TN_ERR_INVALID_SCHEMA_NAME, 0, "schema \"%s\" does not exist",
                            schema);
    tn_catalog_relation_kind kind = tn_catalog_txn_find_relation(txn, schema, def->name,
                                                                 &existing, err);
    if (kind == TN_CATALOG_RELATION_ERROR)
        return -1;
    if (kind == TN_CATALOG_RELATION_TABLE && or_replace)
        return tn_error_set(err, TN_ERR_WRONG_OBJECT_TYPE, 0, "\"%s\" is not a view", def->name);
    if (kind != TN_CATALOG_RELATION_NONE && !or_replace)
        return tn_error_set(err, TN_ERR_DUPLICATE_TABLE, 0, "relation \"%s\" already exists",
                            def->name);
    for (int dep_idx = 0; dep_idx < table_dep_count; dep_idx++)
        if (tn_catalog_txn_check_table(txn, depends_on_tables[dep_idx], err) < 0)
            return -1;
    /* A replacement reading itself is left to check_replacement's verdict. */
    for (int dep_idx = 0; dep_idx < view_dep_count; dep_idx++)
        if (!(kind == TN_CATALOG_RELATION_VIEW && depends_on_views[dep_idx] == existing) &&
            check_view(txn, depends_on_views[dep_idx], err) < 0)
            return -1;
    if (kind == TN_CATALOG_RELATION_VIEW &&
        check_replacement(txn, existing, def, depends_on_views, view_dep_count, err) < 0)
        return -1;
    tn_catalog_op *op = tn_catalog_txn_add_op(
        txn, kind == TN_CATALOG_RELATION_VIEW ? TN_OP_REPLACE_VIEW : TN_OP_CREATE_VIEW, err);
    if (op == NULL)
        return -1;
    op->view_id = kind == TN_CATALOG_RELATION_VIEW ? existing : op->local_id;
    op->schema_id = schema_id;
    op->schema_name = tn_arena_strdup(txn->arena, schema);
    op->table_deps = copy_ids(txn->arena, depends_on_tables, table_dep_count, &op->table_dep_count);
    op->view_deps = copy_ids(txn->arena, depends_on_views, view_dep_count, &op->view_dep_count);
    if (op->schema_name == NULL || op->table_deps == NULL || op->view_deps == NULL ||
        copy_view(txn->arena, def, &op->view) < 0)
        return tn_error_oom(err);
    return 0;
}

int tn_catalog_txn_drop_view(tn_catalog_txn *txn, int64_t view_id, bool cascade, tn_error *err)
{
    if (check_view(txn, view_id, err) < 0)
        return -1;
    tn_catalog_op *mark = txn->last;
    int local_count = txn->local_count;
    tn_catalog_op *op = tn_catalog_txn_add_op(txn, TN_OP_DROP_VIEW, err);
    if (op == NULL)
        return -1;
    op->view_id = view_id;
    /* Recorded first, so that the dependents see it gone (and a cascade
     * through views that read each other ends). */
    if (tn_catalog_txn_drop_dependents(txn, true, view_id, cascade, err) < 0) {
        tn_catalog_txn_truncate(txn, mark, local_count);
        return -1;
    }
    return 0;
}
