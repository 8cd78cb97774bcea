/*
 * DISTINCT: the rows of the child without duplicates (NULLs equal).  It is
 * the set-operation machinery (op_set_operation.c) with a single input:
 * every row is a key of its hash table and each distinct row is emitted
 * once, in order of first appearance.
 */
#include "exec/operator.h"

const tn_physical_ops tn_op_distinct = {
    .name = "HashDistinct",
    .shape = TN_SHAPE_BREAKER,
    .init_global = tn_rowset_init_global,
    .init_local = tn_rowset_init_local,
    .get_chunk = tn_rowset_get_chunk,
    .sink = tn_rowset_sink,
    .combine = tn_rowset_combine,
};
