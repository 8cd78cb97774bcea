/*
 * The help texts of the `tarn` command: the overview printed by
 * `tarn --help` and one usage text per subcommand, printed by
 * `tarn COMMAND --help` and `tarn help COMMAND`.  docs/cli.md says the same
 * at more length; keep the two in step.
 */
#include "cli/cli.h"

const char cli_usage_main[] =
    "tarn " TN_VERSION " - a lakehouse in one program: Parquet files, a catalog, PostgreSQL SQL.\n"
    "\n"
    "Usage:\n"
    "  tarn COMMAND [OPTION]... [ARGUMENT]...\n"
    "  tarn --help | --version\n"
    "\n"
    "Commands:\n"
    "%s"
    "\n"
    "Options:\n"
    "  -h, --help     show this help, or a command's help after the command\n"
    "  -V, --version  print the version and exit\n"
    "\n"
    "Run 'tarn COMMAND --help' for the options of a command.\n"
    "Exit status: 0 on success, 1 when an operation or statement failed, 2 on usage errors.\n";

const char cli_usage_init[] =
    "Usage: tarn init DIR\n"
    "\n"
    "Create a new, empty lake in DIR.  DIR is created when it does not exist\n"
    "and must be empty when it does.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

const char cli_usage_sql[] =
    "Usage: tarn sql [OPTION]... LAKE [SQL]\n"
    "\n"
    "Run SQL on the lake in directory LAKE.  The SQL comes from the SQL\n"
    "argument, -c, -f, or standard input; when none is given and standard input\n"
    "is a terminal, an interactive session starts (\\? lists its commands).\n"
    "Statements are separated by ';'.  After a failed statement the rest still\n"
    "runs (like psql) unless --on-error-stop is given; the exit status is then 1.\n"
    "Use '--' before SQL text that starts with '-'.\n"
    "\n"
    "Options:\n"
    "  -c, --command SQL       run SQL (same as the SQL argument)\n"
    "  -f, --file FILE         run the statements in FILE ('-' for standard input)\n"
    "      --format FORMAT     table, csv, tsv, json or ndjson (default: table on a\n"
    "                          terminal, csv otherwise)\n"
    "      --on-error-stop     stop at the first failed statement\n"
    "  -v ON_ERROR_STOP=1      the same, spelled as in psql (0/off/false turns it off)\n"
    "  -U, --user PRINCIPAL    act as PRINCIPAL (default: the lake's owner)\n"
    "  -h, --help              show this help\n";

const char cli_usage_slt[] =
    "Usage: tarn slt [OPTION]... FILE...\n"
    "\n"
    "Run sqllogictest files: the SQLite corpus format (*.test) and the\n"
    "sqllogictest-rs format (*.slt, *.slt.part).  Each file runs in a fresh\n"
    "temporary lake unless --lake is given.  The runner calls itself\n"
    "'postgresql' for onlyif/skipif.  Failures are printed as\n"
    "'FILE:LINE: what went wrong' with the SQL, the expected and the actual\n"
    "result; the last line is 'N passed, N failed, N skipped'.  The exit status\n"
    "is 1 when any record failed.\n"
    "\n"
    "Options:\n"
    "      --lake DIR              run every file in the lake DIR (created when\n"
    "                              missing or empty) and keep it\n"
    "      --baseline OUT          write each record's status: to the file OUT for\n"
    "                              one test file, else into the directory OUT as\n"
    "                              <relative path>.baseline\n"
    "      --compare-baseline DIR  after running, compare with the baselines in DIR:\n"
    "                              per file, the records DIR's engine passed, how\n"
    "                              many of those passed now, and the percentage\n"
    "      --root DIR              directory that --baseline paths are relative to\n"
    "                              (default: the current directory)\n"
    "  -q, --quiet                 print only the summary (no failure details)\n"
    "  -h, --help                  show this help\n";
