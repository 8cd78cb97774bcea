/*
 * NUMERIC arithmetic on __int128 (see numeric.h for the value model and the
 * result-scale rules).  Magnitudes stay below 10^38 < 2^127, so negation
 * never overflows; every operation checks that bound on its result (a sum
 * of two such values can still pass 2^127, so additions check for that).
 *
 * Division never forms a*10^k (it could overflow 128 bits even when the
 * quotient fits): it runs long division one decimal digit at a time, where
 * the remainder stays below the divisor and ten additions replace the
 * multiplication by ten.
 */
#include "types/numeric.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 uint128;

#define MAX_DIGITS TN_NUMERIC_MAX_PRECISION
#define MIN_SIG_DIGITS 16 /* PostgreSQL's NUMERIC_MIN_SIG_DIGITS */

static uint128 magnitude(tn_int128 value);
static int overflow(tn_error *err);
static bool fits(tn_int128 value);
static int align(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *a_out,
                 tn_int128 *b_out, int *scale, tn_error *err);
static void weight_and_first_digit(tn_int128 value, int scale, int *weight, int *first_digit);
static int divide_rounded(uint128 numerator, uint128 denominator, int extra_digits, uint128 *out,
                          tn_error *err);

#define P19 ((tn_int128)10000000000000000000ULL)
static const tn_int128 powers_of_ten[MAX_DIGITS + 1] = {
    (tn_int128)1ULL, (tn_int128)10ULL, (tn_int128)100ULL, (tn_int128)1000ULL,
    (tn_int128)10000ULL, (tn_int128)100000ULL, (tn_int128)1000000ULL, (tn_int128)10000000ULL,
    (tn_int128)100000000ULL, (tn_int128)1000000000ULL, (tn_int128)10000000000ULL,
    (tn_int128)100000000000ULL, (tn_int128)1000000000000ULL, (tn_int128)10000000000000ULL,
    (tn_int128)100000000000000ULL, (tn_int128)1000000000000000ULL,
    (tn_int128)10000000000000000ULL, (tn_int128)100000000000000000ULL,
    (tn_int128)1000000000000000000ULL, (tn_int128)10000000000000000000ULL, P19 * 10ULL,
    P19 * 100ULL, P19 * 1000ULL, P19 * 10000ULL, P19 * 100000ULL, P19 * 1000000ULL,
    P19 * 10000000ULL, P19 * 100000000ULL, P19 * 1000000000ULL, P19 * 10000000000ULL,
    P19 * 100000000000ULL, P19 * 1000000000000ULL, P19 * 10000000000000ULL,
    P19 * 100000000000000ULL, P19 * 1000000000000000ULL, P19 * 10000000000000000ULL,
    P19 * 100000000000000000ULL, P19 * 1000000000000000000ULL, P19 * 10000000000000000000ULL
};

tn_int128 tn_numeric_pow10(int n)
{
    return powers_of_ten[n];
}

static uint128 magnitude(tn_int128 value)
{
    return value < 0 ? -(uint128)value : (uint128)value;
}

static int overflow(tn_error *err)
{
    return tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "value overflows numeric format");
}

static bool fits(tn_int128 value)
{
    return magnitude(value) < (uint128)tn_numeric_pow10(MAX_DIGITS);
}

int tn_numeric_digit_count(tn_int128 value)
{
    uint128 m = magnitude(value);
    int digits = 0;
    while (m > 0) {
        m /= 10;
        digits++;
    }
    return digits;
}

size_t tn_numeric_to_string(tn_int128 value, int scale, char *buf)
{
    char digits[48];
    int count = 0;
    if (scale > MAX_DIGITS) /* not a valid scale: keep within buf */
        scale = MAX_DIGITS;
    uint128 m = magnitude(value);
    do {
        digits[count++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m > 0);
    while (count <= scale)
        digits[count++] = '0';
    size_t length = 0;
    if (value < 0)
        buf[length++] = '-';
    for (int i = count - 1; i >= 0; i--) {
        buf[length++] = digits[i];
        if (i == scale && scale > 0)
            buf[length++] = '.';
    }
    buf[length] = '\0';
    return length;
}

/* Case-insensitive match of the whole of text[0..length) against word. */
static bool matches(const char *text, size_t length, const char *word)
{
    return strlen(word) == length && strncasecmp(text, word, length) == 0;
}

int tn_numeric_parse(const char *text, size_t length, tn_int128 *value, int *scale, tn_error *err)
{
    size_t start = 0, end = length;
    while (start < end && isspace((unsigned char)text[start]))
        start++;
    while (end > start && isspace((unsigned char)text[end - 1]))
        end--;
    const char *s = text + start;
    size_t n = end - start, pos = 0;
    if (matches(s, n, "nan"))
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "cannot convert NaN to numeric");
    if (matches(s, n, "infinity") || matches(s, n, "+infinity") || matches(s, n, "-infinity") ||
        matches(s, n, "inf") || matches(s, n, "+inf") || matches(s, n, "-inf"))
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                            "cannot convert infinity to numeric");
    bool negative = false;
    if (pos < n && (s[pos] == '+' || s[pos] == '-'))
        negative = s[pos++] == '-';
    /* Significant digits go into an accumulator; those past 38 are counted
     * (integer part) or remembered for rounding (fraction). */
    uint128 acc = 0;
    int significant = 0, dropped_integer = 0, fraction = 0, round_digit = -1;
    bool any_digit = false, seen_point = false;
    for (; pos < n; pos++) {
        char c = s[pos];
        if (c == '.' && !seen_point) {
            seen_point = true;
            continue;
        }
        if (!isdigit((unsigned char)c))
            break;
        any_digit = true;
        if (significant == 0 && c == '0') {
            fraction += seen_point;
            continue;
        }
        if (significant < MAX_DIGITS) {
            acc = acc * 10 + (uint128)(c - '0');
            significant++;
            fraction += seen_point;
        } else if (!seen_point) {
            dropped_integer++;
        } else if (round_digit < 0) {
            round_digit = c - '0';
        }
    }
    long exponent = 0;
    if (any_digit && pos < n && (s[pos] == 'e' || s[pos] == 'E')) {
        size_t epos = pos + 1;
        bool eneg = false;
        if (epos < n && (s[epos] == '+' || s[epos] == '-'))
            eneg = s[epos++] == '-';
        if (epos >= n || !isdigit((unsigned char)s[epos]))
            goto syntax;
        for (; epos < n && isdigit((unsigned char)s[epos]); epos++) {
            if (exponent < 100000) /* far past 38 digits either way: stop counting */
                exponent = exponent * 10 + (s[epos] - '0');
        }
        exponent = eneg ? -exponent : exponent;
        pos = epos;
    }
    if (!any_digit || pos != n)
        goto syntax;
    if (round_digit >= 5)
        acc++;
    if (acc >= (uint128)tn_numeric_pow10(MAX_DIGITS) || dropped_integer > 0)
        return overflow(err);
    /* value = acc * 10^(dropped_integer - fraction + exponent) */
    long result_scale = (long)fraction - exponent;
    tn_int128 v = negative ? -(tn_int128)acc : (tn_int128)acc;
    if (result_scale < 0) {
        if (acc != 0 && tn_numeric_digit_count(v) - result_scale > MAX_DIGITS)
            return overflow(err);
        v = acc == 0 ? 0 : v * tn_numeric_pow10((int)-result_scale);
        result_scale = 0;
    } else if (result_scale > MAX_DIGITS) {
        /* more decimals than 38 digits can hold: round them away */
        if (tn_numeric_rescale(v, (int)result_scale, MAX_DIGITS, &v, err) != 0)
            return -1;
        result_scale = MAX_DIGITS;
    }
    *value = v;
    *scale = (int)result_scale;
    return 0;
syntax:
    return tn_error_set(err, TN_ERR_INVALID_TEXT_REPRESENTATION, 0,
                        "invalid input syntax for type numeric: \"%.*s\"", (int)length, text);
}

int tn_numeric_rescale(tn_int128 value, int scale, int new_scale, tn_int128 *out, tn_error *err)
{
    if (new_scale >= scale) {
        int shift = new_scale - scale;
        if (value != 0 && tn_numeric_digit_count(value) + shift > MAX_DIGITS)
            return overflow(err);
        *out = value * tn_numeric_pow10(shift);
        return 0;
    }
    int shift = scale - new_scale;
    if (shift > MAX_DIGITS) {
        *out = 0;
        return 0;
    }
    tn_int128 divisor = tn_numeric_pow10(shift);
    tn_int128 quotient = value / divisor, remainder = value % divisor;
    if (magnitude(remainder) * 2 >= (uint128)divisor)
        quotient += value < 0 ? -1 : 1;
    if (!fits(quotient))
        return overflow(err);
    *out = quotient;
    return 0;
}

int tn_numeric_check_precision(tn_int128 value, int precision, int scale, tn_error *err)
{
    if (precision <= 0 || magnitude(value) < (uint128)tn_numeric_pow10(precision))
        return 0;
    int max_digits = precision - scale;
    tn_error_set(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE, 0, "numeric field overflow");
    if (max_digits > 0)
        tn_error_detail(err, "A field with precision %d, scale %d must round to an absolute value "
                             "less than 10^%d.", precision, scale, max_digits);
    else
        tn_error_detail(err, "A field with precision %d, scale %d must round to an absolute value "
                             "less than 1.", precision, scale);
    return -1;
}

int tn_numeric_report_overflow(tn_type type, tn_error *err)
{
    if (type.precision <= 0 || !tn_error_is(err, TN_ERR_NUMERIC_VALUE_OUT_OF_RANGE))
        return -1;
    tn_error_clear(err);
    return tn_numeric_check_precision(tn_numeric_pow10(MAX_DIGITS) - 1, type.precision, type.scale, err);
}

int tn_numeric_apply_typmod(tn_int128 value, int scale, tn_type type, tn_int128 *out, tn_error *err)
{
    tn_int128 v = 0;
    if (tn_numeric_rescale(value, scale, type.scale, &v, err) != 0)
        return -1;
    if (tn_numeric_check_precision(v, type.precision, type.scale, err) != 0)
        return -1;
    *out = v;
    return 0;
}

void tn_numeric_from_int(int64_t integer, tn_int128 *value, int *scale)
{
    *value = integer;
    *scale = 0;
}

int tn_numeric_from_double(double number, bool is_float4, tn_int128 *value, int *scale,
                           tn_error *err)
{
    if (isnan(number))
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0, "cannot convert NaN to numeric");
    if (isinf(number))
        return tn_error_set(err, TN_ERR_FEATURE_NOT_SUPPORTED, 0,
                            "cannot convert infinity to numeric");
    char buf[64];
    int length = snprintf(buf, sizeof buf, "%.*g", is_float4 ? 6 : 15, number);
    return tn_numeric_parse(buf, (size_t)length, value, scale, err);
}

double tn_numeric_to_double(tn_int128 value, int scale)
{
    /* Exact operands below 2^53 and 10^22 make one correctly rounded division. */
    if (magnitude(value) < ((uint128)1 << 53) && scale <= 22)
        return (double)value / (double)tn_numeric_pow10(scale);
    char buf[TN_NUMERIC_STRING_SIZE];
    tn_numeric_to_string(value, scale, buf);
    return strtod(buf, NULL);
}

int tn_numeric_to_int64(tn_int128 value, int scale, int64_t *out)
{
    tn_int128 rounded = 0;
    if (tn_numeric_rescale(value, scale, 0, &rounded, NULL) != 0)
        return -1;
    if (rounded < INT64_MIN || rounded > INT64_MAX)
        return -1;
    *out = (int64_t)rounded;
    return 0;
}

/* Brings a and b to their common (larger) scale.  Operands past 38 digits
 * (only corrupt data holds them) are refused, so sums and remainders of
 * aligned operands cannot overflow. */
static int align(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *a_out,
                 tn_int128 *b_out, int *scale, tn_error *err)
{
    if (!fits(a) || !fits(b))
        return overflow(err);
    *scale = a_scale > b_scale ? a_scale : b_scale;
    if (tn_numeric_rescale(a, a_scale, *scale, a_out, err) != 0 ||
        tn_numeric_rescale(b, b_scale, *scale, b_out, err) != 0)
        return -1;
    return 0;
}

int tn_numeric_add(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err)
{
    tn_int128 x = 0, y = 0;
    if (align(a, a_scale, b, b_scale, &x, &y, out_scale, err) != 0)
        return -1;
    /* two 38-digit values can pass 2^127 (about 1.7 * 10^38) */
    if (__builtin_add_overflow(x, y, out) || !fits(*out))
        return overflow(err);
    return 0;
}

int tn_numeric_sub(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err)
{
    return tn_numeric_add(a, a_scale, -b, b_scale, out, out_scale, err);
}

int tn_numeric_mul(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err)
{
    tn_int128 product;
    if (a_scale + b_scale > MAX_DIGITS || __builtin_mul_overflow(a, b, &product) || !fits(product))
        return overflow(err);
    *out = product;
    *out_scale = a_scale + b_scale;
    return 0;
}

/* PostgreSQL keeps numerics in base-10000 digits; its division scale rule
 * reads the weight (position of the first such digit) and that digit. */
static void weight_and_first_digit(tn_int128 value, int scale, int *weight, int *first_digit)
{
    if (value == 0) {
        *weight = 0;
        *first_digit = 0;
        return;
    }
    int exponent = tn_numeric_digit_count(value) - 1 - scale; /* of the leading decimal digit */
    int w = exponent >= 0 ? exponent / 4 : -((-exponent + 3) / 4);
    int shift = scale + 4 * w; /* first_digit = |value| / 10^shift */
    uint128 m = magnitude(value);
    *weight = w;
    *first_digit = (int)(shift >= 0 ? m / (uint128)tn_numeric_pow10(shift)
                                    : m * (uint128)tn_numeric_pow10(-shift));
}

int tn_numeric_div_scale(tn_int128 a, int a_scale, tn_int128 b, int b_scale)
{
    int weight1, first1, weight2, first2;
    weight_and_first_digit(a, a_scale, &weight1, &first1);
    weight_and_first_digit(b, b_scale, &weight2, &first2);
    int quotient_weight = weight1 - weight2;
    if (first1 <= first2)
        quotient_weight--;
    int scale = MIN_SIG_DIGITS - quotient_weight * 4;
    if (scale < a_scale)
        scale = a_scale;
    if (scale < b_scale)
        scale = b_scale;
    if (scale < 0)
        scale = 0;
    return scale > 1000 ? 1000 : scale;
}

/* numerator / denominator * 10^extra_digits, rounded half up (the caller
 * applies the sign, so this is half away from zero). */
static int divide_rounded(uint128 numerator, uint128 denominator, int extra_digits, uint128 *out,
                          tn_error *err)
{
    uint128 limit = (uint128)tn_numeric_pow10(MAX_DIGITS);
    uint128 quotient = numerator / denominator, remainder = numerator % denominator;
    if (quotient >= limit)
        return overflow(err);
    for (int step = 0; step <= extra_digits; step++) {
        /* next digit of remainder*10 / denominator without forming remainder*10 */
        uint128 acc = 0;
        int digit = 0;
        for (int i = 0; i < 10; i++) {
            acc += remainder;
            if (acc >= denominator) {
                acc -= denominator;
                digit++;
            }
        }
        remainder = acc;
        if (step == extra_digits) {
            if (digit >= 5)
                quotient++;
            break;
        }
        quotient = quotient * 10 + (uint128)digit;
        if (quotient >= limit)
            return overflow(err);
    }
    if (quotient >= limit)
        return overflow(err);
    *out = quotient;
    return 0;
}

int tn_numeric_div_scaled(tn_int128 a, int a_scale, tn_int128 b, int b_scale, int result_scale,
                          tn_int128 *out, tn_error *err)
{
    if (b == 0)
        return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
    if (result_scale > MAX_DIGITS)
        return overflow(err);
    /* a/10^as / (b/10^bs) * 10^rs = a * 10^(rs - as + bs) / b */
    int extra = result_scale - a_scale + b_scale;
    uint128 numerator = magnitude(a), denominator = magnitude(b), quotient = 0;
    if (extra < 0) {
        /* rare: a caller-chosen scale below a's; shift the divisor instead */
        if (-extra > MAX_DIGITS || denominator > (uint128)tn_numeric_pow10(MAX_DIGITS) ||
            tn_numeric_digit_count(b) - extra > MAX_DIGITS) {
            /* the divisor dwarfs any numerator: the quotient rounds to zero
             * unless it is at least half, impossible past 38 digits */
            *out = 0;
            return 0;
        }
        denominator *= (uint128)tn_numeric_pow10(-extra);
        extra = 0;
    }
    if (divide_rounded(numerator, denominator, extra, &quotient, err) != 0)
        return -1;
    *out = ((a < 0) != (b < 0)) ? -(tn_int128)quotient : (tn_int128)quotient;
    return 0;
}

int tn_numeric_div(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err)
{
    if (b == 0)
        return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
    int scale = tn_numeric_div_scale(a, a_scale, b, b_scale);
    if (tn_numeric_div_scaled(a, a_scale, b, b_scale, scale, out, err) != 0)
        return -1;
    *out_scale = scale;
    return 0;
}

int tn_numeric_mod(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err)
{
    tn_int128 x = 0, y = 0;
    if (align(a, a_scale, b, b_scale, &x, &y, out_scale, err) != 0)
        return -1;
    if (y == 0)
        return tn_error_set(err, TN_ERR_DIVISION_BY_ZERO, 0, "division by zero");
    *out = x % y;
    return 0;
}

int tn_numeric_avg(tn_int128 sum, int sum_scale, int64_t count, tn_int128 *out, int *out_scale,
                   tn_error *err)
{
    return tn_numeric_div(sum, sum_scale, count, 0, out, out_scale, err);
}

/* Shared by round and trunc: drop digits below 10^-digits, then express
 * the result at scale max(digits, 0). */
static int round_or_trunc(tn_int128 value, int scale, int digits, bool is_round, tn_int128 *out,
                          int *out_scale, tn_error *err)
{
    if (digits > MAX_DIGITS)
        digits = MAX_DIGITS;
    int result_scale = digits > 0 ? digits : 0;
    if (digits >= scale) {
        *out_scale = result_scale;
        return tn_numeric_rescale(value, scale, result_scale, out, err);
    }
    int drop = scale - digits; /* > 0 */
    tn_int128 kept;
    if (drop > MAX_DIGITS) {
        kept = 0;
    } else {
        tn_int128 divisor = tn_numeric_pow10(drop);
        kept = value / divisor;
        if (is_round && magnitude(value % divisor) * 2 >= (uint128)divisor)
            kept += value < 0 ? -1 : 1;
    }
    /* kept counts units of 10^-digits; at result_scale that is kept*10^(result_scale-digits) */
    if (kept != 0 && tn_numeric_digit_count(kept) + (result_scale - digits) > MAX_DIGITS)
        return overflow(err);
    *out = kept == 0 ? 0 : kept * tn_numeric_pow10(result_scale - digits);
    *out_scale = result_scale;
    return 0;
}

int tn_numeric_round(tn_int128 value, int scale, int digits, tn_int128 *out, int *out_scale,
                     tn_error *err)
{
    return round_or_trunc(value, scale, digits, true, out, out_scale, err);
}

int tn_numeric_trunc(tn_int128 value, int scale, int digits, tn_int128 *out, int *out_scale,
                     tn_error *err)
{
    return round_or_trunc(value, scale, digits, false, out, out_scale, err);
}

int tn_numeric_compare(tn_int128 a, int a_scale, tn_int128 b, int b_scale)
{
    if ((a < 0) != (b < 0))
        return a < 0 ? -1 : 1;
    if (a_scale != b_scale) {
        /* scale the one with fewer decimals; if that overflows 38 digits its
         * magnitude is the larger one */
        bool scale_a = a_scale < b_scale;
        tn_int128 *low = scale_a ? &a : &b;
        int shift = scale_a ? b_scale - a_scale : a_scale - b_scale;
        if (*low != 0 && tn_numeric_digit_count(*low) + shift > MAX_DIGITS) {
            int bigger = scale_a ? 1 : -1; /* |a| > |b| when a was the one scaled */
            return a < 0 ? -bigger : bigger;
        }
        *low *= tn_numeric_pow10(shift);
    }
    return a < b ? -1 : a > b;
}
