/*
 * to_char for numbers: PostgreSQL's number templates (formatting.c's
 * NUM_processor) in the C locale ('.' decimal point, ',' group separator,
 * ' ' as currency symbol): sign placement, fill mode, zero padding, '#'
 * overflow, roman numerals and ordinal suffixes, so widths match
 * PostgreSQL's exactly.  Date and time templates are in func_format.c.
 */
#include "exec/exec_int.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/numeric.h"

#define STR(v, row) (&((const tn_string *)(v)->data)[(v)->is_constant ? 0 : (row)])
#define MAX_NODES 256
#define OUT_SIZE 1024

void tn_to_char_th_suffix(char *s, int upper)
{
    size_t len = strlen(s);
    if (len == 0 || !isdigit((unsigned char)s[len - 1]))
        return;
    char last = s[len - 1];
    if (len > 1 && s[len - 2] == '1')
        last = '0';
    const char *suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
    for (int c = 0; c < 2; c++)
        s[len + (size_t)c] = (char)(upper ? toupper((unsigned char)suffix[c]) : suffix[c]);
    s[len + 2] = '\0';
}

enum {
    NUM_DIGIT9 = 1, NUM_DIGIT0, NUM_POINT, NUM_COMMA, NUM_G, NUM_L, NUM_S, NUM_MI, NUM_PL,
    NUM_SG, NUM_PR, NUM_TH_UPPER, NUM_TH_LOWER, NUM_RN_UPPER, NUM_RN_LOWER, NUM_EEEE, NUM_V,
    NUM_FM, NUM_B,
};

typedef struct num_format {
    struct {
        int key; /* 0: literal character */
        char character;
    } nodes[MAX_NODES];
    int count;
    int pre, post, multi, zero_start, zero_end, pre_lsign;
    bool zero, decimal, fill, lsign, lsign_post, minus, plus, bracket, roman, eeee, is_multi;
} num_format;

static int num_error(tn_error *err, const char *message)
{
    return tn_error_set(err, TN_ERR_SYNTAX_ERROR, 0, "%s", message);
}

static int parse_num(const char *p, size_t length, num_format *f, tn_error *err)
{
    static const struct { const char *name; int key; } keys[] = {
        {"EEEE", NUM_EEEE}, {"eeee", NUM_EEEE}, {"FM", NUM_FM}, {"fm", NUM_FM}, {"PR", NUM_PR},
        {"pr", NUM_PR}, {"MI", NUM_MI}, {"mi", NUM_MI}, {"PL", NUM_PL}, {"pl", NUM_PL},
        {"SG", NUM_SG}, {"sg", NUM_SG}, {"RN", NUM_RN_UPPER}, {"rn", NUM_RN_LOWER},
        {"TH", NUM_TH_UPPER}, {"th", NUM_TH_LOWER}, {"9", NUM_DIGIT9}, {"0", NUM_DIGIT0},
        {".", NUM_POINT}, {",", NUM_COMMA}, {"G", NUM_G}, {"g", NUM_G}, {"D", NUM_POINT},
        {"d", NUM_POINT}, {"L", NUM_L}, {"l", NUM_L}, {"S", NUM_S}, {"s", NUM_S}, {"V", NUM_V},
        {"v", NUM_V}, {"B", NUM_B}, {"b", NUM_B},
    };
    memset(f, 0, sizeof *f);
    size_t i = 0;
    while (i < length) {
        if (f->count >= MAX_NODES - 1)
            return tn_error_set(err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, 0, "format template too long");
        int key = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            size_t n = strlen(keys[k].name);
            if (n <= length - i && strncmp(p + i, keys[k].name, n) == 0) {
                key = keys[k].key;
                i += n;
                break;
            }
        }
        if (key == 0 && p[i] == '"') {
            for (i++; i < length && p[i] != '"'; i++) {
                if (p[i] == '\\' && i + 1 < length)
                    i++;
                f->nodes[f->count].key = 0;
                f->nodes[f->count++].character = p[i];
                if (f->count >= MAX_NODES - 1)
                    break;
            }
            i++;
            continue;
        }
        if (key == 0) {
            f->nodes[f->count].key = 0;
            f->nodes[f->count++].character = p[i++];
            continue;
        }
        switch (key) {
        case NUM_DIGIT9:
            if (f->bracket)
                return num_error(err, "\"9\" must be ahead of \"PR\"");
            if (f->is_multi)
                f->multi++;
            else if (f->decimal)
                f->post++;
            else
                f->pre++;
            break;
        case NUM_DIGIT0:
            if (f->bracket)
                return num_error(err, "\"0\" must be ahead of \"PR\"");
            if (!f->zero && !f->decimal) {
                f->zero = true;
                f->zero_start = f->pre + 1;
            }
            if (!f->decimal)
                f->pre++;
            else
                f->post++;
            f->zero_end = f->pre + f->post;
            break;
        case NUM_POINT:
            if (f->decimal)
                return num_error(err, "multiple decimal points");
            if (f->is_multi)
                return num_error(err, "cannot use \"V\" and decimal point together");
            f->decimal = true;
            break;
        case NUM_FM: f->fill = true; break;
        case NUM_S:
            if (f->lsign)
                return num_error(err, "cannot use \"S\" twice");
            if (f->plus || f->minus || f->bracket)
                return num_error(err, "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
            f->lsign = true;
            f->lsign_post = f->decimal;
            f->pre_lsign = f->pre;
            break;
        case NUM_MI:
            if (f->lsign)
                return num_error(err, "cannot use \"S\" and \"MI\" together");
            f->minus = true;
            break;
        case NUM_PL:
            if (f->lsign)
                return num_error(err, "cannot use \"S\" and \"PL\" together");
            f->plus = true;
            break;
        case NUM_SG:
            if (f->lsign)
                return num_error(err, "cannot use \"S\" and \"SG\" together");
            f->minus = f->plus = true;
            break;
        case NUM_PR:
            if (f->lsign || f->plus || f->minus)
                return num_error(err, "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
            f->bracket = true;
            break;
        case NUM_RN_UPPER: case NUM_RN_LOWER: f->roman = true; break;
        case NUM_V:
            if (f->decimal)
                return num_error(err, "cannot use \"V\" and decimal point together");
            f->is_multi = true;
            break;
        case NUM_EEEE:
            if (f->eeee)
                return num_error(err, "cannot use \"EEEE\" twice");
            if (f->bracket || f->minus || f->plus || f->roman || f->lsign)
                return tn_error_set(err, TN_ERR_SYNTAX_ERROR, 0,
                                    "\"EEEE\" is incompatible with other formats");
            f->eeee = true;
            break;
        default: break;
        }
        f->nodes[f->count++].key = key;
    }
    if (f->eeee && (f->bracket || f->minus || f->plus || f->roman || f->lsign))
        return tn_error_set(err, TN_ERR_SYNTAX_ERROR, 0, "\"EEEE\" is incompatible with other formats");
    return 0;
}

static const char *roman_of(int64_t value, char *buf)
{
    static const char *const thousands[] = {"", "M", "MM", "MMM"};
    static const char *const hundreds[] = {"", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"};
    static const char *const tens[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
    static const char *const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    if (value < 1 || value > 3999)
        return "###############";
    sprintf(buf, "%s%s%s%s", thousands[value / 1000], hundreds[value / 100 % 10], tens[value / 10 % 10],
            ones[value % 10]);
    return buf;
}

/* NUM_processor for to_char: number is the unsigned digits ("1234.50" or
 * '#'s), sign '+' or '-', pre_spaces the unused integer positions. */
static size_t num_output(num_format *f, const char *number, char sign, int pre_spaces, char *out)
{
    char *o = out;
    bool sign_wrote, num_in = false;
    int lsign_pre = f->lsign && !f->lsign_post;
    int lsign_post = f->lsign && f->lsign_post;
    if (f->plus || f->minus) {
        sign_wrote = !(f->plus && !f->minus);
    } else {
        if (sign != '-' && f->fill)
            f->bracket = false;
        sign_wrote = sign == '+' && f->fill && !f->lsign;
        if (lsign_pre && f->pre == f->pre_lsign) {
            lsign_pre = 0;
            lsign_post = 1;
        }
    }
    const char *last_relevant = NULL;
    if (f->fill && f->decimal) {
        const char *point = strchr(number, '.');
        if (point != NULL) {
            last_relevant = point;
            for (const char *q = point + 1; *q; q++)
                if (*q != '0')
                    last_relevant = q;
        }
        if (last_relevant != NULL && f->zero_end > pre_spaces) {
            int last_zero_pos = (int)strlen(number) - 1;
            if (f->zero_end - pre_spaces < last_zero_pos)
                last_zero_pos = f->zero_end - pre_spaces;
            if (last_relevant < number + last_zero_pos)
                last_relevant = number + last_zero_pos;
        }
    }
    int zero_start = f->zero_start > 0 ? f->zero_start - 1 : 0;
    int num_count = f->post + f->pre - 1;
    if (!sign_wrote && pre_spaces == 0)
        num_count++;
    int num_curr = 0;
    const char *number_p = number;
    for (int k = 0; k < f->count; k++) {
        int key = f->nodes[k].key;
        if (key == 0) {
            *o++ = f->nodes[k].character;
            continue;
        }
        bool predec_space = !f->zero && number_p == number && number[0] == '0' && f->post != 0;
        switch (key) {
        case NUM_DIGIT9: case NUM_DIGIT0: case NUM_POINT: {
            num_in = false;
            if (!sign_wrote && (num_curr >= pre_spaces || (f->zero && zero_start == num_curr)) &&
                (!predec_space || (last_relevant && *last_relevant == '.'))) {
                if (f->lsign) {
                    if (lsign_pre) {
                        *o++ = sign == '-' ? '-' : '+';
                        sign_wrote = true;
                    }
                } else if (f->bracket) {
                    *o++ = sign == '+' ? ' ' : '<';
                    sign_wrote = true;
                } else if (sign == '+') {
                    if (!f->fill)
                        *o++ = ' ';
                    sign_wrote = true;
                } else {
                    *o++ = '-';
                    sign_wrote = true;
                }
            }
            if (num_curr < pre_spaces && (zero_start > num_curr || !f->zero)) {
                if (!f->fill)
                    *o++ = ' ';
            } else if (f->zero && num_curr < pre_spaces && zero_start <= num_curr) {
                *o++ = '0';
                num_in = true;
            } else {
                if (*number_p == '.') {
                    if (!last_relevant || *last_relevant != '.' || f->fill)
                        *o++ = '.';
                } else if (last_relevant && number_p > last_relevant && key != NUM_DIGIT0) {
                    /* trailing zeros dropped in fill mode */
                } else if (predec_space) {
                    if (!f->fill)
                        *o++ = ' ';
                    else if (last_relevant && *last_relevant == '.')
                        *o++ = '0';
                } else {
                    *o++ = *number_p;
                    num_in = true;
                }
                if (*number_p)
                    number_p++;
            }
            int end = num_count + (pre_spaces ? 1 : 0) + (f->decimal ? 1 : 0);
            if (last_relevant && last_relevant == number_p)
                end = num_curr;
            if (num_curr + 1 == end) {
                if (sign_wrote && f->bracket)
                    *o++ = sign == '+' ? ' ' : '>';
                else if (lsign_post)
                    *o++ = sign == '-' ? '-' : '+';
            }
            num_curr++;
            break;
        }
        case NUM_COMMA: case NUM_G:
            if (!num_in) {
                if (!f->fill)
                    *o++ = ' ';
            } else {
                *o++ = ',';
            }
            break;
        case NUM_L: *o++ = ' '; break;
        case NUM_TH_UPPER: case NUM_TH_LOWER:
            if (f->roman || number[0] == '#' || sign == '-' || f->decimal)
                break;
            *o = '\0';
            {
                char digits[OUT_SIZE + 4];
                snprintf(digits, sizeof digits, "%s", number);
                tn_to_char_th_suffix(digits, key == NUM_TH_UPPER);
                size_t n = strlen(digits);
                memcpy(o, digits + n - 2, 2);
                o += 2;
            }
            break;
        case NUM_MI:
            if (sign == '-')
                *o++ = '-';
            else if (!f->fill)
                *o++ = ' ';
            break;
        case NUM_PL:
            if (sign == '+')
                *o++ = '+';
            else if (!f->fill)
                *o++ = ' ';
            break;
        case NUM_SG: *o++ = sign; break;
        default: break;
        }
    }
    return (size_t)(o - out);
}

/* Unsigned digits for the template: overflowing integer part -> '#'s. */
static int fit_digits(num_format *f, char *digits, int *pre_spaces)
{
    const char *point = strchr(digits, '.');
    int pre_length = point != NULL ? (int)(point - digits) : (int)strlen(digits);
    *pre_spaces = 0;
    if (pre_length < f->pre) {
        *pre_spaces = f->pre - pre_length;
    } else if (pre_length > f->pre) {
        memset(digits, '#', (size_t)(f->pre + f->post + 1));
        digits[f->pre] = '.';
        digits[f->pre + f->post + 1] = '\0';
    }
    return 0;
}

/* Formats (value, scale) as NUMERIC; floats arrive as already-rounded text. */
static size_t number_to_char(num_format *f, const char *text, char *out)
{
    char digits[OUT_SIZE];
    char sign = '+';
    if (text[0] == '-') {
        sign = '-';
        text++;
    }
    snprintf(digits, sizeof digits, "%s", text);
    int pre_spaces;
    fit_digits(f, digits, &pre_spaces);
    return num_output(f, digits, sign, pre_spaces, out);
}

static size_t roman_output(const num_format *f, int64_t value, bool lower, char *out)
{
    char buf[32];
    const char *roman = roman_of(value, buf);
    int n = f->fill ? sprintf(out, "%s", roman) : sprintf(out, "%15s", roman);
    if (lower)
        for (int k = 0; k < n; k++)
            out[k] = (char)tolower((unsigned char)out[k]);
    return (size_t)n;
}

static bool roman_lower(const num_format *f)
{
    for (int k = 0; k < f->count; k++)
        if (f->nodes[k].key == NUM_RN_LOWER)
            return true;
    return false;
}

/* One row of to_char(number, template). */
static int to_char_number_row(const tn_vector *arg, uint32_t row, const tn_string *template_text,
                              tn_vector *out, uint32_t out_row, tn_error *err)
{
    num_format f;
    if (parse_num(tn_string_data(template_text), template_text->length, &f, err) != 0)
        return -1;
    char text[OUT_SIZE], result[OUT_SIZE * 2];
    const void *value = tn_vector_row_ptr(arg, row);
    tn_type_id type = arg->type.id;
    bool is_float = tn_type_is_float(type);
    double dvalue = type == TN_TYPE_FLOAT32 ? *(const float *)value
                  : type == TN_TYPE_FLOAT64 ? *(const double *)value : 0;
    tn_int128 unscaled = 0;
    int scale = 0;
    if (!is_float) {
        if (type == TN_TYPE_NUMERIC) {
            unscaled = *(const tn_int128 *)value;
            scale = tn_vector_numeric_scale(arg, row);
        } else {
            unscaled = type == TN_TYPE_INT16 ? *(const int16_t *)value
                     : type == TN_TYPE_INT32 ? *(const int32_t *)value : *(const int64_t *)value;
        }
    }
    size_t length;
    if (f.roman) {
        int64_t whole;
        if (is_float) {
            whole = isfinite(dvalue) && fabs(dvalue) < 1e9 ? (int64_t)rint(dvalue) : 0;
        } else {
            tn_int128 rounded;
            int rounded_scale;
            if (tn_numeric_round(unscaled, scale, 0, &rounded, &rounded_scale, err) != 0)
                return -1;
            whole = rounded > 4000 || rounded < 0 ? 0 : (int64_t)rounded;
        }
        length = roman_output(&f, whole, roman_lower(&f), result);
    } else if (is_float && !isfinite(dvalue) && !f.eeee) {
        /* PostgreSQL's snprintf spells these out, and the template takes them as digits */
        length = number_to_char(&f, isnan(dvalue) ? "NaN" : dvalue > 0 ? "Infinity" : "-Infinity", result);
    } else if (f.eeee) {
        if (!is_float)
            dvalue = tn_numeric_to_double(unscaled, scale);
        int n = snprintf(text, sizeof text, "%.*e", f.post, dvalue);
        if (text[0] != '-') {
            result[0] = ' ';
            memcpy(result + 1, text, (size_t)n);
            length = (size_t)n + 1;
        } else {
            memcpy(result, text, (size_t)n);
            length = (size_t)n;
        }
    } else {
        if (f.is_multi) {
            f.pre += f.multi;
            if (is_float) {
                dvalue *= pow(10, f.multi);
            } else if (tn_numeric_mul(unscaled, scale, tn_numeric_pow10(f.multi), 0, &unscaled, &scale,
                                      err) != 0) {
                return -1;
            }
        }
        if (is_float) {
            int digits_max = type == TN_TYPE_FLOAT32 ? FLT_DIG : DBL_DIG;
            char whole[OUT_SIZE];
            int pre_length = snprintf(whole, sizeof whole, "%.0f", fabs(dvalue));
            int post = f.post;
            if (pre_length >= digits_max)
                post = 0;
            else if (pre_length + post > digits_max)
                post = digits_max - pre_length;
            snprintf(text, sizeof text, "%.*f", post, dvalue);
            if (type == TN_TYPE_FLOAT32 && pre_length > digits_max) {
                /* float4 keeps FLT_DIG significant digits */
                snprintf(text, sizeof text, "%.*g", digits_max, dvalue);
                double again = atof(text);
                snprintf(text, sizeof text, "%.0f", again);
            }
        } else {
            tn_int128 rounded;
            int rounded_scale;
            if (tn_numeric_round(unscaled, scale, f.post, &rounded, &rounded_scale, err) != 0)
                return -1;
            if (type != TN_TYPE_NUMERIC && rounded_scale < f.post &&
                tn_numeric_rescale(rounded, rounded_scale, f.post, &rounded, err) == 0)
                rounded_scale = f.post;
            tn_numeric_to_string(rounded, rounded_scale, text);
        }
        length = number_to_char(&f, text, result);
    }
    char *stored = tn_arena_alloc(out->arena, length + 1);
    if (stored == NULL)
        return tn_error_oom(err);
    memcpy(stored, result, length);
    ((tn_string *)out->data)[out_row] = tn_string_make(stored, (uint32_t)length);
    return 0;
}

static int to_char_number_kernel(tn_exec_context *context, const tn_expr *call, tn_vector **args,
                                 uint32_t count, tn_vector *out, tn_error *err)
{
    (void)context;
    (void)call;
    for (uint32_t i = 0; i < count; i++) {
        if (!tn_vector_is_valid(out, i))
            continue;
        if (to_char_number_row(args[0], i, STR(args[1], i), out, i, err) != 0)
            return -1;
    }
    return 0;
}

#define TO_CHAR_NUMBER(ID) TN_FN2("to_char", ID, TEXT, TEXT, to_char_number_kernel, NULL)

static const tn_scalar_function functions[] = {
    TO_CHAR_NUMBER(INT16),
    TO_CHAR_NUMBER(INT32),
    TO_CHAR_NUMBER(INT64),
    TO_CHAR_NUMBER(NUMERIC),
    TO_CHAR_NUMBER(FLOAT32),
    TO_CHAR_NUMBER(FLOAT64),
};

const tn_function_list tn_func_format_number_list = {functions, sizeof functions / sizeof functions[0]};
