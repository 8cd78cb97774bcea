#!/usr/bin/env bash
# `make demo`: builds a lake from examples/shop.sql in a temporary folder,
# queries it and shows what tarn wrote on disk.
set -euo pipefail
tarn=${1:-build/tarn}
root=$(cd "$(dirname "$0")/.." && pwd)
lake=$(mktemp -d "${TMPDIR:-/tmp}/tarn-demo.XXXXXX")/lake
trap 'rm -rf "$(dirname "$lake")"' EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$tarn" init "$lake"
step "$tarn" sql "$lake" --format table -f "$root/examples/shop.sql"
step "$tarn" sql "$lake" --format table "SELECT c.name, count(*) AS orders, sum(o.amount) AS total
    FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id
    WHERE o.status <> 'returned'
    GROUP BY c.name ORDER BY total DESC"
step "$tarn" sql "$lake" --format table "UPDATE shop.orders SET status = 'shipped' WHERE id = 104"
step "$tarn" sql "$lake" --format table "DELETE FROM shop.orders WHERE status = 'returned'"
step "$tarn" sql "$lake" --format table "SELECT status, count(*), min(amount), max(amount)
    FROM shop.orders GROUP BY status ORDER BY status"
step "$tarn" sql "$lake" --format table "EXPLAIN SELECT name FROM shop.customers WHERE country = 'US' ORDER BY joined"
printf '\n\033[1m$ find %s -type f\033[0m\n' "$lake"
(cd "$lake" && find . -type f | sort)
files=$(cd "$lake" && find data -name '*.parquet' ! -name '*-delete.parquet' | sort | head -n 1)
step "$tarn" sql "$lake" --format table "SELECT * FROM read_parquet('$lake/$files')"
