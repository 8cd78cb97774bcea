/*
 * Unit tests of the SQL front end without the executor: statements are
 * split, parsed, bound against a real catalog in a temporary lake and
 * optimized; the tests compare the logical plan as tn_logical_to_string
 * prints it, and error SQLSTATEs, texts, hints and cursor positions with
 * what PostgreSQL 15 reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "sql/sql.h"

typedef struct fixture {
    char dir[64];
    tn_catalog *catalog;
    tn_arena *arena;
    tn_error err;
} fixture;

static tn_sql_env env_of(fixture *fx)
{
    int64_t snapshot = 0;
    assert_int_equal(tn_catalog_snapshot_latest(fx->catalog, &snapshot, &fx->err), 0);
    tn_sql_env env = {fx->catalog, fx->dir, snapshot, "alice", NULL};
    return env;
}

/* Runs every statement of sql; DDL is applied and committed.  Returns the
 * last statement (NULL with fx->err set on failure). */
static tn_statement *run(fixture *fx, const char *sql)
{
    tn_sql_range *ranges;
    int count;
    if (tn_sql_split(sql, fx->arena, &ranges, &count, &fx->err) < 0)
        return NULL;
    tn_statement *stmt = NULL;
    for (int idx = 0; idx < count; idx++) {
        tn_sql_env env = env_of(fx);
        stmt = tn_sql_prepare(&env, sql, ranges[idx].offset, ranges[idx].length, fx->arena, &fx->err);
        if (!stmt)
            return NULL;
        if (stmt->kind == TN_STATEMENT_DDL) {
            tn_catalog_txn *txn = tn_catalog_begin(fx->catalog, env.snapshot_id, "alice", &fx->err);
            assert_non_null(txn);
            if (tn_sql_apply_ddl(&env, stmt, txn, &fx->err) < 0) {
                tn_catalog_abort(txn);
                return NULL;
            }
            assert_int_equal(tn_catalog_commit(txn, stmt->operation, NULL, &fx->err), 0);
        }
    }
    return stmt;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/tarn_sql_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    fx->arena = tn_arena_create();
    fx->err = (tn_error)TN_ERROR_INIT;
    char lake[96];
    snprintf(lake, sizeof lake, "%s/lake", fx->dir);
    strcpy(fx->dir, lake);
    fx->catalog = tn_catalog_create(fx->dir, "alice", &fx->err);
    assert_non_null(fx->catalog);
    assert_non_null(run(fx, "CREATE TABLE t (a INT PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', "
                            "c NUMERIC(10,2) CHECK (c > 0));"
                            "CREATE TABLE u (a INT, d DATE); CREATE TABLE w (a INT, e INT)"));
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tn_catalog_close(fx->catalog);
    tn_arena_destroy(fx->arena);
    tn_error_clear(&fx->err);
    char command[160];
    snprintf(command, sizeof command, "rm -rf '%.*s'", (int)(strlen(fx->dir) - 5), fx->dir);
    assert_int_equal(system(command), 0);
    free(fx);
    return 0;
}

static void expect_plan(fixture *fx, const char *sql, const char *plan)
{
    tn_statement *stmt = run(fx, sql);
    if (!stmt)
        fail_msg("%s: %s", sql, fx->err.message);
    assert_non_null(stmt->plan);
    const char *text = tn_logical_to_string(fx->arena, stmt->plan);
    if (strcmp(text, plan) != 0)
        fail_msg("%s\n--- got ---\n%s\n--- expected ---\n%s", sql, text, plan);
}

static void expect_error(fixture *fx, const char *sql, const char *sqlstate, const char *message, int position)
{
    tn_statement *stmt = run(fx, sql);
    if (stmt)
        fail_msg("%s: expected an error", sql);
    if (strcmp(fx->err.sqlstate, sqlstate) != 0 || strcmp(fx->err.message, message) != 0 ||
        fx->err.position != position)
        fail_msg("%s: got %s \"%s\" at %d, expected %s \"%s\" at %d", sql, fx->err.sqlstate, fx->err.message,
                 fx->err.position, sqlstate, message, position);
    tn_error_clear(&fx->err);
}

static void test_split(void **state)
{
    fixture *fx = *state;
    tn_sql_range *ranges;
    int count;
    const char *sql = "  SELECT 1 ; ; SELECT 'a;b' -- c\n; selec 2; /* only a comment */";
    assert_int_equal(tn_sql_split(sql, fx->arena, &ranges, &count, &fx->err), 0);
    assert_int_equal(count, 3);
    assert_int_equal(ranges[0].offset, 2);
    assert_int_equal(ranges[0].length, 8);
    assert_memory_equal(sql + ranges[1].offset, "SELECT 'a;b'", 12);
    assert_int_equal(ranges[1].length, 12);
    assert_memory_equal(sql + ranges[2].offset, "selec 2", 7);
    assert_int_equal(tn_sql_split("SELECT 'abc", fx->arena, &ranges, &count, &fx->err), -1);
    assert_string_equal(fx->err.sqlstate, "42601");
    assert_int_equal(fx->err.position, 8);
    tn_error_clear(&fx->err);
}

static void test_select_plans(void **state)
{
    fixture *fx = *state;
    expect_plan(fx, "SELECT * FROM t WHERE a = 1",
                "PROJECTION #0, #1, #2\n  GET main.t [a, b, c] filters: (#0 = 1)");
    expect_plan(fx, "SELECT b, count(*) FROM t WHERE c > 5 GROUP BY b ORDER BY 2 DESC LIMIT 3",
                "LIMIT 3\n  ORDER #1 DESC\n    PROJECTION #0, #1\n"
                "      AGGREGATE groups: [#0] aggregates: [count(*)]\n"
                "        GET main.t [b, c] filters: (#1 > 5)");
    expect_plan(fx, "SELECT a + 1 AS x, count(*) FROM t GROUP BY x HAVING count(*) > 1",
                "PROJECTION #0, #1\n  FILTER (#1 > 1)\n    AGGREGATE groups: [(#0 + 1)] aggregates: [count(*)]\n"
                "      GET main.t [a]");
    expect_plan(fx, "SELECT a FROM t ORDER BY b",
                "PROJECTION #0\n  ORDER #1\n    PROJECTION #0, #1\n      GET main.t [a, b]");
    expect_plan(fx, "SELECT a AS x FROM t ORDER BY x DESC NULLS LAST LIMIT 2 OFFSET 1",
                "LIMIT 2 OFFSET 1\n  ORDER #0 DESC NULLS LAST\n    PROJECTION #0\n      GET main.t [a]");
    expect_plan(fx, "SELECT DISTINCT b FROM t", "DISTINCT\n  PROJECTION #0\n    GET main.t [b]");
    expect_plan(fx, "SELECT 1 + 2, 'abc', 12345678901, 1.50, NULL",
                "PROJECTION 3, 'abc', 12345678901, 1.50, NULL\n  DUMMY_SCAN");
    expect_plan(fx, "SELECT a FROM t UNION SELECT a FROM u ORDER BY 1",
                "ORDER #0\n  SET_OPERATION UNION\n    PROJECTION #0\n      GET main.t [a]\n"
                "    PROJECTION #0\n      GET main.u [a]");
    expect_plan(fx, "VALUES (1, 'a'), (2, 'b') ORDER BY 2", "ORDER #1\n  VALUES 2 rows");
    expect_plan(fx, "SELECT a BETWEEN 1 AND 5, CASE a WHEN 1 THEN 'one' ELSE 'many' END FROM t",
                "PROJECTION ((#0 >= 1) AND (#0 <= 5)), CASE WHEN (#0 = 1) THEN 'one' ELSE 'many' END\n"
                "  GET main.t [a]");
    expect_plan(fx, "SELECT a FROM t WHERE b LIKE 'a%' AND a IN (1, 2) AND (a > 1) IS NOT FALSE",
                "PROJECTION #0\n  GET main.t [a, b] filters: (#1 ~~ 'a%'), (#0 IN (1, 2)), COALESCE((#0 > 1), t)");
}

static void test_joins(void **state)
{
    fixture *fx = *state;
    /* t's filter makes it the smaller input: it becomes the build side */
    expect_plan(fx, "SELECT t.a, u.d FROM t, u WHERE t.a = u.a AND t.b = 'z'",
                "PROJECTION #0, #1\n  PROJECTION #2, #1\n    JOIN INNER (#2 = #0)\n      GET main.u [a, d]\n"
                "      GET main.t [a, b] filters: (#1 = 'z')");
    /* t and u are not connected: w is joined first, the order restored */
    expect_plan(fx, "SELECT * FROM t, u, w WHERE w.e = u.a AND t.a = w.a",
                "PROJECTION #0, #1, #2, #3, #4, #5, #6\n  PROJECTION #0, #1, #2, #5, #6, #3, #4\n"
                "    JOIN INNER (#4 = #5)\n      JOIN INNER (#0 = #3)\n        GET main.t [a, b, c]\n"
                "        GET main.w [a, e]\n      GET main.u [a, d]");
    expect_plan(fx, "SELECT a FROM t LEFT JOIN u USING (a)",
                "PROJECTION #0\n  JOIN LEFT (#0 = #1)\n    GET main.t [a]\n    GET main.u [a]");
    expect_plan(fx, "SELECT * FROM t NATURAL JOIN u",
                "PROJECTION #0, #1, #2, #4\n  JOIN INNER (#0 = #3)\n    GET main.t [a, b, c]\n    GET main.u [a, d]");
    expect_plan(fx, "SELECT t.*, x.d FROM t CROSS JOIN u AS x",
                "PROJECTION #0, #1, #2, #3\n  JOIN INNER\n    GET main.t [a, b, c]\n    GET main.u [d]");
}

static void test_dml_plans(void **state)
{
    fixture *fx = *state;
    expect_plan(fx, "INSERT INTO t VALUES (1, 'a', 2.5), (2, DEFAULT, 3)", "INSERT main.t check t_c_check\n  VALUES 2 rows");
    expect_plan(fx, "INSERT INTO t (b, a) SELECT '1', '2'",
                "INSERT main.t check t_c_check\n  PROJECTION #1, #0, NULL\n    PROJECTION '1', 2\n      DUMMY_SCAN");
    expect_plan(fx, "UPDATE t SET b = b || 'x' WHERE a > 1",
                "UPDATE main.t check t_c_check\n  PROJECTION #0, #1, (#2 || 'x'), #3\n"
                "    GET main.t [rowid, a, b, c] filters: (#1 > 1)");
    expect_plan(fx, "DELETE FROM t WHERE c IS NULL",
                "DELETE main.t\n  PROJECTION #0\n    GET main.t [rowid, c] filters: (#1 IS NULL)");
    expect_plan(fx, "SELECT count(*) FROM t", "PROJECTION #0\n  AGGREGATE groups: [] aggregates: [count(*)]\n    GET main.t [a]");
    expect_plan(fx, "SELECT a FROM (SELECT a, b, c FROM t) s WHERE b = 'x'",
                "PROJECTION #0\n  PROJECTION #0\n    GET main.t [a, b] filters: (#1 = 'x')");
    expect_plan(fx, "SELECT count(*) FROM t HAVING false",
                "PROJECTION #0\n  VALUES 0 rows");
    expect_plan(fx, "SELECT a FROM t WHERE NULL > a * 1000000", "PROJECTION #0\n  VALUES 0 rows");
    expect_plan(fx, "WITH q AS (SELECT a, sum(c) AS s FROM t GROUP BY a) SELECT * FROM q WHERE a = 1 AND s > 5",
                "PROJECTION #0, #1\n  PROJECTION #0, #1\n    FILTER (#1 > 5)\n"
                "      AGGREGATE groups: [#0] aggregates: [sum(#1)]\n        GET main.t [a, c] filters: (#0 = 1)");
    expect_plan(fx, "SELECT * FROM t LEFT JOIN u ON t.a = u.a WHERE t.b = 'q' AND u.d IS NULL",
                "PROJECTION #0, #1, #2, #3, #4\n  FILTER (#4 IS NULL)\n    JOIN LEFT (#0 = #3)\n"
                "      GET main.t [a, b, c] filters: (#1 = 'q')\n      GET main.u [a, d]");
    tn_statement *stmt = run(fx, "DELETE FROM t");
    assert_non_null(stmt);
    assert_int_equal(stmt->kind, TN_STATEMENT_DML);
    assert_string_equal(stmt->tag, "DELETE");
    assert_string_equal(stmt->operation, "delete from main.t");
}

static void test_errors(void **state)
{
    fixture *fx = *state;
    expect_error(fx, "SELECT x FROM t", "42703", "column \"x\" does not exist", 8);
    expect_error(fx, "SELECT 1;\nSELECT t.x FROM t", "42703", "column t.x does not exist", 18);
    expect_error(fx, "SELECT z.a FROM t", "42P01", "missing FROM-clause entry for table \"z\"", 8);
    expect_error(fx, "SELECT a FROM t, u", "42702", "column reference \"a\" is ambiguous", 8);
    expect_error(fx, "SELECT * FROM nope", "42P01", "relation \"nope\" does not exist", 15);
    expect_error(fx, "SELECT * FROM s.nope", "3F000", "schema \"s\" does not exist", 15);
    expect_error(fx, "selec 1", "42601", "syntax error at or near \"selec\"", 1);
    expect_error(fx, "SELECT 1 +", "42601", "syntax error at end of input", 11);
    expect_error(fx, "SELECT b FROM t GROUP BY c", "42803",
                 "column \"t.b\" must appear in the GROUP BY clause or be used in an aggregate function", 8);
    /* t.a is t's primary key: b and c depend on it (PostgreSQL accepts this) */
    expect_plan(fx, "SELECT b FROM t GROUP BY a",
                "PROJECTION #1\n  AGGREGATE groups: [#0, #1] aggregates: []\n    GET main.t [a, b]");
    expect_error(fx, "SELECT count(*) FROM t WHERE sum(a) > 1", "42803", "aggregate functions are not allowed in WHERE", 30);
    expect_error(fx, "SELECT sum(sum(a)) FROM t", "42803", "aggregate function calls cannot be nested", 12);
    expect_error(fx, "SELECT DISTINCT a FROM t ORDER BY b", "42P10",
                 "for SELECT DISTINCT, ORDER BY expressions must appear in select list", 35);
    expect_error(fx, "SELECT 1 FROM t WHERE a", "42804", "argument of WHERE must be type boolean, not type integer", 23);
    expect_error(fx, "SELECT 1 UNION SELECT 'a'", "22P02", "invalid input syntax for type integer: \"a\"", 23);
    expect_error(fx, "SELECT a FROM t GROUP BY 3", "42P10", "GROUP BY position 3 is not in select list", 26);
    expect_error(fx, "SELECT 1 AS a, 2 AS a ORDER BY a", "42702", "ORDER BY \"a\" is ambiguous", 32);
    expect_error(fx, "SELECT 1 FROM (SELECT 1)", "42601", "subquery in FROM must have an alias", 15);
    expect_error(fx, "SELECT 1 FROM t WHERE row_number() OVER () > 1", "42P20",
                 "window functions are not allowed in WHERE", 23);
    expect_error(fx, "INSERT INTO t (a, zz) VALUES (5, 1)", "42703", "column \"zz\" of relation \"t\" does not exist", 19);
    expect_error(fx, "INSERT INTO t VALUES (1, 2, 3, 4)", "42601", "INSERT has more expressions than target columns", 32);
    expect_error(fx, "INSERT INTO u VALUES (1, 5)", "42804",
                 "column \"d\" is of type date but expression is of type integer", 26);
    expect_error(fx, "UPDATE t SET a = 1, a = 2", "42601", "multiple assignments to same column \"a\"", 21);
    expect_error(fx, "SELECT nam FROM (SELECT 1 AS name) s", "42703", "column \"nam\" does not exist", 8);
}

/* Statements nested past the stack are refused, not a crash. */
static void test_too_deep(void **state)
{
    fixture *fx = *state;
    size_t terms = 50000;
    char *sql = malloc(8 + terms * 2);
    assert_non_null(sql);
    strcpy(sql, "SELECT ");
    char *cursor = sql + 7;
    for (size_t idx = 0; idx < terms; idx++) {
        *cursor++ = idx ? '+' : ' ';
        *cursor++ = '1';
    }
    *cursor = '\0';
    assert_null(run(fx, sql));
    free(sql);
    assert_string_equal(fx->err.sqlstate, "54001");
    assert_string_equal(fx->err.message, "stack depth limit exceeded");
    tn_error_clear(&fx->err);
    expect_error(fx, "SELECT * FROM read_parquet('/nonexistent/*.parquet')", "58P01",
                 "no files match \"/nonexistent/*.parquet\"", 28);
}

static void test_hint(void **state)
{
    fixture *fx = *state;
    assert_null(run(fx, "SELECT nam FROM (SELECT 1 AS name) s"));
    assert_string_equal(fx->err.hint, "Perhaps you meant to reference the column \"s.name\".");
    tn_error_clear(&fx->err);
}

static void test_ddl(void **state)
{
    fixture *fx = *state;
    expect_error(fx, "CREATE TABLE t (x INT)", "42P07", "relation \"t\" already exists", 0);
    assert_non_null(run(fx, "CREATE TABLE IF NOT EXISTS t (x INT)"));
    expect_error(fx, "CREATE TABLE s.q (x INT)", "3F000", "schema \"s\" does not exist", 14);
    assert_non_null(run(fx, "CREATE SCHEMA s"));
    expect_error(fx, "CREATE SCHEMA s", "42P06", "schema \"s\" already exists", 0);
    assert_non_null(run(fx, "CREATE SCHEMA IF NOT EXISTS s"));
    assert_non_null(run(fx, "CREATE TABLE s.q (x INT, y INT, CHECK (x < y), CHECK (x > 0), UNIQUE (x, y), "
                            "CONSTRAINT named CHECK (y > 1))"));
    expect_plan(fx, "INSERT INTO s.q VALUES (1, 2)", "INSERT s.q check q_check check q_x_check check named\n  VALUES 1 rows");
    expect_error(fx, "DROP TABLE nope", "42P01", "table \"nope\" does not exist", 0);
    assert_non_null(run(fx, "DROP TABLE IF EXISTS nope, s.q"));
    expect_error(fx, "DROP SCHEMA nope", "3F000", "schema \"nope\" does not exist", 0);
    assert_non_null(run(fx, "DROP SCHEMA s CASCADE"));
    expect_error(fx, "CREATE TABLE bad (a INT NOT NULL NULL)", "42601",
                 "conflicting NULL/NOT NULL declarations for column \"a\" of table \"bad\"", 34);
    expect_error(fx, "CREATE TABLE bad (a foo)", "42704", "type \"foo\" does not exist", 21);
    expect_error(fx, "CREATE TABLE bad (a INT PRIMARY KEY, b INT PRIMARY KEY)", "42P16",
                 "multiple primary keys for table \"bad\" are not allowed", 44);
    expect_error(fx, "CREATE TABLE bad (a INT DEFAULT b)", "0A000", "cannot use column reference in DEFAULT expression", 33);
    tn_statement *stmt = run(fx, "CREATE INDEX i ON t (a)");
    assert_non_null(stmt);
    assert_int_equal(stmt->kind, TN_STATEMENT_UTILITY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_select_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dml_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_deep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ddl, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
