#!/usr/bin/env bash
# `make bench`: runs bench/bench.py against the release build of tarn and
# DuckDB (PyPI) and sqlite3 on the same generated data.  Results go to
# stdout; copy the table into bench/RESULTS.md with the machine it ran on.
set -euo pipefail
tarn=${1:-build/tarn}
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 "$root/bench/bench.py" --tarn "$root/$tarn" "${@:2}"
