/*
 * Overload resolution and coercion, after PostgreSQL's func_select_candidate
 * and select_common_type (parser/parse_func.c, parse_coerce.c), reduced to
 * tarn's types:
 *
 *  1. Candidates are the overloads with the name and arity.  An untyped
 *     literal (a TEXT constant with depth -1) or a bare NULL is "unknown":
 *     when the known arguments all have one type, the unknowns are assumed
 *     to have it too (so int_col = '5' reads '5' as an integer, at once).
 *  2. Each argument must match exactly or cast implicitly; the candidate
 *     with the most exact matches wins, then the one using the most
 *     preferred types (double precision, text, timestamptz, interval), then
 *     one taking text where unknowns stand.  A tie left is 42725.
 *  3. The winner's argument types are applied with tn_expr_cast and its
 *     bind hook fixes the exact result type (NUMERIC scale).
 *
 * Casts are allowed per PostgreSQL's pg_cast contexts: implicit (widening
 * numbers, date to timestamp), assignment (narrowing numbers, anything to
 * text) and explicit (text to anything, bool and integer).
 */
#include "exec/exec_int.h"

#include <stdio.h>
#include <string.h>

#include "types/cast.h"
#include "types/format.h"

typedef enum category { CAT_BOOL, CAT_NUMERIC, CAT_STRING, CAT_DATETIME, CAT_TIMESPAN, CAT_UNKNOWN } category;

static category type_category(tn_type_id id)
{
    switch (id) {
    case TN_TYPE_BOOL: return CAT_BOOL;
    case TN_TYPE_INT16:
    case TN_TYPE_INT32:
    case TN_TYPE_INT64:
    case TN_TYPE_FLOAT32:
    case TN_TYPE_FLOAT64:
    case TN_TYPE_NUMERIC: return CAT_NUMERIC;
    case TN_TYPE_TEXT: return CAT_STRING;
    case TN_TYPE_DATE:
    case TN_TYPE_TIMESTAMP:
    case TN_TYPE_TIMESTAMPTZ:
    case TN_TYPE_TIME: return CAT_DATETIME;
    case TN_TYPE_INTERVAL: return CAT_TIMESPAN;
    default: return CAT_UNKNOWN;
    }
}

static bool is_preferred(tn_type_id id)
{
    return id == TN_TYPE_FLOAT64 || id == TN_TYPE_TEXT || id == TN_TYPE_TIMESTAMPTZ ||
           id == TN_TYPE_INTERVAL || id == TN_TYPE_BOOL;
}

bool tn_cast_is_implicit(tn_type_id from, tn_type_id to)
{
    return from == to || tn_cast_lookup(from, to) == TN_CAST_KIND_IMPLICIT;
}

static bool cast_is_allowed(tn_type_id from, tn_type_id to, tn_cast_context context)
{
    tn_cast_kind kind = tn_cast_lookup(from, to);
    switch (context) {
    case TN_CAST_IMPLICIT: return kind == TN_CAST_KIND_IMPLICIT;
    case TN_CAST_ASSIGNMENT: return kind >= TN_CAST_KIND_ASSIGNMENT;
    case TN_CAST_EXPLICIT: return kind >= TN_CAST_KIND_EXPLICIT;
    }
    return false;
}

/* ---- the types layer's conversions, as the engine calls them ---- */

int tn_cast_vector(const tn_expr *cast, const tn_vector *src, uint32_t count, tn_vector *out,
                   tn_error *err)
{
    tn_timezone utc = tn_timezone_utc();
    return tn_cast_vector_zone(cast, &utc, src, count, out, err);
}

int tn_cast_vector_zone(const tn_expr *cast, const tn_timezone *zone, const tn_vector *src, uint32_t count,
                        tn_vector *out, tn_error *err)
{
    tn_cast_options options = {cast->is_explicit, *zone};
    out->type = cast->type;
    if (tn_vector_cast(src, count, out, &options, err) != 0) {
        if (err->position == 0)
            err->position = cast->location;
        return -1;
    }
    return 0;
}

int tn_cast_value(tn_arena *arena, const tn_value *value, tn_type type, bool is_explicit,
                  int location, tn_value *out, tn_error *err)
{
    tn_cast_options options = {is_explicit, tn_timezone_utc()};
    if (tn_value_cast(value, type, &options, arena, out, err) != 0) {
        if (err->position == 0)
            err->position = location;
        return -1;
    }
    return 0;
}

char *tn_value_to_text(tn_arena *arena, const tn_value *value)
{
    char buf[TN_FORMAT_SIZE];
    size_t length;
    tn_timezone zone = tn_timezone_utc();
    const char *text = tn_format_value(value, &zone, buf, &length);
    return tn_arena_strndup(arena, text != NULL ? text : "", text != NULL ? length : 0);
}

/* The spelling of a type in "operator does not exist" messages (no typmod). */
static const char *message_type_name(const tn_expr *arg)
{
    if (arg->type.id == TN_TYPE_TEXT && arg->kind == TN_EXPR_CONSTANT && arg->depth == -1)
        return "unknown";
    if (arg->type.id == TN_TYPE_TEXT && arg->type.precision > 0)
        return "character varying";
    return tn_type_id_name(arg->type.id);
}

static bool is_unknown(const tn_expr *arg)
{
    return arg->type.id == TN_TYPE_NULL ||
           (arg->type.id == TN_TYPE_TEXT && arg->kind == TN_EXPR_CONSTANT && arg->depth == -1);
}

static bool is_operator(const char *name)
{
    return strchr("+-*/%<>=~!|^&#@", name[0]) != NULL;
}

tn_expr *tn_expr_cast(tn_arena *arena, tn_expr *expr, tn_type type, tn_cast_context context,
                      tn_error *err)
{
    char from_name[64], to_name[64];
    if (tn_type_equal(expr->type, type) && !is_unknown(expr))
        return expr;
    /* An unconstrained numeric keeps each value's own scale (PostgreSQL's
     * display scale): no cast from another numeric, even when the target
     * is a common type whose scale estimate is larger. */
    if (type.id == TN_TYPE_NUMERIC && type.precision == 0 && expr->type.id == TN_TYPE_NUMERIC)
        return expr;
    if (type.id == TN_TYPE_TEXT && type.precision == 0 && expr->type.id == TN_TYPE_TEXT &&
        !is_unknown(expr))
        return expr;
    if (!is_unknown(expr) && !cast_is_allowed(expr->type.id, type.id, context)) {
        tn_error_set(err, TN_ERR_CANNOT_COERCE, expr->location, "cannot cast type %s to %s",
                     tn_type_name(expr->type, from_name, sizeof from_name),
                     tn_type_name(type, to_name, sizeof to_name));
        return NULL;
    }
    if (expr->kind == TN_EXPR_CONSTANT && !tn_cast_depends_on_zone(expr->type.id, type.id)) {
        tn_value value;
        if (tn_cast_value(arena, &expr->value, type, context == TN_CAST_EXPLICIT || is_unknown(expr),
                          expr->location, &value, err) != 0)
            return NULL;
        tn_expr *constant = tn_expr_constant(arena, &value, expr->location);
        if (constant == NULL)
            tn_error_oom(err);
        return constant;
    }
    tn_expr *cast = tn_expr_new(arena, TN_EXPR_CAST, type, 1, expr->location);
    if (cast == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    if (type.id == TN_TYPE_NUMERIC && type.precision == 0 && expr->type.id != TN_TYPE_NUMERIC)
        cast->type.scale = 0; /* integers become numeric at scale 0; floats at their digits */
    cast->args[0] = expr;
    cast->is_explicit = context == TN_CAST_EXPLICIT;
    return cast;
}

/* ---- common type ---- */

int tn_common_type(tn_expr **exprs, int count, const char *construct, tn_type *out, tn_error *err)
{
    char a_name[64], b_name[64];
    int first = -1;
    for (int i = 0; i < count; i++) {
        if (!is_unknown(exprs[i])) {
            first = i;
            break;
        }
    }
    if (first < 0) {
        *out = tn_type_make(TN_TYPE_TEXT);
        return 0;
    }
    tn_type common = exprs[first]->type;
    int max_scale = common.id == TN_TYPE_NUMERIC ? common.scale : 0;
    bool mixed_typmod = false;
    for (int i = first + 1; i < count; i++) {
        const tn_expr *expr = exprs[i];
        if (is_unknown(expr))
            continue;
        tn_type next = expr->type;
        if (next.id == TN_TYPE_NUMERIC && next.scale > max_scale)
            max_scale = next.scale;
        if (next.id == common.id) {
            mixed_typmod |= next.precision != common.precision || next.scale != common.scale;
            continue;
        }
        if (type_category(next.id) != type_category(common.id)) {
            return tn_error_set(err, TN_ERR_DATATYPE_MISMATCH, expr->location,
                                "%s types %s and %s cannot be matched", construct,
                                tn_type_name(common, a_name, sizeof a_name),
                                tn_type_name(next, b_name, sizeof b_name));
        }
        if (!is_preferred(common.id) && tn_cast_is_implicit(common.id, next.id) &&
            !tn_cast_is_implicit(next.id, common.id))
            common = next;
        mixed_typmod = true;
    }
    if (common.id == TN_TYPE_NUMERIC && mixed_typmod)
        common = tn_type_numeric(0, max_scale);
    else if (common.id == TN_TYPE_TEXT && mixed_typmod)
        common = tn_type_make(TN_TYPE_TEXT);
    *out = common;
    return 0;
}

/* ---- resolution ---- */

typedef struct candidate_score {
    int exact;
    int preferred;
    int unknown_text;
} candidate_score;

static tn_type_id arg_type_of(const tn_scalar_function *function, int position)
{
    return function->arg_count < 0 ? function->arg_types[0] : function->arg_types[position];
}

/* Scores a candidate; false when some argument cannot be coerced. */
static bool score_candidate(const tn_scalar_function *function, tn_expr **args, int arg_count,
                            tn_type_id assumed, candidate_score *score)
{
    memset(score, 0, sizeof *score);
    for (int i = 0; i < arg_count; i++) {
        tn_type_id want = arg_type_of(function, i);
        if (want == TN_TYPE__COUNT) { /* "any": converted to text by the function */
            score->exact++;
            continue;
        }
        if (is_unknown(args[i])) {
            if (want == assumed)
                score->exact++;
            if (want == TN_TYPE_TEXT)
                score->unknown_text++;
            continue;
        }
        tn_type_id have = args[i]->type.id;
        if (have == want)
            score->exact++;
        else if (!tn_cast_is_implicit(have, want))
            return false;
        else if (is_preferred(want))
            score->preferred++;
    }
    return true;
}

static int compare_scores(const candidate_score *a, const candidate_score *b)
{
    if (a->exact != b->exact)
        return a->exact - b->exact;
    if (a->preferred != b->preferred)
        return a->preferred - b->preferred;
    return a->unknown_text - b->unknown_text;
}

/* The type unknown arguments take: that of the known ones when they agree. */
static tn_type_id assumed_type(tn_expr **args, int arg_count)
{
    tn_type_id assumed = TN_TYPE__COUNT;
    for (int i = 0; i < arg_count; i++) {
        if (is_unknown(args[i]))
            continue;
        if (assumed != TN_TYPE__COUNT && assumed != args[i]->type.id)
            return TN_TYPE__COUNT;
        assumed = args[i]->type.id;
    }
    return assumed;
}

static void describe_call(char *buf, size_t size, const char *name, tn_expr **args, int arg_count)
{
    if (is_operator(name) || strncmp(name, "IS ", 3) == 0) {
        if (arg_count == 1)
            snprintf(buf, size, "%s %s", name, message_type_name(args[0]));
        else
            snprintf(buf, size, "%s %s %s", message_type_name(args[0]), name,
                     message_type_name(args[1]));
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "%s(", name);
    for (int i = 0; i < arg_count && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i > 0 ? ", " : "",
                                 message_type_name(args[i]));
    if (used < size)
        snprintf(buf + used, size - used, ")");
}

static tn_expr *report_no_match(const char *name, tn_expr **args, int arg_count, int location,
                                bool ambiguous, tn_error *err)
{
    char call[512];
    describe_call(call, sizeof call, name, args, arg_count);
    bool op = is_operator(name) || strncmp(name, "IS ", 3) == 0;
    if (ambiguous) {
        if (op)
            tn_error_set(err, TN_ERR_AMBIGUOUS_FUNCTION, location, "operator is not unique: %s", call);
        else
            tn_error_set(err, TN_ERR_AMBIGUOUS_FUNCTION, location, "function %s is not unique", call);
        tn_error_hint(err, "Could not choose a best candidate %s. You might need to add explicit "
                           "type casts.", op ? "operator" : "function");
        return NULL;
    }
    if (op)
        tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "operator does not exist: %s", call);
    else
        tn_error_set(err, TN_ERR_UNDEFINED_FUNCTION, location, "function %s does not exist", call);
    tn_error_hint(err, "No %s matches the given name and argument types. You might need to add "
                       "explicit type casts.", op ? "operator" : "function");
    return NULL;
}

/* PostgreSQL's textanycat: "||" reads a non-text side through its output. */
static int coerce_concat_operands(tn_arena *arena, tn_expr **args, tn_error *err)
{
    bool text0 = args[0]->type.id == TN_TYPE_TEXT || is_unknown(args[0]);
    bool text1 = args[1]->type.id == TN_TYPE_TEXT || is_unknown(args[1]);
    if (text0 == text1)
        return 0;
    int side = text0 ? 1 : 0;
    args[side] = tn_expr_cast(arena, args[side], tn_type_make(TN_TYPE_TEXT), TN_CAST_EXPLICIT, err);
    return args[side] != NULL ? 0 : -1;
}

/* A boolean read through its output function ('t'/'f', not the cast's
 * 'true'/'false'), as "any" arguments of concat are:
 * CASE WHEN b THEN 't' WHEN NOT b THEN 'f' END. */
static tn_expr *bool_output(tn_arena *arena, tn_expr *arg, tn_error *err)
{
    tn_type text = tn_type_make(TN_TYPE_TEXT);
    tn_expr *result = tn_expr_new(arena, TN_EXPR_CASE, text, 4, arg->location);
    tn_expr *negated = tn_expr_new(arena, TN_EXPR_NOT, tn_type_make(TN_TYPE_BOOL), 1, arg->location);
    tn_expr *copy = tn_expr_copy(arena, arg);
    if (result == NULL || negated == NULL || copy == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    negated->args[0] = copy;
    result->args[0] = arg;
    result->args[2] = negated;
    for (int k = 0; k < 2; k++) {
        tn_value value = tn_value_null(text);
        value.is_null = false;
        value.u.string = tn_string_make(k == 0 ? "t" : "f", 1);
        result->args[1 + 2 * k] = tn_expr_constant(arena, &value, arg->location);
        if (result->args[1 + 2 * k] == NULL) {
            tn_error_oom(err);
            return NULL;
        }
    }
    return result;
}

static const tn_scalar_function *select_candidate(const char *name, tn_expr **args, int arg_count,
                                                  bool *ambiguous)
{
    tn_type_id assumed = assumed_type(args, arg_count);
    const tn_scalar_function *best = NULL, *function;
    candidate_score best_score = {0, 0, 0}, score;
    *ambiguous = false;
    for (int index = tn_function_next(name, 0, &function); index >= 0;
         index = tn_function_next(name, index + 1, &function)) {
        if (function->arg_count != arg_count && !(function->arg_count < 0 && arg_count > 0))
            continue;
        if (!score_candidate(function, args, arg_count, assumed, &score))
            continue;
        int cmp = best == NULL ? 1 : compare_scores(&score, &best_score);
        if (cmp > 0) {
            best = function;
            best_score = score;
            *ambiguous = false;
        } else if (cmp == 0) {
            *ambiguous = true;
        }
    }
    return best;
}

tn_expr *tn_function_bind(tn_arena *arena, const char *name, tn_expr **args, int arg_count,
                          int location, tn_error *err)
{
    tn_expr **bound = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)(arg_count > 0 ? arg_count : 1));
    if (bound == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    memcpy(bound, args, sizeof(tn_expr *) * (size_t)arg_count);
    if (strcmp(name, "||") == 0 && arg_count == 2 && coerce_concat_operands(arena, bound, err) != 0)
        return NULL;
    bool ambiguous;
    const tn_scalar_function *function = select_candidate(name, bound, arg_count, &ambiguous);
    if (function == NULL || ambiguous)
        return report_no_match(name, bound, arg_count, location, function != NULL, err);
    tn_expr *call = tn_expr_new(arena, TN_EXPR_FUNCTION, tn_type_make(function->return_type),
                                arg_count, location);
    if (call == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    call->function = function;
    for (int i = 0; i < arg_count; i++) {
        tn_type_id want = arg_type_of(function, i);
        tn_type target = tn_type_make(want == TN_TYPE__COUNT ? TN_TYPE_TEXT : want);
        tn_cast_context context = want == TN_TYPE__COUNT ? TN_CAST_EXPLICIT : TN_CAST_IMPLICIT;
        if (want == TN_TYPE__COUNT && bound[i]->type.id == TN_TYPE_BOOL)
            call->args[i] = bool_output(arena, bound[i], err);
        else
            call->args[i] = tn_expr_cast(arena, bound[i], target, context, err);
        if (call->args[i] == NULL)
            return NULL;
    }
    if (function->bind != NULL && function->bind(arena, call, err) != 0)
        return NULL;
    return call;
}

bool tn_function_exists(const char *name)
{
    const tn_scalar_function *function;
    return tn_function_next(name, 0, &function) >= 0;
}
