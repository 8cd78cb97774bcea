/*
 * Vectorized expression evaluation.  tn_expr_compile mirrors the bound tree
 * with one tn_expr_state per node (its result vector and, for the lazy
 * constructs, a gather buffer); tn_expr_eval walks it once per chunk.
 *
 * Design notes:
 *  1. A column reference costs nothing: its state hands the input vector
 *     itself to the parent.  Only the root copies into the caller's vector.
 *  2. Strict functions get the AND of their arguments' validity before the
 *     kernel runs; kernels compute every row (garbage under NULLs) and only
 *     raise errors for valid rows.  When every argument is a constant the
 *     kernel runs on one row and the result is a constant vector.
 *  3. CASE, COALESCE, AND and OR evaluate an argument only on the rows that
 *     still need it (PostgreSQL's short-circuit, so "x <> 0 AND 10 / x > 1"
 *     never divides by zero): those rows are gathered into a sub-chunk, the
 *     argument is evaluated there and its result scattered back.
 *  4. Strings in intermediate results live in the state's per-batch heap,
 *     reset at each tn_expr_eval; the root writes into the caller's vector,
 *     whose arena receives the bytes the kernels make.
 */
#include "exec/exec_int.h"

#include <string.h>

struct tn_expr_state {
    const tn_expr *expr;
    tn_exec_context *context;
    tn_expr_state **children;
    tn_vector **arg_vectors;   /* children's results, handed to kernels */
    tn_vector result;          /* this node's output when it is not the root */
    tn_arena *arena;           /* per thread, per statement */
    tn_arena *heap;            /* per batch: the whole tree's intermediate strings */
    tn_chunk *subset;          /* gather buffer for lazy evaluation */
    uint32_t *rows;            /* scratch row lists (two of TN_VECTOR_SIZE) */
    tn_expr *in_call;          /* IN_LIST: the "=" call handed to the kernel */
    tn_subquery_state *subquery;
};

static tn_expr_state *compile_node(tn_exec_context *context, const tn_expr *expr, tn_arena *arena,
                                   tn_arena *heap, tn_error *err);
static int eval_node(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err);
static int eval_child(tn_expr_state *state, int index, const tn_chunk *input, tn_vector **out,
                      tn_error *err);

static void free_heap(void *arg)
{
    tn_arena_destroy(arg);
}

tn_expr_state *tn_expr_compile(tn_exec_context *context, const tn_expr *expr, tn_arena *arena,
                               tn_error *err)
{
    tn_arena *heap = tn_arena_create();
    if (heap == NULL || tn_arena_on_cleanup(arena, free_heap, heap) != 0) {
        tn_arena_destroy(heap);
        tn_error_oom(err);
        return NULL;
    }
    return compile_node(context, expr, arena, heap, err);
}

tn_expr_state *tn_expr_compile_with_heap(tn_exec_context *context, const tn_expr *expr,
                                         tn_arena *arena, tn_arena *heap, tn_error *err)
{
    return compile_node(context, expr, arena, heap, err);
}

static tn_expr_state *compile_node(tn_exec_context *context, const tn_expr *expr, tn_arena *arena,
                                   tn_arena *heap, tn_error *err)
{
    tn_expr_state *state = tn_arena_zalloc(arena, sizeof(tn_expr_state));
    if (state == NULL)
        goto oom;
    state->expr = expr;
    state->context = context;
    state->arena = arena;
    state->heap = heap;
    tn_type result_type = expr->type;
    if (tn_vector_init(&state->result, result_type, arena) != 0)
        goto oom;
    state->result.arena = heap;
    if (expr->arg_count > 0) {
        state->children = tn_arena_zalloc(arena, sizeof(tn_expr_state *) * (size_t)expr->arg_count);
        state->arg_vectors = tn_arena_zalloc(arena, sizeof(tn_vector *) * (size_t)expr->arg_count);
        if (state->children == NULL || state->arg_vectors == NULL)
            goto oom;
    }
    for (int i = 0; i < expr->arg_count; i++) {
        state->children[i] = compile_node(context, expr->args[i], arena, heap, err);
        if (state->children[i] == NULL)
            return NULL;
    }
    if (expr->kind == TN_EXPR_IN_LIST) {
        state->in_call = tn_expr_new(arena, TN_EXPR_FUNCTION, tn_type_make(TN_TYPE_BOOL), 2,
                                     expr->location);
        if (state->in_call == NULL)
            goto oom;
        state->in_call->function = expr->function;
        state->in_call->args[0] = expr->args[0];
        state->in_call->args[1] = expr->arg_count > 1 ? expr->args[1] : expr->args[0];
    }
    if (expr->kind == TN_EXPR_SUBQUERY) {
        state->subquery = tn_subquery_compile(context, expr, arena, err);
        if (state->subquery == NULL)
            return NULL;
    }
    return state;
oom:
    tn_error_oom(err);
    return NULL;
}

/* ---- vector plumbing ---- */

/* Makes out a copy of src's first count rows (string views shared). */
static int assign_vector(tn_vector *out, const tn_vector *src, uint32_t count)
{
    size_t size = tn_type_size(src->type.id);
    uint32_t rows = src->is_constant ? 1 : count;
    if (rows > 0)
        memcpy(out->data, src->data, size * rows);
    out->is_constant = src->is_constant;
    out->validity = NULL;
    if (src->validity != NULL) {
        if (tn_vector_ensure_validity(out) != 0)
            return -1;
        memcpy(out->validity, src->validity, sizeof(uint64_t) * ((rows + 63) / 64));
    }
    return tn_vector_take_scales(out, src, rows);
}

static void set_constant(tn_vector *out, const tn_value *value)
{
    out->is_constant = true;
    out->validity = NULL;
    out->scales = NULL;
    if (value->is_null || value->type.id == TN_TYPE_NULL) {
        tn_vector_set_null(out, 0);
        return;
    }
    if (tn_type_is_string(value->type.id)) {
        ((tn_string *)out->data)[0] = value->u.string; /* bytes outlive the statement */
        return;
    }
    tn_vector_set_value(out, 0, value);
}

/* AND of the arguments' validity into out (NULL bitmap when all valid). */
static int strict_validity(tn_vector **args, int arg_count, uint32_t rows, tn_vector *out)
{
    out->validity = NULL;
    for (int i = 0; i < arg_count; i++) {
        const tn_vector *arg = args[i];
        if (arg->validity == NULL)
            continue;
        if (tn_vector_ensure_validity(out) != 0)
            return -1;
        if (arg->is_constant) {
            if (!(arg->validity[0] & 1))
                memset(out->validity, 0, sizeof(uint64_t) * TN_VALIDITY_WORDS);
            continue;
        }
        for (uint32_t word = 0; word < (rows + 63) / 64; word++)
            out->validity[word] &= arg->validity[word];
    }
    return 0;
}

/* Runs a function's kernel with PostgreSQL's strictness (note 2). */
int tn_expr_call(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    const tn_scalar_function *function = call->function;
    bool all_constant = call->arg_count > 0 || function->volatility != TN_VOLATILE;
    for (int i = 0; i < call->arg_count && all_constant; i++)
        all_constant = args[i]->is_constant;
    uint32_t rows = all_constant ? 1 : count;
    out->is_constant = false;
    out->validity = NULL;
    out->scales = NULL;
    if (function->is_strict && strict_validity(args, call->arg_count, rows, out) != 0)
        return tn_error_oom(err);
    if (function->kernel(context, call, args, rows, out, err) != 0)
        return -1;
    out->is_constant = all_constant;
    return 0;
}

/* Rows among sel[0..n) (or all count rows when sel is NULL) are gathered
 * into the state's sub-chunk.  Constant columns stay constant. */
static int gather(tn_expr_state *state, const tn_chunk *input, const uint32_t *sel, uint32_t n,
                  const tn_chunk **out)
{
    if (state->subset == NULL) {
        state->subset = tn_arena_zalloc(state->arena, sizeof(tn_chunk));
        if (state->subset == NULL)
            return -1;
        state->subset->column_count = input->column_count;
        state->subset->columns =
            tn_arena_zalloc(state->arena, sizeof(tn_vector) * (size_t)(input->column_count + 1));
        if (state->subset->columns == NULL)
            return -1;
        for (int col = 0; col < input->column_count; col++) {
            if (tn_vector_init(&state->subset->columns[col], input->columns[col].type,
                               state->arena) != 0)
                return -1;
            state->subset->columns[col].arena = state->heap;
        }
        state->subset->arena = state->arena;
        state->subset->heap = state->heap;
    }
    tn_chunk *subset = state->subset;
    for (int col = 0; col < input->column_count; col++) {
        const tn_vector *src = &input->columns[col];
        tn_vector *dst = &subset->columns[col];
        dst->validity = NULL;
        dst->scales = NULL;
        dst->is_constant = src->is_constant;
        size_t size = tn_type_size(src->type.id);
        if (src->is_constant) {
            if (tn_vector_copy_row(dst, 0, src, 0) != 0)
                return -1;
            if (src->validity != NULL && !(src->validity[0] & 1) && tn_vector_set_null(dst, 0) != 0)
                return -1;
            continue;
        }
        for (uint32_t i = 0; i < n; i++)
            memcpy((char *)dst->data + i * size, (const char *)src->data + sel[i] * size, size);
        if (src->scales != NULL) {
            if (tn_vector_ensure_scales(dst) != 0)
                return -1;
            for (uint32_t i = 0; i < n; i++)
                dst->scales[i] = src->scales[sel[i]];
        }
        if (src->validity != NULL) {
            for (uint32_t i = 0; i < n; i++) {
                if (!tn_vector_is_valid(src, sel[i]) && tn_vector_set_null(dst, i) != 0)
                    return -1;
            }
        }
    }
    subset->count = n;
    *out = subset;
    return 0;
}

/* out[sel[j]] = src[j] for j < n; out is flat with a validity bitmap. */
static int scatter(tn_vector *out, const tn_vector *src, const uint32_t *sel, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++) {
        uint32_t from = src->is_constant ? 0 : j;
        if (tn_vector_copy_row(out, sel[j], src, from) != 0)
            return -1;
        if (tn_vector_is_valid(src, from))
            tn_vector_set_valid(out, sel[j]);
        else
            out->validity[sel[j] >> 6] &= ~((uint64_t)1 << (sel[j] & 63));
    }
    return 0;
}

/* Evaluates child index on rows sel[0..n) of input (all rows when n equals
 * input->count and sel is the identity). */
static int eval_child_on(tn_expr_state *state, int index, const tn_chunk *input,
                         const uint32_t *sel, uint32_t n, tn_vector **out, tn_error *err)
{
    if (n == input->count)
        return eval_child(state, index, input, out, err);
    const tn_chunk *subset;
    if (gather(state, input, sel, n, &subset) != 0)
        return tn_error_oom(err);
    return eval_child(state, index, subset, out, err);
}

static int eval_child(tn_expr_state *state, int index, const tn_chunk *input, tn_vector **out,
                      tn_error *err)
{
    tn_expr_state *child = state->children[index];
    if (child->expr->kind == TN_EXPR_COLUMN) {
        *out = &input->columns[child->expr->column];
        return 0;
    }
    *out = &child->result;
    return eval_node(child, input, &child->result, err);
}

static int eval_children(tn_expr_state *state, const tn_chunk *input, tn_error *err)
{
    for (int i = 0; i < state->expr->arg_count; i++) {
        if (eval_child(state, i, input, &state->arg_vectors[i], err) != 0)
            return -1;
    }
    return 0;
}

/* ---- boolean logic ---- */

enum { TRI_FALSE = 0, TRI_TRUE = 1, TRI_NULL = 2 };

static inline uint8_t tri_value(const tn_vector *v, uint32_t row)
{
    if (!tn_vector_is_valid(v, row))
        return TRI_NULL;
    return ((const uint8_t *)v->data)[v->is_constant ? 0 : row] ? TRI_TRUE : TRI_FALSE;
}

static int write_tri(tn_vector *out, const uint8_t *tri, uint32_t count)
{
    uint8_t *data = out->data;
    out->is_constant = false;
    out->validity = NULL;
    for (uint32_t row = 0; row < count; row++) {
        data[row] = tri[row] == TRI_TRUE;
        if (tri[row] == TRI_NULL && tn_vector_set_null(out, row) != 0)
            return -1;
    }
    return 0;
}

/* AND (decider FALSE) and OR (decider TRUE), evaluated left to right on the
 * rows not yet decided. */
static int eval_logic(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    uint8_t decider = state->expr->kind == TN_EXPR_AND ? TRI_FALSE : TRI_TRUE;
    uint8_t tri[TN_VECTOR_SIZE];
    uint32_t *pending = state->rows;
    uint32_t count = input->count, pending_count = count;
    for (uint32_t row = 0; row < count; row++) {
        tri[row] = decider == TRI_FALSE ? TRI_TRUE : TRI_FALSE;
        pending[row] = row;
    }
    for (int i = 0; i < state->expr->arg_count && pending_count > 0; i++) {
        tn_vector *v;
        if (eval_child_on(state, i, input, pending, pending_count, &v, err) != 0)
            return -1;
        uint32_t kept = 0;
        for (uint32_t j = 0; j < pending_count; j++) {
            uint32_t row = pending[j];
            uint8_t value = tri_value(v, j);
            if (value == decider) {
                tri[row] = decider;
                continue;
            }
            if (value == TRI_NULL)
                tri[row] = TRI_NULL;
            pending[kept++] = row;
        }
        pending_count = kept;
    }
    return write_tri(out, tri, count) == 0 ? 0 : tn_error_oom(err);
}

static int eval_not(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    tn_vector *v;
    if (eval_child(state, 0, input, &v, err) != 0)
        return -1;
    uint32_t rows = v->is_constant ? 1 : input->count;
    if (assign_vector(out, v, rows) != 0)
        return tn_error_oom(err);
    uint8_t *data = out->data;
    for (uint32_t row = 0; row < rows; row++)
        data[row] = !data[row];
    return 0;
}

static int eval_is_null(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    tn_vector *v;
    if (eval_child(state, 0, input, &v, err) != 0)
        return -1;
    bool want_null = state->expr->kind == TN_EXPR_IS_NULL;
    uint32_t rows = v->is_constant ? 1 : input->count;
    uint8_t *data = out->data;
    for (uint32_t row = 0; row < rows; row++)
        data[row] = (uint8_t)(tn_vector_is_valid(v, row) != want_null);
    out->validity = NULL;
    out->is_constant = v->is_constant;
    return 0;
}

/* ---- CASE and COALESCE ---- */

static int start_flat(tn_vector *out, uint32_t count)
{
    out->is_constant = false;
    out->validity = NULL;
    out->scales = NULL;
    if (tn_vector_ensure_validity(out) != 0)
        return -1;
    for (uint32_t row = 0; row < count; row++)
        out->validity[row >> 6] &= ~((uint64_t)1 << (row & 63));
    return 0;
}

static int eval_case(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    uint32_t *pending = state->rows, *taken = state->rows + TN_VECTOR_SIZE;
    uint32_t pending_count = input->count;
    if (start_flat(out, input->count) != 0)
        return tn_error_oom(err);
    for (uint32_t row = 0; row < pending_count; row++)
        pending[row] = row;
    int pairs = state->expr->arg_count / 2;
    for (int i = 0; i < pairs && pending_count > 0; i++) {
        tn_vector *cond, *then;
        if (eval_child_on(state, 2 * i, input, pending, pending_count, &cond, err) != 0)
            return -1;
        uint32_t taken_count = 0, kept = 0;
        for (uint32_t j = 0; j < pending_count; j++) {
            if (tri_value(cond, j) == TRI_TRUE)
                taken[taken_count++] = pending[j];
            else
                pending[kept++] = pending[j];
        }
        pending_count = kept;
        if (taken_count == 0)
            continue;
        if (eval_child_on(state, 2 * i + 1, input, taken, taken_count, &then, err) != 0)
            return -1;
        if (scatter(out, then, taken, taken_count) != 0)
            return tn_error_oom(err);
    }
    if (state->expr->arg_count % 2 == 1 && pending_count > 0) {
        tn_vector *otherwise;
        if (eval_child_on(state, state->expr->arg_count - 1, input, pending, pending_count,
                          &otherwise, err) != 0)
            return -1;
        if (scatter(out, otherwise, pending, pending_count) != 0)
            return tn_error_oom(err);
    }
    return 0;
}

static int eval_coalesce(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    uint32_t *pending = state->rows, *taken = state->rows + TN_VECTOR_SIZE;
    uint32_t pending_count = input->count;
    if (start_flat(out, input->count) != 0)
        return tn_error_oom(err);
    for (uint32_t row = 0; row < pending_count; row++)
        pending[row] = row;
    for (int i = 0; i < state->expr->arg_count && pending_count > 0; i++) {
        tn_vector *v;
        if (eval_child_on(state, i, input, pending, pending_count, &v, err) != 0)
            return -1;
        uint32_t taken_count = 0, kept = 0;
        for (uint32_t j = 0; j < pending_count; j++) {
            if (!tn_vector_is_valid(v, j)) {
                pending[kept++] = pending[j];
                continue;
            }
            uint32_t row = pending[j];
            if (tn_vector_copy_row(out, row, v, j) != 0)
                return tn_error_oom(err);
            tn_vector_set_valid(out, row);
            taken[taken_count++] = row;
        }
        pending_count = kept;
    }
    return 0;
}

/* ---- IN list ---- */

static int eval_in_list(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    uint8_t tri[TN_VECTOR_SIZE];
    uint32_t count = input->count;
    tn_vector *probe;
    if (eval_child(state, 0, input, &probe, err) != 0)
        return -1;
    for (uint32_t row = 0; row < count; row++)
        tri[row] = TRI_FALSE;
    tn_vector *pair[2] = {probe, NULL};
    tn_vector scratch;
    if (tn_vector_init(&scratch, tn_type_make(TN_TYPE_BOOL), state->heap) != 0)
        return tn_error_oom(err);
    for (int i = 1; i < state->expr->arg_count; i++) {
        if (eval_child(state, i, input, &pair[1], err) != 0)
            return -1;
        state->in_call->args[1] = state->expr->args[i];
        if (tn_expr_call(state->context, state->in_call, pair, count, &scratch, err) != 0)
            return -1;
        for (uint32_t row = 0; row < count; row++) {
            uint8_t value = tri_value(&scratch, row);
            if (value == TRI_TRUE || (value == TRI_NULL && tri[row] == TRI_FALSE))
                tri[row] = value;
        }
    }
    return write_tri(out, tri, count) == 0 ? 0 : tn_error_oom(err);
}

/* ---- leaves ---- */

static int eval_outer_column(tn_expr_state *state, tn_vector *out, tn_error *err)
{
    const tn_outer_row *outer = state->context->outer;
    for (int depth = 1; depth < state->expr->depth && outer != NULL; depth++)
        outer = outer->parent;
    if (outer == NULL)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, state->expr->location,
                            "outer column reference without an enclosing row");
    tn_value value;
    tn_vector_get_value(&outer->chunk->columns[state->expr->column], outer->row, &value);
    set_constant(out, &value);
    return 0;
}

static int eval_parameter(tn_expr_state *state, tn_vector *out, tn_error *err)
{
    int index = state->expr->column;
    if (index < 0 || index >= state->context->param_count)
        return tn_error_set(err, TN_ERR_UNDEFINED_PARAMETER, state->expr->location,
                            "there is no parameter $%d", index + 1);
    tn_value value = state->context->params[index];
    if (!value.is_null && !tn_type_equal(value.type, state->expr->type)) {
        if (tn_cast_value(state->heap, &value, state->expr->type, true, state->expr->location,
                          &value, err) != 0)
            return -1;
    }
    set_constant(out, &value);
    return 0;
}

static int eval_node(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    const tn_expr *expr = state->expr;
    out->is_constant = false;
    out->validity = NULL;
    out->scales = NULL;
    switch (expr->kind) {
    case TN_EXPR_CONSTANT: set_constant(out, &expr->value); return 0;
    case TN_EXPR_COLUMN:
        return assign_vector(out, &input->columns[expr->column], input->count) == 0
                   ? 0 : tn_error_oom(err);
    case TN_EXPR_OUTER_COLUMN: return eval_outer_column(state, out, err);
    case TN_EXPR_PARAMETER: return eval_parameter(state, out, err);
    case TN_EXPR_CAST: {
        tn_vector *v;
        if (eval_child(state, 0, input, &v, err) != 0)
            return -1;
        uint32_t rows = v->is_constant ? 1 : input->count;
        if (tn_cast_vector_zone(expr, tn_exec_timezone(state->context), v, rows, out, err) != 0)
            return -1;
        out->is_constant = v->is_constant;
        return 0;
    }
    case TN_EXPR_FUNCTION:
        if (eval_children(state, input, err) != 0)
            return -1;
        return tn_expr_call(state->context, expr, state->arg_vectors, input->count, out, err);
    case TN_EXPR_AND:
    case TN_EXPR_OR:
    case TN_EXPR_CASE:
    case TN_EXPR_COALESCE:
        if (state->rows == NULL) {
            state->rows = tn_arena_alloc(state->arena, sizeof(uint32_t) * TN_VECTOR_SIZE * 2);
            if (state->rows == NULL)
                return tn_error_oom(err);
        }
        if (expr->kind == TN_EXPR_CASE)
            return eval_case(state, input, out, err);
        if (expr->kind == TN_EXPR_COALESCE)
            return eval_coalesce(state, input, out, err);
        return eval_logic(state, input, out, err);
    case TN_EXPR_NOT: return eval_not(state, input, out, err);
    case TN_EXPR_IS_NULL:
    case TN_EXPR_IS_NOT_NULL: return eval_is_null(state, input, out, err);
    case TN_EXPR_IN_LIST: return eval_in_list(state, input, out, err);
    case TN_EXPR_SUBQUERY:
        return tn_subquery_eval(state->subquery, input, state->context->outer, out, err);
    }
    return tn_error_set(err, TN_ERR_INTERNAL_ERROR, expr->location, "unknown expression kind");
}

int tn_expr_eval(tn_expr_state *state, const tn_chunk *input, tn_vector *out, tn_error *err)
{
    tn_arena_reset(state->heap);
    if (input->count == 0) {
        out->is_constant = false;
        out->validity = NULL;
        out->scales = NULL;
        return 0;
    }
    return eval_node(state, input, out, err);
}

int tn_expr_select(tn_expr_state *state, const tn_chunk *input, uint32_t *sel, tn_error *err)
{
    tn_arena_reset(state->heap);
    if (input->count == 0)
        return 0;
    tn_vector *v = &state->result;
    if (state->expr->kind == TN_EXPR_COLUMN)
        v = &input->columns[state->expr->column];
    else if (eval_node(state, input, v, err) != 0)
        return -1;
    const uint8_t *data = v->data;
    uint32_t selected = 0;
    if (v->is_constant) {
        if (!tn_vector_is_valid(v, 0) || !data[0])
            return 0;
        for (uint32_t row = 0; row < input->count; row++)
            sel[row] = row;
        return (int)input->count;
    }
    for (uint32_t row = 0; row < input->count; row++) {
        sel[selected] = row;
        selected += data[row] && tn_vector_is_valid(v, row);
    }
    return (int)selected;
}
