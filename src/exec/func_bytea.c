/*
 * Binary string functions: length, octet_length, substr/substring, btrim,
 * ltrim and rtrim with a byte set, position, ||, md5, encode/decode,
 * get_byte/set_byte, with PostgreSQL's results and messages.  Values are
 * raw bytes in tn_string views (types/bytea.h has their text forms); the
 * comparison operators are func_compare.c's text ones, which are bytewise.
 */
#include "exec/exec_int.h"

#include <openssl/evp.h>
#include <string.h>

#include "types/bytea.h"

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])

static int store(tn_vector *out, uint32_t row, const char *data, size_t length, tn_error *err)
{
    return tn_vector_set_string(out, row, data, (uint32_t)length) == 0 ? 0 : tn_error_oom(err);
}

TN_ROW_KERNEL1(length_kernel, tn_string, int32_t, { r[i] = (int32_t)x.length; })

/* PostgreSQL's bytea_substring: bytes [start, start + length), counted
 * from 1, with start before 1 eating into the length. */
static int substring_of(const tn_string *s, int64_t start, int64_t length, tn_vector *out, uint32_t row,
                        tn_error *err)
{
    int64_t end = length < 0 ? INT64_MAX : start + length;
    if (start < 1)
        start = 1;
    if (end <= start || start > (int64_t)s->length)
        return store(out, row, "", 0, err);
    int64_t stop = end - 1 > (int64_t)s->length ? (int64_t)s->length : end - 1;
    return store(out, row, tn_string_data(s) + start - 1, (size_t)(stop - start + 1), err);
}

TN_ROW_KERNEL2(substring2_kernel, tn_string, int32_t, tn_string,
               { if (substring_of(&x, y, -1, out, i, err) != 0) return -1; })

static int substring3_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args, uint32_t count,
                             tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    const int32_t *starts = args[1]->data, *lengths = args[2]->data;
    uint32_t s1 = tn_stride(args[1]), s2 = tn_stride(args[2]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (lengths[i * s2] < 0)
            return tn_error_set(err, TN_ERR_SUBSTRING_ERROR, 0, "negative substring length not allowed");
        if (substring_of(STR(args[0], i), starts[i * s1], lengths[i * s2], out, i, err) != 0)
            return -1;
    }
    return 0;
}

/* Trims the bytes of set from the chosen ends of s. */
static int trim_bytes(const tn_string *s, const tn_string *set, bool leading, bool trailing, tn_vector *out,
                      uint32_t row, tn_error *err)
{
    const char *data = tn_string_data(s), *chars = tn_string_data(set);
    size_t from = 0, to = s->length;
    while (leading && from < to && memchr(chars, data[from], set->length) != NULL)
        from++;
    while (trailing && to > from && memchr(chars, data[to - 1], set->length) != NULL)
        to--;
    return store(out, row, data + from, to - from, err);
}

TN_ROW_KERNEL2(btrim_kernel, tn_string, tn_string, tn_string,
               { if (trim_bytes(&x, &y, true, true, out, i, err) != 0) return -1; })
TN_ROW_KERNEL2(ltrim_kernel, tn_string, tn_string, tn_string,
               { if (trim_bytes(&x, &y, true, false, out, i, err) != 0) return -1; })
TN_ROW_KERNEL2(rtrim_kernel, tn_string, tn_string, tn_string,
               { if (trim_bytes(&x, &y, false, true, out, i, err) != 0) return -1; })

TN_ROW_KERNEL2(position_kernel, tn_string, tn_string, int32_t, {
    const char *data = tn_string_data(&x);
    const char *found = y.length == 0 ? data : memmem(data, x.length, tn_string_data(&y), y.length);
    r[i] = found != NULL ? (int32_t)(found - data) + 1 : 0;
})

TN_ROW_KERNEL2(concat_kernel, tn_string, tn_string, tn_string, {
    char *bytes = tn_arena_alloc(out->arena, (size_t)x.length + y.length + 1);
    if (bytes == NULL)
        return tn_error_oom(err);
    memcpy(bytes, tn_string_data(&x), x.length);
    memcpy(bytes + x.length, tn_string_data(&y), y.length);
    ((tn_string *)out->data)[i] = tn_string_make(bytes, x.length + y.length);
})

TN_ROW_KERNEL1(md5_kernel, tn_string, tn_string, {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(tn_string_data(&x), x.length, digest, &length, EVP_md5(), NULL) != 1)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "could not compute MD5 hash");
    tn_string hex;
    if (tn_bytea_encode(TN_BYTEA_HEX, (const char *)digest, length, out->arena, &hex, err) != 0)
        return -1;
    ((tn_string *)out->data)[i] = hex;
})

/* encode(bytes, format) and decode(text, format); the format is parsed
 * once when it is a constant. */
static int code_rows(tn_vector **args, uint32_t count, tn_vector *out, bool is_encode, tn_error *err)
{
    tn_bytea_format format = TN_BYTEA_HEX;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (i == 0 || !args[1]->is_constant) {
            const tn_string *name = STR(args[1], i);
            if (tn_bytea_format_lookup(tn_string_data(name), name->length, &format, err) != 0)
                return -1;
        }
        const tn_string *in = STR(args[0], i);
        tn_string *result = &((tn_string *)out->data)[i];
        if ((is_encode ? tn_bytea_encode(format, tn_string_data(in), in->length, out->arena, result, err)
                       : tn_bytea_decode(format, tn_string_data(in), in->length, out->arena, result, err)) != 0)
            return -1;
    }
    return 0;
}

static int encode_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args, uint32_t count,
                         tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return code_rows(args, count, out, true, err);
}

static int decode_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args, uint32_t count,
                         tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return code_rows(args, count, out, false, err);
}

static int check_index(const tn_string *s, int32_t n, tn_error *err)
{
    if (n >= 0 && (uint32_t)n < s->length)
        return 0;
    return tn_error_set(err, TN_ERR_ARRAY_SUBSCRIPT_ERROR, 0, "index %d out of valid range, 0..%d", n,
                        (int)s->length - 1);
}

TN_ROW_KERNEL2(get_byte_kernel, tn_string, int32_t, int32_t, {
    if (check_index(&x, y, err) != 0)
        return -1;
    r[i] = (unsigned char)tn_string_data(&x)[y];
})

static int set_byte_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args, uint32_t count,
                           tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i);
        int32_t n = *(const int32_t *)tn_vector_row_ptr(args[1], i);
        int32_t value = *(const int32_t *)tn_vector_row_ptr(args[2], i);
        if (check_index(s, n, err) != 0)
            return -1;
        char *bytes = tn_arena_alloc(out->arena, s->length);
        if (bytes == NULL)
            return tn_error_oom(err);
        memcpy(bytes, tn_string_data(s), s->length);
        bytes[n] = (char)value;
        ((tn_string *)out->data)[i] = tn_string_make(bytes, s->length);
    }
    return 0;
}

static const tn_scalar_function functions[] = {
    TN_FN1("length", BYTEA, INT32, length_kernel, NULL),
    TN_FN1("octet_length", BYTEA, INT32, length_kernel, NULL),
    TN_FN2("substring", BYTEA, INT32, BYTEA, substring2_kernel, NULL),
    TN_FN3("substring", BYTEA, INT32, INT32, BYTEA, substring3_kernel, NULL),
    TN_FN2("substr", BYTEA, INT32, BYTEA, substring2_kernel, NULL),
    TN_FN3("substr", BYTEA, INT32, INT32, BYTEA, substring3_kernel, NULL),
    TN_FN2("btrim", BYTEA, BYTEA, BYTEA, btrim_kernel, NULL),
    TN_FN2("trim", BYTEA, BYTEA, BYTEA, btrim_kernel, NULL),
    TN_FN2("ltrim", BYTEA, BYTEA, BYTEA, ltrim_kernel, NULL),
    TN_FN2("rtrim", BYTEA, BYTEA, BYTEA, rtrim_kernel, NULL),
    TN_FN2("position", BYTEA, BYTEA, INT32, position_kernel, NULL),
    TN_FN2("||", BYTEA, BYTEA, BYTEA, concat_kernel, NULL),
    TN_FN1("md5", BYTEA, TEXT, md5_kernel, NULL),
    TN_FN2("encode", BYTEA, TEXT, TEXT, encode_kernel, NULL),
    TN_FN2("decode", TEXT, TEXT, BYTEA, decode_kernel, NULL),
    TN_FN2("get_byte", BYTEA, INT32, INT32, get_byte_kernel, NULL),
    TN_FN3("set_byte", BYTEA, INT32, INT32, BYTEA, set_byte_kernel, NULL),
};

const tn_function_list tn_func_bytea_list = {functions, sizeof functions / sizeof functions[0]};
