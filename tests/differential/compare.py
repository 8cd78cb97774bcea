"""Comparison of one query's results from PostgreSQL (the reference) and tarn.

Rules (docs/differences.md lists what is allowed to differ on purpose):
  * both failed: a match (tarn's CLI prints no SQLSTATE, so the classes
    cannot be compared);  one failed or crashed: a mismatch;
  * column count and names must match;
  * rows are compared in order when the query ends with an ORDER BY over every
    output column (rows that tie are then identical), else as multisets;
  * values compare as text, NULL apart from the empty string; numeric is
    never normalised (PostgreSQL's scale must be reproduced);
  * columns PostgreSQL types as real/double precision compare after rounding
    to 12 significant digits, and their text must still be equal unless one
    side shows float noise (15 or more significant digits) -- so `1e+15`
    versus `1000000000000000` is a mismatch, 0.30000000000000004 versus
    0.3 is not.
compare() returns None for a match or a one-line reason.
"""
import re

FLOAT_TYPES = ("double precision", "real")
MANTISSA = re.compile(r"^[-+]?(\d*)\.?(\d*)(?:[eE][-+]?\d+)?$")


def significant_digits(text):
    match = MANTISSA.match(text)
    if not match:
        return 0
    digits = (match.group(1) + match.group(2)).lstrip("0").rstrip("0")
    return len(digits)


def canonical_float(text):
    try:
        return "%.12g" % float(text)
    except ValueError:
        return text


DECIMAL = re.compile(r"^-?\d+\.\d+$")


def canonical_value(value, is_float, ignore_scale):
    if value is None:
        return None
    if is_float:
        return canonical_float(value)
    if ignore_scale and DECIMAL.match(value):
        # diagnostic only (--ignore-numeric-scale): 1.50 == 1.5; tarn must print PostgreSQL's scale
        trimmed = value.rstrip("0").rstrip(".")
        return "%.15g" % float(trimmed) if len(trimmed) > 17 else trimmed
    return value


def canonical_rows(rows, float_columns, ignore_scale=False):
    return [tuple(canonical_value(v, i in float_columns, ignore_scale) for i, v in enumerate(row))
            for row in rows]


def sort_key(row):
    return tuple((0, "") if v is None else (1, v) for v in row)


def describe(result):
    if result.status == "ok":
        return "ok"
    return "%s (%s)" % (result.status, (result.message.splitlines() or [""])[0])


def compare(pg, tarn, ordered, check_names=True, ignore_scale=False):
    if pg.status == "error" and tarn.status == "error":
        return None
    if pg.status != "ok" or tarn.status != "ok":
        return "postgresql %s, tarn %s" % (describe(pg), describe(tarn))
    if len(pg.header) != len(tarn.header):
        return "column count %d vs %d" % (len(pg.header), len(tarn.header))
    if check_names and pg.header != tarn.header:
        return "column names %s vs %s" % (pg.header, tarn.header)
    if len(pg.rows) != len(tarn.rows):
        return "row count %d vs %d" % (len(pg.rows), len(tarn.rows))
    for name, result in (("postgresql", pg), ("tarn", tarn)):
        if any(len(row) != len(result.header) for row in result.rows):
            return "%s printed rows of the wrong width" % name
    types = pg.types or []
    if len(types) != len(pg.header):
        return "PostgreSQL described %d columns for %d" % (len(types), len(pg.header))
    float_columns = {i for i, t in enumerate(types) if t in FLOAT_TYPES}
    pg_pairs = list(zip(canonical_rows(pg.rows, float_columns, ignore_scale), pg.rows))
    tarn_pairs = list(zip(canonical_rows(tarn.rows, float_columns, ignore_scale), tarn.rows))
    if not ordered:
        pg_pairs.sort(key=lambda pair: sort_key(pair[0]))
        tarn_pairs.sort(key=lambda pair: sort_key(pair[0]))
    for index, ((pg_key, pg_row), (tarn_key, tarn_row)) in enumerate(zip(pg_pairs, tarn_pairs)):
        if pg_key != tarn_key:
            return "%srow %d: %s vs %s" % ("" if ordered else "sorted ", index, show_row(pg_row),
                                           show_row(tarn_row))
        for col in float_columns:
            a, b = pg_row[col], tarn_row[col]
            if a != b and max(significant_digits(a), significant_digits(b)) < 15:
                return "float text in row %d: %s vs %s" % (index, a, b)
    return None


def show_value(value):
    return "NULL" if value is None else repr(value)


def show_row(row):
    return "(" + ", ".join(show_value(v) for v in row) + ")"


def show_result(result, limit=20):
    if result.status != "ok":
        return "%s: %s" % (result.status.upper(), result.message)
    lines = [" | ".join(result.header)]
    lines += [" | ".join(show_value(v) for v in row) for row in result.rows[:limit]]
    if len(result.rows) > limit:
        lines.append("... (%d rows)" % len(result.rows))
    lines.append("(%d row%s)" % (len(result.rows), "" if len(result.rows) == 1 else "s"))
    return "\n".join(lines)
