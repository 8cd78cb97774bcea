/*
 * BYTEA text forms (see bytea.h), after PostgreSQL's byteain/byteaout and
 * encode.c: the same formats, the same error texts.
 */
#include "types/bytea.h"

#include <string.h>
#include <strings.h>

static const char hex_digits[] = "0123456789abcdef";
static const char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the UTF-8 character at text (at least 1), for messages
 * that quote one bad character. */
static int char_length(const char *text, size_t left)
{
    unsigned char c = (unsigned char)text[0];
    int n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    return (size_t)n <= left ? n : (int)left;
}

static int decode_hex(const char *text, size_t length, tn_arena *arena, tn_string *out, tn_error *err)
{
    char *bytes = tn_arena_alloc(arena, length / 2 + 1);
    if (bytes == NULL)
        return tn_error_oom(err);
    size_t n = 0;
    for (size_t i = 0; i < length;) {
        if (is_space(text[i])) {
            i++;
            continue;
        }
        int high = hex_value(text[i]);
        if (high < 0)
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid hexadecimal digit: \"%.*s\"",
                                char_length(text + i, length - i), text + i);
        if (i + 1 >= length)
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                "invalid hexadecimal data: odd number of digits");
        int low = hex_value(text[i + 1]);
        if (low < 0)
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid hexadecimal digit: \"%.*s\"",
                                char_length(text + i + 1, length - i - 1), text + i + 1);
        bytes[n++] = (char)(high << 4 | low);
        i += 2;
    }
    *out = tn_string_make(bytes, (uint32_t)n);
    return 0;
}

static bool is_octal(char c, char high)
{
    return c >= '0' && c <= high;
}

/* The escape format: \\ is a backslash, \ooo (first digit 0-3) a byte. */
static int decode_escape(const char *text, size_t length, tn_arena *arena, tn_string *out, tn_error *err)
{
    char *bytes = tn_arena_alloc(arena, length + 1);
    if (bytes == NULL)
        return tn_error_oom(err);
    size_t n = 0;
    for (size_t i = 0; i < length;) {
        if (text[i] != '\\') {
            bytes[n++] = text[i++];
        } else if (i + 1 < length && text[i + 1] == '\\') {
            bytes[n++] = '\\';
            i += 2;
        } else if (i + 3 < length && is_octal(text[i + 1], '3') && is_octal(text[i + 2], '7') &&
                   is_octal(text[i + 3], '7')) {
            bytes[n++] = (char)((text[i + 1] - '0') << 6 | (text[i + 2] - '0') << 3 | (text[i + 3] - '0'));
            i += 4;
        } else {
            return tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0,
                                "invalid input syntax for type bytea");
        }
    }
    *out = tn_string_make(bytes, (uint32_t)n);
    return 0;
}

int tn_bytea_parse(const char *text, size_t length, tn_arena *arena, tn_string *out, tn_error *err)
{
    if (length >= 2 && text[0] == '\\' && text[1] == 'x')
        return decode_hex(text + 2, length - 2, arena, out, err);
    return decode_escape(text, length, arena, out, err);
}

size_t tn_bytea_hex_into(const char *data, size_t length, char *buf)
{
    buf[0] = '\\';
    buf[1] = 'x';
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)data[i];
        buf[2 + 2 * i] = hex_digits[c >> 4];
        buf[3 + 2 * i] = hex_digits[c & 15];
    }
    return 2 + 2 * length;
}

int tn_bytea_format_hex(const char *data, size_t length, tn_arena *arena, tn_string *out, tn_error *err)
{
    if (length > (UINT32_MAX - 2) / 2)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "result of bytea output too large");
    char *buf = tn_arena_alloc(arena, 2 + 2 * length);
    if (buf == NULL)
        return tn_error_oom(err);
    *out = tn_string_make(buf, (uint32_t)tn_bytea_hex_into(data, length, buf));
    return 0;
}

int tn_bytea_format_lookup(const char *name, size_t length, tn_bytea_format *out, tn_error *err)
{
    static const struct {
        const char *name;
        tn_bytea_format format;
    } names[] = {{"hex", TN_BYTEA_HEX}, {"base64", TN_BYTEA_BASE64}, {"escape", TN_BYTEA_ESCAPE}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == length && strncasecmp(names[i].name, name, length) == 0) {
            *out = names[i].format;
            return 0;
        }
    }
    return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "unrecognized encoding: \"%.*s\"", (int)length,
                        name);
}

/* PostgreSQL's pg_base64_encode: a newline after every 76 characters. */
static size_t encode_base64(const unsigned char *data, size_t length, char *out)
{
    char *p = out, *line_end = out + 76;
    uint32_t buf = 0;
    int pos = 2;
    for (size_t i = 0; i < length; i++) {
        buf |= (uint32_t)data[i] << (pos << 3);
        if (--pos < 0) {
            *p++ = base64_digits[(buf >> 18) & 0x3f];
            *p++ = base64_digits[(buf >> 12) & 0x3f];
            *p++ = base64_digits[(buf >> 6) & 0x3f];
            *p++ = base64_digits[buf & 0x3f];
            pos = 2;
            buf = 0;
        }
        if (p >= line_end) {
            *p++ = '\n';
            line_end = p + 76;
        }
    }
    if (pos != 2) {
        *p++ = base64_digits[(buf >> 18) & 0x3f];
        *p++ = base64_digits[(buf >> 12) & 0x3f];
        *p++ = pos == 0 ? base64_digits[(buf >> 6) & 0x3f] : '=';
        *p++ = '=';
    }
    return (size_t)(p - out);
}

static size_t encode_escape(const unsigned char *data, size_t length, char *out)
{
    char *p = out;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = data[i];
        if (c == 0 || c >= 0x80) {
            *p++ = '\\';
            *p++ = (char)('0' + (c >> 6));
            *p++ = (char)('0' + ((c >> 3) & 7));
            *p++ = (char)('0' + (c & 7));
        } else if (c == '\\') {
            *p++ = '\\';
            *p++ = '\\';
        } else {
            *p++ = (char)c;
        }
    }
    return (size_t)(p - out);
}

int tn_bytea_encode(tn_bytea_format format, const char *data, size_t length, tn_arena *arena, tn_string *out,
                    tn_error *err)
{
    if (length > UINT32_MAX / 4 - 2)
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "result of encoding conversion is too large");
    /* base64: 4 per 3 bytes plus a newline per 76; escape: at most 4 a byte */
    char *buf = tn_arena_alloc(arena, 4 * length + 8);
    if (buf == NULL)
        return tn_error_oom(err);
    size_t n;
    switch (format) {
    case TN_BYTEA_HEX: n = tn_bytea_hex_into(data, length, buf) - 2; memmove(buf, buf + 2, n); break;
    case TN_BYTEA_BASE64: n = encode_base64((const unsigned char *)data, length, buf); break;
    default: n = encode_escape((const unsigned char *)data, length, buf); break;
    }
    *out = tn_string_make(buf, (uint32_t)n);
    return 0;
}

static int base64_value(char c)
{
    const char *at = c != '\0' ? strchr(base64_digits, c) : NULL;
    return at != NULL ? (int)(at - base64_digits) : -1;
}

/* PostgreSQL's pg_base64_decode: whitespace skipped; after '=' padding
 * further symbols are read but add no bytes. */
static int decode_base64(const char *text, size_t length, tn_arena *arena, tn_string *out, tn_error *err)
{
    char *bytes = tn_arena_alloc(arena, length / 4 * 3 + 3);
    if (bytes == NULL)
        return tn_error_oom(err);
    size_t n = 0;
    uint32_t buf = 0;
    int pos = 0, end = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (is_space(c))
            continue;
        int value;
        if (c == '=') {
            if (end == 0) {
                if (pos == 2)
                    end = 1;
                else if (pos == 3)
                    end = 2;
                else
                    goto bad_end;
            }
            value = 0;
        } else {
            value = base64_value(c);
            if (value < 0)
                return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0,
                                    "invalid symbol \"%.*s\" found while decoding base64 sequence",
                                    char_length(text + i, length - i), text + i);
        }
        buf = buf << 6 | (uint32_t)value;
        if (++pos == 4) {
            bytes[n++] = (char)(buf >> 16);
            if (end == 0 || end > 1)
                bytes[n++] = (char)(buf >> 8);
            if (end == 0 || end > 2)
                bytes[n++] = (char)buf;
            buf = 0;
            pos = 0;
        }
    }
    if (pos != 0)
        goto bad_end;
    *out = tn_string_make(bytes, (uint32_t)n);
    return 0;
bad_end:
    tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "invalid base64 end sequence");
    tn_error_hint(err, "Input data is missing padding, is truncated, or is otherwise corrupted.");
    return -1;
}

int tn_bytea_decode(tn_bytea_format format, const char *text, size_t length, tn_arena *arena, tn_string *out,
                    tn_error *err)
{
    switch (format) {
    case TN_BYTEA_HEX: return decode_hex(text, length, arena, out, err);
    case TN_BYTEA_BASE64: return decode_base64(text, length, arena, out, err);
    default: return decode_escape(text, length, arena, out, err);
    }
}

int tn_bytea_cast(const tn_value *in, tn_type to, tn_arena *arena, tn_value *out, tn_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = to;
    const tn_string *s = &in->u.string;
    if (in->type.id == TN_TYPE_TEXT && to.id == TN_TYPE_BYTEA)
        return tn_bytea_parse(tn_string_data(s), s->length, arena, &out->u.string, err);
    if (in->type.id == TN_TYPE_BYTEA && to.id == TN_TYPE_TEXT)
        return tn_bytea_format_hex(tn_string_data(s), s->length, arena, &out->u.string, err);
    if (in->type.id == TN_TYPE_BYTEA && to.id == TN_TYPE_BYTEA) {
        out->u.string = *s;
        return 0;
    }
    char from_name[64], to_name[64];
    return tn_error_set(err, TN_ERR_CANNOT_COERCE, 0, "cannot cast type %s to %s",
                        tn_type_name(in->type, from_name, sizeof from_name), tn_type_name(to, to_name, sizeof to_name));
}
