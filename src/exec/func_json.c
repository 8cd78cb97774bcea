/*
 * JSON functions over text (tarn has no json type; a text holding JSON is
 * read as PostgreSQL reads json): -> and ->> by key or array index, #> and
 * #>> by a path written as a text-array literal ('{a,0,b}'),
 * json_extract_path[_text], json_typeof and json_array_length.  Like
 * PostgreSQL's json (not jsonb), the whole input is validated by a small
 * recursive-descent parser and a result that is JSON is the input's own
 * text of that value, whitespace kept.  Errors carry PostgreSQL's messages:
 * 22P02 "invalid input syntax for type json" with the token in the detail.
 */
#include "exec/exec_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])
#define MAX_DEPTH 1000

typedef enum json_kind { JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_BOOL, JSON_NULL } json_kind;

typedef struct json_parser {
    const char *start, *end;
    tn_error *err;
} json_parser;

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* The token at p as PostgreSQL's lexer cuts it, for messages. */
static int token_length(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if (strchr("{}[],:", *p) != NULL)
        return 1;
    const char *q = p;
    if (*q == '"') {
        for (q++; q < end && *q != '"'; q++)
            if (*q == '\\' && q + 1 < end)
                q++;
        return (int)(q < end ? q + 1 - p : q - p);
    }
    while (q < end && !strchr(" \t\n\r{}[],:\"", *q))
        q++;
    return q > p ? (int)(q - p) : 1;
}

static int parse_number(json_parser *ps, const char *p, const char **next);

/* Whether PostgreSQL's lexer accepts the token at p; when it does not, it
 * reports the bad token rather than what the grammar expected. */
static bool token_is_valid(const json_parser *ps, const char *p)
{
    int n = token_length(p, ps->end);
    if (strchr("{}[],:", *p) != NULL)
        return true;
    if (*p == '"')
        return n >= 2 && p[n - 1] == '"';
    if (*p == '-' || isdigit((unsigned char)*p)) {
        tn_error ignored = TN_ERROR_INIT;
        json_parser probe = {ps->start, ps->end, &ignored};
        const char *next;
        bool ok = parse_number(&probe, p, &next) == 0;
        tn_error_clear(&ignored);
        return ok;
    }
    return (n == 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "null", 4) == 0)) ||
           (n == 5 && memcmp(p, "false", 5) == 0);
}

static int syntax_error(json_parser *ps, const char *detail_format, const char *at)
{
    tn_error_set(ps->err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type json");
    if (at < ps->end && !token_is_valid(ps, at))
        detail_format = "Token \"%s\" is invalid.";
    if (at >= ps->end) {
        tn_error_detail(ps->err, "The input string ended unexpectedly.");
    } else {
        int n = token_length(at, ps->end);
        char token[128];
        snprintf(token, sizeof token, "%.*s", n, at);
        tn_error_detail(ps->err, detail_format, token);
    }
    return -1;
}

static bool is_token_char(char c)
{
    return !strchr(" \t\n\r{}[],:\"", c);
}

/* Validates a string at p ('"' included); *next is past the closing quote. */
static int parse_string(json_parser *ps, const char *p, const char **next)
{
    const char *q = p + 1;
    while (q < ps->end && *q != '"') {
        unsigned char c = (unsigned char)*q;
        if (c < 0x20) {
            tn_error_set(ps->err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type json");
            tn_error_detail(ps->err, "Character with value 0x%02x must be escaped.", c);
            return -1;
        }
        if (c == '\\') {
            if (q + 1 >= ps->end)
                break;
            char e = q[1];
            if (e == 'u') {
                for (int k = 2; k < 6; k++) {
                    if (q + k >= ps->end || !isxdigit((unsigned char)q[k])) {
                        tn_error_set(ps->err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0,
                                     "invalid input syntax for type json");
                        tn_error_detail(ps->err, "\"\\u\" must be followed by four hexadecimal digits.");
                        return -1;
                    }
                }
                q += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e)) {
                tn_error_set(ps->err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type json");
                tn_error_detail(ps->err, "Escape sequence \"\\%.*s\" is invalid.",
                                (int)(((unsigned char)e & 0xC0) == 0xC0 ? 2 : 1), q + 1);
                return -1;
            }
            q += 2;
            continue;
        }
        q++;
    }
    if (q >= ps->end)
        return syntax_error(ps, "Token \"%s\" is invalid.", p);
    *next = q + 1;
    return 0;
}

/* A number per RFC 8259 (PostgreSQL's json_lex_number). */
static int parse_number(json_parser *ps, const char *p, const char **next)
{
    const char *q = p;
    if (q < ps->end && *q == '-')
        q++;
    bool ok = q < ps->end && isdigit((unsigned char)*q);
    if (ok && *q == '0')
        q++;
    else
        while (q < ps->end && isdigit((unsigned char)*q))
            q++;
    if (ok && q < ps->end && *q == '.') {
        q++;
        ok = q < ps->end && isdigit((unsigned char)*q);
        while (q < ps->end && isdigit((unsigned char)*q))
            q++;
    }
    if (ok && q < ps->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < ps->end && (*q == '+' || *q == '-'))
            q++;
        ok = q < ps->end && isdigit((unsigned char)*q);
        while (q < ps->end && isdigit((unsigned char)*q))
            q++;
    }
    if (!ok || (q < ps->end && is_token_char(*q)))
        return syntax_error(ps, "Token \"%s\" is invalid.", p);
    *next = q;
    return 0;
}

/* Validates one value starting at p (after whitespace). */
static int parse_value(json_parser *ps, const char *p, int depth, const char **next, json_kind *kind)
{
    p = skip_space(p, ps->end);
    if (p >= ps->end)
        return syntax_error(ps, "", p);
    if (depth > MAX_DEPTH)
        return tn_error_set(ps->err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "stack depth limit exceeded");
    json_kind ignored;
    switch (*p) {
    case '{': {
        *kind = JSON_OBJECT;
        const char *q = skip_space(p + 1, ps->end);
        if (q < ps->end && *q == '}') {
            *next = q + 1;
            return 0;
        }
        for (;;) {
            q = skip_space(q, ps->end);
            if (q >= ps->end || *q != '"')
                return syntax_error(ps, "Expected string or \"}\", but found \"%s\".", q);
            if (parse_string(ps, q, &q) != 0)
                return -1;
            q = skip_space(q, ps->end);
            if (q >= ps->end || *q != ':')
                return syntax_error(ps, "Expected \":\", but found \"%s\".", q);
            if (parse_value(ps, q + 1, depth + 1, &q, &ignored) != 0)
                return -1;
            q = skip_space(q, ps->end);
            if (q < ps->end && *q == '}') {
                *next = q + 1;
                return 0;
            }
            if (q >= ps->end || *q != ',')
                return syntax_error(ps, "Expected \",\" or \"}\", but found \"%s\".", q);
            q++;
            const char *after = skip_space(q, ps->end);
            if (after < ps->end && *after != '"')
                return syntax_error(ps, "Expected string, but found \"%s\".", after);
        }
    }
    case '[': {
        *kind = JSON_ARRAY;
        const char *q = skip_space(p + 1, ps->end);
        if (q < ps->end && *q == ']') {
            *next = q + 1;
            return 0;
        }
        for (bool first = true;; first = false) {
            q = skip_space(q, ps->end);
            if (q < ps->end && strchr("]},:", *q))
                return syntax_error(ps, first ? "Expected array element or \"]\", but found \"%s\"."
                                              : "Expected JSON value, but found \"%s\".", q);
            if (parse_value(ps, q, depth + 1, &q, &ignored) != 0)
                return -1;
            q = skip_space(q, ps->end);
            if (q < ps->end && *q == ']') {
                *next = q + 1;
                return 0;
            }
            if (q >= ps->end || *q != ',')
                return syntax_error(ps, "Expected \",\" or \"]\", but found \"%s\".", q);
            q++;
        }
    }
    case '"':
        *kind = JSON_STRING;
        return parse_string(ps, p, next);
    case '}': case ']': case ',': case ':':
        return syntax_error(ps, "Expected JSON value, but found \"%s\".", p);
    default:
        break;
    }
    if (*p == '-' || isdigit((unsigned char)*p)) {
        *kind = JSON_NUMBER;
        return parse_number(ps, p, next);
    }
    static const struct { const char *word; json_kind kind; } words[] = {
        {"true", JSON_BOOL}, {"false", JSON_BOOL}, {"null", JSON_NULL}};
    int n = token_length(p, ps->end);
    for (size_t k = 0; k < 3; k++) {
        if ((size_t)n == strlen(words[k].word) && memcmp(p, words[k].word, (size_t)n) == 0) {
            *kind = words[k].kind;
            *next = p + n;
            return 0;
        }
    }
    return syntax_error(ps, "Token \"%s\" is invalid.", p);
}

/* Validates a whole document; *value is its first byte, kind its type. */
static int parse_document(const tn_string *text, const char **value, json_kind *kind, tn_error *err)
{
    json_parser ps = {tn_string_data(text), tn_string_data(text) + text->length, err};
    const char *next;
    if (parse_value(&ps, ps.start, 0, &next, kind) != 0)
        return -1;
    next = skip_space(next, ps.end);
    if (next < ps.end)
        return syntax_error(&ps, "Expected end of input, but found \"%s\".", next);
    *value = skip_space(ps.start, ps.end);
    return 0;
}

/* ---- navigation over validated text ---- */

typedef struct json_span {
    const char *start, *end;
    json_kind kind;
} json_span;

/* The value at p (already validated, so no errors). */
static json_span span_at(const char *p, const char *end)
{
    tn_error ignored = TN_ERROR_INIT;
    json_parser ps = {p, end, &ignored};
    json_span span;
    span.start = skip_space(p, end);
    parse_value(&ps, span.start, 0, &span.end, &span.kind);
    tn_error_clear(&ignored);
    return span;
}

static unsigned hex_value(const char *p)
{
    return (unsigned)strtoul((char[5]){p[0], p[1], p[2], p[3], 0}, NULL, 16);
}

static size_t put_utf8(unsigned code, char *out)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* De-escapes a string span (quotes included) into out (room for its
 * length); returns the length or -1 with err set. */
static long unescape(const json_span *span, char *out, tn_error *err)
{
    size_t used = 0;
    for (const char *p = span->start + 1; p < span->end - 1; p++) {
        if (*p != '\\') {
            out[used++] = *p;
            continue;
        }
        char e = *++p;
        switch (e) {
        case 'b': out[used++] = '\b'; break;
        case 'f': out[used++] = '\f'; break;
        case 'n': out[used++] = '\n'; break;
        case 'r': out[used++] = '\r'; break;
        case 't': out[used++] = '\t'; break;
        case 'u': {
            unsigned code = hex_value(p + 1);
            p += 4;
            if (code >= 0xD800 && code <= 0xDBFF && p + 6 < span->end && p[1] == '\\' && p[2] == 'u') {
                unsigned low = hex_value(p + 3);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    p += 6;
                }
            }
            if (code == 0) {
                tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "unsupported Unicode escape sequence");
                tn_error_detail(err, "\\u0000 cannot be converted to text.");
                return -1;
            }
            if (code >= 0xD800 && code <= 0xDFFF) {
                tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "invalid input syntax for type json");
                tn_error_detail(err, "Unicode low surrogate must follow a high surrogate.");
                return -1;
            }
            used += put_utf8(code, out + used);
            break;
        }
        default: out[used++] = e; break;
        }
    }
    return (long)used;
}

/* Member key of an object, or element index of an array; false if absent. */
static bool step_key(const json_span *in, const char *key, size_t key_length, json_span *out,
                     tn_arena *scratch, tn_error *err, bool *failed)
{
    if (in->kind != JSON_OBJECT)
        return false;
    const char *p = skip_space(in->start + 1, in->end);
    bool found = false;
    while (p < in->end && *p != '}') {
        json_span name = span_at(p, in->end);
        char *plain = tn_arena_alloc(scratch, (size_t)(name.end - name.start) + 4);
        long length = plain != NULL ? unescape(&name, plain, err) : -1;
        if (length < 0) {
            if (plain == NULL)
                tn_error_oom(err);
            *failed = true;
            return false;
        }
        p = skip_space(name.end, in->end) + 1; /* ':' */
        json_span value = span_at(p, in->end);
        /* of duplicate keys, the last one counts (PostgreSQL's json) */
        if ((size_t)length == key_length && memcmp(plain, key, key_length) == 0) {
            *out = value;
            found = true;
        }
        p = skip_space(value.end, in->end);
        if (p < in->end && *p == ',')
            p = skip_space(p + 1, in->end);
    }
    return found;
}

static bool step_index(const json_span *in, int64_t index, json_span *out)
{
    if (in->kind != JSON_ARRAY)
        return false;
    json_span items[1];
    int64_t count = 0;
    const char *p = skip_space(in->start + 1, in->end);
    /* negative indexes count from the end: count first */
    if (index < 0) {
        const char *q = p;
        while (q < in->end && *q != ']') {
            json_span value = span_at(q, in->end);
            count++;
            q = skip_space(value.end, in->end);
            if (q < in->end && *q == ',')
                q = skip_space(q + 1, in->end);
        }
        index += count;
        if (index < 0)
            return false;
    }
    for (int64_t k = 0; p < in->end && *p != ']'; k++) {
        items[0] = span_at(p, in->end);
        if (k == index) {
            *out = items[0];
            return true;
        }
        p = skip_space(items[0].end, in->end);
        if (p < in->end && *p == ',')
            p = skip_space(p + 1, in->end);
    }
    return false;
}

/* Writes span as the result: JSON text, or (as_text) the string's value
 * and NULL for a JSON null. */
static int emit(const json_span *span, bool as_text, tn_vector *out, uint32_t row, tn_error *err)
{
    if (as_text && span->kind == JSON_NULL)
        return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
    if (as_text && span->kind == JSON_STRING) {
        char *text = tn_arena_alloc(out->arena, (size_t)(span->end - span->start) + 4);
        if (text == NULL)
            return tn_error_oom(err);
        long length = unescape(span, text, err);
        if (length < 0)
            return -1;
        ((tn_string *)out->data)[row] = tn_string_make(text, (uint32_t)length);
        return 0;
    }
    size_t length = (size_t)(span->end - span->start);
    char *text = tn_arena_alloc(out->arena, length + 1);
    if (text == NULL)
        return tn_error_oom(err);
    memcpy(text, span->start, length);
    ((tn_string *)out->data)[row] = tn_string_make(text, (uint32_t)length);
    return 0;
}

static int set_null(tn_vector *out, uint32_t row, tn_error *err)
{
    return tn_vector_set_null(out, row) == 0 ? 0 : tn_error_oom(err);
}

/* The document of row i, validated; its spans point into the input. */
static int document_of(const tn_vector *arg, uint32_t row, json_span *span, tn_error *err)
{
    const tn_string *text = STR(arg, row);
    if (parse_document(text, &span->start, &span->kind, err) != 0)
        return -1;
    *span = span_at(span->start, tn_string_data(text) + text->length);
    return 0;
}

static int arrow_rows(tn_vector **args, uint32_t count, tn_vector *out, bool as_text, tn_error *err)
{
    bool by_index = args[1]->type.id == TN_TYPE_INT32;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        json_span doc, found;
        if (document_of(args[0], i, &doc, err) != 0)
            return -1;
        bool ok, failed = false;
        if (by_index) {
            ok = step_index(&doc, ((const int32_t *)args[1]->data)[args[1]->is_constant ? 0 : i], &found);
        } else {
            const tn_string *key = STR(args[1], i);
            ok = step_key(&doc, tn_string_data(key), key->length, &found, out->arena, err, &failed);
            if (failed)
                return -1;
        }
        if (!ok ? set_null(out, i, err) != 0 : emit(&found, as_text, out, i, err) != 0)
            return -1;
    }
    return 0;
}

#define ARROW_KERNEL(NAME, AS_TEXT)                                                                \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        return arrow_rows(args, count, out, AS_TEXT, err);                                         \
    }
ARROW_KERNEL(arrow_kernel, false)
ARROW_KERNEL(arrow_text_kernel, true)

/* Follows one path element: a key for objects, an integer for arrays. */
static bool step_path(const json_span *in, const char *element, size_t length, json_span *out,
                      tn_arena *arena, tn_error *err, bool *failed)
{
    if (in->kind == JSON_ARRAY) {
        char buf[32];
        if (length == 0 || length >= sizeof buf)
            return false;
        memcpy(buf, element, length);
        buf[length] = '\0';
        char *end;
        long long index = strtoll(buf, &end, 10);
        if (*end != '\0' || index > INT32_MAX || index < INT32_MIN)
            return false;
        return step_index(in, index, out);
    }
    return step_key(in, element, length, out, arena, err, failed);
}

/* Splits a text-array literal '{a,"b c",0}' into elements in arena. */
static int split_path(const tn_string *path, tn_arena *arena, tn_string **elements, int *count,
                      tn_error *err)
{
    const char *p = tn_string_data(path), *end = p + path->length;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end || *p != '{') {
        tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "malformed array literal: \"%.*s\"",
                     (int)path->length, tn_string_data(path));
        tn_error_detail(err, "Array value must start with \"{\" or dimension information.");
        return -1;
    }
    p++;
    tn_string *list = tn_arena_alloc(arena, sizeof *list * (path->length + 1));
    char *buf = tn_arena_alloc(arena, path->length + 1);
    if (list == NULL || buf == NULL)
        return tn_error_oom(err);
    int n = 0;
    size_t used = 0;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end && *p == '}') {
        *elements = list;
        *count = 0;
        return 0;
    }
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        size_t start = used;
        if (p < end && *p == '"') {
            for (p++; p < end && *p != '"'; p++) {
                if (*p == '\\' && p + 1 < end)
                    p++;
                buf[used++] = *p;
            }
            p++;
        } else {
            while (p < end && *p != ',' && *p != '}') {
                if (*p == '\\' && p + 1 < end)
                    p++;
                buf[used++] = *p++;
            }
            while (used > start && isspace((unsigned char)buf[used - 1]))
                used--;
        }
        list[n++] = tn_string_make(buf + start, (uint32_t)(used - start));
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '}' && p + 1 == end)
            break;
        tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0, "malformed array literal: \"%.*s\"",
                     (int)path->length, tn_string_data(path));
        return -1;
    }
    *elements = list;
    *count = n;
    return 0;
}

/* Follows elements from doc; NULL result when a step is missing. */
static int follow(json_span doc, const tn_string *elements, int count, bool as_text, tn_vector *out,
                  uint32_t row, tn_error *err)
{
    for (int k = 0; k < count; k++) {
        bool failed = false;
        if (!step_path(&doc, tn_string_data(&elements[k]), elements[k].length, &doc, out->arena, err,
                       &failed))
            return failed ? -1 : set_null(out, row, err);
    }
    return emit(&doc, as_text, out, row, err);
}

static int path_rows(tn_vector **args, uint32_t count, tn_vector *out, bool as_text, tn_error *err)
{
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        json_span doc;
        tn_string *elements = NULL;
        int element_count = 0;
        if (document_of(args[0], i, &doc, err) != 0 ||
            split_path(STR(args[1], i), out->arena, &elements, &element_count, err) != 0 ||
            follow(doc, elements, element_count, as_text, out, i, err) != 0)
            return -1;
    }
    return 0;
}

#define PATH_KERNEL(NAME, AS_TEXT)                                                                 \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        return path_rows(args, count, out, AS_TEXT, err);                                          \
    }
PATH_KERNEL(path_kernel, false)
PATH_KERNEL(path_text_kernel, true)

/* json_extract_path(json, VARIADIC text): NULL when any path element is. */
static int extract_rows(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out,
                        bool as_text, tn_error *err)
{
    int element_count = call->arg_count - 1;
    tn_string *elements = tn_arena_alloc(out->arena, sizeof *elements * (size_t)(element_count + 1));
    if (elements == NULL)
        return tn_error_oom(err);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(args[0], i)) {
            if (set_null(out, i, err) != 0)
                return -1;
            continue;
        }
        json_span doc;
        if (document_of(args[0], i, &doc, err) != 0)
            return -1;
        bool any_null = false;
        for (int k = 0; k < element_count; k++) {
            any_null |= !tn_vector_is_valid(args[k + 1], i);
            if (!any_null)
                elements[k] = *STR(args[k + 1], i);
        }
        if (any_null ? set_null(out, i, err) != 0
                     : follow(doc, elements, element_count, as_text, out, i, err) != 0)
            return -1;
    }
    return 0;
}

static int extract_path_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                               uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return extract_rows(call, args, count, out, false, err);
}

static int extract_path_text_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                    uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return extract_rows(call, args, count, out, true, err);
}

static int typeof_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    static const char *const names[] = {"object", "array", "string", "number", "boolean", "null"};
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        json_span doc;
        if (document_of(args[0], i, &doc, err) != 0)
            return -1;
        const char *name = names[doc.kind];
        ((tn_string *)out->data)[i] = tn_string_make(name, (uint32_t)strlen(name));
    }
    return 0;
}

static int array_length_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                               uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        json_span doc;
        if (document_of(args[0], i, &doc, err) != 0)
            return -1;
        if (doc.kind != JSON_ARRAY)
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "cannot get array length of a %s",
                                doc.kind == JSON_OBJECT ? "non-array" : "scalar");
        int32_t length = 0;
        const char *p = skip_space(doc.start + 1, doc.end);
        while (p < doc.end && *p != ']') {
            json_span value = span_at(p, doc.end);
            length++;
            p = skip_space(value.end, doc.end);
            if (p < doc.end && *p == ',')
                p = skip_space(p + 1, doc.end);
        }
        ((int32_t *)out->data)[i] = length;
    }
    return 0;
}

static const tn_scalar_function functions[] = {
    TN_FN2("->", TEXT, TEXT, TEXT, arrow_kernel, NULL),
    TN_FN2("->", TEXT, INT32, TEXT, arrow_kernel, NULL),
    TN_FN2("->>", TEXT, TEXT, TEXT, arrow_text_kernel, NULL),
    TN_FN2("->>", TEXT, INT32, TEXT, arrow_text_kernel, NULL),
    TN_FN2("#>", TEXT, TEXT, TEXT, path_kernel, NULL),
    TN_FN2("#>>", TEXT, TEXT, TEXT, path_text_kernel, NULL),
    {"json_extract_path", -1, {TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_IMMUTABLE, false, extract_path_kernel, NULL},
    {"json_extract_path_text", -1, {TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_IMMUTABLE, false,
     extract_path_text_kernel, NULL},
    TN_FN1("json_typeof", TEXT, TEXT, typeof_kernel, NULL),
    TN_FN1("json_array_length", TEXT, INT32, array_length_kernel, NULL),
};

const tn_function_list tn_func_json_list = {functions, sizeof functions / sizeof functions[0]};
