/*
 * `tarn slt`: runs sqllogictest files against tarn and reports, per record,
 * pass / fail / error / skip.
 *
 * Each file gets a fresh lake in a temporary directory (removed afterwards)
 * unless --lake names one to reuse.  The runner calls itself "postgresql"
 * for onlyif/skipif, honours halt and hash-threshold, and skips the
 * RisingWave-only `SET RW_IMPLICIT_FLUSH`.  Statuses mean what they mean in
 * the PostgreSQL baseline: `fail` = ran but the result differed, or an
 * expected error did not happen; `error` = the engine raised an error where
 * success was expected.  Error texts are never compared, only the fact of an
 * error.  --baseline writes the statuses in the baseline format;
 * --compare-baseline reads such files and tells how many of the records the
 * baseline's engine passed tarn passes too.  Parsing is slt_parse.c,
 * rendering and comparing slt_result.c.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/slt.h"

enum { SHOWN_LINES = 20 };

typedef enum outcome_status { STATUS_PASS, STATUS_FAIL, STATUS_ERROR, STATUS_SKIP } outcome_status;

static const char *const status_names[] = {"pass", "fail", "error", "skip"};

/* One record's result, keyed as in baseline files ("12" or "inc.slt.part:12"). */
typedef struct outcome {
    char *key;
    int occurrence;   /* how many earlier outcomes share the key */
    outcome_status status;
} outcome;

typedef struct outcome_list {
    outcome *items;
    size_t count;
    size_t capacity;
} outcome_list;

typedef struct slt_options {
    const char *lake_dir;
    const char *baseline_out;
    const char *compare_dir;
    const char *root;
    bool quiet;
    bool baseline_is_dir;
} slt_options;

/* The state of one file's run. */
typedef struct file_run {
    const char *path;
    const slt_file *file;
    tn_session *session;
    outcome_list outcomes;
    char *halted_at;       /* key of the halt that fired, or NULL */
    size_t counts[4];      /* by outcome_status */
} file_run;

typedef struct totals {
    size_t passed, failed, skipped;
    size_t baseline_passed, both_passed;
    bool compared;
} totals;

static int run_file(const slt_options *options, const char *path, totals *sums);

/* ---- outcomes ---- */

/* The record's key as baseline files write it; malloc'd. */
static char *record_key(const slt_record *record)
{
    char *key = NULL;
    int made = record->origin != NULL ? asprintf(&key, "%s:%d", record->origin, record->line)
                                      : asprintf(&key, "%d", record->line);
    return made < 0 ? NULL : key;
}

/* Appends an outcome, taking key over; -1 when out of memory. */
static int add_outcome(outcome_list *list, char *key, outcome_status status)
{
    if (key == NULL)
        return -1;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 256;
        outcome *items = realloc(list->items, capacity * sizeof *items);
        if (items == NULL) {
            free(key);
            return -1;
        }
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = (outcome){key, 0, status};
    return 0;
}

static void free_outcomes(outcome_list *list)
{
    for (size_t idx = 0; idx < list->count; idx++)
        free(list->items[idx].key);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static int compare_outcomes(const void *left, const void *right)
{
    const outcome *a = left, *b = right;
    int order = strcmp(a->key, b->key);
    return order != 0 ? order : (a->occurrence > b->occurrence) - (a->occurrence < b->occurrence);
}

/* Numbers repeated keys (a file included twice) and sorts by key. */
static void index_outcomes(outcome_list *list)
{
    for (size_t idx = 0; idx < list->count; idx++)
        list->items[idx].occurrence = (int)idx;
    qsort(list->items, list->count, sizeof *list->items, compare_outcomes);
    for (size_t idx = 0; idx < list->count; idx++)
        list->items[idx].occurrence =
            idx > 0 && strcmp(list->items[idx].key, list->items[idx - 1].key) == 0
                ? list->items[idx - 1].occurrence + 1
                : 0;
}

/* ---- reporting a failure ---- */

static void print_block(const char *title, const slt_strings *lines)
{
    printf("%s\n", title);
    for (size_t idx = 0; idx < lines->count && idx < SHOWN_LINES; idx++)
        printf("    %s\n", lines->items[idx]);
    if (lines->count > SHOWN_LINES)
        printf("    ... (%zu more lines)\n", lines->count - SHOWN_LINES);
}

/* Where a record lives, for "file:line:" (included files by their path). */
static void print_place(const file_run *run, const slt_record *record)
{
    if (record->origin == NULL) {
        printf("%s:%d: ", run->path, record->line);
        return;
    }
    const char *slash = strrchr(run->path, '/');
    int dir_length = slash != NULL ? (int)(slash - run->path) + 1 : 0;
    printf("%.*s%s:%d: ", dir_length, run->path, record->origin, record->line);
}

static void report_failure(const file_run *run, const slt_record *record, const char *what,
                           const tn_error *err, const slt_strings *actual)
{
    print_place(run, record);
    printf("%s\n", what);
    for (const char *line = record->sql; line != NULL && *line != '\0';) {
        size_t length = strcspn(line, "\n");
        printf("    %.*s\n", (int)length, line);
        line += length + (line[length] == '\n');
    }
    if (err != NULL && tn_error_is_set(err))
        printf("ERROR:  %s\n", err->message != NULL ? err->message : "");
    if (actual != NULL) {
        print_block("expected:", &record->expected);
        print_block("actual:", actual);
    }
    printf("\n");
}

/* ---- running records ---- */

/* Fetches every row of result; -1 with err set when one fails. */
static int drain(tn_result *result, tn_error *err)
{
    int status;
    while ((status = tn_result_next_row(result, err)) == 1)
        ;
    return status;
}

static outcome_status run_statement(const file_run *run, const slt_record *record, bool quiet)
{
    tn_error err = TN_ERROR_INIT;
    tn_result *result = tn_session_execute(run->session, record->sql, &err);
    if (result != NULL) {
        drain(result, &err);
        tn_result_close(result);
    }
    bool failed = tn_error_is_set(&err);
    outcome_status status = STATUS_PASS;
    if (failed && !record->expect_error)
        status = STATUS_ERROR;
    else if (!failed && record->expect_error)
        status = STATUS_FAIL;
    if (status != STATUS_PASS && !quiet)
        report_failure(run, record,
                       failed ? "statement failed" : "statement succeeded, an error was expected",
                       &err, NULL);
    tn_error_clear(&err);
    return status;
}

/* Renders the current row of result into values (SQLite: one entry per
 * value; rs: one normalized row). */
static int render_row(tn_result *result, const slt_record *record, bool rs, int column_count,
                      slt_strings *values)
{
    if (!rs) {
        for (int col_idx = 0; col_idx < column_count; col_idx++) {
            const char *text = tn_result_is_null(result, col_idx) ? NULL
                                                                  : tn_result_text(result, col_idx);
            char letter = record->types != NULL && (size_t)col_idx < strlen(record->types)
                              ? record->types[col_idx]
                              : 'T';
            if (slt_strings_push_owned(values, slt_render_typed(
                                                   letter, tn_result_column_type(result, col_idx),
                                                   text)) < 0)
                return -1;
        }
        return 0;
    }
    char *row = NULL;
    size_t size = 0;
    FILE *joined = open_memstream(&row, &size);
    if (joined == NULL)
        return -1;
    for (int col_idx = 0; col_idx < column_count; col_idx++) {
        char *value = slt_render_plain(tn_result_is_null(result, col_idx)
                                           ? NULL
                                           : tn_result_text(result, col_idx));
        fprintf(joined, "%s%s", col_idx > 0 ? " " : "", value != NULL ? value : "");
        free(value);
    }
    fclose(joined);
    int status = slt_strings_push_owned(values, slt_normalize_row(row));
    free(row);
    return status;
}

/* Puts actual values into the record's sort order. */
static void sort_actual(const slt_record *record, bool rs, int column_count, slt_strings *values)
{
    if (record->sort == SLT_NOSORT)
        return;
    if (rs && record->sort == SLT_VALUESORT) {
        slt_strings words = {0};
        for (size_t idx = 0; idx < values->count; idx++) {
            char *save = NULL;
            for (char *word = strtok_r(values->items[idx], " ", &save); word != NULL;
                 word = strtok_r(NULL, " ", &save))
                slt_strings_push(&words, word);
        }
        slt_strings_free(values);
        *values = words;
    }
    if (!rs && record->sort == SLT_ROWSORT)
        slt_sort_rows(values, (size_t)column_count);
    else
        slt_sort_values(values);
}

static outcome_status run_query(const file_run *run, const slt_record *record, bool quiet)
{
    bool rs = run->file->rs;
    tn_error err = TN_ERROR_INIT;
    slt_strings values = {0}, shown = {0};
    outcome_status status = STATUS_PASS;
    const char *what = NULL;
    tn_result *result = tn_session_execute(run->session, record->sql, &err);
    int column_count = result != NULL ? tn_result_column_count(result) : 0;
    size_t letters = record->types != NULL ? strlen(record->types) : 0;
    char what_buffer[96];
    if (result != NULL && !rs && !record->expect_error && (size_t)column_count != letters) {
        snprintf(what_buffer, sizeof what_buffer, "wrong column count: expected %zu, got %d",
                 letters, column_count);
        what = what_buffer;
        status = STATUS_FAIL;
    }
    int row_status = 0;
    while (result != NULL && status == STATUS_PASS &&
           (row_status = tn_result_next_row(result, &err)) == 1)
        if (render_row(result, record, rs, column_count, &values) < 0)
            break;
    if (result != NULL)
        tn_result_close(result);

    bool failed = tn_error_is_set(&err);
    if (status == STATUS_PASS && failed != record->expect_error) {
        status = failed ? STATUS_ERROR : STATUS_FAIL;
        what = failed ? "query failed" : "query succeeded, an error was expected";
    } else if (status == STATUS_PASS && !failed) {
        sort_actual(record, rs, column_count, &values);
        if (!slt_result_matches(record, rs, &values, &shown)) {
            status = STATUS_FAIL;
            what = "query result differs";
        }
    }
    if (status != STATUS_PASS && !quiet)
        report_failure(run, record, what, &err, status == STATUS_FAIL ? &shown : NULL);
    tn_error_clear(&err);
    slt_strings_free(&values);
    slt_strings_free(&shown);
    return status;
}

/* Runs the records of run->file; returns false when out of memory. */
static bool run_records(file_run *run, bool quiet)
{
    for (size_t idx = 0; idx < run->file->count; idx++) {
        const slt_record *record = &run->file->records[idx];
        bool applies = slt_record_applies(record, SLT_ENGINE);
        if (record->kind == SLT_HASH_THRESHOLD)
            continue; /* hashes are recognised by the expected block's form */
        if (record->kind == SLT_HALT) {
            if (!applies)
                continue;
            run->halted_at = record_key(record);
            break;
        }
        outcome_status status;
        if (record->kind == SLT_BROKEN) {
            status = STATUS_FAIL;
            if (!quiet)
                report_failure(run, record, record->problem ? record->problem : "bad record",
                               NULL, NULL);
        } else if (!applies || slt_record_is_noop(record)) {
            status = STATUS_SKIP;
        } else if (record->kind == SLT_STATEMENT) {
            status = run_statement(run, record, quiet);
        } else {
            status = run_query(run, record, quiet);
        }
        run->counts[status]++;
        if (add_outcome(&run->outcomes, record_key(record), status) < 0)
            return false;
    }
    return true;
}

/* ---- lakes ---- */

static int remove_entry(const char *path, const struct stat *info, int flag, struct FTW *ftw)
{
    (void)info;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Opens the lake for one file: --lake (created when missing or empty), or
 * a new one in a fresh temporary directory (*temp_dir, malloc'd). */
static tn_lake *open_lake(const slt_options *options, char **temp_dir, tn_error *err)
{
    *temp_dir = NULL;
    if (options->lake_dir != NULL) {
        tn_lake *lake = tn_lake_open(options->lake_dir, err);
        if (lake != NULL)
            return lake;
        tn_error_clear(err);
        if (tn_lake_create(options->lake_dir, err) < 0)
            return NULL;
        return tn_lake_open(options->lake_dir, err);
    }
    const char *tmp = getenv("TMPDIR");
    if (asprintf(temp_dir, "%s/tarn-slt-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp") < 0 ||
        mkdtemp(*temp_dir) == NULL) {
        tn_error_clear(err);
        memcpy(err->sqlstate, "58000", 6);
        if (asprintf(&err->message, "could not create a temporary directory: %s",
                     strerror(errno)) < 0)
            err->message = NULL;
        free(*temp_dir);
        *temp_dir = NULL;
        return NULL;
    }
    if (tn_lake_create(*temp_dir, err) < 0)
        return NULL;
    return tn_lake_open(*temp_dir, err);
}

static void remove_temp_dir(char *temp_dir)
{
    if (temp_dir != NULL)
        nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(temp_dir);
}

/* ---- baselines ---- */

/* The test file's path relative to --root (default: the current
 * directory); paths outside it keep their absolute path minus the '/'. */
static char *relative_path(const slt_options *options, const char *path)
{
    char root[PATH_MAX], full[PATH_MAX];
    if (realpath(options->root != NULL ? options->root : ".", root) == NULL ||
        realpath(path, full) == NULL)
        return strdup(path);
    size_t length = strlen(root);
    if (strncmp(full, root, length) == 0 && full[length] == '/')
        return strdup(full + length + 1);
    return strdup(full + 1);
}

/* mkdir -p for the folders above path. */
static void make_parents(const char *path)
{
    char *copy = strdup(path);
    for (char *slash = copy != NULL ? strchr(copy + 1, '/') : NULL; slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(copy, 0777);
        *slash = '/';
    }
    free(copy);
}

static void write_baseline(const slt_options *options, const file_run *run)
{
    char *target = NULL;
    if (options->baseline_is_dir) {
        char *relative = relative_path(options, run->path);
        if (relative == NULL ||
            asprintf(&target, "%s/%s.baseline", options->baseline_out, relative) < 0)
            target = NULL;
        free(relative);
        if (target != NULL)
            make_parents(target);
    } else {
        target = strdup(options->baseline_out);
    }
    FILE *out = target != NULL ? fopen(target, "w") : NULL;
    if (out == NULL) {
        fprintf(stderr, "tarn slt: could not write baseline \"%s\": %s\n",
                target != NULL ? target : options->baseline_out, strerror(errno));
        free(target);
        return;
    }
    for (size_t idx = 0; idx < run->outcomes.count; idx++)
        fprintf(out, "%s %s\n", run->outcomes.items[idx].key,
                status_names[run->outcomes.items[idx].status]);
    if (run->halted_at != NULL)
        fprintf(out, "# halted at %s\n", run->halted_at);
    fprintf(out, "# passed %zu failed %zu skipped %zu\n", run->counts[STATUS_PASS],
            run->counts[STATUS_FAIL] + run->counts[STATUS_ERROR], run->counts[STATUS_SKIP]);
    fclose(out);
    free(target);
}

/* Reads a baseline file into outcomes; -1 when it cannot be opened. */
static int read_baseline(const char *path, outcome_list *list)
{
    FILE *in = fopen(path, "r");
    if (in == NULL)
        return -1;
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, in) > 0) {
        char key[512], status[16];
        if (line[0] == '#' || sscanf(line, "%511s %15s", key, status) != 2)
            continue;
        for (int name_idx = 0; name_idx < 4; name_idx++)
            if (strcmp(status, status_names[name_idx]) == 0)
                add_outcome(list, strdup(key), (outcome_status)name_idx);
    }
    free(line);
    fclose(in);
    return 0;
}

/* The baseline for path in dir: the longest tail of path's real path for
 * which dir/<tail>.baseline exists.  Malloc'd, or NULL. */
static char *find_baseline(const char *dir, const char *path)
{
    char full[PATH_MAX];
    if (realpath(path, full) == NULL)
        return NULL;
    for (const char *tail = full; tail != NULL; tail = strchr(tail + 1, '/')) {
        char *candidate = NULL;
        if (asprintf(&candidate, "%s/%s.baseline", dir, tail + (*tail == '/')) < 0)
            return NULL;
        if (access(candidate, R_OK) == 0)
            return candidate;
        free(candidate);
    }
    return NULL;
}

static void compare_baseline(const slt_options *options, file_run *run, totals *sums)
{
    char *path = find_baseline(options->compare_dir, run->path);
    outcome_list baseline = {0};
    if (path == NULL || read_baseline(path, &baseline) < 0) {
        printf("compare %s: no baseline in %s\n", run->path, options->compare_dir);
        free(path);
        return;
    }
    index_outcomes(&baseline);
    index_outcomes(&run->outcomes);
    size_t reference = 0, both = 0, mine = 0;
    for (size_t idx = 0; idx < baseline.count; idx++) {
        if (baseline.items[idx].status != STATUS_PASS)
            continue;
        reference++;
        while (mine < run->outcomes.count &&
               compare_outcomes(&run->outcomes.items[mine], &baseline.items[idx]) < 0)
            mine++;
        if (mine < run->outcomes.count &&
            compare_outcomes(&run->outcomes.items[mine], &baseline.items[idx]) == 0 &&
            run->outcomes.items[mine].status == STATUS_PASS)
            both++;
    }
    printf("compare %s: baseline passed %zu, tarn passed %zu of them (%.2f%%)\n", run->path,
           reference, both, reference > 0 ? 100.0 * (double)both / (double)reference : 100.0);
    sums->baseline_passed += reference;
    sums->both_passed += both;
    sums->compared = true;
    free_outcomes(&baseline);
    free(path);
}

/* ---- files ---- */

static int run_file(const slt_options *options, const char *path, totals *sums)
{
    slt_file file = {0};
    char *error = NULL;
    if (slt_file_load(&file, path, &error) < 0) {
        printf("%s: %s\n\n", path, error != NULL ? error : "could not read file");
        free(error);
        sums->failed++;
        return -1;
    }
    tn_error err = TN_ERROR_INIT;
    char *temp_dir = NULL;
    tn_lake *lake = open_lake(options, &temp_dir, &err);
    file_run run = {.path = path, .file = &file};
    run.session = lake != NULL ? tn_session_open(lake, NULL, &err) : NULL;
    int status = 0;
    if (run.session == NULL) {
        printf("%s: could not open a lake: %s\n\n", path,
               err.message != NULL ? err.message : "unknown error");
        sums->failed++;
        status = -1;
    } else {
        if (!run_records(&run, options->quiet))
            printf("%s: out of memory\n", path);
        sums->passed += run.counts[STATUS_PASS];
        sums->failed += run.counts[STATUS_FAIL] + run.counts[STATUS_ERROR];
        sums->skipped += run.counts[STATUS_SKIP];
        if (options->baseline_out != NULL)
            write_baseline(options, &run);
        if (options->compare_dir != NULL)
            compare_baseline(options, &run, sums);
    }
    fflush(stdout);
    tn_session_close(run.session);
    tn_lake_close(lake);
    remove_temp_dir(temp_dir);
    tn_error_clear(&err);
    free_outcomes(&run.outcomes);
    free(run.halted_at);
    slt_file_free(&file);
    return status;
}

/* ---- the command ---- */

enum { OPT_LAKE = 256, OPT_BASELINE, OPT_COMPARE, OPT_ROOT };

static const struct option long_options[] = {
    {"lake", required_argument, NULL, OPT_LAKE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"compare-baseline", required_argument, NULL, OPT_COMPARE},
    {"root", required_argument, NULL, OPT_ROOT},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_slt_run(int argc, char **argv)
{
    slt_options options = {0};
    int option;
    while ((option = cli_getopt("slt", argc, argv, "qh", long_options)) != -1) {
        switch (option) {
        case OPT_LAKE: options.lake_dir = optarg; break;
        case OPT_BASELINE: options.baseline_out = optarg; break;
        case OPT_COMPARE: options.compare_dir = optarg; break;
        case OPT_ROOT: options.root = optarg; break;
        case 'q': options.quiet = true; break;
        case 'h': fputs(cli_usage_slt, stdout); return CLI_EXIT_OK;
        default: return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("slt", "missing FILE");
    if (options.baseline_out != NULL) {
        struct stat info;
        bool is_dir = stat(options.baseline_out, &info) == 0 && S_ISDIR(info.st_mode);
        options.baseline_is_dir = is_dir || argc - optind > 1;
        if (options.baseline_is_dir && !is_dir && mkdir(options.baseline_out, 0777) < 0) {
            fprintf(stderr, "tarn slt: could not create directory \"%s\": %s\n",
                    options.baseline_out, strerror(errno));
            return CLI_EXIT_FAILED;
        }
    }
    totals sums = {0};
    for (int arg_idx = optind; arg_idx < argc; arg_idx++)
        run_file(&options, argv[arg_idx], &sums);
    if (sums.compared)
        printf("compare total: baseline passed %zu, tarn passed %zu of them (%.2f%%)\n",
               sums.baseline_passed, sums.both_passed,
               sums.baseline_passed > 0
                   ? 100.0 * (double)sums.both_passed / (double)sums.baseline_passed
                   : 100.0);
    printf("%zu passed, %zu failed, %zu skipped\n", sums.passed, sums.failed, sums.skipped);
    return sums.failed > 0 ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
