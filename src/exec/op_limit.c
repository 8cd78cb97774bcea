/*
 * LIMIT / OFFSET as a streaming operator.  The counts are global (shared
 * by every thread under a mutex), so across threads the rows kept are some
 * limit rows, in the order chunks arrive; after a sort there is one
 * ordered source and the result is exact.  Reaching the limit says
 * FINISHED, which stops the pipeline's source.
 */
#include "exec/operator.h"

#include <pthread.h>

typedef struct limit_global {
    pthread_mutex_t lock;
    int64_t skipped;   /* offset rows dropped so far */
    int64_t emitted;   /* rows passed on so far */
} limit_global;

static void destroy_lock(void *arg)
{
    pthread_mutex_destroy(arg);
}

static void *limit_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    (void)op;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    limit_global *global = tn_arena_zalloc(arena, sizeof(limit_global));
    if (global == NULL || pthread_mutex_init(&global->lock, NULL) != 0) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, destroy_lock, &global->lock) != 0) {
        pthread_mutex_destroy(&global->lock);
        tn_error_oom(err);
        return NULL;
    }
    return global;
}

static int limit_execute(tn_exec *exec, const tn_physical *op, void *global_state, void *local,
                         const tn_chunk *in, tn_chunk *out, tn_error *err)
{
    (void)exec;
    (void)local;
    limit_global *global = global_state;
    int64_t limit = op->logical->limit, offset = op->logical->offset > 0 ? op->logical->offset : 0;
    pthread_mutex_lock(&global->lock);
    int64_t skip = offset - global->skipped;
    if (skip > (int64_t)in->count)
        skip = in->count;
    if (skip < 0)
        skip = 0;
    global->skipped += skip;
    int64_t take = (int64_t)in->count - skip;
    if (limit >= 0 && take > limit - global->emitted)
        take = limit - global->emitted;
    if (take < 0)
        take = 0;
    global->emitted += take;
    bool finished = limit >= 0 && global->emitted >= limit;
    pthread_mutex_unlock(&global->lock);
    if (take > 0) {
        uint32_t sel[TN_VECTOR_SIZE];
        for (int64_t i = 0; i < take; i++)
            sel[i] = (uint32_t)(skip + i);
        if (tn_chunk_gather(out, in, sel, (uint32_t)take) != 0)
            return tn_error_oom(err);
    }
    return finished ? TN_OP_FINISHED : TN_OP_NEED_MORE;
}

const tn_physical_ops tn_op_limit = {
    .name = "Limit",
    .shape = TN_SHAPE_STREAM,
    .init_global = limit_init_global,
    .execute = limit_execute,
};
