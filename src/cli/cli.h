/*
 * Private header of the `tarn` command: the subcommand table's entry type,
 * option parsing shared by every subcommand, the result printers and the
 * psql-style error report.  The CLI is a client of include/tarn.h only; it
 * never reaches into the library's internals, so everything here is plain
 * malloc'd C and stdio.
 */
#ifndef TARN_CLI_H
#define TARN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "tarn.h"

/* Exit statuses every subcommand uses. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1, /* a statement, record or operation failed */
    CLI_EXIT_USAGE = 2,  /* bad command line */
};

/* One subcommand: `tarn <name> ...`.  run receives argv with argv[0] set to
 * the subcommand's name. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* one line for `tarn --help` */
    const char *usage;   /* full text for `tarn <name> --help` */
} cli_command;

/* The table in main.c. */
extern const cli_command cli_commands[];
const cli_command *cli_command_find(const char *name);

/* Handlers, one file each. */
int cli_init_run(int argc, char **argv);
int cli_sql_run(int argc, char **argv);
int cli_slt_run(int argc, char **argv);

/* Usage texts (help.c). */
extern const char cli_usage_main[];
extern const char cli_usage_init[];
extern const char cli_usage_sql[];
extern const char cli_usage_slt[];

/* Prints "tarn CMD: MESSAGE" and the "Try ..." line to stderr; returns
 * CLI_EXIT_USAGE so callers can `return cli_usage_error(...)`. */
int cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses argv with getopt_long and turns getopt's problems into
 * cli_usage_error messages that name the flag.  Returns the option
 * character, -1 at the end, or '?' after printing an error. */
struct option;
int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
               const struct option *longopts);

/* ---- output formats (output.c) ---- */

typedef enum cli_format {
    CLI_FORMAT_TABLE,
    CLI_FORMAT_CSV,
    CLI_FORMAT_TSV,
    CLI_FORMAT_JSON,
    CLI_FORMAT_NDJSON,
} cli_format;

/* Parses a --format value; -1 when unknown. */
int cli_format_parse(const char *name, cli_format *format);

/* A result set as the printers see it: column names and kinds, then rows of
 * texts (NULL for SQL NULL).  Filled from a tn_result by cli_output_result,
 * or directly by tests. */
typedef struct cli_table {
    int column_count;
    char **names;         /* column_count names, malloc'd */
    tn_type_id *types;    /* column_count types */
    char **cells;         /* row_count * column_count texts or NULL, malloc'd */
    size_t row_count;
    size_t row_capacity;
} cli_table;

void cli_table_init(cli_table *table, int column_count);
/* Appends one row; values are copied.  Returns -1 when out of memory. */
int cli_table_append(cli_table *table, const char *const *values);
void cli_table_free(cli_table *table);

/* Prints a complete result set in format. */
void cli_table_print(FILE *out, cli_format format, const cli_table *table);

/* Reads every row of result and prints it (or its command tag) in format.
 * Returns 0, or -1 with err set when fetching a row failed. */
int cli_output_result(FILE *out, cli_format format, tn_result *result, tn_error *err);

/* ---- error reports (report.c) ---- */

/* Prints err to out the way psql does: "ERROR:  message", then, when the
 * error has a position inside statement, "LINE n: ..." and a caret line,
 * then "DETAIL:  " and "HINT:  " lines.  position_offset is subtracted from
 * err->position first (the statement's character offset inside the text
 * the position counts from). */
void cli_report_error(FILE *out, const tn_error *err, const char *statement,
                      int position_offset);

/* ---- the interactive loop (repl.c) ---- */

/* Runs the REPL on session until \q or end of input; returns the exit
 * status (always CLI_EXIT_OK: errors in an interactive session are not
 * failures of the program). */
int cli_repl_run(tn_session *session, cli_format format);

/* Runs every statement of sql on session, printing results in format and
 * errors psql-style.  stop_on_error ends the script at the first failure.
 * per_statement_positions makes LINE numbers count inside each statement
 * (psql -f) rather than inside the whole text (psql -c).  Returns the number
 * of statements that failed. (cmd_sql.c) */
int cli_run_script(tn_session *session, const char *sql, cli_format format,
                   bool stop_on_error, bool per_statement_positions);

#endif /* TARN_CLI_H */
