/*
 * How the sqllogictest runner turns query results into the text the test
 * files expect, and compares them.
 *
 * SQLite corpus (*.test): the record's type letter, not the column's type,
 * decides the rendering - I truncates toward zero (text gives its leading
 * integer, else 0; booleans give 1/0), R prints %.3f, T prints the text
 * with "" as "(empty)" and bytes outside 0x20..0x7E as '@'; NULL is "NULL".
 * Values are listed one per line, sorted bytewise for rowsort/valuesort, and
 * a block "N values hashing to H" is compared by count and MD5 of the
 * values each followed by '\n'.
 * sqllogictest-rs (*.slt): PostgreSQL's text per value (NULL "NULL", ""
 * "(empty)"), one row per line joined by spaces, whitespace runs collapsed
 * on both sides; rowsort sorts both sides.
 */
#include <ctype.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/slt.h"

/* ---- rendering ---- */

/* A plain decimal numeral: [+-]digits[.digits] (what numeric and integer
 * output look like); such text is truncated as text, so 38-digit numerics
 * stay exact. */
static bool is_plain_decimal(const char *text)
{
    const char *cursor = text + (*text == '-' || *text == '+');
    size_t digits = strspn(cursor, "0123456789");
    if (digits == 0)
        return false;
    cursor += digits;
    if (*cursor == '.')
        cursor += 1 + strspn(cursor + 1, "0123456789");
    return *cursor == '\0';
}

static char *truncate_decimal(const char *text)
{
    bool negative = *text == '-';
    const char *digits = text + (*text == '-' || *text == '+');
    size_t length = strspn(digits, "0123456789");
    while (length > 1 && *digits == '0') {
        digits++;
        length--;
    }
    char *out = NULL;
    bool zero = length == 1 && *digits == '0';
    if (asprintf(&out, "%s%.*s", negative && !zero ? "-" : "", (int)length, digits) < 0)
        return NULL;
    return out;
}

static char *format_integer_double(double value)
{
    char *out = NULL;
    double truncated = trunc(value);
    int status;
    if (isnan(truncated))
        status = asprintf(&out, "0");
    else if (fabs(truncated) < 9.2e18)
        status = asprintf(&out, "%lld", (long long)truncated);
    else
        status = asprintf(&out, "%.0f", truncated);
    return status < 0 ? NULL : out;
}

static char *render_integer(tn_type_id type, const char *text)
{
    if (type == TN_TYPE_BOOL && (strcmp(text, "t") == 0 || strcmp(text, "f") == 0))
        return strdup(text[0] == 't' ? "1" : "0");
    text += strspn(text, " \t\n");
    if (is_plain_decimal(text))
        return truncate_decimal(text);
    char *end;
    double value = strtod(text, &end);
    if (end != text && end[strspn(end, " \t\n")] == '\0')
        return format_integer_double(value);
    /* Text: its leading integer, as SQLite converts it, else 0. */
    const char *cursor = text + (*text == '-' || *text == '+');
    size_t digits = strspn(cursor, "0123456789");
    if (digits == 0)
        return strdup("0");
    char *numeral = strndup(text, (size_t)(cursor - text) + digits);
    char *out = numeral != NULL ? truncate_decimal(numeral) : NULL;
    free(numeral);
    return out;
}

static char *render_real(tn_type_id type, const char *text)
{
    double value = 0;
    if (type == TN_TYPE_BOOL && (strcmp(text, "t") == 0 || strcmp(text, "f") == 0))
        value = text[0] == 't';
    else
        value = strtod(text, NULL);
    char *out = NULL;
    return asprintf(&out, "%.3f", value) < 0 ? NULL : out;
}

static char *render_text(const char *text)
{
    if (text[0] == '\0')
        return strdup("(empty)");
    char *out = strdup(text);
    for (char *cursor = out; cursor != NULL && *cursor != '\0'; cursor++)
        if ((unsigned char)*cursor < 0x20 || (unsigned char)*cursor > 0x7E)
            *cursor = '@';
    return out;
}

char *slt_render_typed(char letter, tn_type_id type, const char *text)
{
    if (text == NULL)
        return strdup("NULL");
    switch (letter) {
    case 'I': case 'i': return render_integer(type, text);
    case 'R': case 'r': return render_real(type, text);
    default: return render_text(text);
    }
}

char *slt_render_plain(const char *text)
{
    if (text == NULL)
        return strdup("NULL");
    return strdup(text[0] == '\0' ? "(empty)" : text);
}

char *slt_normalize_row(const char *row)
{
    char *out = malloc(strlen(row) + 1);
    if (out == NULL)
        return NULL;
    char *write = out;
    bool pending_space = false;
    for (const char *cursor = row; *cursor != '\0'; cursor++) {
        if (isspace((unsigned char)*cursor)) {
            pending_space = write != out;
            continue;
        }
        if (pending_space)
            *write++ = ' ';
        pending_space = false;
        *write++ = *cursor;
    }
    *write = '\0';
    return out;
}

/* ---- sorting and hashing ---- */

static int compare_rows(const void *left, const void *right, void *width)
{
    char *const *left_row = *(char *const *const *)left;
    char *const *right_row = *(char *const *const *)right;
    for (size_t col_idx = 0; col_idx < *(size_t *)width; col_idx++) {
        int order = strcmp(left_row[col_idx], right_row[col_idx]);
        if (order != 0)
            return order;
    }
    return 0;
}

void slt_sort_rows(slt_strings *values, size_t column_count)
{
    if (column_count == 0 || values->count == 0 || values->count % column_count != 0)
        return;
    size_t row_count = values->count / column_count;
    char ***rows = malloc((row_count + 1) * sizeof *rows);
    char **sorted = malloc((values->count + 1) * sizeof *sorted);
    if (rows != NULL && sorted != NULL) {
        for (size_t row_idx = 0; row_idx < row_count; row_idx++)
            rows[row_idx] = values->items + row_idx * column_count;
        qsort_r(rows, row_count, sizeof *rows, compare_rows, &column_count);
        for (size_t row_idx = 0; row_idx < row_count; row_idx++)
            memcpy(sorted + row_idx * column_count, rows[row_idx],
                   column_count * sizeof *sorted);
        memcpy(values->items, sorted, values->count * sizeof *sorted);
    }
    free(rows);
    free(sorted);
}

static int compare_strings(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

void slt_sort_values(slt_strings *values)
{
    if (values->count > 1)
        qsort(values->items, values->count, sizeof *values->items, compare_strings);
}

void slt_hash_values(const slt_strings *values, char hex[33])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    hex[0] = '\0';
    if (context == NULL)
        return;
    if (EVP_DigestInit_ex(context, EVP_md5(), NULL) == 1) {
        for (size_t idx = 0; idx < values->count; idx++) {
            EVP_DigestUpdate(context, values->items[idx], strlen(values->items[idx]));
            EVP_DigestUpdate(context, "\n", 1);
        }
        if (EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 16)
            for (unsigned int idx = 0; idx < length; idx++)
                snprintf(hex + 2 * idx, 3, "%02x", digest[idx]);
    }
    EVP_MD_CTX_free(context);
}

bool slt_parse_hash_line(const char *line, size_t *count, char hex[33])
{
    unsigned long long value;
    char hash[40];
    int consumed = 0;
    if (sscanf(line, "%llu values hashing to %39s%n", &value, hash, &consumed) != 2 ||
        line[consumed + (int)strspn(line + consumed, " \t")] != '\0' || strlen(hash) != 32)
        return false;
    *count = (size_t)value;
    memcpy(hex, hash, 33);
    return true;
}

/* ---- comparing ---- */

/* rs expected rows, normalized and sorted like the actual ones. */
static void prepare_rs_expected(const slt_record *record, slt_strings *expected)
{
    for (size_t idx = 0; idx < record->expected.count; idx++) {
        char *row = slt_normalize_row(record->expected.items[idx]);
        if (record->sort == SLT_VALUESORT && row != NULL) {
            char *save = NULL;
            for (char *word = strtok_r(row, " ", &save); word != NULL;
                 word = strtok_r(NULL, " ", &save))
                slt_strings_push(expected, word);
            free(row);
        } else {
            slt_strings_push_owned(expected, row);
        }
    }
    if (record->sort != SLT_NOSORT)
        slt_sort_values(expected);
}

static bool same_lines(const slt_strings *expected, const slt_strings *actual)
{
    if (expected->count != actual->count)
        return false;
    for (size_t idx = 0; idx < expected->count; idx++)
        if (strcmp(expected->items[idx], actual->items[idx]) != 0)
            return false;
    return true;
}

bool slt_result_matches(const slt_record *record, bool rs, const slt_strings *actual,
                        slt_strings *shown)
{
    size_t expected_count;
    char expected_hash[33];
    bool matches;
    if (record->expected.count == 1 &&
        slt_parse_hash_line(record->expected.items[0], &expected_count, expected_hash)) {
        char actual_hash[33];
        slt_hash_values(actual, actual_hash);
        matches = expected_count == actual->count && strcmp(expected_hash, actual_hash) == 0;
        if (!matches && shown != NULL) {
            char *line = NULL;
            if (asprintf(&line, "%zu values hashing to %s", actual->count, actual_hash) >= 0)
                slt_strings_push_owned(shown, line);
        }
        return matches;
    }
    if (rs) {
        slt_strings expected = {0};
        prepare_rs_expected(record, &expected);
        matches = same_lines(&expected, actual);
        slt_strings_free(&expected);
    } else {
        matches = same_lines(&record->expected, actual);
    }
    for (size_t idx = 0; !matches && shown != NULL && idx < actual->count; idx++)
        slt_strings_push(shown, actual->items[idx]);
    return matches;
}
