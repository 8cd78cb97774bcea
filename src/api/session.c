/*
 * Sessions and scripts.  Each statement runs in its own arena against the
 * newest snapshot (autocommit): queries pin it for their whole run; writes
 * record their files and catalog changes in one transaction based on it
 * and commit as one new snapshot, or leave the lake untouched on error.
 */
#include "api/api_int.h"

#include "types/timezone.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const default_search_path[] = {"main", NULL};

static int64_t clock_now_micros(void);
static int run_write(tn_result *result, const tn_sql_env *env, tn_statement *statement,
                     tn_error *err);
static tn_session_prepared **find_prepared(tn_session *session, const char *name);
static int run_prepared(tn_session *session, const tn_statement *statement, tn_error *err);
static void free_prepared(tn_session_prepared *prepared);

tn_session *tn_session_open(tn_lake *lake, const char *principal, tn_error *err)
{
    tn_session *session = calloc(1, sizeof(tn_session));
    if (session == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    session->lake = lake;
    session->principal = strdup(principal != NULL ? principal : tn_lake_owner(lake));
    if (session->principal == NULL) {
        free(session);
        tn_error_oom(err);
        return NULL;
    }
    session->random_state = 0x9E3779B97F4A7C15ull ^ (uint64_t)clock_now_micros();
    session->thread_count = 1;
    return session;
}

void tn_session_close(tn_session *session)
{
    if (session == NULL)
        return;
    while (session->prepared != NULL) {
        tn_session_prepared *next = session->prepared->next;
        free_prepared(session->prepared);
        session->prepared = next;
    }
    free(session->principal);
    free(session);
}

static void free_prepared(tn_session_prepared *prepared)
{
    tn_arena_destroy(prepared->arena);
    free(prepared);
}

/* The link that points at the prepared statement called name (*link is
 * NULL when there is none). */
static tn_session_prepared **find_prepared(tn_session *session, const char *name)
{
    tn_session_prepared **link = &session->prepared;
    while (*link != NULL && strcmp((*link)->statement.name, name) != 0)
        link = &(*link)->next;
    return link;
}

/* PREPARE keeps a copy of the statement; DEALLOCATE forgets one or all. */
static int run_prepared(tn_session *session, const tn_statement *statement, tn_error *err)
{
    if (statement->kind == TN_STATEMENT_DEALLOCATE && statement->name == NULL) {
        while (session->prepared != NULL) {
            tn_session_prepared *next = session->prepared->next;
            free_prepared(session->prepared);
            session->prepared = next;
        }
        return 0;
    }
    tn_session_prepared **link = find_prepared(session, statement->name);
    if (statement->kind == TN_STATEMENT_DEALLOCATE) {
        if (*link == NULL)
            return tn_error_set(err, TN_ERR_UNDEFINED_PSTATEMENT, 0, "prepared statement \"%s\" does not exist",
                                statement->name);
        tn_session_prepared *gone = *link;
        *link = gone->next;
        free_prepared(gone);
        return 0;
    }
    if (*link != NULL)
        return tn_error_set(err, TN_ERR_DUPLICATE_PSTATEMENT, 0, "prepared statement \"%s\" already exists",
                            statement->name);
    const tn_sql_prepared *in = statement->prepared;
    tn_session_prepared *kept = calloc(1, sizeof(tn_session_prepared));
    tn_arena *arena = kept != NULL ? tn_arena_create() : NULL;
    tn_type *types = arena != NULL ? tn_arena_alloc(arena, sizeof(tn_type) * (size_t)(in->param_count + 1)) : NULL;
    if (types == NULL || (kept->statement.name = tn_arena_strdup(arena, in->name)) == NULL ||
        (kept->statement.sql = tn_arena_strdup(arena, in->sql)) == NULL) {
        if (arena != NULL)
            tn_arena_destroy(arena);
        free(kept);
        return tn_error_oom(err);
    }
    memcpy(types, in->param_types, sizeof(tn_type) * (size_t)in->param_count);
    kept->arena = arena;
    kept->statement.param_count = in->param_count;
    kept->statement.param_types = types;
    kept->next = session->prepared;
    session->prepared = kept;
    return 0;
}

const char *tn_session_principal(const tn_session *session)
{
    return session->principal;
}

static int64_t clock_now_micros(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* Runs a DML or DDL statement inside one catalog transaction and commits. */
static int run_write(tn_result *result, const tn_sql_env *env, tn_statement *statement,
                     tn_error *err)
{
    tn_catalog_txn *txn = tn_catalog_begin(env->catalog, env->snapshot_id, env->principal, err);
    if (txn == NULL)
        return -1;
    int applied = statement->ddl ? tn_sql_apply_ddl(env, statement, txn, err) : 0;
    if (applied < 0)
        goto fail;
    if (statement->kind == TN_STATEMENT_DML && applied == 0) {
        result->context.txn = txn;
        result->executor = tn_executor_create(&result->context, statement->plan, err);
        if (result->executor == NULL)
            goto fail;
        const tn_chunk *chunk;
        int rc;
        while ((rc = tn_executor_next(result->executor, &chunk, err)) > 0)
            ;
        if (rc < 0)
            goto fail;
        result->row_count = tn_executor_rows_affected(result->executor);
        tn_executor_destroy(result->executor);
        result->executor = NULL;
        result->context.txn = NULL;
    }
    return tn_catalog_commit(txn, statement->operation ? statement->operation : statement->tag,
                             NULL, err);
fail:
    tn_catalog_abort(txn);
    result->context.txn = NULL;
    return -1;
}

tn_result *tn_session_run(tn_session *session, const char *sql, int offset, int length,
                          tn_error *err)
{
    tn_result *result = calloc(1, sizeof(tn_result));
    if (result == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    result->session = session;
    result->arena = tn_arena_create();
    if (result->arena == NULL) {
        tn_error_oom(err);
        goto fail;
    }
    tn_catalog *catalog = session->lake->catalog;
    tn_sql_env env = {catalog, session->lake->dir, 0, session->principal, default_search_path};
    if (tn_catalog_snapshot_latest(catalog, &env.snapshot_id, err) != 0)
        goto fail;
    result->context.arena = result->arena;
    result->context.statement_time = clock_now_micros();
    result->context.random_state = &session->random_state;
    result->context.thread_count = session->thread_count;
    result->timezone = session->timezone;
    result->context.timezone = &result->timezone;

    tn_statement *statement = tn_sql_prepare(&env, sql, offset, length, result->arena, err);
    if (statement == NULL)
        goto fail;
    if (statement->kind == TN_STATEMENT_EXECUTE) {
        tn_session_prepared *prepared = *find_prepared(session, statement->name);
        if (prepared == NULL) {
            tn_error_set(err, TN_ERR_UNDEFINED_PSTATEMENT, 0, "prepared statement \"%s\" does not exist",
                         statement->name);
            goto fail;
        }
        statement = tn_sql_prepare_execute(&env, &prepared->statement, statement, result->arena, err);
        if (statement == NULL)
            goto fail;
    }
    result->tag = statement->tag;
    switch (statement->kind) {
    case TN_STATEMENT_QUERY:
        result->returns_rows = true;
        result->column_count = statement->plan->column_count;
        result->names = statement->plan->names;
        result->types = statement->plan->types;
        result->executor = tn_executor_create(&result->context, statement->plan, err);
        if (result->executor == NULL)
            goto fail;
        break;
    case TN_STATEMENT_DML:
    case TN_STATEMENT_DDL:
        if (run_write(result, &env, statement, err) != 0)
            goto fail;
        result->at_end = true;
        break;
    case TN_STATEMENT_UTILITY:
        if (statement->timezone_setting != NULL) {
            tn_timezone zone = tn_timezone_utc();
            if (statement->timezone_setting[0] != '\0' &&
                tn_timezone_parse_setting(statement->timezone_setting, &zone, err) != 0)
                goto fail;
            session->timezone = zone;
        }
        result->at_end = true;
        break;
    case TN_STATEMENT_PREPARE:
    case TN_STATEMENT_DEALLOCATE:
        if (run_prepared(session, statement, err) != 0)
            goto fail;
        result->at_end = true;
        break;
    case TN_STATEMENT_EXECUTE:
        break;
    }
    return result;
fail:
    tn_result_close(result);
    return NULL;
}

tn_script *tn_script_open(tn_session *session, const char *sql, tn_error *err)
{
    tn_script *script = calloc(1, sizeof(tn_script));
    if (script == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    script->session = session;
    script->sql = strdup(sql);
    script->arena = tn_arena_create();
    if (script->sql == NULL || script->arena == NULL) {
        tn_error_oom(err);
        tn_script_close(script);
        return NULL;
    }
    if (tn_sql_split(script->sql, script->arena, &script->ranges, &script->range_count, err) != 0) {
        tn_script_close(script);
        return NULL;
    }
    return script;
}

tn_result *tn_script_next(tn_script *script, tn_error *err)
{
    if (script->next >= script->range_count)
        return NULL;
    tn_sql_range *range = &script->ranges[script->next++];
    return tn_session_run(script->session, script->sql, range->offset, range->length, err);
}

const char *tn_script_statement(const tn_script *script, size_t *length)
{
    if (script->next == 0)
        return NULL;
    const tn_sql_range *range = &script->ranges[script->next - 1];
    /* As psql sends it: with its semicolon, when it has one. */
    size_t end = (size_t)range->offset + (size_t)range->length;
    if (length != NULL)
        *length = (size_t)range->length + (script->sql[end] == ';');
    return script->sql + range->offset;
}

void tn_script_close(tn_script *script)
{
    if (script == NULL)
        return;
    tn_arena_destroy(script->arena);
    free(script->sql);
    free(script);
}

tn_result *tn_session_execute(tn_session *session, const char *sql, tn_error *err)
{
    tn_script *script = tn_script_open(session, sql, err);
    if (script == NULL)
        return NULL;
    tn_result *last = NULL;
    for (;;) {
        tn_result *result = tn_script_next(script, err);
        if (result == NULL)
            break;
        tn_result_close(last);
        last = result;
        /* Drain rows so that every statement runs to completion. */
        if (result->returns_rows && script->next < script->range_count) {
            int rc;
            while ((rc = tn_result_next_row(result, err)) > 0)
                ;
            if (rc < 0)
                break;
        }
    }
    tn_script_close(script);
    if (tn_error_is_set(err)) {
        tn_result_close(last);
        return NULL;
    }
    return last;
}
