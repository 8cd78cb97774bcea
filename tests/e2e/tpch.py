"""The 22 TPC-H queries at scale factor 0.01 on tarn, compared with DuckDB.

The `make check` entry for bench/tpch: it generates SF 0.01 data (small, so
the sanitized build stays fast), loads it into a tarn lake and DuckDB, runs
bench/tpch/q01.sql..q22.sql unmodified on both and compares the answers with
the rules of bench/tpch/run.py.  Every query is run and counted; a query that
errors, answers differently or takes longer than 120 s fails.  SF 0.1 runs on
demand with `bench/tpch/run.py --sf 0.1`.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench", "tpch"))
import run  # noqa: E402

tarn = os.environ.get("TARN", os.path.join(ROOT, "build", "asan", "tarn"))
sys.exit(run.main(["--sf", "0.01", "--timeout", "120", "--tarn", tarn]))
