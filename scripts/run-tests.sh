#!/usr/bin/env bash
# Runs every test suite against the build in $1 and sums their results.
# Each suite prints its own failures; this script keeps only the counts and
# ends with the line "N passed, N failed" that `make check` promises.
set -uo pipefail
build=${1:-build/asan}
root=$(cd "$(dirname "$0")/.." && pwd)
export TARN="$root/$build/tarn"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# add_counts SUITE EXIT_STATUS: reads "N passed, N failed" from the log.
add_counts() {
    local suite=$1 status=$2 line pass fail
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$suite: no result line (exit $status)"
        tail -n 20 "$log"
        total_fail=$((total_fail + 1))
        return
    fi
    pass=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    fail=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
        echo "$suite: exited with status $status"
        tail -n 20 "$log"
        fail=1
    fi
    [ "$fail" -gt 0 ] && grep -v -E '^\[ (RUN|       OK) ' "$log" | tail -n 60
    echo "$suite: $line"
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
}

# Unit tests (cmocka): turn its summary into our result line.
for bin in "$root/$build"/tests/test_*; do
    [ -x "$bin" ] || continue
    case "$bin" in *.d) continue ;; esac
    (cd "$root" && "$bin") >"$log" 2>&1
    status=$?
    pass=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | sed -E 's/.* ([0-9]+) test.*/\1/' | tail -n 1)
    fail=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | sed -E 's/.* ([0-9]+) test.*/\1/' | tail -n 1)
    echo "${pass:-0} passed, ${fail:-0} failed" >>"$log"
    add_counts "unit/$(basename "$bin")" "$status"
done

# SQL behaviour: the project's own sqllogictest files.
if compgen -G "$root/tests/sql/*/*.test" >/dev/null; then
    (cd "$root" && "$TARN" slt tests/sql/*/*.test) >"$log" 2>&1
    add_counts "sql" $?
fi

# End-to-end suites: each script prints its own "N passed, N failed".
for script in "$root"/tests/e2e/*.sh "$root"/tests/e2e/*.py; do
    [ -f "$script" ] || continue
    case "$script" in
        *.py) (cd "$root" && python3 "$script") >"$log" 2>&1 ;;
        *) (cd "$root" && bash "$script") >"$log" 2>&1 ;;
    esac
    add_counts "e2e/$(basename "$script")" $?
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
