"""The SQLite store's block search (``span_blocks``: start and duration ranges and a Bloom
filter per run of span ids) finds the traces the in-memory store finds for every kind of
trace search, whether it reads the candidate blocks or walks the spans newest first."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from otel.exporter.otlp._proto._model import Resource, Scope, Span
from otel.viewer._store import _bloom, _sqlite_query
from otel.viewer._store._interface import Retention, TraceQuery
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._schema import BLOCK_SPANS
from otel.viewer._store._sqlite import SQLiteStore

BASE = time.time_ns() - 3600 * 1_000_000_000  # inside the default retention
S = 1_000_000_000
SERVICES = ["web", "api", "db", "rare"]
SCOPE = Scope("lib")


def _spans(rng: random.Random, traces: int) -> list[Span]:
    resources = {s: Resource({"service.name": s}) for s in SERVICES}
    spans = []
    for t in range(1, traces + 1):
        start = BASE + rng.randrange(600 * S)  # arrival order is not start order
        for k in range(rng.randrange(1, 6)):
            service = "rare" if t % 97 == 0 else SERVICES[rng.randrange(3)]
            span = Span(resources[service], SCOPE)
            span.trace_id = t.to_bytes(16, "big")
            span.span_id = (k + 1).to_bytes(8, "big")
            span.parent_span_id = k.to_bytes(8, "big") if k else b""
            span.name = f"op {rng.randrange(5)}" if t % 89 else "seldom"
            span.start_time_unix_nano = start + k * 1000
            span.end_time_unix_nano = span.start_time_unix_nano + rng.randrange(10 * S)
            span.status_code = 2 if rng.random() < 0.05 else 0
            span.attributes = {"user": rng.randrange(400), "tier": ["a", "b"][t % 2]}
            spans.append(span)
    return spans


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SQLiteStore, MemoryStore]]:
    rng = random.Random(4)
    spans = _spans(rng, 1500)
    sqlite = SQLiteStore(str(tmp_path_factory.mktemp("blocks") / "v.sqlite3"))
    memory = MemoryStore()
    i = 0
    while i < len(spans):  # commits of all sizes: blocks short and full
        n = rng.choice([1, 7, 60, BLOCK_SPANS + 3, 700])
        sqlite.ingest(spans=spans[i : i + n])
        memory.ingest(spans=spans[i : i + n])
        i += n
    try:
        yield sqlite, memory
    finally:
        sqlite.close()
        memory.close()


QUERIES = [
    TraceQuery(),
    TraceQuery(service="api"),
    TraceQuery(service="rare"),
    TraceQuery(service="nobody"),
    TraceQuery(span_name="seldom"),
    TraceQuery(service="db", span_name="op 3", limit=7),
    TraceQuery(attributes=[("user", "17")]),
    TraceQuery(attributes=[("user", "17"), ("tier", "b")]),
    TraceQuery(attributes=[("user", "4000")]),
    TraceQuery(service="web", min_duration_nano=9 * S),
    TraceQuery(min_duration_nano=20 * S),
    TraceQuery(max_duration_nano=S // 100, limit=50),
    TraceQuery(since_unix_nano=BASE + 300 * S, until_unix_nano=BASE + 301 * S),
    TraceQuery(service="api", since_unix_nano=BASE + 590 * S),
    TraceQuery(service="api", errors=True),
    TraceQuery(span_name="seldom", errors=True, limit=3),
    TraceQuery(service="web", attributes=[("tier", "a")], min_duration_nano=S, limit=100),
]


@pytest.mark.parametrize("rare_blocks", [0, 1 << 30])
@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_block_search_finds_what_the_memory_store_finds(
    stores: tuple[SQLiteStore, MemoryStore],
    query: TraceQuery,
    rare_blocks: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_sqlite_query, "_RARE_ATTRIBUTE_BLOCKS", rare_blocks)
    sqlite, memory = stores
    found = sqlite.find_traces(query)
    # the same traces (those of the `limit` newest matching spans), listed by trace start
    key = lambda t: t["trace_id"]  # noqa: E731
    assert sorted(found, key=key) == sorted(memory.find_traces(query), key=key)
    assert found == sorted(found, key=lambda t: t["start_unix_nano"], reverse=True)


def test_services_are_listed_from_the_services_table(
    stores: tuple[SQLiteStore, MemoryStore],
) -> None:
    assert stores[0].services() == stores[1].services() == sorted(SERVICES)


def test_traces_come_back_whole_from_their_blocks(
    stores: tuple[SQLiteStore, MemoryStore],
) -> None:
    sqlite, memory = stores
    for t in (1, 97, 700, 1500):
        trace_id = t.to_bytes(16, "big")
        got = [(s.span_id, s.start_time_unix_nano) for s in sqlite.get_trace(trace_id)]
        want = [(s.span_id, s.start_time_unix_nano) for s in memory.get_trace(trace_id)]
        assert got == want and got


def test_a_bloom_filter_never_misses_a_value_it_holds() -> None:
    rng = random.Random(1)
    for count in (0, 1, 5, 300, 3000):
        values = {rng.getrandbits(64) - (1 << 63) for _ in range(count)}
        bloom = _bloom.build(values, len(values))
        assert all(_bloom.Probe([h]).test_bytes(bloom) for h in values)
        assert _bloom.Probe(values).test_bytes(bloom)


def test_a_bloom_filter_rarely_holds_a_value_it_was_not_given() -> None:
    rng = random.Random(2)
    values = {rng.getrandbits(64) - (1 << 63) for _ in range(500)}
    bloom = _bloom.build(values, len(values))
    others = [rng.getrandbits(64) - (1 << 63) for _ in range(20_000)]
    false = sum(_bloom.Probe([h]).test_bytes(bloom) for h in others if h not in values)
    assert false < len(others) * 0.02


def test_searches_forget_the_blocks_retention_dropped(tmp_path: Path) -> None:
    rng = random.Random(5)
    old = _spans(rng, 200)
    for span in old:  # two hours old: past the retention below
        span.start_time_unix_nano -= 2 * 3600 * S
        span.end_time_unix_nano -= 2 * 3600 * S
    new = _spans(rng, 20)
    for span in new:  # half an hour old: kept
        span.trace_id = (10_000 + int.from_bytes(span.trace_id, "big")).to_bytes(16, "big")
        span.start_time_unix_nano += 1800 * S
        span.end_time_unix_nano += 1800 * S
    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=1e9, max_bytes=1 << 40))
    try:
        store.ingest(spans=old)
        assert len(store.find_traces(TraceQuery(limit=1000))) == 200  # blocks cached
        store.ingest(spans=new)
        store._retention = Retention(max_age_seconds=3600, max_bytes=1 << 40)
        conn = store._connect()
        try:
            store.retain_now(conn)
        finally:
            conn.close()
        found = store.find_traces(TraceQuery(limit=1000))
        assert sorted(t["trace_id"] for t in found) == sorted({s.trace_id.hex() for s in new})
        with store._reader() as c:
            assert [b.first_id for b in store._block_cache.blocks(c)] == [
                r[0] for r in c.execute("SELECT first_id FROM span_blocks ORDER BY 1")
            ]
    finally:
        store.close()
