#!/usr/bin/env bash
# Loads TPC-H Parquet files into a tarn lake: creates the lake when it does
# not exist, creates the eight tables of schema.sql and fills each with
# INSERT ... SELECT * FROM read_parquet('DATA/<table>.parquet').
# Usage: load.sh TARN LAKE DATA
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: $0 TARN LAKE DATA" >&2
    exit 2
fi
tarn=$1 lake=$2 data=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -e "$lake/tarn.catalog" ] || "$tarn" init "$lake" >/dev/null
{
    cat "$here/schema.sql"
    for t in region nation supplier part partsupp customer orders lineitem; do
        echo "INSERT INTO $t SELECT * FROM read_parquet('$data/$t.parquet');"
    done
} | "$tarn" sql "$lake" --on-error-stop --format csv
