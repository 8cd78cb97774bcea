#!/usr/bin/env bash
# Catalog concurrency: N processes commit M rounds each to one lake at the
# same time (an insert into one shared table, then a CREATE TABLE of a name
# every process races for).  Afterwards the lake must show contiguous
# snapshot ids, every reported success exactly once, only 40001 failures,
# exactly one winner per table name and a clean PRAGMA integrity_check.
# The driver, catalog_writer.c, is built against build/asan/libtarn.a (or
# build/libtarn.a, or the catalog sources when neither holds the catalog).
# Prints "N passed, N failed" last.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
workers=${CATALOG_WORKERS:-4}
rounds=${CATALOG_ROUNDS:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

pass() { echo "pass $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

cflags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers -I$root/include -I$root/src -O1 -g"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
libs="-lpg_query -lprotobuf-c -lsqlite3 -lzstd -lsnappy -llz4 -lz -lssl -lcrypto -lpcre2-8 -lxxhash -lutf8proc -ledit -lm -pthread"
driver="$work/catalog_writer"
# has_catalog LIB: true when LIB exists and holds the catalog (not a stale build).
has_catalog() { [ -f "$1" ] && nm "$1" 2>/dev/null | grep -q ' T tn_catalog_commit$'; }
if has_catalog "$root/build/asan/libtarn.a"; then
    build="gcc $cflags $san -o $driver $root/tests/e2e/catalog_writer.c $root/build/asan/libtarn.a $libs"
elif has_catalog "$root/build/libtarn.a"; then
    build="gcc $cflags -o $driver $root/tests/e2e/catalog_writer.c $root/build/libtarn.a $libs"
else
    build="gcc $cflags $san -o $driver $root/tests/e2e/catalog_writer.c $root/src/catalog/*.c $root/src/common/*.c $root/src/types/*.c $libs"
fi
if ! $build 2>"$work/build.log"; then
    cat "$work/build.log"
    fail "build the driver"
    echo "$passed passed, $failed failed"
    exit 1
fi
pass "build the driver"

lake="$work/lake"
if "$driver" setup "$lake"; then pass "setup"; else fail "setup"; fi

pids=()
for worker in $(seq 1 "$workers"); do
    "$driver" write "$lake" "$worker" "$rounds" >"$work/out.$worker" 2>"$work/err.$worker" &
    pids+=($!)
done
crashed=0
for pid in "${pids[@]}"; do
    wait "$pid" || crashed=$((crashed + 1))
done
if [ "$crashed" -eq 0 ]; then pass "all writers exited cleanly"; else
    fail "$crashed writers crashed"
    cat "$work"/err.* | head -40
fi

cat "$work"/out.* >"$work/all"
ok=$(grep -c '^ok ' "$work/all")
bad=$(grep -c '^fail ' "$work/all")
other=$(grep -c -v -E '^fail [a-z]+ 40001 |^ok ' "$work/all")
echo "commits: $ok succeeded, $bad failed (of $((workers * rounds * 2)))"
if [ "$((ok + bad))" -eq "$((workers * rounds * 2))" ]; then pass "every commit reported"; else
    fail "every commit reported"
fi
if [ "$other" -eq 0 ]; then pass "every failure was 40001"; else
    fail "every failure was 40001"
    grep -v -E '^fail [a-z]+ 40001 |^ok ' "$work/all" | head -20
fi
creates=$(grep -c '^ok create ' "$work/all")
if [ "$creates" -eq "$rounds" ]; then pass "one winner per table name"; else
    fail "one winner per table name ($creates winners for $rounds names)"
fi
grep '^fail create 40001 ' "$work/all" | head -1

while read -r verdict rest; do
    case "$verdict" in
        pass) pass "$rest" ;;
        *) fail "$rest" ;;
    esac
done < <("$driver" verify "$lake" <"$work/all" 2>&1)

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
