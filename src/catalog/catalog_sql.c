/*
 * Small services the rest of the catalog leans on: running one statement
 * with bound arguments through the store interface, snapshot timestamps in
 * their stored text form, random UUIDs (OpenSSL) and the file layout of a
 * lake (data/<schema>/<table>/<uuid>.parquet).
 */
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog/catalog_int.h"

static tn_store_stmt *prepare_bound(tn_catalog *catalog, tn_error *err, const char *sql,
                                    const char *args, va_list ap);
static char *safe_name(tn_arena *arena, const char *name);

static tn_store_stmt *prepare_bound(tn_catalog *catalog, tn_error *err, const char *sql,
                                    const char *args, va_list ap)
{
    const tn_store_ops *ops = catalog->ops;
    tn_store_stmt *stmt = ops->prepare(catalog->store, sql, err);
    if (stmt == NULL)
        return NULL;
    for (int arg_idx = 0; args[arg_idx] != '\0'; arg_idx++) {
        int result;
        switch (args[arg_idx]) {
        case 'i':
            result = ops->bind_int64(stmt, arg_idx + 1, va_arg(ap, int64_t), err);
            break;
        case 'b':
            result = ops->bind_int64(stmt, arg_idx + 1, va_arg(ap, int) ? 1 : 0, err);
            break;
        case 't':
            result = ops->bind_text(stmt, arg_idx + 1, va_arg(ap, const char *), err);
            break;
        default:
            result = tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0,
                                  "unknown catalog argument kind '%c'", args[arg_idx]);
            break;
        }
        if (result < 0) {
            ops->finalize(stmt);
            return NULL;
        }
    }
    return stmt;
}

tn_store_stmt *tn_catalog_sql_query(tn_catalog *catalog, tn_error *err, const char *sql,
                                    const char *args, ...)
{
    va_list ap;
    va_start(ap, args);
    tn_store_stmt *stmt = prepare_bound(catalog, err, sql, args, ap);
    va_end(ap);
    return stmt;
}

int tn_catalog_sql_exec(tn_catalog *catalog, tn_error *err, const char *sql, const char *args,
                        ...)
{
    va_list ap;
    va_start(ap, args);
    tn_store_stmt *stmt = prepare_bound(catalog, err, sql, args, ap);
    va_end(ap);
    if (stmt == NULL)
        return -1;
    int result;
    while ((result = catalog->ops->step(stmt, err)) == 1)
        ;
    catalog->ops->finalize(stmt);
    return result;
}

int tn_catalog_sql_int64(tn_catalog *catalog, tn_error *err, int64_t *out, const char *sql,
                         const char *args, ...)
{
    va_list ap;
    va_start(ap, args);
    tn_store_stmt *stmt = prepare_bound(catalog, err, sql, args, ap);
    va_end(ap);
    if (stmt == NULL)
        return -1;
    int result = catalog->ops->step(stmt, err);
    if (result == 1) {
        if (catalog->ops->column_is_null(stmt, 0))
            result = 0;
        else
            *out = catalog->ops->column_int64(stmt, 0);
    }
    catalog->ops->finalize(stmt);
    return result;
}

const char *tn_catalog_sql_text(tn_catalog *catalog, tn_store_stmt *stmt, int column,
                                tn_arena *arena)
{
    const char *text = catalog->ops->column_text(stmt, column);
    return text == NULL ? NULL : tn_arena_strdup(arena, text);
}

/* ---- time ---- */

int64_t tn_catalog_time_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

void tn_catalog_time_format(int64_t micros, char *buf, size_t size)
{
    time_t seconds = (time_t)(micros / 1000000);
    int64_t fraction = micros % 1000000;
    if (fraction < 0) {
        fraction += 1000000;
        seconds--;
    }
    struct tm parts;
    gmtime_r(&seconds, &parts);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06lld+00", parts.tm_year + 1900,
             parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
             (long long)fraction);
}

int tn_catalog_time_parse(const char *text, int64_t *micros)
{
    struct tm parts;
    memset(&parts, 0, sizeof parts);
    int fraction = 0, consumed = 0;
    if (sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d.%6d+00%n", &parts.tm_year, &parts.tm_mon,
               &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &fraction,
               &consumed) != 7 ||
        consumed == 0 || text[consumed] != '\0')
        return -1;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    *micros = (int64_t)timegm(&parts) * 1000000 + fraction;
    return 0;
}

/* ---- uuids and paths ---- */

char *tn_catalog_uuid_new(tn_arena *arena, tn_error *err)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        tn_error_set(err, TN_ERR_INTERNAL_ERROR, 0, "could not generate random bytes for a uuid");
        return NULL;
    }
    bytes[6] = (unsigned char)((bytes[6] & 0x0f) | 0x40); /* version 4 */
    bytes[8] = (unsigned char)((bytes[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char *text = tn_arena_alloc(arena, 37);
    if (text == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    char *out = text;
    for (int byte_idx = 0; byte_idx < 16; byte_idx++) {
        if (byte_idx == 4 || byte_idx == 6 || byte_idx == 8 || byte_idx == 10)
            *out++ = '-';
        out += sprintf(out, "%02x", bytes[byte_idx]);
    }
    return text;
}

/* A folder name for an object name: anything but letters, digits, '_', '-'
 * and '.' becomes '_', and "." / ".." cannot escape the lake.  Two names
 * may share a folder; files are named by uuid so they never collide. */
static char *safe_name(tn_arena *arena, const char *name)
{
    char *safe = tn_arena_strdup(arena, name[0] != '\0' ? name : "_");
    if (safe == NULL)
        return NULL;
    for (char *c = safe; *c != '\0'; c++) {
        bool keep = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                    (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.';
        if (!keep)
            *c = '_';
    }
    if (strcmp(safe, ".") == 0 || strcmp(safe, "..") == 0)
        safe[0] = '_';
    return safe;
}

char *tn_catalog_path_folder(tn_arena *arena, const char *name)
{
    char *safe = safe_name(arena, name);
    return safe == NULL ? NULL : tn_arena_printf(arena, "%s/", safe);
}

char *tn_catalog_path_new_file(tn_arena *arena, const char *schema, const char *table,
                               bool is_delete_file, tn_error *err)
{
    char *uuid = tn_catalog_uuid_new(arena, err);
    if (uuid == NULL)
        return NULL;
    char *schema_folder = tn_catalog_path_folder(arena, schema);
    char *table_folder = tn_catalog_path_folder(arena, table);
    char *path = schema_folder == NULL || table_folder == NULL
                     ? NULL
                     : tn_arena_printf(arena, "data/%s%s%s%s.parquet", schema_folder,
                                       table_folder, uuid, is_delete_file ? "-delete" : "");
    if (path == NULL)
        tn_error_oom(err);
    return path;
}

int tn_catalog_array_grow(tn_arena *arena, void **items, int *capacity, int count, size_t size,
                          tn_error *err)
{
    if (count < *capacity)
        return 0;
    int grown = *capacity == 0 ? 8 : *capacity * 2;
    void *bigger = tn_arena_realloc(arena, *items, (size_t)*capacity * size, (size_t)grown * size);
    if (bigger == NULL)
        return tn_error_oom(err);
    *items = bigger;
    *capacity = grown;
    return 0;
}
