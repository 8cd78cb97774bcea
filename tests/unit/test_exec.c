/*
 * Unit tests of the execution engine: function binding (PostgreSQL's
 * resolution, unknown literals, error texts), scalar kernels (overflow,
 * division by zero, NULL logic, LIKE, strings, NUMERIC), and plans built
 * by hand from VALUES through filter, projection, aggregate, joins, sort,
 * limit, DISTINCT, set operations and subqueries, checked row by row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buffer.h"
#include "exec/exec_int.h"
#include "sql/logical.h"

typedef struct fixture {
    tn_arena *arena;
    tn_exec_context context;
    tn_error err;
} fixture;

static fixture *fx;

static int setup(void **state)
{
    fx = calloc(1, sizeof *fx);
    fx->arena = tn_arena_create();
    fx->err = (tn_error)TN_ERROR_INIT;
    fx->context.arena = fx->arena;
    fx->context.thread_count = 1;
    fx->context.statement_time = INT64_C(1700000000000000);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tn_arena_destroy(fx->arena);
    tn_error_clear(&fx->err);
    free(fx);
    return 0;
}

/* ---- expression builders ---- */

static tn_type T(tn_type_id id)
{
    return tn_type_make(id);
}

/* An untyped literal, as the front end hands it over. */
static tn_expr *unknown(const char *text)
{
    tn_value value = tn_value_null(T(TN_TYPE_TEXT));
    value.is_null = false;
    value.u.string = tn_string_make(text, (uint32_t)strlen(text));
    tn_expr *expr = tn_expr_constant(fx->arena, &value, 0);
    expr->depth = -1;
    return expr;
}

static tn_expr *null_literal(void)
{
    tn_value value = tn_value_null(T(TN_TYPE_NULL));
    return tn_expr_constant(fx->arena, &value, 0);
}

static tn_expr *typed(const char *text, tn_type type)
{
    if (strcmp(text, "NULL") == 0) {
        tn_value value = tn_value_null(type);
        return tn_expr_constant(fx->arena, &value, 0);
    }
    tn_expr *expr = tn_expr_cast(fx->arena, unknown(text), type, TN_CAST_EXPLICIT, &fx->err);
    assert_non_null(expr);
    return expr;
}

static tn_expr *integer(int value)
{
    char text[32];
    snprintf(text, sizeof text, "%d", value);
    return typed(text, T(TN_TYPE_INT32));
}

static tn_expr *call(const char *name, int count, ...)
{
    tn_expr *args[8];
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++)
        args[i] = va_arg(ap, tn_expr *);
    va_end(ap);
    return tn_function_bind(fx->arena, name, args, count, 7, &fx->err);
}

static tn_expr *node(tn_expr_kind kind, int count, ...)
{
    tn_expr *expr = tn_expr_new(fx->arena, kind, T(TN_TYPE_BOOL), count, 0);
    va_list ap;
    va_start(ap, count);
    for (int i = 0; i < count; i++)
        expr->args[i] = va_arg(ap, tn_expr *);
    va_end(ap);
    return expr;
}

static tn_expr *column(int index, tn_type_id id)
{
    return tn_expr_column(fx->arena, index, T(id), 0);
}

/* Folds expr and renders it ("NULL" for NULL); NULL when folding failed. */
static const char *fold(tn_expr *expr)
{
    if (expr == NULL)
        return NULL;
    tn_value value;
    if (tn_expr_fold(fx->arena, expr, &value, &fx->err) != 0)
        return NULL;
    if (value.is_null)
        return "NULL";
    return tn_value_to_text(fx->arena, &value);
}

static void expect_error(const char *sqlstate, const char *message)
{
    assert_string_equal(fx->err.sqlstate, sqlstate);
    assert_string_equal(fx->err.message, message);
    tn_error_clear(&fx->err);
}

/* ---- plan builders ---- */

/* VALUES with rows of cells given as text ("NULL" for NULL). */
static tn_logical *values(int rows, int cols, const tn_type_id *types, const char *const *cells)
{
    tn_logical *plan = tn_logical_new(fx->arena, TN_LOGICAL_VALUES, cols);
    plan->row_count = rows;
    plan->values = tn_arena_alloc(fx->arena, sizeof(tn_expr *) * (size_t)(rows * cols));
    for (int col = 0; col < cols; col++) {
        plan->types[col] = T(types[col]);
        plan->names[col] = "c";
    }
    for (int i = 0; i < rows * cols; i++)
        plan->values[i] = typed(cells[i], T(types[i % cols]));
    return plan;
}

static tn_logical *unary(tn_logical_kind kind, tn_logical *child)
{
    tn_logical *plan = tn_logical_new(fx->arena, kind, child->column_count);
    memcpy(plan->types, child->types, sizeof(tn_type) * (size_t)child->column_count);
    plan->children[0] = child;
    plan->child_count = 1;
    return plan;
}

static tn_logical *filter(tn_logical *child, tn_expr *predicate)
{
    tn_logical *plan = unary(TN_LOGICAL_FILTER, child);
    plan->predicate = predicate;
    return plan;
}

static tn_logical *project(tn_logical *child, int count, tn_expr **exprs)
{
    tn_logical *plan = tn_logical_new(fx->arena, TN_LOGICAL_PROJECTION, count);
    plan->exprs = exprs;
    for (int i = 0; i < count; i++)
        plan->types[i] = exprs[i]->type;
    plan->children[0] = child;
    plan->child_count = 1;
    return plan;
}

static tn_logical *join(tn_join_type type, tn_logical *left, tn_logical *right, tn_expr *condition)
{
    bool wide = type != TN_JOIN_SEMI && type != TN_JOIN_ANTI;
    int count = left->column_count + (wide ? right->column_count : 0);
    tn_logical *plan = tn_logical_new(fx->arena, TN_LOGICAL_JOIN, count);
    memcpy(plan->types, left->types, sizeof(tn_type) * (size_t)left->column_count);
    if (wide)
        memcpy(plan->types + left->column_count, right->types, sizeof(tn_type) * (size_t)right->column_count);
    plan->children[0] = left;
    plan->children[1] = right;
    plan->child_count = 2;
    plan->join_type = type;
    plan->predicate = condition;
    return plan;
}

static tn_logical *order(tn_logical *child, int count, tn_sort_key *keys)
{
    tn_logical *plan = unary(TN_LOGICAL_ORDER, child);
    plan->sort_keys = keys;
    plan->sort_key_count = count;
    return plan;
}

static tn_logical *aggregate(tn_logical *child, int group_count, tn_expr **groups, int count,
                             tn_bound_aggregate **aggregates)
{
    tn_logical *plan = tn_logical_new(fx->arena, TN_LOGICAL_AGGREGATE, group_count + count);
    plan->groups = groups;
    plan->group_count = group_count;
    plan->aggregates = aggregates;
    plan->aggregate_count = count;
    for (int i = 0; i < group_count; i++)
        plan->types[i] = groups[i]->type;
    for (int i = 0; i < count; i++)
        plan->types[group_count + i] = aggregates[i]->type;
    plan->children[0] = child;
    plan->child_count = 1;
    return plan;
}

/* Runs plan; rows as "a|b" lines, or NULL on error (left in fx->err). */
static const char *run(tn_logical *plan)
{
    tn_executor *executor = tn_executor_create(&fx->context, plan, &fx->err);
    if (executor == NULL)
        return NULL;
    tn_buf buf = TN_BUF_INIT;
    const tn_chunk *chunk;
    int status;
    while ((status = tn_executor_next(executor, &chunk, &fx->err)) == 1) {
        for (uint32_t row = 0; row < chunk->count; row++) {
            for (int col = 0; col < chunk->column_count; col++) {
                tn_value value;
                tn_vector_get_value(&chunk->columns[col], row, &value);
                tn_buf_append_str(&buf, col > 0 ? "|" : "");
                tn_buf_append_str(&buf, value.is_null ? "NULL" : tn_value_to_text(fx->arena, &value));
            }
            tn_buf_append_char(&buf, '\n');
        }
    }
    tn_executor_destroy(executor);
    const char *text = status < 0 ? NULL : tn_arena_strdup(fx->arena, buf.data != NULL ? buf.data : "");
    tn_buf_free(&buf);
    return text;
}

/* ---- binding ---- */

static void test_bind_arithmetic(void **state)
{
    (void)state;
    tn_expr *sum = call("+", 2, integer(1), integer(2));
    assert_int_equal(sum->type.id, TN_TYPE_INT32);
    assert_string_equal(fold(sum), "3");
    /* int4 + int8 widens; int + numeric is numeric; int + float8 is float8 */
    assert_int_equal(call("+", 2, integer(1), typed("5", T(TN_TYPE_INT64)))->type.id, TN_TYPE_INT64);
    assert_null(call("+", 2, integer(1), unknown("2.25")));
    expect_error("22P02", "invalid input syntax for type integer: \"2.25\"");
    assert_string_equal(fold(call("+", 2, typed("1.5", T(TN_TYPE_NUMERIC)), unknown("2.25"))), "3.75");
    assert_int_equal(call("*", 2, integer(2), typed("1.5", T(TN_TYPE_FLOAT64)))->type.id, TN_TYPE_FLOAT64);
    /* an unknown literal takes the other side's type: int_col = '5' */
    tn_expr *eq = call("=", 2, column(0, TN_TYPE_INT32), unknown("5"));
    assert_non_null(eq);
    assert_int_equal(eq->args[1]->kind, TN_EXPR_CONSTANT);
    assert_int_equal(eq->args[1]->type.id, TN_TYPE_INT32);
    assert_null(call("=", 2, column(0, TN_TYPE_INT32), unknown("5x")));
    expect_error("22P02", "invalid input syntax for type integer: \"5x\"");
}

static void test_bind_errors(void **state)
{
    (void)state;
    assert_null(call("+", 2, integer(1), typed("a", T(TN_TYPE_TEXT))));
    assert_string_equal(fx->err.sqlstate, "42883");
    assert_string_equal(fx->err.message, "operator does not exist: integer + text");
    assert_string_equal(fx->err.hint, "No operator matches the given name and argument types. You "
                                      "might need to add explicit type casts.");
    assert_int_equal(fx->err.position, 7);
    tn_error_clear(&fx->err);
    assert_null(call("nosuch", 1, integer(1)));
    expect_error("42883", "function nosuch(integer) does not exist");
    assert_null(call("abs", 1, unknown("1")));
    expect_error("42725", "function abs(unknown) is not unique");
    assert_null(call("-", 1, typed("x", T(TN_TYPE_TEXT))));
    expect_error("42883", "operator does not exist: - text");
    /* || reads a non-text side through its output */
    assert_string_equal(fold(call("||", 2, unknown("n="), integer(5))), "n=5");
}

static void test_overflow_and_zero(void **state)
{
    (void)state;
    assert_null(fold(call("+", 2, integer(2147483647), integer(1))));
    expect_error("22003", "integer out of range");
    assert_null(fold(call("*", 2, typed("9223372036854775807", T(TN_TYPE_INT64)), typed("2", T(TN_TYPE_INT64)))));
    expect_error("22003", "bigint out of range");
    assert_null(fold(call("-", 1, typed("-32768", T(TN_TYPE_INT16)))));
    expect_error("22003", "smallint out of range");
    assert_null(fold(call("/", 2, integer(1), integer(0))));
    expect_error("22012", "division by zero");
    assert_null(fold(call("%", 2, integer(1), integer(0))));
    expect_error("22012", "division by zero");
    assert_string_equal(fold(call("/", 2, integer(7), integer(-2))), "-3");
    assert_string_equal(fold(call("%", 2, integer(-7), integer(2))), "-1");
    assert_null(fold(call("/", 2, integer(-2147483647 - 1), integer(-1))));
    expect_error("22003", "integer out of range");
    assert_null(fold(call("/", 2, typed("1", T(TN_TYPE_FLOAT64)), typed("0", T(TN_TYPE_FLOAT64)))));
    expect_error("22012", "division by zero");
    assert_string_equal(fold(call("/", 2, typed("10", T(TN_TYPE_NUMERIC)), unknown("3"))),
                        "3.3333333333333333");
    /* NULL divisor: no error, NULL result */
    assert_string_equal(fold(call("/", 2, integer(1), null_literal())), "NULL");
}

static void test_null_logic(void **state)
{
    (void)state;
    tn_expr *t = typed("true", T(TN_TYPE_BOOL)), *f = typed("false", T(TN_TYPE_BOOL));
    tn_expr *n = typed("NULL", T(TN_TYPE_BOOL));
    assert_string_equal(fold(node(TN_EXPR_AND, 2, n, f)), "f");
    assert_string_equal(fold(node(TN_EXPR_AND, 2, n, t)), "NULL");
    assert_string_equal(fold(node(TN_EXPR_OR, 2, n, t)), "t");
    assert_string_equal(fold(node(TN_EXPR_OR, 2, n, f)), "NULL");
    assert_string_equal(fold(node(TN_EXPR_NOT, 1, n)), "NULL");
    assert_string_equal(fold(node(TN_EXPR_IS_NULL, 1, n)), "t");
    assert_string_equal(fold(call("=", 2, integer(1), null_literal())), "NULL");
    assert_string_equal(fold(call("IS DISTINCT FROM", 2, integer(1), null_literal())), "t");
    assert_string_equal(fold(call("IS NOT DISTINCT FROM", 2, typed("NULL", T(TN_TYPE_INT32)),
                                  typed("NULL", T(TN_TYPE_INT32)))), "t");
    /* 2 IN (1, NULL) is NULL; 1 IN (1, NULL) is true; 3 IN (1, 2) false */
    tn_expr *in = node(TN_EXPR_IN_LIST, 3, integer(2), integer(1), typed("NULL", T(TN_TYPE_INT32)));
    in->function = call("=", 2, integer(0), integer(0))->function;
    assert_string_equal(fold(in), "NULL");
    in->args[0] = integer(1);
    assert_string_equal(fold(in), "t");
    in->args[0] = integer(3);
    in->args[2] = integer(2);
    assert_string_equal(fold(in), "f");
    /* AND short-circuits: false AND 1/0 = 1 never divides */
    tn_expr *lazy = node(TN_EXPR_AND, 2, f, call("=", 2, call("/", 2, integer(1), integer(0)), integer(1)));
    assert_string_equal(fold(lazy), "f");
    assert_string_equal(fold(call("nullif", 2, integer(1), integer(1))), "NULL");
    assert_string_equal(fold(call("greatest", 3, integer(1), null_literal(), integer(5))), "5");
    assert_string_equal(fold(call("least", 2, integer(3), typed("2.5", T(TN_TYPE_NUMERIC)))), "2.5");
}

static void test_like(void **state)
{
    (void)state;
    struct { const char *text, *pattern, *op, *result; } cases[] = {
        {"abc", "a%", "~~", "t"},       {"abc", "a_c", "~~", "t"},     {"abc", "a_", "~~", "f"},
        {"a%c", "a\\%c", "~~", "t"},    {"abc", "a\\%c", "~~", "f"},   {"ABC", "a%", "~~*", "t"},
        {"abc", "%b%", "!~~", "f"},     {"héllo", "h_llo", "~~", "t"}, {"", "%", "~~", "t"},
        {"xyz", "%%z", "~~", "t"},      {"HÉ", "hé", "~~*", "t"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = fold(call(cases[i].op, 2, unknown(cases[i].text), unknown(cases[i].pattern)));
        assert_non_null(got);
        if (strcmp(got, cases[i].result) != 0)
            fail_msg("'%s' %s '%s' gave %s", cases[i].text, cases[i].op, cases[i].pattern, got);
    }
    /* LIKE ... ESCAPE '#' */
    tn_expr *pattern = call("like_escape", 2, unknown("a#%c"), unknown("#"));
    assert_string_equal(fold(call("~~", 2, unknown("a%c"), pattern)), "t");
    /* regular expressions */
    assert_string_equal(fold(call("~", 2, unknown("abc123"), unknown("^[a-c]+[0-9]{3}$"))), "t");
    assert_string_equal(fold(call("~*", 2, unknown("ABC"), unknown("^abc$"))), "t");
    assert_string_equal(fold(call("!~", 2, unknown("abc"), unknown("b"))), "f");
    assert_string_equal(fold(call("regexp_replace", 3, unknown("a1b22"), unknown("[0-9]+"), unknown("<\\&>"))), "a<1>b22");
    assert_string_equal(fold(call("regexp_replace", 4, unknown("a1b22"), unknown("([0-9])"), unknown("\\1\\1"), unknown("g"))), "a11b2222");
    assert_null(call("~", 2, unknown("x"), unknown("(")));
    assert_string_equal(fx->err.sqlstate, "2201B");
    tn_error_clear(&fx->err);
    assert_null(fold(call("~~", 2, unknown("abc"), unknown("ab\\"))));
    expect_error("22025", "LIKE pattern must not end with escape character");
}

static void test_strings(void **state)
{
    (void)state;
    assert_string_equal(fold(call("length", 1, unknown("héllo"))), "5");
    assert_string_equal(fold(call("upper", 1, unknown("héllo"))), "HÉLLO");
    assert_string_equal(fold(call("substring", 3, unknown("hello"), integer(2), integer(3))), "ell");
    assert_string_equal(fold(call("substring", 3, unknown("hello"), integer(-1), integer(3))), "h");
    assert_string_equal(fold(call("substr", 2, unknown("hello"), integer(3))), "llo");
    assert_string_equal(fold(call("position", 2, unknown("hello"), unknown("ll"))), "3");
    assert_string_equal(fold(call("replace", 3, unknown("a-b-c"), unknown("-"), unknown("+"))), "a+b+c");
    assert_string_equal(fold(call("btrim", 1, unknown("  x  "))), "x");
    assert_string_equal(fold(call("ltrim", 2, unknown("xxyx"), unknown("x"))), "yx");
    assert_string_equal(fold(call("concat", 3, unknown("a"), null_literal(), integer(1))), "a1");
    assert_string_equal(fold(call("concat_ws", 3, unknown(","), unknown("a"), unknown("b"))), "a,b");
    assert_string_equal(fold(call("lpad", 3, unknown("7"), integer(3), unknown("0"))), "007");
    assert_string_equal(fold(call("split_part", 3, unknown("a,b,c"), unknown(","), integer(2))), "b");
    assert_string_equal(fold(call("||", 2, unknown("a"), unknown("b"))), "ab");
    assert_string_equal(fold(call("md5", 1, unknown("abc"))), "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(fold(call("||", 2, unknown("a"), typed("NULL", T(TN_TYPE_TEXT)))), "NULL");
    assert_null(fold(call("substring", 3, unknown("x"), integer(1), integer(-1))));
    expect_error("22011", "negative substring length not allowed");
}

static void test_math_and_dates(void **state)
{
    (void)state;
    assert_string_equal(fold(call("abs", 1, integer(-4))), "4");
    assert_string_equal(fold(call("round", 2, typed("2.345", T(TN_TYPE_NUMERIC)), integer(2))), "2.35");
    assert_string_equal(fold(call("round", 1, typed("-2.5", T(TN_TYPE_NUMERIC)))), "-3");
    assert_string_equal(fold(call("trunc", 1, typed("2.7", T(TN_TYPE_FLOAT64)))), "2");
    assert_string_equal(fold(call("floor", 1, typed("-2.5", T(TN_TYPE_NUMERIC)))), "-3");
    assert_string_equal(fold(call("ceil", 1, typed("2.1", T(TN_TYPE_NUMERIC)))), "3");
    assert_string_equal(fold(call("mod", 2, integer(7), integer(3))), "1");
    assert_string_equal(fold(call("power", 2, integer(2), integer(10))), "1024");
    assert_string_equal(fold(call("sqrt", 1, integer(16))), "4");
    assert_null(fold(call("sqrt", 1, integer(-1))));
    expect_error("2201F", "cannot take square root of a negative number");
    tn_expr *date = typed("2024-02-28", T(TN_TYPE_DATE));
    assert_string_equal(fold(call("+", 2, date, integer(2))), "2024-03-01");
    assert_string_equal(fold(call("date_part", 2, unknown("year"), date)), "2024");
    assert_string_equal(fold(call("extract", 2, unknown("month"), date)), "2");
    tn_expr *ts = typed("2024-05-17 13:45:10", T(TN_TYPE_TIMESTAMP));
    assert_string_equal(fold(call("date_trunc", 2, unknown("hour"), ts)), "2024-05-17 13:00:00");
    assert_string_equal(fold(call("-", 2, ts, typed("1 day", T(TN_TYPE_INTERVAL)))), "2024-05-16 13:45:10");
}

/* ---- plans ---- */

static const tn_type_id INT_TEXT[] = {TN_TYPE_INT32, TN_TYPE_TEXT};

static void test_values_filter_projection(void **state)
{
    (void)state;
    const char *cells[] = {"1", "a", "2", "NULL", "3", "c", "NULL", "d"};
    tn_logical *input = values(4, 2, INT_TEXT, cells);
    tn_expr *predicate = call(">", 2, column(0, TN_TYPE_INT32), integer(1));
    tn_expr **exprs = tn_arena_alloc(fx->arena, sizeof(tn_expr *) * 2);
    exprs[0] = call("*", 2, column(0, TN_TYPE_INT32), integer(10));
    exprs[1] = call("||", 2, column(1, TN_TYPE_TEXT), unknown("!"));
    assert_string_equal(run(project(filter(input, predicate), 2, exprs)), "20|NULL\n30|c!\n");
    /* SELECT 1 + 1 without FROM */
    tn_logical *dummy = tn_logical_new(fx->arena, TN_LOGICAL_DUMMY_SCAN, 0);
    tn_expr **one = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    one[0] = call("+", 2, integer(1), integer(1));
    assert_string_equal(run(project(dummy, 1, one)), "2\n");
    /* CASE only evaluates the branch taken: no division by zero */
    const char *zeros[] = {"0", "x", "5", "y"};
    tn_expr *when = call("<>", 2, column(0, TN_TYPE_INT32), integer(0));
    tn_expr *then = call("/", 2, integer(10), column(0, TN_TYPE_INT32));
    tn_expr *expr = tn_expr_new(fx->arena, TN_EXPR_CASE, T(TN_TYPE_INT32), 3, 0);
    expr->args[0] = when;
    expr->args[1] = then;
    expr->args[2] = integer(-1);
    tn_expr **list = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    list[0] = expr;
    assert_string_equal(run(project(values(2, 2, INT_TEXT, zeros), 1, list)), "-1\n2\n");
    /* a runtime error stops the plan */
    list[0] = then;
    assert_null(run(project(values(2, 2, INT_TEXT, zeros), 1, list)));
    expect_error("22012", "division by zero");
}

static void test_aggregates(void **state)
{
    (void)state;
    const char *cells[] = {"1", "a", "2", "a", "NULL", "b", "4", "b", "4", "b"};
    tn_logical *input = values(5, 2, INT_TEXT, cells);
    tn_expr **groups = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    groups[0] = column(1, TN_TYPE_TEXT);
    tn_expr *arg[1] = {column(0, TN_TYPE_INT32)};
    tn_bound_aggregate **aggs = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *) * 7);
    aggs[0] = tn_aggregate_bind(fx->arena, "count", NULL, 0, false, true, 0, &fx->err);
    aggs[1] = tn_aggregate_bind(fx->arena, "count", arg, 1, false, false, 0, &fx->err);
    aggs[2] = tn_aggregate_bind(fx->arena, "sum", arg, 1, false, false, 0, &fx->err);
    aggs[3] = tn_aggregate_bind(fx->arena, "avg", arg, 1, false, false, 0, &fx->err);
    aggs[4] = tn_aggregate_bind(fx->arena, "min", arg, 1, false, false, 0, &fx->err);
    aggs[5] = tn_aggregate_bind(fx->arena, "count", arg, 1, true, false, 0, &fx->err);
    aggs[6] = tn_aggregate_bind(fx->arena, "max", arg, 1, false, false, 0, &fx->err);
    aggs[6]->filter = call("<", 2, column(0, TN_TYPE_INT32), integer(4));
    for (int i = 0; i < 7; i++)
        assert_non_null(aggs[i]);
    assert_int_equal(aggs[2]->type.id, TN_TYPE_INT64);
    assert_int_equal(aggs[3]->type.id, TN_TYPE_NUMERIC);
    tn_sort_key key = {column(0, TN_TYPE_TEXT), false, false};
    const char *got = run(order(aggregate(input, 1, groups, 7, aggs), 1, &key));
    assert_string_equal(got, "a|2|2|3|1.5000000000000000|1|2|2\n"
                             "b|3|2|8|4.0000000000000000|4|1|NULL\n");
    /* no GROUP BY over no rows: one row */
    tn_logical *empty = filter(values(5, 2, INT_TEXT, cells), typed("false", T(TN_TYPE_BOOL)));
    assert_string_equal(run(aggregate(empty, 0, NULL, 3, aggs)), "0|0|NULL\n");
    /* sum(int8) is numeric; string_agg keeps input order */
    tn_expr *text_args[2] = {column(1, TN_TYPE_TEXT), unknown(",")};
    tn_bound_aggregate **more = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *) * 2);
    more[0] = tn_aggregate_bind(fx->arena, "string_agg", text_args, 2, false, false, 0, &fx->err);
    more[1] = tn_aggregate_bind(fx->arena, "bool_and", (tn_expr *[]){call(">", 2, column(0, TN_TYPE_INT32), integer(0))}, 1, false, false, 0, &fx->err);
    assert_string_equal(run(aggregate(values(5, 2, INT_TEXT, cells), 0, NULL, 2, more)), "a,a,b,b,b|t\n");
    assert_null(tn_aggregate_bind(fx->arena, "sum", (tn_expr *[]){column(1, TN_TYPE_TEXT)}, 1, false, false, 0, &fx->err));
    expect_error("42883", "function sum(text) does not exist");
}

static tn_logical *left_table(void)
{
    const char *cells[] = {"1", "a", "2", "b", "NULL", "n", "3", "c"};
    return values(4, 2, INT_TEXT, cells);
}

static tn_logical *right_table(void)
{
    const char *cells[] = {"1", "x", "1", "y", "NULL", "m", "4", "z"};
    return values(4, 2, INT_TEXT, cells);
}

static const char *run_join(tn_join_type type, bool equi)
{
    tn_expr *condition = equi ? call("=", 2, column(0, TN_TYPE_INT32), column(2, TN_TYPE_INT32))
                              : call("<", 2, column(0, TN_TYPE_INT32), column(2, TN_TYPE_INT32));
    tn_logical *plan = join(type, left_table(), right_table(), condition);
    tn_sort_key *keys = tn_arena_alloc(fx->arena, sizeof(tn_sort_key) * 4);
    int count = plan->column_count;
    for (int i = 0; i < count; i++)
        keys[i] = (tn_sort_key){column(i, plan->types[i].id), false, false};
    return run(order(plan, count, keys));
}

static void test_joins(void **state)
{
    (void)state;
    assert_string_equal(run_join(TN_JOIN_INNER, true), "1|a|1|x\n1|a|1|y\n");
    assert_string_equal(run_join(TN_JOIN_LEFT, true), "1|a|1|x\n1|a|1|y\n2|b|NULL|NULL\n3|c|NULL|NULL\nNULL|n|NULL|NULL\n");
    assert_string_equal(run_join(TN_JOIN_RIGHT, true), "1|a|1|x\n1|a|1|y\nNULL|NULL|4|z\nNULL|NULL|NULL|m\n");
    assert_string_equal(run_join(TN_JOIN_FULL, true),
                        "1|a|1|x\n1|a|1|y\n2|b|NULL|NULL\n3|c|NULL|NULL\nNULL|n|NULL|NULL\nNULL|NULL|4|z\nNULL|NULL|NULL|m\n");
    assert_string_equal(run_join(TN_JOIN_SEMI, true), "1|a\n");
    assert_string_equal(run_join(TN_JOIN_ANTI, true), "2|b\n3|c\nNULL|n\n");
    /* non-equi conditions run as a nested loop */
    assert_string_equal(run_join(TN_JOIN_INNER, false), "1|a|4|z\n2|b|4|z\n3|c|4|z\n");
    assert_string_equal(run_join(TN_JOIN_ANTI, false), "NULL|n\n");
    /* cross product */
    tn_logical *cross = join(TN_JOIN_INNER, left_table(), right_table(), NULL);
    tn_bound_aggregate **count = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *));
    count[0] = tn_aggregate_bind(fx->arena, "count", NULL, 0, false, true, 0, &fx->err);
    assert_string_equal(run(aggregate(cross, 0, NULL, 1, count)), "16\n");
}

static void test_sort_limit_distinct(void **state)
{
    (void)state;
    const char *cells[] = {"2", "a", "NULL", "b", "1", "c", "2", "d", "1", "e"};
    tn_sort_key asc = {column(0, TN_TYPE_INT32), false, false};
    assert_string_equal(run(order(values(5, 2, INT_TEXT, cells), 1, &asc)), "1|c\n1|e\n2|a\n2|d\nNULL|b\n");
    tn_sort_key desc = {column(0, TN_TYPE_INT32), true, true};
    assert_string_equal(run(order(values(5, 2, INT_TEXT, cells), 1, &desc)), "NULL|b\n2|a\n2|d\n1|c\n1|e\n");
    tn_logical *limited = unary(TN_LOGICAL_LIMIT, order(values(5, 2, INT_TEXT, cells), 1, &asc));
    limited->limit = 2;
    limited->offset = 1;
    assert_string_equal(run(limited), "1|e\n2|a\n");
    /* top-N keeps ties in arrival order */
    const char *ties[] = {"2", "a", "1", "b", "1", "c", "2", "d", "1", "e", "0", "f"};
    tn_logical *top = unary(TN_LOGICAL_LIMIT, order(values(6, 2, INT_TEXT, ties), 1, &asc));
    top->limit = 3;
    assert_string_equal(run(top), "0|f\n1|b\n1|c\n");
    top = unary(TN_LOGICAL_LIMIT, order(values(6, 2, INT_TEXT, ties), 1, &desc));
    top->limit = 3;
    assert_string_equal(run(top), "2|a\n2|d\n1|b\n");
    top->limit = 0;
    assert_string_equal(run(top), "");
    tn_expr **first = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    first[0] = column(0, TN_TYPE_INT32);
    tn_logical *distinct = unary(TN_LOGICAL_DISTINCT, project(values(5, 2, INT_TEXT, cells), 1, first));
    distinct->types[0] = T(TN_TYPE_INT32);
    assert_string_equal(run(order(distinct, 1, &asc)), "1\n2\nNULL\n");
}

static tn_logical *set_op(tn_set_op op, bool all)
{
    const char *a[] = {"1", "1", "2", "NULL", "3"};
    const char *b[] = {"1", "NULL", "3", "3"};
    const tn_type_id ints[] = {TN_TYPE_INT32};
    tn_logical *plan = tn_logical_new(fx->arena, TN_LOGICAL_SET_OPERATION, 1);
    plan->types[0] = T(TN_TYPE_INT32);
    plan->children[0] = values(5, 1, ints, a);
    plan->children[1] = values(4, 1, ints, b);
    plan->child_count = 2;
    plan->set_op = op;
    plan->is_all = all;
    tn_sort_key *key = tn_arena_alloc(fx->arena, sizeof(tn_sort_key));
    *key = (tn_sort_key){column(0, TN_TYPE_INT32), false, false};
    return order(plan, 1, key);
}

static void test_set_operations(void **state)
{
    (void)state;
    assert_string_equal(run(set_op(TN_SET_UNION, true)), "1\n1\n1\n2\n3\n3\n3\nNULL\nNULL\n");
    assert_string_equal(run(set_op(TN_SET_UNION, false)), "1\n2\n3\nNULL\n");
    assert_string_equal(run(set_op(TN_SET_INTERSECT, false)), "1\n3\nNULL\n");
    assert_string_equal(run(set_op(TN_SET_INTERSECT, true)), "1\n3\nNULL\n");
    assert_string_equal(run(set_op(TN_SET_EXCEPT, false)), "2\n");
    assert_string_equal(run(set_op(TN_SET_EXCEPT, true)), "1\n2\n");
}

static void test_subqueries(void **state)
{
    (void)state;
    const tn_type_id ints[] = {TN_TYPE_INT32};
    const char *small[] = {"1", "NULL"};
    const char *outer_cells[] = {"1", "2"};
    /* x IN (SELECT ...) over {1, NULL}: 1 -> true, 2 -> NULL */
    tn_expr *in = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_BOOL), 1, 0);
    in->subquery_kind = TN_SUBQUERY_ANY;
    in->subquery = values(2, 1, ints, small);
    in->args[0] = column(0, TN_TYPE_INT32);
    in->function = call("=", 2, integer(0), integer(0))->function;
    tn_expr **list = tn_arena_alloc(fx->arena, sizeof(tn_expr *) * 2);
    list[0] = column(0, TN_TYPE_INT32);
    list[1] = in;
    assert_string_equal(run(project(values(2, 1, ints, outer_cells), 2, list)), "1|t\n2|NULL\n");
    /* NOT IN = "<> ALL": NULL in the set makes misses unknown; empty set is true */
    tn_expr *not_in = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_BOOL), 1, 0);
    not_in->subquery_kind = TN_SUBQUERY_ALL;
    not_in->subquery = values(2, 1, ints, small);
    not_in->args[0] = column(0, TN_TYPE_INT32);
    not_in->function = call("<>", 2, integer(0), integer(0))->function;
    list[1] = not_in;
    const char *probes[] = {"1", "2", "NULL"};
    assert_string_equal(run(project(values(3, 1, ints, probes), 2, list)), "1|f\n2|NULL\nNULL|NULL\n");
    not_in->subquery = filter(values(2, 1, ints, small), typed("false", T(TN_TYPE_BOOL)));
    assert_string_equal(run(project(values(3, 1, ints, probes), 2, list)), "1|t\n2|t\nNULL|t\n");
    /* x < ANY (1, NULL) runs the comparison kernel: 0 -> true, 5 -> NULL */
    tn_expr *less = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_BOOL), 1, 0);
    less->subquery_kind = TN_SUBQUERY_ANY;
    less->subquery = values(2, 1, ints, small);
    less->args[0] = column(0, TN_TYPE_INT32);
    less->function = call("<", 2, integer(0), integer(0))->function;
    list[1] = less;
    const char *low[] = {"0", "5"};
    assert_string_equal(run(project(values(2, 1, ints, low), 2, list)), "0|t\n5|NULL\n");
    /* scalar subquery with two rows: 21000 */
    tn_expr *scalar = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_INT32), 0, 0);
    scalar->subquery_kind = TN_SUBQUERY_SCALAR;
    scalar->subquery = values(2, 1, ints, outer_cells);
    list[1] = scalar;
    assert_null(run(project(values(2, 1, ints, outer_cells), 2, list)));
    expect_error("21000", "more than one row returned by a subquery used as an expression");
    /* correlated EXISTS (SELECT 1 FROM small WHERE small.c = outer.c) */
    tn_expr *outer_ref = tn_expr_new(fx->arena, TN_EXPR_OUTER_COLUMN, T(TN_TYPE_INT32), 0, 0);
    outer_ref->depth = 1;
    outer_ref->column = 0;
    tn_expr *exists = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_BOOL), 0, 0);
    exists->subquery_kind = TN_SUBQUERY_EXISTS;
    exists->is_correlated = true;
    exists->subquery = filter(values(2, 1, ints, small), call("=", 2, column(0, TN_TYPE_INT32), outer_ref));
    list[1] = exists;
    assert_string_equal(run(project(values(2, 1, ints, outer_cells), 2, list)), "1|t\n2|f\n");
    /* repeated bindings reuse the cached answer; a NULL binding is one too */
    const char *repeated[] = {"1", "2", "1", "NULL", "2", "NULL"};
    assert_string_equal(run(project(values(6, 1, ints, repeated), 2, list)),
                        "1|t\n2|f\n1|t\nNULL|f\n2|f\nNULL|f\n");
    /* correlated scalar: (SELECT count(*) FROM small WHERE small.c <= outer.c) */
    tn_bound_aggregate **count = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *));
    count[0] = tn_aggregate_bind(fx->arena, "count", NULL, 0, false, true, 0, &fx->err);
    const char *pool[] = {"1", "2", "3"};
    tn_expr *counted = tn_expr_new(fx->arena, TN_EXPR_SUBQUERY, T(TN_TYPE_INT64), 0, 0);
    counted->subquery_kind = TN_SUBQUERY_SCALAR;
    counted->is_correlated = true;
    counted->subquery = aggregate(filter(values(3, 1, ints, pool), call("<=", 2, column(0, TN_TYPE_INT32), outer_ref)),
                                  0, NULL, 1, count);
    list[1] = counted;
    assert_string_equal(run(project(values(6, 1, ints, repeated), 2, list)),
                        "1|1\n2|2\n1|1\nNULL|0\n2|2\nNULL|0\n");
}

static void test_many_rows(void **state)
{
    (void)state;
    /* 5000 rows through a join and an aggregate crosses chunk boundaries */
    int rows = 5000;
    const char **cells = tn_arena_alloc(fx->arena, sizeof(char *) * (size_t)rows);
    for (int i = 0; i < rows; i++)
        cells[i] = tn_arena_printf(fx->arena, "%d", i % 100);
    const tn_type_id ints[] = {TN_TYPE_INT32};
    const char *keys[] = {"1", "2", "3"};
    tn_logical *joined = join(TN_JOIN_INNER, values(rows, 1, ints, cells), values(3, 1, ints, keys),
                              call("=", 2, column(0, TN_TYPE_INT32), column(1, TN_TYPE_INT32)));
    tn_bound_aggregate **aggs = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *) * 2);
    aggs[0] = tn_aggregate_bind(fx->arena, "count", NULL, 0, false, true, 0, &fx->err);
    aggs[1] = tn_aggregate_bind(fx->arena, "sum", (tn_expr *[]){column(0, TN_TYPE_INT32)}, 1, false, false, 0, &fx->err);
    assert_string_equal(run(aggregate(joined, 0, NULL, 2, aggs)), "150|300\n");
}

static void test_large_groups_and_strings(void **state)
{
    (void)state;
    /* 3000 distinct long keys: the hash table grows and spans pages; the
     * sort spans chunks; string bytes survive every copy */
    int rows = 6000;
    const tn_type_id types[] = {TN_TYPE_TEXT, TN_TYPE_INT32};
    const char **cells = tn_arena_alloc(fx->arena, sizeof(char *) * (size_t)rows * 2);
    for (int i = 0; i < rows; i++) {
        cells[2 * i] = tn_arena_printf(fx->arena, "a long group key number %05d", (i * 7) % 3000);
        cells[2 * i + 1] = tn_arena_printf(fx->arena, "%d", i);
    }
    tn_expr **groups = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    groups[0] = column(0, TN_TYPE_TEXT);
    tn_bound_aggregate **aggs = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *) * 2);
    aggs[0] = tn_aggregate_bind(fx->arena, "count", NULL, 0, false, true, 0, &fx->err);
    aggs[1] = tn_aggregate_bind(fx->arena, "max", (tn_expr *[]){column(1, TN_TYPE_INT32)}, 1, false, false, 0, &fx->err);
    tn_sort_key key = {column(0, TN_TYPE_TEXT), true, true};
    tn_logical *plan = unary(TN_LOGICAL_LIMIT, order(aggregate(values(rows, 2, types, cells), 1, groups, 2, aggs), 1, &key));
    plan->limit = 2;
    assert_string_equal(run(plan), "a long group key number 02999|2|3857\n"
                                   "a long group key number 02998|2|4714\n");
    /* DISTINCT over the same keys, and a self join on them */
    tn_expr **first = tn_arena_alloc(fx->arena, sizeof(tn_expr *));
    first[0] = column(0, TN_TYPE_TEXT);
    tn_logical *keys_only = project(values(rows, 2, types, cells), 1, first);
    tn_logical *distinct = unary(TN_LOGICAL_DISTINCT, keys_only);
    tn_bound_aggregate **count = tn_arena_alloc(fx->arena, sizeof(tn_bound_aggregate *));
    count[0] = aggs[0];
    assert_string_equal(run(aggregate(distinct, 0, NULL, 1, count)), "3000\n");
    tn_logical *self = join(TN_JOIN_INNER, project(values(rows, 2, types, cells), 1, first), distinct,
                            call("=", 2, column(0, TN_TYPE_TEXT), column(1, TN_TYPE_TEXT)));
    assert_string_equal(run(aggregate(self, 0, NULL, 1, count)), "6000\n");
}

static void test_expr_text(void **state)
{
    (void)state;
    tn_expr *expr = node(TN_EXPR_AND, 2, call(">", 2, column(0, TN_TYPE_INT32), integer(1)),
                         node(TN_EXPR_IS_NULL, 1, column(1, TN_TYPE_TEXT)));
    assert_string_equal(tn_expr_to_string(fx->arena, expr), "((#0 > 1) AND (#1 IS NULL))");
    tn_expr *upper = call("upper", 1, unknown("x"));
    assert_string_equal(tn_expr_to_string(fx->arena, upper), "upper('x')");
    tn_expr *copy = tn_expr_copy(fx->arena, expr);
    assert_true(copy != expr && copy->args[0] != expr->args[0]);
    assert_false(tn_expr_is_foldable(expr));
    assert_true(tn_expr_is_foldable(upper));
    assert_false(tn_expr_is_foldable(call("now", 0)));
    assert_true(tn_function_exists("substring"));
    assert_false(tn_function_exists("no_such_function"));
    assert_true(tn_aggregate_exists("string_agg"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bind_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overflow_and_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_logic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_math_and_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_filter_projection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_limit_distinct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_operations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subqueries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_groups_and_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expr_text, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
