/*
 * Transform of the clauses around windows and groups: ORDER BY lists
 * (shared by queries, windows and ordered aggregates), window definitions
 * (OVER and the WINDOW clause, kept as written; the binder resolves
 * references between them) and GROUP BY, whose GROUPING SETS, ROLLUP and
 * CUBE are expanded here into the list of sets PostgreSQL would compute
 * (each set a list of positions in the group expressions).
 */
#include "sql/ast.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <string.h>

/* PostgreSQL caps the expansion of grouping sets at 4096 sets. */
#define MAX_GROUPING_SETS 4096

int tn_transform_sorts(tn_transform *tr, PgQuery__Node **nodes, size_t count, tn_ast_sort **out)
{
    tn_ast_sort *sorts = tn_arena_zalloc(tr->arena, sizeof *sorts * (count + 1));
    if (!sorts)
        return tn_error_oom(tr->err);
    for (size_t idx = 0; idx < count; idx++) {
        PgQuery__SortBy *sort = nodes[idx]->sort_by;
        if (sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING)
            return tn_transform_unsupported(tr, sort->location, "ORDER BY ... USING is not supported yet");
        sorts[idx].is_descending = sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        sorts[idx].nulls = sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST  ? 1
                           : sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST ? 2
                                                                                              : 0;
        if (!(sorts[idx].expr = tn_transform_expr(tr, sort->node)))
            return -1;
    }
    *out = sorts;
    return 0;
}

tn_ast_window *tn_transform_window(tn_transform *tr, PgQuery__WindowDef *def)
{
    tn_ast_window *window = tn_arena_zalloc(tr->arena, sizeof *window);
    if (!window) {
        tn_error_oom(tr->err);
        return NULL;
    }
    window->name = def->name && def->name[0] ? def->name : NULL;
    window->refname = def->refname && def->refname[0] ? def->refname : NULL;
    window->frame_options = def->frame_options;
    window->location = tn_transform_location(tr, def->location);
    window->partitions = tn_arena_zalloc(tr->arena, sizeof *window->partitions * (def->n_partition_clause + 1));
    if (!window->partitions) {
        tn_error_oom(tr->err);
        return NULL;
    }
    for (size_t idx = 0; idx < def->n_partition_clause; idx++)
        if (!(window->partitions[idx] = tn_transform_expr(tr, def->partition_clause[idx])))
            return NULL;
    window->partition_count = (int)def->n_partition_clause;
    if (tn_transform_sorts(tr, def->order_clause, def->n_order_clause, &window->orders) < 0)
        return NULL;
    window->order_count = (int)def->n_order_clause;
    if (def->start_offset && !(window->start_offset = tn_transform_expr(tr, def->start_offset)))
        return NULL;
    if (def->end_offset && !(window->end_offset = tn_transform_expr(tr, def->end_offset)))
        return NULL;
    return window;
}

/* ---- GROUP BY ---- */

/* A list of grouping sets, each a list of group positions. */
typedef struct set_list {
    int **sets;
    int *sizes;
    int count;
} set_list;

typedef struct group_builder {
    tn_transform *tr;
    tn_ast_select *select;
    size_t capacity;
} group_builder;

static int add_group(group_builder *gb, PgQuery__Node *node)
{
    tn_ast_select *select = gb->select;
    if ((size_t)select->group_count == gb->capacity) {
        size_t capacity = gb->capacity ? gb->capacity * 2 : 8;
        tn_ast_expr **grown = tn_arena_realloc(gb->tr->arena, select->groups, sizeof *grown * gb->capacity,
                                               sizeof *grown * capacity);
        if (!grown)
            return tn_error_oom(gb->tr->err);
        select->groups = grown;
        gb->capacity = capacity;
    }
    if (!(select->groups[select->group_count] = tn_transform_expr(gb->tr, node)))
        return -1;
    return select->group_count++;
}

static int make_sets(group_builder *gb, set_list *out, int count)
{
    if (count > MAX_GROUPING_SETS)
        return tn_error_set(gb->tr->err, TN_ERR_STATEMENT_TOO_COMPLEX, 0, "too many grouping sets present (maximum 4096)");
    out->count = count;
    out->sets = tn_arena_zalloc(gb->tr->arena, sizeof *out->sets * (size_t)(count + 1));
    out->sizes = tn_arena_zalloc(gb->tr->arena, sizeof *out->sizes * (size_t)(count + 1));
    return out->sets && out->sizes ? 0 : tn_error_oom(gb->tr->err);
}

/* The concatenation of sets a and b (each a list of positions). */
static int *concat(group_builder *gb, const int *a, int a_size, const int *b, int b_size)
{
    int *joined = tn_arena_alloc(gb->tr->arena, sizeof *joined * (size_t)(a_size + b_size + 1));
    if (!joined) {
        tn_error_oom(gb->tr->err);
        return NULL;
    }
    if (a_size)
        memcpy(joined, a, sizeof *joined * (size_t)a_size);
    if (b_size)
        memcpy(joined + a_size, b, sizeof *joined * (size_t)b_size);
    return joined;
}

/* One element of ROLLUP/CUBE: an expression or a parenthesized list. */
static int element_set(group_builder *gb, PgQuery__Node *node, int **set, int *size)
{
    if (node->node_case == PG_QUERY__NODE__NODE_ROW_EXPR &&
        node->row_expr->row_format == PG_QUERY__COERCION_FORM__COERCE_IMPLICIT_CAST) {
        PgQuery__RowExpr *row = node->row_expr;
        *set = tn_arena_alloc(gb->tr->arena, sizeof **set * (row->n_args + 1));
        if (!*set)
            return tn_error_oom(gb->tr->err);
        for (size_t idx = 0; idx < row->n_args; idx++)
            if (((*set)[idx] = add_group(gb, row->args[idx])) < 0)
                return -1;
        *size = (int)row->n_args;
        return 0;
    }
    *set = tn_arena_alloc(gb->tr->arena, sizeof **set);
    if (!*set)
        return tn_error_oom(gb->tr->err);
    *size = 1;
    return ((*set)[0] = add_group(gb, node)) < 0 ? -1 : 0;
}

static int item_sets(group_builder *gb, PgQuery__Node *node, set_list *out);

static int grouping_set_sets(group_builder *gb, PgQuery__GroupingSet *gs, set_list *out)
{
    int n = (int)gs->n_content;
    switch (gs->kind) {
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_EMPTY:
        return make_sets(gb, out, 1);
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_ROLLUP:
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE: {
        int **elements = tn_arena_zalloc(gb->tr->arena, sizeof *elements * (size_t)(n + 1));
        int *sizes = tn_arena_zalloc(gb->tr->arena, sizeof *sizes * (size_t)(n + 1));
        if (!elements || !sizes)
            return tn_error_oom(gb->tr->err);
        for (int idx = 0; idx < n; idx++)
            if (element_set(gb, gs->content[idx], &elements[idx], &sizes[idx]) < 0)
                return -1;
        bool is_cube = gs->kind == PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_CUBE;
        if (is_cube && n > 12)
            return tn_error_set(gb->tr->err, TN_ERR_PROGRAM_LIMIT_EXCEEDED, tn_transform_location(gb->tr, gs->location),
                                "CUBE is limited to 12 elements");
        if (make_sets(gb, out, is_cube ? 1 << n : n + 1) < 0)
            return -1;
        for (int s = 0; s < out->count; s++) {
            /* ROLLUP: the first n - s elements; CUBE: subsets from the
             * largest down, as PostgreSQL lists them */
            int *set = NULL, size = 0;
            for (int idx = 0; idx < n; idx++) {
                bool in = is_cube ? !((s >> (n - 1 - idx)) & 1) : idx < n - s;
                if (in && !(set = concat(gb, set, size, elements[idx], sizes[idx])))
                    return -1;
                size += in ? sizes[idx] : 0;
            }
            out->sets[s] = set;
            out->sizes[s] = size;
        }
        return 0;
    }
    case PG_QUERY__GROUPING_SET_KIND__GROUPING_SET_SETS: {
        set_list all = {0};
        for (int idx = 0; idx < n; idx++) {
            set_list one;
            if (item_sets(gb, gs->content[idx], &one) < 0)
                return -1;
            set_list merged;
            if (make_sets(gb, &merged, all.count + one.count) < 0)
                return -1;
            for (int s = 0; s < all.count; s++) {
                merged.sets[s] = all.sets[s];
                merged.sizes[s] = all.sizes[s];
            }
            for (int s = 0; s < one.count; s++) {
                merged.sets[all.count + s] = one.sets[s];
                merged.sizes[all.count + s] = one.sizes[s];
            }
            all = merged;
        }
        *out = all;
        return 0;
    }
    default:
        return tn_transform_unsupported(gb->tr, gs->location, "this grouping set is not supported");
    }
}

/* The sets one GROUP BY item stands for. */
static int item_sets(group_builder *gb, PgQuery__Node *node, set_list *out)
{
    if (node->node_case == PG_QUERY__NODE__NODE_GROUPING_SET)
        return grouping_set_sets(gb, node->grouping_set, out);
    if (make_sets(gb, out, 1) < 0)
        return -1;
    return element_set(gb, node, &out->sets[0], &out->sizes[0]);
}

int tn_transform_group_by(tn_transform *tr, PgQuery__SelectStmt *stmt, tn_ast_select *select)
{
    group_builder gb = {tr, select, 0};
    bool has_sets = false;
    for (size_t idx = 0; idx < stmt->n_group_clause; idx++)
        has_sets |= stmt->group_clause[idx]->node_case == PG_QUERY__NODE__NODE_GROUPING_SET;
    if (!has_sets) {
        for (size_t idx = 0; idx < stmt->n_group_clause; idx++)
            if (add_group(&gb, stmt->group_clause[idx]) < 0)
                return -1;
        return 0;
    }
    /* the cartesian product of every item's sets */
    set_list product;
    if (make_sets(&gb, &product, 1) < 0)
        return -1;
    for (size_t idx = 0; idx < stmt->n_group_clause; idx++) {
        set_list item, next;
        if (item_sets(&gb, stmt->group_clause[idx], &item) < 0 ||
            make_sets(&gb, &next, product.count * item.count) < 0)
            return -1;
        for (int a = 0; a < product.count; a++)
            for (int b = 0; b < item.count; b++) {
                int at = a * item.count + b;
                if (!(next.sets[at] = concat(&gb, product.sets[a], product.sizes[a], item.sets[b], item.sizes[b])))
                    return -1;
                next.sizes[at] = product.sizes[a] + item.sizes[b];
            }
        product = next;
    }
    select->grouping_sets = product.sets;
    select->grouping_set_sizes = product.sizes;
    select->grouping_set_count = product.count;
    return 0;
}
