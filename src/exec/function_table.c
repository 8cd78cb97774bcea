/*
 * The scalar function catalog: the tables each func_*.c file contributes,
 * searched by name at bind time.  One entry per overload; resolution among
 * them is function_bind.c's job.  Binding is not a hot path, so a linear
 * scan over a few hundred entries is all the index this needs.
 */
#include "exec/exec_int.h"

#include <string.h>

/* Lists of the files added after exec_int.h was laid down. */
extern const tn_function_list tn_func_format_list;
extern const tn_function_list tn_func_format_number_list;
extern const tn_function_list tn_func_json_list;
extern const tn_function_list tn_func_time_list;
extern const tn_function_list tn_func_bytea_list;

static const tn_function_list *const lists[] = {
    &tn_func_arith_list,    &tn_func_compare_list, &tn_func_string_list, &tn_func_math_list,
    &tn_func_datetime_list, &tn_func_regex_list,   &tn_func_format_list, &tn_func_json_list,
    &tn_func_time_list,     &tn_func_bytea_list,   &tn_func_format_number_list,
};

int tn_function_next(const char *name, int index, const tn_scalar_function **out)
{
    int base = 0;
    for (size_t list = 0; list < sizeof lists / sizeof lists[0]; list++) {
        int count = lists[list]->count;
        for (int i = index > base ? index - base : 0; i < count; i++) {
            if (strcmp(lists[list]->functions[i].name, name) == 0) {
                *out = &lists[list]->functions[i];
                return base + i;
            }
        }
        base += count;
    }
    return -1;
}
