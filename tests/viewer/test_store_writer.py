"""The SQLite store's writer binds a span's columns in 64-row statements built column by
column (ids as bytearray, a root's parent as an empty one, bodies only when a statement's
rows have some): every field comes back as it went in, whatever mix of rows a statement
holds."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from otel.exporter.otlp._proto._model import Event, Resource, Scope, Span
from otel.viewer._store._interface import Store
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._sqlite import SQLiteStore

BASE = time.time_ns() - 600 * 1_000_000_000


def _spans() -> list[Span]:
    """200 spans of one resource and scope (three full statements and a tail of 8), those
    numbered 64-127 and 190 with an event (a body), every 9th a root; then 5 of another
    resource (a tail only)."""
    spans = []
    groups = ((Resource({"service.name": "a"}), Scope("lib", "1"), 200),)
    groups += ((Resource({"service.name": "b", "host": "h"}), Scope("other"), 5),)
    for resource, scope, count in groups:
        for i in range(count):
            span = Span(resource, scope)
            span.trace_id = (i // 9 + 1).to_bytes(16, "big")
            span.span_id = (len(spans) + 1).to_bytes(8, "big")
            span.parent_span_id = b"" if i % 9 == 0 else (len(spans) - i % 9 + 1).to_bytes(8, "big")
            span.name = f"op {i % 5}"
            span.kind = i % 6
            span.start_time_unix_nano = BASE + i * 1000
            span.end_time_unix_nano = BASE + i * 1000 + i
            span.status_code = i % 3
            span.attributes = {"i": i, "even": i % 2 == 0} if i % 4 else {}
            if 64 <= i < 128 or i == 190:
                span.events = [Event(BASE + i, f"event {i}", {"n": i}, 0)]
            spans.append(span)
    return spans


def _fields(span: Span) -> tuple[object, ...]:
    return (
        span.trace_id,
        span.span_id,
        span.parent_span_id,
        span.resource.attributes,
        span.scope.name,
        span.scope.version,
        span.name,
        span.kind,
        span.start_time_unix_nano,
        span.end_time_unix_nano,
        span.status_code,
        span.attributes,
        [(e.time_unix_nano, e.name, e.attributes) for e in span.events],
    )


def assert_stored_as_the_memory_store_keeps_them(store: Store, spans: list[Span]) -> None:
    """Ingest ``spans`` into ``store`` and check every trace comes back field for field as
    the memory store gives it."""
    memory = MemoryStore()
    try:
        store.ingest(spans=spans)
        memory.ingest(spans=spans)
        for trace_id in sorted({s.trace_id for s in spans}):
            got = sorted(map(_fields, store.get_trace(trace_id)), key=lambda f: f[1])
            want = sorted(map(_fields, memory.get_trace(trace_id)), key=lambda f: f[1])
            assert got == want and got, trace_id
    finally:
        memory.close()


def test_spans_written_in_statements_with_and_without_bodies_come_back_whole(
    tmp_path: Path,
) -> None:
    sqlite = SQLiteStore(str(tmp_path / "v.sqlite3"))
    try:
        assert_stored_as_the_memory_store_keeps_them(sqlite, _spans())
    finally:
        sqlite.close()


def test_a_root_span_is_stored_with_a_null_parent(tmp_path: Path) -> None:
    sqlite = SQLiteStore(str(tmp_path / "v.sqlite3"))
    try:
        sqlite.ingest(spans=_spans()[:10])
    finally:
        sqlite.close()
    conn = sqlite3.connect(tmp_path / "v.sqlite3")
    try:
        roots = conn.execute("SELECT count(*) FROM spans WHERE parent_span_id IS NULL").fetchone()
        empty = conn.execute("SELECT count(*) FROM spans WHERE parent_span_id = x''").fetchone()
        blobs = conn.execute("SELECT DISTINCT typeof(trace_id), typeof(span_id) FROM spans")
        assert roots == (2,) and empty == (0,)
        assert blobs.fetchall() == [("blob", "blob")]
    finally:
        conn.close()
