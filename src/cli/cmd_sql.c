/*
 * `tarn sql LAKE [SQL]`: runs SQL from the command line, a file, standard
 * input, or interactively (repl.c) when standard input is a terminal.
 *
 * Like psql, a script keeps going after a failed statement unless
 * --on-error-stop (or -v ON_ERROR_STOP=1) is given, and the exit status is
 * 1 when any statement failed.  Statements run one at a time through
 * tn_script so each result is printed as soon as it is complete.  Error
 * positions from the library count from the start of the whole text; for
 * files and standard input they are turned into positions inside the
 * failing statement, because psql sends those statements one by one and
 * its LINE numbers count inside each of them (for -c it sends the text
 * whole, and LINE counts inside the whole text).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct sql_options {
    const char *lake;
    const char *command;    /* -c or the positional SQL */
    const char *file;       /* -f; "-" for standard input */
    const char *principal;  /* --user */
    cli_format format;
    bool format_given;
    bool stop_on_error;
} sql_options;

static int parse_options(int argc, char **argv, sql_options *options);
static char *read_stream(FILE *in);
static int run_text(tn_session *session, const sql_options *options);

enum { OPT_FORMAT = 256, OPT_ON_ERROR_STOP };

static const struct option long_options[] = {
    {"command", required_argument, NULL, 'c'},
    {"file", required_argument, NULL, 'f'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"user", required_argument, NULL, 'U'},
    {"variable", required_argument, NULL, 'v'},
    {"on-error-stop", no_argument, NULL, OPT_ON_ERROR_STOP},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_sql_run(int argc, char **argv)
{
    sql_options options = {.format = CLI_FORMAT_TABLE};
    int status = parse_options(argc, argv, &options);
    if (status >= 0)
        return status;
    if (!options.format_given)
        options.format = isatty(STDOUT_FILENO) ? CLI_FORMAT_TABLE : CLI_FORMAT_CSV;

    tn_error err = TN_ERROR_INIT;
    tn_lake *lake = tn_lake_open(options.lake, &err);
    tn_session *session = lake != NULL ? tn_session_open(lake, options.principal, &err) : NULL;
    if (session == NULL) {
        cli_report_error(stderr, &err, NULL, 0);
        tn_error_clear(&err);
        tn_lake_close(lake);
        return CLI_EXIT_FAILED;
    }
    if (options.command == NULL && options.file == NULL && isatty(STDIN_FILENO))
        status = cli_repl_run(session, options.format);
    else
        status = run_text(session, &options);
    tn_session_close(session);
    tn_lake_close(lake);
    return status;
}

/* Returns -1 to go on, or the exit status when the command line ends the
 * command (--help, a usage error). */
static int parse_options(int argc, char **argv, sql_options *options)
{
    int option;
    while ((option = cli_getopt("sql", argc, argv, "c:f:U:v:h", long_options)) != -1) {
        switch (option) {
        case 'c': options->command = optarg; break;
        case 'f': options->file = optarg; break;
        case 'U': options->principal = optarg; break;
        case OPT_ON_ERROR_STOP: options->stop_on_error = true; break;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &options->format) < 0)
                return cli_usage_error("sql", "unknown format '%s' (use table, csv, tsv, json "
                                       "or ndjson)", optarg);
            options->format_given = true;
            break;
        case 'v':
            if (strncasecmp(optarg, "ON_ERROR_STOP=", 14) != 0)
                return cli_usage_error("sql", "unknown variable '%s' (only ON_ERROR_STOP is "
                                       "supported)", optarg);
            options->stop_on_error = strcmp(optarg + 14, "0") != 0 &&
                                     strcasecmp(optarg + 14, "off") != 0 &&
                                     strcasecmp(optarg + 14, "false") != 0;
            break;
        case 'h': fputs(cli_usage_sql, stdout); return CLI_EXIT_OK;
        default: return CLI_EXIT_USAGE;
        }
    }
    int positional = argc - optind;
    if (positional < 1)
        return cli_usage_error("sql", "missing LAKE directory");
    if (positional > 2)
        return cli_usage_error("sql", "unexpected argument '%s'", argv[optind + 2]);
    options->lake = argv[optind];
    if (positional == 2) {
        if (options->command != NULL)
            return cli_usage_error("sql", "give the SQL either as an argument or with -c, "
                                   "not both");
        options->command = argv[optind + 1];
    }
    if (options->command != NULL && options->file != NULL)
        return cli_usage_error("sql", "give either SQL text or -f FILE, not both");
    return -1;
}

/* Reads all of in into a NUL-terminated malloc'd buffer; NULL on failure. */
static char *read_stream(FILE *in)
{
    size_t length = 0, capacity = 65536;
    char *text = malloc(capacity);
    while (text != NULL) {
        length += fread(text + length, 1, capacity - length - 1, in);
        if (ferror(in)) {
            free(text);
            return NULL;
        }
        if (feof(in))
            break;
        char *grown = realloc(text, capacity * 2);
        if (grown == NULL)
            free(text);
        text = grown;
        capacity *= 2;
    }
    if (text != NULL)
        text[length] = '\0';
    return text;
}

static int run_text(tn_session *session, const sql_options *options)
{
    if (options->command != NULL) {
        int failures = cli_run_script(session, options->command, options->format,
                                      options->stop_on_error, false);
        return failures > 0 ? CLI_EXIT_FAILED : CLI_EXIT_OK;
    }
    bool from_stdin = options->file == NULL || strcmp(options->file, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(options->file, "rb");
    if (in == NULL) {
        fprintf(stderr, "tarn sql: could not open file \"%s\": %m\n", options->file);
        return CLI_EXIT_FAILED;
    }
    char *text = read_stream(in);
    if (!from_stdin)
        fclose(in);
    if (text == NULL) {
        fprintf(stderr, "tarn sql: could not read \"%s\": %m\n",
                from_stdin ? "standard input" : options->file);
        return CLI_EXIT_FAILED;
    }
    int failures = cli_run_script(session, text, options->format, options->stop_on_error, true);
    free(text);
    return failures > 0 ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

/* ---- running a script ---- */

static int count_chars(const char *text, size_t length)
{
    int count = 0;
    for (size_t idx = 0; idx < length; idx++)
        count += ((unsigned char)text[idx] & 0xC0) != 0x80;
    return count;
}

/* Finds the failing statement in sql and reports err relative to it.
 * *search_from is where the next statement can start (byte offset). */
static void report_statement_error(const tn_script *script, const char *sql,
                                   size_t *search_from, const tn_error *err,
                                   bool per_statement_positions)
{
    size_t length = 0;
    const char *statement = tn_script_statement(script, &length);
    size_t sql_length = strlen(sql);
    const char *found = NULL;
    if (statement != NULL && statement >= sql && statement + length <= sql + sql_length)
        found = statement;
    else if (statement != NULL && length > 0 && *search_from <= sql_length)
        found = memmem(sql + *search_from, sql_length - *search_from, statement, length);
    /* psql sends a statement without the whitespace before it, so its LINE
     * numbers start at the statement's first word. */
    while (found != NULL && length > 0 && strchr(" \t\r\n", *found) != NULL) {
        found++;
        length--;
    }
    fflush(stdout);
    if (found == NULL || !per_statement_positions) {
        cli_report_error(stderr, err, sql, 0);
    } else {
        char *copy = strndup(found, length);
        cli_report_error(stderr, err, copy, count_chars(sql, (size_t)(found - sql)));
        free(copy);
    }
    if (found != NULL)
        *search_from = (size_t)(found - sql) + length;
}

int cli_run_script(tn_session *session, const char *sql, cli_format format,
                   bool stop_on_error, bool per_statement_positions)
{
    tn_error err = TN_ERROR_INIT;
    tn_script *script = tn_script_open(session, sql, &err);
    if (script == NULL) {
        fflush(stdout);
        cli_report_error(stderr, &err, sql, 0);
        tn_error_clear(&err);
        return 1;
    }
    int failures = 0;
    size_t search_from = 0;
    for (;;) {
        tn_result *result = tn_script_next(script, &err);
        if (result != NULL) {
            if (cli_output_result(stdout, format, result, &err) == 0) {
                size_t length = 0;
                const char *statement = tn_script_statement(script, &length);
                if (statement != NULL && statement >= sql && statement <= sql + strlen(sql))
                    search_from = (size_t)(statement - sql) + length;
            }
            tn_result_close(result);
        }
        if (!tn_error_is_set(&err)) {
            if (result == NULL)
                break;
            fflush(stdout);
            continue;
        }
        report_statement_error(script, sql, &search_from, &err, per_statement_positions);
        tn_error_clear(&err);
        failures++;
        if (stop_on_error)
            break;
    }
    fflush(stdout);
    tn_script_close(script);
    return failures;
}
