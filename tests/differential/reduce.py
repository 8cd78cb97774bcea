"""Shrinks a mismatching case to a minimal self-contained reproducer.

A candidate is kept when both systems still disagree and each still ends the
same way (ok / error / crash) as in the original mismatch, so the reduction
does not wander off to a different bug.  The order of work:

  1. the query: every one-step simplification of its sqltree (drop a clause,
     replace an expression by an operand or a literal) is run as one batch
     on both systems; the first that still mismatches is kept; repeat;
  2. the data: drop tables the query does not name, then columns it does
     not name, then rows (delta debugging per table, halving chunk sizes);
     each try loads the candidate data afresh into both systems;
  3. the query once more, on the reduced data.

Everything is bounded by a time budget; a reduction cut short still prints
the smallest case found.
"""
import re
import time

from compare import compare
from generator import Table
from sqltree import is_ordered, shrink_candidates


class Pair:
    """Both engines side by side: PostgreSQL first, then the system under test."""

    def __init__(self, reference, other):
        self.engines = (reference, other)
        self.count = 0

    def load(self, tables):
        self.count += 1
        tag = "r%d" % self.count
        handles = []
        try:
            for engine in self.engines:
                handles.append(engine.load(tag, tables))
        except Exception:
            self.drop(handles)
            raise
        return handles

    def drop(self, handles):
        for engine, handle in zip(self.engines, handles):
            engine.drop(handle)

    def run(self, handles, queries):
        pg = self.engines[0].run(handles[0], queries)
        other = self.engines[1].run(handles[1], queries)
        return list(zip(pg, other))


def outcome(pair_result, tree, options):
    pg, other = pair_result
    reason = compare(pg, other, is_ordered(tree), *options)
    return reason, (pg.status, other.status)


class Reducer:
    def __init__(self, pair, options=(), budget=60.0):
        """options: compare()'s arguments after `ordered` (check_names, ignore_scale)."""
        self.pair = pair
        self.options = options
        self.budget = budget
        self.deadline = 0.0

    def still_fails(self, results, trees, signature):
        for result, tree in zip(results, trees):
            reason, sig = outcome(result, tree, self.options)
            if reason and sig == signature:
                return tree
        return None

    def shrink_query(self, handles, tree, signature):
        while time.monotonic() < self.deadline:
            seen, candidates = set(), []
            for cand in shrink_candidates(tree):
                text = cand.render()
                if text not in seen:
                    seen.add(text)
                    candidates.append(cand)
            found = None
            for start in range(0, len(candidates), 150):
                chunk = candidates[start:start + 150]
                results = self.pair.run(handles, [c.render() for c in chunk])
                found = self.still_fails(results, chunk, signature)
                if found is not None or time.monotonic() > self.deadline:
                    break
            if found is None:
                return tree
            tree = found
        return tree

    def data_fails(self, tables, tree, signature):
        if time.monotonic() > self.deadline:
            return False
        try:
            handles = self.pair.load(tables)
        except RuntimeError:
            return False
        try:
            return self.still_fails(self.pair.run(handles, [tree.render()]), [tree], signature) is not None
        finally:
            self.pair.drop(handles)

    def shrink_data(self, tables, tree, signature):
        text = tree.render()
        named = [t for t in tables if re.search(r"\b%s\b" % t.name, text)]
        if len(named) < len(tables) and self.data_fails(named, tree, signature):
            tables = named
        slim = []
        for t in tables:
            keep = [i for i, (name, _, _) in enumerate(t.columns) if re.search(r"\b%s\b" % name, text)] or [0]
            slim.append(Table(t.name, [t.columns[i] for i in keep], [[row[i] for i in keep] for row in t.rows]))
        if any(len(a.columns) != len(b.columns) for a, b in zip(slim, tables)) and \
                self.data_fails(slim, tree, signature):
            tables = slim
        for index in range(len(tables)):
            chunk = max(1, len(tables[index].rows) // 2)
            while chunk >= 1 and tables[index].rows:
                start, removed = 0, False
                while start < len(tables[index].rows):
                    t = tables[index]
                    trial = Table(t.name, t.columns, t.rows[:start] + t.rows[start + chunk:])
                    candidate = tables[:index] + [trial] + tables[index + 1:]
                    if self.data_fails(candidate, tree, signature):
                        tables, removed = candidate, True
                    else:
                        start += chunk
                    if time.monotonic() > self.deadline:
                        return tables
                if chunk == 1 and not removed:
                    break
                chunk = max(1, chunk // 2) if chunk > 1 else (1 if removed else 0)
        return tables

    def reduce(self, tables, tree, handles, signature):
        """Returns (tables, tree, (pg_result, other_result)) of the smallest case found."""
        self.deadline = time.monotonic() + self.budget
        tree = self.shrink_query(handles, tree, signature)
        tables = self.shrink_data(tables, tree, signature)
        handles = self.pair.load(tables)
        try:
            tree = self.shrink_query(handles, tree, signature)
            final = self.pair.run(handles, [tree.render()])[0]
        finally:
            self.pair.drop(handles)
        return tables, tree, final
