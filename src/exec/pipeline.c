/*
 * The pipeline executor behind exec.h.  tn_executor_create plans the
 * logical tree (sql/physical_plan.c), makes every operator's global state
 * and cuts the tree into pipelines at breakers (operator.h); pipelines are
 * listed so that each comes after the ones it depends on.  tn_executor_next
 * runs every pipeline but the last to completion, then pulls the last one
 * (whose sink is the caller) a chunk at a time.
 *
 * A pipeline run holds one thread's local states and one output chunk per
 * operator.  pipeline_next is a small state machine: resume the deepest
 * operator that said HAVE_MORE, else pull the source, else (source dry)
 * let operators flush what they kept (a FULL join's unmatched rows).  The
 * same code serves any number of threads: sinks keep per-run local state
 * and merge it in combine; finalize runs when the last pipeline feeding an
 * operator has combined.  This build runs each pipeline on the calling
 * thread, morsel after morsel.
 */
#include "exec/operator.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buffer.h"

typedef struct pipeline {
    const tn_physical *source;
    const tn_physical **ops;
    int op_count;
    int op_capacity;
    const tn_physical *sink;   /* NULL: the caller pulls the rows */
    int sink_side;             /* which child of sink this pipeline carries */
} pipeline;

typedef struct op_profile {
    int64_t rows;
    int64_t nanos;
} op_profile;

typedef struct pipeline_run {
    pipeline *pipeline;
    void *source_local;
    void **op_locals;
    void *sink_local;
    tn_chunk *source_chunk;
    tn_chunk **outs;           /* per operator */
    bool *pending;             /* operator i said HAVE_MORE */
    bool source_done;
    int flush_index;           /* operator being flushed once the source is dry */
    bool flush_done;           /* flush_index has nothing more */
} pipeline_run;

struct tn_executor {
    tn_exec_context *context;
    tn_arena *arena;
    tn_physical *root;
    const tn_physical **ops;   /* by id */
    int op_count;
    void **globals;            /* by id */
    int *pending_inputs;       /* by id: pipelines still to sink into it */
    op_profile *profile;       /* by id */
    pipeline **pipelines;
    int pipeline_count;
    int pipeline_capacity;
    pipeline_run *result;      /* run of the last pipeline */
    bool started;
    int64_t rows_affected;
};

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

tn_exec_context *tn_exec_context_of(tn_exec *exec)
{
    return exec->context;
}

void *tn_exec_peer_global(tn_exec *exec, const tn_physical *op,
                          bool (*same)(const tn_physical *op, const tn_physical *other))
{
    for (int id = 0; id < op->id; id++)
        if (exec->globals[id] != NULL && same(op, exec->ops[id]))
            return exec->globals[id];
    return NULL;
}

void tn_exec_add_rows_affected(tn_exec *exec, int64_t rows)
{
    exec->rows_affected += rows;
}

int64_t tn_executor_rows_affected(const tn_executor *executor)
{
    return executor->rows_affected;
}

/* ---- planning pipelines ---- */

static int number_ops(tn_exec *exec, tn_physical *op, tn_error *err)
{
    if (exec->op_count % 64 == 0) {
        const tn_physical **ops = tn_arena_realloc(exec->arena, exec->ops,
                                                   sizeof(tn_physical *) * (size_t)exec->op_count,
                                                   sizeof(tn_physical *) * (size_t)(exec->op_count + 64));
        if (ops == NULL)
            return tn_error_oom(err);
        exec->ops = ops;
    }
    op->id = exec->op_count;
    exec->ops[exec->op_count++] = op;
    for (int i = 0; i < op->child_count; i++) {
        if (number_ops(exec, op->children[i], err) != 0)
            return -1;
    }
    return 0;
}

static pipeline *new_pipeline(tn_exec *exec, const tn_physical *sink, int side, tn_error *err)
{
    pipeline *p = tn_arena_zalloc(exec->arena, sizeof(pipeline));
    if (p == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    p->sink = sink;
    p->sink_side = side;
    if (sink != NULL)
        exec->pending_inputs[sink->id]++;
    return p;
}

static int add_pipeline(tn_exec *exec, pipeline *p, tn_error *err)
{
    if (exec->pipeline_count == exec->pipeline_capacity) {
        int capacity = exec->pipeline_capacity ? exec->pipeline_capacity * 2 : 8;
        pipeline **grown = tn_arena_realloc(exec->arena, exec->pipelines,
                                            sizeof(pipeline *) * (size_t)exec->pipeline_capacity,
                                            sizeof(pipeline *) * (size_t)capacity);
        if (grown == NULL)
            return tn_error_oom(err);
        exec->pipelines = grown;
        exec->pipeline_capacity = capacity;
    }
    exec->pipelines[exec->pipeline_count++] = p;
    return 0;
}

static int add_op(tn_exec *exec, pipeline *p, const tn_physical *op, tn_error *err)
{
    if (p->op_count == p->op_capacity) {
        int capacity = p->op_capacity ? p->op_capacity * 2 : 4;
        const tn_physical **grown = tn_arena_realloc(exec->arena, p->ops,
                                                     sizeof(tn_physical *) * (size_t)p->op_capacity,
                                                     sizeof(tn_physical *) * (size_t)capacity);
        if (grown == NULL)
            return tn_error_oom(err);
        p->ops = grown;
        p->op_capacity = capacity;
    }
    p->ops[p->op_count++] = op;
    return 0;
}

/* Places op (and its subtree) into pipeline p, creating and listing the
 * pipelines it depends on first. */
static int build_pipelines(tn_exec *exec, const tn_physical *op, pipeline *p, tn_error *err)
{
    switch (op->ops->shape) {
    case TN_SHAPE_LEAF:
        p->source = op;
        return 0;
    case TN_SHAPE_STREAM:
        if (build_pipelines(exec, op->children[0], p, err) != 0)
            return -1;
        return add_op(exec, p, op, err);
    case TN_SHAPE_BREAKER:
        for (int i = 0; i < op->child_count; i++) {
            pipeline *input = new_pipeline(exec, op, i, err);
            if (input == NULL || build_pipelines(exec, op->children[i], input, err) != 0 ||
                add_pipeline(exec, input, err) != 0)
                return -1;
        }
        p->source = op;
        return 0;
    case TN_SHAPE_PROBE: {
        pipeline *build = new_pipeline(exec, op, 1, err);
        if (build == NULL || build_pipelines(exec, op->children[1], build, err) != 0 ||
            add_pipeline(exec, build, err) != 0)
            return -1;
        if (build_pipelines(exec, op->children[0], p, err) != 0)
            return -1;
        return add_op(exec, p, op, err);
    }
    }
    return 0;
}

tn_executor *tn_executor_create(tn_exec_context *context, tn_logical *plan, tn_error *err)
{
    tn_exec *exec = tn_arena_zalloc(context->arena, sizeof(tn_exec));
    if (exec == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    exec->context = context;
    exec->arena = context->arena;
    exec->root = tn_physical_plan(exec->arena, plan, err);
    if (exec->root == NULL || number_ops(exec, exec->root, err) != 0)
        return NULL;
    size_t n = (size_t)exec->op_count;
    exec->globals = tn_arena_zalloc(exec->arena, sizeof(void *) * n);
    exec->pending_inputs = tn_arena_zalloc(exec->arena, sizeof(int) * n);
    exec->profile = tn_arena_zalloc(exec->arena, sizeof(op_profile) * n);
    if (exec->globals == NULL || exec->pending_inputs == NULL || exec->profile == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int id = 0; id < exec->op_count; id++) {
        const tn_physical *op = exec->ops[id];
        if (op->ops->init_global != NULL) {
            exec->globals[id] = op->ops->init_global(exec, op, err);
            if (exec->globals[id] == NULL)
                return NULL;
        }
    }
    pipeline *last = new_pipeline(exec, NULL, 0, err);
    if (last == NULL || build_pipelines(exec, exec->root, last, err) != 0 ||
        add_pipeline(exec, last, err) != 0)
        return NULL;
    return exec;
}

/* ---- running one pipeline ---- */

static void *local_of(tn_exec *exec, const tn_physical *op, tn_op_role role, tn_error *err,
                      bool *failed)
{
    if (op->ops->init_local == NULL)
        return NULL;
    void *local = op->ops->init_local(exec, op, exec->globals[op->id], role, err);
    *failed = local == NULL;
    return local;
}

static pipeline_run *start_run(tn_exec *exec, pipeline *p, tn_error *err)
{
    pipeline_run *run = tn_arena_zalloc(exec->arena, sizeof(pipeline_run));
    if (run == NULL)
        goto oom;
    run->pipeline = p;
    size_t n = (size_t)(p->op_count + 1);
    run->op_locals = tn_arena_zalloc(exec->arena, sizeof(void *) * n);
    run->outs = tn_arena_zalloc(exec->arena, sizeof(tn_chunk *) * n);
    run->pending = tn_arena_zalloc(exec->arena, sizeof(bool) * n);
    if (run->op_locals == NULL || run->outs == NULL || run->pending == NULL)
        goto oom;
    bool failed = false;
    run->source_local = local_of(exec, p->source, TN_ROLE_SOURCE, err, &failed);
    run->source_chunk = tn_exec_chunk_create(exec->arena, p->source->types, p->source->column_count, err);
    if (failed || run->source_chunk == NULL)
        return NULL;
    for (int i = 0; i < p->op_count; i++) {
        const tn_physical *op = p->ops[i];
        run->op_locals[i] = local_of(exec, op, TN_ROLE_OPERATOR, err, &failed);
        run->outs[i] = tn_exec_chunk_create(exec->arena, op->types, op->column_count, err);
        if (failed || run->outs[i] == NULL)
            return NULL;
    }
    if (p->sink != NULL) {
        run->sink_local = local_of(exec, p->sink, TN_ROLE_SINK, err, &failed);
        if (failed)
            return NULL;
    }
    return run;
oom:
    tn_error_oom(err);
    return NULL;
}

/* Pushes input through operators start.. of the run: 1 with *result set
 * when rows came out of the last one, 0 when they stopped on the way. */
static int push(tn_exec *exec, pipeline_run *run, int start, tn_chunk *input, tn_chunk **result,
                tn_error *err)
{
    pipeline *p = run->pipeline;
    tn_chunk *current = input;
    for (int i = start; i < p->op_count; i++) {
        const tn_physical *op = p->ops[i];
        tn_chunk *out = run->outs[i];
        tn_chunk_reset(out);
        int64_t began = now_nanos();
        int status = op->ops->execute(exec, op, exec->globals[op->id], run->op_locals[i], current,
                                      out, err);
        exec->profile[op->id].nanos += now_nanos() - began;
        if (status < 0)
            return -1;
        run->pending[i] = status == TN_OP_HAVE_MORE;
        if (status == TN_OP_FINISHED) {
            run->source_done = true;
            for (int j = 0; j < i; j++)
                run->pending[j] = false;
        }
        exec->profile[op->id].rows += out->count;
        if (out->count == 0)
            return 0;
        current = out;
    }
    *result = current;
    return 1;
}

static int pull_source(tn_exec *exec, pipeline_run *run, tn_chunk **result, tn_error *err)
{
    const tn_physical *source = run->pipeline->source;
    tn_chunk_reset(run->source_chunk);
    int64_t began = now_nanos();
    int more = source->ops->get_chunk(exec, source, exec->globals[source->id], run->source_local,
                                      run->source_chunk, err);
    exec->profile[source->id].nanos += now_nanos() - began;
    if (more < 0)
        return -1;
    if (more == 0 && run->source_chunk->count == 0) {
        run->source_done = true;
        return 0;
    }
    exec->profile[source->id].rows += run->source_chunk->count;
    if (more == 0)
        run->source_done = true;
    if (run->source_chunk->count == 0)
        return 0;
    return push(exec, run, 0, run->source_chunk, result, err);
}

static int flush_next(tn_exec *exec, pipeline_run *run, tn_chunk **result, tn_error *err)
{
    pipeline *p = run->pipeline;
    const tn_physical *op = p->ops[run->flush_index];
    if (op->ops->flush == NULL || run->flush_done) {
        run->flush_index++;
        run->flush_done = false;
        return 0;
    }
    tn_chunk *out = run->outs[run->flush_index];
    tn_chunk_reset(out);
    int status = op->ops->flush(exec, op, exec->globals[op->id], run->op_locals[run->flush_index],
                                out, err);
    if (status < 0)
        return -1;
    run->flush_done = status != TN_OP_HAVE_MORE;
    exec->profile[op->id].rows += out->count;
    if (out->count == 0)
        return 0;
    if (run->flush_index + 1 == p->op_count) {
        *result = out;
        return 1;
    }
    return push(exec, run, run->flush_index + 1, out, result, err);
}

/* The run's next non-empty chunk: 1, or 0 when the pipeline is done. */
static int pipeline_next(tn_exec *exec, pipeline_run *run, tn_chunk **result, tn_error *err)
{
    pipeline *p = run->pipeline;
    for (;;) {
        int start = -1;
        for (int i = p->op_count - 1; i >= 0; i--) {
            if (run->pending[i]) {
                start = i;
                break;
            }
        }
        int status;
        if (start >= 0) {
            tn_chunk *input = start == 0 ? run->source_chunk : run->outs[start - 1];
            status = push(exec, run, start, input, result, err);
        } else if (!run->source_done) {
            status = pull_source(exec, run, result, err);
        } else if (run->flush_index < p->op_count) {
            status = flush_next(exec, run, result, err);
        } else {
            return 0;
        }
        if (status != 0)
            return status;
    }
}

static int run_to_sink(tn_exec *exec, pipeline *p, tn_error *err)
{
    pipeline_run *run = start_run(exec, p, err);
    if (run == NULL)
        return -1;
    const tn_physical *sink = p->sink;
    void *global = exec->globals[sink->id];
    tn_chunk *chunk;
    int status;
    while ((status = pipeline_next(exec, run, &chunk, err)) == 1) {
        int64_t began = now_nanos();
        int sunk = sink->ops->sink(exec, sink, global, run->sink_local, chunk, p->sink_side, err);
        exec->profile[sink->id].nanos += now_nanos() - began;
        if (sunk != 0)
            return -1;
    }
    if (status < 0)
        return -1;
    int64_t began = now_nanos();
    if (sink->ops->combine != NULL && sink->ops->combine(exec, sink, global, run->sink_local, err) != 0)
        return -1;
    if (--exec->pending_inputs[sink->id] == 0 && sink->ops->finalize != NULL &&
        sink->ops->finalize(exec, sink, global, err) != 0)
        return -1;
    exec->profile[sink->id].nanos += now_nanos() - began;
    return 0;
}

int tn_executor_next(tn_executor *executor, const tn_chunk **out, tn_error *err)
{
    tn_exec *exec = executor;
    if (!exec->started) {
        exec->started = true;
        for (int i = 0; i + 1 < exec->pipeline_count; i++) {
            if (run_to_sink(exec, exec->pipelines[i], err) != 0)
                return -1;
        }
        exec->result = start_run(exec, exec->pipelines[exec->pipeline_count - 1], err);
        if (exec->result == NULL)
            return -1;
    }
    if (exec->result == NULL)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "executor used after a failure");
    tn_chunk *chunk;
    int status = pipeline_next(exec, exec->result, &chunk, err);
    if (status < 0) {
        exec->result = NULL;
        return -1;
    }
    if (status == 1)
        *out = chunk;
    return status;
}

void tn_executor_destroy(tn_executor *executor)
{
    (void)executor; /* everything lives in the statement arena */
}

/* ---- profiles ---- */

static int render_profile(tn_exec *exec, const tn_physical *op, int depth, tn_buf *buf)
{
    const op_profile *profile = &exec->profile[op->id];
    if (tn_buf_printf(buf, "%*s%s%s (actual rows=%lld time=%.3f ms)\n", depth * 6, "",
                      depth > 0 ? "->  " : "", op->ops->name, (long long)profile->rows,
                      (double)profile->nanos / 1e6) != 0)
        return -1;
    for (int i = 0; i < op->child_count; i++) {
        if (render_profile(exec, op->children[i], depth + 1, buf) != 0)
            return -1;
    }
    return 0;
}

char *tn_exec_profile_text(tn_exec *exec, const tn_physical *root, tn_arena *arena)
{
    tn_buf buf = TN_BUF_INIT;
    char *text = NULL;
    if (render_profile(exec, root, 0, &buf) == 0 && buf.length > 0)
        text = tn_arena_strndup(arena, buf.data, buf.length - 1);
    tn_buf_free(&buf);
    return text;
}

char *tn_executor_profile(tn_executor *executor, tn_arena *arena)
{
    return tn_exec_profile_text(executor, executor->root, arena);
}
