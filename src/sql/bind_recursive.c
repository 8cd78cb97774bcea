/*
 * WITH queries as FROM items, and WITH RECURSIVE.
 *
 * A WITH query is bound afresh where it is referenced, seeing the WITH
 * queries defined before it (and, in WITH RECURSIVE, itself).  A
 * recursive one must read "non-recursive term UNION [ALL] recursive
 * term", the recursive term referring to the query once; it becomes a
 * RECURSIVE_CTE node whose recursive term reads the working table through
 * a CTE_SCAN (exec/op_recursive_cte.c iterates).  The non-recursive
 * term's column types are the query's: the recursive term's columns are
 * converted to them, and a column whose common type is another fails as
 * in PostgreSQL (42804).  Misplaced self-references are 42P19 with
 * PostgreSQL's texts; ORDER BY / LIMIT / OFFSET on the recursive UNION
 * are 0A000, as in PostgreSQL.
 */
#include "sql/binder.h"

#include <limits.h>
#include <string.h>

struct tn_bind_shared_cte {
    const tn_ast_cte *cte;
    tn_logical *holder;         /* children[0] is the plan; NULL: inlined at every reference */
    tn_logical *first;          /* the first reference */
    int references;
    struct tn_bind_shared_cte *next;
};

typedef enum recursion_state {
    IN_OTHER_FORM,     /* not a UNION: a self-reference is misplaced */
    IN_ANCHOR,         /* the non-recursive term */
    IN_RECURSIVE_TERM,
} recursion_state;

typedef struct tn_bind_recursion tn_bind_recursion;
struct tn_bind_recursion {
    const tn_ast_cte *cte;
    recursion_state state;
    tn_logical *node;           /* the RECURSIVE_CTE the working table belongs to */
    int references;
    tn_bind_recursion *outer;
};

static int refuse_reference(tn_binder *b, const tn_bind_recursion *rec, int location)
{
    const char *name = rec->cte->name;
    if (rec->state == IN_OTHER_FORM) {
        tn_error_set(b->err, TN_ERR_INVALID_RECURSION, location,
                     "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term",
                     name);
        return -1;
    }
    if (rec->state == IN_ANCHOR)
        return tn_error_set(b->err, TN_ERR_INVALID_RECURSION, location,
                            "recursive reference to query \"%s\" must not appear within its non-recursive term", name);
    return tn_error_set(b->err, TN_ERR_INVALID_RECURSION, location,
                        "recursive reference to query \"%s\" must not appear more than once", name);
}

static tn_logical *bind_definition(tn_binder *b, const tn_ast_cte *cte, int index, tn_bind_scope *parent);

static tn_logical *new_shared_scan(tn_binder *b, tn_logical_kind kind, const tn_logical *plan)
{
    tn_logical *node = tn_logical_new(b->arena, kind, plan->column_count);
    if (!node)
        return tn_error_oom(b->err), NULL;
    memcpy(node->types, plan->types, sizeof *node->types * (size_t)plan->column_count);
    memcpy(node->names, plan->names, sizeof *node->names * (size_t)plan->column_count);
    return node;
}

/* A reference to a WITH query that is not (or not yet) recursing. */
static tn_logical *reference_shared(tn_binder *b, const tn_ast_cte *cte, int index, tn_bind_scope *parent)
{
    if (cte->materialized < 0)
        return bind_definition(b, cte, index, parent);
    struct tn_bind_shared_cte *shared = b->shared_ctes;
    while (shared && shared->cte != cte)
        shared = shared->next;
    if (shared && !shared->holder)
        return bind_definition(b, cte, index, parent);
    if (!shared) {
        int saved_min = b->min_level;
        b->min_level = INT_MAX;
        tn_logical *plan = bind_definition(b, cte, index, parent);
        bool correlated = parent && b->min_level <= parent->level;
        if (b->min_level > saved_min)
            b->min_level = saved_min;
        shared = plan ? tn_arena_zalloc(b->arena, sizeof *shared) : NULL;
        if (!shared)
            return plan ? (tn_error_oom(b->err), NULL) : NULL;
        shared->cte = cte;
        shared->next = b->shared_ctes;
        b->shared_ctes = shared;
        if (correlated)
            return plan;
        if (!(shared->holder = new_shared_scan(b, TN_LOGICAL_SHARED_CTE_SCAN, plan)))
            return NULL;
        shared->holder->children[0] = plan;
        shared->holder->cte_name = cte->name;
        shared->holder->child_count = 1;
    }
    tn_logical *scan = new_shared_scan(b, TN_LOGICAL_SHARED_CTE_SCAN, shared->holder);
    if (!scan)
        return NULL;
    scan->cte_plan = shared->holder;
    scan->cte_name = cte->name;
    if (shared->references++ == 0)
        shared->first = scan;
    return scan;
}

/* Makes scan the plan itself; a recursive one stays where its working
 * table's scans point, under a projection of all its columns. */
static int inline_plan(tn_binder *b, tn_logical *scan, tn_logical *plan)
{
    if (plan->kind != TN_LOGICAL_RECURSIVE_CTE) {
        *scan = *plan;
        return 0;
    }
    tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs * (size_t)(plan->column_count + 1));
    if (!exprs)
        return tn_error_oom(b->err);
    for (int col = 0; col < plan->column_count; col++)
        if (!(exprs[col] = tn_expr_column(b->arena, col, plan->types[col], 0)))
            return tn_error_oom(b->err);
    tn_logical *projection = tn_bind_projection(b, plan, exprs, plan->names, plan->column_count);
    if (!projection)
        return -1;
    *scan = *projection;
    return 0;
}

int tn_bind_ctes_finish(tn_binder *b, const tn_ast_select *select)
{
    for (struct tn_bind_shared_cte **link = &b->shared_ctes; *link;) {
        struct tn_bind_shared_cte *shared = *link;
        bool own = false;
        for (int idx = 0; idx < select->cte_count; idx++)
            own = own || shared->cte == &select->ctes[idx];
        if (!own) {
            link = &shared->next;
            continue;
        }
        *link = shared->next;
        if (shared->holder && shared->references == 1 && shared->cte->materialized == 0 &&
            inline_plan(b, shared->first, shared->holder->children[0]) < 0)
            return -1;
    }
    return 0;
}

tn_logical *tn_bind_cte_plan(tn_binder *b, const tn_ast_from *from, int index, tn_bind_scope *parent)
{
    const tn_ast_cte *cte = b->ctes[index];
    tn_bind_recursion *rec = b->recursion;
    while (rec && rec->cte != cte)
        rec = rec->outer;
    if (!rec)
        return reference_shared(b, cte, index, parent);
    /* the working table of a recursive query being bound */
    if (rec->state != IN_RECURSIVE_TERM || rec->references > 0) {
        refuse_reference(b, rec, from->location);
        return NULL;
    }
    rec->references++;
    const tn_logical *source = rec->node;
    tn_logical *plan = tn_logical_new(b->arena, TN_LOGICAL_CTE_SCAN, source->column_count);
    if (!plan) {
        tn_error_oom(b->err);
        return NULL;
    }
    memcpy(plan->types, source->types, sizeof *plan->types * (size_t)source->column_count);
    memcpy(plan->names, source->names, sizeof *plan->names * (size_t)source->column_count);
    plan->recursive_source = source;
    return plan;
}

/* The recursive term's columns in the non-recursive term's types. */
static tn_logical *convert_term(tn_binder *b, const tn_ast_cte *cte, tn_ast_select *query, tn_logical *anchor,
                                tn_logical *term)
{
    tn_expr **exprs = tn_arena_alloc(b->arena, sizeof *exprs * (size_t)(term->column_count + 1));
    const char **names = tn_arena_alloc(b->arena, sizeof *names * (size_t)(term->column_count + 1));
    if (!exprs || !names)
        return tn_error_oom(b->err), NULL;
    bool converted = false;
    for (int col = 0; col < term->column_count; col++) {
        tn_type want = anchor->types[col];
        tn_expr *pair[2] = {tn_expr_column(b->arena, col, want, 0), tn_expr_column(b->arena, col, term->types[col], 0)};
        if (!pair[0] || !pair[1] || !(exprs[col] = tn_expr_column(b->arena, col, term->types[col], 0)))
            return tn_error_oom(b->err), NULL;
        names[col] = term->names[col];
        tn_type common;
        tn_error local = TN_ERROR_INIT;
        int rc = tn_common_type(pair, 2, "UNION", &common, &local);
        tn_error_clear(&local);
        if (rc < 0 || common.id != want.id || (want.id == TN_TYPE_NUMERIC && common.scale != want.scale &&
                                               want.precision != 0)) {
            char have[64], overall[64];
            int location = query->left->target_count > col ? query->left->targets[col].location : query->location;
            tn_error_set(b->err, TN_ERR_DATATYPE_MISMATCH, location,
                         "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall",
                         cte->name, col + 1, tn_type_name(want, have, sizeof have),
                         tn_type_name(rc < 0 ? term->types[col] : common, overall, sizeof overall));
            tn_error_hint(b->err, "Cast the output of the non-recursive term to the correct type.");
            return NULL;
        }
        if (term->types[col].id != want.id || term->types[col].scale != want.scale) {
            if (!(exprs[col] = tn_expr_cast(b->arena, exprs[col], want, TN_CAST_IMPLICIT, b->err)))
                return NULL;
            converted = true;
        }
    }
    return converted ? tn_bind_projection(b, term, exprs, names, term->column_count) : term;
}

static tn_logical *bind_recursive(tn_binder *b, const tn_ast_cte *cte, tn_bind_scope *parent)
{
    tn_ast_select *query = cte->query;
    tn_bind_recursion rec = {cte, IN_OTHER_FORM, NULL, 0, b->recursion};
    b->recursion = &rec;
    if (query->set_op != TN_AST_SET_UNION) {
        tn_logical *plan = tn_bind_select(b, query, parent, true);
        b->recursion = rec.outer;
        return plan;
    }
    rec.state = IN_ANCHOR;
    tn_logical *anchor = tn_bind_select(b, query->left, parent, true);
    tn_logical *node = anchor ? tn_logical_new(b->arena, TN_LOGICAL_RECURSIVE_CTE, anchor->column_count) : NULL;
    if (!node) {
        b->recursion = rec.outer;
        return anchor ? (tn_error_oom(b->err), NULL) : NULL;
    }
    memcpy(node->types, anchor->types, sizeof *node->types * (size_t)anchor->column_count);
    memcpy(node->names, anchor->names, sizeof *node->names * (size_t)anchor->column_count);
    rec.state = IN_RECURSIVE_TERM;
    rec.node = node;
    tn_logical *term = tn_bind_select(b, query->right, parent, true);
    b->recursion = rec.outer;
    if (!term)
        return NULL;
    if (rec.references == 0) /* a plain UNION after all */
        return tn_bind_select(b, query, parent, true);
    const char *clause = query->sort_count > 0 ? "ORDER BY" : query->offset ? "OFFSET" : query->limit ? "LIMIT" : NULL;
    if (clause) {
        tn_error_set(b->err, TN_ERR_FEATURE_NOT_SUPPORTED, query->location, "%s in a recursive query is not implemented",
                     clause);
        return NULL;
    }
    if (term->column_count != anchor->column_count) {
        tn_error_set(b->err, TN_ERR_SYNTAX_ERROR, query->right->location,
                     "each UNION query must have the same number of columns");
        return NULL;
    }
    if (!(term = convert_term(b, cte, query, anchor, term)))
        return NULL;
    node->children[0] = anchor;
    node->children[1] = term;
    node->child_count = 2;
    node->is_all = query->is_all;
    return node;
}

static tn_logical *bind_definition(tn_binder *b, const tn_ast_cte *cte, int index, tn_bind_scope *parent)
{
    int saved = b->cte_count;
    b->cte_count = cte->is_recursive ? index + 1 : index;
    tn_logical *plan = cte->is_recursive ? bind_recursive(b, cte, parent) : tn_bind_select(b, cte->query, parent, true);
    b->cte_count = saved;
    return plan;
}

tn_logical *tn_bind_cte_query(tn_binder *b, const tn_ast_cte *cte, int index, tn_bind_scope *parent)
{
    /* a check only: the references it makes are not the query's own */
    struct tn_bind_shared_cte *saved = b->shared_ctes;
    b->shared_ctes = NULL;
    tn_logical *plan = bind_definition(b, cte, index, parent);
    b->shared_ctes = saved;
    return plan;
}
