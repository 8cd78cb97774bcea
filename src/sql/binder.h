/*
 * The binder's private interface, shared by bind_*.c.  The binder resolves
 * an AST against the catalog (at the statement's snapshot) and produces
 * typed expressions (exec/expr.h) and a logical plan (sql/logical.h).
 *
 * Scopes: a scope is the row a clause's expressions see — the FROM items
 * of one query level laid side by side (relations, each a run of columns
 * at an offset).  Column references resolve in the innermost scope first,
 * then in enclosing query levels, which makes them OUTER_COLUMN references
 * with the number of levels crossed as depth.  The binder remembers the
 * outermost level any reference reached (min_level), which tells whether a
 * subquery is correlated.
 *
 * Aggregates: while a select list, HAVING or ORDER BY of an aggregating
 * query is bound, an aggregate call is recorded in the binder and stands
 * in the expression as a COLUMN numbered TN_BIND_AGGREGATE_BASE + index;
 * bind_select.c then rewrites whole expressions onto the aggregate's
 * output (group columns, then aggregates) and reports any column left
 * outside an aggregate (42803).
 */
#ifndef TN_SQL_BINDER_H
#define TN_SQL_BINDER_H

#include "sql/ast.h"
#include "sql/logical.h"
#include "sql/sql.h"

#define TN_BIND_AGGREGATE_BASE (1 << 24)
#define TN_BIND_WINDOW_BASE (1 << 25)
/* GROUPING(args) until bind_select.c rewrites it onto the aggregate's
 * output: a COLUMN with this number whose args are the bound arguments. */
#define TN_BIND_GROUPING_CALL (1 << 26)

typedef struct tn_bind_relation {
    const char *alias;     /* name that qualifies its columns */
    const char *schema;    /* table's schema (for s.t.c), NULL otherwise */
    const tn_table *table; /* the base table, NULL for other FROM items */
    int offset;            /* first column in the scope row */
    int column_count;
    const char **names;
    tn_type *types;
    bool *is_hidden;       /* merged away by JOIN USING: not found unqualified */
} tn_bind_relation;

typedef struct tn_bind_scope tn_bind_scope;
struct tn_bind_scope {
    tn_bind_scope *parent;        /* enclosing query level */
    tn_bind_relation *relations;
    int relation_count;
    int relation_capacity;
    int column_count;             /* width of the row */
    int *star;                    /* columns of "*", in order */
    int star_count;
    int level;                    /* query nesting level: 0 for the statement's query */
};

/* Where an expression stands, for "not allowed in ..." errors. */
typedef enum tn_bind_clause {
    TN_CLAUSE_SELECT,       /* aggregates allowed */
    TN_CLAUSE_WHERE,
    TN_CLAUSE_JOIN,
    TN_CLAUSE_GROUP_BY,
    TN_CLAUSE_VALUES,
    TN_CLAUSE_LIMIT,
    TN_CLAUSE_DEFAULT,
    TN_CLAUSE_CHECK,
    TN_CLAUSE_UPDATE,
    TN_CLAUSE_FUNCTION,     /* arguments of a function in FROM */
} tn_bind_clause;

typedef struct tn_binder {
    const tn_sql_env *env;
    tn_arena *arena;
    tn_error *err;
    tn_bind_clause clause;
    bool in_aggregate;             /* binding an aggregate's arguments */
    tn_bound_aggregate **aggregates;
    int aggregate_count;
    int aggregate_capacity;
    int min_level;                 /* outermost query level a column reference resolved to */
    const tn_ast_cte **ctes;       /* WITH queries in scope, outermost first */
    struct tn_bind_recursion *recursion; /* recursive WITH queries being bound (bind_recursive.c) */
    struct tn_bind_shared_cte *shared_ctes; /* WITH queries referenced so far (bind_recursive.c) */
    int cte_count;
    int cte_capacity;
    struct tn_bind_deps *deps;     /* CREATE VIEW: collects the tables and views it reads */
    /* window functions of the query being bound (bind_window.c): each
     * stands in expressions as COLUMN TN_BIND_WINDOW_BASE + index */
    tn_window_function **windows;
    int window_count;
    int window_capacity;
    int in_window;                 /* binding a window function's arguments (1) or window definition (2) */
    bool in_having;
    const tn_ast_select *select;   /* whose WINDOW clause OVER names refer to */
    int grouping_column;           /* while rewriting onto a grouping-sets aggregate: its grouping
                                      id column, else -1 (bind_grouping.c) */
} tn_binder;

/* ---- scopes (bind_scope.c) ---- */

tn_bind_scope *tn_bind_scope_new(tn_binder *b, tn_bind_scope *parent);
/* Adds a relation of column_count columns at the end of the scope's row. */
tn_bind_relation *tn_bind_scope_add(tn_binder *b, tn_bind_scope *scope, const char *alias,
                                    int column_count, int location);
/* Appends every relation of src (shifted to the end of dst's row). */
int tn_bind_scope_merge(tn_binder *b, tn_bind_scope *dst, const tn_bind_scope *src, int location);
/* Resolves a column reference; NULL with err set when it fails. */
tn_expr *tn_bind_column_ref(tn_binder *b, tn_bind_scope *scope, const tn_ast_expr *ref);
/* The qualified name "alias.column" of scope column `column`, for 42803. */
const char *tn_bind_scope_column_name(tn_binder *b, const tn_bind_scope *scope, int column);

/* ---- expressions (bind_expr.c) ---- */

tn_expr *tn_bind_expr(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *expr);
/* Binds expr and makes it boolean (unknown literals become boolean; other
 * types fail with "argument of <construct> must be type boolean"). */
tn_expr *tn_bind_condition(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *expr, const char *construct);
tn_expr *tn_bind_coerce_boolean(tn_binder *b, tn_expr *expr, const char *construct);
/* An assignment cast to a column, with PostgreSQL's 42804 message. */
tn_expr *tn_bind_assign(tn_binder *b, tn_expr *expr, tn_type type, const char *column);
/* The output name PostgreSQL gives an unnamed select-list expression. */
const char *tn_bind_column_name(const tn_ast_expr *expr);
/* True when expr is an untyped string literal (PostgreSQL's unknown). */
bool tn_bind_is_unknown(const tn_expr *expr);
/* Structural equality of bound expressions. */
bool tn_bind_expr_equal(const tn_expr *a, const tn_expr *b);
tn_expr *tn_bind_null(tn_binder *b, tn_type type);

/* "WHERE", "GROUP BY", ... for "... are not allowed in %s". */
const char *tn_bind_clause_name(tn_bind_clause clause);

/* ---- window functions, ordered aggregates (bind_window.c) ---- */

/* f(...) OVER ... or a window-only function: records it in b->windows. */
tn_expr *tn_bind_window(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
/* Every expression slot of b's window functions (for rewriting them onto
 * the aggregate's output); NULL-terminated array in the arena. */
tn_expr ***tn_bind_window_slots(tn_binder *b);
/* WINDOW node over plan computing b's window functions; the window
 * references in exprs[0..count) become its columns. */
tn_logical *tn_bind_window_plan(tn_binder *b, tn_logical *plan, tn_expr **exprs, int count);
/* DISTINCT ON over plan (the select list plus ORDER BY columns): the
 * first row of each group of distinct_columns in the ORDER BY order. */
tn_logical *tn_bind_distinct_on(tn_binder *b, tn_logical *plan, const tn_ast_select *select,
                                const int *distinct_columns, const int *sort_columns);
/* True for window-only functions (row_number, lag, ...). */
bool tn_bind_is_window_function(const char *name);
/* An aggregate call with ORDER BY or WITHIN GROUP (its arguments bound). */
tn_bound_aggregate *tn_bind_aggregate_order(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast, tn_expr **args);

/* ---- GROUPING SETS / ROLLUP / CUBE, GROUPING(...) (bind_grouping.c) ---- */

/* GROUPING(args): checks where it stands and binds its arguments into a
 * TN_BIND_GROUPING_CALL placeholder. */
tn_expr *tn_bind_grouping(tn_binder *b, tn_bind_scope *scope, tn_ast_expr *ast);
/* Merges duplicate group expressions of select's grouping sets (groups
 * bound per select->groups entry; *group_count shrinks) and returns each
 * set as a bitmask over the merged groups in *sets; *set_count is 0 when
 * the sets amount to a plain GROUP BY. */
int tn_bind_grouping_sets(tn_binder *b, const tn_ast_select *select, tn_expr **groups, int *group_count,
                          uint64_t **sets, int *set_count);
/* Replaces the placeholder *slot by its value over the aggregate's output:
 * 0 without grouping sets, else bits of b->grouping_column. */
int tn_bind_grouping_rewrite(tn_binder *b, tn_expr **groups, int group_count, tn_expr **slot);

/* ---- queries (bind_select.c, bind_from.c) ---- */

/* Binds a query; parent is the enclosing scope for correlated references,
 * resolve_unknowns turns output unknown literals into text (false for the
 * source of an INSERT and set operation branches). */
tn_logical *tn_bind_select(tn_binder *b, tn_ast_select *select, tn_bind_scope *parent,
                           bool resolve_unknowns);
/* Binds one FROM item into plan + a fresh scope (offsets from 0). */
tn_logical *tn_bind_from(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **scope);
/* Opens a table through the search path; 42P01 / 3F000 with location. */
tn_table *tn_bind_table(tn_binder *b, const char *schema, const char *name, int location);
/* WITH query `index` of b->ctes bound as it is defined (bind_recursive.c). */
tn_logical *tn_bind_cte_query(tn_binder *b, const tn_ast_cte *cte, int index, tn_bind_scope *parent);
/* A FROM reference to WITH query `index`: its plan, or the working table
 * of the recursive query being bound. */
tn_logical *tn_bind_cte_plan(tn_binder *b, const tn_ast_from *from, int index, tn_bind_scope *parent);
/* Once select is bound: its WITH queries referenced once are inlined where
 * referenced, the others computed once (bind_recursive.c). */
int tn_bind_ctes_finish(tn_binder *b, const tn_ast_select *select);
/* A table function of exec/table_function.h in FROM (bind_srf.c). */
tn_logical *tn_bind_function_scan(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out);
/* One set-returning function in a select list (as a whole item) becomes
 * a lateral FROM item whose column the item reads (PostgreSQL's result
 * for one SRF); 0A000 for other uses. */
int tn_bind_srf_targets(tn_binder *b, tn_ast_select *select);
/* A function in a FROM list after other items (scope, planned as left):
 * over left when its arguments read their columns (implicit LATERAL). */
tn_logical *tn_bind_lateral_function(tn_binder *b, tn_ast_from *from, tn_bind_scope *scope, tn_logical *left,
                                     tn_bind_scope *parent, tn_bind_scope **out);
/* A LATERAL subquery in a FROM list after other items (scope, planned as
 * left), and a JOIN whose right side is one (bind_lateral.c). */
tn_logical *tn_bind_lateral_subquery(tn_binder *b, tn_ast_from *from, tn_bind_scope *scope, tn_logical *left,
                                     tn_bind_scope *parent, tn_bind_scope **out);
tn_logical *tn_bind_lateral_join(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out);
/* A scan of every column of table (with the row id first when with_row_id). */
tn_logical *tn_bind_get(tn_binder *b, tn_table *table, bool with_row_id);
/* A projection over child; exprs and names are adopted. */
tn_logical *tn_bind_projection(tn_binder *b, tn_logical *child, tn_expr **exprs, const char **names,
                               int count);

/* ---- statements (bind_dml.c, bind_ddl.c) ---- */

tn_logical *tn_bind_insert(tn_binder *b, tn_ast_statement *stmt);
tn_logical *tn_bind_update(tn_binder *b, tn_ast_statement *stmt);
tn_logical *tn_bind_delete(tn_binder *b, tn_ast_statement *stmt);
/* Checks a DDL statement and keeps what tn_sql_apply_ddl needs. */
void *tn_bind_ddl(tn_binder *b, tn_ast_statement *stmt);

/* What tn_sql_apply_ddl needs (tn_statement.ddl). */
typedef struct tn_bind_ddl_info {
    tn_ast_statement *stmt;
    const char *schema;             /* CREATE TABLE: the schema it goes to */
    struct tn_catalog_table *table; /* CREATE TABLE: the definition */
    struct tn_bind_view *view;      /* CREATE VIEW: definition and dependencies */
    tn_table *insert_table;         /* CREATE TABLE AS: the plan's target, given its id when created */
} tn_bind_ddl_info;

/* CREATE TABLE AS (bind_table_as.c): the table definition and an INSERT of
 * the query into it (a DML statement that also carries DDL). */
tn_logical *tn_bind_create_table_as(tn_binder *b, tn_ast_statement *stmt, tn_statement *out);
/* Unique keys and ON CONFLICT of an INSERT (bind_conflict.c): fills
 * insert->conflict when the table has keys or the statement ON CONFLICT. */
int tn_bind_conflict(tn_binder *b, tn_ast_statement *stmt, tn_logical *insert);
/* The unique keys an UPDATE assigns columns of, in update->conflict (set
 * also, maybe without keys, for UPDATE ... FROM). */
int tn_bind_update_keys(tn_binder *b, tn_ast_statement *stmt, tn_logical *update);
/* PREPARE / EXECUTE / DEALLOCATE (bind_prepare.c): fills out for the session. */
int tn_bind_prepared(tn_binder *b, tn_ast_statement *stmt, tn_statement *out);
/* $n of the statement being bound: its EXECUTE value as a constant. */
tn_expr *tn_bind_parameter(tn_binder *b, const tn_ast_expr *ast);

/* ---- views and system views (bind_view.c, bind_system.c) ---- */

/* A FROM item naming a view or a system view (information_schema.*,
 * tarn_*): its plan and scope, with *found set; *found false when the name
 * is something else (a table, a missing relation). */
tn_logical *tn_bind_view_ref(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out,
                             bool *found);
tn_logical *tn_bind_system_ref(tn_binder *b, tn_ast_from *from, tn_bind_scope *parent, tn_bind_scope **out,
                               bool *found);
/* Column aliases "v(a, b)" rename the first columns of rel (42P10 when too many). */
int tn_bind_column_aliases(tn_binder *b, const tn_ast_from *from, tn_bind_relation *rel, const char *name);
/* Records that the statement reads table_id (for a view's dependencies). */
int tn_bind_note_table(tn_binder *b, int64_t table_id);
/* After tn_bind_table failed for the target of INSERT/UPDATE/DELETE:
 * replaces 42P01 by 0A000 "cannot insert into view" when it names a view. */
void tn_bind_refuse_view(tn_binder *b, const tn_ast_statement *stmt);
/* CREATE VIEW: binds the query, names its columns, fills info->view. */
int tn_bind_create_view(tn_binder *b, tn_bind_ddl_info *info);
/* CREATE VIEW / DROP VIEW applied to txn; DROP TABLE's wrong-kind error. */
int tn_sql_apply_view_ddl(const tn_sql_env *env, tn_bind_ddl_info *info, tn_catalog_txn *txn, tn_error *err);
/* After a table lookup found nothing: 42809 "x is not a table" (with the
 * DROP VIEW hint) when schema.name is a view, else 0 (-1 on errors). */
int tn_bind_refuse_not_table(const tn_sql_env *env, const char *schema, const char *name, tn_error *err);

/* ---- optimizer (optimize.c) ---- */

tn_logical *tn_optimize(tn_arena *arena, tn_logical *plan, tn_error *err);
/* The order in which build_joins (optimize.c) joins leaf_count inputs,
 * from estimated sizes (optimize_join_order.c): sets[i] = the inputs
 * conjunct i reads, used[i] = already placed. */
void tn_optimize_join_order(tn_logical *const *leaves, int leaf_count, const uint64_t *sets, const bool *used,
                            int conjunct_count, int *order);
/* Correlated subqueries into joins (optimize_decorrelate.c), the first pass. */
tn_logical *tn_optimize_decorrelate(tn_arena *arena, tn_logical *plan, tn_error *err);
/* Projection pruning (optimize_prune.c), the optimizer's last pass. */
tn_logical *tn_optimize_prune(tn_arena *arena, tn_logical *plan, tn_error *err);

#endif
