/*
 * Bound expression trees: construction, copying, constant folding and the
 * text EXPLAIN prints.  Evaluation lives in expr_eval.c; folding simply
 * evaluates the tree over a one-row chunk with no columns, so a folded
 * constant is computed by exactly the kernels that would compute it at run
 * time (same errors, same NULL rules).
 */
#include "exec/exec_int.h"

#include <stdio.h>
#include <string.h>

#include "common/buffer.h"
#include "sql/logical.h"
#include "types/cast.h"

static int render(tn_buf *buf, tn_arena *arena, const tn_expr *expr);
static int render_list(tn_buf *buf, tn_arena *arena, tn_expr *const *args, int count,
                       const char *separator);

tn_expr *tn_expr_new(tn_arena *arena, tn_expr_kind kind, tn_type type, int arg_count, int location)
{
    tn_expr *expr = tn_arena_zalloc(arena, sizeof(tn_expr));
    if (expr == NULL)
        return NULL;
    expr->kind = kind;
    expr->type = type;
    expr->location = location;
    expr->arg_count = arg_count;
    if (arg_count > 0) {
        expr->args = tn_arena_zalloc(arena, sizeof(tn_expr *) * (size_t)arg_count);
        if (expr->args == NULL)
            return NULL;
    }
    return expr;
}

tn_expr *tn_expr_constant(tn_arena *arena, const tn_value *value, int location)
{
    tn_expr *expr = tn_expr_new(arena, TN_EXPR_CONSTANT, value->type, 0, location);
    if (expr != NULL)
        expr->value = *value;
    return expr;
}

tn_expr *tn_expr_column(tn_arena *arena, int column, tn_type type, int location)
{
    tn_expr *expr = tn_expr_new(arena, TN_EXPR_COLUMN, type, 0, location);
    if (expr != NULL)
        expr->column = column;
    return expr;
}

tn_expr *tn_expr_copy(tn_arena *arena, const tn_expr *expr)
{
    if (expr == NULL)
        return NULL;
    tn_expr *copy = tn_arena_alloc(arena, sizeof(tn_expr));
    if (copy == NULL)
        return NULL;
    *copy = *expr;
    if (expr->arg_count > 0) {
        copy->args = tn_arena_alloc(arena, sizeof(tn_expr *) * (size_t)expr->arg_count);
        if (copy->args == NULL)
            return NULL;
        for (int i = 0; i < expr->arg_count; i++) {
            copy->args[i] = tn_expr_copy(arena, expr->args[i]);
            if (copy->args[i] == NULL)
                return NULL;
        }
    }
    return copy;
}

bool tn_expr_is_foldable(const tn_expr *expr)
{
    switch (expr->kind) {
    case TN_EXPR_COLUMN:
    case TN_EXPR_OUTER_COLUMN:
    case TN_EXPR_PARAMETER:
    case TN_EXPR_SUBQUERY:
        return false;
    case TN_EXPR_FUNCTION:
        if (expr->function->volatility != TN_IMMUTABLE)
            return false;
        break;
    case TN_EXPR_CAST:
        if (tn_cast_depends_on_zone(expr->args[0]->type.id, expr->type.id))
            return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < expr->arg_count; i++) {
        if (!tn_expr_is_foldable(expr->args[i]))
            return false;
    }
    return true;
}

int tn_expr_fold(tn_arena *arena, const tn_expr *expr, tn_value *out, tn_error *err)
{
    if (expr->kind == TN_EXPR_CONSTANT) {
        *out = expr->value;
        return 0;
    }
    tn_exec_context context;
    memset(&context, 0, sizeof context);
    context.arena = arena;
    context.thread_count = 1;
    tn_chunk input;
    memset(&input, 0, sizeof input);
    input.count = 1;
    input.arena = arena;
    input.heap = arena;
    tn_vector result;
    if (tn_vector_init(&result, expr->type, arena) != 0)
        return tn_error_oom(err);
    tn_expr_state *state = tn_expr_compile(&context, expr, arena, err);
    if (state == NULL || tn_expr_eval(state, &input, &result, err) != 0)
        return -1;
    tn_vector_get_value(&result, 0, out);
    int16_t scale = out->type.scale; /* an unconstrained numeric's own scale */
    out->type = expr->type;
    if (out->type.id == TN_TYPE_NUMERIC && out->type.precision == 0)
        out->type.scale = scale;
    if (!out->is_null && tn_type_is_string(out->type.id)) {
        char *copy = tn_arena_strndup(arena, tn_string_data(&out->u.string), out->u.string.length);
        if (copy == NULL)
            return tn_error_oom(err);
        out->u.string = tn_string_make(copy, out->u.string.length);
    }
    return 0;
}

/* ---- EXPLAIN text ---- */

static const char *const kind_words[] = {
    [TN_EXPR_AND] = " AND ",
    [TN_EXPR_OR] = " OR ",
};

static bool is_operator_name(const char *name)
{
    return strchr("+-*/%<>=~!|", name[0]) != NULL || strncmp(name, "IS ", 3) == 0;
}

static int render_list(tn_buf *buf, tn_arena *arena, tn_expr *const *args, int count,
                       const char *separator)
{
    for (int i = 0; i < count; i++) {
        if (i > 0 && tn_buf_append_str(buf, separator) != 0)
            return -1;
        if (render(buf, arena, args[i]) != 0)
            return -1;
    }
    return 0;
}

static int render_function(tn_buf *buf, tn_arena *arena, const tn_expr *expr)
{
    const char *name = expr->function->name;
    if (is_operator_name(name) && expr->arg_count == 2) {
        if (tn_buf_append_char(buf, '(') != 0 || render(buf, arena, expr->args[0]) != 0 ||
            tn_buf_printf(buf, " %s ", name) != 0 || render(buf, arena, expr->args[1]) != 0)
            return -1;
        return tn_buf_append_char(buf, ')');
    }
    if (is_operator_name(name) && expr->arg_count == 1) {
        if (tn_buf_printf(buf, "(%s", name) != 0 || render(buf, arena, expr->args[0]) != 0)
            return -1;
        return tn_buf_append_char(buf, ')');
    }
    if (tn_buf_printf(buf, "%s(", name) != 0 ||
        render_list(buf, arena, expr->args, expr->arg_count, ", ") != 0)
        return -1;
    return tn_buf_append_char(buf, ')');
}

static int render_case(tn_buf *buf, const tn_expr *expr, tn_arena *arena)
{
    if (tn_buf_append_str(buf, "CASE") != 0)
        return -1;
    int pairs = expr->arg_count / 2;
    for (int i = 0; i < pairs; i++) {
        if (tn_buf_append_str(buf, " WHEN ") != 0 || render(buf, arena, expr->args[2 * i]) != 0 ||
            tn_buf_append_str(buf, " THEN ") != 0 || render(buf, arena, expr->args[2 * i + 1]) != 0)
            return -1;
    }
    if (expr->arg_count % 2 == 1 &&
        (tn_buf_append_str(buf, " ELSE ") != 0 ||
         render(buf, arena, expr->args[expr->arg_count - 1]) != 0))
        return -1;
    return tn_buf_append_str(buf, " END");
}

static const char *subquery_word(tn_subquery_kind kind)
{
    switch (kind) {
    case TN_SUBQUERY_SCALAR: return "";
    case TN_SUBQUERY_EXISTS: return "EXISTS ";
    case TN_SUBQUERY_ANY: return "ANY ";
    case TN_SUBQUERY_ALL: return "ALL ";
    }
    return "";
}

static int render(tn_buf *buf, tn_arena *arena, const tn_expr *expr)
{
    char type_name[64];
    switch (expr->kind) {
    case TN_EXPR_CONSTANT: {
        if (expr->value.is_null)
            return tn_buf_append_str(buf, "NULL");
        char *text = tn_value_to_text(arena, &expr->value);
        if (text == NULL)
            return -1;
        if (tn_type_is_string(expr->type.id) || tn_type_is_temporal(expr->type.id) ||
            expr->type.id == TN_TYPE_INTERVAL || expr->type.id == TN_TYPE_TIME)
            return tn_buf_printf(buf, "'%s'", text);
        return tn_buf_append_str(buf, text);
    }
    case TN_EXPR_COLUMN: return tn_buf_printf(buf, "#%d", expr->column);
    case TN_EXPR_OUTER_COLUMN: return tn_buf_printf(buf, "outer%d.#%d", expr->depth, expr->column);
    case TN_EXPR_PARAMETER: return tn_buf_printf(buf, "$%d", expr->column + 1);
    case TN_EXPR_CAST:
        if (tn_buf_append_str(buf, "CAST(") != 0 || render(buf, arena, expr->args[0]) != 0)
            return -1;
        return tn_buf_printf(buf, " AS %s)", tn_type_name(expr->type, type_name, sizeof type_name));
    case TN_EXPR_FUNCTION: return render_function(buf, arena, expr);
    case TN_EXPR_AND:
    case TN_EXPR_OR:
        if (tn_buf_append_char(buf, '(') != 0 ||
            render_list(buf, arena, expr->args, expr->arg_count, kind_words[expr->kind]) != 0)
            return -1;
        return tn_buf_append_char(buf, ')');
    case TN_EXPR_NOT:
        if (tn_buf_append_str(buf, "(NOT ") != 0 || render(buf, arena, expr->args[0]) != 0)
            return -1;
        return tn_buf_append_char(buf, ')');
    case TN_EXPR_IS_NULL:
    case TN_EXPR_IS_NOT_NULL:
        if (tn_buf_append_char(buf, '(') != 0 || render(buf, arena, expr->args[0]) != 0)
            return -1;
        return tn_buf_append_str(buf, expr->kind == TN_EXPR_IS_NULL ? " IS NULL)" : " IS NOT NULL)");
    case TN_EXPR_CASE: return render_case(buf, expr, arena);
    case TN_EXPR_COALESCE:
        if (tn_buf_append_str(buf, "COALESCE(") != 0 ||
            render_list(buf, arena, expr->args, expr->arg_count, ", ") != 0)
            return -1;
        return tn_buf_append_char(buf, ')');
    case TN_EXPR_IN_LIST:
        if (tn_buf_append_char(buf, '(') != 0 || render(buf, arena, expr->args[0]) != 0 ||
            tn_buf_append_str(buf, " IN (") != 0 ||
            render_list(buf, arena, expr->args + 1, expr->arg_count - 1, ", ") != 0)
            return -1;
        return tn_buf_append_str(buf, "))");
    case TN_EXPR_SUBQUERY:
        if (expr->subquery_kind == TN_SUBQUERY_ANY || expr->subquery_kind == TN_SUBQUERY_ALL) {
            if (tn_buf_append_char(buf, '(') != 0 || render(buf, arena, expr->args[0]) != 0 ||
                tn_buf_printf(buf, " %s %s(SubPlan))", expr->function->name,
                              subquery_word(expr->subquery_kind)) != 0)
                return -1;
            return 0;
        }
        return tn_buf_printf(buf, "%s(SubPlan)", subquery_word(expr->subquery_kind));
    }
    return 0;
}

char *tn_expr_to_string(tn_arena *arena, const tn_expr *expr)
{
    tn_buf buf = TN_BUF_INIT;
    char *text = NULL;
    if (render(&buf, arena, expr) == 0)
        text = tn_arena_strndup(arena, buf.data != NULL ? buf.data : "", buf.length);
    tn_buf_free(&buf);
    return text;
}
