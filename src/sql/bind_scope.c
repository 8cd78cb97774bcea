/*
 * Binder scopes: the relations a query level can see, and the resolution
 * of column references against them (innermost level first, then the
 * enclosing ones as OUTER_COLUMN references).  Errors follow PostgreSQL's
 * wording: 42703 with a "Perhaps you meant" hint for a near miss, 42702
 * for an ambiguous name, 42P01 for an unknown qualifier.
 */
#include "sql/binder.h"

#include <string.h>

static int levenshtein(const char *a, const char *b);
static tn_expr *reference(tn_binder *b, tn_bind_scope *scope, int depth, const tn_bind_relation *rel,
                          int column, int location);
static int find_column(const tn_bind_relation *rel, const char *name);
static int column_not_found(tn_binder *b, tn_bind_scope *scope, const tn_ast_expr *ref);

tn_bind_scope *tn_bind_scope_new(tn_binder *b, tn_bind_scope *parent)
{
    tn_bind_scope *scope = tn_arena_zalloc(b->arena, sizeof *scope);
    if (!scope) {
        tn_error_oom(b->err);
        return NULL;
    }
    scope->parent = parent;
    scope->level = parent ? parent->level + 1 : 0;
    return scope;
}

tn_bind_relation *tn_bind_scope_add(tn_binder *b, tn_bind_scope *scope, const char *alias, int column_count,
                                    int location)
{
    for (int idx = 0; alias && idx < scope->relation_count; idx++) {
        if (scope->relations[idx].alias && strcmp(scope->relations[idx].alias, alias) == 0) {
            tn_error_set(b->err, TN_ERR_DUPLICATE_ALIAS, location, "table name \"%s\" specified more than once",
                         alias);
            return NULL;
        }
    }
    if (scope->relation_count == scope->relation_capacity) {
        int capacity = scope->relation_capacity ? scope->relation_capacity * 2 : 4;
        tn_bind_relation *grown = tn_arena_realloc(b->arena, scope->relations,
                                                   sizeof *grown * (size_t)scope->relation_capacity,
                                                   sizeof *grown * (size_t)capacity);
        if (!grown) {
            tn_error_oom(b->err);
            return NULL;
        }
        scope->relations = grown;
        scope->relation_capacity = capacity;
    }
    int *star = tn_arena_realloc(b->arena, scope->star, sizeof *star * (size_t)scope->star_count,
                                 sizeof *star * (size_t)(scope->star_count + column_count + 1));
    tn_bind_relation *rel = &scope->relations[scope->relation_count];
    memset(rel, 0, sizeof *rel);
    rel->alias = alias;
    rel->offset = scope->column_count;
    rel->column_count = column_count;
    rel->names = tn_arena_zalloc(b->arena, sizeof *rel->names * (size_t)(column_count + 1));
    rel->types = tn_arena_zalloc(b->arena, sizeof *rel->types * (size_t)(column_count + 1));
    rel->is_hidden = tn_arena_zalloc(b->arena, sizeof *rel->is_hidden * (size_t)(column_count + 1));
    if (!star || !rel->names || !rel->types || !rel->is_hidden) {
        tn_error_oom(b->err);
        return NULL;
    }
    scope->star = star;
    for (int col = 0; col < column_count; col++)
        scope->star[scope->star_count++] = scope->column_count + col;
    scope->relation_count++;
    scope->column_count += column_count;
    return rel;
}

int tn_bind_scope_merge(tn_binder *b, tn_bind_scope *dst, const tn_bind_scope *src, int location)
{
    int base = dst->column_count;
    int star_base = dst->star_count;
    for (int idx = 0; idx < src->relation_count; idx++) {
        const tn_bind_relation *from = &src->relations[idx];
        tn_bind_relation *rel = tn_bind_scope_add(b, dst, from->alias, from->column_count, location);
        if (!rel)
            return -1;
        rel->schema = from->schema;
        rel->table = from->table;
        memcpy(rel->names, from->names, sizeof *rel->names * (size_t)from->column_count);
        memcpy(rel->types, from->types, sizeof *rel->types * (size_t)from->column_count);
        memcpy(rel->is_hidden, from->is_hidden, sizeof *rel->is_hidden * (size_t)from->column_count);
    }
    /* src's own star order (JOIN USING puts merged columns first) */
    dst->star_count = star_base;
    for (int idx = 0; idx < src->star_count; idx++)
        dst->star[dst->star_count++] = base + src->star[idx];
    return 0;
}

static int find_column(const tn_bind_relation *rel, const char *name)
{
    for (int col = 0; col < rel->column_count; col++)
        if (strcmp(rel->names[col], name) == 0)
            return col;
    return -1;
}

static tn_expr *reference(tn_binder *b, tn_bind_scope *scope, int depth, const tn_bind_relation *rel,
                          int column, int location)
{
    tn_expr *expr = tn_expr_column(b->arena, rel->offset + column, rel->types[column], location);
    if (!expr) {
        tn_error_oom(b->err);
        return NULL;
    }
    if (depth > 0) {
        expr->kind = TN_EXPR_OUTER_COLUMN;
        expr->depth = depth;
    }
    if (scope->level - depth < b->min_level)
        b->min_level = scope->level - depth;
    return expr;
}

/* Edit distance with unit costs (names are short). */
static int levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* 42703 with PostgreSQL's hint: the closest column name of a relation in
 * scope when fewer than half its characters differ. */
static int column_not_found(tn_binder *b, tn_bind_scope *scope, const tn_ast_expr *ref)
{
    const char *name = ref->names[ref->name_count - 1];
    const char *qualifier = ref->name_count > 1 ? ref->names[ref->name_count - 2] : NULL;
    if (qualifier)
        tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, ref->location, "column %s.%s does not exist", qualifier,
                     name);
    else
        tn_error_set(b->err, TN_ERR_UNDEFINED_COLUMN, ref->location, "column \"%s\" does not exist", name);
    const tn_bind_relation *best_rel = NULL;
    int best_col = -1, best_distance = 4;
    bool tie = false;
    for (tn_bind_scope *level = scope; level; level = level->parent) {
        for (int idx = 0; idx < level->relation_count; idx++) {
            const tn_bind_relation *rel = &level->relations[idx];
            if (qualifier && (!rel->alias || strcmp(rel->alias, qualifier) != 0))
                continue;
            for (int col = 0; col < rel->column_count; col++) {
                int distance = levenshtein(rel->names[col], name);
                if (distance > (int)strlen(name) / 2 || distance > best_distance)
                    continue;
                tie = distance == best_distance && best_rel;
                if (distance < best_distance || !best_rel) {
                    best_distance = distance;
                    best_rel = rel;
                    best_col = col;
                    tie = false;
                }
            }
        }
    }
    if (best_rel && !tie && best_rel->alias)
        tn_error_hint(b->err, "Perhaps you meant to reference the column \"%s.%s\".", best_rel->alias,
                      best_rel->names[best_col]);
    return -1;
}

tn_expr *tn_bind_column_ref(tn_binder *b, tn_bind_scope *scope, const tn_ast_expr *ref)
{
    const char *name = ref->names[ref->name_count - 1];
    const char *qualifier = ref->name_count > 1 ? ref->names[ref->name_count - 2] : NULL;
    const char *schema = ref->name_count > 2 ? ref->names[0] : NULL;
    int depth = 0;
    bool qualifier_found = false;
    for (tn_bind_scope *level = scope; level; level = level->parent, depth++) {
        const tn_bind_relation *found_rel = NULL;
        int found_col = -1;
        for (int idx = 0; idx < level->relation_count; idx++) {
            const tn_bind_relation *rel = &level->relations[idx];
            if (qualifier) {
                if (!rel->alias || strcmp(rel->alias, qualifier) != 0)
                    continue;
                if (schema && (!rel->schema || strcmp(rel->schema, schema) != 0))
                    continue;
                qualifier_found = true;
            }
            int col = find_column(rel, name);
            if (col < 0 || (!qualifier && rel->is_hidden[col]))
                continue;
            bool twice = false;
            for (int other = col + 1; other < rel->column_count; other++)
                twice |= strcmp(rel->names[other], name) == 0 && !(!qualifier && rel->is_hidden[other]);
            if (found_rel || twice) {
                tn_error_set(b->err, TN_ERR_AMBIGUOUS_COLUMN, ref->location, "column reference \"%s\" is ambiguous",
                             name);
                return NULL;
            }
            found_rel = rel;
            found_col = col;
        }
        if (found_rel)
            return reference(b, scope, depth, found_rel, found_col, ref->location);
        if (qualifier_found)
            break;
    }
    if (qualifier && !qualifier_found) {
        tn_error_set(b->err, TN_ERR_UNDEFINED_TABLE, ref->location, "missing FROM-clause entry for table \"%s\"",
                     qualifier);
        return NULL;
    }
    column_not_found(b, scope, ref);
    return NULL;
}

const char *tn_bind_scope_column_name(tn_binder *b, const tn_bind_scope *scope, int column)
{
    for (int idx = 0; idx < scope->relation_count; idx++) {
        const tn_bind_relation *rel = &scope->relations[idx];
        if (column >= rel->offset && column < rel->offset + rel->column_count)
            return rel->alias ? tn_arena_printf(b->arena, "%s.%s", rel->alias, rel->names[column - rel->offset])
                              : rel->names[column - rel->offset];
    }
    return "?";
}
