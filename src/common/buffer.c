/*
 * tn_buf implementation: capacity doubles, one spare byte for the NUL.
 */
#include "common/buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tn_buf_reserve(tn_buf *buf, size_t extra)
{
    if (buf->capacity - buf->length >= extra && buf->data != NULL)
        return 0;
    size_t needed = buf->length + extra;
    if (needed < buf->length)
        return -1;
    size_t capacity = buf->capacity ? buf->capacity : 64;
    while (capacity < needed) {
        if (capacity > ((size_t)-1) / 2)
            return -1;
        capacity *= 2;
    }
    char *data = realloc(buf->data, capacity + 1);
    if (data == NULL)
        return -1;
    buf->data = data;
    buf->capacity = capacity;
    buf->data[buf->length] = '\0';
    return 0;
}

int tn_buf_append(tn_buf *buf, const void *data, size_t length)
{
    if (tn_buf_reserve(buf, length) != 0)
        return -1;
    if (length > 0)
        memcpy(buf->data + buf->length, data, length);
    buf->length += length;
    buf->data[buf->length] = '\0';
    return 0;
}

int tn_buf_append_char(tn_buf *buf, char c)
{
    return tn_buf_append(buf, &c, 1);
}

int tn_buf_append_str(tn_buf *buf, const char *text)
{
    return tn_buf_append(buf, text, strlen(text));
}

int tn_buf_printf(tn_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int length = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (length < 0 || tn_buf_reserve(buf, (size_t)length) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->length, (size_t)length + 1, fmt, ap);
    va_end(ap);
    buf->length += (size_t)length;
    return 0;
}

void tn_buf_clear(tn_buf *buf)
{
    buf->length = 0;
    if (buf->data != NULL)
        buf->data[0] = '\0';
}

void tn_buf_free(tn_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->length = buf->capacity = 0;
}

char *tn_buf_take(tn_buf *buf)
{
    char *data = buf->data;
    buf->data = NULL;
    buf->length = buf->capacity = 0;
    return data;
}
