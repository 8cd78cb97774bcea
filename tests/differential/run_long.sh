#!/usr/bin/env bash
# On-demand long differential run against PostgreSQL (not part of `make check`).
#   tests/differential/run_long.sh [--queries N] [--seed N] [--level 1|2] [difftest.py options]
# Defaults: 100000 queries, a seed from the clock (printed, so a run can be
# repeated), level 2 features, 10 reductions.  Builds build/asan/tarn first
# unless TARN points elsewhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
queries=100000
seed=$(date +%s)
level=2
rest=()
while [ $# -gt 0 ]; do
    case "$1" in
        --queries) queries=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --level) level=$2; shift 2 ;;
        *) rest+=("$1"); shift ;;
    esac
done
if [ -z "${TARN:-}" ]; then
    make -C "$root" --no-print-directory BUILD=build/asan OPT="-O1 -g" \
        SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
        build/asan/tarn >/dev/null
    export TARN="$root/build/asan/tarn"
fi
echo "differential long run: seed $seed, $queries queries, level $level"
exec python3 "$root/tests/differential/difftest.py" --seed "$seed" --queries "$queries" --level "$level" \
    --reduce 10 --verbose "${rest[@]+"${rest[@]}"}"
