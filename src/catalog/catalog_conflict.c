/*
 * Snapshot change lists and the conflict matrix.  Every snapshot records
 * what it changed in ducklake_snapshot_changes.changes_made, a comma list in
 * DuckLake's spelling:
 *     created_schema:"s"   created_table:"s"."t"   dropped_schema:<id>
 *     dropped_table:<id>   inserted_into_table:<id>   deleted_from_table:<id>
 *     compacted_table:<id> altered_table:<id>   created_view:"s"."v"
 *     dropped_view:<id>    altered_view:<id>    (names quoted as SQL does)
 * A committing transaction reads the lists of every snapshot committed
 * after the one it read and fails with 40001 when one of them touched what
 * it touches, by the rules in `rules` (DuckLake's matrix: concurrent
 * inserts into one table are fine; two deletes, or a delete and an insert,
 * on one table are not; neither is anything against a dropped table or
 * schema, nor two creations of one name, tables and views alike).  A view
 * created over a table or view that a concurrent transaction dropped (or
 * the reverse) is caught at commit by a check of the dependencies
 * (catalog_commit.c), since a change list does not say what a view reads.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"

typedef enum match_kind {
    MATCH_ID,           /* same object id */
    MATCH_NAME,         /* same schema name */
    MATCH_TABLE_NAME,   /* same schema and table name */
    MATCH_OWN_SCHEMA,   /* their dropped schema is the one own table is created in */
    MATCH_THEIR_SCHEMA  /* their table is created in the schema own drops */
} match_kind;

typedef struct conflict_rule {
    tn_catalog_change_kind own;
    tn_catalog_change_kind theirs;
    match_kind match;
} conflict_rule;

static const conflict_rule rules[] = {
    {TN_CHANGE_CREATED_SCHEMA, TN_CHANGE_CREATED_SCHEMA, MATCH_NAME},
    {TN_CHANGE_CREATED_TABLE, TN_CHANGE_CREATED_TABLE, MATCH_TABLE_NAME},
    {TN_CHANGE_CREATED_TABLE, TN_CHANGE_CREATED_VIEW, MATCH_TABLE_NAME},
    {TN_CHANGE_CREATED_VIEW, TN_CHANGE_CREATED_VIEW, MATCH_TABLE_NAME},
    {TN_CHANGE_CREATED_VIEW, TN_CHANGE_CREATED_TABLE, MATCH_TABLE_NAME},
    {TN_CHANGE_CREATED_TABLE, TN_CHANGE_DROPPED_SCHEMA, MATCH_OWN_SCHEMA},
    {TN_CHANGE_CREATED_VIEW, TN_CHANGE_DROPPED_SCHEMA, MATCH_OWN_SCHEMA},
    {TN_CHANGE_DROPPED_SCHEMA, TN_CHANGE_DROPPED_SCHEMA, MATCH_ID},
    {TN_CHANGE_DROPPED_SCHEMA, TN_CHANGE_CREATED_TABLE, MATCH_THEIR_SCHEMA},
    {TN_CHANGE_DROPPED_SCHEMA, TN_CHANGE_CREATED_VIEW, MATCH_THEIR_SCHEMA},
    {TN_CHANGE_DROPPED_VIEW, TN_CHANGE_DROPPED_VIEW, MATCH_ID},
    {TN_CHANGE_DROPPED_VIEW, TN_CHANGE_ALTERED_VIEW, MATCH_ID},
    {TN_CHANGE_ALTERED_VIEW, TN_CHANGE_DROPPED_VIEW, MATCH_ID},
    {TN_CHANGE_ALTERED_VIEW, TN_CHANGE_ALTERED_VIEW, MATCH_ID},
    {TN_CHANGE_INSERTED_INTO, TN_CHANGE_DROPPED_TABLE, MATCH_ID},
    {TN_CHANGE_INSERTED_INTO, TN_CHANGE_ALTERED_TABLE, MATCH_ID},
    {TN_CHANGE_INSERTED_INTO, TN_CHANGE_DELETED_FROM, MATCH_ID},
    {TN_CHANGE_DELETED_FROM, TN_CHANGE_DROPPED_TABLE, MATCH_ID},
    {TN_CHANGE_DELETED_FROM, TN_CHANGE_ALTERED_TABLE, MATCH_ID},
    {TN_CHANGE_DELETED_FROM, TN_CHANGE_INSERTED_INTO, MATCH_ID},
    {TN_CHANGE_DELETED_FROM, TN_CHANGE_DELETED_FROM, MATCH_ID},
    {TN_CHANGE_DELETED_FROM, TN_CHANGE_COMPACTED, MATCH_ID},
    {TN_CHANGE_COMPACTED, TN_CHANGE_DROPPED_TABLE, MATCH_ID},
    {TN_CHANGE_COMPACTED, TN_CHANGE_ALTERED_TABLE, MATCH_ID},
    {TN_CHANGE_COMPACTED, TN_CHANGE_DELETED_FROM, MATCH_ID},
    {TN_CHANGE_COMPACTED, TN_CHANGE_COMPACTED, MATCH_ID},
    {TN_CHANGE_DROPPED_TABLE, TN_CHANGE_DROPPED_TABLE, MATCH_ID},
    {TN_CHANGE_DROPPED_TABLE, TN_CHANGE_ALTERED_TABLE, MATCH_ID},
    {TN_CHANGE_DROPPED_TABLE, TN_CHANGE_INSERTED_INTO, MATCH_ID},
    {TN_CHANGE_DROPPED_TABLE, TN_CHANGE_DELETED_FROM, MATCH_ID},
    {TN_CHANGE_DROPPED_TABLE, TN_CHANGE_COMPACTED, MATCH_ID},
    {TN_CHANGE_ALTERED_TABLE, TN_CHANGE_DROPPED_TABLE, MATCH_ID},
    {TN_CHANGE_ALTERED_TABLE, TN_CHANGE_ALTERED_TABLE, MATCH_ID},
    {TN_CHANGE_ALTERED_TABLE, TN_CHANGE_INSERTED_INTO, MATCH_ID},
    {TN_CHANGE_ALTERED_TABLE, TN_CHANGE_DELETED_FROM, MATCH_ID},
    {TN_CHANGE_ALTERED_TABLE, TN_CHANGE_COMPACTED, MATCH_ID},
};

/* The keys of changes_made, indexed by tn_catalog_change_kind. */
static const char *const change_keys[] = {
    "created_schema", "created_table",       "dropped_schema",     "dropped_table",
    "inserted_into_table", "deleted_from_table", "compacted_table", "altered_table",
    "created_view", "dropped_view", "altered_view",
};

static bool is_match(const conflict_rule *rule, const tn_catalog_change *own,
                     const tn_catalog_change *theirs);
static bool same_text(const char *a, const char *b);

char *tn_catalog_quote_append(tn_arena *arena, char *text, const char *name)
{
    size_t length = strlen(text), name_length = strlen(name);
    char *out = tn_arena_alloc(arena, length + 2 * name_length + 3);
    if (out == NULL)
        return NULL;
    memcpy(out, text, length);
    char *cursor = out + length;
    *cursor++ = '"';
    for (const char *c = name; *c != '\0'; c++) {
        if (*c == '"')
            *cursor++ = '"';
        *cursor++ = *c;
    }
    *cursor++ = '"';
    *cursor = '\0';
    return out;
}

char *tn_catalog_change_append(tn_arena *arena, char *list, const tn_catalog_change *change)
{
    if (change->kind == TN_CHANGE_OTHER)
        return list;
    char *text = tn_arena_printf(arena, "%s%s%s:", list != NULL ? list : "",
                                 list != NULL && list[0] != '\0' ? "," : "",
                                 change_keys[change->kind]);
    if (text == NULL)
        return NULL;
    switch (change->kind) {
    case TN_CHANGE_CREATED_SCHEMA:
        return tn_catalog_quote_append(arena, text, change->name);
    case TN_CHANGE_CREATED_TABLE:
    case TN_CHANGE_CREATED_VIEW:
        text = tn_catalog_quote_append(arena, text, change->name);
        text = text != NULL ? tn_arena_printf(arena, "%s.", text) : NULL;
        return text != NULL ? tn_catalog_quote_append(arena, text, change->table_name) : NULL;
    default:
        return tn_arena_printf(arena, "%s%lld", text, (long long)change->id);
    }
}

const char *tn_catalog_quote_parse(tn_arena *arena, const char **cursor)
{
    const char *c = *cursor;
    if (*c != '"')
        return NULL;
    size_t capacity = strlen(c);
    char *name = tn_arena_alloc(arena, capacity);
    if (name == NULL)
        return NULL;
    size_t length = 0;
    for (c++;; c++) {
        if (*c == '\0')
            return NULL;
        if (*c == '"') {
            if (c[1] != '"')
                break;
            c++;
        }
        name[length++] = *c;
    }
    name[length] = '\0';
    *cursor = c + 1;
    return name;
}

int tn_catalog_change_parse(tn_arena *arena, const char *list, tn_catalog_change **out,
                            int *count, tn_error *err)
{
    tn_catalog_change *changes = NULL;
    int capacity = 0, used = 0;
    const char *cursor = list != NULL ? list : "";
    while (*cursor != '\0') {
        const char *colon = strchr(cursor, ':');
        if (colon == NULL)
            goto corrupt;
        if (tn_catalog_array_grow(arena, (void **)&changes, &capacity, used, sizeof *changes,
                                  err) < 0)
            return -1;
        tn_catalog_change *change = &changes[used++];
        memset(change, 0, sizeof *change);
        change->kind = TN_CHANGE_OTHER;
        change->schema_id = -1;
        for (int kind = 0; kind < TN_CHANGE_OTHER; kind++)
            if (strlen(change_keys[kind]) == (size_t)(colon - cursor) &&
                strncmp(cursor, change_keys[kind], (size_t)(colon - cursor)) == 0)
                change->kind = (tn_catalog_change_kind)kind;
        cursor = colon + 1;
        if (*cursor == '"') {
            change->name = tn_catalog_quote_parse(arena, &cursor);
            if (change->name != NULL && *cursor == '.') {
                cursor++;
                change->table_name = tn_catalog_quote_parse(arena, &cursor);
            }
            if (change->name == NULL)
                goto corrupt;
        } else {
            char *end;
            change->id = strtoll(cursor, &end, 10);
            if (end == cursor)
                goto corrupt;
            cursor = end;
        }
        if (*cursor == ',')
            cursor++;
        else if (*cursor != '\0')
            goto corrupt;
    }
    *out = changes;
    *count = used;
    return 0;
corrupt:
    return tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "invalid snapshot change list \"%s\"", list);
}

static bool same_text(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static bool is_match(const conflict_rule *rule, const tn_catalog_change *own,
                     const tn_catalog_change *theirs)
{
    switch (rule->match) {
    case MATCH_ID:
        return own->id == theirs->id;
    case MATCH_NAME:
        return same_text(own->name, theirs->name);
    case MATCH_TABLE_NAME:
        return same_text(own->name, theirs->name) && same_text(own->table_name, theirs->table_name);
    case MATCH_OWN_SCHEMA:
        return own->schema_id == theirs->id;
    case MATCH_THEIR_SCHEMA:
        return same_text(own->name, theirs->name);
    }
    return false;
}

int tn_catalog_conflict_check(tn_catalog *catalog, int64_t base, const tn_catalog_change *own,
                              int own_count, tn_arena *arena, tn_error *err)
{
    tn_store_stmt *stmt = tn_catalog_sql_query(
        catalog, err,
        "SELECT snapshot_id, changes_made FROM ducklake_snapshot_changes WHERE snapshot_id > ?"
        " ORDER BY snapshot_id",
        "i", base);
    if (stmt == NULL)
        return -1;
    int row;
    while ((row = catalog->ops->step(stmt, err)) == 1) {
        int64_t snapshot_id = catalog->ops->column_int64(stmt, 0);
        tn_catalog_change *theirs = NULL;
        int their_count = 0;
        if (tn_catalog_change_parse(arena, catalog->ops->column_text(stmt, 1), &theirs,
                                    &their_count, err) < 0) {
            row = -1;
            break;
        }
        for (int own_idx = 0; own_idx < own_count; own_idx++)
            for (int their_idx = 0; their_idx < their_count; their_idx++)
                for (size_t rule_idx = 0; rule_idx < sizeof rules / sizeof rules[0]; rule_idx++) {
                    const conflict_rule *rule = &rules[rule_idx];
                    if (rule->own != own[own_idx].kind || rule->theirs != theirs[their_idx].kind ||
                        !is_match(rule, &own[own_idx], &theirs[their_idx]))
                        continue;
                    char *mine = tn_catalog_change_append(arena, NULL, &own[own_idx]);
                    char *other = tn_catalog_change_append(arena, NULL, &theirs[their_idx]);
                    catalog->ops->finalize(stmt);
                    tn_error_set(err, TN_ERR_SERIALIZATION_FAILURE, 0,
                                 "could not serialize access due to concurrent update");
                    tn_error_detail(err,
                                    "Snapshot %lld, committed after snapshot %lld that this "
                                    "transaction read, made the change %s, which conflicts "
                                    "with this transaction's %s.",
                                    (long long)snapshot_id, (long long)base,
                                    other != NULL ? other : "?", mine != NULL ? mine : "?");
                    return -1;
                }
    }
    catalog->ops->finalize(stmt);
    return row < 0 ? -1 : 0;
}
