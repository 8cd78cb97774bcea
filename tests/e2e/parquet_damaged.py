#!/usr/bin/env python3
"""Damaged Parquet files must give a clean error, never a crash or a hang.

From good files written by tarn (zstd, snappy, gzip) and pyarrow, builds
truncations, bad magics, lying footer lengths, corrupted Thrift bytes,
corrupted compressed pages, wrong page sizes and seeded random byte flips,
and runs `parquet_tool dump` (ASan/UBSan build) on each.  Deliberate damage
must fail with status 1 and an XX001 message naming the file; random flips
may also read successfully, but a signal, a sanitizer report or a timeout
is always a failure.  Ends with "N passed, N failed".
"""
import os
import random
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_interop import Checks, build_driver, sanitizer_clean  # noqa: E402


def skip_value(data, pos, kind):
    """Position after a Thrift compact value of kind at pos (struct-aware)."""
    if kind in (1, 2):
        return pos
    if kind == 3:
        return pos + 1
    if kind in (4, 5, 6):
        while data[pos] & 0x80:
            pos += 1
        return pos + 1
    if kind == 7:
        return pos + 8
    if kind == 8:
        length, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return pos + length
    if kind == 12:
        while True:
            header = data[pos]
            pos += 1
            if header == 0:
                return pos
            if header >> 4 == 0:
                pos = skip_value(data, pos, 4)
            pos = skip_value(data, pos, header & 0x0F)
    raise ValueError("unexpected thrift type %d" % kind)


def run_dump(tool, path):
    try:
        result = subprocess.run([tool, "dump", path], capture_output=True, text=True, timeout=60,
                                errors="replace")
    except subprocess.TimeoutExpired:
        return None
    return result


def expect_error(checks, tool, path, what, allow_success=False):
    result = run_dump(tool, path)
    if not checks.check(result is not None, "%s: timed out" % what):
        return
    if result.returncode < 0 or not sanitizer_clean(result.stderr):
        checks.check(False, "%s: crashed (status %d): %s" % (what, result.returncode, result.stderr[-3000:]))
        return
    if allow_success and result.returncode == 0:
        checks.check(True, what)
        return
    good = result.returncode == 1 and path in result.stderr and result.stderr.startswith("ERROR ")
    if good and not allow_success:
        good = "ERROR XX001" in result.stderr
    checks.check(good, "%s: status %d, stderr %r" % (what, result.returncode, result.stderr[-500:]))


def page_offsets(path):
    """(header offset, body offset, body size) of the first data page of each column of row group 0."""
    import pyarrow.parquet as pq
    data = open(path, "rb").read()
    group = pq.ParquetFile(path).metadata.row_group(0)
    pages = []
    for index in range(group.num_columns):
        offset = group.column(index).data_page_offset
        end = skip_value(data, offset, 12)
        # compressed_page_size is field 3: the third field header, after type and uncompressed size.
        pos = offset
        sizes = []
        for _ in range(3):
            pos += 1
            start = pos
            pos = skip_value(data, pos, 5)
            raw, shift = 0, 0
            for byte in data[start:pos]:
                raw |= (byte & 0x7F) << shift
                shift += 7
            sizes.append((raw >> 1) ^ -(raw & 1))
        pages.append((offset, end, sizes[2]))
    return pages


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def damage(checks, tool, directory, good, label):
    data = open(good, "rb").read()
    size = len(data)
    footer_length = int.from_bytes(data[-8:-4], "little")
    footer_start = size - 8 - footer_length
    bad = os.path.join(directory, "bad_%s.parquet" % label)

    for cut in sorted({0, 1, 4, 7, 11, 12, 100, size // 3, size // 2, footer_start, footer_start + 1,
                       size - 9, size - 8, size - 5, size - 1}):
        write(bad, data[:cut])
        expect_error(checks, tool, bad, "%s truncated at %d" % (label, cut))
    # Truncated inside the data but with a valid tail: the footer points past the end.
    write(bad, data[:size // 2] + data[footer_start:])
    expect_error(checks, tool, bad, "%s data cut out" % label)

    write(bad, b"PAR2" + data[4:])
    expect_error(checks, tool, bad, "%s bad leading magic" % label)
    write(bad, data[:-4] + b"PAQ1")
    expect_error(checks, tool, bad, "%s bad trailing magic" % label)
    for length in (999999, size - 11, 0xFFFFFFFF, 0, 3):
        write(bad, data[:-8] + length.to_bytes(4, "little") + b"PAR1")
        expect_error(checks, tool, bad, "%s footer length %d" % (label, length))

    # Thrift damage inside the footer.
    for offset in (0, 1, 2, 5, footer_length // 4, footer_length // 2, footer_length - 2, footer_length - 1):
        for value in (0xFF, 0x00, 0x19):
            corrupt = bytearray(data)
            corrupt[footer_start + offset] = value
            write(bad, bytes(corrupt))
            expect_error(checks, tool, bad, "%s footer byte %d = %#x" % (label, offset, value), allow_success=True)
    corrupt = bytearray(data)
    corrupt[footer_start:footer_start + footer_length] = b"\xff" * footer_length
    write(bad, bytes(corrupt))
    expect_error(checks, tool, bad, "%s footer all 0xff" % label)

    # Page damage: compressed body, sizes in the page header.
    for column, (header, body, body_size) in enumerate(page_offsets(good)):
        if column % 3 != 0 or body_size < 8:
            continue
        corrupt = bytearray(data)
        corrupt[body:body + 4] = b"\xff\xff\xff\xff"
        write(bad, bytes(corrupt))
        expect_error(checks, tool, bad, "%s column %d corrupted compressed page" % (label, column))
        # uncompressed_page_size is the varint after the second field header.
        second = skip_value(data, header + 1, 5)
        corrupt = bytearray(data)
        corrupt[second + 1] ^= 0x02  # +-1 after zigzag, same varint length
        write(bad, bytes(corrupt))
        expect_error(checks, tool, bad, "%s column %d wrong uncompressed size" % (label, column))
        third = skip_value(data, second + 1, 5)
        corrupt = bytearray(data)
        corrupt[third + 1] = (corrupt[third + 1] & 0x80) | 0x7E  # a compressed size that lies
        write(bad, bytes(corrupt))
        expect_error(checks, tool, bad, "%s column %d wrong compressed size" % (label, column))
        corrupt = bytearray(data)
        corrupt[header:body] = b"\x00" * (body - header)
        write(bad, bytes(corrupt))
        expect_error(checks, tool, bad, "%s column %d page header zeroed" % (label, column))

    rng = random.Random(label)
    for trial in range(60):
        corrupt = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            corrupt[rng.randrange(4, size - 8)] = rng.randrange(256)
        write(bad, bytes(corrupt))
        expect_error(checks, tool, bad, "%s random damage %d" % (label, trial), allow_success=True)


def main():
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="tarn_parquet_damaged_") as directory:
        try:
            tool = build_driver(directory)
        except subprocess.CalledProcessError as error:
            checks.check(False, "could not build parquet_tool: %s" % error)
            return checks.finish()
        for codec in ("zstd", "snappy", "gzip"):
            good = os.path.join(directory, "good_%s.parquet" % codec)
            result = subprocess.run([tool, "write", good, codec, "3000", "1000"], capture_output=True, text=True)
            if checks.check(result.returncode == 0, "write %s: %s" % (codec, result.stderr)):
                damage(checks, tool, directory, good, "tarn_" + codec)
        try:
            import pyarrow.parquet as pq
            from parquet_interop import arrow_table
            good = os.path.join(directory, "good_arrow.parquet")
            pq.write_table(arrow_table(2000), good, data_page_version="2.0", compression="zstd")
            damage(checks, tool, directory, good, "pyarrow_v2")
        except ImportError as error:
            checks.check(False, "pyarrow is missing: %s" % error)
        missing = os.path.join(directory, "missing.parquet")
        result = run_dump(tool, missing)
        checks.check(result.returncode == 1 and "ERROR 58P01" in result.stderr and missing in result.stderr,
                     "missing file: %r" % result.stderr)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
