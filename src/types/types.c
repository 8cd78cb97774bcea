/*
 * Type names and sizes.  The catalog stores a column type as the text
 * tn_type_name produces, so tn_type_parse must read every such spelling.
 */
#include "types/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    size_t size;
} type_info[TN_TYPE__COUNT] = {
    [TN_TYPE_NULL] = {"unknown", 1},
    [TN_TYPE_BOOL] = {"boolean", sizeof(uint8_t)},
    [TN_TYPE_INT16] = {"smallint", sizeof(int16_t)},
    [TN_TYPE_INT32] = {"integer", sizeof(int32_t)},
    [TN_TYPE_INT64] = {"bigint", sizeof(int64_t)},
    [TN_TYPE_FLOAT32] = {"real", sizeof(float)},
    [TN_TYPE_FLOAT64] = {"double precision", sizeof(double)},
    [TN_TYPE_NUMERIC] = {"numeric", sizeof(tn_int128)},
    [TN_TYPE_TEXT] = {"text", sizeof(tn_string)},
    [TN_TYPE_DATE] = {"date", sizeof(int32_t)},
    [TN_TYPE_TIMESTAMP] = {"timestamp without time zone", sizeof(int64_t)},
    [TN_TYPE_TIMESTAMPTZ] = {"timestamp with time zone", sizeof(int64_t)},
    [TN_TYPE_INTERVAL] = {"interval", sizeof(tn_interval)},
    [TN_TYPE_TIME] = {"time without time zone", sizeof(int64_t)},
    [TN_TYPE_BYTEA] = {"bytea", sizeof(tn_string)},
};

size_t tn_type_size(tn_type_id id)
{
    return (unsigned)id < TN_TYPE__COUNT ? type_info[id].size : 0;
}

const char *tn_type_id_name(tn_type_id id)
{
    return (unsigned)id < TN_TYPE__COUNT ? type_info[id].name : "unknown";
}

const char *tn_type_name(tn_type type, char *buf, size_t size)
{
    if (type.id == TN_TYPE_NUMERIC && type.precision > 0)
        snprintf(buf, size, "numeric(%d,%d)", type.precision, type.scale);
    else if (type.id == TN_TYPE_TEXT && type.precision > 0)
        snprintf(buf, size, "character varying(%d)", type.precision);
    else
        snprintf(buf, size, "%s", tn_type_id_name(type.id));
    return buf;
}

int tn_type_parse(const char *text, tn_type *out)
{
    int precision = 0, scale = 0;
    if (sscanf(text, "numeric(%d,%d)", &precision, &scale) == 2) {
        if (precision < 1 || precision > TN_NUMERIC_MAX_PRECISION || scale < 0 || scale > precision)
            return -1;
        *out = tn_type_numeric(precision, scale);
        return 0;
    }
    if (sscanf(text, "character varying(%d)", &precision) == 1) {
        if (precision < 1)
            return -1;
        *out = tn_type_make(TN_TYPE_TEXT);
        out->precision = (int16_t)precision;
        return 0;
    }
    for (int id = 0; id < TN_TYPE__COUNT; id++) {
        if (strcmp(text, type_info[id].name) == 0) {
            *out = tn_type_make((tn_type_id)id);
            return 0;
        }
    }
    return -1;
}

int tn_string_compare(const tn_string *a, const tn_string *b)
{
    uint32_t common = a->length < b->length ? a->length : b->length;
    int cmp = common ? memcmp(tn_string_data(a), tn_string_data(b), common) : 0;
    if (cmp != 0)
        return cmp;
    return a->length < b->length ? -1 : a->length > b->length;
}
