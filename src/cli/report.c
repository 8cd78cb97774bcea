/*
 * Error reports in psql's words and layout:
 *
 *     ERROR:  column "x" does not exist
 *     LINE 1: SELECT x FROM t;
 *                    ^
 *     HINT:  ...
 *
 * The LINE/caret part follows libpq's reportErrorPosition: the position is
 * a 1-based character offset; the line holding it is shown with tabs turned
 * into spaces, trimmed with "..." to about 60 screen columns while keeping
 * at least 10 columns after the caret; a \r\n pair counts as one line end.
 * A position past the end of the text prints no LINE part, as in psql.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "cli/cli.h"

enum {
    DISPLAY_SIZE = 60,  /* screen width limit of the LINE text */
    MIN_RIGHT_CUT = 10, /* keep this many columns after the caret */
};

/* Byte length and screen width of the UTF-8 character at text. */
static void measure_char(const char *text, size_t *length, int *width)
{
    utf8proc_int32_t codepoint;
    utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)text, -1, &codepoint);
    if (used <= 0) {
        *length = 1;
        *width = 1;
        return;
    }
    *length = (size_t)used;
    *width = utf8proc_charwidth(codepoint);
    if (*width <= 0)
        *width = 1;
}

/* Prints the LINE and caret lines for 0-based character loc of query. */
static void report_position(FILE *out, const char *query, int loc)
{
    size_t size = strlen(query) + 1;
    char *text = strdup(query);
    size_t *byte_at = malloc(size * sizeof *byte_at);   /* character -> byte offset */
    int *column_at = malloc(size * sizeof *column_at);  /* character -> screen column */
    if (text == NULL || byte_at == NULL || column_at == NULL)
        goto done;

    size_t offset = 0;
    int column = 0, line = 1, begin = 0, end = -1, cno;
    for (cno = 0; text[offset] != '\0'; cno++) {
        char ch = text[offset];
        byte_at[cno] = offset;
        column_at[cno] = column;
        if (ch == '\t') {
            text[offset] = ' ';
        } else if (ch == '\r' || ch == '\n') {
            if (cno < loc) {
                if (ch == '\r' || cno == 0 || text[byte_at[cno - 1]] != '\r')
                    line++;
                begin = cno + 1;
            } else {
                end = cno;
                break;
            }
        }
        size_t length;
        int width;
        measure_char(text + offset, &length, &width);
        column += width;
        offset += length;
    }
    if (end < 0) {
        end = cno;
        byte_at[end] = offset;
        column_at[end] = column;
    }
    if (loc > cno)
        goto done;

    bool cut_begin = false, cut_end = false;
    if (column_at[end] - column_at[begin] > DISPLAY_SIZE) {
        if (column_at[begin] + DISPLAY_SIZE >= column_at[loc] + MIN_RIGHT_CUT) {
            while (column_at[end] - column_at[begin] > DISPLAY_SIZE)
                end--;
            cut_end = true;
        } else {
            while (column_at[loc] + MIN_RIGHT_CUT < column_at[end]) {
                end--;
                cut_end = true;
            }
            while (column_at[end] - column_at[begin] > DISPLAY_SIZE) {
                begin++;
                cut_begin = true;
            }
        }
    }
    text[byte_at[end]] = '\0';

    char prefix[32];
    int prefix_width = snprintf(prefix, sizeof prefix, "LINE %d: %s", line,
                                cut_begin ? "..." : "");
    fprintf(out, "%s%s%s\n", prefix, text + byte_at[begin], cut_end ? "..." : "");
    int caret = prefix_width + column_at[loc] - column_at[begin];
    fprintf(out, "%*s^\n", caret, "");
done:
    free(text);
    free(byte_at);
    free(column_at);
}

void cli_report_error(FILE *out, const tn_error *err, const char *statement,
                      int position_offset)
{
    fprintf(out, "ERROR:  %s\n", err->message != NULL ? err->message : "unknown error");
    int position = err->position - position_offset;
    if (err->position > 0 && position > 0 && statement != NULL)
        report_position(out, statement, position - 1);
    if (err->detail != NULL)
        fprintf(out, "DETAIL:  %s\n", err->detail);
    if (err->hint != NULL)
        fprintf(out, "HINT:  %s\n", err->hint);
}
