#!/usr/bin/env bash
# read_parquet('path or glob') in FROM clauses: files written by DuckDB and
# pyarrow, globs over several files, INSERT ... SELECT into a lake table,
# and the errors for no match, mismatched schemas and damaged files.
set -uo pipefail
tarn=${TARN:-build/asan/tarn}
work=$(mktemp -d "${TMPDIR:-/tmp}/tarn-read-parquet.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); printf 'FAIL %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3"; fi
}
lake=$work/lake
"$tarn" init "$lake" >/dev/null

python3 - "$work" <<'PY'
import sys, duckdb, pyarrow as pa, pyarrow.parquet as pq
work = sys.argv[1]
duckdb.sql(f"""COPY (SELECT i AS id, i * 1.5 AS x, 'name ' || i AS name,
    CASE WHEN i % 3 = 0 THEN NULL ELSE DATE '2024-01-01' + i::INT END AS day
    FROM range(3000) t(i)) TO '{work}/part1.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000)""")
duckdb.sql(f"""COPY (SELECT i AS id, i * 1.5 AS x, 'name ' || i AS name,
    DATE '2024-01-01' AS day FROM range(3000, 3010) t(i)) TO '{work}/part2.parquet' (FORMAT parquet, COMPRESSION zstd)""")
pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64()), "other": ["a", "b"]}), f"{work}/odd.parquet")
PY

out=$("$tarn" sql "$lake" --format csv "SELECT count(*), count(day), sum(id), min(name), max(day) FROM read_parquet('$work/part*.parquet')")
check "glob over two DuckDB files" "count,count,sum,min,max
3010,2010,4528545,name 0,2032-03-18" "$out"
out=$("$tarn" sql "$lake" --format csv "SELECT id, x, day FROM read_parquet('$work/part1.parquet') p WHERE p.id IN (3, 4) ORDER BY id")
check "projection and filter" "id,x,day
3,4.5,
4,6.0,2024-01-05" "$out"
"$tarn" sql "$lake" "CREATE TABLE t (id BIGINT, x NUMERIC(20,1), name TEXT, day DATE)" >/dev/null
out=$("$tarn" sql "$lake" --format table "INSERT INTO t SELECT * FROM read_parquet('$work/part2.parquet')")
check "insert from a file" "INSERT 0 10" "$out"
out=$("$tarn" sql "$lake" --format csv "SELECT count(*), sum(x) FROM t")
check "rows landed" "count,sum
10,45067.5" "$out"

out=$("$tarn" sql "$lake" "SELECT * FROM read_parquet('$work/none*.parquet')" 2>&1)
check "no file matches" "ERROR:  no files match \"$work/none*.parquet\"" "$(echo "$out" | head -n 1)"
out=$("$tarn" sql "$lake" "SELECT * FROM read_parquet('$work/*.parquet')" 2>&1 | head -n 1)
check "files with other columns" "ERROR:  parquet file \"$work/part1.parquet\" has no column \"other\" of type text" "$out"
head -c 100 "$work/part1.parquet" >"$work/broken.parquet"
out=$("$tarn" sql "$lake" "SELECT * FROM read_parquet('$work/broken.parquet')" 2>&1; echo "exit $?")
case "$out" in
    *"ERROR:  could not read parquet file \"$work/broken.parquet\""*"exit 1") pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)); echo "FAIL damaged file: $out" ;;
esac

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
