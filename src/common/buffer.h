/*
 * tn_buf: a growable byte buffer on malloc, for output whose size is not
 * known ahead (encoded pages, formatted text, files read whole).  Appends
 * return -1 when memory runs out and leave the buffer as it was.  The data
 * is always NUL-terminated past length so that text can be used directly.
 */
#ifndef TN_COMMON_BUFFER_H
#define TN_COMMON_BUFFER_H

#include <stddef.h>

typedef struct tn_buf {
    char *data;      /* NULL until the first append */
    size_t length;   /* bytes in use */
    size_t capacity; /* bytes allocated, excluding the terminating NUL */
} tn_buf;

#define TN_BUF_INIT {NULL, 0, 0}

int tn_buf_reserve(tn_buf *buf, size_t extra);
int tn_buf_append(tn_buf *buf, const void *data, size_t length);
int tn_buf_append_char(tn_buf *buf, char c);
int tn_buf_append_str(tn_buf *buf, const char *text);
int tn_buf_printf(tn_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tn_buf_clear(tn_buf *buf); /* length 0, memory kept */
void tn_buf_free(tn_buf *buf);
/* Hands the data to the caller (free() it) and empties buf. */
char *tn_buf_take(tn_buf *buf);

#endif
