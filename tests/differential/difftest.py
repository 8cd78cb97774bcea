#!/usr/bin/env python3
"""Differential test driver: random schemas, data and queries run on PostgreSQL and tarn.

For each case (derived deterministically from --seed and the case number) it
generates 2-4 tables, loads them into a private PostgreSQL server and a fresh
tarn lake, runs the case's queries on both in batches and compares each
result (compare.py).  The first mismatches are reduced to minimal
reproducers (reduce.py), printed and saved under a temporary directory.
The last line is "N passed, N failed" (one per query).

    difftest.py --seed 1 --queries 3000              the `make check` run
    difftest.py --seed 7 --queries 100000 --level 2  a long run with more features
    difftest.py --self-check                         PostgreSQL against itself
"""
import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compare import compare, show_result                      # noqa: E402
from engines import PostgresEngine, TarnEngine                # noqa: E402
from generator import FEATURES, LEVEL1, LEVEL2, Generator, schema_script  # noqa: E402
from pgserver import PgServer                                  # noqa: E402
from reduce import Pair, Reducer                               # noqa: E402
from sqltree import is_ordered                                 # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=3000, help="total number of queries")
    parser.add_argument("--per-case", type=int, default=150, help="queries per generated schema")
    parser.add_argument("--level", type=int, choices=(1, 2), default=1, help="feature level (2 adds LEVEL2)")
    parser.add_argument("--features", default="",
                        help="comma list adjusting the level: +name adds, -name removes, 'all' for every one")
    parser.add_argument("--tarn", default=os.environ.get("TARN", os.path.join(ROOT, "build/asan/tarn")))
    parser.add_argument("--self-check", action="store_true", help="compare PostgreSQL with itself")
    parser.add_argument("--reduce", type=int, default=5, help="mismatches to reduce (others are listed)")
    parser.add_argument("--reduce-seconds", type=float, default=45.0, help="time budget per reduction")
    parser.add_argument("--ignore-names", action="store_true", help="do not compare column names")
    parser.add_argument("--ignore-numeric-scale", action="store_true",
                        help="diagnostic: compare numeric values without trailing zeros (hides a known bug class)")
    parser.add_argument("--list", type=int, default=15, help="unreduced mismatches to print")
    parser.add_argument("--out", default=None, help="directory for reproducers (default: a new temp dir)")
    parser.add_argument("--first-case", type=int, default=0, help="start at this case (to repeat one)")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args(argv)


def choose_features(args):
    features = list(LEVEL1) + (list(LEVEL2) if args.level == 2 else [])
    for item in filter(None, (x.strip() for x in args.features.split(","))):
        if item == "all":
            features = list(FEATURES)
            continue
        name = item.lstrip("+-")
        if name not in FEATURES:
            sys.exit("unknown feature %r; known: %s" % (name, ", ".join(FEATURES)))
        if item.startswith("-"):
            features = [f for f in features if f != name]
        elif name not in features:
            features.append(name)
    return features


def reproducer_text(tables, query, reason, pg, other, other_name, origin):
    lines = ["-- differential mismatch: %s" % reason, "-- found by %s" % origin]
    lines += schema_script(tables)
    lines += [query + ";", "", "-- PostgreSQL:"]
    lines += ["--   " + line for line in show_result(pg).splitlines()]
    lines += ["-- %s:" % other_name]
    lines += ["--   " + line for line in show_result(other).splitlines()]
    return "\n".join(lines) + "\n"


class Run:
    def __init__(self, args, pair, features):
        self.args = args
        self.pair = pair
        self.features = features
        self.passed = self.failed = 0
        self.reduced = 0
        self.listed = 0
        self.seen_reductions = set()
        self.out_dir = args.out or tempfile.mkdtemp(prefix="tarn-difftest-")
        os.makedirs(self.out_dir, exist_ok=True)
        self.pg_errors = {}
        self.classes = {}
        self.options = (not args.ignore_names, args.ignore_numeric_scale)

    def count_class(self, reason):
        """A rough class for the summary: the reason without its values."""
        key = re.sub(r"'[^']*'|\"[^\"]*\"|-?\d+(\.\d+)?(e[-+]?\d+)?", "_", reason.split(":")[0]
                     if "row" in reason.split(":")[0] else reason)
        key = re.sub(r"\(.*", "", key) if key.startswith(("sorted row", "row", "float")) else key
        self.classes[key] = self.classes.get(key, 0) + 1

    def case(self, case_index, count):
        rng = random.Random("%d/%d" % (self.args.seed, case_index))
        gen = Generator(rng, self.features)
        tables = gen.gen_schema()
        trees = [gen.query()[0] for _ in range(count)]
        queries = [t.render() for t in trees]
        origin = "seed %d, case %d" % (self.args.seed, case_index)
        try:
            handles = self.pair.load(tables)
        except RuntimeError as error:
            self.failed += count
            print("FAIL %s: loading the schema: %s" % (origin, error))
            print("\n".join(schema_script(tables))[:3000])
            return
        try:
            results = self.pair.run(handles, queries)
            for index, ((pg, other), tree) in enumerate(zip(results, trees)):
                if pg.status == "error":
                    state = pg.message[:5]
                    self.pg_errors[state] = self.pg_errors.get(state, 0) + 1
                reason = compare(pg, other, is_ordered(tree), *self.options)
                if reason is None:
                    self.passed += 1
                    continue
                self.failed += 1
                self.report(tables, tree, handles, (pg, other), reason, "%s, query %d" % (origin, index))
        finally:
            self.pair.drop(handles)

    def report(self, tables, tree, handles, results, reason, origin):
        pg, other = results
        self.count_class(reason)
        other_name = self.pair.engines[1].name
        if self.reduced < self.args.reduce:
            self.reduced += 1
            reducer = Reducer(self.pair, self.options, self.args.reduce_seconds)
            tables, tree, (pg, other) = reducer.reduce(tables, tree, handles, (pg.status, other.status))
            query = tree.render()
            if query in self.seen_reductions:
                print("FAIL %s: reduces to an already reported case: %s" % (origin, query))
                return
            self.seen_reductions.add(query)
            reason = compare(pg, other, is_ordered(tree), *self.options) or reason
            text = reproducer_text(tables, query, reason, pg, other, other_name, origin)
            path = os.path.join(self.out_dir, "mismatch-%d.sql" % self.reduced)
            with open(path, "w") as handle:
                handle.write(text)
            print("FAIL %s: %s\n  minimal reproducer (%s):\n%s" % (origin, reason, path,
                                                                   "    " + text.replace("\n", "\n    ")))
        elif self.listed < self.args.list:
            self.listed += 1
            print("FAIL %s: %s\n    %s" % (origin, reason, tree.render()))


def main(argv):
    args = parse_args(argv)
    features = choose_features(args)
    start = time.monotonic()
    with PgServer() as server:
        reference = PostgresEngine(server, "ref")
        if args.self_check:
            other = PostgresEngine(server, "self")
            other.name = "postgresql (second schema)"
        else:
            if not os.access(args.tarn, os.X_OK):
                print("tarn binary %s not found (set TARN or --tarn)" % args.tarn)
                print("0 passed, 1 failed")
                return 1
            # a private copy: the build may relink the binary while the run goes on
            snapshot = os.path.join(server.directory, "tarn")
            shutil.copy2(args.tarn, snapshot)
            other = TarnEngine(snapshot)
        run = Run(args, Pair(reference, other), features)
        case_index = args.first_case
        remaining = args.queries
        while remaining > 0:
            count = min(args.per_case, remaining)
            run.case(case_index, count)
            remaining -= count
            case_index += 1
            if args.verbose:
                print("case %d: %d passed, %d failed (%.0fs)" % (case_index, run.passed, run.failed,
                                                                   time.monotonic() - start), flush=True)
    errors = sum(run.pg_errors.values())
    print("differential: seed %d, level %d, %d cases, %.0fs; PostgreSQL rejected %d queries %s"
          % (args.seed, args.level, case_index - args.first_case, time.monotonic() - start, errors, dict(sorted(run.pg_errors.items()))))
    for key, number in sorted(run.classes.items(), key=lambda item: -item[1]):
        print("  %5d  %s" % (number, key))
    if run.reduced:
        print("reproducers saved in %s" % run.out_dir)
    elif not args.out:
        os.rmdir(run.out_dir)
    print("%d passed, %d failed" % (run.passed, run.failed))
    return 0 if run.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
