/*
 * NUMERIC arithmetic on 128-bit unscaled integers.  A value is a pair
 * (unscaled, scale): 12.345 is (12345, 3).  Every result keeps at most 38
 * significant digits (TN_NUMERIC_MAX_PRECISION); a result that would need
 * more is an error (22003 "value overflows numeric format"), never a wrong
 * answer.  PostgreSQL's NaN and Infinity cannot be represented, so
 * conversions that would produce them fail with 0A000.
 *
 * Result scales follow PostgreSQL: + and - take the larger scale, * the sum
 * of the scales, / PostgreSQL's select_div_scale (at least 16 significant
 * digits, never less than either input's scale), % the larger scale.
 * Rounding is half away from zero everywhere, as PostgreSQL's round_var.
 *
 * Unconstrained numeric values each carry their own scale (PostgreSQL's
 * display scale; a vector keeps them per row), so kernels use the
 * functions choosing the scale from the values (tn_numeric_div); those
 * taking an explicit result scale (tn_numeric_div_scaled) serve fixed
 * scales such as a numeric(p,s) column.  Text input with PostgreSQL's rules is
 * tn_numeric_parse; typmods (precision, scale) apply with
 * tn_numeric_apply_typmod.
 */
#ifndef TN_TYPES_NUMERIC_H
#define TN_TYPES_NUMERIC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "types/types.h"

/* Largest text tn_numeric_to_string writes, with its NUL. */
#define TN_NUMERIC_STRING_SIZE 48

/* 10^n for 0 <= n <= 38. */
tn_int128 tn_numeric_pow10(int n);
/* Decimal digits of |value| (0 for zero). */
int tn_numeric_digit_count(tn_int128 value);

/* value at scale as the text PostgreSQL prints ("-1.50", "0.05").  buf holds
 * at least TN_NUMERIC_STRING_SIZE bytes; returns the length written. */
size_t tn_numeric_to_string(tn_int128 value, int scale, char *buf);

/* Parses PostgreSQL numeric input ("  -12.5e3 ") into its natural value and
 * scale.  Fractional digits past 38 significant digits are rounded away.
 * Errors: 22P02 syntax, 22003 too many integer digits, 0A000 NaN/Infinity. */
int tn_numeric_parse(const char *text, size_t length, tn_int128 *value, int *scale, tn_error *err);

/* Moves value from scale to new_scale (0..38), rounding half away from zero.
 * 22003 "value overflows numeric format" past 38 digits. */
int tn_numeric_rescale(tn_int128 value, int scale, int new_scale, tn_int128 *out, tn_error *err);
/* Checks a value already at the typmod's scale against its precision
 * (precision 0 = unconstrained): 22003 "numeric field overflow" with
 * PostgreSQL's detail. */
int tn_numeric_check_precision(tn_int128 value, int precision, int scale, tn_error *err);
/* Rescale to type.scale then check type.precision: PostgreSQL's apply_typmod. */
int tn_numeric_apply_typmod(tn_int128 value, int scale, tn_type type, tn_int128 *out, tn_error *err);
/* After a conversion failed with 22003 because the value needs more than
 * 38 digits, turns err into what PostgreSQL reports for type: "numeric
 * field overflow" when type has a precision (no value that large fits it).
 * Returns -1. */
int tn_numeric_report_overflow(tn_type type, tn_error *err);

/* Conversions.  from_int/from_double give the natural value and scale
 * (PostgreSQL converts a double through "%.15g", a float through "%.6g");
 * to_int64 rounds half away from zero and returns -1 when the result does
 * not fit in int64 (the caller names the target type in its message). */
void tn_numeric_from_int(int64_t integer, tn_int128 *value, int *scale);
int tn_numeric_from_double(double number, bool is_float4, tn_int128 *value, int *scale,
                           tn_error *err);
double tn_numeric_to_double(tn_int128 value, int scale);
int tn_numeric_to_int64(tn_int128 value, int scale, int64_t *out);

/* Arithmetic; *out_scale receives the result scale. */
int tn_numeric_add(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err);
int tn_numeric_sub(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err);
int tn_numeric_mul(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err);
/* Division with PostgreSQL's result scale (tn_numeric_div_scale). 22012 on zero. */
int tn_numeric_div(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err);
/* Division rounded to result_scale (0..38). */
int tn_numeric_div_scaled(tn_int128 a, int a_scale, tn_int128 b, int b_scale, int result_scale,
                          tn_int128 *out, tn_error *err);
/* PostgreSQL's select_div_scale for these operands (may exceed 38, which
 * then makes the division fail). */
int tn_numeric_div_scale(tn_int128 a, int a_scale, tn_int128 b, int b_scale);
/* Remainder with the sign of a (truncating division), scale max(a, b). */
int tn_numeric_mod(tn_int128 a, int a_scale, tn_int128 b, int b_scale, tn_int128 *out,
                   int *out_scale, tn_error *err);
/* avg(): sum / count with division's result scale. */
int tn_numeric_avg(tn_int128 sum, int sum_scale, int64_t count, tn_int128 *out, int *out_scale,
                   tn_error *err);

/* round(x, digits) / trunc(x, digits): digits may be negative (round to
 * tens, hundreds); the result scale is max(digits, 0). */
int tn_numeric_round(tn_int128 value, int scale, int digits, tn_int128 *out, int *out_scale,
                     tn_error *err);
int tn_numeric_trunc(tn_int128 value, int scale, int digits, tn_int128 *out, int *out_scale,
                     tn_error *err);

/* Compares values of possibly different scales: <0, 0, >0. */
int tn_numeric_compare(tn_int128 a, int a_scale, tn_int128 b, int b_scale);

#endif
