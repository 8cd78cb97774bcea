/*
 * Unit tests of the sqllogictest runner's parser and result rules (the
 * parts that need no engine).  The runner lives in the CLI, which the unit
 * test build does not link, so its two engine-free files are compiled into
 * this test directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/slt_parse.c"
#include "cli/slt_result.c"

static void parse(slt_file *file, const char *text, const char *path)
{
    char *error = NULL;
    memset(file, 0, sizeof *file);
    assert_int_equal(slt_file_parse_text(file, text, path, NULL, &error), 0);
    assert_null(error);
}

static void test_sqlite_records(void **state)
{
    (void)state;
    slt_file file;
    parse(&file,
          "hash-threshold 8\r\n"
          "\r\n"
          "statement ok\r\n"
          "CREATE TABLE t1(a INTEGER,\r\n"
          "# a comment inside the SQL\r\n"
          "  b INTEGER)\r\n"
          "\r\n"
          "# comment before a record\n"
          "skipif mysql # not compatible\n"
          "onlyif postgresql\n"
          "query II rowsort label-7\n"
          "SELECT a, b\n"
          "  FROM t1\n"
          "----\n"
          "1\n"
          "2\n"
          "\n"
          "query I nosort\n"
          "SELECT 1 WHERE false\n"
          "\n"
          "statement error\n"
          "DROP TABLE nosuch\n"
          "\n"
          "halt\n",
          "x.test");
    assert_false(file.rs);
    assert_int_equal(file.count, 6);
    assert_int_equal(file.records[0].kind, SLT_HASH_THRESHOLD);
    assert_int_equal(file.records[0].threshold, 8);

    const slt_record *create = &file.records[1];
    assert_int_equal(create->kind, SLT_STATEMENT);
    assert_int_equal(create->line, 3);
    assert_false(create->expect_error);
    assert_string_equal(create->sql, "CREATE TABLE t1(a INTEGER,\n  b INTEGER)");

    const slt_record *query = &file.records[2];
    assert_int_equal(query->kind, SLT_QUERY);
    assert_int_equal(query->line, 11);
    assert_string_equal(query->types, "II");
    assert_int_equal(query->sort, SLT_ROWSORT);
    assert_string_equal(query->label, "label-7");
    assert_string_equal(query->sql, "SELECT a, b\n  FROM t1");
    assert_int_equal(query->expected.count, 2);
    assert_string_equal(query->expected.items[1], "2");
    assert_int_equal(query->condition_count, 2);
    assert_true(slt_record_applies(query, "postgresql"));
    assert_false(slt_record_applies(query, "mysql"));
    assert_true(slt_record_applies(query, "PostgreSQL"));

    assert_int_equal(file.records[3].expected.count, 0);
    assert_int_equal(file.records[3].sort, SLT_NOSORT);
    assert_true(file.records[4].expect_error);
    assert_int_equal(file.records[5].kind, SLT_HALT);
    slt_file_free(&file);
}

static void test_halt_and_broken(void **state)
{
    (void)state;
    slt_file file;
    parse(&file,
          "skipif sqlite\n"
          "halt\n"
          "\n"
          "frobnicate now\n"
          "SELECT 1\n"
          "\n"
          "query I sideways\n"
          "SELECT 1\n"
          "\n"
          "onlyif mysql\n"
          "\n"
          "statement ok\n"
          "SELECT 2\n",
          "x.test");
    assert_int_equal(file.count, 4);
    assert_int_equal(file.records[0].kind, SLT_HALT);
    assert_true(slt_record_applies(&file.records[0], "postgresql"));
    assert_int_equal(file.records[1].kind, SLT_BROKEN);
    assert_string_equal(file.records[1].problem, "unknown record type 'frobnicate'");
    assert_int_equal(file.records[2].kind, SLT_BROKEN);
    assert_string_equal(file.records[2].problem, "unknown sort mode 'sideways'");
    /* Conditions alone in a block belong to no record. */
    assert_int_equal(file.records[3].condition_count, 0);
    assert_int_equal(file.records[3].line, 12);
    slt_file_free(&file);
}

static void test_rs_records(void **state)
{
    (void)state;
    slt_file file;
    parse(&file,
          "SET RW_IMPLICIT_FLUSH TO true;\n"
          "\n"
          "statement error table name \"a\" specified more than once\n"
          "SELECT 1;\n"
          "\n"
          "query error\n"
          "SELECT 2;\n"
          "----\n"
          "db error: first line\n"
          "\n"
          "after a single blank line\n"
          "\n"
          "\n"
          "query T rowsort\n"
          "SELECT 'a b'; -- a comment\n"
          "----\n"
          "a    b\n",
          "dir/x.slt.part");
    assert_true(file.rs);
    assert_int_equal(file.count, 4);
    /* A first record without a header line is an unknown record. */
    assert_int_equal(file.records[0].kind, SLT_BROKEN);
    assert_string_equal(file.records[1].error_pattern,
                        "table name \"a\" specified more than once");
    assert_true(file.records[2].expect_error);
    assert_string_equal(file.records[2].error_pattern,
                        "db error: first line\n\nafter a single blank line");
    assert_int_equal(file.records[3].line, 14);
    assert_string_equal(file.records[3].sql, "SELECT 'a b'; -- a comment");
    slt_file_free(&file);

    parse(&file, "statement ok\nSET RW_IMPLICIT_FLUSH TO true;\n", "x.slt");
    assert_true(slt_record_is_noop(&file.records[0]));
    slt_file_free(&file);
    parse(&file, "statement ok\nset timezone to 'UTC';\n", "x.slt");
    assert_false(slt_record_is_noop(&file.records[0]));
    slt_file_free(&file);
}

static void write_file(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
}

static void test_include(void **state)
{
    (void)state;
    char dir[] = "/tmp/tarn-test-slt-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char top[128], part[128], missing[128];
    snprintf(top, sizeof top, "%s/mod.slt.part", dir);
    snprintf(part, sizeof part, "%s/part.slt.part", dir);
    snprintf(missing, sizeof missing, "%s/nothing.slt.part", dir);
    write_file(top, "include ./part.slt.part\n\nstatement ok\nSELECT 1;\n\n"
                    "include nothing.slt.part\n");
    write_file(part, "\nstatement ok\nSELECT 2;\n");

    slt_file file = {0};
    char *error = NULL;
    assert_int_equal(slt_file_load(&file, top, &error), 0);
    assert_int_equal(file.count, 3);
    assert_string_equal(file.records[0].origin, "part.slt.part");
    assert_int_equal(file.records[0].line, 2);
    assert_null(file.records[1].origin);
    assert_int_equal(file.records[1].line, 3);
    assert_int_equal(file.records[2].kind, SLT_BROKEN);
    slt_file_free(&file);

    assert_int_equal(slt_file_load(&file, missing, &error), -1);
    assert_non_null(error);
    free(error);
    unlink(top);
    unlink(part);
    rmdir(dir);
}

static void expect_render(char letter, tn_type_id type, const char *text, const char *want)
{
    char *got = slt_render_typed(letter, type, text);
    assert_string_equal(got, want);
    free(got);
}

static void test_render(void **state)
{
    (void)state;
    expect_render('I', TN_TYPE_INT32, NULL, "NULL");
    expect_render('I', TN_TYPE_INT32, "-42", "-42");
    expect_render('I', TN_TYPE_NUMERIC, "33.3333333333333333", "33");
    expect_render('I', TN_TYPE_NUMERIC, "-33.9", "-33");
    expect_render('I', TN_TYPE_NUMERIC, "-0.5", "0");
    expect_render('I', TN_TYPE_NUMERIC, "123456789012345678901234567890.5",
                  "123456789012345678901234567890");
    expect_render('I', TN_TYPE_FLOAT64, "1e+20", "100000000000000000000");
    expect_render('I', TN_TYPE_FLOAT64, "-2.5e1", "-25");
    expect_render('I', TN_TYPE_TEXT, "12abc", "12");
    expect_render('I', TN_TYPE_TEXT, "abc", "0");
    expect_render('I', TN_TYPE_BOOL, "t", "1");
    expect_render('I', TN_TYPE_BOOL, "f", "0");
    expect_render('R', TN_TYPE_INT32, "5", "5.000");
    expect_render('R', TN_TYPE_FLOAT64, "-0.5", "-0.500");
    expect_render('R', TN_TYPE_NUMERIC, "1.2495", "1.250");
    expect_render('R', TN_TYPE_TEXT, "x", "0.000");
    expect_render('T', TN_TYPE_TEXT, "", "(empty)");
    expect_render('T', TN_TYPE_TEXT, "a\tb\xc3\xa9", "a@b@@");
    expect_render('T', TN_TYPE_INT32, "7", "7");

    char *plain = slt_render_plain("");
    assert_string_equal(plain, "(empty)");
    free(plain);
    char *row = slt_normalize_row("  1 day\t 02:00:00   x ");
    assert_string_equal(row, "1 day 02:00:00 x");
    free(row);
}

static void test_sort_and_hash(void **state)
{
    (void)state;
    slt_strings values = {0};
    const char *input[] = {"9", "b", "10", "a", "9", "a"};
    for (size_t idx = 0; idx < 6; idx++)
        slt_strings_push(&values, input[idx]);
    slt_sort_rows(&values, 2);
    const char *by_rows[] = {"10", "a", "9", "a", "9", "b"};
    for (size_t idx = 0; idx < 6; idx++)
        assert_string_equal(values.items[idx], by_rows[idx]);
    slt_sort_values(&values);
    assert_string_equal(values.items[0], "10");
    assert_string_equal(values.items[5], "b");
    slt_strings_free(&values);

    slt_strings_push(&values, "1");
    slt_strings_push(&values, "2");
    char hex[33];
    slt_hash_values(&values, hex);
    assert_string_equal(hex, "6ddb4095eb719e2a9f0a3f95677d24e0");

    size_t count = 0;
    char parsed[33];
    assert_true(slt_parse_hash_line("2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0",
                                    &count, parsed));
    assert_int_equal(count, 2);
    assert_false(slt_parse_hash_line("2 values hashing to abc", &count, parsed));
    assert_false(slt_parse_hash_line("12", &count, parsed));

    slt_record record = {.kind = SLT_QUERY};
    slt_strings_push(&record.expected, "2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0");
    assert_true(slt_result_matches(&record, false, &values, NULL));
    slt_strings shown = {0};
    slt_strings_push(&values, "3");
    assert_false(slt_result_matches(&record, false, &values, &shown));
    assert_int_equal(shown.count, 1);
    assert_non_null(strstr(shown.items[0], "3 values hashing to "));
    slt_strings_free(&shown);
    slt_strings_free(&record.expected);
    slt_strings_free(&values);
}

static void test_compare_rs(void **state)
{
    (void)state;
    slt_record record = {.kind = SLT_QUERY, .sort = SLT_ROWSORT};
    slt_strings_push(&record.expected, "b\t2");
    slt_strings_push(&record.expected, "a    1 day  02:00:00");
    slt_strings actual = {0};
    slt_strings_push(&actual, "a 1 day 02:00:00");
    slt_strings_push(&actual, "b 2");
    assert_true(slt_result_matches(&record, true, &actual, NULL));
    record.sort = SLT_NOSORT;
    assert_false(slt_result_matches(&record, true, &actual, NULL));
    slt_strings_free(&actual);
    slt_strings_free(&record.expected);

    /* SQLite flavour compares lines exactly, without normalizing. */
    slt_strings_push(&record.expected, "a  b");
    slt_strings_push(&actual, "a b");
    assert_false(slt_result_matches(&record, false, &actual, NULL));
    slt_strings_free(&actual);
    slt_strings_free(&record.expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_records), cmocka_unit_test(test_halt_and_broken),
        cmocka_unit_test(test_rs_records),     cmocka_unit_test(test_include),
        cmocka_unit_test(test_render),         cmocka_unit_test(test_sort_and_hash),
        cmocka_unit_test(test_compare_rs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
