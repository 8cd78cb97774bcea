/*
 * Unit tests of time zones: TZif files of the system database (Europe/Paris,
 * America/New_York, Australia/Sydney) read through the cache, offsets at
 * instants before and after the last listed transition (the footer's POSIX
 * rule), PostgreSQL's choice in spring-forward gaps and fall-back overlaps,
 * POSIX TZ strings by themselves, the SET TimeZone spellings, and corrupt
 * TZif data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "types/timezone.h"

/* Microseconds since 1970 of a UTC civil time. */
static int64_t utc(int year, int month, int day, int hour, int minute)
{
    return tn_date_from_ymd(year, month, day) * TN_USECS_PER_DAY + hour * TN_USECS_PER_HOUR +
           minute * TN_USECS_PER_MINUTE;
}

static tn_timezone zone_named(const char *name)
{
    tn_error err = TN_ERROR_INIT;
    tn_timezone zone = tn_timezone_utc();
    assert_int_equal(tn_timezone_lookup(name, strlen(name), &zone, &err), 0);
    assert_non_null(zone.rules);
    return zone;
}

static void test_paris(void **state)
{
    (void)state;
    tn_timezone paris = zone_named("europe/PARIS");
    assert_string_equal(tn_timezone_name(&paris), "Europe/Paris");
    const char *abbrev;
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2024, 1, 15, 12, 0), &abbrev), 3600);
    assert_string_equal(abbrev, "CET");
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2024, 7, 15, 12, 0), &abbrev), 7200);
    assert_string_equal(abbrev, "CEST");
    /* the transition instants themselves: 01:00 UTC */
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2024, 3, 31, 1, 0) - 1, NULL), 3600);
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2024, 3, 31, 1, 0), NULL), 7200);
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2024, 10, 27, 1, 0), NULL), 3600);
    /* local 02:30 on the spring-forward night does not exist: the offset
     * before (+01); on the fall-back night it is ambiguous: after (+01) */
    assert_int_equal(tn_timezone_offset_of_local(&paris, utc(2024, 3, 31, 2, 30)), 3600);
    assert_int_equal(tn_timezone_offset_of_local(&paris, utc(2024, 10, 27, 2, 30)), 3600);
    assert_int_equal(tn_timezone_offset_of_local(&paris, utc(2024, 10, 27, 1, 59)), 7200);
    /* 1900: local mean time of Paris, 0:09:21 */
    assert_int_equal(tn_timezone_offset_at(&paris, utc(1900, 1, 1, 0, 0), NULL), 561);
    /* far past the table: the footer rule */
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2300, 7, 1, 0, 0), NULL), 7200);
    assert_int_equal(tn_timezone_offset_at(&paris, utc(2300, 12, 1, 0, 0), NULL), 3600);
    /* the same object comes back from the cache */
    tn_timezone again = zone_named("Europe/Paris");
    assert_ptr_equal(again.rules, paris.rules);
}

static void test_new_york_and_sydney(void **state)
{
    (void)state;
    tn_timezone york = zone_named("America/New_York");
    assert_int_equal(tn_timezone_offset_at(&york, utc(2024, 3, 10, 7, 0) - 1, NULL), -18000);
    assert_int_equal(tn_timezone_offset_at(&york, utc(2024, 3, 10, 7, 0), NULL), -14400);
    assert_int_equal(tn_timezone_offset_at(&york, utc(2100, 11, 7, 5, 59), NULL), -14400);
    assert_int_equal(tn_timezone_offset_at(&york, utc(2100, 11, 7, 6, 0), NULL), -18000);
    /* DST across New Year in the southern hemisphere, past the table */
    tn_timezone sydney = zone_named("Australia/Sydney");
    assert_int_equal(tn_timezone_offset_at(&sydney, utc(2200, 1, 1, 0, 0), NULL), 39600);
    assert_int_equal(tn_timezone_offset_at(&sydney, utc(2200, 7, 1, 0, 0), NULL), 36000);
}

static void test_posix_rules(void **state)
{
    (void)state;
    tn_tz_rules *rules = tn_timezone_rules_posix("EST5EDT,M3.2.0,M11.1.0", "test");
    assert_non_null(rules);
    tn_timezone zone = {0, rules};
    const char *abbrev;
    assert_int_equal(tn_timezone_offset_at(&zone, utc(2024, 3, 10, 7, 0) - 1, &abbrev), -18000);
    assert_string_equal(abbrev, "EST");
    assert_int_equal(tn_timezone_offset_at(&zone, utc(2024, 3, 10, 7, 0), &abbrev), -14400);
    assert_string_equal(abbrev, "EDT");
    tn_timezone_rules_free(rules);
    /* Jn days skip February 29; times after the slash; angle-bracket names */
    rules = tn_timezone_rules_posix("<+0330>-3:30<+0430>,J79/24,J263/24", "tehran");
    assert_non_null(rules);
    zone.rules = rules;
    assert_int_equal(tn_timezone_offset_at(&zone, utc(2020, 6, 1, 0, 0), &abbrev), 16200);
    assert_string_equal(abbrev, "+0430");
    assert_int_equal(tn_timezone_offset_at(&zone, utc(2020, 1, 1, 0, 0), NULL), 12600);
    tn_timezone_rules_free(rules);
    assert_null(tn_timezone_rules_posix("FOO", "x"));
    assert_null(tn_timezone_rules_posix("EST5EDT,M13.1.0,M11.1.0", "x"));
}

static void test_settings_and_errors(void **state)
{
    (void)state;
    tn_error err = TN_ERROR_INIT;
    tn_timezone zone;
    assert_int_equal(tn_timezone_parse_setting("-7", &zone, &err), 0);
    assert_string_equal(tn_timezone_name(&zone), "<-07>+07");
    assert_int_equal(tn_timezone_offset_at(&zone, 0, NULL), -25200);
    assert_int_equal(tn_timezone_parse_setting("5.5", &zone, &err), 0);
    assert_string_equal(tn_timezone_name(&zone), "<+05:30>-05:30");
    assert_int_equal(tn_timezone_parse_setting("utc+3", &zone, &err), 0);
    assert_string_equal(tn_timezone_name(&zone), "UTC+3");
    assert_int_equal(tn_timezone_offset_at(&zone, 0, NULL), -10800);
    assert_int_equal(tn_timezone_parse_setting("Foo/Bar", &zone, &err), -1);
    assert_string_equal(err.message, "invalid value for parameter \"TimeZone\": \"Foo/Bar\"");
    tn_error_clear(&err);
    assert_int_equal(tn_timezone_lookup("../etc/passwd", 13, &zone, &err), -1);
    assert_string_equal(err.sqlstate, "22023");
    assert_string_equal(err.message, "time zone \"../etc/passwd\" not recognized");
    tn_error_clear(&err);
    assert_int_equal(tn_timezone_lookup("zone.tab", 8, &zone, &err), -1);
    tn_error_clear(&err);
}

static void test_corrupt_files(void **state)
{
    (void)state;
    uint8_t data[256];
    FILE *file = fopen(TN_TIMEZONE_DIR "/Europe/Paris", "rb");
    assert_non_null(file);
    size_t size = fread(data, 1, sizeof data, file);
    fclose(file);
    tn_error err = TN_ERROR_INIT;
    for (size_t cut = 0; cut < size; cut += 7) {
        tn_tz_rules *rules = tn_timezone_rules_parse(data, cut, "Europe/Paris", &err);
        assert_null(rules);
        assert_string_equal(err.sqlstate, "22023");
        tn_error_clear(&err);
    }
    data[3] = 'x';
    assert_null(tn_timezone_rules_parse(data, size, "bad", &err));
    assert_string_equal(err.message, "invalid time zone file \"bad\": bad header");
    tn_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paris),
        cmocka_unit_test(test_new_york_and_sydney),
        cmocka_unit_test(test_posix_rules),
        cmocka_unit_test(test_settings_and_errors),
        cmocka_unit_test(test_corrupt_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
