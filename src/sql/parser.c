/*
 * The calls into libpg_query: splitting a script into statements, parsing
 * one statement into its protobuf tree, and deparsing an expression back
 * into SQL text (stored DEFAULT and CHECK expressions are kept as the text
 * PostgreSQL would print, then parsed again when a statement needs them).
 *
 * The unpacked protobuf tree stays alive until the statement arena is reset
 * (a cleanup callback frees it), so the AST may point at its strings.
 */
#include "sql/ast.h"
#include "sql/sql.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

static void free_parse_result(void *arg);
static PgQuery__ParseResult *parse_tree(const char *text, int offset, tn_arena *arena,
                                        tn_error *err);

static void free_parse_result(void *arg)
{
    pg_query__parse_result__free_unpacked(arg, NULL);
}

/* Statements are cut at the ';' tokens of PostgreSQL's own scanner, so
 * quotes, dollar quotes and comments are respected.  (libpg_query's
 * scanner-based splitter drops statements that start with an unknown
 * word, which would hide their syntax errors.)  A statement runs from its
 * first token to the end of its last one; comments alone make none. */
int tn_sql_split(const char *sql, tn_arena *arena, tn_sql_range **ranges, int *count, tn_error *err)
{
    PgQueryScanResult result = pg_query_scan(sql);
    if (result.error) {
        tn_error_set(err, TN_ERR_SYNTAX_ERROR, result.error->cursorpos, "%s", result.error->message);
        pg_query_free_scan_result(result);
        return -1;
    }
    PgQuery__ScanResult *scan =
        pg_query__scan_result__unpack(NULL, result.pbuf.len, (const uint8_t *)result.pbuf.data);
    pg_query_free_scan_result(result);
    if (!scan)
        return tn_error_oom(err);
    tn_sql_range *out = tn_arena_alloc(arena, sizeof *out * (scan->n_tokens + 1));
    if (!out) {
        pg_query__scan_result__free_unpacked(scan, NULL);
        return tn_error_oom(err);
    }
    int kept = 0, start = -1, end = 0;
    for (size_t idx = 0; idx <= scan->n_tokens; idx++) {
        PgQuery__ScanToken *token = idx < scan->n_tokens ? scan->tokens[idx] : NULL;
        if (token && (token->token == PG_QUERY__TOKEN__SQL_COMMENT || token->token == PG_QUERY__TOKEN__C_COMMENT))
            continue;
        if (!token || token->token == PG_QUERY__TOKEN__ASCII_59) {
            if (start >= 0) {
                out[kept].offset = start;
                out[kept].length = end - start;
                kept++;
            }
            start = -1;
            continue;
        }
        if (start < 0)
            start = token->start;
        end = token->end;
    }
    pg_query__scan_result__free_unpacked(scan, NULL);
    *ranges = out;
    *count = kept;
    return 0;
}

/* Parses text (NUL-terminated) and returns the unpacked tree, owned by
 * arena; syntax errors are placed at offset + cursor. */
static PgQuery__ParseResult *parse_tree(const char *text, int offset, tn_arena *arena,
                                        tn_error *err)
{
    PgQueryProtobufParseResult result = pg_query_parse_protobuf(text);
    if (result.error) {
        int position = result.error->cursorpos > 0 && offset >= 0 ? offset + result.error->cursorpos : 0;
        tn_error_set(err, TN_ERR_SYNTAX_ERROR, position, "%s", result.error->message);
        pg_query_free_protobuf_parse_result(result);
        return NULL;
    }
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        NULL, result.parse_tree.len, (const uint8_t *)result.parse_tree.data);
    pg_query_free_protobuf_parse_result(result);
    if (!tree) {
        tn_error_oom(err);
        return NULL;
    }
    if (tn_arena_on_cleanup(arena, free_parse_result, tree) < 0) {
        pg_query__parse_result__free_unpacked(tree, NULL);
        tn_error_oom(err);
        return NULL;
    }
    return tree;
}

/* An upper bound of the parse tree's depth, from the tokens: within one
 * parenthesis level every token but a comma may nest one level deeper
 * (a chain a + b + c nests to the left).  libpg_query's protobuf code and
 * the transform recurse once per level, so a statement nested deeper than
 * the stack allows is refused up front, as PostgreSQL refuses one past
 * max_stack_depth. */
#define MAX_NESTING 6000

static int check_nesting(const char *text, int offset, tn_error *err)
{
    PgQueryScanResult result = pg_query_scan(text);
    if (result.error) { /* the parser reports it with its position */
        pg_query_free_scan_result(result);
        return 0;
    }
    PgQuery__ScanResult *scan =
        pg_query__scan_result__unpack(NULL, result.pbuf.len, (const uint8_t *)result.pbuf.data);
    pg_query_free_scan_result(result);
    if (!scan)
        return tn_error_oom(err);
    int levels[64] = {0};
    int level = 0, overflow_levels = 0, total = 0, position = 0;
    for (size_t idx = 0; idx < scan->n_tokens && total <= MAX_NESTING; idx++) {
        int token = (int)scan->tokens[idx]->token;
        if (token == ',') {
            total -= level < 64 ? levels[level] : 0;
            if (level < 64)
                levels[level] = 0;
            continue;
        }
        if (level < 64)
            levels[level]++;
        total++;
        if (token == '(' || token == '[') {
            if (++level < 64)
                levels[level] = 0;
            else
                overflow_levels++;
        } else if ((token == ')' || token == ']') && level > 0) {
            if (level < 64)
                total -= levels[level];
            else
                overflow_levels--;
            level--;
        }
        position = scan->tokens[idx]->start;
    }
    pg_query__scan_result__free_unpacked(scan, NULL);
    if (total + overflow_levels > MAX_NESTING) {
        tn_error_set(err, TN_ERR_STATEMENT_TOO_COMPLEX, offset + position + 1, "stack depth limit exceeded");
        tn_error_hint(err, "Simplify the statement: expressions nested more than %d levels deep are refused.",
                      MAX_NESTING);
        return -1;
    }
    return 0;
}

tn_ast_statement *tn_sql_parse(const char *text, int length, int offset, tn_arena *arena,
                               tn_error *err)
{
    char *copy = tn_arena_strndup(arena, text, (size_t)length);
    if (!copy) {
        tn_error_oom(err);
        return NULL;
    }
    if (check_nesting(copy, offset, err) < 0)
        return NULL;
    PgQuery__ParseResult *tree = parse_tree(copy, offset, arena, err);
    if (!tree)
        return NULL;
    if (tree->n_stmts != 1) {
        tn_error_set(err, TN_ERR_SYNTAX_ERROR, offset + 1,
                     "expected exactly one statement, found %zu", tree->n_stmts);
        return NULL;
    }
    tn_transform tr = {arena, offset, err};
    return tn_transform_statement(&tr, tree->stmts[0]->stmt);
}

tn_ast_expr *tn_sql_parse_expression(const char *sql, tn_arena *arena, tn_error *err)
{
    char *text = tn_arena_printf(arena, "SELECT %s", sql);
    if (!text) {
        tn_error_oom(err);
        return NULL;
    }
    PgQuery__ParseResult *tree = parse_tree(text, -1, arena, err);
    if (!tree)
        return NULL;
    PgQuery__Node *stmt = tree->n_stmts == 1 ? tree->stmts[0]->stmt : NULL;
    if (!stmt || stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        stmt->select_stmt->n_target_list != 1 || stmt->select_stmt->n_from_clause != 0) {
        tn_error_set(err, TN_ERR_DATA_CORRUPTED, 0, "stored expression \"%s\" is not an expression",
                     sql);
        return NULL;
    }
    tn_transform tr = {arena, -1, err};
    return tn_transform_expr(&tr, stmt->select_stmt->target_list[0]->res_target->val);
}

char *tn_sql_deparse_expression(tn_transform *tr, PgQuery__Node *node)
{
    PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
    target.val = node;
    target.location = -1;
    PgQuery__Node target_node = PG_QUERY__NODE__INIT;
    target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    target_node.res_target = &target;
    PgQuery__Node *targets[1] = {&target_node};
    PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
    select.n_target_list = 1;
    select.target_list = targets;
    select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    PgQuery__Node select_node = PG_QUERY__NODE__INIT;
    select_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    select_node.select_stmt = &select;
    char *text = tn_sql_deparse_statement(tr, &select_node);
    return text && strncmp(text, "SELECT ", 7) == 0 ? text + 7 : text;
}

char *tn_sql_deparse_statement(tn_transform *tr, PgQuery__Node *node)
{
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = node;
    PgQuery__RawStmt *raws[1] = {&raw};
    PgQuery__ParseResult result = PG_QUERY__PARSE_RESULT__INIT;
    result.version = PG_VERSION_NUM;
    result.n_stmts = 1;
    result.stmts = raws;

    size_t size = pg_query__parse_result__get_packed_size(&result);
    uint8_t *packed = malloc(size ? size : 1);
    if (!packed) {
        tn_error_oom(tr->err);
        return NULL;
    }
    pg_query__parse_result__pack(&result, packed);
    PgQueryProtobuf protobuf = {size, (char *)packed};
    PgQueryDeparseResult deparsed = pg_query_deparse_protobuf(protobuf);
    free(packed);
    char *text = NULL;
    if (deparsed.error) {
        tn_error_set(tr->err, TN_ERR_INTERNAL_ERROR, 0, "could not deparse expression: %s",
                     deparsed.error->message);
    } else {
        text = tn_arena_strdup(tr->arena, deparsed.query);
        if (!text)
            tn_error_oom(tr->err);
    }
    pg_query_free_deparse_result(deparsed);
    return text;
}
