#!/usr/bin/env bash
# Installs what tarn needs to build and test, and nothing when it is all
# there already (so `make` stays quiet).  Debian packages come from apt;
# the Python peers used by interop tests and benchmarks come from pip.
set -euo pipefail

apt_packages=(
    build-essential pkg-config python3 python3-pip
    libpg-query-dev libprotobuf-c-dev libsqlite3-dev sqlite3
    libzstd-dev libsnappy-dev liblz4-dev zlib1g-dev
    libssl-dev libpcre2-dev libxxhash-dev libutf8proc-dev libedit-dev
    libcmocka-dev postgresql tzdata
)
python_packages=(duckdb pyarrow)

missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-python" ]; then
    missing_py=()
    for pkg in "${python_packages[@]}"; do
        python3 -c "import $pkg" 2>/dev/null || missing_py+=("$pkg")
    done
    if [ ${#missing_py[@]} -gt 0 ]; then
        echo "setup: pip installing ${missing_py[*]}"
        python3 -m pip install -q "${missing_py[@]}" 2>/dev/null ||
            python3 -m pip install -q --break-system-packages "${missing_py[@]}"
    fi
fi
