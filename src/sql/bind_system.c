/*
 * System views, queryable like tables: information_schema.tables,
 * information_schema.columns and information_schema.views (PostgreSQL's
 * column names and types for the columns tools read), and tarn's own
 * tarn_snapshots, tarn_data_files and tarn_table_stats (unqualified names,
 * found before tables and views of the same name, as pg_catalog's are in
 * PostgreSQL).
 *
 * Each is computed when the statement is bound, from the catalog at the
 * statement's snapshot, into a VALUES node of constant rows: the rows are
 * exactly what that snapshot holds, every operator above works unchanged,
 * and a catalog small enough to list is small enough to keep in a plan.
 * Only user schemas are listed (not information_schema itself); the
 * catalog (database) name is always "tarn".
 */
#include "sql/binder.h"
#include "catalog/catalog.h"

#include <string.h>

#define MAX_COLUMNS 16

typedef enum system_view {
    SYS_TABLES,
    SYS_COLUMNS,
    SYS_VIEWS,
    SYS_SNAPSHOTS,
    SYS_DATA_FILES,
    SYS_TABLE_STATS,
} system_view;

typedef struct system_column {
    const char *name;
    tn_type_id type;
} system_column;

/* The rows of one system view while it is being built. */
typedef struct builder {
    tn_binder *b;
    int column_count;
    const system_column *columns;
    tn_expr **values;
    int row_count;
    int capacity;
    tn_value row[MAX_COLUMNS];
    int filled;
} builder;

static const system_column tables_columns[] = {
    {"table_catalog", TN_TYPE_TEXT}, {"table_schema", TN_TYPE_TEXT}, {"table_name", TN_TYPE_TEXT},
    {"table_type", TN_TYPE_TEXT},    {"is_insertable_into", TN_TYPE_TEXT}, {NULL, 0}};
static const system_column columns_columns[] = {
    {"table_catalog", TN_TYPE_TEXT},        {"table_schema", TN_TYPE_TEXT},
    {"table_name", TN_TYPE_TEXT},           {"column_name", TN_TYPE_TEXT},
    {"ordinal_position", TN_TYPE_INT32},    {"column_default", TN_TYPE_TEXT},
    {"is_nullable", TN_TYPE_TEXT},          {"data_type", TN_TYPE_TEXT},
    {"character_maximum_length", TN_TYPE_INT32}, {"numeric_precision", TN_TYPE_INT32},
    {"numeric_scale", TN_TYPE_INT32},       {"datetime_precision", TN_TYPE_INT32},
    {NULL, 0}};
static const system_column views_columns[] = {
    {"table_catalog", TN_TYPE_TEXT}, {"table_schema", TN_TYPE_TEXT}, {"table_name", TN_TYPE_TEXT},
    {"view_definition", TN_TYPE_TEXT}, {NULL, 0}};
static const system_column snapshots_columns[] = {
    {"snapshot_id", TN_TYPE_INT64}, {"snapshot_time", TN_TYPE_TIMESTAMPTZ}, {"author", TN_TYPE_TEXT},
    {"operation", TN_TYPE_TEXT},    {"changes", TN_TYPE_TEXT}, {NULL, 0}};
static const system_column data_files_columns[] = {
    {"schema", TN_TYPE_TEXT},          {"table", TN_TYPE_TEXT},          {"path", TN_TYPE_TEXT},
    {"record_count", TN_TYPE_INT64},   {"file_size_bytes", TN_TYPE_INT64}, {"begin_snapshot", TN_TYPE_INT64},
    {"delete_count", TN_TYPE_INT64},   {NULL, 0}};
static const system_column table_stats_columns[] = {
    {"schema", TN_TYPE_TEXT},        {"table", TN_TYPE_TEXT},          {"record_count", TN_TYPE_INT64},
    {"file_count", TN_TYPE_INT64},   {"file_size_bytes", TN_TYPE_INT64}, {NULL, 0}};

/* ---- building rows ---- */

static void add_text(builder *bd, const char *text)
{
    tn_value *value = &bd->row[bd->filled++];
    *value = tn_value_null(tn_type_make(TN_TYPE_TEXT));
    if (text) {
        value->is_null = false;
        value->u.string = tn_string_make(text, (uint32_t)strlen(text));
    }
}

static void add_int(builder *bd, tn_type_id id, int64_t number, bool is_null)
{
    tn_value *value = &bd->row[bd->filled++];
    *value = tn_value_null(tn_type_make(id));
    value->is_null = is_null;
    value->u.integer = number;
}

/* Ends the current row: its values become constant expressions. */
static int end_row(builder *bd)
{
    tn_binder *b = bd->b;
    if (bd->row_count == bd->capacity) {
        int capacity = bd->capacity ? bd->capacity * 2 : 16;
        tn_expr **values = tn_arena_alloc(b->arena, sizeof *values * (size_t)capacity * (size_t)bd->column_count);
        if (!values)
            return tn_error_oom(b->err);
        if (bd->row_count)
            memcpy(values, bd->values, sizeof *values * (size_t)bd->row_count * (size_t)bd->column_count);
        bd->values = values;
        bd->capacity = capacity;
    }
    for (int col = 0; col < bd->column_count; col++) {
        tn_expr *expr = tn_expr_constant(b->arena, &bd->row[col], 0);
        if (!expr)
            return tn_error_oom(b->err);
        bd->values[bd->row_count * bd->column_count + col] = expr;
    }
    bd->row_count++;
    bd->filled = 0;
    return 0;
}

/* ---- the views ---- */

/* The view's columns as bound now, for information_schema.columns. */
static tn_logical *view_plan(tn_binder *b, const char *schema, const char *name)
{
    tn_ast_from from = {.kind = TN_AST_FROM_TABLE, .schema = schema, .name = name};
    tn_bind_scope *scope;
    bool found;
    struct tn_bind_deps *saved = b->deps;
    b->deps = NULL;
    tn_logical *plan = tn_bind_view_ref(b, &from, NULL, &scope, &found);
    b->deps = saved;
    return plan;
}

static void add_column_type(builder *bd, tn_type type)
{
    char name[64];
    tn_type_name(tn_type_make(type.id), name, sizeof name);
    if (type.id == TN_TYPE_TEXT && type.precision > 0)
        strcpy(name, "character varying");
    add_text(bd, tn_arena_strdup(bd->b->arena, name));
    add_int(bd, TN_TYPE_INT32, type.precision, !(type.id == TN_TYPE_TEXT && type.precision > 0));
    int precision = type.id == TN_TYPE_INT16     ? 16
                    : type.id == TN_TYPE_INT32   ? 32
                    : type.id == TN_TYPE_INT64   ? 64
                    : type.id == TN_TYPE_FLOAT32 ? 24
                    : type.id == TN_TYPE_FLOAT64 ? 53
                    : type.id == TN_TYPE_NUMERIC ? type.precision
                                                 : 0;
    add_int(bd, TN_TYPE_INT32, precision, precision == 0);
    bool has_scale = tn_type_is_integer(type.id) || (type.id == TN_TYPE_NUMERIC && type.precision > 0);
    add_int(bd, TN_TYPE_INT32, type.id == TN_TYPE_NUMERIC ? type.scale : 0, !has_scale);
    bool is_datetime = type.id == TN_TYPE_DATE || type.id == TN_TYPE_TIMESTAMP || type.id == TN_TYPE_TIMESTAMPTZ ||
                       type.id == TN_TYPE_INTERVAL;
    add_int(bd, TN_TYPE_INT32, type.id == TN_TYPE_DATE ? 0 : 6, !is_datetime);
}

static int list_table(builder *bd, system_view which, const tn_catalog_schema *schema, const tn_catalog_entry *entry)
{
    tn_binder *b = bd->b;
    const tn_sql_env *env = b->env;
    if (which == SYS_TABLES) {
        add_text(bd, "tarn");
        add_text(bd, schema->name);
        add_text(bd, entry->name);
        add_text(bd, "BASE TABLE");
        add_text(bd, "YES");
        return end_row(bd);
    }
    if (which == SYS_COLUMNS) {
        tn_catalog_table *table = tn_catalog_table_lookup(env->catalog, env->snapshot_id, schema->name, entry->name,
                                                          b->arena, b->err);
        if (!table)
            return tn_error_is_set(b->err) ? -1 : 0;
        for (int col = 0; col < table->column_count; col++) {
            const tn_catalog_column *column = &table->columns[col];
            add_text(bd, "tarn");
            add_text(bd, schema->name);
            add_text(bd, entry->name);
            add_text(bd, column->name);
            add_int(bd, TN_TYPE_INT32, col + 1, false);
            add_text(bd, column->default_sql);
            add_text(bd, column->is_nullable ? "YES" : "NO");
            add_column_type(bd, column->type);
            if (end_row(bd) < 0)
                return -1;
        }
        return 0;
    }
    if (which == SYS_DATA_FILES || which == SYS_TABLE_STATS) {
        tn_catalog_data_file *files;
        int count;
        if (tn_catalog_data_file_list(env->catalog, env->snapshot_id, entry->id, b->arena, &files, &count, b->err) < 0)
            return -1;
        int64_t records = 0, bytes = 0;
        for (int idx = 0; idx < count; idx++) {
            int64_t deleted = files[idx].delete_file ? files[idx].delete_file->delete_count : 0;
            records += files[idx].record_count - deleted;
            bytes += files[idx].file_size_bytes;
            if (which != SYS_DATA_FILES)
                continue;
            add_text(bd, schema->name);
            add_text(bd, entry->name);
            add_text(bd, files[idx].path);
            add_int(bd, TN_TYPE_INT64, files[idx].record_count, false);
            add_int(bd, TN_TYPE_INT64, files[idx].file_size_bytes, false);
            add_int(bd, TN_TYPE_INT64, files[idx].begin_snapshot, false);
            add_int(bd, TN_TYPE_INT64, deleted, false);
            if (end_row(bd) < 0)
                return -1;
        }
        if (which == SYS_DATA_FILES)
            return 0;
        add_text(bd, schema->name);
        add_text(bd, entry->name);
        add_int(bd, TN_TYPE_INT64, records, false);
        add_int(bd, TN_TYPE_INT64, count, false);
        add_int(bd, TN_TYPE_INT64, bytes, false);
        return end_row(bd);
    }
    return 0;
}

static int list_view(builder *bd, system_view which, const tn_catalog_schema *schema, const tn_catalog_entry *entry)
{
    tn_binder *b = bd->b;
    const tn_sql_env *env = b->env;
    if (which == SYS_TABLES) {
        add_text(bd, "tarn");
        add_text(bd, schema->name);
        add_text(bd, entry->name);
        add_text(bd, "VIEW");
        add_text(bd, "NO");
        return end_row(bd);
    }
    if (which == SYS_VIEWS) {
        tn_catalog_view *view = tn_catalog_view_lookup(env->catalog, env->snapshot_id, schema->name, entry->name,
                                                       b->arena, b->err);
        if (!view)
            return tn_error_is_set(b->err) ? -1 : 0;
        add_text(bd, "tarn");
        add_text(bd, schema->name);
        add_text(bd, entry->name);
        add_text(bd, view->sql);
        return end_row(bd);
    }
    if (which == SYS_COLUMNS) {
        tn_logical *plan = view_plan(b, schema->name, entry->name);
        if (!plan)
            return -1;
        tn_catalog_view *view = tn_catalog_view_lookup(env->catalog, env->snapshot_id, schema->name, entry->name,
                                                       b->arena, b->err);
        if (!view)
            return tn_error_is_set(b->err) ? -1 : 0;
        for (int col = 0; col < plan->column_count; col++) {
            add_text(bd, "tarn");
            add_text(bd, schema->name);
            add_text(bd, entry->name);
            add_text(bd, view->column_names[col]);
            add_int(bd, TN_TYPE_INT32, col + 1, false);
            add_text(bd, NULL);
            add_text(bd, "YES");
            add_column_type(bd, plan->types[col]);
            if (end_row(bd) < 0)
                return -1;
        }
    }
    return 0;
}

static int list_catalog(builder *bd, system_view which)
{
    tn_binder *b = bd->b;
    const tn_sql_env *env = b->env;
    if (which == SYS_SNAPSHOTS) {
        tn_catalog_snapshot *snapshots;
        int count;
        if (tn_catalog_snapshot_list(env->catalog, b->arena, &snapshots, &count, b->err) < 0)
            return -1;
        for (int idx = 0; idx < count; idx++) {
            if (snapshots[idx].id > env->snapshot_id)
                continue;
            add_int(bd, TN_TYPE_INT64, snapshots[idx].id, false);
            add_int(bd, TN_TYPE_TIMESTAMPTZ, snapshots[idx].time, false);
            add_text(bd, snapshots[idx].author);
            add_text(bd, snapshots[idx].operation);
            add_text(bd, snapshots[idx].changes);
            if (end_row(bd) < 0)
                return -1;
        }
        return 0;
    }
    tn_catalog_entry *schemas;
    int schema_count;
    if (tn_catalog_schema_list(env->catalog, env->snapshot_id, b->arena, &schemas, &schema_count, b->err) < 0)
        return -1;
    for (int s = 0; s < schema_count; s++) {
        tn_catalog_schema schema = {.id = schemas[s].id, .name = schemas[s].name};
        tn_catalog_entry *tables, *views;
        int table_count, view_count;
        if (tn_catalog_table_list(env->catalog, env->snapshot_id, schema.id, b->arena, &tables, &table_count,
                                  b->err) < 0 ||
            tn_catalog_view_list(env->catalog, env->snapshot_id, schema.id, b->arena, &views, &view_count, b->err) < 0)
            return -1;
        /* Tables and views together by name, as one namespace. */
        int t = 0, v = 0;
        while (t < table_count || v < view_count) {
            bool take_table = v >= view_count || (t < table_count && strcmp(tables[t].name, views[v].name) < 0);
            int rc = take_table ? list_table(bd, which, &schema, &tables[t++]) : list_view(bd, which, &schema, &views[v++]);
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

tn_logical *tn_bind_system_ref(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out,
                               bool *found)
{
    static const struct {
        const char *schema;
        const char *name;
        system_view which;
        const system_column *columns;
    } views[] = {
        {"information_schema", "tables", SYS_TABLES, tables_columns},
        {"information_schema", "columns", SYS_COLUMNS, columns_columns},
        {"information_schema", "views", SYS_VIEWS, views_columns},
        {NULL, "tarn_snapshots", SYS_SNAPSHOTS, snapshots_columns},
        {NULL, "tarn_data_files", SYS_DATA_FILES, data_files_columns},
        {NULL, "tarn_table_stats", SYS_TABLE_STATS, table_stats_columns},
    };
    *found = false;
    int index = -1;
    for (int idx = 0; idx < (int)(sizeof views / sizeof views[0]); idx++)
        if (strcmp(views[idx].name, from->name) == 0 &&
            (views[idx].schema ? from->schema && strcmp(from->schema, views[idx].schema) == 0 : !from->schema))
            index = idx;
    if (index < 0) {
        if (from->schema && strcmp(from->schema, "information_schema") == 0) {
            *found = true;
            tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, from->location, "relation \"%s.%s\" does not exist",
                         from->schema, from->name);
        }
        return NULL;
    }
    *found = true;
    builder bd = {.b = b, .columns = views[index].columns};
    while (bd.columns[bd.column_count].name)
        bd.column_count++;
    if (list_catalog(&bd, views[index].which) < 0)
        return NULL;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_VALUES, bd.column_count);
    tn_bind_scope *scope = node ? tn_bind_scope_new(b, parent) : NULL;
    const char *alias = from->alias ? from->alias : from->name;
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, alias, bd.column_count, from->location) : NULL;
    if (!rel)
        return tn_error_is_set(b->err) ? NULL : (tn_error_oom(b->err), NULL);
    rel->schema = from->alias ? NULL : views[index].schema;
    node->values = bd.values;
    node->row_count = bd.row_count;
    for (int col = 0; col < bd.column_count; col++) {
        node->types[col] = rel->types[col] = tn_type_make(bd.columns[col].type);
        node->names[col] = rel->names[col] = bd.columns[col].name;
    }
    if (tn_bind_column_aliases(b, from, rel, alias) < 0)
        return NULL;
    *out = scope;
    return node;
}
