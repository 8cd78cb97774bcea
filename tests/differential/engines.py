"""The two systems under comparison, behind one interface.

    engine.load(tag, tables) -> handle     create and fill the tables
    engine.run(handle, queries) -> [Result]   one Result per query, in order
    engine.drop(handle)

PostgresEngine puts each case in its own schema and runs a batch of queries in
one psql process.  After each query psql echoes `@@E <SQLSTATE> <message>`,
and before it `\\gdesc` reports the result column types (the comparison needs
them to know which columns are floating point).  NULL is shown as `\\N` so it
stays apart from the empty string.

TarnEngine gives each case a fresh lake and runs a batch in one `tarn sql -f`
process with `--format csv`, a marker `SELECT '@@<n>' AS "@@"` after each
query, standard error merged into standard output (tarn flushes its output
before an error, so the order holds).  A query whose segment holds an
`ERROR:` line failed, even if it had printed a header or rows first (results
stream); tarn prints no SQLSTATE, so errors are compared as error-vs-error.  If the process dies (crash, sanitizer report,
timeout) the query after the last marker is blamed and the rest of the batch
runs in a new process.  A LeakSanitizer report at exit is narrowed to the
leaking queries by bisection.
"""
import os
import re
import shutil
import subprocess
import tempfile

from generator import schema_script

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")


def crash_summary(out):
    """The first sanitizer line and the frames after it, else the last lines of output."""
    lines = out.strip().splitlines()
    for index, line in enumerate(lines):
        if any(mark in line for mark in SANITIZER_MARKS):
            return "\n".join(lines[index:index + 10])
    return "\n".join(lines[-12:])


class Result:
    __slots__ = ("status", "header", "rows", "types", "message")

    def __init__(self, status, header=None, rows=None, types=None, message=""):
        self.status = status          # "ok", "error" or "crash"
        self.header = header or []
        self.rows = rows or []
        self.types = types
        self.message = message


def parse_records(text):
    """Splits CSV output into records: ("raw", line) for marker lines starting with @@,
    ("csv", [(value, was_quoted), ...]) for everything else (RFC 4180 quoting)."""
    records, pos, size = [], 0, len(text)
    while pos < size:
        if text.startswith("@@", pos):
            end = text.find("\n", pos)
            end = size if end < 0 else end
            records.append(("raw", text[pos:end]))
            pos = end + 1
            continue
        fields, field, quoted = [], [], False
        while True:
            if pos < size and text[pos] == '"' and not field:
                quoted, pos = True, pos + 1
                while pos < size:
                    if text[pos] == '"':
                        if text.startswith('""', pos):
                            field.append('"')
                            pos += 2
                            continue
                        pos += 1
                        break
                    field.append(text[pos])
                    pos += 1
            while pos < size and text[pos] not in ",\n":
                field.append(text[pos])
                pos += 1
            fields.append(("".join(field), quoted))
            if pos < size and text[pos] == ",":
                field, quoted, pos = [], False, pos + 1
                continue
            pos += 1
            break
        records.append(("csv", fields))
    return records


ERROR_CONTINUATION = re.compile(r"^(LINE \d+: |DETAIL:  |HINT:  |CONTEXT:  |\s*\^$)")


def split_segments(out):
    """Cuts tarn's merged stdout+stderr at the marker results into one segment per query:
    ("error", first message) when an ERROR appeared (even after partial output), else
    ("csv", text).  The text after the last marker is dropped (it belongs to no query)."""
    segments, lines, error, in_quote = [], [], None, False
    all_lines = out.split("\n")
    index = 0
    while index < len(all_lines):
        line = all_lines[index]
        index += 1
        if not in_quote and line.startswith("ERROR:"):
            error = error or line[len("ERROR:"):].strip()
            while index < len(all_lines) and ERROR_CONTINUATION.match(all_lines[index]):
                index += 1
            continue
        if not in_quote and line == "@@" and index < len(all_lines) and all_lines[index].startswith("@@"):
            index += 1
            segments.append(("error", error) if error else ("csv", "\n".join(lines) + "\n"))
            lines, error = [], None
            continue
        lines.append(line)
        if line.count('"') % 2:
            in_quote = not in_quote
    return segments


class PostgresEngine:
    name = "postgresql"

    def __init__(self, server, prefix="c"):
        self.server = server
        self.prefix = prefix

    def load(self, tag, tables):
        schema = "%s_%s" % (self.prefix, tag)
        script = ["DROP SCHEMA IF EXISTS %s CASCADE;" % schema, "CREATE SCHEMA %s;" % schema,
                  "SET search_path = %s;" % schema] + schema_script(tables)
        _, err = self.server.run_script("\n".join(script) + "\n")
        errors = [line for line in err.splitlines() if "ERROR" in line]
        if errors:
            raise RuntimeError("PostgreSQL rejected the generated schema: " + errors[0])
        return schema

    def drop(self, handle):
        self.server.run_script("DROP SCHEMA IF EXISTS %s CASCADE;\n" % handle)

    def run(self, handle, queries):
        lines = ["SET search_path = %s;" % handle, "\\pset null '\\\\N'"]
        for query in queries:
            lines += [query, "\\gdesc", "\\echo @@D :SQLSTATE", query + ";",
                      "\\echo @@E :SQLSTATE :'LAST_ERROR_MESSAGE'"]
        out, _ = self.server.run_script("\n".join(lines) + "\n")
        results, block, types = [], [], None
        for kind, record in parse_records(out):
            if kind == "csv":
                block.append(record)
                continue
            if record.startswith("@@D"):
                types = [fields[1][0] for fields in block[1:]] if record == "@@D 00000" else None
            elif record.startswith("@@E"):
                state, message = record[4:9], record[10:].strip("'")
                if state == "00000" and block:
                    rows = [tuple(None if (v == "\\N" and not q) else v for v, q in r) for r in block[1:]]
                    results.append(Result("ok", [v for v, _ in block[0]], rows, types))
                elif state == "00000":
                    results.append(Result("error", message="no result printed"))
                else:
                    results.append(Result("error", message="%s %s" % (state, message)))
            block = []
        if len(results) != len(queries):
            raise RuntimeError("psql protocol broke: %d results for %d queries" % (len(results), len(queries)))
        return results


class TarnEngine:
    name = "tarn"

    def __init__(self, binary, timeout=120):
        self.binary = binary
        self.timeout = timeout
        self.env = dict(os.environ, TZ="UTC",
                        ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0"),
                        UBSAN_OPTIONS=os.environ.get("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"))

    def load(self, tag, tables):
        lake = tempfile.mkdtemp(prefix="tarn-difftest-lake-%s-" % tag)
        subprocess.run([self.binary, "init", lake], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, env=self.env, timeout=self.timeout)
        proc = subprocess.run([self.binary, "sql", lake, "--format", "csv", "-f", "-"],
                              input="\n".join(schema_script(tables)) + "\n", capture_output=True,
                              text=True, env=self.env, timeout=self.timeout)
        if proc.returncode != 0 or proc.stderr.strip():
            shutil.rmtree(lake, ignore_errors=True)
            raise RuntimeError("tarn failed to load the generated schema:\n" + proc.stderr.strip()[:2000])
        return lake

    def drop(self, handle):
        shutil.rmtree(handle, ignore_errors=True)

    def run(self, handle, queries):
        results = []
        while len(results) < len(queries):
            results += self.run_batch(handle, queries[len(results):])
        return results

    def run_batch(self, lake, queries):
        """Runs as many of queries as one process manages; returns their results."""
        script = "".join("%s;\nSELECT '@@%d' AS \"@@\";\n" % (q, i) for i, q in enumerate(queries))
        try:
            proc = subprocess.run([self.binary, "sql", lake, "--format", "csv", "-f", "-"], input=script,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env,
                                  timeout=self.timeout + len(queries))
            out, status = proc.stdout, proc.returncode
        except subprocess.TimeoutExpired as timeout:
            out = timeout.stdout.decode(errors="replace") if isinstance(timeout.stdout, bytes) else timeout.stdout or ""
            status = "timeout"
        results = []
        for kind, payload in split_segments(out):
            if kind == "error":
                results.append(Result("error", message=payload))
                continue
            block = [r for k, r in parse_records(payload) if k == "csv"]
            if not block:
                results.append(Result("error", message="(no result and no message)"))
                continue
            rows = [tuple(None if (v == "" and not q) else v for v, q in r) for r in block[1:]]
            results.append(Result("ok", [v for v, _ in block[0]], rows))
        results = results[:len(queries)]
        died = status == "timeout" or status < 0 or status > 1
        sanitizer = any(mark in out for mark in SANITIZER_MARKS)
        if len(results) < len(queries):
            results.append(Result("crash", message="tarn died (status %s): %s" % (status, crash_summary(out))))
        elif died or sanitizer:
            if len(queries) == 1:
                results[0] = Result("crash", message="report at exit: " + crash_summary(out))
            else:
                middle = len(queries) // 2
                results = self.run(lake, queries[:middle]) + self.run(lake, queries[middle:])
        return results
