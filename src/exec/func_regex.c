/*
 * Regular expressions through PCRE2: the operators ~ ~* !~ !~* and
 * regexp_replace(source, pattern, replacement [, flags]).  PostgreSQL's
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

static pcre2_code *compile(const tn_string *pattern, bool caseless, tn_error *err)
{
    int code;
    PCRE2_SIZE offset;
    uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)tn_string_data(pattern), pattern->length, options,
                                   &code, &offset, NULL);
    if (re == NULL)
        regex_error(code, err);
    return re;
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

static const tn_scalar_function functions[] = {
    TN_FN2("~", TEXT, TEXT, BOOL, match_kernel, bind_case_sensitive),
    TN_FN2("!~", TEXT, TEXT, BOOL, not_match_kernel, bind_case_sensitive),
    TN_FN2("~*", TEXT, TEXT, BOOL, imatch_kernel, bind_caseless),
    TN_FN2("!~*", TEXT, TEXT, BOOL, not_imatch_kernel, bind_caseless),
    TN_FN3("regexp_replace", TEXT, TEXT, TEXT, TEXT, regexp_replace_kernel, bind_case_sensitive),
    {"regexp_replace", 4, {TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_TEXT}, TN_TYPE_TEXT,
     TN_IMMUTABLE, true, regexp_replace_kernel, bind_case_sensitive},
};

const tn_function_list tn_func_regex_list = {functions, sizeof functions / sizeof functions[0]};
