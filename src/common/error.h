/*
 * Errors: one struct (tn_error, in tarn.h), a SQLSTATE from sqlstate.def,
 * no exits.  Library functions return -1 or NULL and fill the caller's
 * tn_error; tn_error_set returns -1 so that a failure reads as one line:
 *
 *     return tn_error_set(err, TN_ERR_UNDEFINED_TABLE, location,
 *                         "relation \"%s\" does not exist", name);
 *
 * Texts are malloc'd because an error outlives the arena of the statement
 * that raised it.  Setting an error on a tn_error that already holds one
 * keeps the first: the root cause is what the user needs to see.
 */
#ifndef TN_COMMON_ERROR_H
#define TN_COMMON_ERROR_H

#include "tarn.h"

typedef enum tn_sqlstate {
#define TN_SQLSTATE(name, code, text) TN_ERR_##name,
#include "common/sqlstate.def"
#undef TN_SQLSTATE
    TN_ERR__COUNT
} tn_sqlstate;

/* The five-character code of state ("42P01"). */
const char *tn_sqlstate_code(tn_sqlstate state);
/* PostgreSQL's condition name of state ("undefined_table"). */
const char *tn_sqlstate_name(tn_sqlstate state);

/* Fills err (unless it already holds an error) and returns -1.  position is
 * the 1-based offset into the SQL text, 0 when there is none. */
int tn_error_set(tn_error *err, tn_sqlstate state, int position, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds a detail / hint to the error err holds. */
void tn_error_detail(tn_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tn_error_hint(tn_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets 53200 "out of memory" and returns -1. */
int tn_error_oom(tn_error *err);
/* True when err holds exactly state. */
bool tn_error_is(const tn_error *err, tn_sqlstate state);
/* Moves src into dst (clearing dst first); src is left clear. */
void tn_error_move(tn_error *dst, tn_error *src);
/* Prefixes the message of err with "<prefix>: " (context such as a file name). */
void tn_error_prefix(tn_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
