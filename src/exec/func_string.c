/*
 * String functions and LIKE.  Text is UTF-8; lengths and positions count
 * characters as PostgreSQL does, case mapping goes through utf8proc (with
 * an ASCII fast path).  Results are built directly in the output vector's
 * arena.  LIKE follows PostgreSQL's MatchText: '%' any run, '_' one
 * character, backslash escapes (another escape character is rewritten to a
 * backslash by like_escape, which is how PostgreSQL binds LIKE ... ESCAPE).
 */
#include "exec/exec_int.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <string.h>
#include <utf8proc.h>

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])

static int oom(tn_error *err)
{
    return tn_error_oom(err);
}

/* Stores bytes (already in out's arena, or short) as row i of out. */
static void store(tn_vector *out, uint32_t row, const char *data, size_t length)
{
    ((tn_string *)out->data)[row] = tn_string_make(data, (uint32_t)length);
}

static size_t utf8_char_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0)
        return 2;
    if ((lead & 0xF0) == 0xE0)
        return 3;
    if ((lead & 0xF8) == 0xF0)
        return 4;
    return 1;
}

static size_t char_count(const char *data, size_t length)
{
    size_t count = 0;
    for (size_t i = 0; i < length; i++)
        count += ((unsigned char)data[i] & 0xC0) != 0x80;
    return count;
}

/* Byte offset of character index chars (clamped to length). */
static size_t char_offset(const char *data, size_t length, int64_t chars)
{
    size_t offset = 0;
    while (chars > 0 && offset < length) {
        offset += utf8_char_length((unsigned char)data[offset]);
        chars--;
    }
    return offset < length ? offset : length;
}

/* ---- case mapping ---- */

/* Maps text to lower (or upper) case into arena; NULL when out of memory. */
static char *map_case(tn_arena *arena, const char *data, size_t length, bool upper, size_t *out_length)
{
    char *result = tn_arena_alloc(arena, length * 4 + 1);
    if (result == NULL)
        return NULL;
    size_t used = 0, i = 0;
    while (i < length) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x80) {
            result[used++] = (char)(upper ? toupper(c) : tolower(c));
            i++;
            continue;
        }
        utf8proc_int32_t codepoint;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)data + i,
                                                 (utf8proc_ssize_t)(length - i), &codepoint);
        if (step <= 0) { /* invalid UTF-8 passes through byte by byte */
            result[used++] = (char)c;
            i++;
            continue;
        }
        codepoint = upper ? utf8proc_toupper(codepoint) : utf8proc_tolower(codepoint);
        used += (size_t)utf8proc_encode_char(codepoint, (utf8proc_uint8_t *)result + used);
        i += (size_t)step;
    }
    *out_length = used;
    return result;
}

static int case_kernel(tn_vector **args, uint32_t count, tn_vector *out, bool upper, tn_error *err)
{
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i);
        size_t length;
        char *mapped = map_case(out->arena, tn_string_data(s), s->length, upper, &length);
        if (mapped == NULL)
            return oom(err);
        store(out, i, mapped, length);
    }
    return 0;
}

static int lower_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                        uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return case_kernel(args, count, out, false, err);
}

static int upper_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                        uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    return case_kernel(args, count, out, true, err);
}

TN_ROW_KERNEL1(length_kernel, tn_string, int32_t,
               { r[i] = (int32_t)char_count(tn_string_data(&x), x.length); })
TN_ROW_KERNEL1(octet_length_kernel, tn_string, int32_t, { r[i] = (int32_t)x.length; })

static bool is_word_char(utf8proc_int32_t codepoint)
{
    utf8proc_category_t category = utf8proc_category(codepoint);
    return (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
           (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO);
}

/* initcap: the first letter of each run of letters and digits in upper
 * case (title case), the rest in lower, as PostgreSQL with towupper. */
TN_ROW_KERNEL1(initcap_kernel, tn_string, tn_string, {
    char *text = tn_arena_alloc(out->arena, (size_t)x.length * 4 + 1);
    if (text == NULL)
        return oom(err);
    const char *data = tn_string_data(&x);
    bool word = false;
    size_t used = 0;
    for (uint32_t k = 0; k < x.length;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)data + k,
                                                 (utf8proc_ssize_t)(x.length - k), &c);
        if (step <= 0) {
            text[used++] = data[k++];
            word = true;
            continue;
        }
        utf8proc_int32_t mapped = word ? utf8proc_tolower(c) : utf8proc_toupper(c);
        used += (size_t)utf8proc_encode_char(mapped, (utf8proc_uint8_t *)text + used);
        word = is_word_char(c);
        k += (uint32_t)step;
    }
    store(out, i, text, used);
})

TN_ROW_KERNEL1(reverse_kernel, tn_string, tn_string, {
    char *text = tn_arena_alloc(out->arena, x.length + 1);
    if (text == NULL)
        return oom(err);
    const char *data = tn_string_data(&x);
    size_t k = 0;
    while (k < x.length) {
        size_t step = utf8_char_length((unsigned char)data[k]);
        if (step > x.length - k)
            step = x.length - k;
        memcpy(text + x.length - k - step, data + k, step);
        k += step;
    }
    store(out, i, text, x.length);
})

TN_ROW_KERNEL1(ascii_kernel, tn_string, int32_t, {
    utf8proc_int32_t codepoint = 0;
    if (x.length > 0 && utf8proc_iterate((const utf8proc_uint8_t *)tn_string_data(&x),
                                         (utf8proc_ssize_t)x.length, &codepoint) <= 0)
        codepoint = (unsigned char)tn_string_data(&x)[0];
    r[i] = codepoint;
})

TN_ROW_KERNEL1(chr_kernel, int32_t, tn_string, {
    if (x == 0)
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "null character not permitted");
    if (x < 0 || !utf8proc_codepoint_valid(x))
        return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "requested character too large for encoding: %d", x);
    utf8proc_uint8_t bytes[4];
    utf8proc_ssize_t length = utf8proc_encode_char(x, bytes);
    store(out, i, (const char *)bytes, (size_t)length);
})

TN_ROW_KERNEL1(md5_kernel, tn_string, tn_string, {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(tn_string_data(&x), x.length, digest, &length, EVP_md5(), NULL) != 1)
        return tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "could not compute MD5 hash");
    char *hex = tn_arena_alloc(out->arena, 2 * length + 1);
    if (hex == NULL)
        return oom(err);
    for (unsigned int k = 0; k < length; k++) {
        hex[2 * k] = "0123456789abcdef"[digest[k] >> 4];
        hex[2 * k + 1] = "0123456789abcdef"[digest[k] & 15];
    }
    store(out, i, hex, 2 * length);
})

/* ---- substring, position, replace ---- */

/* PostgreSQL's text_substring: characters [start, start + length) of the
 * 1-based string, clipped; length < 0 means "to the end". */
static void substring_of(const tn_string *s, int64_t start, int64_t length, tn_vector *out,
                         uint32_t row)
{
    const char *data = tn_string_data(s);
    int64_t end = length < 0 ? INT64_MAX : (start > INT64_MAX - length ? INT64_MAX : start + length);
    if (start < 1)
        start = 1;
    if (end <= start) {
        store(out, row, "", 0);
        return;
    }
    size_t from = char_offset(data, s->length, start - 1);
    size_t to = end == INT64_MAX ? s->length : char_offset(data, s->length, end - 1);
    store(out, row, data + from, to - from);
}

TN_ROW_KERNEL2(substring2_kernel, tn_string, int32_t, tn_string, { substring_of(&x, y, -1, out, i); })

static int substring3_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                             uint32_t count, tn_vector *out, tn_error *err)
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
        substring_of(STR(args[0], i), starts[i * s1], lengths[i * s2], out, i);
    }
    return 0;
}

static const char *find_bytes(const char *haystack, size_t length, const char *needle, size_t needle_length)
{
    if (needle_length == 0)
        return haystack;
    return memmem(haystack, length, needle, needle_length);
}

TN_ROW_KERNEL2(position_kernel, tn_string, tn_string, int32_t, {
    const char *data = tn_string_data(&x);
    const char *found = find_bytes(data, x.length, tn_string_data(&y), y.length);
    r[i] = found == NULL ? 0 : (int32_t)char_count(data, (size_t)(found - data)) + 1;
})

TN_ROW_KERNEL2(starts_with_kernel, tn_string, tn_string, uint8_t, {
    r[i] = y.length <= x.length && memcmp(tn_string_data(&x), tn_string_data(&y), y.length) == 0;
})

static int replace_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                          uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i), *from = STR(args[1], i), *to = STR(args[2], i);
        const char *data = tn_string_data(s);
        if (from->length == 0) {
            store(out, i, data, s->length);
            continue;
        }
        size_t matches = 0;
        for (const char *p = data; (p = find_bytes(p, s->length - (size_t)(p - data), tn_string_data(from), from->length)) != NULL; p += from->length)
            matches++;
        size_t length = s->length + matches * to->length - matches * from->length;
        char *text = tn_arena_alloc(out->arena, length + 1);
        if (text == NULL)
            return oom(err);
        size_t used = 0;
        const char *p = data, *end = data + s->length;
        while (p < end) {
            const char *hit = find_bytes(p, (size_t)(end - p), tn_string_data(from), from->length);
            size_t plain = hit == NULL ? (size_t)(end - p) : (size_t)(hit - p);
            memcpy(text + used, p, plain);
            used += plain;
            if (hit == NULL)
                break;
            memcpy(text + used, tn_string_data(to), to->length);
            used += to->length;
            p = hit + from->length;
        }
        store(out, i, text, used);
    }
    return 0;
}

/* ---- trimming and padding ---- */

static bool in_set(const char *set, size_t set_length, const char *data, size_t char_length)
{
    for (size_t k = 0; k < set_length;) {
        size_t step = utf8_char_length((unsigned char)set[k]);
        if (step == char_length && k + step <= set_length && memcmp(set + k, data, step) == 0)
            return true;
        k += step;
    }
    return false;
}

/* mode: 1 leading, 2 trailing, 3 both. */
static void trim_of(const tn_string *s, const char *set, size_t set_length, int mode, tn_vector *out, uint32_t row)
{
    const char *data = tn_string_data(s);
    size_t start = 0, end = s->length;
    if (mode & 1) {
        while (start < end) {
            size_t step = utf8_char_length((unsigned char)data[start]);
            if (start + step > end || !in_set(set, set_length, data + start, step))
                break;
            start += step;
        }
    }
    if (mode & 2) {
        while (end > start) {
            size_t begin = end - 1;
            while (begin > start && ((unsigned char)data[begin] & 0xC0) == 0x80)
                begin--;
            if (!in_set(set, set_length, data + begin, end - begin))
                break;
            end = begin;
        }
    }
    store(out, row, data + start, end - start);
}

static int trim_kernel(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out, int mode)
{
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const char *set = " ";
        size_t set_length = 1;
        if (call->arg_count > 1) {
            set = tn_string_data(STR(args[1], i));
            set_length = STR(args[1], i)->length;
        }
        trim_of(STR(args[0], i), set, set_length, mode, out, i);
    }
    return 0;
}

#define TRIM_KERNEL(NAME, MODE)                                                                    \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)err;                                                                                 \
        return trim_kernel(call, args, count, out, MODE);                                          \
    }
TRIM_KERNEL(ltrim_kernel, 1)
TRIM_KERNEL(rtrim_kernel, 2)
TRIM_KERNEL(btrim_kernel, 3)

/* lpad/rpad(s, length[, fill]): cut to length characters or fill. */
static int pad_kernel(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out,
                      bool left, tn_error *err)
{
    const int32_t *lengths = args[1]->data;
    uint32_t sl = tn_stride(args[1]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i);
        const char *fill = " ";
        size_t fill_length = 1;
        if (call->arg_count > 2) {
            fill = tn_string_data(STR(args[2], i));
            fill_length = STR(args[2], i)->length;
        }
        int64_t want = lengths[i * sl] < 0 ? 0 : lengths[i * sl];
        const char *data = tn_string_data(s);
        size_t have = char_count(data, s->length);
        if ((int64_t)have >= want || fill_length == 0) {
            store(out, i, data, char_offset(data, s->length, want));
            continue;
        }
        size_t pad_chars = (size_t)want - have, fill_chars = char_count(fill, fill_length);
        char *text = tn_arena_alloc(out->arena, s->length + pad_chars * 4 + 1);
        if (text == NULL)
            return oom(err);
        size_t used = 0;
        if (!left) {
            memcpy(text, data, s->length);
            used = s->length;
        }
        for (size_t k = 0; k < pad_chars; k++) {
            size_t from = char_offset(fill, fill_length, (int64_t)(k % fill_chars));
            size_t step = utf8_char_length((unsigned char)fill[from]);
            memcpy(text + used, fill + from, step);
            used += step;
        }
        if (left) {
            memcpy(text + used, data, s->length);
            used += s->length;
        }
        store(out, i, text, used);
    }
    return 0;
}

static int lpad_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                       uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return pad_kernel(call, args, count, out, true, err);
}

static int rpad_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                       uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return pad_kernel(call, args, count, out, false, err);
}

TN_ROW_KERNEL2(left_kernel, tn_string, int32_t, tn_string, {
    const char *data = tn_string_data(&x);
    int64_t chars = y >= 0 ? y : (int64_t)char_count(data, x.length) + y;
    store(out, i, data, char_offset(data, x.length, chars < 0 ? 0 : chars));
})

TN_ROW_KERNEL2(right_kernel, tn_string, int32_t, tn_string, {
    const char *data = tn_string_data(&x);
    int64_t total = (int64_t)char_count(data, x.length);
    int64_t skip = y >= 0 ? total - y : -(int64_t)y;
    size_t from = char_offset(data, x.length, skip < 0 ? 0 : skip);
    store(out, i, data + from, x.length - from);
})

TN_ROW_KERNEL2(repeat_kernel, tn_string, int32_t, tn_string, {
    int64_t times = y < 0 ? 0 : y;
    if ((int64_t)x.length * times > (1 << 30))
        return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "requested length too large");
    size_t length = (size_t)((int64_t)x.length * times);
    char *text = tn_arena_alloc(out->arena, length + 1);
    if (text == NULL)
        return oom(err);
    for (int64_t k = 0; k < times; k++)
        memcpy(text + (size_t)k * x.length, tn_string_data(&x), x.length);
    store(out, i, text, length);
})

/* ---- concatenation ---- */

TN_ROW_KERNEL2(concat_operator, tn_string, tn_string, tn_string, {
    char *text = tn_arena_alloc(out->arena, (size_t)x.length + y.length + 1);
    if (text == NULL)
        return oom(err);
    memcpy(text, tn_string_data(&x), x.length);
    memcpy(text + x.length, tn_string_data(&y), y.length);
    store(out, i, text, (size_t)x.length + y.length);
})

/* concat(...) and concat_ws(sep, ...): NULL arguments are skipped. */
static int concat_rows(const tn_expr *call, tn_vector **args, uint32_t count, tn_vector *out,
                       bool with_separator, tn_error *err)
{
    int first = with_separator ? 1 : 0;
    for (uint32_t i = 0; i < count; i++) {
        if (with_separator && !tn_vector_is_valid(args[0], i)) {
            if (tn_vector_set_null(out, i) != 0)
                return oom(err);
            continue;
        }
        const tn_string *separator = with_separator ? STR(args[0], i) : NULL;
        size_t length = 0;
        for (int k = first; k < call->arg_count; k++)
            length += tn_vector_is_valid(args[k], i) ? STR(args[k], i)->length + (separator ? separator->length : 0) : 0;
        char *text = tn_arena_alloc(out->arena, length + 1);
        if (text == NULL)
            return oom(err);
        size_t used = 0;
        bool any = false;
        for (int k = first; k < call->arg_count; k++) {
            if (!tn_vector_is_valid(args[k], i))
                continue;
            if (any && separator != NULL) {
                memcpy(text + used, tn_string_data(separator), separator->length);
                used += separator->length;
            }
            const tn_string *s = STR(args[k], i);
            memcpy(text + used, tn_string_data(s), s->length);
            used += s->length;
            any = true;
        }
        store(out, i, text, used);
    }
    return 0;
}

static int concat_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                         uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return concat_rows(call, args, count, out, false, err);
}

static int concat_ws_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                            uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    return concat_rows(call, args, count, out, true, err);
}

/* ---- LIKE ---- */

enum { LIKE_FALSE = 0, LIKE_TRUE = 1, LIKE_ABORT = -1 };

static size_t next_char(const char *data, size_t length)
{
    size_t step = utf8_char_length((unsigned char)data[0]);
    return step < length ? step : length;
}

/* PostgreSQL's MatchText, on UTF-8 characters for '_'; the escape is '\'. */
static int like_match(const char *t, size_t tlen, const char *p, size_t plen)
{
    while (tlen > 0 && plen > 0) {
        if (*p == '\\') {
            p++;
            plen--;
            if (plen == 0 || *p != *t)
                return LIKE_FALSE;
        } else if (*p == '%') {
            while (plen > 0 && (*p == '%' || *p == '_')) {
                if (*p == '_') {
                    if (tlen == 0)
                        return LIKE_ABORT;
                    size_t step = next_char(t, tlen);
                    t += step;
                    tlen -= step;
                }
                p++;
                plen--;
            }
            if (plen == 0)
                return LIKE_TRUE;
            char first = *p == '\\' && plen > 1 ? p[1] : *p;
            while (tlen > 0) {
                if (*t == first) {
                    int matched = like_match(t, tlen, p, plen);
                    if (matched != LIKE_FALSE)
                        return matched;
                }
                size_t step = next_char(t, tlen);
                t += step;
                tlen -= step;
            }
            return LIKE_ABORT;
        } else if (*p == '_') {
            size_t step = next_char(t, tlen);
            t += step;
            tlen -= step;
            p++;
            plen--;
            continue;
        } else if (*p != *t) {
            return LIKE_FALSE;
        }
        t++;
        tlen--;
        p++;
        plen--;
    }
    if (tlen > 0)
        return LIKE_FALSE;
    while (plen > 0 && *p == '%') {
        p++;
        plen--;
    }
    return plen == 0 ? LIKE_TRUE : LIKE_ABORT;
}

static int check_pattern(const char *p, size_t plen, tn_error *err)
{
    for (size_t k = 0; k < plen; k++) {
        if (p[k] == '\\') {
            if (k + 1 == plen)
                return tn_error_set(err, TN_ERR_INVALID_ESCAPE_SEQUENCE, 0,
                                    "LIKE pattern must not end with escape character");
            k++;
        }
    }
    return 0;
}

/* flags: 1 negate, 2 case-insensitive. */
static int like_rows(tn_vector **args, uint32_t count, tn_vector *out, int flags, tn_error *err)
{
    uint8_t *r = out->data;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i), *pattern = STR(args[1], i);
        const char *t = tn_string_data(s), *p = tn_string_data(pattern);
        size_t tlen = s->length, plen = pattern->length;
        if (check_pattern(p, plen, err) != 0)
            return -1;
        if (flags & 2) {
            t = map_case(out->arena, t, tlen, false, &tlen);
            p = map_case(out->arena, p, plen, false, &plen);
            if (t == NULL || p == NULL)
                return oom(err);
        }
        bool matched = like_match(t, tlen, p, plen) == LIKE_TRUE;
        r[i] = (uint8_t)(matched != ((flags & 1) != 0));
    }
    return 0;
}

#define LIKE_KERNEL(NAME, FLAGS)                                                                   \
    static int NAME(tn_exec_context *context, const tn_expr *call, tn_vector **args,               \
                    uint32_t count, tn_vector *out, tn_error *err)                                 \
    {                                                                                              \
        (void)context;                                                                             \
        (void)call;                                                                                \
        return like_rows(args, count, out, FLAGS, err);                                            \
    }
LIKE_KERNEL(like_kernel, 0)
LIKE_KERNEL(not_like_kernel, 1)
LIKE_KERNEL(ilike_kernel, 2)
LIKE_KERNEL(not_ilike_kernel, 3)

/* like_escape(pattern, escape): rewrites to backslash escapes. */
TN_ROW_KERNEL2(like_escape_kernel, tn_string, tn_string, tn_string, {
    const char *p = tn_string_data(&x), *e = tn_string_data(&y);
    if (char_count(e, y.length) > 1) {
        tn_error_set(err, TN_ERR_INVALID_ESCAPE_SEQUENCE, 0, "invalid escape string");
        tn_error_hint(err, "Escape string must be empty or one character.");
        return -1;
    }
    char *text = tn_arena_alloc(out->arena, (size_t)x.length * 2 + 1);
    if (text == NULL)
        return oom(err);
    size_t used = 0;
    for (size_t k = 0; k < x.length;) {
        size_t step = next_char(p + k, x.length - k);
        if (y.length > 0 && step == y.length && memcmp(p + k, e, step) == 0) {
            text[used++] = '\\';
            k += step;
            if (k < x.length) {
                step = next_char(p + k, x.length - k);
                memcpy(text + used, p + k, step);
                used += step;
                k += step;
            }
            continue;
        }
        if (p[k] == '\\')
            text[used++] = '\\';
        memcpy(text + used, p + k, step);
        used += step;
        k += step;
    }
    store(out, i, text, used);
})

/* overlay(s placing r from start [for count]) */
static int overlay_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                          uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i), *r = STR(args[1], i);
        int64_t start = ((const int32_t *)args[2]->data)[args[2]->is_constant ? 0 : i];
        int64_t length = call->arg_count > 3
                             ? ((const int32_t *)args[3]->data)[args[3]->is_constant ? 0 : i]
                             : (int64_t)char_count(tn_string_data(r), r->length);
        if (start <= 0)
            return tn_error_set(err, TN_ERR_SUBSTRING_ERROR, 0, "negative substring length not allowed");
        const char *data = tn_string_data(s);
        size_t head = char_offset(data, s->length, start - 1);
        int64_t resume = start + length - 1;
        size_t tail = resume <= 0 ? 0 : char_offset(data, s->length, resume);
        size_t total = head + r->length + (s->length - tail);
        char *text = tn_arena_alloc(out->arena, total + 1);
        if (text == NULL)
            return oom(err);
        memcpy(text, data, head);
        memcpy(text + head, tn_string_data(r), r->length);
        memcpy(text + head + r->length, data + tail, s->length - tail);
        store(out, i, text, total);
    }
    return 0;
}

/* translate(s, from, to): characters of from become the character at the
 * same place in to, or vanish when to is shorter. */
static int translate_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                            uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        const tn_string *s = STR(args[0], i), *from = STR(args[1], i), *to = STR(args[2], i);
        const char *data = tn_string_data(s), *f = tn_string_data(from), *t = tn_string_data(to);
        char *text = tn_arena_alloc(out->arena, (size_t)s->length * 4 + 1);
        if (text == NULL)
            return oom(err);
        size_t used = 0;
        for (size_t k = 0; k < s->length;) {
            size_t step = next_char(data + k, s->length - k);
            int64_t position = -1, index = 0;
            for (size_t m = 0; m < from->length; index++) {
                size_t fstep = next_char(f + m, from->length - m);
                if (fstep == step && memcmp(f + m, data + k, step) == 0) {
                    position = index;
                    break;
                }
                m += fstep;
            }
            if (position < 0) {
                memcpy(text + used, data + k, step);
                used += step;
            } else {
                size_t at = char_offset(t, to->length, position);
                if (at < to->length) {
                    size_t tstep = next_char(t + at, to->length - at);
                    memcpy(text + used, t + at, tstep);
                    used += tstep;
                }
            }
            k += step;
        }
        store(out, i, text, used);
    }
    return 0;
}

TN_ROW_KERNEL1(bit_length_kernel, tn_string, int32_t, { r[i] = (int32_t)x.length * 8; })

/* quote_literal: doubled quotes; an E'' string when a backslash appears. */
TN_ROW_KERNEL1(quote_literal_kernel, tn_string, tn_string, {
    const char *data = tn_string_data(&x);
    char *text = tn_arena_alloc(out->arena, (size_t)x.length * 2 + 4);
    if (text == NULL)
        return oom(err);
    size_t used = 0;
    if (memchr(data, '\\', x.length) != NULL)
        text[used++] = 'E';
    text[used++] = '\'';
    for (uint32_t k = 0; k < x.length; k++) {
        if (data[k] == '\'' || data[k] == '\\')
            text[used++] = data[k];
        text[used++] = data[k];
    }
    text[used++] = '\'';
    store(out, i, text, used);
})

/* quote_ident: quoted unless a plain lower-case identifier (PostgreSQL
 * also quotes keywords, which tarn's function library does not know). */
TN_ROW_KERNEL1(quote_ident_kernel, tn_string, tn_string, {
    const char *data = tn_string_data(&x);
    bool plain = x.length > 0 && ((data[0] >= 'a' && data[0] <= 'z') || data[0] == '_');
    for (uint32_t k = 0; plain && k < x.length; k++)
        plain = (data[k] >= 'a' && data[k] <= 'z') || (data[k] >= '0' && data[k] <= '9') || data[k] == '_';
    if (plain) {
        store(out, i, data, x.length);
        continue;
    }
    char *text = tn_arena_alloc(out->arena, (size_t)x.length * 2 + 3);
    if (text == NULL)
        return oom(err);
    size_t used = 0;
    text[used++] = '"';
    for (uint32_t k = 0; k < x.length; k++) {
        if (data[k] == '"')
            text[used++] = '"';
        text[used++] = data[k];
    }
    text[used++] = '"';
    store(out, i, text, used);
})

#define TO_HEX(NAME, CT, UT)                                                                       \
    TN_ROW_KERNEL1(NAME, CT, tn_string, {                                                          \
        char hex[24];                                                                              \
        int n = snprintf(hex, sizeof hex, "%llx", (unsigned long long)(UT)x);                      \
        char *text = tn_arena_alloc(out->arena, (size_t)n + 1);                                    \
        if (text == NULL)                                                                          \
            return oom(err);                                                                       \
        memcpy(text, hex, (size_t)n);                                                              \
        store(out, i, text, (size_t)n);                                                            \
    })
TO_HEX(to_hex32_kernel, int32_t, uint32_t)
TO_HEX(to_hex64_kernel, int64_t, uint64_t)

/* split_part(s, delimiter, n): the n-th field (negative counts from the end). */
static int split_part_rows(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                           uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    const int32_t *fields = args[2]->data;
    uint32_t sf = tn_stride(args[2]);
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        int32_t field = fields[i * sf];
        if (field == 0)
            return tn_error_set(err, TN_ERR_INVALID_PARAMETER_VALUE, 0, "field position must not be zero");
        const tn_string *s = STR(args[0], i), *delimiter = STR(args[1], i);
        const char *data = tn_string_data(s), *d = tn_string_data(delimiter);
        int64_t total = 1;
        if (delimiter->length > 0) {
            for (const char *p = data; (p = find_bytes(p, s->length - (size_t)(p - data), d, delimiter->length)) != NULL; p += delimiter->length)
                total++;
        }
        int64_t wanted = field > 0 ? field : total + field + 1;
        if (wanted < 1 || wanted > total || (delimiter->length == 0 && s->length == 0)) {
            store(out, i, "", 0);
            continue;
        }
        const char *p = data, *end = data + s->length;
        for (int64_t k = 1; k < wanted; k++)
            p = find_bytes(p, (size_t)(end - p), d, delimiter->length) + delimiter->length;
        const char *stop = delimiter->length > 0 ? find_bytes(p, (size_t)(end - p), d, delimiter->length) : NULL;
        store(out, i, p, (size_t)((stop != NULL ? stop : end) - p));
    }
    return 0;
}

#define ANY TN_TYPE__COUNT

static const tn_scalar_function functions[] = {
    TN_FN1("length", TEXT, INT32, length_kernel, NULL),
    TN_FN1("char_length", TEXT, INT32, length_kernel, NULL),
    TN_FN1("character_length", TEXT, INT32, length_kernel, NULL),
    TN_FN1("octet_length", TEXT, INT32, octet_length_kernel, NULL),
    TN_FN1("lower", TEXT, TEXT, lower_kernel, NULL),
    TN_FN1("upper", TEXT, TEXT, upper_kernel, NULL),
    TN_FN1("initcap", TEXT, TEXT, initcap_kernel, NULL),
    TN_FN1("reverse", TEXT, TEXT, reverse_kernel, NULL),
    TN_FN1("ascii", TEXT, INT32, ascii_kernel, NULL),
    TN_FN1("chr", INT32, TEXT, chr_kernel, NULL),
    TN_FN1("md5", TEXT, TEXT, md5_kernel, NULL),
    TN_FN2("substring", TEXT, INT32, TEXT, substring2_kernel, NULL),
    TN_FN3("substring", TEXT, INT32, INT32, TEXT, substring3_kernel, NULL),
    TN_FN2("substr", TEXT, INT32, TEXT, substring2_kernel, NULL),
    TN_FN3("substr", TEXT, INT32, INT32, TEXT, substring3_kernel, NULL),
    TN_FN2("position", TEXT, TEXT, INT32, position_kernel, NULL),
    TN_FN2("strpos", TEXT, TEXT, INT32, position_kernel, NULL),
    TN_FN2("starts_with", TEXT, TEXT, BOOL, starts_with_kernel, NULL),
    TN_FN3("replace", TEXT, TEXT, TEXT, TEXT, replace_kernel, NULL),
    TN_FN3("split_part", TEXT, TEXT, INT32, TEXT, split_part_rows, NULL),
    TN_FN1("btrim", TEXT, TEXT, btrim_kernel, NULL),
    TN_FN2("btrim", TEXT, TEXT, TEXT, btrim_kernel, NULL),
    TN_FN1("trim", TEXT, TEXT, btrim_kernel, NULL),
    TN_FN2("trim", TEXT, TEXT, TEXT, btrim_kernel, NULL),
    TN_FN1("ltrim", TEXT, TEXT, ltrim_kernel, NULL),
    TN_FN2("ltrim", TEXT, TEXT, TEXT, ltrim_kernel, NULL),
    TN_FN1("rtrim", TEXT, TEXT, rtrim_kernel, NULL),
    TN_FN2("rtrim", TEXT, TEXT, TEXT, rtrim_kernel, NULL),
    TN_FN2("lpad", TEXT, INT32, TEXT, lpad_kernel, NULL),
    TN_FN3("lpad", TEXT, INT32, TEXT, TEXT, lpad_kernel, NULL),
    TN_FN2("rpad", TEXT, INT32, TEXT, rpad_kernel, NULL),
    TN_FN3("rpad", TEXT, INT32, TEXT, TEXT, rpad_kernel, NULL),
    TN_FN2("left", TEXT, INT32, TEXT, left_kernel, NULL),
    TN_FN2("right", TEXT, INT32, TEXT, right_kernel, NULL),
    TN_FN2("repeat", TEXT, INT32, TEXT, repeat_kernel, NULL),
    TN_FN2("||", TEXT, TEXT, TEXT, concat_operator, NULL),
    {"concat", -1, {ANY}, TN_TYPE_TEXT, TN_STABLE, false, concat_kernel, NULL},
    {"concat_ws", -1, {ANY}, TN_TYPE_TEXT, TN_STABLE, false, concat_ws_kernel, NULL},
    TN_FN2("~~", TEXT, TEXT, BOOL, like_kernel, NULL),
    TN_FN2("!~~", TEXT, TEXT, BOOL, not_like_kernel, NULL),
    TN_FN2("~~*", TEXT, TEXT, BOOL, ilike_kernel, NULL),
    TN_FN2("!~~*", TEXT, TEXT, BOOL, not_ilike_kernel, NULL),
    TN_FN2("like_escape", TEXT, TEXT, TEXT, like_escape_kernel, NULL),
    TN_FN3("overlay", TEXT, TEXT, INT32, TEXT, overlay_kernel, NULL),
    {"overlay", 4, {TN_TYPE_TEXT, TN_TYPE_TEXT, TN_TYPE_INT32, TN_TYPE_INT32}, TN_TYPE_TEXT,
     TN_IMMUTABLE, true, overlay_kernel, NULL},
    TN_FN3("translate", TEXT, TEXT, TEXT, TEXT, translate_kernel, NULL),
    TN_FN1("bit_length", TEXT, INT32, bit_length_kernel, NULL),
    TN_FN1("quote_literal", TEXT, TEXT, quote_literal_kernel, NULL),
    TN_FN1("quote_ident", TEXT, TEXT, quote_ident_kernel, NULL),
    TN_FN1("to_hex", INT32, TEXT, to_hex32_kernel, NULL),
    TN_FN1("to_hex", INT64, TEXT, to_hex64_kernel, NULL),
};

const tn_function_list tn_func_string_list = {functions, sizeof functions / sizeof functions[0]};
