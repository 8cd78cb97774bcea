/*
 * Text input: PostgreSQL 15's rules for reading a value of each type from
 * text (DateStyle ISO, MDY), with its error codes and messages, which quote
 * the whole input as given: 22P02 'invalid input syntax for type integer:
 * "12a"', 22003 'value "99999999999" is out of range for type integer',
 * 22007/22008 for dates and times.  Casts from text, literals, COPY and
 * ingest all read through here.
 *
 * Inputs are (pointer, length) and need no terminating NUL.  Nothing is
 * allocated except by tn_parse_value for TEXT, whose result points at the
 * input bytes.
 *
 * Date/time input accepts: ISO dates ('2024-01-15', '20240115'), MDY
 * ('1/15/2024', '01-15-24'), month names ('January 15, 2024',
 * '15-Jan-2024'), day names (ignored), BC/AD, 'epoch', 'infinity',
 * '-infinity'; times 'hh:mm[:ss[.ffffff]]' with am/pm and an optional 'T'
 * separator; zones 'Z', 'UTC', 'GMT', '+hh', '+hhmm', '+hh:mm[:ss]'.
 * Not yet: 'now', 'today' and friends, named time zones, Julian days.
 * Intervals: PostgreSQL's verbose form ('1 year 2 mons -3 days 04:05:06',
 * '@ 1 hour ago', '1.5 days', '1-2' years-months) and ISO 8601 designators
 * ('P1Y2M3DT4H5M6S').
 */
#ifndef TN_TYPES_PARSE_H
#define TN_TYPES_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "types/datetime.h"
#include "types/types.h"

/* t/true/yes/on/1, f/false/no/off/0, any case, unique prefixes allowed. */
int tn_parse_bool(const char *text, size_t length, bool *out, tn_error *err);
/* type is TN_TYPE_INT16, INT32 or INT64; the range is checked for it. */
int tn_parse_int(const char *text, size_t length, tn_type_id type, int64_t *out, tn_error *err);
int tn_parse_float64(const char *text, size_t length, double *out, tn_error *err);
int tn_parse_float32(const char *text, size_t length, float *out, tn_error *err);
/* Reads a numeric and brings it to type's scale, checking its precision. */
int tn_parse_numeric(const char *text, size_t length, tn_type type, tn_int128 *out, tn_error *err);
int tn_parse_date(const char *text, size_t length, int32_t *out, tn_error *err);
/* A zone in the text is ignored, as PostgreSQL does for this type. */
int tn_parse_timestamp(const char *text, size_t length, int64_t *out, tn_error *err);
/* Text without a zone is read as wall-clock time in zone. */
int tn_parse_timestamptz(const char *text, size_t length, const tn_timezone *zone, int64_t *out,
                         tn_error *err);
int tn_parse_interval(const char *text, size_t length, tn_interval *out, tn_error *err);
/* time without time zone: 'hh:mm[:ss[.f]]' with am/pm, 'allballs'; a date
 * or zone in the text is ignored.  Microseconds since midnight. */
int tn_parse_time(const char *text, size_t length, int64_t *out, tn_error *err);

/* Any type.  out->type is type, except that an unconstrained NUMERIC
 * (precision 0) keeps the input's own scale ('1.50' -> scale 2), as a
 * PostgreSQL numeric literal does.  A TEXT result points at text.  BYTEA
 * input needs an arena for its bytes: tn_bytea_parse (types/bytea.h). */
int tn_parse_value(const char *text, size_t length, tn_type type, const tn_timezone *zone,
                   tn_value *out, tn_error *err);

#endif
