/*
 * Views: CREATE [OR REPLACE] VIEW, DROP VIEW, and views in FROM.
 *
 * The catalog keeps a view's query as SQL text (deparsed by the transform)
 * plus its output column names.  Wherever a view is named in FROM, its
 * text is parsed and bound again, as a derived table read at the
 * statement's snapshot: the plan is the same as if the query had been
 * written in place, so filters and pruning reach through it.  WITH queries
 * of the using statement are not visible inside the view.
 *
 * CREATE VIEW binds the query once to check it, name and type its
 * columns, and collect which tables and views it reads (the binder's deps,
 * filled by bind_from.c for tables and here for views); the catalog keeps
 * those as dependencies so that DROP TABLE / DROP VIEW refuse with 2BP01
 * unless CASCADE.  Views are read-only in tarn: INSERT, UPDATE and DELETE
 * on one are refused with 0A000 (PostgreSQL updates simple views).
 */
#include "sql/binder.h"
#include "catalog/catalog.h"

#include <string.h>

struct tn_bind_deps {
    int64_t *tables;
    int table_count;
    int64_t *views;
    int view_count;
    int capacity;
};

typedef struct tn_bind_view {
    const char *schema;
    tn_catalog_view def;
    struct tn_bind_deps deps;
} tn_bind_view;

static const char *const default_path[] = {"main", NULL};

/* What name resolves to through the search path (or in schema): its kind
 * and the schema it was found in. */
static tn_catalog_relation_kind resolve(const tn_sql_env *env, const char *schema, const char *name,
                                        const char **found_schema, tn_error *err)
{
    if (schema) {
        *found_schema = schema;
        return tn_catalog_relation_kind_get(env->catalog, env->snapshot_id, schema, name, err);
    }
    const char *const *path = env->search_path ? env->search_path : default_path;
    for (int idx = 0; path[idx]; idx++) {
        tn_catalog_relation_kind kind = tn_catalog_relation_kind_get(env->catalog, env->snapshot_id, path[idx],
                                                                     name, err);
        if (kind != TN_CATALOG_RELATION_NONE) {
            *found_schema = path[idx];
            return kind;
        }
    }
    return TN_CATALOG_RELATION_NONE;
}

static int add_dep(tn_binder *b, struct tn_bind_deps *deps, int64_t id, bool is_view)
{
    int64_t *list = is_view ? deps->views : deps->tables;
    int count = is_view ? deps->view_count : deps->table_count;
    for (int idx = 0; idx < count; idx++)
        if (list[idx] == id)
            return 0;
    if (deps->table_count + deps->view_count >= deps->capacity) {
        int capacity = deps->capacity ? deps->capacity * 2 : 8;
        int64_t *tables = tn_arena_alloc(b->arena, sizeof *tables * (size_t)capacity);
        int64_t *views = tn_arena_alloc(b->arena, sizeof *views * (size_t)capacity);
        if (!tables || !views)
            return tn_error_oom(b->err);
        if (deps->table_count)
            memcpy(tables, deps->tables, sizeof *tables * (size_t)deps->table_count);
        if (deps->view_count)
            memcpy(views, deps->views, sizeof *views * (size_t)deps->view_count);
        deps->tables = tables;
        deps->views = views;
        deps->capacity = capacity;
    }
    if (is_view)
        deps->views[deps->view_count++] = id;
    else
        deps->tables[deps->table_count++] = id;
    return 0;
}

int tn_bind_note_table(tn_binder *b, int64_t table_id)
{
    return b->deps ? add_dep(b, b->deps, table_id, false) : 0;
}

/* Binds the stored query of view: parsed again, without the using
 * statement's WITH queries and without recording dependencies (only the
 * views a new view names directly are its dependencies). */
static tn_logical *bind_view_query(tn_binder *b, const tn_catalog_view *view, tn_bind_scope *parent)
{
    tn_ast_statement *ast = tn_sql_parse(view->sql, (int)strlen(view->sql), -1, b->arena, b->err);
    if (!ast)
        return NULL;
    if (ast->kind != TN_AST_SELECT) {
        tn_error_set(b->err, TN_ERR_DATA_CORRUPTED, 0, "the definition of view \"%s\" is not a query", view->name);
        return NULL;
    }
    int saved_ctes = b->cte_count;
    struct tn_bind_deps *saved_deps = b->deps;
    tn_bind_clause saved_clause = b->clause;
    b->cte_count = 0;
    b->deps = NULL;
    b->clause = TN_CLAUSE_SELECT;
    tn_logical *plan = tn_bind_select(b, ast->select, parent, true);
    b->cte_count = saved_ctes;
    b->deps = saved_deps;
    b->clause = saved_clause;
    if (plan && plan->column_count != view->column_count) {
        tn_error_set(b->err, TN_ERR_DATA_CORRUPTED, 0, "view \"%s\" has %d columns but its query returns %d",
                     view->name, view->column_count, plan->column_count);
        return NULL;
    }
    return plan;
}

tn_logical *tn_bind_view_ref(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out,
                             bool *found)
{
    *found = false;
    const char *schema;
    tn_catalog_relation_kind kind = resolve(b->env, from->schema, from->name, &schema, b->err);
    if (kind != TN_CATALOG_RELATION_VIEW)
        return NULL;
    *found = true;
    tn_catalog_view *view = tn_catalog_view_lookup(b->env->catalog, b->env->snapshot_id, schema, from->name,
                                                   b->arena, b->err);
    if (!view) {
        if (!tn_error_is_set(b->err))
            tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, from->location, "relation \"%s\" does not exist", from->name);
        return NULL;
    }
    if (b->deps && add_dep(b, b->deps, view->id, true) < 0)
        return NULL;
    tn_logical *plan = bind_view_query(b, view, parent);
    const char *alias = from->alias ? from->alias : view->name;
    tn_bind_scope *scope = plan ? tn_bind_scope_new(b, parent) : NULL;
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, alias, plan->column_count, from->location) : NULL;
    if (!rel)
        return NULL;
    rel->schema = from->alias ? NULL : view->schema_name;
    for (int col = 0; col < plan->column_count; col++) {
        rel->names[col] = view->column_names[col];
        rel->types[col] = plan->types[col];
    }
    if (tn_bind_column_aliases(b, from, rel, alias) < 0)
        return NULL;
    *out = scope;
    return plan;
}

int tn_bind_column_aliases(tn_binder *b, const tn_ast_from *from, tn_bind_relation *rel, const char *name)
{
    if (from->column_alias_count > rel->column_count)
        return tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, from->location,
                            "table \"%s\" has %d columns available but %d columns specified", name,
                            rel->column_count, from->column_alias_count);
    for (int idx = 0; idx < from->column_alias_count; idx++)
        rel->names[idx] = from->column_aliases[idx];
    return 0;
}

void tn_bind_refuse_view(tn_binder *b, const tn_ast_statement *stmt)
{
    if (!tn_error_is(b->err, TN_ERR_UNDEFINED_TABLE))
        return;
    tn_error other = TN_ERROR_INIT;
    const char *schema;
    if (resolve(b->env, stmt->target.schema, stmt->target.name, &schema, &other) != TN_CATALOG_RELATION_VIEW) {
        tn_error_clear(&other);
        return;
    }
    const char *verb = stmt->kind == TN_AST_INSERT ? "insert into" : stmt->kind == TN_AST_UPDATE ? "update" : "delete from";
    tn_error_set(&other, TN_ERR_FEATURE_NOT_SUPPORTED, stmt->target.location, "cannot %s view \"%s\"", verb,
                 stmt->target.name);
    tn_error_detail(&other, "Views are read-only in tarn.");
    tn_error_move(b->err, &other);
}

int tn_bind_refuse_not_table(const tn_sql_env *env, const char *schema, const char *name, tn_error *err)
{
    const char *found;
    tn_catalog_relation_kind kind = resolve(env, schema, name, &found, err);
    if (kind == TN_CATALOG_RELATION_ERROR)
        return -1;
    if (kind != TN_CATALOG_RELATION_VIEW)
        return 0;
    tn_error_set(err, TN_ERR_WRONG_OBJECT_TYPE, 0, "\"%s\" is not a table", name);
    tn_error_hint(err, "Use DROP VIEW to remove a view.");
    return -1;
}

/* CREATE OR REPLACE may not change the type of an existing column
 * (42P16, as PostgreSQL); names and counts are the catalog's to check. */
static int check_replacement(tn_binder *b, const tn_bind_view *view, const tn_logical *plan)
{
    tn_catalog_view *old = tn_catalog_view_lookup(b->env->catalog, b->env->snapshot_id, view->schema,
                                                  view->def.name, b->arena, b->err);
    if (!old)
        return tn_error_is_set(b->err) ? -1 : 0;
    tn_logical *old_plan = bind_view_query(b, old, NULL);
    if (!old_plan)
        return -1;
    for (int col = 0; col < old_plan->column_count && col < plan->column_count; col++) {
        if (tn_type_equal(old_plan->types[col], plan->types[col]))
            continue;
        char from[64], to[64];
        tn_type_name(old_plan->types[col], from, sizeof from);
        tn_type_name(plan->types[col], to, sizeof to);
        return tn_error_set(b->err, TN_ERR_INVALID_TABLE_DEFINITION, 0,
                            "cannot change data type of view column \"%s\" from %s to %s",
                            old->column_names[col], from, to);
    }
    return 0;
}

int tn_bind_create_view(tn_binder *b, tn_bind_ddl_info *info)
{
    tn_ast_statement *stmt = info->stmt;
    tn_bind_view *view = tn_arena_zalloc(b->arena, sizeof *view);
    if (!view)
        return tn_error_oom(b->err);
    const char *const *path = b->env->search_path ? b->env->search_path : default_path;
    view->schema = stmt->target.schema ? stmt->target.schema : path[0];
    b->deps = &view->deps;
    tn_logical *plan = tn_bind_select(b, stmt->select, NULL, true);
    b->deps = NULL;
    if (!plan)
        return -1;
    if (stmt->column_count > plan->column_count)
        return tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, 0, "CREATE VIEW specifies more column names than columns");
    const char **names = tn_arena_alloc(b->arena, sizeof *names * (size_t)(plan->column_count + 1));
    if (!names)
        return tn_error_oom(b->err);
    for (int col = 0; col < plan->column_count; col++) {
        names[col] = col < stmt->column_count ? stmt->columns[col] : plan->names[col];
        for (int prev = 0; prev < col; prev++)
            if (strcmp(names[prev], names[col]) == 0)
                return tn_error_set(b->err, TN_ERR_DUPLICATE_COLUMN, 0, "column \"%s\" specified more than once",
                                    names[col]);
        if (plan->types[col].id == TN_TYPE_NULL)
            return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                                "column \"%s\" of a view must have a type: write a cast such as NULL::text",
                                names[col]);
    }
    view->def.name = stmt->target.name;
    view->def.sql = stmt->view_sql;
    view->def.column_count = plan->column_count;
    view->def.column_names = names;
    if (stmt->or_replace && check_replacement(b, view, plan) < 0)
        return -1;
    info->view = view;
    return 0;
}

static int drop_views(const tn_sql_env *env, tn_ast_statement *stmt, tn_catalog_txn *txn, tn_error *err)
{
    for (int idx = 0; idx < stmt->name_count; idx++) {
        const tn_ast_name *name = &stmt->names[idx];
        const char *schema;
        tn_catalog_relation_kind kind = resolve(env, name->schema, name->name, &schema, err);
        if (kind == TN_CATALOG_RELATION_ERROR)
            return -1;
        if (kind == TN_CATALOG_RELATION_TABLE) {
            tn_error_set(err, TN_ERR_WRONG_OBJECT_TYPE, 0, "\"%s\" is not a view", name->name);
            tn_error_hint(err, "Use DROP TABLE to remove a table.");
            return -1;
        }
        if (kind == TN_CATALOG_RELATION_NONE) {
            if (stmt->if_exists)
                continue;
            return name->schema ? tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "view \"%s.%s\" does not exist",
                                               name->schema, name->name)
                                : tn_error_set(err, TN_ERR_UNDEFINED_TABLE, 0, "view \"%s\" does not exist", name->name);
        }
        /* An earlier name's CASCADE may already have dropped this one. */
        int64_t view_id;
        int exists = tn_catalog_txn_view_id(txn, schema, name->name, &view_id, err);
        if (exists < 0 || (exists && tn_catalog_txn_drop_view(txn, view_id, stmt->cascade, err) < 0))
            return -1;
    }
    return 0;
}

int tn_sql_apply_view_ddl(const tn_sql_env *env, tn_bind_ddl_info *info, tn_catalog_txn *txn, tn_error *err)
{
    if (info->stmt->kind == TN_AST_DROP_VIEW)
        return drop_views(env, info->stmt, txn, err);
    tn_bind_view *view = info->view;
    return tn_catalog_txn_create_view(txn, view->schema, &view->def, info->stmt->or_replace, view->deps.tables,
                                      view->deps.table_count, view->deps.views, view->deps.view_count, err);
}
