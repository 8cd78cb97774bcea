/*
 * Physical operators and pipelines: the interface between the physical
 * planner (sql/physical_plan.c), the pipeline executor (pipeline.c) and
 * the operators (op_*.c).
 *
 * A tn_physical is read-only once planned.  Run-time state lives beside
 * it: one global state per operator (shared by every thread, made once
 * per execution) and one local state per thread and pipeline role.  An
 * operator plays up to three roles, each a set of functions:
 *
 *   source    get_chunk(global, local, out)      -> 1 more | 0 done
 *   operator  execute(global, local, in, out)    -> NEED_MORE | HAVE_MORE | FINISHED
 *             flush(global, local, out)          -> rows left once the source ran dry
 *   sink      sink(global, local, in, side)      per thread, no locks
 *             combine(global, local)             merge one thread's local state
 *             finalize(global)                   once, after every input pipeline
 *
 * The shape says which roles it plays and so where pipelines are cut:
 * LEAF operators are sources; STREAM operators sit in their child's
 * pipeline; BREAKERs are the sink of each child's pipeline and the source
 * of the next; PROBEs sink their right child (the build side) and stream
 * their left child through execute.
 */
#ifndef TN_EXEC_OPERATOR_H
#define TN_EXEC_OPERATOR_H

#include "exec/exec_int.h"
#include "sql/logical.h"

typedef struct tn_physical tn_physical;
typedef struct tn_executor tn_exec; /* one execution of a plan (exec.h's tn_executor) */

typedef enum tn_op_status {
    TN_OP_NEED_MORE = 0, /* out holds this input's last rows (maybe none): send the next input */
    TN_OP_HAVE_MORE = 1, /* out is full: call again with the same input */
    TN_OP_FINISHED = 2,  /* no more input wanted (LIMIT reached): out holds the last rows */
} tn_op_status;

typedef enum tn_physical_shape {
    TN_SHAPE_LEAF,
    TN_SHAPE_STREAM,
    TN_SHAPE_BREAKER,
    TN_SHAPE_PROBE,
} tn_physical_shape;

typedef enum tn_op_role { TN_ROLE_SOURCE, TN_ROLE_OPERATOR, TN_ROLE_SINK } tn_op_role;

typedef struct tn_physical_ops {
    const char *name;          /* as EXPLAIN ANALYZE prints it */
    tn_physical_shape shape;
    void *(*init_global)(tn_exec *exec, const tn_physical *op, tn_error *err);
    void *(*init_local)(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                        tn_error *err);
    int (*get_chunk)(tn_exec *exec, const tn_physical *op, void *global, void *local,
                     tn_chunk *out, tn_error *err);
    int (*execute)(tn_exec *exec, const tn_physical *op, void *global, void *local,
                   const tn_chunk *in, tn_chunk *out, tn_error *err);
    int (*flush)(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_chunk *out,
                 tn_error *err);
    int (*sink)(tn_exec *exec, const tn_physical *op, void *global, void *local,
                const tn_chunk *in, int side, tn_error *err);
    int (*combine)(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_error *err);
    int (*finalize)(tn_exec *exec, const tn_physical *op, void *global, tn_error *err);
} tn_physical_ops;

struct tn_physical {
    const tn_physical_ops *ops;
    tn_physical *children[2];
    int child_count;
    int column_count;          /* output schema */
    const tn_type *types;
    const tn_logical *logical; /* the node it implements: expressions, table, ... */
    void *data;                /* what the planner prepared for this operator */
    int id;                    /* position in the executor's operator list */
};

/* Physical operator tables, one per op_*.c file. */
extern const tn_physical_ops tn_op_table_scan;
extern const tn_physical_ops tn_op_read_parquet;
extern const tn_physical_ops tn_op_function_scan;
extern const tn_physical_ops tn_op_lateral_function_scan;
extern const tn_physical_ops tn_op_recursive_cte;
extern const tn_physical_ops tn_op_cte_scan;
extern const tn_physical_ops tn_op_shared_cte_scan;
extern const tn_physical_ops tn_op_lateral_join;
extern const tn_physical_ops tn_op_values;
extern const tn_physical_ops tn_op_filter;
extern const tn_physical_ops tn_op_projection;
extern const tn_physical_ops tn_op_hash_aggregate;
extern const tn_physical_ops tn_op_hash_join;
extern const tn_physical_ops tn_op_nested_loop_join;
extern const tn_physical_ops tn_op_sort;
extern const tn_physical_ops tn_op_limit;
extern const tn_physical_ops tn_op_distinct;
extern const tn_physical_ops tn_op_set_operation;
extern const tn_physical_ops tn_op_insert;
extern const tn_physical_ops tn_op_delete;
extern const tn_physical_ops tn_op_update;
extern const tn_physical_ops tn_op_explain;
extern const tn_physical_ops tn_op_explain_analyze;
extern const tn_physical_ops tn_op_window;
extern const tn_physical_ops tn_op_upsert;
extern const tn_physical_ops tn_op_update_keyed;

/* Planning data of a hash join (physical_plan.c extracts the keys). */
typedef struct tn_hash_join_data {
    tn_join_type join_type;
    tn_expr **left_keys;       /* over the left child's columns */
    tn_expr **right_keys;      /* over the right child's columns */
    int key_count;
    tn_expr *residual;         /* over left ++ right columns, or NULL */
} tn_hash_join_data;

/* The join machinery shared by hash and nested loop joins (op_hash_join.c). */
void *tn_join_init_global(tn_exec *exec, const tn_physical *op, tn_error *err);
void *tn_join_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                         tn_error *err);
int tn_join_execute(tn_exec *exec, const tn_physical *op, void *global, void *local,
                    const tn_chunk *in, tn_chunk *out, tn_error *err);
int tn_join_flush(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_chunk *out,
                  tn_error *err);
int tn_join_sink(tn_exec *exec, const tn_physical *op, void *global, void *local,
                 const tn_chunk *in, int side, tn_error *err);
int tn_join_combine(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_error *err);
int tn_join_finalize(tn_exec *exec, const tn_physical *op, void *global, tn_error *err);

/* Rows as hash-table keys, shared by set operations and DISTINCT
 * (op_set_operation.c). */
void *tn_rowset_init_global(tn_exec *exec, const tn_physical *op, tn_error *err);
void *tn_rowset_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                           tn_error *err);
int tn_rowset_sink(tn_exec *exec, const tn_physical *op, void *global, void *local,
                   const tn_chunk *in, int side, tn_error *err);
int tn_rowset_combine(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_error *err);
int tn_rowset_get_chunk(tn_exec *exec, const tn_physical *op, void *global, void *local,
                        tn_chunk *out, tn_error *err);

/* Table writes shared by INSERT, UPDATE and DELETE (op_insert.c).  The
 * global state holds the table writer; the local one the CHECK states. */
void *tn_dml_init_global(tn_exec *exec, const tn_physical *op, tn_error *err);
void *tn_dml_init_checks(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                         tn_error *err);
/* 23502 / 23514 for the first failing row; the table's columns start at
 * first_column of rows. */
int tn_dml_check_rows(const tn_physical *op, void *local, const tn_chunk *rows, int first_column,
                      tn_error *err);
int tn_dml_write_rows(tn_exec *exec, const tn_physical *op, void *global, const tn_chunk *rows,
                      int first_column, tn_error *err);
/* Finishes the files written; count_rows adds them to rows affected. */
int tn_dml_finish_writes(tn_exec *exec, void *global, bool count_rows, tn_error *err);
/* The (empty) source of a DML operator. */
int tn_dml_no_rows(tn_exec *exec, const tn_physical *op, void *global, void *local, tn_chunk *out,
                   tn_error *err);

/* Row ids to delete, collected by DELETE and UPDATE (op_delete.c). */
typedef struct tn_row_ids tn_row_ids;
tn_row_ids *tn_row_ids_create(tn_arena *arena, tn_error *err);
int tn_row_ids_add(tn_row_ids *ids, const tn_vector *column, uint32_t count, tn_error *err);
/* Deletes the distinct ids from op's table and counts them as affected. */
int tn_row_ids_delete(tn_exec *exec, const tn_physical *op, tn_row_ids *ids, tn_error *err);

/* Turns a logical plan into physical operators (sql/physical_plan.c). */
tn_physical *tn_physical_plan(tn_arena *arena, const tn_logical *plan, tn_error *err);

/* ---- what operators may ask of the executor (pipeline.c) ---- */

tn_exec_context *tn_exec_context_of(tn_exec *exec);
/* The global state of an operator initialized before op in this executor
 * for which same(op, other) holds, or NULL. */
void *tn_exec_peer_global(tn_exec *exec, const tn_physical *op,
                          bool (*same)(const tn_physical *op, const tn_physical *other));
/* Adds to the statement's rows affected (DML). */
void tn_exec_add_rows_affected(tn_exec *exec, int64_t rows);
/* The physical plan below an EXPLAIN ANALYZE rendered with rows and time. */
char *tn_exec_profile_text(tn_exec *exec, const tn_physical *root, tn_arena *arena);

#endif
