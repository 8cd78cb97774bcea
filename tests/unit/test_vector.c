/*
 * Unit tests of the foundation: errors, arenas, buffers, type names,
 * vectors and chunks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/arena.h"
#include "common/buffer.h"
#include "common/error.h"
#include "types/types.h"
#include "types/vector.h"

static void test_error_keeps_first(void **state)
{
    (void)state;
    tn_error err = TN_ERROR_INIT;
    assert_false(tn_error_is_set(&err));
    assert_int_equal(tn_error_set(&err, TN_ERR_UNDEFINED_TABLE, 15, "relation \"%s\" does not exist", "t"), -1);
    tn_error_set(&err, TN_ERR_SYNTAX_ERROR, 1, "second");
    assert_string_equal(err.sqlstate, "42P01");
    assert_int_equal(err.position, 15);
    assert_string_equal(err.message, "relation \"t\" does not exist");
    assert_true(tn_error_is(&err, TN_ERR_UNDEFINED_TABLE));
    tn_error_hint(&err, "Try %d.", 2);
    tn_error_prefix(&err, "file \"%s\"", "x");
    assert_string_equal(err.message, "file \"x\": relation \"t\" does not exist");
    assert_string_equal(err.hint, "Try 2.");
    tn_error moved = TN_ERROR_INIT;
    tn_error_move(&moved, &err);
    assert_false(tn_error_is_set(&err));
    assert_string_equal(moved.sqlstate, "42P01");
    tn_error_clear(&moved);
    assert_string_equal(moved.sqlstate, "00000");
    assert_null(moved.message);
    assert_string_equal(tn_sqlstate_code(TN_ERR_SERIALIZATION_FAILURE), "40001");
    assert_string_equal(tn_sqlstate_name(TN_ERR_DIVISION_BY_ZERO), "division_by_zero");
}

static int cleanup_count;
static void count_cleanup(void *arg)
{
    cleanup_count += *(int *)arg;
}

static void test_arena(void **state)
{
    (void)state;
    tn_arena *arena = tn_arena_create();
    assert_non_null(arena);
    for (int i = 0; i < 1000; i++) {
        char *p = tn_arena_alloc(arena, (size_t)(i % 97) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        p[0] = 'x';
    }
    char *big = tn_arena_zalloc(arena, 3u << 20);
    assert_non_null(big);
    assert_int_equal(big[(3u << 20) - 1], 0);
    assert_string_equal(tn_arena_printf(arena, "%d-%s", 42, "x"), "42-x");
    assert_string_equal(tn_arena_strndup(arena, "abcdef", 3), "abc");
    char *grown = tn_arena_realloc(arena, tn_arena_strdup(arena, "hello"), 6, 100);
    assert_string_equal(grown, "hello");
    static int one = 1, ten = 10;
    cleanup_count = 0;
    assert_int_equal(tn_arena_on_cleanup(arena, count_cleanup, &one), 0);
    tn_arena_reset(arena);
    assert_int_equal(cleanup_count, 1);
    assert_int_equal(tn_arena_used(arena), 0);
    assert_int_equal(tn_arena_on_cleanup(arena, count_cleanup, &ten), 0);
    tn_arena_destroy(arena);
    assert_int_equal(cleanup_count, 11);
}

static void test_buffer(void **state)
{
    (void)state;
    tn_buf buf = TN_BUF_INIT;
    for (int i = 0; i < 100; i++)
        assert_int_equal(tn_buf_printf(&buf, "%d,", i), 0);
    assert_int_equal(buf.length, 290);
    assert_memory_equal(buf.data, "0,1,2,", 6);
    assert_int_equal(buf.data[buf.length], '\0');
    tn_buf_clear(&buf);
    assert_int_equal(tn_buf_append_str(&buf, "ab"), 0);
    assert_int_equal(tn_buf_append_char(&buf, 'c'), 0);
    char *taken = tn_buf_take(&buf);
    assert_string_equal(taken, "abc");
    assert_null(buf.data);
    free(taken);
    tn_buf_free(&buf);
}

static void test_type_names(void **state)
{
    (void)state;
    char name[64];
    tn_type parsed;
    const tn_type types[] = {
        tn_type_make(TN_TYPE_BOOL), tn_type_make(TN_TYPE_INT16), tn_type_make(TN_TYPE_INT32),
        tn_type_make(TN_TYPE_INT64), tn_type_make(TN_TYPE_FLOAT32), tn_type_make(TN_TYPE_FLOAT64),
        tn_type_numeric(10, 2), tn_type_numeric(38, 0), tn_type_make(TN_TYPE_NUMERIC),
        tn_type_make(TN_TYPE_TEXT), tn_type_make(TN_TYPE_DATE), tn_type_make(TN_TYPE_TIMESTAMP),
        tn_type_make(TN_TYPE_TIMESTAMPTZ), tn_type_make(TN_TYPE_INTERVAL),
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        tn_type_name(types[i], name, sizeof name);
        assert_int_equal(tn_type_parse(name, &parsed), 0);
        assert_true(tn_type_equal(parsed, types[i]));
    }
    assert_string_equal(tn_type_name(tn_type_numeric(10, 2), name, sizeof name), "numeric(10,2)");
    tn_type varchar = {TN_TYPE_TEXT, 20, 0};
    assert_string_equal(tn_type_name(varchar, name, sizeof name), "character varying(20)");
    assert_int_equal(tn_type_parse("character varying(20)", &parsed), 0);
    assert_int_equal(parsed.precision, 20);
    assert_int_equal(tn_type_parse("numeric(40,2)", &parsed), -1);
    assert_int_equal(tn_type_parse("blob", &parsed), -1);
}

static void test_strings(void **state)
{
    (void)state;
    tn_string a = tn_string_make("short", 5);
    tn_string b = tn_string_make("a string longer than twelve", 27);
    tn_string c = tn_string_make("a string longer than twelvf", 27);
    assert_memory_equal(tn_string_data(&a), "short", 5);
    assert_true(tn_string_compare(&b, &c) < 0);
    assert_true(tn_string_compare(&a, &b) > 0);
    assert_false(tn_string_equal(&b, &c));
    tn_string empty = tn_string_make("", 0);
    assert_true(tn_string_compare(&empty, &a) < 0);
}

static void test_chunk(void **state)
{
    (void)state;
    tn_type types[2] = {tn_type_make(TN_TYPE_INT32), tn_type_make(TN_TYPE_TEXT)};
    tn_chunk *chunk = tn_chunk_create(types, 2);
    assert_non_null(chunk);
    int32_t *ints = chunk->columns[0].data;
    for (uint32_t row = 0; row < TN_VECTOR_SIZE; row++) {
        ints[row] = (int32_t)row;
        char text[32];
        int length = snprintf(text, sizeof text, "value number %u", row);
        if (row % 3 == 0)
            assert_int_equal(tn_vector_set_null(&chunk->columns[1], row), 0);
        else
            assert_int_equal(tn_vector_set_string(&chunk->columns[1], row, text, (uint32_t)length), 0);
    }
    chunk->count = TN_VECTOR_SIZE;
    uint32_t sel[TN_VECTOR_SIZE];
    uint32_t kept = 0;
    for (uint32_t row = 0; row < TN_VECTOR_SIZE; row += 2)
        sel[kept++] = row;
    tn_chunk_select(chunk, sel, kept);
    assert_int_equal(chunk->count, TN_VECTOR_SIZE / 2);
    assert_int_equal(ints[5], 10);
    assert_false(tn_vector_is_valid(&chunk->columns[1], 0));  /* row 0 */
    assert_true(tn_vector_is_valid(&chunk->columns[1], 1));   /* row 2 */
    assert_false(tn_vector_is_valid(&chunk->columns[1], 3));  /* row 6 */
    tn_value value;
    tn_vector_get_value(&chunk->columns[1], 1, &value);
    assert_memory_equal(tn_string_data(&value.u.string), "value number 2", 14);

    tn_chunk *copy = tn_chunk_create(types, 2);
    assert_int_equal(tn_chunk_append(copy, chunk, 1, 3), 0);
    assert_int_equal(copy->count, 3);
    tn_vector_get_value(&copy->columns[0], 2, &value);
    assert_int_equal(value.u.integer, 6);
    tn_vector_get_value(&copy->columns[1], 2, &value);
    assert_true(value.is_null);

    tn_chunk_reset(chunk);
    assert_int_equal(chunk->count, 0);
    assert_null(chunk->columns[1].validity);
    /* A constant vector stands for every row until flattened. */
    tn_value five = tn_value_null(types[0]);
    five.is_null = false;
    five.u.integer = 5;
    assert_int_equal(tn_vector_set_value(&chunk->columns[0], 0, &five), 0);
    chunk->columns[0].is_constant = true;
    tn_vector_get_value(&chunk->columns[0], 1000, &value);
    assert_int_equal(value.u.integer, 5);
    assert_int_equal(tn_vector_flatten(&chunk->columns[0], 10), 0);
    assert_int_equal(((int32_t *)chunk->columns[0].data)[9], 5);
    tn_chunk_destroy(copy);
    tn_chunk_destroy(chunk);
}

/* Unconstrained numeric: each row keeps its own scale through set/get,
 * copy, flatten and select; numeric(p,s) rounds to its scale. */
static void test_numeric_scales(void **state)
{
    (void)state;
    tn_error err = TN_ERROR_INIT;
    tn_type types[2] = {tn_type_numeric(0, 2), tn_type_numeric(10, 2)};
    tn_chunk *chunk = tn_chunk_create(types, 2);
    tn_chunk *copy = tn_chunk_create(types, 2);
    assert_non_null(chunk);
    assert_non_null(copy);
    tn_vector *free_scale = &chunk->columns[0], *fixed = &chunk->columns[1];
    assert_null(free_scale->scales);
    assert_int_equal(tn_vector_set_numeric(free_scale, 0, 150, 2, &err), 0);
    assert_null(free_scale->scales); /* at the type's scale: no array yet */
    assert_int_equal(tn_vector_set_numeric(free_scale, 1, 15, 1, &err), 0);
    assert_non_null(free_scale->scales);
    assert_int_equal(tn_vector_numeric_scale(free_scale, 0), 2);
    assert_int_equal(tn_vector_numeric_scale(free_scale, 1), 1);
    assert_int_equal(tn_vector_set_numeric(fixed, 0, 15, 1, &err), 0);
    assert_true(((tn_int128 *)fixed->data)[0] == 150);
    assert_int_equal(tn_vector_set_numeric(fixed, 1, 12345, 3, &err), 0);
    assert_true(((tn_int128 *)fixed->data)[1] == 1235); /* half away from zero */
    assert_null(fixed->scales);
    chunk->count = 2;

    tn_value value;
    tn_vector_get_value(free_scale, 1, &value);
    assert_true(value.u.numeric == 15);
    assert_int_equal(value.type.scale, 1);
    value.type.scale = 3;
    value.u.numeric = 2125;
    assert_int_equal(tn_vector_set_value(free_scale, 0, &value), 0);
    assert_int_equal(tn_vector_numeric_scale(free_scale, 0), 3);

    assert_int_equal(tn_chunk_append(copy, chunk, 0, 2), 0);
    assert_int_equal(tn_vector_numeric_scale(&copy->columns[0], 0), 3);
    assert_int_equal(tn_vector_numeric_scale(&copy->columns[0], 1), 1);
    uint32_t sel[1] = {1};
    tn_chunk_select(copy, sel, 1);
    assert_int_equal(tn_vector_numeric_scale(&copy->columns[0], 0), 1);
    tn_chunk_reset(copy);
    assert_null(copy->columns[0].scales);

    free_scale->is_constant = true;
    assert_int_equal(tn_vector_numeric_scale(free_scale, 7), 3);
    assert_int_equal(tn_vector_flatten(free_scale, 4), 0);
    assert_int_equal(tn_vector_numeric_scale(free_scale, 3), 3);
    assert_true(((tn_int128 *)free_scale->data)[3] == 2125);
    tn_chunk_destroy(copy);
    tn_chunk_destroy(chunk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_keeps_first),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_buffer),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_chunk),
        cmocka_unit_test(test_numeric_scales),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
