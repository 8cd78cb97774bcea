/*
 * tn_error helpers.  Allocation failures while building an error message
 * degrade to a static message rather than losing the SQLSTATE.
 */
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sqlstate_codes[] = {
#define TN_SQLSTATE(name, code, text) code,
#include "common/sqlstate.def"
#undef TN_SQLSTATE
};

static const char *const sqlstate_names[] = {
#define TN_SQLSTATE(name, code, text) text,
#include "common/sqlstate.def"
#undef TN_SQLSTATE
};

static char *format_message(const char *fmt, va_list ap);

const char *tn_sqlstate_code(tn_sqlstate state)
{
    return (unsigned)state < TN_ERR__COUNT ? sqlstate_codes[state] : "XX000";
}

const char *tn_sqlstate_name(tn_sqlstate state)
{
    return (unsigned)state < TN_ERR__COUNT ? sqlstate_names[state] : "internal_error";
}

void tn_error_clear(tn_error *err)
{
    if (err == NULL)
        return;
    free(err->message);
    free(err->detail);
    free(err->hint);
    memcpy(err->sqlstate, "00000", 6);
    err->position = 0;
    err->message = err->detail = err->hint = NULL;
}

bool tn_error_is_set(const tn_error *err)
{
    return err != NULL && strcmp(err->sqlstate, "00000") != 0;
}

bool tn_error_is(const tn_error *err, tn_sqlstate state)
{
    return err != NULL && strcmp(err->sqlstate, tn_sqlstate_code(state)) == 0;
}

static char *format_message(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int length = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (length < 0)
        return NULL;
    char *text = malloc((size_t)length + 1);
    if (text != NULL)
        vsnprintf(text, (size_t)length + 1, fmt, ap);
    return text;
}

int tn_error_set(tn_error *err, tn_sqlstate state, int position, const char *fmt, ...)
{
    if (err == NULL || tn_error_is_set(err))
        return -1;
    memcpy(err->sqlstate, tn_sqlstate_code(state), 6);
    err->position = position;
    va_list ap;
    va_start(ap, fmt);
    err->message = format_message(fmt, ap);
    va_end(ap);
    return -1;
}

int tn_error_oom(tn_error *err)
{
    return tn_error_set(err, TN_ERR_OUT_OF_MEMORY, 0, "out of memory");
}

void tn_error_detail(tn_error *err, const char *fmt, ...)
{
    if (err == NULL || err->detail != NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    err->detail = format_message(fmt, ap);
    va_end(ap);
}

void tn_error_hint(tn_error *err, const char *fmt, ...)
{
    if (err == NULL || err->hint != NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    err->hint = format_message(fmt, ap);
    va_end(ap);
}

void tn_error_prefix(tn_error *err, const char *fmt, ...)
{
    if (err == NULL || err->message == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *prefix = format_message(fmt, ap);
    va_end(ap);
    if (prefix == NULL)
        return;
    size_t size = strlen(prefix) + strlen(err->message) + 3;
    char *joined = malloc(size);
    if (joined != NULL) {
        snprintf(joined, size, "%s: %s", prefix, err->message);
        free(err->message);
        err->message = joined;
    }
    free(prefix);
}

void tn_error_move(tn_error *dst, tn_error *src)
{
    tn_error_clear(dst);
    *dst = *src;
    memcpy(src->sqlstate, "00000", 6);
    src->position = 0;
    src->message = src->detail = src->hint = NULL;
}
