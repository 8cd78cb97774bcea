/*
 * Values as PostgreSQL 15 prints them (DateStyle ISO, IntervalStyle
 * postgres, extra_float_digits 1 = shortest round-trip floats).  This is
 * what clients see: result sets, the wire protocol, casts to text, CSV and
 * JSON export all go through here.
 *
 * Every formatter writes into a caller's buffer of TN_FORMAT_SIZE bytes,
 * NUL-terminates it and returns the length: no allocation, so kernels can
 * format a whole vector into an arena without per-value mallocs.
 */
#ifndef TN_TYPES_FORMAT_H
#define TN_TYPES_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types/datetime.h"
#include "types/types.h"

#define TN_FORMAT_SIZE 128

size_t tn_format_bool(bool value, char *buf);            /* "t" / "f" */
size_t tn_format_int64(int64_t value, char *buf);
/* Shortest text that reads back to the same value: "0.1", "1e+100",
 * "1.5e-07", "-0", "NaN", "Infinity". */
size_t tn_format_float64(double value, char *buf);
size_t tn_format_float32(float value, char *buf);
size_t tn_format_numeric(tn_int128 value, int scale, char *buf); /* exactly scale decimals */
size_t tn_format_date(int32_t date, char *buf);          /* "2024-01-15", "0044-03-15 BC" */
size_t tn_format_timestamp(int64_t ts, char *buf);       /* "2024-01-15 10:30:00.5" */
/* "2024-01-15 10:30:00+00": the instant shown in zone with its offset. */
size_t tn_format_timestamptz(int64_t ts, const tn_timezone *zone, char *buf);
size_t tn_format_interval(const tn_interval *span, char *buf); /* "1 year 2 mons 3 days 04:05:06" */
size_t tn_format_time(int64_t micros_of_day, char *buf);  /* "19:24:00", "10:00:00.5" */

/* Any value: returns its text and length, NULL for SQL NULL.  TEXT values
 * return their own bytes (not NUL-terminated); every other type is written
 * into buf (TN_FORMAT_SIZE bytes); a long BYTEA is cut there with "..."
 * (messages only: exact output is tn_bytea_format_hex). */
const char *tn_format_value(const tn_value *value, const tn_timezone *zone, char *buf,
                            size_t *length);

#endif
