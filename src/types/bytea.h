/*
 * BYTEA, PostgreSQL's binary strings: values are raw bytes in a tn_string
 * (types.h), ordered bytewise like TEXT in the C collation.  This file is
 * their text forms: input in the hex format ('\x0a1b', whitespace allowed
 * between digit pairs) or the escape format ('ab\000\\'), output in the hex
 * format (bytea_output = hex), the encode/decode formats hex, base64 and
 * escape, and the casts text <-> bytea that cast.c hands over here because
 * both directions need an arena for their bytes.
 */
#ifndef TN_TYPES_BYTEA_H
#define TN_TYPES_BYTEA_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "types/types.h"

typedef enum tn_bytea_format {
    TN_BYTEA_HEX,
    TN_BYTEA_BASE64,
    TN_BYTEA_ESCAPE,
} tn_bytea_format;

/* Input: hex when the text starts with \x, else the escape format.
 * 22P02 'invalid input syntax for type bytea', 22023 'invalid hexadecimal
 * digit: "g"' / 'invalid hexadecimal data: odd number of digits'. */
int tn_bytea_parse(const char *text, size_t length, tn_arena *arena, tn_string *out, tn_error *err);

/* Output: "\x" and two lower-case hex digits a byte, in arena. */
int tn_bytea_format_hex(const char *data, size_t length, tn_arena *arena, tn_string *out,
                        tn_error *err);
/* The same into buf, which holds at least 2 + 2 * length bytes; returns
 * the length written (no NUL). */
size_t tn_bytea_hex_into(const char *data, size_t length, char *buf);

/* encode()/decode() format names ("hex", "base64", "escape"): 22023
 * 'unrecognized encoding: "x"'. */
int tn_bytea_format_lookup(const char *name, size_t length, tn_bytea_format *out, tn_error *err);
/* encode(bytes, format): text in arena (base64 breaks lines every 76
 * characters, as PostgreSQL's). */
int tn_bytea_encode(tn_bytea_format format, const char *data, size_t length, tn_arena *arena,
                    tn_string *out, tn_error *err);
/* decode(text, format): bytes in arena; PostgreSQL's messages for bad
 * digits, base64 symbols and escapes. */
int tn_bytea_decode(tn_bytea_format format, const char *text, size_t length, tn_arena *arena,
                    tn_string *out, tn_error *err);

/* Casts text (or unknown) -> bytea (the input format) and bytea -> text
 * (the hex output).  Other pairs give 42846. */
int tn_bytea_cast(const tn_value *in, tn_type to, tn_arena *arena, tn_value *out, tn_error *err);

#endif
