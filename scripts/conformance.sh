#!/usr/bin/env bash
# Runs the external sqllogictest corpus (../shared/sqllogictest, outside the
# repository) with the release build and compares tarn's results record by
# record with PostgreSQL's own (pg-baseline/).  Prints one line per file and
# the total: how many of the records PostgreSQL passes tarn passes too.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/sqllogictest}
tarn=${TARN:-$root/build/tarn}
[ -d "$corpus/pg-baseline" ] || { echo "conformance: no corpus at $corpus" >&2; exit 2; }
cd "$corpus" || exit 2
mapfile -t files < <(find . -name '*.test' | sed 's|^\./||' | sort)
files+=(pgdialect/batch/*/*.slt.part pgdialect/batch/duckdb/join/*/*.slt.part
        pgdialect/over_window/generated/batch/rank_func/mod.slt.part)
"$tarn" slt -q --compare-baseline pg-baseline "${files[@]}" | grep -E '^compare '
