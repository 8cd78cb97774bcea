/*
 * Operators on time of day (TIME, microseconds since midnight): time -
 * time, time +/- interval (wrapping around midnight, as PostgreSQL's),
 * date + time and time + date.  Comparisons are func_compare.c's, extract
 * and date_part func_datetime.c's; the calendar work is types/datetime.h's.
 */
#include "exec/exec_int.h"

#include "types/datetime.h"

TN_ROW_KERNEL2(time_minus_time, int64_t, int64_t, tn_interval, { r[i] = (tn_interval){0, 0, x - y}; })
TN_ROW_KERNEL2(time_plus_interval, int64_t, tn_interval, int64_t, { r[i] = tn_time_add_interval(x, &y); })
TN_ROW_KERNEL2(interval_plus_time, tn_interval, int64_t, int64_t, { r[i] = tn_time_add_interval(y, &x); })
TN_ROW_KERNEL2(time_minus_interval, int64_t, tn_interval, int64_t, {
    tn_interval negated = {0, 0, -(y.micros % TN_USECS_PER_DAY)};
    r[i] = tn_time_add_interval(x, &negated);
})
TN_ROW_KERNEL2(date_plus_time, int32_t, int64_t, int64_t,
               { if (tn_date_add_time(x, y, &r[i], err) != 0) return -1; })
TN_ROW_KERNEL2(time_plus_date, int64_t, int32_t, int64_t,
               { if (tn_date_add_time(y, x, &r[i], err) != 0) return -1; })

static const tn_scalar_function functions[] = {
    TN_FN2("-", TIME, TIME, INTERVAL, time_minus_time, NULL),
    TN_FN2("+", TIME, INTERVAL, TIME, time_plus_interval, NULL),
    TN_FN2("+", INTERVAL, TIME, TIME, interval_plus_time, NULL),
    TN_FN2("-", TIME, INTERVAL, TIME, time_minus_interval, NULL),
    TN_FN2("+", DATE, TIME, TIMESTAMP, date_plus_time, NULL),
    TN_FN2("+", TIME, DATE, TIMESTAMP, time_plus_date, NULL),
};

const tn_function_list tn_func_time_list = {functions, sizeof functions / sizeof functions[0]};
