/*
 * The table functions (table_function.h):
 *
 *   generate_series(start, stop [, step]) over integer, bigint and numeric
 *     (step 1 by default), and over timestamp / timestamptz with an
 *     interval step (dates and unknown literals resolve to timestamptz, as
 *     in PostgreSQL).  A NULL argument gives no rows, a zero step 22023.
 *     The numeric series starts with start as written and continues at the
 *     larger scale of start and step (PostgreSQL's numeric addition).
 *   regexp_split_to_table(text, pattern [, flags]): the pieces between the
 *     pattern's matches, with PostgreSQL's rule for empty matches (one at
 *     the start of the string, at its end, or right after the previous
 *     match does not split).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "exec/table_function.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "exec/function.h"
#include "types/datetime.h"

static bool is_unknown(const tn_expr *expr)
{
    return expr->kind == TN_EXPR_CONSTANT && expr->type.id == TN_TYPE_TEXT && expr->depth == -1;
}

/* An unknown literal or a bare NULL: takes the type resolution picks. */
static bool is_untyped(const tn_expr *expr)
{
    return is_unknown(expr) || expr->type.id == TN_TYPE_NULL;
}

static int no_function(tn_arena *arena, const char *name, tn_expr **args, int arg_count, int location,
                       tn_error *err)
{
    char types[256] = "";
    size_t used = 0;
    for (int idx = 0; idx < arg_count; idx++) {
        char buf[64];
        const char *type = is_untyped(args[idx]) ? "unknown" : tn_type_name(args[idx]->type, buf, sizeof buf);
        int n = snprintf(types + used, sizeof types - used, "%s%s", idx ? ", " : "", type);
        if (n > 0 && (size_t)n < sizeof types - used)
            used += (size_t)n;
    }
    (void)arena;
    tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "function %s(%s) does not exist", name, types);
    tn_error_hint(err, "No function matches the given name and argument types. You might need to add explicit type casts.");
    return -1;
}

/* Casts every argument to types[i]; unknown literals are read as that type. */
static int cast_args(tn_arena *arena, tn_expr **args, int arg_count, const tn_type *types, tn_error *err)
{
    for (int idx = 0; idx < arg_count; idx++) {
        tn_expr *cast = tn_expr_cast(arena, args[idx], types[idx],
                                     is_unknown(args[idx]) ? TN_CAST_EXPLICIT : TN_CAST_IMPLICIT, err);
        if (!cast)
            return -1;
        args[idx] = cast;
    }
    return 0;
}

/* ---- generate_series ---- */

static int series_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count, int location, tn_type *out,
                       tn_error *err)
{
    if (arg_count < 2 || arg_count > 3)
        return no_function(arena, name, args, arg_count, location, err);
    tn_type types[3];
    bool step_is_interval = arg_count == 3 && args[2]->type.id == TN_TYPE_INTERVAL;
    for (int idx = 0; arg_count == 3 && is_untyped(args[2]) && idx < 2; idx++) {
        tn_type_id id = args[idx]->type.id;
        step_is_interval |= id == TN_TYPE_DATE || id == TN_TYPE_TIMESTAMP || id == TN_TYPE_TIMESTAMPTZ;
    }
    if (step_is_interval) {
        /* an unknown literal takes the other bound's type; two of them,
         * like dates, resolve to timestamptz */
        bool plain = !is_untyped(args[0]) || !is_untyped(args[1]);
        for (int idx = 0; idx < 2; idx++) {
            tn_type_id id = args[idx]->type.id;
            if (is_untyped(args[idx]))
                continue;
            if (id == TN_TYPE_TIMESTAMPTZ || id == TN_TYPE_DATE)
                plain = false;
            else if (id != TN_TYPE_TIMESTAMP)
                return no_function(arena, name, args, arg_count, location, err);
        }
        types[0] = types[1] = tn_type_make(plain ? TN_TYPE_TIMESTAMP : TN_TYPE_TIMESTAMPTZ);
        types[2] = tn_type_make(TN_TYPE_INTERVAL);
    } else {
        tn_type_id widest = TN_TYPE_INT32;
        for (int idx = 0; idx < arg_count; idx++) {
            tn_type_id id = args[idx]->type.id;
            if (is_untyped(args[idx]) || id == TN_TYPE_INT16 || id == TN_TYPE_INT32)
                continue;
            if (id == TN_TYPE_INT64 && widest != TN_TYPE_NUMERIC)
                widest = TN_TYPE_INT64;
            else if (id == TN_TYPE_NUMERIC)
                widest = TN_TYPE_NUMERIC;
            else if (id != TN_TYPE_INT64)
                return no_function(arena, name, args, arg_count, location, err);
        }
        for (int idx = 0; idx < arg_count; idx++)
            types[idx] = tn_type_make(widest);
    }
    if (cast_args(arena, args, arg_count, types, err) < 0)
        return -1;
    *out = types[0];
    return 0;
}

static int zero_step(tn_error *err)
{
    return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "step size cannot equal zero");
}

static tn_int128 scale_up(tn_int128 value, int from, int to)
{
    for (int s = from; s < to; s++)
        value *= 10;
    return value;
}

static int series_start(tn_table_call *call, tn_arena *arena, tn_error *err)
{
    (void)arena;
    for (int idx = 0; idx < call->arg_count; idx++)
        if (call->args[idx].is_null)
            call->is_done = true;
    if (call->arg_count == 2) {
        memset(&call->args[2], 0, sizeof call->args[2]);
        call->args[2].type = call->type;
        if (call->type.id == TN_TYPE_NUMERIC)
            call->args[2].u.numeric = 1;
        else
            call->args[2].u.integer = 1;
    }
    if (call->is_done)
        return 0;
    const tn_value *step = &call->args[2];
    switch (call->type.id) {
    case TN_TYPE_NUMERIC:
        if (step->u.numeric == 0)
            return zero_step(err);
        call->next_scale = call->args[0].type.scale > step->type.scale ? call->args[0].type.scale : step->type.scale;
        break;
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: {
        tn_interval zero = {0, 0, 0};
        if (tn_interval_compare(&step->u.interval, &zero) == 0)
            return zero_step(err);
        break;
    }
    default:
        if (step->u.integer == 0)
            return zero_step(err);
        break;
    }
    call->next = call->args[0];
    return 0;
}

/* Compares the next value with stop in the step's direction: true while
 * the series goes on. */
static bool series_continues(const tn_table_call *call)
{
    const tn_value *next = &call->next, *stop = &call->args[1], *step = &call->args[2];
    switch (call->type.id) {
    case TN_TYPE_NUMERIC: {
        int scale = next->type.scale > stop->type.scale ? next->type.scale : stop->type.scale;
        tn_int128 a = scale_up(next->u.numeric, next->type.scale, scale);
        tn_int128 b = scale_up(stop->u.numeric, stop->type.scale, scale);
        return step->u.numeric > 0 ? a <= b : a >= b;
    }
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ: {
        tn_interval zero = {0, 0, 0};
        bool up = tn_interval_compare(&step->u.interval, &zero) > 0;
        return up ? next->u.integer <= stop->u.integer : next->u.integer >= stop->u.integer;
    }
    default:
        return step->u.integer > 0 ? next->u.integer <= stop->u.integer : next->u.integer >= stop->u.integer;
    }
}

/* Moves next one step on; is_done when it leaves the type's range. */
static int series_advance(tn_table_call *call, tn_error *err)
{
    tn_value *next = &call->next;
    const tn_value *step = &call->args[2];
    switch (call->type.id) {
    case TN_TYPE_NUMERIC: {
        int scale = call->next_scale;
        tn_int128 a = scale_up(next->u.numeric, next->type.scale, scale);
        tn_int128 b = scale_up(step->u.numeric, step->type.scale, scale);
        if (__builtin_add_overflow(a, b, &next->u.numeric))
            call->is_done = true;
        next->type.scale = scale;
        return 0;
    }
    case TN_TYPE_TIMESTAMP:
        return tn_timestamp_add_interval(next->u.integer, &step->u.interval, &next->u.integer, err);
    case TN_TYPE_TIMESTAMPTZ: {
        tn_timezone zone = tn_timezone_utc();
        return tn_timestamptz_add_interval(next->u.integer, &step->u.interval, &zone, &next->u.integer, err);
    }
    case TN_TYPE_INT32: {
        int32_t value;
        if (__builtin_add_overflow((int32_t)next->u.integer, (int32_t)step->u.integer, &value))
            call->is_done = true;
        next->u.integer = value;
        return 0;
    }
    default:
        if (__builtin_add_overflow(next->u.integer, step->u.integer, &next->u.integer))
            call->is_done = true;
        return 0;
    }
}

static int series_next(tn_table_call *call, tn_vector *out, uint32_t capacity, tn_error *err)
{
    uint32_t count = 0;
    while (count < capacity && !call->is_done && series_continues(call)) {
        if (call->type.id == TN_TYPE_NUMERIC) {
            if (tn_vector_set_numeric(out, count, call->next.u.numeric, call->next.type.scale, err) != 0)
                return -1;
        } else {
            tn_value value = call->next;
            value.type = call->type;
            if (tn_vector_set_value(out, count, &value) != 0)
                return tn_error_oom(err);
        }
        count++;
        if (series_advance(call, err) != 0)
            return -1;
    }
    return (int)count;
}

/* ---- regexp_split_to_table ---- */

static int split_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count, int location, tn_type *out,
                      tn_error *err)
{
    if (arg_count < 2 || arg_count > 3)
        return no_function(arena, name, args, arg_count, location, err);
    tn_type types[3] = {tn_type_make(TN_TYPE_TEXT), tn_type_make(TN_TYPE_TEXT), tn_type_make(TN_TYPE_TEXT)};
    for (int idx = 0; idx < arg_count; idx++)
        if (!is_untyped(args[idx]) && args[idx]->type.id != TN_TYPE_TEXT)
            return no_function(arena, name, args, arg_count, location, err);
    if (cast_args(arena, args, arg_count, types, err) < 0)
        return -1;
    *out = types[0];
    return 0;
}

static void free_code(void *code)
{
    pcre2_code_free(code);
}

static void free_match(void *match)
{
    pcre2_match_data_free(match);
}

static int split_start(tn_table_call *call, tn_arena *arena, tn_error *err)
{
    for (int idx = 0; idx < call->arg_count; idx++)
        if (call->args[idx].is_null)
            call->is_done = true;
    if (call->is_done)
        return 0;
    uint32_t options = PCRE2_UTF;
    if (call->arg_count == 3) {
        const tn_string *flags = &call->args[2].u.string;
        const char *text = tn_string_data(flags);
        for (uint32_t idx = 0; idx < flags->length; idx++) {
            if (text[idx] == 'i')
                options |= PCRE2_CASELESS;
            else if (text[idx] == 'c')
                options &= ~(uint32_t)PCRE2_CASELESS;
            else if (text[idx] == 'g')
                return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                    "regexp_split_to_table() does not support the \"global\" option");
            else
                return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid regular expression option: \"%c\"",
                                    text[idx]);
        }
    }
    const tn_string *pattern = &call->args[1].u.string;
    int code;
    PCRE2_SIZE at;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)tn_string_data(pattern), pattern->length, options, &code, &at, NULL);
    if (!re) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        return tn_error_set(err, TN_ERR_INVALID_REGULAR_EXPRESSION, 0, "invalid regular expression: %s", message);
    }
    if (tn_arena_on_cleanup(arena, free_code, re) != 0) {
        pcre2_code_free(re);
        return tn_error_oom(err);
    }
    pcre2_match_data *match = pcre2_match_data_create_from_pattern(re, NULL);
    if (!match || tn_arena_on_cleanup(arena, free_match, match) != 0) {
        pcre2_match_data_free(match);
        return tn_error_oom(err);
    }
    call->pattern = re;
    call->match = match;
    return 0;
}

/* The next match that splits: [*start, *end), or false at the end. */
static int next_split(tn_table_call *call, const char *text, int64_t length, int64_t *start, int64_t *end,
                      tn_error *err)
{
    while (call->search <= length) {
        int rc = pcre2_match(call->pattern, (PCRE2_SPTR)text, (PCRE2_SIZE)length, (PCRE2_SIZE)call->search, 0,
                             call->match, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0)
            return tn_error_set(err, TN_ERR_INVALID_REGULAR_EXPRESSION, 0, "regular expression failed");
        PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(call->match);
        int64_t so = (int64_t)ovector[0], eo = (int64_t)ovector[1];
        bool splits = so < length && eo > call->previous_end;
        call->previous_end = eo;
        call->search = eo;
        if (so == eo) {
            /* step over one character (UTF-8) */
            call->search++;
            while (call->search < length && ((unsigned char)text[call->search] & 0xC0) == 0x80)
                call->search++;
        }
        if (splits) {
            *start = so;
            *end = eo;
            return 1;
        }
    }
    return 0;
}

static int split_next(tn_table_call *call, tn_vector *out, uint32_t capacity, tn_error *err)
{
    const tn_string *subject = &call->args[0].u.string;
    const char *text = tn_string_data(subject);
    int64_t length = subject->length;
    uint32_t count = 0;
    while (count < capacity && !call->is_done) {
        int64_t start = length, end = length;
        int found = next_split(call, text, length, &start, &end, err);
        if (found < 0)
            return -1;
        if (!found)
            call->is_done = true;
        if (tn_vector_set_string(out, count, text + call->offset, (uint32_t)(start - call->offset)) != 0)
            return tn_error_oom(err);
        count++;
        call->offset = end;
    }
    return (int)count;
}

static const tn_table_function functions[] = {
    {"generate_series", series_bind, series_start, series_next},
    {"regexp_split_to_table", split_bind, split_start, split_next},
};

const tn_table_function *tn_table_function_lookup(const char *name)
{
    for (size_t idx = 0; idx < sizeof functions / sizeof functions[0]; idx++)
        if (strcmp(functions[idx].name, name) == 0)
            return &functions[idx];
    return NULL;
}
