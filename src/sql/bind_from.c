/*
 * Binding of FROM items: tables (through the search path, at the
 * statement's snapshot), derived tables, read_parquet() and joins (ON,
 * USING, NATURAL).  Each item yields a plan and a scope whose columns
 * start at 0; the FROM list lays them side by side as cross products,
 * which the optimizer later turns into joins where WHERE allows.
 */
#include "sql/binder.h"
#include "catalog/catalog.h"
#include "storage/parquet.h"
#include "storage/table.h"

#include <glob.h>
#include <string.h>

static tn_logical *bind_table_function(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent,
                                       tn_bind_scope **out);
static tn_logical *bind_join(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out);
static int apply_aliases(tn_binder *b, tn_ast_from *from, tn_bind_relation *rel, const char *name);
static int using_column(tn_binder *b, const tn_bind_scope *scope, const char *name, const char *side);
static tn_logical *bind_cte(tn_binder *b, tn_ast_from *from, int index, tn_bind_scope *parent, tn_bind_scope **out);

/* A reference to WITH query `index`: its query is bound here as a derived
 * table (bind_recursive.c: seeing the WITH queries defined before it, or
 * the working table of a recursive one). */
static tn_logical *bind_cte(tn_binder *b, tn_ast_from *from, int index, tn_bind_scope *parent, tn_bind_scope **out)
{
    const tn_ast_cte *cte = b->ctes[index];
    tn_logical *plan = tn_bind_cte_plan(b, from, index, parent);
    const char *alias = from->alias ? from->alias : cte->name;
    tn_bind_scope *scope = plan ? tn_bind_scope_new(b, parent) : NULL;
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, alias, plan->column_count, from->location) : NULL;
    if (!rel)
        return NULL;
    memcpy(rel->names, plan->names, sizeof *rel->names * (size_t)plan->column_count);
    memcpy(rel->types, plan->types, sizeof *rel->types * (size_t)plan->column_count);
    if (cte->column_alias_count > plan->column_count) {
        tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, from->location,
                     "WITH query \"%s\" has %d columns available but %d columns specified", cte->name,
                     plan->column_count, cte->column_alias_count);
        return NULL;
    }
    for (int col = 0; col < cte->column_alias_count; col++)
        rel->names[col] = cte->column_aliases[col];
    if (apply_aliases(b, from, rel, alias) < 0)
        return NULL;
    *out = scope;
    return plan;
}

tn_table *tn_bind_table(tn_binder *b, const char *schema, const char *name, int location)
{
    const tn_sql_env *env = b->env;
    static const char *const default_path[] = {"main", NULL};
    const char *const *path = env->search_path ? env->search_path : default_path;
    if (schema) {
        tn_table *table = tn_table_open(env->catalog, env->lake_dir, env->snapshot_id, schema, name, b->arena, b->err);
        if (table || tn_error_is_set(b->err))
            return table;
        tn_catalog_schema found;
        int exists = tn_catalog_schema_lookup(env->catalog, env->snapshot_id, schema, b->arena, &found, b->err);
        if (exists < 0)
            return NULL;
        if (exists == 0)
            tn_error_set(b->err, TN_ERR_INVALID_SCHEMA_NAME, location, "schema \"%s\" does not exist", schema);
        else
            tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, location, "relation \"%s.%s\" does not exist", schema, name);
        return NULL;
    }
    for (int idx = 0; path[idx]; idx++) {
        tn_table *table = tn_table_open(env->catalog, env->lake_dir, env->snapshot_id, path[idx], name, b->arena,
                                        b->err);
        if (table || tn_error_is_set(b->err))
            return table;
    }
    tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, location, "relation \"%s\" does not exist", name);
    return NULL;
}

tn_logical *tn_bind_get(tn_binder *b, tn_table *table, bool with_row_id)
{
    int first = with_row_id ? 1 : 0;
    tn_logical *get = tn_logical_new(b->arena, TN_LOGICAL_GET, table->column_count + first);
    int *columns = get ? tn_arena_alloc(b->arena, sizeof *columns * (size_t)(table->column_count + 1)) : NULL;
    if (!columns) {
        tn_error_oom(b->err);
        return NULL;
    }
    get->table = table;
    get->columns = columns;
    if (with_row_id) {
        columns[0] = TN_ROW_ID_COLUMN;
        get->types[0] = tn_type_make(TN_TYPE_INT64);
        get->names[0] = "rowid";
    }
    for (int col = 0; col < table->column_count; col++) {
        columns[first + col] = col;
        get->types[first + col] = table->columns[col].type;
        get->names[first + col] = table->columns[col].name;
    }
    return get;
}

tn_logical *tn_bind_projection(tn_binder *b, tn_logical *child, tn_expr **exprs, const char **names, int count)
{
    tn_logical *proj = tn_logical_new(b->arena, TN_LOGICAL_PROJECTION, count);
    if (!proj) {
        tn_error_oom(b->err);
        return NULL;
    }
    proj->children[0] = child;
    proj->child_count = 1;
    proj->exprs = exprs;
    for (int col = 0; col < count; col++) {
        proj->types[col] = exprs[col]->type;
        proj->names[col] = names[col];
    }
    return proj;
}

/* Column aliases "t(a, b)" rename the first columns of an item. */
static int apply_aliases(tn_binder *b, tn_ast_from *from, tn_bind_relation *rel, const char *name)
{
    if (from->column_alias_count > rel->column_count)
        return tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, from->location,
                            "table \"%s\" has %d columns available but %d columns specified", name,
                            rel->column_count, from->column_alias_count);
    for (int idx = 0; idx < from->column_alias_count; idx++)
        rel->names[idx] = from->column_aliases[idx];
    return 0;
}

static tn_logical *bind_table_function(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent,
                                       tn_bind_scope **out)
{
    tn_ast_expr *call = from->function;
    if (strcmp(call->name, "read_parquet") != 0)
        return tn_bind_function_scan(b, from, parent, out);
    if (call->arg_count != 1 || from->with_ordinality) {
        if (from->with_ordinality)
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, call->location,
                         "WITH ORDINALITY is not supported for read_parquet");
        else
            tn_error_set(b->err, TN_ERR_UNDEFINED_FUNCTION, call->location,
                         "function read_parquet takes exactly one argument (a file name or glob)");
        return NULL;
    }
    tn_bind_clause saved = b->clause;
    b->clause = TN_CLAUSE_FUNCTION;
    tn_bind_scope *empty = tn_bind_scope_new(b, parent);
    tn_expr *arg = empty ? tn_bind_expr(b, empty, call->args[0]) : NULL;
    b->clause = saved;
    if (!arg)
        return NULL;
    tn_value *value = tn_arena_zalloc(b->arena, sizeof *value);
    if (!value) {
        tn_error_oom(b->err);
        return NULL;
    }
    if (!tn_expr_is_foldable(arg) || arg->type.id != TN_TYPE_TEXT) {
        tn_error_set(b->err, TN_ERR_INVALID_PARAMETER_VALUE, arg->location,
                     "the argument of read_parquet must be a constant text");
        return NULL;
    }
    if (tn_expr_fold(b->arena, arg, value, b->err) < 0)
        return NULL;
    if (value->is_null) {
        tn_error_set(b->err, TN_ERR_NULL_VALUE_NOT_ALLOWED, arg->location, "the argument of read_parquet is null");
        return NULL;
    }
    char *pattern = tn_arena_strndup(b->arena, tn_string_data(&value->u.string), value->u.string.length);
    if (!pattern) {
        tn_error_oom(b->err);
        return NULL;
    }
    glob_t matches;
    if (glob(pattern, 0, NULL, &matches) != 0 || matches.gl_pathc == 0) {
        globfree(&matches);
        tn_error_set(b->err, TN_ERR_UNDEFINED_FILE, arg->location, "no files match \"%s\"", pattern);
        return NULL;
    }
    tn_parquet_reader *reader = tn_parquet_reader_open(matches.gl_pathv[0], b->err);
    globfree(&matches);
    if (!reader)
        return NULL;
    int count = tn_parquet_reader_column_count(reader);
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_TABLE_FUNCTION, count);
    tn_bind_scope *scope = node ? tn_bind_scope_new(b, parent) : NULL;
    tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, from->alias ? from->alias : call->name, count,
                                                      from->location)
                                  : NULL;
    if (!rel) {
        tn_parquet_reader_close(reader);
        if (!node)
            tn_error_oom(b->err);
        return NULL;
    }
    for (int col = 0; col < count; col++) {
        const tn_parquet_column *column = tn_parquet_reader_column(reader, col);
        node->types[col] = rel->types[col] = column->type;
        node->names[col] = rel->names[col] = tn_arena_strdup(b->arena, column->name);
    }
    tn_parquet_reader_close(reader);
    node->function_name = "read_parquet";
    node->function_args = value;
    node->function_arg_count = 1;
    if (apply_aliases(b, from, rel, rel->alias) < 0)
        return NULL;
    *out = scope;
    return node;
}

/* Index in scope of the one visible column called name, for USING. */
static int using_column(tn_binder *b, const tn_bind_scope *scope, const char *name, const char *side)
{
    int found = -1;
    for (int idx = 0; idx < scope->relation_count; idx++) {
        const tn_bind_relation *rel = &scope->relations[idx];
        for (int col = 0; col < rel->column_count; col++) {
            if (rel->is_hidden[col] || strcmp(rel->names[col], name) != 0)
                continue;
            if (found >= 0)
                return tn_error_set(b->err, TN_ERR_AMBIGUOUS_COLUMN, 0,
                                    "common column name \"%s\" appears more than once in %s table", name, side);
            found = rel->offset + col;
        }
    }
    if (found < 0)
        return tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, 0,
                            "column \"%s\" specified in USING clause does not exist in %s table", name, side);
    return found;
}

static void hide_column(tn_bind_scope *scope, int column)
{
    for (int idx = 0; idx < scope->relation_count; idx++) {
        tn_bind_relation *rel = &scope->relations[idx];
        if (column >= rel->offset && column < rel->offset + rel->column_count)
            rel->is_hidden[column - rel->offset] = true;
    }
}

static tn_logical *bind_join(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out)
{
    if (from->right->kind == TN_AST_FROM_SUBQUERY && from->right->is_lateral)
        return tn_bind_lateral_join(b, from, parent, out);
    tn_bind_scope *left_scope, *right_scope;
    tn_logical *left = tn_bind_from(b, from->left, parent, &left_scope);
    tn_logical *right = left ? tn_bind_from(b, from->right, parent, &right_scope) : NULL;
    tn_bind_scope *scope = right ? tn_bind_scope_new(b, parent) : NULL;
    if (!scope || tn_bind_scope_merge(b, scope, left_scope, from->location) < 0 ||
        tn_bind_scope_merge(b, scope, right_scope, from->location) < 0)
        return NULL;
    int width = left->column_count;
    tn_logical *join = tn_logical_new(b->arena, TN_LOGICAL_JOIN, width + right->column_count);
    if (!join) {
        tn_error_oom(b->err);
        return NULL;
    }
    join->children[0] = left;
    join->children[1] = right;
    join->child_count = 2;
    join->join_type = from->join_kind == TN_AST_JOIN_LEFT    ? TN_JOIN_LEFT
                      : from->join_kind == TN_AST_JOIN_RIGHT ? TN_JOIN_RIGHT
                      : from->join_kind == TN_AST_JOIN_FULL  ? TN_JOIN_FULL
                                                             : TN_JOIN_INNER;
    memcpy(join->types, left->types, sizeof *join->types * (size_t)width);
    memcpy(join->types + width, right->types, sizeof *join->types * (size_t)right->column_count);
    memcpy(join->names, left->names, sizeof *join->names * (size_t)width);
    memcpy(join->names + width, right->names, sizeof *join->names * (size_t)right->column_count);

    /* NATURAL: the visible column names both sides share, in left order. */
    if (from->is_natural) {
        from->using_names = tn_arena_zalloc(b->arena, sizeof *from->using_names * (size_t)(left_scope->star_count + 1));
        if (!from->using_names) {
            tn_error_oom(b->err);
            return NULL;
        }
        for (int idx = 0; idx < left_scope->star_count; idx++) {
            const char *name = join->names[left_scope->star[idx]];
            for (int r = 0; r < right_scope->star_count; r++)
                if (strcmp(join->names[width + right_scope->star[r]], name) == 0) {
                    from->using_names[from->using_count++] = name;
                    break;
                }
        }
    }
    tn_expr *condition = NULL;
    if (from->using_count > 0) {
        if (join->join_type == TN_JOIN_FULL) {
            tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, from->location,
                         "FULL JOIN with USING or NATURAL is not supported yet");
            return NULL;
        }
        int *star = tn_arena_alloc(b->arena, sizeof *star * (size_t)(scope->star_count + 1));
        bool *used = tn_arena_zalloc(b->arena, sizeof *used * (size_t)(scope->column_count + 1));
        if (!star || !used) {
            tn_error_oom(b->err);
            return NULL;
        }
        int star_count = 0;
        for (int idx = 0; idx < from->using_count; idx++) {
            const char *name = from->using_names[idx];
            int l = using_column(b, left_scope, name, "left");
            int r = l < 0 ? -1 : using_column(b, right_scope, name, "right");
            if (r < 0)
                return NULL;
            r += width;
            tn_expr *eq = tn_function_bind(b->arena, "=",
                                           (tn_expr *[]){tn_expr_column(b->arena, l, join->types[l], from->location),
                                                         tn_expr_column(b->arena, r, join->types[r], from->location)},
                                           2, from->location, b->err);
            if (!eq)
                return NULL;
            if (condition) {
                tn_expr *and = tn_expr_new(b->arena, TN_EXPR_AND, tn_type_make(TN_TYPE_BOOL), 2, from->location);
                if (!and) {
                    tn_error_oom(b->err);
                    return NULL;
                }
                and->args[0] = condition;
                and->args[1] = eq;
                eq = and;
            }
            condition = eq;
            int kept = join->join_type == TN_JOIN_RIGHT ? r : l;
            hide_column(scope, kept == l ? r : l);
            used[l] = used[r] = true;
            star[star_count++] = kept;
        }
        for (int idx = 0; idx < scope->star_count; idx++)
            if (!used[scope->star[idx]])
                star[star_count++] = scope->star[idx];
        scope->star = star;
        scope->star_count = star_count;
    }
    if (from->condition) {
        tn_bind_clause saved = b->clause;
        b->clause = TN_CLAUSE_JOIN;
        tn_expr *on = tn_bind_condition(b, scope, from->condition, "JOIN/ON");
        b->clause = saved;
        if (!on)
            return NULL;
        if (condition) {
            tn_expr *and = tn_expr_new(b->arena, TN_EXPR_AND, tn_type_make(TN_TYPE_BOOL), 2, from->location);
            if (!and) {
                tn_error_oom(b->err);
                return NULL;
            }
            and->args[0] = condition;
            and->args[1] = on;
            on = and;
        }
        condition = on;
    }
    join->predicate = condition;
    *out = scope;
    return join;
}

tn_logical *tn_bind_from(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out)
{
    switch (from->kind) {
    case TN_AST_FROM_TABLE: {
        for (int idx = from->schema ? -1 : b->cte_count - 1; idx >= 0; idx--)
            if (strcmp(b->ctes[idx]->name, from->name) == 0)
                return bind_cte(b, from, idx, parent, out);
        bool found;
        tn_logical *named = tn_bind_system_ref(b, from, parent, out, &found);
        if (!found && !tn_error_is_set(b->err))
            named = tn_bind_view_ref(b, from, parent, out, &found);
        if (found || tn_error_is_set(b->err))
            return named;
        tn_table *table = tn_bind_table(b, from->schema, from->name, from->location);
        if (table && tn_bind_note_table(b, table->table_id) < 0)
            return NULL;
        tn_logical *get = table ? tn_bind_get(b, table, false) : NULL;
        tn_bind_scope *scope = get ? tn_bind_scope_new(b, parent) : NULL;
        const char *alias = from->alias ? from->alias : table ? table->name : NULL;
        tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, alias, get->column_count, from->location) : NULL;
        if (!rel)
            return NULL;
        rel->schema = from->alias ? NULL : table->schema_name;
        rel->table = table;
        memcpy(rel->names, get->names, sizeof *rel->names * (size_t)get->column_count);
        memcpy(rel->types, get->types, sizeof *rel->types * (size_t)get->column_count);
        if (apply_aliases(b, from, rel, alias) < 0)
            return NULL;
        *out = scope;
        return get;
    }
    case TN_AST_FROM_SUBQUERY: {
        tn_logical *plan = tn_bind_select(b, from->subquery, parent, true);
        tn_bind_scope *scope = plan ? tn_bind_scope_new(b, parent) : NULL;
        tn_bind_relation *rel = scope ? tn_bind_scope_add(b, scope, from->alias, plan->column_count, from->location)
                                      : NULL;
        if (!rel)
            return NULL;
        memcpy(rel->names, plan->names, sizeof *rel->names * (size_t)plan->column_count);
        memcpy(rel->types, plan->types, sizeof *rel->types * (size_t)plan->column_count);
        if (apply_aliases(b, from, rel, from->alias) < 0)
            return NULL;
        *out = scope;
        return plan;
    }
    case TN_AST_FROM_FUNCTION:
        return bind_table_function(b, from, parent, out);
    case TN_AST_FROM_JOIN:
        break;
    }
    return bind_join(b, from, parent, out);
}
