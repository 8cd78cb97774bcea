/*
 * Results: rows handed out one at a time from the executor's chunks, each
 * value rendered in PostgreSQL's text output format on request.  The
 * command tag gets its row count when the rows have all been read.
 */
#include "api/api_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types/bytea.h"
#include "types/format.h"

int tn_result_column_count(const tn_result *result)
{
    return result->column_count;
}

const char *tn_result_column_name(const tn_result *result, int column)
{
    return column >= 0 && column < result->column_count ? result->names[column] : NULL;
}

tn_type_id tn_result_column_type(const tn_result *result, int column)
{
    return column >= 0 && column < result->column_count ? result->types[column].id : TN_TYPE_NULL;
}

const char *tn_result_column_type_name(tn_result *result, int column)
{
    if (column < 0 || column >= result->column_count)
        return NULL;
    return tn_type_name(result->types[column], result->type_name, sizeof result->type_name);
}

int tn_result_next_row(tn_result *result, tn_error *err)
{
    if (result->at_end)
        return 0;
    if (result->chunk != NULL && result->row + 1 < result->chunk->count) {
        result->row++;
        result->row_count++;
        return 1;
    }
    for (;;) {
        int rc = tn_executor_next(result->executor, &result->chunk, err);
        if (rc < 0) {
            result->at_end = true;
            result->chunk = NULL;
            return -1;
        }
        if (rc == 0) {
            result->at_end = true;
            result->chunk = NULL;
            return 0;
        }
        if (result->chunk->count > 0)
            break;
    }
    result->row = 0;
    result->row_count++;
    return 1;
}

bool tn_result_is_null(const tn_result *result, int column)
{
    if (result->chunk == NULL || column < 0 || column >= result->column_count)
        return true;
    return !tn_vector_is_valid(&result->chunk->columns[column], result->row);
}

const char *tn_result_text(tn_result *result, int column)
{
    if (tn_result_is_null(result, column))
        return NULL;
    tn_value value;
    tn_vector_get_value(&result->chunk->columns[column], result->row, &value);
    char buf[TN_FORMAT_SIZE];
    size_t length;
    const char *text = tn_format_value(&value, &result->timezone, buf, &length);
    if (result->texts == NULL) {
        result->texts = calloc((size_t)result->column_count, sizeof(tn_buf));
        if (result->texts == NULL)
            return NULL;
    }
    tn_buf *out = &result->texts[column];
    tn_buf_clear(out);
    if (value.type.id == TN_TYPE_BYTEA) { /* hex output, any length */
        if (tn_buf_reserve(out, 2 + 2 * (size_t)value.u.string.length + 1) != 0)
            return NULL;
        out->length = tn_bytea_hex_into(tn_string_data(&value.u.string), value.u.string.length, out->data);
        out->data[out->length] = '\0';
        return out->data;
    }
    if (text == NULL || tn_buf_append(out, text, length) != 0)
        return NULL;
    return out->data != NULL ? out->data : "";
}

const char *tn_result_command_tag(tn_result *result)
{
    const char *tag = result->tag != NULL ? result->tag : "";
    if (result->returns_rows && strcmp(tag, "SELECT") != 0)
        return tag;
    if (strcmp(tag, "INSERT") == 0)
        snprintf(result->tag_text, sizeof result->tag_text, "INSERT 0 %" PRId64, result->row_count);
    else if (result->returns_rows || strcmp(tag, "UPDATE") == 0 || strcmp(tag, "DELETE") == 0 ||
             strcmp(tag, "SELECT") == 0) /* CREATE TABLE AS reports "SELECT n" */
        snprintf(result->tag_text, sizeof result->tag_text, "%s %" PRId64, tag, result->row_count);
    else
        return tag;
    return result->tag_text;
}

void tn_result_close(tn_result *result)
{
    if (result == NULL)
        return;
    tn_executor_destroy(result->executor);
    tn_arena_destroy(result->arena);
    if (result->texts != NULL) {
        for (int column = 0; column < result->column_count; column++)
            tn_buf_free(&result->texts[column]);
        free(result->texts);
    }
    free(result);
}
