/*
 * read_parquet('path or glob'): a source over Parquet files that are not
 * part of the lake.  The binder took the schema from the first matching
 * file; here every matching file is opened, checked to carry the same
 * columns (by name, with the same types), and its row groups become the
 * morsels that threads claim one at a time, as for table scans.
 */
#include "exec/operator.h"

#include <glob.h>
#include <stdatomic.h>
#include <string.h>

#include "storage/parquet.h"

typedef struct parquet_morsel {
    tn_parquet_reader *reader;
    const char *path;
    int row_group;
    const int *columns;        /* the file's column for each output column */
} parquet_morsel;

typedef struct read_global {
    parquet_morsel *morsels;
    int morsel_count;
    atomic_int next_morsel;
} read_global;

typedef struct read_local {
    tn_parquet_scan *scan;     /* current morsel's scan, or NULL */
} read_local;

static void close_reader(void *reader)
{
    tn_parquet_reader_close(reader);
}

static void close_scan(void *scan)
{
    tn_parquet_scan_close(scan);
}

/* Maps the node's output columns to path's columns by name and type. */
static int *map_columns(tn_arena *arena, const tn_logical *node, tn_parquet_reader *reader,
                        const char *path, tn_error *err)
{
    int *columns = tn_arena_alloc(arena, sizeof(int) * (size_t)(node->column_count + 1));
    if (columns == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    for (int out = 0; out < node->column_count; out++) {
        columns[out] = -1;
        for (int in = 0; in < tn_parquet_reader_column_count(reader); in++) {
            const tn_parquet_column *column = tn_parquet_reader_column(reader, in);
            if (strcmp(column->name, node->names[out]) == 0 && column->type.id == node->types[out].id &&
                (column->type.id != TN_TYPE_NUMERIC || column->type.scale == node->types[out].scale)) {
                columns[out] = in;
                break;
            }
        }
        if (columns[out] < 0) {
            char type[64];
            tn_error_set(err, TN_ERR_DATATYPE_MISMATCH, 0,
                         "parquet file \"%s\" has no column \"%s\" of type %s", path,
                         node->names[out], tn_type_name(node->types[out], type, sizeof type));
            tn_error_detail(err, "Every file read by one read_parquet call must have the columns of the first.");
            return NULL;
        }
    }
    return columns;
}

static int add_file(tn_arena *arena, read_global *global, int *capacity, const tn_logical *node,
                    const char *path, tn_error *err)
{
    tn_parquet_reader *reader = tn_parquet_reader_open(path, err);
    if (reader == NULL)
        return -1;
    if (tn_arena_on_cleanup(arena, close_reader, reader) != 0) {
        tn_parquet_reader_close(reader);
        return tn_error_oom(err);
    }
    const char *saved_path = tn_arena_strdup(arena, path);
    const int *columns = map_columns(arena, node, reader, path, err);
    if (saved_path == NULL || columns == NULL)
        return saved_path == NULL ? tn_error_oom(err) : -1;
    int groups = tn_parquet_reader_row_group_count(reader);
    for (int group = 0; group < groups; group++) {
        if (global->morsel_count == *capacity) {
            size_t old_size = sizeof(parquet_morsel) * (size_t)*capacity;
            global->morsels = tn_arena_realloc(arena, global->morsels, old_size, old_size * 2);
            *capacity *= 2;
            if (global->morsels == NULL)
                return tn_error_oom(err);
        }
        parquet_morsel *morsel = &global->morsels[global->morsel_count++];
        morsel->reader = reader;
        morsel->path = saved_path;
        morsel->row_group = group;
        morsel->columns = columns;
    }
    return 0;
}

static void *read_init_global(tn_exec *exec, const tn_physical *op, tn_error *err)
{
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    const tn_logical *node = op->logical;
    read_global *global = tn_arena_zalloc(arena, sizeof(read_global));
    int capacity = 16;
    if (global == NULL || (global->morsels = tn_arena_alloc(arena, sizeof(parquet_morsel) * (size_t)capacity)) == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    const tn_value *arg = &node->function_args[0];
    char *pattern = tn_arena_strndup(arena, tn_string_data(&arg->u.string), arg->u.string.length);
    if (pattern == NULL) {
        tn_error_oom(err);
        return NULL;
    }
    glob_t matches;
    if (glob(pattern, 0, NULL, &matches) != 0 || matches.gl_pathc == 0) {
        globfree(&matches);
        tn_error_set(err, TN_ERR_UNDEFINED_FILE, 0, "no files match \"%s\"", pattern);
        return NULL;
    }
    int rc = 0;
    for (size_t i = 0; i < matches.gl_pathc && rc == 0; i++)
        rc = add_file(arena, global, &capacity, node, matches.gl_pathv[i], err);
    globfree(&matches);
    if (rc != 0)
        return NULL;
    atomic_init(&global->next_morsel, 0);
    return global;
}

static void *read_init_local(tn_exec *exec, const tn_physical *op, void *global, tn_op_role role,
                             tn_error *err)
{
    (void)op;
    (void)global;
    (void)role;
    read_local *local = tn_arena_zalloc(tn_exec_context_of(exec)->arena, sizeof(read_local));
    if (local == NULL)
        tn_error_oom(err);
    return local;
}

static int read_get_chunk(tn_exec *exec, const tn_physical *op, void *global_state, void *local_state,
                          tn_chunk *out, tn_error *err)
{
    read_global *global = global_state;
    read_local *local = local_state;
    tn_arena *arena = tn_exec_context_of(exec)->arena;
    for (;;) {
        if (local->scan == NULL) {
            int index = atomic_fetch_add(&global->next_morsel, 1);
            if (index >= global->morsel_count)
                return 0;
            parquet_morsel *morsel = &global->morsels[index];
            local->scan = tn_parquet_scan_open(morsel->reader, morsel->row_group, morsel->columns,
                                               op->column_count, err);
            if (local->scan == NULL)
                return -1;
            if (tn_arena_on_cleanup(arena, close_scan, local->scan) != 0) {
                tn_parquet_scan_close(local->scan);
                local->scan = NULL;
                return tn_error_oom(err);
            }
        }
        int rows = tn_parquet_scan_next(local->scan, out, err);
        if (rows < 0)
            return -1;
        if (rows > 0)
            return 1;
        local->scan = NULL; /* closed with the arena */
    }
}

const tn_physical_ops tn_op_read_parquet = {
    .name = "Parquet Scan",
    .shape = TN_SHAPE_LEAF,
    .init_global = read_init_global,
    .init_local = read_init_local,
    .get_chunk = read_get_chunk,
};
