#!/usr/bin/env bash
# Several tarn processes write one lake at the same time.  Every statement
# must either succeed or fail with SQLSTATE 40001; afterwards the table
# holds exactly the rows of the statements that succeeded, and the
# snapshots are numbered without gaps.
set -uo pipefail
tarn=${TARN:-build/asan/tarn}
work=$(mktemp -d "${TMPDIR:-/tmp}/tarn-concurrent.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi
}

lake=$work/lake
"$tarn" init "$lake" >/dev/null
"$tarn" sql "$lake" "CREATE TABLE events (writer INT NOT NULL, seq INT NOT NULL)" >/dev/null

writers=4
rounds=15
for w in $(seq 1 $writers); do
    (
        for i in $(seq 1 $rounds); do
            if "$tarn" sql "$lake" "INSERT INTO events VALUES ($w, $i)" >/dev/null 2>"$work/err.$w.$i"; then
                echo "$w $i" >>"$work/ok.$w"
            fi
        done
    ) &
done
# A competing DDL writer: creating the same table from two processes.
("$tarn" sql "$lake" "CREATE TABLE dup (x INT)" >/dev/null 2>"$work/dup.1"; echo $? >"$work/dup.rc.1") &
("$tarn" sql "$lake" "CREATE TABLE dup (x INT)" >/dev/null 2>"$work/dup.rc.err.2"; echo $? >"$work/dup.rc.2") &
wait

succeeded=$(cat "$work"/ok.* 2>/dev/null | wc -l)
bad_errors=$(cat "$work"/err.* | grep -v -c -e '^$' -e 'could not serialize access' || true)
check "only serialization failures" 0 "$bad_errors"
rows=$("$tarn" sql "$lake" --format csv "SELECT count(*) FROM events" | tail -n 1)
check "rows equal successful inserts" "$succeeded" "$rows"
expected=$(sort "$work"/ok.* | tr '\n' ';')
actual=$("$tarn" sql "$lake" --format csv "SELECT writer, seq FROM events ORDER BY writer, seq" | tail -n +2 | tr ',' ' ' | sort | tr '\n' ';')
check "the committed rows are exactly the successful ones" "$expected" "$actual"
dup_ok=$(cat "$work"/dup.rc.* | grep -c '^0$')
check "one CREATE TABLE dup wins" 1 "$dup_ok"
tables=$("$tarn" sql "$lake" --format csv "SELECT count(*) FROM dup" | tail -n 1)
check "dup is readable" 0 "$tables"
check "catalog integrity" ok "$(sqlite3 "$lake/tarn.catalog" 'PRAGMA integrity_check')"
gaps=$(sqlite3 "$lake/tarn.catalog" 'SELECT max(snapshot_id) + 1 - count(*) FROM ducklake_snapshot')
check "snapshot ids without gaps" 0 "$gaps"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
