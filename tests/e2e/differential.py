#!/usr/bin/env python3
"""`make check` entry of the differential test against PostgreSQL.

Runs tests/differential/difftest.py with a fixed seed: 3,000 random queries
over random NULL-heavy schemas, level-1 features only (what tarn supports
today), each run on a private PostgreSQL 15 server and on $TARN (default
build/asan/tarn) and compared.  The first few mismatches are reduced to
minimal reproducers.  The last line is "N passed, N failed" (one per query).
A longer run: tests/differential/run_long.sh.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if __name__ == "__main__":
    command = [sys.executable, os.path.join(ROOT, "tests/differential/difftest.py"),
               "--seed", "20240601", "--queries", "3000", "--reduce", "3", "--reduce-seconds", "25"]
    sys.exit(subprocess.run(command + sys.argv[1:], cwd=ROOT).returncode)
