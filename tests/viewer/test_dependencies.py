"""Service dependency edges: counted at ingest by the SQLite store (``_store/_dependencies``),
joined at query time by the memory store; both must give what joining every stored span to
its parent gives, whatever order and batches the spans arrive in."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from _support.wait import wait_until
from otel.exporter.otlp._proto._model import Resource, Scope, Span
from otel.viewer._store import _dependencies
from otel.viewer._store._interface import Edge, Retention
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._schema import SCHEMA_VERSION
from otel.viewer._store._sqlite import SQLiteStore

S = 1_000_000_000
HOUR = 3600 * S
#: an hour boundary 3 hours ago: the data straddles hour, minute and second buckets
BASE = (time.time_ns() // HOUR - 3) * HOUR
SCOPE = Scope("test")
RESOURCES = {name: Resource({"service.name": name}) for name in ("web", "api", "db", "cache")}
SERVICES = list(RESOURCES)

Store = SQLiteStore | MemoryStore


def make_span(
    trace: int, span: int, parent: int, service: str, start: int, error: bool = False
) -> Span:
    s = Span(RESOURCES[service], SCOPE)
    s.trace_id = trace.to_bytes(16, "big")
    s.span_id = span.to_bytes(8, "big")
    s.parent_span_id = parent.to_bytes(8, "big") if parent else b""
    s.name = "op"
    s.start_time_unix_nano = start
    s.end_time_unix_nano = start + 1000
    s.status_code = 2 if error else 0
    return s


def random_spans(rng: random.Random, traces: int) -> list[Span]:
    """Trees of 1-12 spans over 4 services, starts spread over 2.5 h with sub-second
    offsets, some errors, some children whose parent is never sent."""
    spans = []
    for t in range(1, traces + 1):
        start = BASE - 20 * 60 * S + rng.randrange(150 * 60 * S)
        ids: list[int] = []
        for i in range(rng.randrange(1, 13)):
            parent = rng.choice(ids) if ids else 0
            if ids and rng.random() < 0.05:
                parent = 999_999  # an orphan
            span_id = t * 100 + i + 1
            ids.append(span_id)
            spans.append(
                make_span(
                    t,
                    span_id,
                    parent,
                    rng.choice(SERVICES),
                    start + rng.randrange(3 * S),
                    rng.random() < 0.2,
                )
            )
    return spans


def expected_edges(spans: Sequence[Span], since: int | None, until: int | None) -> list[Edge]:
    by_key = {(s.trace_id, s.span_id): s for s in spans}
    counts: dict[tuple[str, str], list[int]] = {}
    for child in spans:
        parent = by_key.get((child.trace_id, child.parent_span_id))
        start = child.start_time_unix_nano
        if parent is None or (since is not None and start < since):
            continue
        if until is not None and start > until:
            continue
        pair = (parent.resource.service, child.resource.service)
        if pair[0] != pair[1]:
            n = counts.setdefault(pair, [0, 0])
            n[0] += 1
            n[1] += child.status_code == 2
    return [Edge(a, b, n, e) for (a, b), (n, e) in sorted(counts.items())]


def join_at_query_time(db: Path, since: int | None, until: int | None) -> list[Edge]:
    """The query the store ran before edges were counted at ingest."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT p.service, c.service, count(*), sum(c.status_code = 2) FROM spans c"
            " JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id"
            " WHERE p.service != c.service AND c.start >= ? AND c.start <= ?"
            " GROUP BY 1, 2 ORDER BY 1, 2",
            (since if since is not None else 0, until if until is not None else 1 << 62),
        ).fetchall()
    finally:
        conn.close()
    return [Edge(a, b, n, e) for a, b, n, e in rows]


def ingest_in_batches(store: Store, spans: list[Span], rng: random.Random) -> None:
    i = 0
    while i < len(spans):
        n = rng.randrange(1, 60)
        store.ingest(spans=spans[i : i + n])
        i += n


def counted_upto(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT span_id FROM service_edges_done").fetchone()[0])
    finally:
        conn.close()


def wait_counted(db: Path) -> None:
    def caught_up() -> bool:
        conn = sqlite3.connect(db)
        try:
            top = conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()[0]
        finally:
            conn.close()
        return counted_upto(db) >= top

    assert wait_until(caught_up, 10)


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "v.db"))
    try:
        yield s
    finally:
        s.close()


WINDOWS = [
    (None, None),
    (BASE - 7 * 60 * S - 123_456, None),  # mid-second, mid-minute, before an hour boundary
    (None, BASE + 30 * 60 * S + 987_654_321),
    (BASE - 59 * 60 * S + 5, BASE + 61 * 60 * S + 7),  # spans two hour boundaries
    (BASE, BASE + HOUR - 1),  # exactly one hour bucket (until is inclusive)
    (BASE + 10 * S + 1, BASE + 10 * S + 800_000_000),  # under a second
    (BASE + 5 * HOUR, None),  # after everything
    (BASE + S, BASE),  # empty: since after until
]


def test_edges_are_those_of_the_join_whatever_order_and_batches(store: Store) -> None:
    rng = random.Random(14)
    spans = random_spans(rng, 300)
    rng.shuffle(spans)  # children before parents, pairs split across batches
    ingest_in_batches(store, spans, rng)
    for since, until in WINDOWS:
        assert store.dependencies(since, until) == expected_edges(spans, since, until)


def test_counted_edges_equal_the_old_query_time_join(
    sqlite_store: SQLiteStore, tmp_path: Path
) -> None:
    rng = random.Random(7)
    spans = random_spans(rng, 300)
    rng.shuffle(spans)
    ingest_in_batches(sqlite_store, spans, rng)
    again = {s.trace_id for s in spans[:10]}  # stored twice: the join counts 4 pairs each
    sqlite_store.ingest(spans=[s for s in spans if s.trace_id in again])
    wait_counted(tmp_path / "v.db")
    for since, until in WINDOWS:
        got = sqlite_store.dependencies(since, until)
        assert got == join_at_query_time(tmp_path / "v.db", since, until)
    assert sqlite_store.dependencies(None, None) != []


def test_a_child_stored_before_its_parent_is_counted_once_the_parent_arrives(
    store: Store,
) -> None:
    store.ingest(spans=[make_span(1, 2, 1, "api", BASE + S, error=True)])
    assert store.dependencies(None, None) == []
    store.ingest(spans=[make_span(1, 1, 0, "web", BASE)])
    store.ingest(spans=[make_span(2, 1, 0, "web", BASE)])  # a later batch changes nothing
    assert store.dependencies(None, None) == [Edge("web", "api", 1, 1)]


def test_a_parent_and_child_in_one_batch_are_counted_once(store: Store) -> None:
    store.ingest(spans=[make_span(1, 2, 1, "api", BASE + S), make_span(1, 1, 0, "web", BASE)])
    store.ingest(spans=[make_span(1, 3, 1, "db", BASE + S)])  # a sibling in a later batch
    assert store.dependencies(None, None) == [Edge("web", "api", 1, 0), Edge("web", "db", 1, 0)]


def test_span_ids_shared_by_two_traces_pair_only_within_each_trace(store: Store) -> None:
    # one batch: the writer pairs spans by span id and must compare the traces
    store.ingest(
        spans=[
            make_span(1, 1, 0, "web", BASE),
            make_span(1, 2, 1, "api", BASE + S),
            make_span(2, 1, 0, "db", BASE),
            make_span(2, 2, 1, "cache", BASE + S),
            make_span(3, 5, 1, "api", BASE + S),  # its parent 1 is not in trace 3
        ]
    )
    assert store.dependencies(None, None) == [Edge("db", "cache", 1, 0), Edge("web", "api", 1, 0)]


def test_a_child_whose_parent_id_is_another_traces_span_is_not_paired(store: Store) -> None:
    store.ingest(spans=[make_span(1, 7, 0, "web", BASE), make_span(2, 8, 7, "api", BASE + S)])
    assert store.dependencies(None, None) == []


def test_calls_within_one_service_are_not_edges(store: Store) -> None:
    store.ingest(spans=[make_span(1, 1, 0, "api", BASE), make_span(1, 2, 1, "api", BASE + 1)])
    store.ingest(spans=[make_span(1, 3, 2, "api", BASE + 2)])
    assert store.dependencies(None, None) == []


def test_the_window_bounds_the_child_start_inclusively(store: Store) -> None:
    starts = [BASE - 1, BASE, BASE + 1, BASE + 61 * S, BASE + HOUR - 1, BASE + HOUR]
    store.ingest(spans=[make_span(t, 1, 0, "web", BASE - 2 * S) for t in range(1, 7)])
    store.ingest(spans=[make_span(t, 2, 1, "api", s) for t, s in enumerate(starts, 1)])
    assert store.dependencies(BASE, BASE + HOUR - 1) == [Edge("web", "api", 4, 0)]
    assert store.dependencies(BASE + 1, BASE + 61 * S) == [Edge("web", "api", 2, 0)]
    assert store.dependencies(BASE + HOUR, None) == [Edge("web", "api", 1, 0)]
    assert store.dependencies(None, BASE - 1) == [Edge("web", "api", 1, 0)]


def test_edges_not_counted_yet_are_joined_at_query_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_dependencies.EdgeCounter, "advance", lambda self, conn: 0)
    monkeypatch.setattr(_dependencies.EdgeCounter, "count_commit", lambda *args: None)
    store = SQLiteStore(str(tmp_path / "v.db"))
    try:
        rng = random.Random(3)
        spans = random_spans(rng, 100)
        ingest_in_batches(store, spans, rng)
        assert counted_upto(tmp_path / "v.db") == 0
        for since, until in WINDOWS:
            assert store.dependencies(since, until) == expected_edges(spans, since, until)
        monkeypatch.setattr(_dependencies, "STEP_SPANS", 10)  # "far behind": one whole join
        for since, until in WINDOWS:
            assert store.dependencies(since, until) == expected_edges(spans, since, until)
    finally:
        store.close()


def test_buckets_are_summed_by_the_widest_that_fit() -> None:
    m = 60 * S
    ranges = list(_dependencies._bucket_ranges(BASE - 2 * m - 3 * S, BASE + HOUR + m + 4 * S))
    assert ranges == [
        (3600, BASE, BASE + HOUR),
        (60, BASE - 2 * m, BASE),
        (1, BASE - 2 * m - 3 * S, BASE - 2 * m),
        (60, BASE + HOUR, BASE + HOUR + m),
        (1, BASE + HOUR + m, BASE + HOUR + m + 4 * S),
    ]


def test_retention_deletes_old_buckets_and_recounts_the_one_it_cuts(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    now = time.time_ns()
    store = SQLiteStore(str(db), Retention(max_age_seconds=2 * 3600))
    try:
        spans = []
        # one call per 10 s from 4 h ago to now: retention cuts somewhere inside buckets
        for t, start in enumerate(range(now - 4 * HOUR, now, 10 * S), 1):
            spans += [make_span(t, 1, 0, "web", start), make_span(t, 2, 1, "db", start + 1)]
        store.ingest(spans=spans)
        wait_counted(db)
        conn = store._connect()  # as the writer thread would, on a connection of its own
        try:
            store.retain_now(conn)  # (the writer may have run it already after the commit)
            store.retain_now(conn)  # nothing more to delete, nothing more to recount
            floor = conn.execute("SELECT min(start) FROM spans").fetchone()[0]
            assert now - 2 * HOUR <= floor < now - 2 * HOUR + 10 * S + 60 * S
            for width in _dependencies.WIDTHS_S:
                oldest = conn.execute(
                    "SELECT min(bucket) FROM service_edges WHERE width = ?", (width,)
                ).fetchone()[0]
                assert floor - width * S < oldest <= floor
        finally:
            conn.close()
        kept = [s for s in spans if s.start_time_unix_nano >= floor]
        for since, until in [(None, None), (floor - HOUR, now - HOUR), (now - 90 * 60 * S, None)]:
            assert store.dependencies(since, until) == expected_edges(kept, since, until)
    finally:
        store.close()


def test_a_database_whose_edges_were_never_counted_answers_and_catches_up(
    tmp_path: Path,
) -> None:
    db = tmp_path / "v.db"
    rng = random.Random(2)
    spans = random_spans(rng, 100)
    store = SQLiteStore(str(db))
    store.ingest(spans=spans)
    store.close()
    conn = sqlite3.connect(db)
    conn.executescript("DELETE FROM service_edges; DELETE FROM service_edges_done;")
    conn.close()
    store = SQLiteStore(str(db))
    try:
        assert store.dependencies(None, None) == expected_edges(spans, None, None)
        wait_counted(db)
        assert store.dependencies(BASE, None) == expected_edges(spans, BASE, None)
    finally:
        store.close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()


def test_a_failed_counting_step_loses_nothing_and_ingest_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = _dependencies._count_pairs
    failures = []

    def fail_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(1)
            raise sqlite3.OperationalError("disk I/O error")
        return original(*args, **kwargs)

    monkeypatch.setattr(_dependencies, "_count_pairs", fail_once)
    db = tmp_path / "v.db"
    store = SQLiteStore(str(db))
    try:
        store.ingest(spans=[make_span(1, 1, 0, "web", BASE), make_span(1, 2, 1, "api", BASE)])
        store.ingest(spans=[make_span(2, 1, 0, "web", BASE), make_span(2, 2, 1, "db", BASE)])
        wait_counted(db)
        assert failures and "counting service edges failed" in caplog.text
        assert store.dependencies(None, None) == [Edge("web", "api", 1, 0), Edge("web", "db", 1, 0)]
    finally:
        store.close()
