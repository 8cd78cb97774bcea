/*
 * Regular expressions through PCRE2: the operators ~ ~* !~ !~*,
 * regexp_replace(source, pattern, replacement [, flags]), regexp_match
 * (its text[] result given as the array's text, "{bar}", since tarn has no
 * arrays), regexp_count, regexp_like, substring(s from pattern) and the SQL
 * regular expressions of SIMILAR TO (similar_to_escape, as PostgreSQL
 * rewrites them, and substring(s similar pattern escape e)).  PostgreSQL's
 * regex flavour (ARE) and Perl's agree on the common syntax; the
 * replacement's \1..\9 and \& are translated to PCRE2's $n.  A constant
 * pattern is compiled once at bind time (bind_data, freed with the
 * statement arena); a pattern that varies is compiled per row.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "exec/exec_int.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])

static int regex_error(int code, tn_error *err)
{
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    return tn_error_set(err, TN_ERR_INVALID_REGULAR_EXPRESSION, 0, "invalid regular expression: %s",
                        (const char *)message);
}

static pcre2_code *compile_with(const tn_string *pattern, bool caseless, uint32_t extra, tn_error *err)
{
    int code;
    PCRE2_SIZE offset;
    uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | extra | (caseless ? PCRE2_CASELESS : 0);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)tn_string_data(pattern), pattern->length, options,
                                   &code, &offset, NULL);
    if (re == NULL)
        regex_error(code, err);
    return re;
}

static pcre2_code *compile(const tn_string *pattern, bool caseless, tn_error *err)
{
    return compile_with(pattern, caseless, 0, err);
}

static void free_code(void *arg)
{
    pcre2_code_free(arg);
}

/* Compiles a constant pattern (argument 1) once, for the kernels. */
static int bind_pattern(tn_arena *arena, tn_expr *call, bool caseless, tn_error *err)
{
    const tn_expr *pattern = call->args[1];
    if (pattern->kind != TN_EXPR_CONSTANT || pattern->value.is_null)
        return 0;
    pcre2_code *re = compile(&pattern->value.u.string, caseless, err);
    if (re == NULL)
        return -1;
    if (tn_arena_on_cleanup(arena, free_code, re) != 0) {
        pcre2_code_free(re);
        return tn_error_oom(err);
    }
    call->bind_data = re;
    return 0;
}

static int bind_case_sensitive(tn_arena *arena, tn_expr *call, tn_error *err)
{
    return bind_pattern(arena, call, false, err);
}

static int bind_caseless(tn_arena *arena, tn_expr *call, tn_error *err)
{
    return bind_pattern(arena, call, true, err);
}

/* The row's compiled pattern: the bound one, or a fresh one to free. */
static pcre2_code *pattern_of(const tn_expr *call, tn_vector *patterns, uint32_t row, bool caseless,
                              pcre2_code **owned, tn_error *err)
{
    if (call->bind_data != NULL)
        return call->bind_data;
    pcre2_code_free(*owned);
    *owned = compile(STR(patterns, row), caseless, err);
    return *owned;
}

/* flags: 1 negate, 2 case-insensitive. */
static int match_rows(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out, int flags,
                      tn_error *err)
{
    pcre2_code *owned = NULL;
    pcre2_match_data *match = NULL;
    int status = 0;
    uint8_t *r = out->data;
    for (uint32_t i = 0; i < count && status == 0; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        pcre2_code *re = pattern_of(call, args[1], i, (flags & 2) != 0, &owned, err);
        if (re == NULL) {
            status = -1;
            break;
        }
        if (match == NULL && (match = pcre2_match_data_create(1, NULL)) == NULL) {
            status = tn_error_oom(err);
            break;
        }
        const tn_string *s = STR(args[0], i);
        int found = pcre2_match(re, (PCRE2_SPTR)tn_string_data(s), s->length, 0, 0, match, NULL);
        if (found < 0 && found != PCRE2_ERROR_NOMATCH) {
            status = regex_error(found, err);
            break;
        }
        r[i] = (uint8_t)((found >= 0) != ((flags & 1) != 0));
    }
    pcre2_match_data_free(match);
    pcre2_code_free(owned);
    return status;
}

#define MATCH_KERNEL(NAME, FLAGS)                                                                  \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        return match_rows(call, args, count, out, FLAGS, err);                                     \
    }
MATCH_KERNEL(match_kernel, 0)
MATCH_KERNEL(not_match_kernel, 1)
MATCH_KERNEL(imatch_kernel, 2)
MATCH_KERNEL(not_imatch_kernel, 3)

/* PostgreSQL's replacement text (\1, \&, literal $) in PCRE2's syntax. */
static char *translate_replacement(tn_arena *arena, const tn_string *replacement, size_t *length)
{
    const char *data = tn_string_data(replacement);
    char *text = tn_arena_alloc(arena, (size_t)replacement->length * 4 + 1);
    if (text == NULL)
        return NULL;
    size_t used = 0;
    for (uint32_t k = 0; k < replacement->length; k++) {
        char c = data[k];
        if (c == '\\' && k + 1 < replacement->length) {
            char next = data[k + 1];
            if (next >= '1' && next <= '9') {
                used += (size_t)sprintf(text + used, "${%c}", next);
                k++;
                continue;
            }
            if (next == '&') {
                used += (size_t)sprintf(text + used, "$0");
                k++;
                continue;
            }
            text[used++] = next;
            k++;
            continue;
        }
        if (c == '$')
            text[used++] = '$';
        text[used++] = c;
    }
    *length = used;
    return text;
}

static int replace_row(pcre2_code *re, const tn_string *s, const tn_string *replacement, bool global,
                       tn_vector *out, uint32_t row, tn_error *err)
{
    size_t replacement_length;
    char *pcre_replacement = translate_replacement(out->arena, replacement, &replacement_length);
    if (pcre_replacement == NULL)
        return tn_error_oom(err);
    uint32_t options = PCRE2_SUBSTITUTE_OVERFLOW_LENGTH | (global ? PCRE2_SUBSTITUTE_GLOBAL : 0);
    PCRE2_SIZE size = (PCRE2_SIZE)s->length * 2 + 64;
    for (int attempt = 0; attempt < 2; attempt++) {
        char *buffer = tn_arena_alloc(out->arena, size + 1);
        if (buffer == NULL)
            return tn_error_oom(err);
        PCRE2_SIZE length = size;
        int rc = pcre2_substitute(re, (PCRE2_SPTR)tn_string_data(s), s->length, 0, options, NULL, NULL,
                                  (PCRE2_SPTR)pcre_replacement, replacement_length,
                                  (PCRE2_UCHAR *)buffer, &length);
        if (rc >= 0) {
            ((tn_string *)out->data)[row] = tn_string_make(buffer, (uint32_t)length);
            return 0;
        }
        if (rc != PCRE2_ERROR_NOMEMORY)
            return regex_error(rc, err);
        size = length;
    }
    return tn_error_oom(err);
}

static int regexp_replace_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    pcre2_code *owned = NULL;
    int status = 0;
    for (uint32_t i = 0; i < count && status == 0; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        bool global = false, caseless = false;
        if (call->arg_count > 3) {
            const tn_string *flags = STR(args[3], i);
            global = memchr(tn_string_data(flags), 'g', flags->length) != NULL;
            caseless = memchr(tn_string_data(flags), 'i', flags->length) != NULL;
        }
        pcre2_code *re = call->bind_data;
        if (caseless || re == NULL) {
            pcre2_code_free(owned);
            owned = compile(STR(args[1], i), caseless, err);
            re = owned;
        }
        if (re == NULL) {
            status = -1;
            break;
        }
        status = replace_row(re, STR(args[0], i), STR(args[2], i), global, out, i, err);
    }
    pcre2_code_free(owned);
    return status;
}

/* ---- flags, substring, regexp_match/count/like ---- */

/* PostgreSQL's regexp flags: i (caseless), c (case-sensitive), s, n, p,
 * w, x, and g where the function allows it. */
static int parse_flags(const tn_string *flags, const char *function, bool allow_global, bool *caseless,
                       bool *global, uint32_t *options, tn_error *err)
{
    const char *data = tn_string_data(flags);
    for (uint32_t k = 0; k < flags->length; k++) {
        switch (data[k]) {
        case 'i': *caseless = true; break;
        case 'c': *caseless = false; break;
        case 'g':
            if (!allow_global) {
                tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                             "%s() does not support the \"global\" option", function);
                if (strcmp(function, "regexp_match") == 0)
                    tn_error_hint(err, "Use the regexp_matches function instead.");
                return -1;
            }
            *global = true;
            break;
        case 'x': *options |= PCRE2_EXTENDED; break;
        case 'n': case 'p': case 'w': *options |= 0; break;
        case 's': break;
        default:
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                "invalid regular expression option: \"%.*s\"",
                                (int)(((unsigned char)data[k] & 0xC0) == 0xC0 ? 2 : 1), data + k);
        }
    }
    return 0;
}

/* PostgreSQL's similar_escape_internal: a SQL regular expression (SIMILAR
 * TO) as an anchored POSIX one; escape NULL means none. */
static char *similar_to_regex(tn_arena *arena, const tn_string *pattern, const tn_string *escape,
                              size_t *length, tn_error *err)
{
    const char *p = tn_string_data(pattern), *e = NULL;
    size_t elen = 0;
    if (escape != NULL) {
        e = tn_string_data(escape);
        elen = escape->length;
        size_t chars = 0;
        for (size_t k = 0; k < elen; k++)
            chars += ((unsigned char)e[k] & 0xC0) != 0x80;
        if (chars > 1) {
            tn_error_set(err, TN_ERR_INVALID_ESCAPE_SEQUENCE, 0, "invalid escape string");
            tn_error_hint(err, "Escape string must be empty or one character.");
            return NULL;
        }
        if (elen == 0)
            e = NULL;
    }
    char *r = tn_arena_alloc(arena, (size_t)pattern->length * 10 + 16);
    if (r == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    size_t used = 0;
    used += (size_t)sprintf(r, "^(?:");
    bool after_escape = false, in_class = false;
    int quotes = 0;
    for (size_t k = 0; k < pattern->length;) {
        size_t step = 1;
        while (k + step < pattern->length && ((unsigned char)p[k + step] & 0xC0) == 0x80)
            step++;
        char c = p[k];
        if (after_escape) {
            if (c == '"' && !in_class) {
                if (quotes > 1) {
                    tn_error_set(err, TN_ERR_INVALID_ESCAPE_SEQUENCE, 0,
                                 "SQL regular expression may not contain more than two "
                                 "escape-double-quote separators");
                    return NULL;
                }
                used += (size_t)sprintf(r + used, quotes == 0 ? "){1,1}?(" : "){1,1}(?:");
                quotes++;
            } else {
                r[used++] = '\\';
                memcpy(r + used, p + k, step);
                used += step;
            }
            after_escape = false;
        } else if (e != NULL && step == elen && memcmp(p + k, e, elen) == 0) {
            after_escape = true;
        } else if (in_class) {
            if (c == '\\')
                r[used++] = '\\';
            memcpy(r + used, p + k, step);
            used += step;
            if (c == ']')
                in_class = false;
        } else if (c == '[') {
            r[used++] = c;
            in_class = true;
        } else if (c == '%') {
            r[used++] = '.';
            r[used++] = '*';
        } else if (c == '_') {
            r[used++] = '.';
        } else if (c == '(') {
            used += (size_t)sprintf(r + used, "(?:");
        } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
            r[used++] = '\\';
            r[used++] = c;
        } else {
            memcpy(r + used, p + k, step);
            used += step;
        }
        k += step;
    }
    used += (size_t)sprintf(r + used, ")$");
    *length = used;
    return r;
}

static int similar_escape_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    tn_string backslash = tn_string_make("\\", 1);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(args[0], i) ||
            (call->arg_count > 1 && !tn_vector_is_valid(args[1], i))) {
            if (tn_vector_set_null(out, i) != 0)
                return tn_error_oom(err);
            continue;
        }
        size_t length;
        char *regex = similar_to_regex(out->arena, STR(args[0], i),
                                       call->arg_count > 1 ? STR(args[1], i) : &backslash, &length, err);
        if (regex == NULL)
            return -1;
        ((tn_string *)out->data)[i] = tn_string_make(regex, (uint32_t)length);
    }
    return 0;
}

/* substring(s from pattern): the first parenthesized group's match, or
 * the whole match when the pattern has no groups; NULL without a match. */
static int substring_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                            uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    pcre2_code *owned = NULL;
    int status = 0;
    for (uint32_t i = 0; i < count && status == 0; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        pcre2_code *re;
        if (call->arg_count == 3) {
            size_t length;
            char *regex = similar_to_regex(out->arena, STR(args[1], i), STR(args[2], i), &length, err);
            if (regex == NULL) {
                status = -1;
                break;
            }
            tn_string pattern = tn_string_make(regex, (uint32_t)length);
            pcre2_code_free(owned);
            re = owned = compile_with(&pattern, false, PCRE2_DOTALL, err);
        } else {
            re = pattern_of(call, args[1], i, false, &owned, err);
        }
        if (re == NULL) {
            status = -1;
            break;
        }
        const tn_string *s = STR(args[0], i);
        pcre2_match_data *local = pcre2_match_data_create_from_pattern(re, NULL);
        if (local == NULL) {
            status = tn_error_oom(err);
            break;
        }
        int found = pcre2_match(re, (PCRE2_SPTR)tn_string_data(s), s->length, 0, 0, local, NULL);
        uint32_t groups = 0;
        pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
        PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(local);
        int group = groups > 0 ? 1 : 0;
        if (found < 0 && found != PCRE2_ERROR_NOMATCH) {
            status = regex_error(found, err);
        } else if (found < 0 || (group == 1 && (found < 2 || ovector[2] == PCRE2_UNSET))) {
            if (tn_vector_set_null(out, i) != 0)
                status = tn_error_oom(err);
        } else {
            const char *data = tn_string_data(s);
            size_t from = ovector[2 * group], to = ovector[2 * group + 1];
            char *text = tn_arena_alloc(out->arena, to - from + 1);
            if (text == NULL)
                status = tn_error_oom(err);
            else {
                memcpy(text, data + from, to - from);
                ((tn_string *)out->data)[i] = tn_string_make(text, (uint32_t)(to - from));
            }
        }
        pcre2_match_data_free(local);
    }
    pcre2_code_free(owned);
    return status;
}

/* An array element as PostgreSQL's array_out writes it. */
static size_t array_element(const char *data, size_t length, bool is_null, char *out)
{
    if (is_null)
        return (size_t)sprintf(out, "NULL");
    bool quote = length == 0 || (length == 4 && strncasecmp(data, "null", 4) == 0);
    for (size_t k = 0; k < length && !quote; k++)
        quote = strchr("{},\"\\ \t\n\r\v\f", data[k]) != NULL;
    size_t used = 0;
    if (quote)
        out[used++] = '"';
    for (size_t k = 0; k < length; k++) {
        if (quote && (data[k] == '"' || data[k] == '\\'))
            out[used++] = '\\';
        out[used++] = data[k];
    }
    if (quote)
        out[used++] = '"';
    return used;
}

/* regexp_match / regexp_count / regexp_like share one loop. */
enum { RE_MATCH, RE_COUNT, RE_LIKE };

static int regexp_rows(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out, int mode,
                       tn_error *err)
{
    static const char *const names[] = {"regexp_match", "regexp_count", "regexp_like"};
    pcre2_code *owned = NULL;
    int status = 0;
    int flags_arg = mode == RE_COUNT ? 3 : 2;
    for (uint32_t i = 0; i < count && status == 0; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        bool caseless = false, global = false;
        uint32_t options = 0;
        if (call->arg_count > flags_arg &&
            parse_flags(STR(args[flags_arg], i), names[mode], false, &caseless,
                        &global, &options, err) != 0) {
            status = -1;
            break;
        }
        pcre2_code *re = call->bind_data;
        if (re == NULL || caseless || options != 0) {
            pcre2_code_free(owned);
            re = owned = compile_with(STR(args[1], i), caseless, options, err);
        }
        pcre2_match_data *match = re != NULL ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
        if (match == NULL) {
            status = re == NULL ? -1 : tn_error_oom(err);
            break;
        }
        const tn_string *s = STR(args[0], i);
        const char *data = tn_string_data(s);
        PCRE2_SIZE offset = 0;
        if (mode == RE_COUNT && call->arg_count > 2) {
            int32_t start = ((const int32_t *)args[2]->data)[args[2]->is_constant ? 0 : i];
            if (start <= 0) {
                pcre2_match_data_free(match);
                status = tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                      "invalid value for parameter \"%s\": %d", "start", start);
                break;
            }
            for (int32_t k = 1; k < start && offset < s->length; k++) {
                offset++;
                while (offset < s->length && ((unsigned char)data[offset] & 0xC0) == 0x80)
                    offset++;
            }
        }
        int found = pcre2_match(re, (PCRE2_SPTR)data, s->length, offset, 0, match, NULL);
        PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(match);
        if (found < 0 && found != PCRE2_ERROR_NOMATCH) {
            status = regex_error(found, err);
        } else if (mode == RE_LIKE) {
            ((uint8_t *)out->data)[i] = found >= 0;
        } else if (mode == RE_COUNT) {
            int32_t matches = 0;
            while (found >= 0) {
                matches++;
                PCRE2_SIZE next = ovector[1] > ovector[0] ? ovector[1] : ovector[1] + 1;
                if (next > s->length)
                    break;
                found = pcre2_match(re, (PCRE2_SPTR)data, s->length, next, 0, match, NULL);
            }
            ((int32_t *)out->data)[i] = matches;
        } else if (found < 0) {
            if (tn_vector_set_null(out, i) != 0)
                status = tn_error_oom(err);
        } else {
            uint32_t groups = 0;
            pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
            char *text = tn_arena_alloc(out->arena, (size_t)s->length * 2 * (groups + 1) + 8 * (groups + 1) + 2);
            if (text == NULL) {
                status = tn_error_oom(err);
            } else {
                size_t used = 0;
                text[used++] = '{';
                uint32_t first = groups > 0 ? 1 : 0;
                for (uint32_t g = first; g <= groups; g++) {
                    if (g > first)
                        text[used++] = ',';
                    bool unset = (int)g >= found || ovector[2 * g] == PCRE2_UNSET;
                    used += array_element(unset ? "" : data + ovector[2 * g],
                                          unset ? 0 : ovector[2 * g + 1] - ovector[2 * g], unset, text + used);
                }
                text[used++] = '}';
                ((tn_string *)out->data)[i] = tn_string_make(text, (uint32_t)used);
            }
        }
        pcre2_match_data_free(match);
    }
    pcre2_code_free(owned);
    return status;
}

#define REGEXP_KERNEL(NAME, MODE)                                                                  \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        return regexp_rows(call, args, count, out, MODE, err);                                     \
    }
REGEXP_KERNEL(regexp_match_kernel, RE_MATCH)
REGEXP_KERNEL(regexp_count_kernel, RE_COUNT)
REGEXP_KERNEL(regexp_like_kernel, RE_LIKE)

static const tn_scalar_function functions[] = {
    TN_FN2("~", TEXT, TEXT, BOOL, match_kernel, bind_case_sensitive),
    TN_FN2("!~", TEXT, TEXT, BOOL, not_match_kernel, bind_case_sensitive),
    TN_FN2("~*", TEXT, TEXT, BOOL, imatch_kernel, bind_caseless),
    TN_FN2("!~*", TEXT, TEXT, BOOL, not_imatch_kernel, bind_caseless),
    TN_FN3("regexp_replace", TEXT, TEXT, TEXT, TEXT, regexp_replace_kernel, bind_case_sensitive),
    {"regexp_replace", 4, {TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_TEXT}, TN_TYPE_TEXT,
     TN_IMMUTABLE, true, regexp_replace_kernel, bind_case_sensitive},
    TN_FN2("substring", TEXT, TEXT, TEXT, substring_kernel, bind_case_sensitive),
    TN_FN3("substring", TEXT, TEXT, TEXT, TEXT, substring_kernel, NULL),
    {"similar_to_escape", 1, {TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_IMMUTABLE, true, similar_escape_kernel, NULL},
    {"similar_to_escape", 2, {TN_TYPE_TEXT, TN_TYPE_TEXT}, TN_TYPE_TEXT, TN_IMMUTABLE, false,
     similar_escape_kernel, NULL},
    /* text[] results are returned as their text output ("{bar}"): tarn has no arrays */
    TN_FN2("regexp_match", TEXT, TEXT, TEXT, regexp_match_kernel, bind_case_sensitive),
    TN_FN3("regexp_match", TEXT, TEXT, TEXT, TEXT, regexp_match_kernel, bind_case_sensitive),
    TN_FN2("regexp_count", TEXT, TEXT, INT32, regexp_count_kernel, bind_case_sensitive),
    TN_FN3("regexp_count", TEXT, TEXT, INT32, INT32, regexp_count_kernel, bind_case_sensitive),
    {"regexp_count", 4, {TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_INT32, TN_TYPE_TEXT}, TN_TYPE_INT32,
     TN_IMMUTABLE, true, regexp_count_kernel, bind_case_sensitive},
    TN_FN2("regexp_like", TEXT, TEXT, BOOL, regexp_like_kernel, bind_case_sensitive),
    TN_FN3("regexp_like", TEXT, TEXT, TEXT, BOOL, regexp_like_kernel, bind_case_sensitive),
};

const tn_function_list tn_func_regex_list = {functions, sizeof functions / sizeof functions[0]};
