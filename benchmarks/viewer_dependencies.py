"""``/api/dependencies`` of the SQLite store: edges counted at ingest vs the former join.

    .venv/bin/python benchmarks/viewer_dependencies.py [--spans 500000] [--hours 2]

Fills a fresh store through ``SQLiteStore.ingest`` (the writer path, no HTTP) with traces
of 8 spans over 4 services whose start times advance through the last ``--hours`` hours in
order, as live traffic does, in 5,000-span batches; reports the writer thread's CPU per
span in commits, in counting the edges inside them (``EdgeCounter.count_commit``, part of
the commit's) and after them (``EdgeCounter.advance``), then the latency of
``dependencies`` for the whole store, the last hour and the last 5 minutes, beside the
query the store ran before (every span joined to its parent at query time).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from otel.exporter.otlp._proto._model import Resource, Scope, Span  # noqa: E402
from viewer import median_ms  # noqa: E402 - benchmarks/viewer.py, next to this script

SERVICES = ["frontend", "checkout", "payments", "inventory"]
_S = 1_000_000_000


def _former_join(path: str, since: int | None) -> list[tuple[str, str, int, int]]:
    """The query-time join the store used before edges were counted at ingest."""
    conn = sqlite3.connect(path)
    try:
        sql = (
            "SELECT p.service, c.service, count(*), sum(c.status_code = 2) FROM spans c"
            + " CROSS JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id"
            " WHERE c.parent_span_id IS NOT NULL AND p.service != c.service"
            + (" AND c.start >= ?" if since is not None else "")
            + " GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return conn.execute(sql, () if since is None else (since,)).fetchall()
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans", type=int, default=500_000)
    parser.add_argument("--hours", type=float, default=2.0)
    args = parser.parse_args()

    from otel.viewer._store import _dependencies
    from otel.viewer._store._interface import Retention
    from otel.viewer._store._sqlite import SQLiteStore

    cpu_in_advance = [0.0]
    original = _dependencies.EdgeCounter.advance

    def timed_advance(self, conn, max_spans=_dependencies.STEP_SPANS):  # type: ignore[no-untyped-def]
        t = time.thread_time()
        try:
            return original(self, conn, max_spans)
        finally:
            cpu_in_advance[0] += time.thread_time() - t

    _dependencies.EdgeCounter.advance = timed_advance  # type: ignore[method-assign]
    cpu_in_count = [0.0]
    original_count = _dependencies.EdgeCounter.count_commit

    def timed_count(self, conn, new, older):  # type: ignore[no-untyped-def]
        t = time.thread_time()
        try:
            original_count(self, conn, new, older)
        finally:
            cpu_in_count[0] += time.thread_time() - t

    _dependencies.EdgeCounter.count_commit = timed_count  # type: ignore[method-assign]
    cpu_in_commit = [0.0]
    original_commit = SQLiteStore._commit

    def timed_commit(self, conn, batch):  # type: ignore[no-untyped-def]
        t = time.thread_time()
        try:
            original_commit(self, conn, batch)
        finally:
            cpu_in_commit[0] += time.thread_time() - t

    SQLiteStore._commit = timed_commit  # type: ignore[method-assign]
    directory = tempfile.mkdtemp(prefix="otel-view-deps-")
    path = os.path.join(directory, "view.sqlite3")
    store = SQLiteStore(path, Retention(max_age_seconds=3650 * 86400, max_bytes=1 << 40))
    rng = random.Random(3)
    resources = {s: Resource({"service.name": s}) for s in SERVICES}
    scope = Scope("bench")
    now = time.time_ns()
    first = now - int(args.hours * 3600 * _S)
    step = (now - first) // max(1, args.spans // 8)
    start = first
    span_id = 1
    stored = 0
    t0 = time.perf_counter()
    while stored < args.spans:
        batch = []
        for _ in range(min(5_000, args.spans - stored) // 8 or 1):
            trace_id = rng.getrandbits(128).to_bytes(16, "big")
            root = span_id
            for k in range(8):
                sp = Span(resources[SERVICES[k % 4]], scope)
                sp.trace_id = trace_id
                sp.span_id = span_id.to_bytes(8, "big")
                sp.parent_span_id = root.to_bytes(8, "big") if k else b""
                sp.name = "op"
                sp.start_time_unix_nano = start + k * 1000
                sp.end_time_unix_nano = start + k * 1000 + 500_000
                sp.status_code = 2 if rng.random() < 0.1 else 0
                batch.append(sp)
                span_id += 1
            start += step
        store.ingest(spans=batch)
        stored += len(batch)
    store.close()  # the writer counts the last batch before it stops
    fill_s = time.perf_counter() - t0
    print(
        f"filled {stored:,} spans in {fill_s:.0f} s; writer CPU per span: committing"
        f" {cpu_in_commit[0] / stored * 1e6:.1f} us (counting edges in it"
        f" {cpu_in_count[0] / stored * 1e6:.1f} us), counting edges after commits"
        f" {cpu_in_advance[0] / stored * 1e6:.1f} us"
    )
    store = SQLiteStore(path, Retention(max_age_seconds=3650 * 86400, max_bytes=1 << 40))
    try:
        for label, since in (
            ("whole store", None),
            ("last hour", now - 3600 * _S + 123_456_789),
            ("last 5 minutes", now - 300 * _S + 123_456_789),
        ):
            edges = store.dependencies(since, None)
            former = _former_join(path, since)
            assert [(e.parent, e.child, e.call_count, e.error_count) for e in edges] == former
            new_ms = median_ms(lambda since=since: store.dependencies(since, None), 7)
            old_ms = median_ms(lambda since=since: _former_join(path, since), 3)
            calls = sum(e.call_count for e in edges)
            print(
                f"dependencies, {label} ({calls:,} calls): {new_ms:.1f} ms median;"
                f" former join {old_ms:.0f} ms"
            )
    finally:
        store.close()
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    os.rmdir(directory)


if __name__ == "__main__":
    main()
