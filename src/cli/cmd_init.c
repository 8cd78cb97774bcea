/*
 * `tarn init DIR`: creates a new, empty lake (the directory is created when
 * missing and must be empty otherwise; the library checks both).
 */
#include <getopt.h>

#include "cli/cli.h"

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_init_run(int argc, char **argv)
{
    int option;
    while ((option = cli_getopt("init", argc, argv, "h", long_options)) != -1) {
        if (option != 'h')
            return CLI_EXIT_USAGE;
        fputs(cli_usage_init, stdout);
        return CLI_EXIT_OK;
    }
    if (argc - optind < 1)
        return cli_usage_error("init", "missing DIR");
    if (argc - optind > 1)
        return cli_usage_error("init", "unexpected argument '%s'", argv[optind + 1]);

    const char *dir = argv[optind];
    tn_error err = TN_ERROR_INIT;
    if (tn_lake_create(dir, &err) < 0) {
        cli_report_error(stderr, &err, NULL, 0);
        tn_error_clear(&err);
        return CLI_EXIT_FAILED;
    }
    printf("created lake in %s\n", dir);
    return CLI_EXIT_OK;
}
