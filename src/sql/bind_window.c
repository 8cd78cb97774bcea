/*
 * Binding of window functions, aggregates with ORDER BY / WITHIN GROUP,
 * and DISTINCT ON.
 *
 * A window call (f(...) OVER ...) is bound like an aggregate: it is
 * recorded in the binder and stands in its expression as COLUMN
 * TN_BIND_WINDOW_BASE + index.  bind_select.c rewrites the recorded
 * calls' arguments onto the aggregate's output when the query groups
 * (window functions run after GROUP BY / HAVING, as in PostgreSQL), then
 * tn_bind_window_plan puts a WINDOW node between the aggregation and the
 * final projection and turns the references into its columns.
 *
 * OVER name / OVER (name ...) resolve against the query's WINDOW clause
 * with PostgreSQL's copy rules.  DISTINCT ON is row_number() over the
 * DISTINCT ON columns in ORDER BY order, keeping the rows numbered 1.
 */
#include "sql/binder.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    tn_window_kind kind;
    int min_args, max_args;
} window_functions[] = {
    {"row_number", TN_WINDOW_ROW_NUMBER, 0, 0},     {"rank", TN_WINDOW_RANK, 0, 0},
    {"dense_rank", TN_WINDOW_DENSE_RANK, 0, 0},     {"percent_rank", TN_WINDOW_PERCENT_RANK, 0, 0},
    {"cume_dist", TN_WINDOW_CUME_DIST, 0, 0},       {"ntile", TN_WINDOW_NTILE, 1, 1},
    {"lag", TN_WINDOW_LAG, 1, 3},                   {"lead", TN_WINDOW_LEAD, 1, 3},
    {"first_value", TN_WINDOW_FIRST_VALUE, 1, 1},   {"last_value", TN_WINDOW_LAST_VALUE, 1, 1},
    {"nth_value", TN_WINDOW_NTH_VALUE, 2, 2},
};
#define WINDOW_FUNCTION_COUNT ((int)(sizeof window_functions / sizeof window_functions[0]))
#define FRAME_DEFAULT (TN_FRAME_RANGE | TN_FRAME_START_UNBOUNDED_PRECEDING | TN_FRAME_END_CURRENT_ROW)
#define FRAME_NONDEFAULT 0x1

bool tn_bind_is_window_function(const char *name)
{
    for (int idx = 0; idx < WINDOW_FUNCTION_COUNT; idx++)
        if (strcmp(window_functions[idx].name, name) == 0)
            return true;
    return false;
}

static void *oom_null(tn_binder *b)
{
    if (!tn_error_is_set(b->err))
        tn_error_oom(b->err);
    return NULL;
}

/* The window a name in OVER / WINDOW refers to, NULL with 42704. */
static const tn_ast_window *named_window(tn_binder *b, const char *name, int location)
{
    for (int idx = 0; b->select && idx < b->select->window_count; idx++)
        if (b->select->windows[idx].name && strcmp(b->select->windows[idx].name, name) == 0)
            return &b->select->windows[idx];
    tn_error_set(b->err, TN_ERR_UNDEFINED_OBJECT, location, "window \"%s\" does not exist", name);
    return NULL;
}

/* The effective window: OVER name copies it whole; OVER (name ...) takes
 * its PARTITION BY and ORDER BY and adds to them under PostgreSQL's
 * rules.  Depth guards against cycles between WINDOW entries. */
static int resolve_window(tn_binder *b, const tn_ast_window *in, tn_ast_window *out, int depth)
{
    if (depth > 32)
        return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, in->location, "window definitions nest too deeply");
    if (!in->refname) {
        *out = *in;
        return 0;
    }
    const tn_ast_window *ref = named_window(b, in->refname, in->location);
    tn_ast_window base;
    if (!ref || resolve_window(b, ref, &base, depth + 1) < 0)
        return -1;
    if (in->partition_count > 0)
        return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, in->location,
                            "cannot override PARTITION BY clause of window \"%s\"", in->refname);
    if (in->order_count > 0 && base.order_count > 0)
        return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, in->location,
                            "cannot override ORDER BY clause of window \"%s\"", in->refname);
    if (base.frame_options & FRAME_NONDEFAULT)
        return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, in->location,
                            "cannot copy window \"%s\" because it has a frame clause", in->refname);
    *out = base;
    out->name = NULL;
    if (in->order_count > 0) {
        out->orders = in->orders;
        out->order_count = in->order_count;
    }
    out->frame_options = in->frame_options;
    out->start_offset = in->start_offset;
    out->end_offset = in->end_offset;
    out->location = in->location;
    return 0;
}

/* ROWS / GROUPS n: a constant non-negative bigint. */
static int bind_frame_count(tn_binder *b, tn_ast_expr *ast, const char *mode, bool is_start, int64_t *out)
{
    tn_bind_scope *empty = tn_bind_scope_new(b, NULL);
    tn_expr *expr = empty ? tn_bind_expr(b, empty, ast) : NULL;
    if (!expr) {
        if (tn_error_is_set(b->err) && strcmp(b->err->sqlstate, "42703") == 0) {
            tn_error_clear(b->err);
            tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, ast->location,
                         "argument of %s must not contain variables", mode);
        }
        return -1;
    }
    if (!(expr = tn_expr_cast(b->arena, expr, tn_type_make(TN_TYPE_INT64), TN_CAST_IMPLICIT, b->err)))
        return -1;
    if (!tn_expr_is_foldable(expr))
        return tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                            "argument of %s must be a constant", mode);
    tn_value value;
    if (tn_expr_fold(b->arena, expr, &value, b->err) < 0)
        return -1;
    if (value.is_null)
        return tn_error_set(b->err, TN_ERR_NULL_VALUE_NOT_ALLOWED, 0, "frame %s offset must not be null",
                            is_start ? "starting" : "ending");
    if (value.u.integer < 0)
        return tn_error_set(b->err, TN_ERR_INVALID_PRECEDING_OR_FOLLOWING_SIZE, 0,
                            "frame %s offset must not be negative", is_start ? "starting" : "ending");
    *out = value.u.integer;
    return 0;
}

/* RANGE n PRECEDING/FOLLOWING: key -/+ n as an expression per row. */
static tn_expr *range_bound(tn_binder *b, tn_window_function *w, tn_ast_expr *ast, bool subtract, bool is_start)
{
    tn_bind_scope *empty = tn_bind_scope_new(b, NULL);
    tn_expr *offset = empty ? tn_bind_expr(b, empty, ast) : NULL;
    if (!offset)
        return NULL;
    tn_type key_type = w->orders[0].expr->type;
    char key_name[64], offset_name[64];
    tn_type_name(key_type, key_name, sizeof key_name);
    if (tn_bind_is_unknown(offset) || offset->type.id == TN_TYPE_NULL)
        offset = tn_expr_cast(b->arena, offset,
                              tn_type_is_temporal(key_type.id) ? tn_type_make(TN_TYPE_INTERVAL) : key_type,
                              TN_CAST_IMPLICIT, b->err);
    if (!offset)
        return NULL;
    tn_type_name(offset->type, offset_name, sizeof offset_name);
    bool numeric = tn_type_is_numeric(key_type.id) && tn_type_is_numeric(offset->type.id);
    bool temporal = (tn_type_is_temporal(key_type.id) || key_type.id == TN_TYPE_INTERVAL) &&
                    offset->type.id == TN_TYPE_INTERVAL;
    if (!numeric && !temporal) {
        if (!tn_type_is_numeric(key_type.id) && !tn_type_is_temporal(key_type.id) && key_type.id != TN_TYPE_INTERVAL)
            tn_error_set(b->err, TN_ERR_UNDEFINED_FUNCTION, ast->location,
                         "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", key_name);
        else
            tn_error_set(b->err, TN_ERR_UNDEFINED_FUNCTION, ast->location,
                         "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s",
                         key_name, offset_name);
        return NULL;
    }
    if (tn_expr_is_foldable(offset)) {
        tn_value value;
        if (tn_expr_fold(b->arena, offset, &value, b->err) < 0)
            return NULL;
        bool negative = !value.is_null &&
                        (offset->type.id == TN_TYPE_INTERVAL ? value.u.interval.months < 0 || value.u.interval.days < 0 ||
                                                                   value.u.interval.micros < 0
                         : tn_type_is_float(offset->type.id) ? value.u.floating < 0
                         : offset->type.id == TN_TYPE_NUMERIC ? value.u.numeric < 0
                                                              : value.u.integer < 0);
        if (value.is_null) {
            tn_error_set(b->err, TN_ERR_NULL_VALUE_NOT_ALLOWED, 0, "frame %s offset must not be null",
                         is_start ? "starting" : "ending");
            return NULL;
        }
        if (negative) {
            tn_error_set(b->err, TN_ERR_INVALID_PRECEDING_OR_FOLLOWING_SIZE, 0,
                         "invalid preceding or following size in window function");
            return NULL;
        }
    }
    tn_expr *key = tn_expr_copy(b->arena, w->orders[0].expr);
    tn_expr *args[2] = {key, offset};
    tn_error local = TN_ERROR_INIT;
    tn_expr *bound = key ? tn_function_bind(b->arena, subtract ? "-" : "+", args, 2, ast->location, &local) : NULL;
    if (!bound) {
        tn_error_clear(&local);
        tn_error_set(b->err, TN_ERR_UNDEFINED_FUNCTION, ast->location,
                     "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s",
                     key_name, offset_name);
        return NULL;
    }
    return bound;
}

static int bind_frame(tn_binder *b, tn_window_function *w, const tn_ast_window *win)
{
    int frame = win->frame_options & FRAME_NONDEFAULT ? win->frame_options : FRAME_DEFAULT;
    w->frame = frame;
    if ((frame & TN_FRAME_GROUPS) && w->order_count == 0)
        return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, win->location, "GROUPS mode requires an ORDER BY clause");
    int offsets = TN_FRAME_START_OFFSET_PRECEDING | TN_FRAME_START_OFFSET_FOLLOWING | TN_FRAME_END_OFFSET_PRECEDING |
                  TN_FRAME_END_OFFSET_FOLLOWING;
    if (!(frame & offsets))
        return 0;
    if (frame & TN_FRAME_RANGE) {
        if (w->order_count != 1)
            return tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, win->location,
                                "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
        bool desc = w->orders[0].is_descending;
        if (frame & (TN_FRAME_START_OFFSET_PRECEDING | TN_FRAME_START_OFFSET_FOLLOWING)) {
            bool minus = ((frame & TN_FRAME_START_OFFSET_PRECEDING) != 0) != desc;
            if (!(w->range_start = range_bound(b, w, win->start_offset, minus, true)))
                return -1;
        }
        if (frame & (TN_FRAME_END_OFFSET_PRECEDING | TN_FRAME_END_OFFSET_FOLLOWING)) {
            bool minus = ((frame & TN_FRAME_END_OFFSET_PRECEDING) != 0) != desc;
            if (!(w->range_end = range_bound(b, w, win->end_offset, minus, false)))
                return -1;
        }
        tn_type type = (w->range_start ? w->range_start : w->range_end)->type;
        tn_expr *key = tn_expr_copy(b->arena, w->orders[0].expr);
        if (!key || !(w->range_key = tn_expr_cast(b->arena, key, type, TN_CAST_IMPLICIT, b->err)))
            return key ? -1 : tn_error_oom(b->err);
        if (w->range_start && !(w->range_start = tn_expr_cast(b->arena, w->range_start, type, TN_CAST_IMPLICIT, b->err)))
            return -1;
        if (w->range_end && !(w->range_end = tn_expr_cast(b->arena, w->range_end, type, TN_CAST_IMPLICIT, b->err)))
            return -1;
        return 0;
    }
    const char *mode = frame & TN_FRAME_ROWS ? "ROWS" : "GROUPS";
    if ((frame & (TN_FRAME_START_OFFSET_PRECEDING | TN_FRAME_START_OFFSET_FOLLOWING)) &&
        bind_frame_count(b, win->start_offset, mode, true, &w->start_offset) < 0)
        return -1;
    if ((frame & (TN_FRAME_END_OFFSET_PRECEDING | TN_FRAME_END_OFFSET_FOLLOWING)) &&
        bind_frame_count(b, win->end_offset, mode, false, &w->end_offset) < 0)
        return -1;
    return 0;
}

static int bind_window_spec(tn_binder *b, tn_bind_scope *scope, tn_window_function *w, const tn_ast_window *win)
{
    w->partitions = tn_arena_zalloc(b->arena, sizeof *w->partitions * (size_t)(win->partition_count + 1));
    w->orders = tn_arena_zalloc(b->arena, sizeof *w->orders * (size_t)(win->order_count + 1));
    if (!w->partitions || !w->orders)
        return tn_error_oom(b->err);
    for (int idx = 0; idx < win->partition_count; idx++)
        if (!(w->partitions[idx] = tn_bind_expr(b, scope, win->partitions[idx])))
            return -1;
    w->partition_count = win->partition_count;
    for (int idx = 0; idx < win->order_count; idx++) {
        tn_sort_key *key = &w->orders[idx];
        if (!(key->expr = tn_bind_expr(b, scope, win->orders[idx].expr)))
            return -1;
        if (tn_bind_is_unknown(key->expr) &&
            !(key->expr = tn_expr_cast(b->arena, key->expr, tn_type_make(TN_TYPE_TEXT), TN_CAST_IMPLICIT, b->err)))
            return -1;
        key->is_descending = win->orders[idx].is_descending;
        key->nulls_first = win->orders[idx].nulls ? win->orders[idx].nulls == 1 : key->is_descending;
    }
    w->order_count = win->order_count;
    return bind_frame(b, w, win);
}

static tn_expr *cast_to(tn_binder *b, tn_expr *expr, tn_type_id id)
{
    return tn_expr_cast(b->arena, expr, tn_type_make(id), TN_CAST_IMPLICIT, b->err);
}

static int no_such_function(tn_binder *b, tn_ast_expr *ast, tn_expr **args)
{
    char call[256];
    size_t used = (size_t)snprintf(call, sizeof call, "%s(", ast->name);
    for (int idx = 0; idx < ast->arg_count && used < sizeof call; idx++) {
        char type[64];
        const char *name = tn_bind_is_unknown(args[idx]) ? "unknown" : tn_type_name(args[idx]->type, type, sizeof type);
        used += (size_t)snprintf(call + used, sizeof call - used, "%s%s", idx ? ", " : "", name);
    }
    if (used < sizeof call)
        snprintf(call + used, sizeof call - used, ")");
    tn_error_set(b->err, TN_ERR_UNDEFINED_FUNCTION, ast->location, "function %s does not exist", call);
    return tn_error_hint(b->err, "No function matches the given name and argument types. You might need to add "
                                 "explicit type casts."), -1;
}

/* Arguments and result type of a window-only function. */
static int bind_window_args(tn_binder *b, tn_window_function *w, tn_ast_expr *ast, tn_expr **args, int kind_index)
{
    int count = ast->arg_count;
    if (count < window_functions[kind_index].min_args || count > window_functions[kind_index].max_args)
        return no_such_function(b, ast, args);
    w->kind = window_functions[kind_index].kind;
    switch (w->kind) {
    case TN_WINDOW_ROW_NUMBER:
    case TN_WINDOW_RANK:
    case TN_WINDOW_DENSE_RANK:
        w->type = tn_type_make(TN_TYPE_INT64);
        return 0;
    case TN_WINDOW_PERCENT_RANK:
    case TN_WINDOW_CUME_DIST:
        w->type = tn_type_make(TN_TYPE_FLOAT64);
        return 0;
    case TN_WINDOW_NTILE:
        w->type = tn_type_make(TN_TYPE_INT32);
        break;
    default:
        break;
    }
    tn_expr **out = tn_arena_zalloc(b->arena, sizeof *out * 4);
    if (!out)
        return tn_error_oom(b->err);
    w->args = out;
    if (w->kind == TN_WINDOW_NTILE) {
        w->arg_count = 1;
        return (out[0] = cast_to(b, args[0], TN_TYPE_INT32)) ? 0 : -1;
    }
    tn_expr *value = args[0];
    if (tn_bind_is_unknown(value) || value->type.id == TN_TYPE_NULL)
        value = cast_to(b, value, TN_TYPE_TEXT);
    if (!value)
        return -1;
    if (w->kind == TN_WINDOW_LAG || w->kind == TN_WINDOW_LEAD) {
        tn_expr *offset = count > 1 ? args[1] : NULL;
        tn_expr *fallback = count > 2 ? args[2] : NULL;
        if (offset && !(offset = cast_to(b, offset, TN_TYPE_INT32)))
            return no_such_function(b, ast, args);
        if (!offset) {
            tn_value one = {.type = tn_type_make(TN_TYPE_INT32), .u.integer = 1};
            if (!(offset = tn_expr_constant(b->arena, &one, 0)))
                return tn_error_oom(b->err);
        }
        tn_type type = value->type;
        if (fallback) {
            tn_expr *pair[2] = {args[0], fallback};
            if (tn_common_type(pair, 2, "lag", &type, b->err) < 0)
                return -1;
            if (type.id == TN_TYPE_NULL)
                type = tn_type_make(TN_TYPE_TEXT);
            if (!(value = tn_expr_cast(b->arena, args[0], type, TN_CAST_IMPLICIT, b->err)) ||
                !(fallback = tn_expr_cast(b->arena, fallback, type, TN_CAST_IMPLICIT, b->err)))
                return -1;
        } else if (!(fallback = tn_bind_null(b, type))) {
            return -1;
        }
        out[0] = value;
        out[1] = offset;
        out[2] = fallback;
        w->arg_count = 3;
        w->type = type;
        return 0;
    }
    out[0] = value;
    w->arg_count = 1;
    w->type = value->type;
    if (w->kind == TN_WINDOW_NTH_VALUE) {
        w->arg_count = 2;
        if (!(out[1] = cast_to(b, args[1], TN_TYPE_INT32)))
            return -1;
    }
    return 0;
}

tn_expr *tn_bind_window(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast)
{
    int kind_index = -1;
    for (int idx = 0; idx < WINDOW_FUNCTION_COUNT; idx++)
        if (strcmp(window_functions[idx].name, ast->name) == 0)
            kind_index = idx;
    if (!ast->over) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, ast->location, "window function %s requires an OVER clause",
                     ast->name);
        return NULL;
    }
    if (b->in_aggregate) {
        tn_error_set(b->err, TN_ERR_GROUPING_ERROR, ast->location,
                     "aggregate function calls cannot contain window function calls");
        return NULL;
    }
    if (b->in_window) {
        tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, ast->location, b->in_window == 2
                         ? "window functions are not allowed in window definitions"
                         : "window function calls cannot be nested");
        return NULL;
    }
    if (b->clause != TN_CLAUSE_SELECT || b->in_having) {
        tn_error_set(b->err, TN_ERR_WINDOWING_ERROR, ast->location, "window functions are not allowed in %s",
                     b->in_having ? "HAVING" : tn_bind_clause_name(b->clause));
        return NULL;
    }
    bool is_aggregate = kind_index < 0 && tn_aggregate_exists(ast->name);
    if (kind_index < 0 && !is_aggregate) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, ast->location,
                     "OVER specified, but %s is not a window function nor an aggregate function", ast->name);
        return NULL;
    }
    if (ast->is_distinct || ast->agg_order_count > 0) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location, "%s is not implemented for window functions",
                     ast->is_distinct ? "DISTINCT" : "aggregate ORDER BY");
        return NULL;
    }
    if (ast->filter && !is_aggregate) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, ast->location,
                     "FILTER is not implemented for non-aggregate window functions");
        return NULL;
    }
    if (ast->is_star && !is_aggregate) {
        tn_error_set(b->err, TN_ERR_WRONG_OBJECT_TYPE, ast->location, "%s(*) specified, but %s is not an aggregate function",
                     ast->name, ast->name);
        return NULL;
    }
    tn_window_function *w = tn_arena_zalloc(b->arena, sizeof *w);
    tn_expr **args = w ? tn_arena_zalloc(b->arena, sizeof *args * (size_t)(ast->arg_count + 1)) : NULL;
    if (!args)
        return oom_null(b);
    w->name = ast->name;
    w->location = ast->location;
    tn_ast_window win;
    if (ast->over->name && !ast->over->refname && ast->over->partition_count == 0 && ast->over->order_count == 0 &&
        !(ast->over->frame_options & FRAME_NONDEFAULT)) {
        /* OVER name: the named window as it is */
        const tn_ast_window *ref = named_window(b, ast->over->name, ast->location);
        if (!ref || resolve_window(b, ref, &win, 0) < 0)
            return NULL;
    } else if (resolve_window(b, ast->over, &win, 0) < 0) {
        return NULL;
    }
    b->in_window = 1;
    bool ok = true;
    for (int idx = 0; ok && idx < ast->arg_count; idx++)
        ok = (args[idx] = tn_bind_expr(b, scope, ast->args[idx])) != NULL;
    tn_expr *filter = NULL;
    if (ok && ast->filter)
        ok = (filter = tn_bind_condition(b, scope, ast->filter, "FILTER")) != NULL;
    b->in_window = 2;
    if (ok)
        ok = bind_window_spec(b, scope, w, &win) == 0;
    b->in_window = 0;
    if (!ok)
        return NULL;
    if (is_aggregate) {
        w->kind = TN_WINDOW_AGGREGATE;
        if (!(w->aggregate = tn_aggregate_bind(b->arena, ast->name, args, ast->arg_count, false, ast->is_star,
                                               ast->location, b->err)))
            return NULL;
        w->aggregate->filter = filter;
        w->type = w->aggregate->type;
    } else if (bind_window_args(b, w, ast, args, kind_index) < 0) {
        return NULL;
    }
    if (b->window_count == b->window_capacity) {
        int capacity = b->window_capacity ? b->window_capacity * 2 : 8;
        tn_window_function **grown = tn_arena_realloc(b->arena, b->windows, sizeof *grown * (size_t)b->window_capacity,
                                                      sizeof *grown * (size_t)capacity);
        if (!grown)
            return oom_null(b);
        b->windows = grown;
        b->window_capacity = capacity;
    }
    b->windows[b->window_count] = w;
    tn_expr *ref = tn_expr_column(b->arena, TN_BIND_WINDOW_BASE + b->window_count, w->type, ast->location);
    if (!ref)
        return oom_null(b);
    b->window_count++;
    return ref;
}

tn_expr ***tn_bind_window_slots(tn_binder *b)
{
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
        tn_expr ***slots = pass ? tn_arena_zalloc(b->arena, sizeof *slots * (size_t)(count + 1)) : NULL;
        if (pass && !slots)
            return oom_null(b);
        int at = 0;
#define SLOT(p)              \
    do {                     \
        if (*(p) && slots)   \
            slots[at] = (p); \
        at += *(p) != NULL;  \
    } while (0)
        for (int idx = 0; idx < b->window_count; idx++) {
            tn_window_function *w = b->windows[idx];
            for (int k = 0; k < w->arg_count; k++)
                SLOT(&w->args[k]);
            for (int k = 0; w->aggregate && k < w->aggregate->arg_count; k++)
                SLOT(&w->aggregate->args[k]);
            if (w->aggregate)
                SLOT(&w->aggregate->filter);
            for (int k = 0; k < w->partition_count; k++)
                SLOT(&w->partitions[k]);
            for (int k = 0; k < w->order_count; k++)
                SLOT(&w->orders[k].expr);
            SLOT(&w->range_key);
            SLOT(&w->range_start);
            SLOT(&w->range_end);
        }
#undef SLOT
        count = at;
        if (pass)
            return slots;
    }
    return NULL;
}

static void rewrite_refs(tn_expr *expr, int first)
{
    if (expr->kind == TN_EXPR_COLUMN && expr->column >= TN_BIND_WINDOW_BASE)
        expr->column = first + expr->column - TN_BIND_WINDOW_BASE;
    for (int idx = 0; idx < expr->arg_count; idx++)
        rewrite_refs(expr->args[idx], first);
}

static tn_logical *window_node(tn_binder *b, tn_logical *plan, tn_window_function **windows, int count)
{
    int width = plan->column_count;
    tn_logical *node = tn_logical_new(b->arena, TN_LOGICAL_WINDOW, width + count);
    if (!node)
        return oom_null(b);
    node->children[0] = plan;
    node->child_count = 1;
    node->limit = -1;
    memcpy(node->types, plan->types, sizeof *node->types * (size_t)width);
    memcpy(node->names, plan->names, sizeof *node->names * (size_t)width);
    for (int idx = 0; idx < count; idx++) {
        node->types[width + idx] = windows[idx]->type;
        node->names[width + idx] = windows[idx]->name;
    }
    node->windows = windows;
    node->window_count = count;
    return node;
}

tn_logical *tn_bind_window_plan(tn_binder *b, tn_logical *plan, tn_expr **exprs, int count)
{
    tn_logical *node = window_node(b, plan, b->windows, b->window_count);
    if (!node)
        return NULL;
    for (int idx = 0; idx < count; idx++)
        rewrite_refs(exprs[idx], plan->column_count);
    return node;
}

tn_logical *tn_bind_distinct_on(tn_binder *b, tn_logical *plan, const tn_ast_select *select,
                                const int *distinct_columns, const int *sort_columns)
{
    int on_count = select->distinct_on_count;
    /* the leading ORDER BY items must be DISTINCT ON columns until all of
     * them are covered */
    int covered = 0;
    for (int s = 0; s < select->sort_count && covered < on_count; s++) {
        bool found = false;
        for (int d = 0; d < on_count && !found; d++)
            found = distinct_columns[d] == sort_columns[s];
        if (!found) {
            tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, select->distinct_on[0]->location,
                         "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
            return NULL;
        }
        bool fresh = true;
        for (int p = 0; p < s; p++)
            fresh &= sort_columns[p] != sort_columns[s];
        covered += fresh;
    }
    tn_window_function *w = tn_arena_zalloc(b->arena, sizeof *w);
    tn_window_function **list = tn_arena_zalloc(b->arena, sizeof *list);
    if (!w || !list || !(w->partitions = tn_arena_zalloc(b->arena, sizeof *w->partitions * (size_t)on_count)) ||
        !(w->orders = tn_arena_zalloc(b->arena, sizeof *w->orders * (size_t)(select->sort_count + 1))))
        return oom_null(b);
    w->kind = TN_WINDOW_ROW_NUMBER;
    w->name = "row_number";
    w->type = tn_type_make(TN_TYPE_INT64);
    w->frame = FRAME_DEFAULT;
    for (int d = 0; d < on_count; d++)
        if (!(w->partitions[d] = tn_expr_column(b->arena, distinct_columns[d], plan->types[distinct_columns[d]], 0)))
            return oom_null(b);
    w->partition_count = on_count;
    for (int s = 0; s < select->sort_count; s++) {
        tn_sort_key *key = &w->orders[s];
        if (!(key->expr = tn_expr_column(b->arena, sort_columns[s], plan->types[sort_columns[s]], 0)))
            return oom_null(b);
        key->is_descending = select->sorts[s].is_descending;
        key->nulls_first = select->sorts[s].nulls ? select->sorts[s].nulls == 1 : key->is_descending;
    }
    w->order_count = select->sort_count;
    list[0] = w;
    int width = plan->column_count;
    tn_logical *node = window_node(b, plan, list, 1);
    tn_logical *filter = node ? tn_logical_new(b->arena, TN_LOGICAL_FILTER, width + 1) : NULL;
    if (!filter)
        return oom_null(b);
    filter->children[0] = node;
    filter->child_count = 1;
    filter->limit = -1;
    memcpy(filter->types, node->types, sizeof *filter->types * (size_t)(width + 1));
    memcpy(filter->names, node->names, sizeof *filter->names * (size_t)(width + 1));
    tn_value one = {.type = tn_type_make(TN_TYPE_INT64), .u.integer = 1};
    tn_expr *args[2] = {tn_expr_column(b->arena, width, w->type, 0), tn_expr_constant(b->arena, &one, 0)};
    if (!args[0] || !args[1] || !(filter->predicate = tn_function_bind(b->arena, "=", args, 2, 0, b->err)))
        return oom_null(b);
    tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs * (size_t)(width + 1));
    if (!exprs)
        return oom_null(b);
    for (int col = 0; col < width; col++)
        if (!(exprs[col] = tn_expr_column(b->arena, col, plan->types[col], 0)))
            return oom_null(b);
    return tn_bind_projection(b, filter, exprs, plan->names, width);
}

tn_bound_aggregate *tn_bind_aggregate_order(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast, tn_expr **args)
{
    int count = ast->agg_order_count;
    tn_expr **keys = tn_arena_zalloc(b->arena, sizeof *keys * (size_t)(count + 1));
    bool *descending = tn_arena_zalloc(b->arena, sizeof *descending * (size_t)(count + 1));
    bool *nulls_first = tn_arena_zalloc(b->arena, sizeof *nulls_first * (size_t)(count + 1));
    if (!keys || !descending || !nulls_first)
        return oom_null(b);
    bool saved = b->in_aggregate;
    b->in_aggregate = true;
    for (int idx = 0; idx < count; idx++) {
        const tn_ast_sort *sort = &ast->agg_order[idx];
        if (!(keys[idx] = tn_bind_expr(b, scope, sort->expr))) {
            b->in_aggregate = saved;
            return NULL;
        }
        descending[idx] = sort->is_descending;
        nulls_first[idx] = sort->nulls ? sort->nulls == 1 : sort->is_descending;
        if (ast->is_distinct) {
            bool found = false;
            for (int arg = 0; arg < ast->arg_count && !found; arg++)
                found = tn_bind_expr_equal(args[arg], keys[idx]);
            if (!found) {
                b->in_aggregate = saved;
                tn_error_set(b->err, TN_ERR_INVALID_COLUMN_REFERENCE, sort->expr->location,
                             "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list");
                return NULL;
            }
        }
    }
    b->in_aggregate = saved;
    return tn_aggregate_bind_ordered(b->arena, ast->name, args, ast->arg_count, keys, descending, nulls_first, count,
                                     ast->is_distinct, ast->is_within_group, ast->location, b->err);
}
