/*
 * Casts between tarn's types with PostgreSQL's semantics: which casts
 * exist and in which contexts they apply (pg_cast.castcontext, for the
 * binder's type resolution), and the conversions themselves, as a vector
 * kernel and as a single-value form.
 *
 * Conversion rules (PostgreSQL 15): integer narrowing checks the range
 * (22003 "smallint out of range"); float -> integer rounds half to even
 * (rint) and checks the range; numeric -> integer rounds half away from
 * zero; anything -> numeric rounds to the target scale and checks its
 * precision (22003 "numeric field overflow"); float -> numeric fails on NaN
 * and Infinity (0A000: tarn's numeric cannot hold them); boolean <->
 * integer maps true/false to 1/0 and non-zero to true; dates, timestamps
 * and timestamptz convert through the session zone; -> text uses the
 * output format (boolean gives "true"/"false" as PostgreSQL's booltext);
 * text -> X uses X's input rules.  Casting to VARCHAR(n) counts characters
 * (UTF-8): an explicit cast truncates, an assignment fails with 22001
 * "value too long for type character varying(n)" unless the excess is
 * spaces.
 */
#ifndef TN_TYPES_CAST_H
#define TN_TYPES_CAST_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/error.h"
#include "types/datetime.h"
#include "types/types.h"
#include "types/vector.h"

/* The weakest context in which a cast applies, from strongest to weakest
 * restriction; a cast usable implicitly is also usable on assignment and
 * explicitly. */
typedef enum tn_cast_kind {
    TN_CAST_KIND_NONE = 0,   /* no such cast */
    TN_CAST_KIND_EXPLICIT,   /* only CAST(x AS t) / x::t */
    TN_CAST_KIND_ASSIGNMENT, /* also INSERT/UPDATE targets */
    TN_CAST_KIND_IMPLICIT,   /* also in expressions (int4 -> int8, int -> numeric) */
} tn_cast_kind;

/* pg_cast for tarn's types.  Same type -> implicit (a length/typmod
 * coercion); the NULL type (an untyped NULL) -> anything implicit; text ->
 * anything explicit; anything -> text assignment. */
tn_cast_kind tn_cast_lookup(tn_type_id from, tn_type_id to);
/* True when the cast's result depends on the session's time zone (to or
 * from timestamptz): PostgreSQL's STABLE casts, never folded at bind time. */
bool tn_cast_depends_on_zone(tn_type_id from, tn_type_id to);

typedef struct tn_cast_options {
    bool is_explicit;   /* CAST / :: (true) or assignment (false): VARCHAR(n) overflow */
    tn_timezone zone;   /* the session zone, for timestamptz */
} tn_cast_options;

/* Converts in (count rows, or one if in->is_constant) into out, which the
 * caller initialised with the target type; strings and validity go to
 * out->arena.  NULL stays NULL.  The first failing row stops the cast with
 * its error.  A cast tn_cast_lookup calls NONE fails with 42846. */
int tn_vector_cast(const tn_vector *in, uint32_t count, tn_vector *out, const tn_cast_options *options,
                   tn_error *err);

/* Converts one value to type to.  Text results live in arena (or share the
 * input's bytes when the input is text).  An unconstrained NUMERIC target
 * (precision 0) keeps the value's natural scale in out->type.scale, as
 * PostgreSQL's numeric would; the vector form uses the vector's scale. */
int tn_value_cast(const tn_value *in, tn_type to, const tn_cast_options *options, tn_arena *arena,
                  tn_value *out, tn_error *err);

#endif
