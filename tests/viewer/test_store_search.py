"""The SQLite store's attribute search (blocks of span ids + instr() + an exact check) and its
spliced trace JSON give the same answers as the in-memory store and the API's span shapes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from otel.exporter.otlp._proto._model import Event, Link, Resource, Scope, Span
from otel.viewer._query import span_json
from otel.viewer._store import _sqlite_query
from otel.viewer._store._interface import TraceQuery
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._rows import prepare_spans
from otel.viewer._store._sqlite import SQLiteStore

NOW = time.time_ns()
RESOURCE = Resource({"service.name": "shop", "host": "h\u00e9"})
SCOPE = Scope("lib", "1.2")


def _span(n: int, attributes: dict[str, object]) -> Span:
    span = Span(RESOURCE, SCOPE)
    span.trace_id = n.to_bytes(16, "big")
    span.span_id = (n + 1).to_bytes(8, "big")
    span.name = f"op {n}"
    span.kind = 2
    span.start_time_unix_nano = NOW - 1_000_000_000 + n
    span.end_time_unix_nano = NOW + n
    span.attributes = attributes
    return span


SPANS = [
    _span(1, {"n": 123, "s": "123", "flag": True}),
    _span(2, {"n": 12, "f": 1.5, "inf": float("inf")}),
    _span(3, {"nested": {"n": 12}, "s": 'a "quoted" \u00e9 value'}),
    _span(4, {"s": "x" * 300, "list": [1, 2]}),
    _span(5, {"flag": "true", "n": "12"}),
]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[SQLiteStore, MemoryStore]]:
    sqlite = SQLiteStore(str(tmp_path / "v.sqlite3"))
    memory = MemoryStore()
    sqlite.ingest(spans=SPANS)
    memory.ingest(spans=prepare_spans(SPANS))
    try:
        yield sqlite, memory
    finally:
        sqlite.close()
        memory.close()


FILTERS = [
    [("n", "12")],
    [("n", "123")],
    [("s", "123")],
    [("flag", "true")],
    [("f", "1.5")],
    [("inf", "inf")],
    [("s", 'a "quoted" \u00e9 value')],
    [("s", "x" * 300)],
    [("list", "[1, 2]")],
    [("n", "12"), ("f", "1.5")],
    [("missing", "1")],
]


@pytest.mark.parametrize("rare_blocks", [0, 256])
@pytest.mark.parametrize("attributes", FILTERS)
def test_attribute_filters_match_what_the_memory_store_finds(
    stores: tuple[SQLiteStore, MemoryStore],
    attributes: list[tuple[str, str]],
    rare_blocks: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sqlite, memory = stores
    monkeypatch.setattr(_sqlite_query, "_RARE_ATTRIBUTE_BLOCKS", rare_blocks)
    query = TraceQuery(attributes=attributes)
    assert sqlite.find_traces(query) == memory.find_traces(query)


def test_a_longer_value_with_the_same_prefix_is_not_a_match(
    stores: tuple[SQLiteStore, MemoryStore],
) -> None:
    found = stores[0].find_traces(TraceQuery(attributes=[("n", "12")]))
    assert sorted(t["trace_id"] for t in found) == [(2).to_bytes(16, "big").hex(),
                                                    (5).to_bytes(16, "big").hex()]  # fmt: skip


def test_spliced_trace_json_equals_the_shaped_spans(tmp_path: Path) -> None:
    span = _span(7, {"k": "v", "n": 3, "b": False, "d": 2.5, "l": ["a", 1]})
    span.events = [Event(NOW, "ev \u00e9", {"x": 1}, 2)]
    span.links = [Link(b"\x01" * 16, b"\x02" * 8, "ts", {"l": "m"}, 1, 1)]
    span.status_code = 2
    span.status_message = 'boom "here"'
    span.trace_state = "a=b"
    span.flags = 257
    span.dropped_attributes_count = 3
    span.dropped_events_count = 4
    span.dropped_links_count = 5
    child = _span(7, {})
    child.span_id = b"\x09" * 8
    child.parent_span_id = span.span_id
    child.kind = 9  # out of range: shown as UNSPECIFIED
    store = SQLiteStore(str(tmp_path / "v.sqlite3"))
    try:
        store.ingest(spans=[span, child])
        text = store.trace_json(span.trace_id)
        assert text is not None
        expected = {
            "trace_id": span.trace_id.hex(),
            "spans": [span_json(s) for s in store.get_trace(span.trace_id)],
        }
        assert json.loads(text) == expected
        assert store.trace_json(b"\x05" * 16) is None
    finally:
        store.close()


def test_prepared_spans_come_back_as_the_same_spans() -> None:
    span = SPANS[2]
    (back,) = prepare_spans([span]).spans()
    assert span_json(back) == span_json(span)
