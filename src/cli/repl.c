/*
 * The interactive loop of `tarn sql LAKE` on a terminal (libedit's readline
 * interface).  Lines accumulate until a ';' outside quotes and comments
 * ends a statement; the prompt is `tarn=> ` for a new statement and
 * `tarn-> ` while one continues.  A line starting with a backslash on an
 * empty buffer is a meta-command (\q, \?, \dt).  History lives in
 * ~/.tarn_history.  Statement boundaries are only found here to know when
 * to send text; the library splits what is sent into statements itself.
 */
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>

#include "cli/cli.h"

enum { HISTORY_SIZE = 1000 };

static const char help_text[] =
    "General\n"
    "  \\q              quit (so does Ctrl-D)\n"
    "  \\?              show this help\n"
    "Informational\n"
    "  \\dt             list tables\n"
    "End each SQL statement with ';'; it may span several lines.\n";

static const char list_tables_sql[] =
    "SELECT table_schema AS \"Schema\", table_name AS \"Name\" "
    "FROM information_schema.tables "
    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2;";

static bool is_ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || (unsigned char)ch >= 0x80;
}

/* Length of a dollar-quote delimiter ($$ or $tag$) at text, 0 if none. */
static size_t dollar_tag_length(const char *text)
{
    size_t length = 1;
    if ((text[1] >= '0' && text[1] <= '9'))
        return 0;
    while (is_ident_char(text[length]))
        length++;
    return text[length] == '$' ? length + 1 : 0;
}

/* Skips a quoted literal or identifier starting at its opening quote; returns
 * the position after it, or NULL when the text ends inside it. */
static const char *skip_quoted(const char *start, const char *cursor, char quote)
{
    bool backslashes = quote == '\'' && cursor > start && (cursor[-1] == 'e' || cursor[-1] == 'E') &&
                       (cursor - 1 == start || !is_ident_char(cursor[-2]));
    for (cursor++; *cursor != '\0'; cursor++) {
        if (backslashes && *cursor == '\\' && cursor[1] != '\0')
            cursor++;
        else if (*cursor == quote && cursor[1] == quote)
            cursor++;
        else if (*cursor == quote)
            return cursor + 1;
    }
    return NULL;
}

/* Skips a comment starting at cursor: a "--" line, or a slash-star block
 * that nests as in PostgreSQL.  NULL when a block is still open at the end. */
static const char *skip_comment(const char *cursor)
{
    if (cursor[0] == '-') {
        const char *end = strchr(cursor, '\n');
        return end != NULL ? end + 1 : cursor + strlen(cursor);
    }
    int depth = 0;
    while (*cursor != '\0') {
        if (cursor[0] == '/' && cursor[1] == '*') {
            depth++;
            cursor += 2;
        } else if (cursor[0] == '*' && cursor[1] == '/') {
            cursor += 2;
            if (--depth == 0)
                return cursor;
        } else {
            cursor++;
        }
    }
    return NULL;
}

/* Byte offset just past the last ';' that ends a statement in text, or 0
 * when no statement is complete yet. */
static size_t complete_length(const char *text)
{
    size_t complete = 0;
    const char *cursor = text;
    while (cursor != NULL && *cursor != '\0') {
        char ch = *cursor;
        if (ch == ';') {
            cursor++;
            complete = (size_t)(cursor - text);
        } else if (ch == '\'' || ch == '"') {
            cursor = skip_quoted(text, cursor, ch);
        } else if ((ch == '-' && cursor[1] == '-') || (ch == '/' && cursor[1] == '*')) {
            cursor = skip_comment(cursor);
        } else if (ch == '$' && (cursor == text || !is_ident_char(cursor[-1])) &&
                   dollar_tag_length(cursor) > 0) {
            size_t tag = dollar_tag_length(cursor);
            const char *body = cursor + tag;
            const char *end = body;
            while ((end = strchr(end, '$')) != NULL && strncmp(end, cursor, tag) != 0)
                end++;
            cursor = end != NULL ? end + tag : NULL;
        } else {
            cursor++;
        }
    }
    return complete;
}

/* Handles a backslash command; returns false for \q. */
static bool run_meta_command(tn_session *session, cli_format format, const char *line)
{
    char name[32] = "";
    sscanf(line, "\\%31s", name);
    if (strcmp(name, "q") == 0 || strcmp(name, "quit") == 0)
        return false;
    if (strcmp(name, "?") == 0)
        fputs(help_text, stdout);
    else if (strcmp(name, "dt") == 0)
        cli_run_script(session, list_tables_sql, format, false, true);
    else
        fprintf(stderr, "invalid command \\%s\nTry \\? for help.\n", name);
    return true;
}

static char *history_path(void)
{
    const char *home = getenv("HOME");
    char *path = NULL;
    if (home == NULL || home[0] == '\0' || asprintf(&path, "%s/.tarn_history", home) < 0)
        return NULL;
    return path;
}

static void remember(const char *text, size_t length)
{
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == ' '))
        length--;
    char *entry = strndup(text, length);
    if (entry != NULL && entry[0] != '\0')
        add_history(entry);
    free(entry);
}

/* Appends line and a newline to *buffer; false when out of memory. */
static bool append_line(char **buffer, const char *line)
{
    size_t used = *buffer != NULL ? strlen(*buffer) : 0;
    char *grown = realloc(*buffer, used + strlen(line) + 2);
    if (grown == NULL)
        return false;
    strcpy(grown + used, line);
    strcat(grown + used, "\n");
    *buffer = grown;
    return true;
}

/* Runs the complete statements at the front of *buffer and keeps the rest. */
static void run_complete(tn_session *session, cli_format format, char **buffer)
{
    size_t length = complete_length(*buffer);
    if (length == 0)
        return;
    remember(*buffer, length);
    char *statements = strndup(*buffer, length);
    if (statements != NULL)
        cli_run_script(session, statements, format, false, true);
    free(statements);
    const char *rest = *buffer + length;
    rest += strspn(rest, " \t\r\n");
    memmove(*buffer, rest, strlen(rest) + 1);
}

int cli_repl_run(tn_session *session, cli_format format)
{
    char *history = history_path();
    using_history();
    stifle_history(HISTORY_SIZE);
    if (history != NULL)
        read_history(history);
    printf("tarn %s (type \\? for help, \\q to quit)\n", TN_VERSION);

    char *buffer = NULL;
    for (;;) {
        bool fresh = buffer == NULL || buffer[0] == '\0';
        char *line = readline(fresh ? "tarn=> " : "tarn-> ");
        if (line == NULL) {
            putchar('\n');
            break;
        }
        const char *start = line + strspn(line, " \t");
        if (fresh && start[0] == '\\') {
            add_history(line);
            bool go_on = run_meta_command(session, format, start);
            free(line);
            if (!go_on)
                break;
            continue;
        }
        bool appended = (fresh && start[0] == '\0') || append_line(&buffer, line);
        free(line);
        if (!appended)
            break;
        if (buffer != NULL)
            run_complete(session, format, &buffer);
    }
    free(buffer);
    if (history != NULL)
        write_history(history);
    free(history);
    return CLI_EXIT_OK;
}
