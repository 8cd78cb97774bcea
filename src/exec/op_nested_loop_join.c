/*
 * Nested loop join: for joins with no equality to hash on (cross products,
 * "a.x < b.y").  It is the hash join's machinery (op_hash_join.c) with
 * every build row in a single chain, so each probe row meets every build
 * row and the whole condition runs as the residual predicate.  All join
 * types are supported.
 */
#include "exec/operator.h"

const tn_physical_ops tn_op_nested_loop_join = {
    .name = "Nested Loop",
    .shape = TN_SHAPE_PROBE,
    .init_global = tn_join_init_global,
    .init_local = tn_join_init_local,
    .execute = tn_join_execute,
    .flush = tn_join_flush,
    .sink = tn_join_sink,
    .combine = tn_join_combine,
    .finalize = tn_join_finalize,
};
