#!/usr/bin/env python3
"""Parquet interop between tarn and the readers/writers users run beside it.

Builds tests/e2e/parquet_tool.c (against build/asan/libtarn.a when it is up
to date, else straight from the sources, always with ASan/UBSan), then:
  * tarn writes files with every type and codec; pyarrow and DuckDB must read
    the same values with the expected logical types and field ids;
  * pyarrow (codecs, dictionary on/off, v2 pages, several row groups,
    BYTE_STREAM_SPLIT, DELTA_* encodings, INT96, ms/ns timestamps, unsigned
    ints) and DuckDB (zstd/snappy, small row groups, PARQUET_VERSION v2) write
    files; tarn must print the values they read back.
Prints one line per failed check and ends with "N passed, N failed".
"""
import datetime
import decimal
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer"]
LIBS = ["-lpg_query", "-lprotobuf-c", "-lsqlite3", "-lzstd", "-lsnappy", "-llz4", "-lz", "-lssl", "-lcrypto",
        "-lpcre2-8", "-lxxhash", "-lutf8proc", "-ledit", "-lm", "-pthread"]


def build_driver(directory):
    """Compiles parquet_tool into directory and returns its path."""
    cflags = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-Iinclude", "-Isrc", "-O1", "-g"]
    out = os.path.join(directory, "parquet_tool")
    library = os.path.join(ROOT, "build/asan/libtarn.a")
    sources = [os.path.join(d, f) for d in ("src/storage/parquet", "src/common", "src/types")
               for f in sorted(os.listdir(os.path.join(ROOT, d))) if f.endswith(".c")]
    newest = max(os.path.getmtime(os.path.join(ROOT, s)) for s in sources + ["src/storage/parquet.h"])
    if os.path.exists(library) and os.path.getmtime(library) >= newest:
        inputs = [library]
    else:
        inputs = sources
    command = ["gcc"] + cflags + SANITIZE + ["-o", out, "tests/e2e/parquet_tool.c"] + inputs + LIBS
    subprocess.run(command, cwd=ROOT, check=True)
    return out


def sanitizer_clean(stderr):
    return "Sanitizer" not in stderr and "runtime error:" not in stderr


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what)
        return condition

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 else 1


# ---- formatting values the way parquet_tool prints them ----

def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def format_value(value, kind):
    if value is None:
        return "\\N"
    if kind == "bool":
        return "t" if value else "f"
    if kind == "float":
        return "%.9g" % value
    if kind == "double":
        return "%.17g" % value
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        suffix = ""
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
            suffix = "+00"
        return "%04d-%02d-%02d %02d:%02d:%02d.%06d%s" % (value.year, value.month, value.day, value.hour,
                                                        value.minute, value.second, value.microsecond, suffix)
    if isinstance(value, datetime.date):
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if isinstance(value, str):
        return escape(value)
    return str(value)


def arrow_lines(table):
    """Rows of a pyarrow table as parquet_tool would print them."""
    import pyarrow as pa
    import pyarrow.compute as pc
    columns = []
    for field, column in zip(table.schema, table.columns):
        kind = None
        if pa.types.is_boolean(field.type):
            kind = "bool"
        elif pa.types.is_float32(field.type):
            kind = "float"
        elif pa.types.is_float64(field.type):
            kind = "double"
        elif pa.types.is_timestamp(field.type):
            column = pc.cast(column, pa.timestamp("us", tz=field.type.tz), safe=False)
        columns.append([format_value(v, kind) for v in column.to_pylist()])
    return ["\t".join(row) for row in zip(*columns)]


def duckdb_lines(connection, path):
    relation = connection.sql("SELECT * FROM read_parquet('%s')" % path)
    kinds = []
    for column_type in relation.types:
        name = str(column_type)
        kinds.append("bool" if name == "BOOLEAN" else "float" if name == "FLOAT" else
                     "double" if name == "DOUBLE" else None)
    return ["\t".join(format_value(v, k) for v, k in zip(row, kinds)) for row in relation.fetchall()]


def run_tool(tool, *args):
    result = subprocess.run([tool] + list(args), capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def compare(checks, what, got, want):
    if len(got) != len(want):
        return checks.check(False, "%s: %d rows, expected %d" % (what, len(got), len(want)))
    for index, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return checks.check(False, "%s: row %d differs\n  tarn:     %s\n  expected: %s" % (what, index, a, b))
    return checks.check(True, what)


def dump(checks, tool, path, what):
    status, out, err = run_tool(tool, "dump", path)
    if not checks.check(status == 0 and sanitizer_clean(err), "%s: dump failed (%d): %s" % (what, status, err[-2000:])):
        return None
    return out.splitlines()


# ---- tarn writes, others read ----

EXPECTED_ARROW = {
    "b": "bool", "i16": "int16", "i32": "int32", "i64": "int64", "f32": "float", "f64": "double",
    "n9": "decimal128(9, 2)", "n18": "decimal128(18, 4)", "n38": "decimal128(38, 10)", "t": "string",
    "cat": "string", "d": "date32[day]", "ts": "timestamp[us]", "tz": "timestamp[us, tz=UTC]", "allnull": "int32",
}
EXPECTED_DUCKDB = {
    "b": "BOOLEAN", "i16": "SMALLINT", "i32": "INTEGER", "i64": "BIGINT", "f32": "FLOAT", "f64": "DOUBLE",
    "n9": "DECIMAL(9,2)", "n18": "DECIMAL(18,4)", "n38": "DECIMAL(38,10)", "t": "VARCHAR", "cat": "VARCHAR",
    "d": "DATE", "ts": "TIMESTAMP", "tz": "TIMESTAMP WITH TIME ZONE", "allnull": "INTEGER",
}


def tarn_writes(checks, tool, directory, connection):
    import pyarrow.parquet as pq
    cases = [("zstd", "5000", "0", "1"), ("snappy", "5000", "2000", "1"), ("gzip", "3000", "0", "1"),
             ("uncompressed", "3000", "1000", "0"), ("lz4_raw", "3000", "0", "1"), ("zstd", "0", "0", "1")]
    for codec, rows, group_rows, dictionary in cases:
        what = "tarn %s rows=%s groups=%s dict=%s" % (codec, rows, group_rows, dictionary)
        path = os.path.join(directory, "tarn_%s_%s_%s_%s.parquet" % (codec, rows, group_rows, dictionary))
        status, out, err = run_tool(tool, "write", path, codec, rows, group_rows, dictionary)
        if not checks.check(status == 0 and sanitizer_clean(err), "%s: write failed: %s" % (what, err[-2000:])):
            continue
        lines = dump(checks, tool, path, what)
        if lines is None:
            continue
        table = pq.read_table(path)
        compare(checks, what + " read by pyarrow", lines, arrow_lines(table))
        types = {f.name: str(f.type) for f in table.schema}
        checks.check(types == EXPECTED_ARROW, "%s: pyarrow types %s" % (what, types))
        ids = [f.metadata.get(b"PARQUET:field_id") if f.metadata else None for f in table.schema]
        checks.check(ids == [str(i + 1).encode() for i in range(len(ids))], "%s: field ids %s" % (what, ids))
        metadata = pq.ParquetFile(path).metadata
        checks.check(metadata.created_by.startswith("tarn version"), "%s: created_by %s" % (what, metadata.created_by))
        if int(rows) > 0:
            compare(checks, what + " read by duckdb", lines, duckdb_lines(connection, path))
            described = connection.sql("DESCRIBE SELECT * FROM read_parquet('%s')" % path).fetchall()
            duck_types = {name: kind for name, kind, *_ in described}
            checks.check(duck_types == EXPECTED_DUCKDB, "%s: duckdb types %s" % (what, duck_types))
            check_statistics(checks, what, table, metadata)


def check_statistics(checks, what, table, metadata):
    """Footer min/max/null count agree with the data for a few columns."""
    import pyarrow.compute as pc
    offset = 0
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        for name in ("i64", "t", "n38", "d"):
            index = table.schema.get_field_index(name)
            stats = metadata.row_group(group).column(index).statistics
            column = table.column(name).slice(offset, rows)
            bounds = pc.min_max(column).as_py()
            good = (stats is not None and stats.has_min_max and stats.min == bounds["min"] and
                    stats.max == bounds["max"] and stats.null_count == column.null_count)
            checks.check(good, "%s: statistics of %s in row group %d: %s vs %s" % (what, name, group, stats, bounds))
        offset += rows


# ---- others write, tarn reads ----

def arrow_table(rows):
    import pyarrow as pa

    def values(make, null_every=7):
        return [None if i % null_every == 3 else make(i) for i in range(rows)]

    def signed(i):
        return i if i % 2 == 0 else -i

    epoch = datetime.datetime(1970, 1, 1)
    columns = {
        "b": pa.array(values(lambda i: i % 3 == 0), pa.bool_()),
        "i8": pa.array(values(lambda i: signed(i) % 128), pa.int8()),
        "i16": pa.array(values(lambda i: signed(i) * 3 % 32000), pa.int16()),
        "i32": pa.array(values(lambda i: signed(i) * 100003), pa.int32()),
        "i64": pa.array(values(lambda i: signed(i) * 1000000007), pa.int64()),
        "u8": pa.array(values(lambda i: i % 256), pa.uint8()),
        "u32": pa.array(values(lambda i: 4294967295 - i), pa.uint32()),
        "u64": pa.array(values(lambda i: 18446744073709551615 - i * 1000), pa.uint64()),
        "f32": pa.array(values(lambda i: signed(i) / 4.0), pa.float32()),
        "f64": pa.array(values(lambda i: signed(i) / 7.0), pa.float64()),
        "n9": pa.array(values(lambda i: decimal.Decimal(signed(i) * 1001).scaleb(-2)), pa.decimal128(9, 2)),
        "n18": pa.array(values(lambda i: decimal.Decimal(signed(i) * 100000007).scaleb(-4)), pa.decimal128(18, 4)),
        "n38": pa.array(values(lambda i: decimal.Decimal(signed(i) * 10 ** 27 + 12345).scaleb(-10)),
                        pa.decimal128(38, 10)),
        "s": pa.array(values(lambda i: "row %d%s" % (i, " with\ta longer tail" if i % 5 == 0 else "")), pa.string()),
        "cat": pa.array(values(lambda i: ["red", "green", "a much longer category"][i % 3], 11), pa.string()),
        "d": pa.array(values(lambda i: datetime.date(1970, 1, 1) + datetime.timedelta(days=signed(i) * 3)),
                      pa.date32()),
        "ts": pa.array(values(lambda i: epoch + datetime.timedelta(microseconds=signed(i) * 3600000123)),
                       pa.timestamp("us")),
        "ts_ms": pa.array(values(lambda i: signed(i) * 3600123), pa.timestamp("ms")),
        "ts_ns": pa.array(values(lambda i: i * 3600000123456 + (i % 1000)), pa.timestamp("ns")),
        "tz": pa.array(values(lambda i: signed(i) * 3600000123), pa.timestamp("us", tz="UTC")),
        "req": pa.array([i * 11 for i in range(rows)], pa.int64()),
    }
    schema = pa.schema([pa.field(name, array.type, nullable=(name != "req")) for name, array in columns.items()])
    return pa.table(list(columns.values()), schema=schema)


def arrow_writes(checks, tool, directory):
    import pyarrow.parquet as pq
    table = arrow_table(4000)
    no_dict = {"use_dictionary": False}
    deltas = {"use_dictionary": False,
              "column_encoding": {"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                                  "s": "DELTA_LENGTH_BYTE_ARRAY", "cat": "DELTA_BYTE_ARRAY",
                                  "ts": "DELTA_BINARY_PACKED", "d": "DELTA_BINARY_PACKED"}}
    cases = [
        ("default", {}),
        ("snappy", {"compression": "snappy"}),
        ("zstd", {"compression": "zstd"}),
        ("gzip", {"compression": "gzip"}),
        ("lz4", {"compression": "lz4"}),
        ("none", {"compression": "none"}),
        ("no dictionary", no_dict),
        ("v2 pages", {"data_page_version": "2.0"}),
        ("v2 pages zstd no dictionary", dict(no_dict, data_page_version="2.0", compression="zstd")),
        ("row groups", {"row_group_size": 700}),
        ("small pages", {"data_page_size": 512, "write_batch_size": 100}),
        ("byte stream split", dict(no_dict, use_byte_stream_split=["f32", "f64"])),
        ("delta encodings", deltas),
        ("delta encodings v2", dict(deltas, data_page_version="2.0")),
        ("int96", {"use_deprecated_int96_timestamps": True}),
        ("ms timestamps", {"coerce_timestamps": "ms", "allow_truncated_timestamps": True}),
        ("no statistics", {"write_statistics": False}),
        ("page checksums", {"write_page_checksum": True}),
    ]
    for name, options in cases:
        what = "pyarrow " + name
        path = os.path.join(directory, "arrow_%s.parquet" % name.replace(" ", "_"))
        try:
            pq.write_table(table, path, **options)
        except Exception as error:  # an option this pyarrow lacks is a failure worth seeing
            checks.check(False, "%s: pyarrow could not write: %s" % (what, error))
            continue
        lines = dump(checks, tool, path, what)
        if lines is not None:
            compare(checks, what, lines, arrow_lines(pq.read_table(path)))
    # The types tarn assigns to pyarrow's columns.
    path = os.path.join(directory, "arrow_default.parquet")
    status, out, err = run_tool(tool, "schema", path)
    types = dict(line.split("\t")[:2] for line in out.splitlines())
    expected = {"b": "boolean", "i8": "smallint", "i16": "smallint", "i32": "integer", "i64": "bigint",
                "u8": "integer", "u32": "bigint", "u64": "numeric(20,0)", "f32": "real", "f64": "double precision",
                "n9": "numeric(9,2)", "n18": "numeric(18,4)", "n38": "numeric(38,10)", "s": "text", "cat": "text",
                "d": "date", "ts": "timestamp without time zone", "ts_ms": "timestamp without time zone",
                "ts_ns": "timestamp without time zone", "tz": "timestamp with time zone", "req": "bigint"}
    checks.check(status == 0 and types == expected, "pyarrow schema mapping: %s" % types)


def duckdb_writes(checks, tool, directory, connection):
    query = """
        SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE i % 3 = 0 END AS b,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 100 - 50)::TINYINT END AS i8,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 3 % 30000 - 15000)::SMALLINT END AS i16,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 100003 - 200000000)::INTEGER END AS i32,
               (i * 1000000007 - 5000000000)::BIGINT AS i64,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 200)::UTINYINT END AS u8,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i / 4.0 - 100)::FLOAT END AS f32,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i / 7.0 - 100)::DOUBLE END AS f64,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 10.01 - 5000)::DECIMAL(9,2) END AS n9,
               CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 10000.0007 - 1e7)::DECIMAL(18,4) END AS n18,
               CASE WHEN i % 7 = 3 THEN NULL
                    ELSE ((i * 1000003 - 2500000000)::VARCHAR || '12345678901234567.0000012345')::DECIMAL(38,10)
               END AS n38,
               CASE WHEN i % 7 = 3 THEN NULL ELSE 'value ' || (i % 50) || repeat('x', i % 20) END AS s,
               CASE WHEN i % 7 = 3 THEN NULL ELSE DATE '1970-01-01' + (i * 3 - 3000)::INTEGER END AS d,
               CASE WHEN i % 7 = 3 THEN NULL
                    ELSE TIMESTAMP '1970-01-01' + to_microseconds(i * 3600000123 - 10000000000) END AS ts,
               CASE WHEN i % 7 = 3 THEN NULL
                    ELSE TIMESTAMPTZ '2000-01-01 00:00:00+00' + to_microseconds(i * 60000001) END AS tz
        FROM range(5000) t(i)
    """
    cases = [("default", ""), ("zstd", ", COMPRESSION zstd"), ("snappy", ", COMPRESSION snappy"),
             ("uncompressed", ", COMPRESSION uncompressed"), ("small row groups", ", ROW_GROUP_SIZE 1000"),
             ("v2", ", PARQUET_VERSION v2"), ("v2 zstd small row groups", ", PARQUET_VERSION v2, COMPRESSION zstd, ROW_GROUP_SIZE 700")]
    for name, options in cases:
        what = "duckdb " + name
        path = os.path.join(directory, "duckdb_%s.parquet" % name.replace(" ", "_"))
        try:
            connection.sql("COPY (%s) TO '%s' (FORMAT parquet%s)" % (query, path, options))
        except Exception as error:
            checks.check(False, "%s: duckdb could not write: %s" % (what, error))
            continue
        lines = dump(checks, tool, path, what)
        if lines is not None:
            compare(checks, what, lines, duckdb_lines(connection, path))


def main():
    import duckdb
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="tarn_parquet_interop_") as directory:
        try:
            tool = build_driver(directory)
        except subprocess.CalledProcessError as error:
            checks.check(False, "could not build parquet_tool: %s" % error)
            return checks.finish()
        connection = duckdb.connect()
        connection.sql("SET TimeZone = 'UTC'")
        tarn_writes(checks, tool, directory, connection)
        arrow_writes(checks, tool, directory)
        duckdb_writes(checks, tool, directory, connection)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
