/*
 * Named time zones: the system tz database (/usr/share/zoneinfo, TZif files
 * as RFC 8536 describes them) and POSIX TZ strings ('UTC+3', '<+03>-3',
 * 'EST5EDT'), as PostgreSQL's TimeZone setting and AT TIME ZONE accept them.
 * A loaded zone is a tn_tz_rules, kept for the life of the process in a
 * cache guarded by a mutex, so a tn_timezone that points to one stays valid
 * and can be copied freely.  The offsets of a zone at an instant and of a
 * local wall-clock time are in datetime.h (tn_timezone_offset_at,
 * tn_timezone_offset_of_local), where every caller already looks.
 */
#ifndef TN_TYPES_TIMEZONE_H
#define TN_TYPES_TIMEZONE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "types/datetime.h"

#define TN_TIMEZONE_DIR "/usr/share/zoneinfo"

/* A zone by name, case-insensitively: a file of the tz database, else a
 * POSIX TZ string (offsets count west: 'UTC+3' is three hours behind).
 * 22023 'time zone "x" not recognized'. */
int tn_timezone_lookup(const char *name, size_t length, tn_timezone *out, tn_error *err);

/* The value of SET TimeZone: a number is hours east of Greenwich ('-7',
 * '+02', '5.5'; SQL's sign, unlike POSIX), anything else a zone name.
 * 22023 'invalid value for parameter "TimeZone": "x"'. */
int tn_timezone_parse_setting(const char *value, tn_timezone *out, tn_error *err);

/* What SHOW TimeZone prints: the zone's canonical name ("Europe/Paris",
 * "UTC+3", "<-07>+07"), "UTC" for the default zone. */
const char *tn_timezone_name(const tn_timezone *zone);

/* TZif contents -> rules named name (malloc'd, for tests and the cache).
 * 22023 'invalid time zone file "name": <why>' on corrupt data. */
tn_tz_rules *tn_timezone_rules_parse(const uint8_t *data, size_t size, const char *name, tn_error *err);
/* A POSIX TZ string -> rules; NULL (no error text) when it is not one. */
tn_tz_rules *tn_timezone_rules_posix(const char *spec, const char *name);
void tn_timezone_rules_free(tn_tz_rules *rules);

#endif
