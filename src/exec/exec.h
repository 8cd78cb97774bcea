/*
 * Running a plan.  The executor turns a logical plan into pipelines of
 * physical operators (sql/physical_plan.c builds them; exec/pipeline.c
 * runs them) and streams the result as chunks.  Pipelines run source ->
 * operators -> sink, morsel by morsel, with per-thread local state; a
 * pipeline starts when the pipelines it depends on have finished.
 */
#ifndef TN_EXEC_EXEC_H
#define TN_EXEC_EXEC_H

#include "exec/expr.h"
#include "types/datetime.h"

typedef struct tn_catalog_txn tn_catalog_txn;

/* What a statement runs with.  Owned by the caller (the session). */
struct tn_exec_context {
    tn_arena *arena;        /* statement arena: plans, states, results */
    tn_catalog_txn *txn;    /* open write transaction for DML, else NULL */
    int64_t statement_time; /* now() / current_timestamp, UTC microseconds */
    const tn_value *params; /* $1.. of a prepared statement */
    int param_count;
    uint64_t *random_state; /* session's random() state (setseed) */
    int thread_count;       /* threads a parallel pipeline may use (>= 1) */
    const tn_timezone *timezone; /* the session's TimeZone; NULL means UTC */
    const struct tn_outer_row *outer; /* set by the executor for a correlated subquery's plan:
                                         the enclosing queries' current rows; NULL otherwise */
    const struct tn_working_table *working; /* WITH RECURSIVE: the working tables of the recursive
                                               CTEs running (op_recursive_cte.c), innermost first */
};

/* The zone timestamptz values are read and shown in. */
static inline const tn_timezone *tn_exec_timezone(const tn_exec_context *context)
{
    static const tn_timezone utc = {0, NULL};
    return context->timezone != NULL ? context->timezone : &utc;
}

typedef struct tn_executor tn_executor;

/* Plans plan for execution; nothing runs yet. */
tn_executor *tn_executor_create(tn_exec_context *context, tn_logical *plan, tn_error *err);
/* The next chunk of the result: 1 with *out set (valid until the next
 * call), 0 at the end, -1 on error.  DML plans run to completion on the
 * first call and return their rows affected through
 * tn_executor_rows_affected. */
int tn_executor_next(tn_executor *executor, const tn_chunk **out, tn_error *err);
int64_t tn_executor_rows_affected(const tn_executor *executor);
/* EXPLAIN ANALYZE text (after the run): the physical plan with rows and
 * time per operator. */
char *tn_executor_profile(tn_executor *executor, tn_arena *arena);
void tn_executor_destroy(tn_executor *executor);

#endif
