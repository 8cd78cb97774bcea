/*
 * Subquery expressions: scalar, EXISTS, ANY and ALL (IN is "= ANY", NOT IN
 * "<> ALL").  The subquery's logical plan runs on its own executor in a
 * private arena, and its rows are kept in a collection:
 *
 *  - uncorrelated: run once, on first use, and reused for every chunk;
 *  - correlated (OUTER_COLUMN references at depth 1): run again for every
 *    distinct binding of the outer columns it reads (plus the probe value
 *    for ANY/ALL), with the row bound as the executor context's outer row
 *    (deeper references walk the chain of enclosing rows).  Answers are
 *    cached in a hash table keyed on that binding, so repeated values cost
 *    one lookup.  Decorrelation into joins belongs to the optimizer.
 *
 * An uncorrelated "= ANY" (IN) or "<> ALL" (NOT IN) whose sides have one
 * type puts the subquery's values in a hash table and probes it.  Other
 * ANY/ALL forms compare the probe value with every subquery row through
 * the bound comparison's kernel, a result chunk at a time.  Both follow
 * SQL's rules:
 * ANY is true on any true, else NULL if a NULL took part, else false (so
 * false for no rows); ALL is the dual (true for no rows).
 */
#include "exec/exec_int.h"

#include <string.h>

#include "sql/logical.h"

struct tn_subquery_state {
    const tn_expr *expr;
    tn_exec_context *context;
    tn_arena *arena;              /* the state's own (thread, statement) */
    tn_arena *results_arena;      /* the collection; reset before every run */
    tn_arena *scratch;            /* comparison results; reset per probe value */
    tn_collection results;
    bool is_cached;               /* uncorrelated result present */
    tn_expr_state *probe;         /* ANY/ALL: args[0] */
    tn_vector probe_values;
    tn_expr *compare;             /* ANY/ALL: the comparison call */
    tn_expr *cast;                /* ANY/ALL: subquery column -> comparison type, or NULL */
    tn_vector cast_values;
    tn_vector compare_out;
    uint64_t null_word[TN_VALIDITY_WORDS];
    /* correlated: answers per binding */
    int *outer_columns;           /* input columns the plan reads at depth 1 */
    int outer_count;
    tn_hash_table *cache;         /* binding -> entry number = answer index */
    tn_collection answers;        /* one column of the expression's type */
    tn_chunk *answer_row;         /* one answer on its way into answers */
    /* uncorrelated IN / NOT IN: the values as a hash set */
    bool use_set;
    tn_hash_table *set;
    bool set_has_null;
};

static void mark_outer_plan(const tn_logical *plan, int depth, bool *used, int width);

/* Marks the columns of the enclosing row (depth levels up) that expr reads. */
static void mark_outer_expr(const tn_expr *expr, int depth, bool *used, int width)
{
    if (expr == NULL)
        return;
    if (expr->kind == TN_EXPR_OUTER_COLUMN && expr->depth == depth && expr->column < width)
        used[expr->column] = true;
    if (expr->kind == TN_EXPR_SUBQUERY)
        mark_outer_plan(expr->subquery, depth + 1, used, width);
    for (int i = 0; i < expr->arg_count; i++)
        mark_outer_expr(expr->args[i], depth, used, width);
}

static void mark_outer_list(tn_expr *const *exprs, int count, int depth, bool *used, int width)
{
    for (int i = 0; exprs != NULL && i < count; i++)
        mark_outer_expr(exprs[i], depth, used, width);
}

static void mark_outer_plan(const tn_logical *plan, int depth, bool *used, int width)
{
    mark_outer_list(plan->filters, plan->filter_count, depth, used, width);
    mark_outer_list(plan->checks, plan->check_count, depth, used, width);
    mark_outer_list(plan->values, plan->row_count * plan->column_count, depth, used, width);
    mark_outer_expr(plan->predicate, depth, used, width);
    if (plan->kind == TN_LOGICAL_PROJECTION)
        mark_outer_list(plan->exprs, plan->column_count, depth, used, width);
    mark_outer_list(plan->groups, plan->group_count, depth, used, width);
    mark_outer_list(plan->function_exprs, plan->function_arg_count, depth, used, width);
    for (int i = 0; i < plan->aggregate_count; i++) {
        mark_outer_list(plan->aggregates[i]->args, plan->aggregates[i]->arg_count, depth, used, width);
        mark_outer_expr(plan->aggregates[i]->filter, depth, used, width);
    }
    for (int i = 0; i < plan->sort_key_count; i++)
        mark_outer_expr(plan->sort_keys[i].expr, depth, used, width);
    for (int i = 0; i < plan->child_count; i++)
        mark_outer_plan(plan->children[i], depth, used, width);
}

static void destroy_arena(void *arg)
{
    tn_arena_destroy(arg);
}

static tn_arena *owned_arena(tn_arena *owner)
{
    tn_arena *arena = tn_arena_create();
    if (arena != NULL && tn_arena_on_cleanup(owner, destroy_arena, arena) != 0) {
        tn_arena_destroy(arena);
        return NULL;
    }
    return arena;
}

static int compile_comparison(tn_subquery_state *state, tn_error *err)
{
    const tn_expr *expr = state->expr;
    const tn_logical *plan = expr->subquery;
    state->probe = tn_expr_compile(state->context, expr->args[0], state->arena, err);
    if (state->probe == NULL)
        return -1;
    if (tn_vector_init(&state->probe_values, expr->args[0]->type, state->arena) != 0 ||
        tn_vector_init(&state->compare_out, tn_type_make(TN_TYPE_BOOL), state->arena) != 0)
        return tn_error_oom(err);
    tn_type want = tn_type_make(expr->function->arg_types[1]);
    if (want.id == TN_TYPE_NUMERIC)
        want.scale = plan->types[0].scale;
    state->compare = tn_expr_new(state->arena, TN_EXPR_FUNCTION, tn_type_make(TN_TYPE_BOOL), 2,
                                 expr->location);
    if (state->compare == NULL)
        return tn_error_oom(err);
    state->compare->function = expr->function;
    state->compare->args[0] = expr->args[0];
    state->compare->args[1] = expr->args[0];
    const char *name = expr->function->name;
    tn_type probe_type = expr->args[0]->type;
    state->use_set = !expr->is_correlated && probe_type.id == want.id &&
                     (want.id != TN_TYPE_NUMERIC || probe_type.scale == want.scale) &&
                     ((expr->subquery_kind == TN_SUBQUERY_ANY && strcmp(name, "=") == 0) ||
                      (expr->subquery_kind == TN_SUBQUERY_ALL && strcmp(name, "<>") == 0));
    if (plan->types[0].id != want.id) {
        state->cast = tn_expr_new(state->arena, TN_EXPR_CAST, want, 1, expr->location);
        if (state->cast == NULL || tn_vector_init(&state->cast_values, want, state->arena) != 0)
            return tn_error_oom(err);
        state->cast->args[0] = expr->args[0];
        state->cast->is_explicit = false;
    }
    return 0;
}

tn_subquery_state *tn_subquery_compile(tn_exec_context *context, const tn_expr *expr,
                                       tn_arena *arena, tn_error *err)
{
    tn_subquery_state *state = tn_arena_zalloc(arena, sizeof(tn_subquery_state));
    if (state == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    state->expr = expr;
    state->context = context;
    state->arena = arena;
    state->results_arena = owned_arena(arena);
    state->scratch = owned_arena(arena);
    if (state->results_arena == NULL || state->scratch == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    bool is_comparison = expr->subquery_kind == TN_SUBQUERY_ANY || expr->subquery_kind == TN_SUBQUERY_ALL;
    if (is_comparison && compile_comparison(state, err) != 0)
        return NULL;
    return state;
}

/* Runs the plan with outer bound and keeps its rows (all, or just enough
 * to answer EXISTS / detect a second scalar row). */
static int run_subquery(tn_subquery_state *state, const tn_outer_row *outer, tn_error *err)
{
    const tn_expr *expr = state->expr;
    const tn_logical *plan = expr->subquery;
    tn_arena_reset(state->results_arena);
    if (tn_collection_init(&state->results, state->results_arena, plan->types, plan->column_count) != 0)
        return tn_error_oom(err);
    tn_arena *run_arena = tn_arena_create();
    if (run_arena == NULL)
        return tn_error_oom(err);
    tn_exec_context context = *state->context;
    context.arena = run_arena;
    context.outer = outer;
    int status = -1;
    tn_executor *executor = tn_executor_create(&context, (tn_logical *)plan, err);
    if (executor == NULL)
        goto done;
    int64_t enough = expr->subquery_kind == TN_SUBQUERY_EXISTS ? 1
                   : expr->subquery_kind == TN_SUBQUERY_SCALAR ? 2 : INT64_MAX;
    const tn_chunk *chunk;
    int more;
    while (state->results.row_count < enough && (more = tn_executor_next(executor, &chunk, err)) == 1) {
        if (tn_collection_append(&state->results, chunk, err) != 0)
            goto done;
    }
    if (state->results.row_count < enough && more < 0)
        goto done;
    status = 0;
done:
    tn_executor_destroy(executor);
    tn_arena_destroy(run_arena);
    return status;
}

/* The subquery's values (in the comparison's type) as a hash set. */
static int build_set(tn_subquery_state *state, tn_error *err)
{
    tn_type type = state->cast != NULL ? state->cast->type : state->expr->subquery->types[0];
    state->set = tn_hash_table_create(state->arena, &type, 1, 0, err);
    if (state->set == NULL)
        return -1;
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    for (int c = 0; c < state->results.chunk_count; c++) {
        tn_chunk *chunk = state->results.chunks[c];
        tn_vector *values = &chunk->columns[0];
        if (state->cast != NULL) {
            tn_arena_reset(state->scratch);
            state->cast_values.arena = state->scratch;
            if (tn_cast_vector(state->cast, values, chunk->count, &state->cast_values, err) != 0)
                return -1;
            values = &state->cast_values;
        }
        for (uint32_t row = 0; row < chunk->count; row++)
            state->set_has_null |= !tn_vector_is_valid(values, row);
        tn_hash_rows(&values, 1, chunk->count, hashes);
        if (tn_hash_table_insert(state->set, &values, hashes, chunk->count, entries, NULL, err) != 0)
            return -1;
    }
    return 0;
}

/* IN / NOT IN through the set, for every row of probe. */
static int probe_set(tn_subquery_state *state, tn_vector *probe, uint32_t count, tn_vector *out,
                     tn_error *err)
{
    bool any = state->expr->subquery_kind == TN_SUBQUERY_ANY;
    bool empty = state->results.row_count == 0;
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    tn_hash_rows(&probe, 1, count, hashes);
    tn_hash_table_find(state->set, &probe, hashes, count, entries);
    uint8_t *data = out->data;
    for (uint32_t row = 0; row < count; row++) {
        bool probe_null = !tn_vector_is_valid(probe, row);
        bool found = !probe_null && entries[row] >= 0;
        data[row] = (uint8_t)(found ? any : !any);
        bool unknown = !empty && !found && (probe_null || state->set_has_null);
        if (unknown && tn_vector_set_null(out, row) != 0)
            return tn_error_oom(err);
    }
    return 0;
}

/* ANY/ALL of one probe value (row of probe) against the kept rows. */
static int compare_all(tn_subquery_state *state, const tn_vector *probe, uint32_t row, uint8_t *answer,
                       bool *is_null, tn_error *err)
{
    bool any = state->expr->subquery_kind == TN_SUBQUERY_ANY;
    bool saw_null = false;
    tn_vector one = *probe;
    size_t size = tn_type_size(probe->type.id);
    one.data = (char *)probe->data + (probe->is_constant ? 0 : row) * size;
    if (probe->scales != NULL)
        one.scales = probe->scales + (probe->is_constant ? 0 : row);
    one.is_constant = true;
    one.validity = tn_vector_is_valid(probe, row) ? NULL : state->null_word;
    tn_arena_reset(state->scratch);
    state->compare_out.arena = state->scratch;
    state->cast_values.arena = state->scratch;
    for (int c = 0; c < state->results.chunk_count; c++) {
        tn_chunk *chunk = state->results.chunks[c];
        tn_vector *values = &chunk->columns[0];
        if (state->cast != NULL) {
            if (tn_cast_vector(state->cast, values, chunk->count, &state->cast_values, err) != 0)
                return -1;
            values = &state->cast_values;
        }
        tn_vector *args[2] = {&one, values};
        if (tn_expr_call(state->context, state->compare, args, chunk->count, &state->compare_out, err) != 0)
            return -1;
        const uint8_t *result = state->compare_out.data;
        for (uint32_t i = 0; i < chunk->count; i++) {
            if (!tn_vector_is_valid(&state->compare_out, i)) {
                saw_null = true;
                continue;
            }
            bool value = result[state->compare_out.is_constant ? 0 : i] != 0;
            if (value == any) {
                *answer = any;
                *is_null = false;
                return 0;
            }
        }
    }
    *answer = !any;
    *is_null = saw_null;
    return 0;
}

/* Writes the subquery's answer for input row row into out[row]. */
static int answer_row(tn_subquery_state *state, const tn_vector *probe, uint32_t row, tn_vector *out,
                      tn_error *err)
{
    switch (state->expr->subquery_kind) {
    case TN_SUBQUERY_SCALAR:
        if (state->results.row_count > 1)
            return tn_error_set(err, TN_ERR_CARDINALITY_VIOLATION, state->expr->location,
                                "more than one row returned by a subquery used as an expression");
        if (state->results.row_count == 0)
            return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
        return tn_vector_copy(out, row, &state->results.chunks[0]->columns[0], 0, 1) == 0
                   ? 0 : tn_error_oom(err);
    case TN_SUBQUERY_EXISTS:
        ((uint8_t *)out->data)[row] = state->results.row_count > 0;
        tn_vector_set_valid(out, row);
        return 0;
    case TN_SUBQUERY_ANY:
    case TN_SUBQUERY_ALL: {
        uint8_t answer;
        bool is_null;
        if (compare_all(state, probe, row, &answer, &is_null, err) != 0)
            return -1;
        ((uint8_t *)out->data)[row] = answer;
        if (is_null)
            return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
        tn_vector_set_valid(out, row);
        return 0;
    }
    }
    return 0;
}

/* Sets up the answer cache for input's shape: keys are the outer columns
 * the plan reads, then the probe. */
static int start_cache(tn_subquery_state *state, const tn_chunk *input, const tn_vector *probe,
                       tn_error *err)
{
    int width = input->column_count;
    bool *used = tn_arena_zalloc(state->arena, (size_t)width + 1);
    state->outer_columns = tn_arena_alloc(state->arena, sizeof(int) * (size_t)(width + 1));
    tn_type *types = tn_arena_alloc(state->arena, sizeof(tn_type) * (size_t)(width + 2));
    if (used == NULL || state->outer_columns == NULL || types == NULL)
        return tn_error_oom(err);
    mark_outer_plan(state->expr->subquery, 1, used, width);
    for (int col = 0; col < width; col++) {
        if (used[col]) {
            types[state->outer_count] = input->columns[col].type;
            state->outer_columns[state->outer_count++] = col;
        }
    }
    int key_count = state->outer_count;
    if (probe != NULL)
        types[key_count++] = probe->type;
    state->cache = tn_hash_table_create(state->arena, types, key_count, 0, err);
    if (state->cache == NULL)
        return -1;
    tn_type answer_type = state->expr->type;
    if (tn_collection_init(&state->answers, state->arena, &answer_type, 1) != 0)
        return tn_error_oom(err);
    state->answer_row = tn_exec_chunk_create(state->arena, &answer_type, 1, err);
    return state->answer_row != NULL ? 0 : -1;
}

/* Correlated: one run per new binding, cached answers for the others. */
static int eval_correlated(tn_subquery_state *state, const tn_chunk *input, const tn_outer_row *outer,
                           tn_vector *probe, tn_vector *out, tn_error *err)
{
    if (state->cache == NULL && start_cache(state, input, probe, err) != 0)
        return -1;
    tn_vector *keys[64];
    if (state->outer_count + 1 > 64)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "too many outer references in a subquery");
    int key_count = 0;
    for (int i = 0; i < state->outer_count; i++)
        keys[key_count++] = &input->columns[state->outer_columns[i]];
    if (probe != NULL)
        keys[key_count++] = probe;
    uint64_t hashes[TN_VECTOR_SIZE];
    int64_t entries[TN_VECTOR_SIZE];
    bool is_new[TN_VECTOR_SIZE];
    tn_hash_rows(keys, key_count, input->count, hashes);
    if (tn_hash_table_insert(state->cache, keys, hashes, input->count, entries, is_new, err) != 0)
        return -1;
    for (uint32_t row = 0; row < input->count; row++) {
        if (is_new[row]) {
            tn_outer_row binding = {input, row, outer};
            if (run_subquery(state, &binding, err) != 0 || answer_row(state, probe, row, out, err) != 0)
                return -1;
            tn_chunk_reset(state->answer_row);
            if (tn_vector_copy(&state->answer_row->columns[0], 0, out, row, 1) != 0)
                return tn_error_oom(err);
            state->answer_row->count = 1;
            if (tn_collection_append(&state->answers, state->answer_row, err) != 0)
                return -1;
            continue;
        }
        const tn_chunk *chunk;
        uint32_t offset;
        tn_collection_locate(&state->answers, entries[row], &chunk, &offset);
        if (tn_vector_copy(out, row, &chunk->columns[0], offset, 1) != 0)
            return tn_error_oom(err);
    }
    return 0;
}

int tn_subquery_eval(tn_subquery_state *state, const tn_chunk *input, const tn_outer_row *outer,
                     tn_vector *out, tn_error *err)
{
    const tn_expr *expr = state->expr;
    tn_vector *probe = NULL;
    if (state->probe != NULL) {
        state->probe_values.arena = out->arena;
        if (tn_expr_eval(state->probe, input, &state->probe_values, err) != 0)
            return -1;
        probe = &state->probe_values;
    }
    out->is_constant = false;
    out->validity = NULL;
    if (!expr->is_correlated) {
        if (!state->is_cached && (run_subquery(state, outer, err) != 0 ||
                                  (state->use_set && build_set(state, err) != 0)))
            return -1;
        state->is_cached = true;
        if (state->use_set)
            return probe_set(state, probe, input->count, out, err);
        uint32_t rows = probe == NULL ? 1 : input->count;
        for (uint32_t row = 0; row < rows; row++) {
            if (answer_row(state, probe, row, out, err) != 0)
                return -1;
        }
        out->is_constant = probe == NULL;
        return 0;
    }
    return eval_correlated(state, input, outer, probe, out, err);
}
