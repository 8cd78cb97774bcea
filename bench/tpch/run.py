"""Runs the 22 TPC-H queries on tarn and on DuckDB and compares the answers.

Steps: generate the data at --sf with gen.py into Parquet files, load them
into a fresh tarn lake (load.sh: schema.sql, then INSERT ... SELECT FROM
read_parquet) and into an in-memory DuckDB database (the same schema.sql and
files), then run each qNN.sql unmodified on both.  tarn runs as a process
(`tarn sql LAKE --format json -f qNN.sql`), so its time includes process
start-up; DuckDB's is the time of its Python calls.  A query that takes
longer than --timeout seconds on tarn fails.

Comparison (documented in README.md): rows in order, cell by cell, with the
type DuckDB reports deciding the rule.  Integers and decimals compare as
exact decimal values (1.50 equals 1.5: tarn prints numerics with their
scale, DuckDB may use another scale), floating-point values (DuckDB's avg
and decimal division give DOUBLE, PostgreSQL and tarn give numeric) to a
relative 1e-9, dates as ISO text, strings exactly, NULL only equals NULL.

Prints one line per query and ends with "N passed, N failed"; exits 1 when
any query failed.
"""
import argparse
import datetime
import decimal
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gen  # noqa: E402

TABLES = ["region", "nation", "supplier", "part", "partsupp", "customer", "orders", "lineitem"]
REL_TOLERANCE = 1e-9


def query_files(selected):
    names = [f"q{n:02d}" for n in range(1, 23)]
    if selected:
        wanted = {f"q{int(s.lstrip('qQ')):02d}" for s in selected}
        names = [n for n in names if n in wanted]
    return [(n, os.path.join(HERE, n + ".sql")) for n in names]


def statements(sql):
    """The statements of a query file (the texts hold no ';' inside literals)."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def load_duckdb(data):
    con = duckdb.connect()
    with open(os.path.join(HERE, "schema.sql")) as f:
        for stmt in statements(f.read()):
            con.execute(stmt)
    for t in TABLES:
        con.execute(f"INSERT INTO {t} SELECT * FROM read_parquet('{data}/{t}.parquet')")
    return con


def run_duckdb(con, path):
    """(types, rows, seconds) of the file's one statement that returns rows."""
    with open(path) as f:
        sql = f.read()
    result = None
    start = time.perf_counter()
    for stmt in statements(sql):
        cur = con.execute(stmt)
        if re.match(r"(?is)\s*(select|with|values)\b", stmt):
            types = [str(d[1]) for d in cur.description]
            result = (types, cur.fetchall())
    return result[0], result[1], time.perf_counter() - start


def decode_json_results(text):
    """Every result set tarn printed, each a list of rows of values."""
    decoder = json.JSONDecoder(parse_float=decimal.Decimal,
                               object_pairs_hook=lambda pairs: [v for _, v in pairs])
    sets, at = [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return sets
        value, at = decoder.raw_decode(text, at)
        sets.append(value)


def run_tarn(tarn, lake, path, timeout):
    """(rows, seconds, error text or None)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run([tarn, "sql", lake, "--format", "json", "--on-error-stop", "-f", path],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - start, f"timeout after {timeout:g} s"
    except OSError as e:
        return None, time.perf_counter() - start, f"could not run {tarn}: {e}"
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.strip() or f"exit status {proc.returncode}"
        return None, seconds, err
    try:
        sets = decode_json_results(proc.stdout)
    except ValueError as e:
        return None, seconds, f"unreadable output ({e}): {proc.stdout[:200]!r}"
    if len(sets) != 1:
        return None, seconds, f"expected one result set, got {len(sets)}"
    return sets[0], seconds, None


def as_decimal(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, decimal.Decimal)):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    try:
        return decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return None


def same_cell(expected, actual):
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, float):
        got = as_decimal(actual)
        if got is None:
            return False
        got = float(got)
        scale = max(abs(expected), abs(got))
        return abs(expected - got) <= REL_TOLERANCE * scale
    if isinstance(expected, (int, decimal.Decimal)) and not isinstance(expected, bool):
        got = as_decimal(actual)
        return got is not None and got == decimal.Decimal(expected)
    if isinstance(expected, datetime.date):
        return str(actual) == expected.isoformat()
    return isinstance(actual, str) and actual == str(expected)


def compare(types, expected, actual):
    """None when the answers agree, else a description of the first difference."""
    if len(expected) != len(actual):
        return f"{len(actual)} rows, DuckDB has {len(expected)}" + first_row_note(expected, actual)
    for i, (erow, arow) in enumerate(zip(expected, actual)):
        if len(erow) != len(arow):
            return f"row {i + 1}: {len(arow)} columns, DuckDB has {len(erow)}"
        for j, (e, a) in enumerate(zip(erow, arow)):
            if not same_cell(e, a):
                note = ""
                if sorted(map(repr_row, expected)) == sorted(map(repr_row, actual)):
                    note = " (same rows in another order)"
                return (f"row {i + 1} column {j + 1} ({types[j]}): tarn {a!r}, "
                        f"DuckDB {e!r}{note}")
    return None


def repr_row(row):
    return repr([str(v) for v in row])


def first_row_note(expected, actual):
    if expected and actual:
        return f"; first row tarn {actual[0]!r}, DuckDB {list(expected[0])!r}"
    return ""


def run(sf, tarn, timeout, selected=(), workdir=None, out=sys.stdout):
    """Runs the benchmark; returns a list of (name, status, tarn s, duckdb s, detail)."""
    own = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="tarn-tpch-")
    data, lake = os.path.join(workdir, "data"), os.path.join(workdir, "lake")
    try:
        os.makedirs(data, exist_ok=True)
        # A private copy: the shared build directory may be rebuilt mid-run.
        copy = os.path.join(workdir, "tarn")
        shutil.copy2(tarn, copy)
        tarn = copy
        start = time.perf_counter()
        counts = gen.generate(sf, data)
        print(f"generated SF {sf:g}: {counts['lineitem']} lineitem rows "
              f"in {time.perf_counter() - start:.1f} s", file=out, flush=True)
        shutil.rmtree(lake, ignore_errors=True)
        start = time.perf_counter()
        load = subprocess.run(["bash", os.path.join(HERE, "load.sh"), tarn, lake, data],
                              capture_output=True, text=True)
        if load.returncode != 0:
            print(f"loading the tarn lake failed: {load.stderr.strip()}", file=out)
            return [(n, "FAIL", 0.0, 0.0, "load failed") for n, _ in query_files(selected)]
        print(f"loaded tarn lake in {time.perf_counter() - start:.1f} s", file=out, flush=True)
        con = load_duckdb(data)
        results = []
        for name, path in query_files(selected):
            types, expected, duck_s = run_duckdb(con, path)
            actual, tarn_s, error = run_tarn(tarn, lake, path, timeout)
            detail = error if error else compare(types, expected, actual)
            status = "PASS" if detail is None else "FAIL"
            ratio = f"x{tarn_s / duck_s:.1f}" if duck_s > 0 else "-"
            line = f"{name}  {status}  tarn {tarn_s:8.3f} s  duckdb {duck_s:7.3f} s  {ratio}"
            if detail:
                line += "\n    " + detail.replace("\n", "\n    ")
            print(line, file=out, flush=True)
            results.append((name, status, tarn_s, duck_s, detail))
        con.close()
        return results
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def markdown(results, sf, tarn):
    lines = [f"SF {sf:g}, `{os.path.relpath(tarn, ROOT)}`, {datetime.date.today().isoformat()}", "",
             "| query | result | tarn (s) | DuckDB (s) | tarn / DuckDB |",
             "|---|---|---:|---:|---:|"]
    for name, status, tarn_s, duck_s, detail in results:
        what = status.lower() if status == "PASS" else "fail: " + first_line(detail)
        ratio = f"{tarn_s / duck_s:.1f}" if duck_s > 0 else "-"
        lines.append(f"| {name} | {what} | {tarn_s:.3f} | {duck_s:.3f} | {ratio} |")
    return "\n".join(lines)


def first_line(text):
    line = (text or "").splitlines()[0] if text else ""
    return line.replace("|", "\\|")[:90]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sf", type=float, default=0.1, help="scale factor (default 0.1)")
    ap.add_argument("--tarn", default=os.path.join(ROOT, "build", "tarn"),
                    help="the tarn binary (default build/tarn)")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds a query may take on tarn before it fails (default 60)")
    ap.add_argument("--workdir", help="keep the data and the lake here instead of a temporary directory")
    ap.add_argument("--markdown", action="store_true", help="also print a Markdown table of the timings")
    ap.add_argument("queries", nargs="*", help="query numbers to run (default all 22)")
    args = ap.parse_args(argv)
    tarn = os.path.abspath(args.tarn)
    if not os.access(tarn, os.X_OK):
        print(f"no tarn binary at {tarn} (make build/tarn builds it)")
        print(f"0 passed, {len(query_files(args.queries))} failed")
        return 1
    results = run(args.sf, tarn, args.timeout, args.queries, args.workdir)
    passed = sum(1 for r in results if r[1] == "PASS")
    if args.markdown:
        print()
        print(markdown(results, args.sf, tarn))
        print()
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
