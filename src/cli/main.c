/*
 * The `tarn` command: global flags, then one subcommand from the table
 * below.  Each entry names its handler, the one-line summary shown by
 * `tarn --help` and the usage text shown by `tarn NAME --help`; adding a
 * subcommand is adding a row here and a cmd_<name>.c beside this file.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const cli_command cli_commands[] = {
    {"init", cli_init_run, "create a new, empty lake", cli_usage_init},
    {"sql", cli_sql_run, "run SQL from an argument, a file or standard input, or interactively",
     cli_usage_sql},
    {"slt", cli_slt_run, "run sqllogictest files and report or compare the results",
     cli_usage_slt},
    {NULL, NULL, NULL, NULL},
};

const cli_command *cli_command_find(const char *name)
{
    for (const cli_command *command = cli_commands; command->name != NULL; command++)
        if (strcmp(command->name, name) == 0)
            return command;
    return NULL;
}

int cli_usage_error(const char *command, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "tarn%s%s: ", command != NULL ? " " : "", command != NULL ? command : "");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\nTry 'tarn%s%s --help' for more information.\n", command != NULL ? " " : "",
            command != NULL ? command : "");
    va_end(args);
    return CLI_EXIT_USAGE;
}

int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    char spec[64];
    snprintf(spec, sizeof spec, ":%s", shortopts); /* ':' reports a missing value apart */
    opterr = 0;
    int option = getopt_long(argc, argv, spec, longopts, NULL);
    if (option != '?' && option != ':')
        return option;
    const char *word = argv[optind - 1];
    bool is_long = strncmp(word, "--", 2) == 0;
    int name_length = is_long ? (int)strcspn(word, "=") : 2;
    char short_name[3] = {'-', (char)optopt, '\0'};
    const char *name = is_long || optopt == 0 ? word : short_name;
    if (option == ':')
        cli_usage_error(command, "option '%.*s' requires a value", name_length, name);
    else if (is_long && strchr(word, '=') != NULL && optopt != 0)
        cli_usage_error(command, "option '%.*s' does not take a value", name_length, name);
    else
        cli_usage_error(command, "unknown option '%.*s'", is_long ? name_length : 2, name);
    return '?';
}

static void print_main_usage(FILE *out)
{
    char list[2048] = "";
    size_t used = 0;
    for (const cli_command *command = cli_commands; command->name != NULL; command++)
        used += (size_t)snprintf(list + used, sizeof list - used, "  %-8s %s\n", command->name,
                                 command->summary);
    fprintf(out, cli_usage_main, list);
}

/* `tarn help [COMMAND]`. */
static int run_help(int argc, char **argv)
{
    if (argc < 3) {
        print_main_usage(stdout);
        return CLI_EXIT_OK;
    }
    const cli_command *command = cli_command_find(argv[2]);
    if (command == NULL)
        return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
    fputs(command->usage, stdout);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_main_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("tarn %s\n", TN_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "help") == 0)
        return run_help(argc, argv);
    if (first[0] == '-')
        return cli_usage_error(NULL, "unknown option '%s'", first);
    const cli_command *command = cli_command_find(first);
    if (command == NULL)
        return cli_usage_error(NULL, "unknown command '%s'", first);
    return command->run(argc - 1, argv + 1);
}
