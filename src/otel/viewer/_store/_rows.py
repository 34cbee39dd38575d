"""Spans prepared for the SQLite store: the rows, built on the receiving thread.

``prepare_spans`` turns model spans into ``PreparedSpans`` (the ``spans`` rows minus their
ids, each span's attribute hashes and the per-trace summaries) so the single writer thread
only numbers rows and hands them to SQLite. A protobuf receiver can build the same object
straight from the wire (``otel.viewer._receiver._otlp_rows``). Pure functions, any thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from otel.exporter.otlp._proto._model import Span
from otel.viewer._store._common import (
    TraceAccumulator,
    attr_text,
    dumps,
    resource_from,
    resource_key,
    scope_from,
    scope_key,
    span_body,
    span_from_row,
)
from otel.viewer._store._schema import attr_hash

#: (trace_id, span_id, parent_span_id or None, service, name, kind, start, end, duration,
#: status_code, attrs JSON text or "", body JSON text or "") -- ``spans`` columns in
#: ``SPAN_COLUMNS`` order after ``id, resource_id, scope_id``
SpanRow = tuple[bytes, bytes, "bytes | None", str, str, int, int, int, int, int, str, str]
SPAN_COLUMNS = (
    "id, resource_id, scope_id, trace_id, span_id, parent_span_id, service, name, kind,"
    " start, end, duration, status_code, attrs, body"
)


class SpanGroup(NamedTuple):
    """Spans sharing one resource and scope (as their stored text keys)."""

    resource_key: str
    service: str
    scope_key: str
    rows: list[SpanRow]
    #: per row, the ``attr_hash`` of each searchable attribute
    hashes: list[tuple[int, ...]]


class PreparedSpans:
    """What one request's spans add to the store. Consumed once by a store's writer."""

    __slots__ = ("columns", "count", "groups", "traces")

    def __init__(self) -> None:
        self.groups: list[SpanGroup] = []
        self.traces: dict[bytes, TraceAccumulator] = {}
        self.count = 0
        #: per group, what a store's writer binds, when worked out before it is queued
        #: (``SQLiteStore.submit``); not part of ``to_wire``
        self.columns: list[Any] | None = None

    def __len__(self) -> int:
        return self.count

    def add_group(self, group: SpanGroup) -> None:
        """Append ``group`` and fold its spans into the trace summaries."""
        self.groups.append(group)
        self.count += len(group.rows)
        traces = self.traces
        service = group.service
        for row in group.rows:
            acc = traces.get(row[0])
            if acc is None:
                acc = traces[row[0]] = TraceAccumulator()
            acc.add_fields(service, row[2], row[4], row[6], row[7], row[9])

    def to_wire(self) -> tuple[Any, ...]:
        """This object as built-in values only (``marshal`` writes them, several times
        faster than ``pickle`` writes the object); ``from_wire`` rebuilds it."""
        traces = [(trace_id, *acc.fields()) for trace_id, acc in self.traces.items()]
        return self.count, [tuple(group) for group in self.groups], traces

    @classmethod
    def from_wire(cls, wire: Sequence[Any]) -> PreparedSpans:
        prepared = cls()
        prepared.count, groups, traces = wire
        prepared.groups = [SpanGroup(*group) for group in groups]
        of_fields = TraceAccumulator.of_fields
        prepared.traces = {t[0]: of_fields(t[1:]) for t in traces}
        return prepared

    def spans(self) -> Iterator[Span]:
        """The spans back as model objects (for stores that keep those)."""
        for group in self.groups:
            resource = resource_from(group.resource_key)
            scope = scope_from(group.scope_key)
            for tid, sid, parent, _, name, kind, start, end, _, code, attrs, body in group.rows:
                fields = json.loads(body) if body else {}
                if attrs:
                    fields["a"] = json.loads(attrs)
                yield span_from_row(
                    resource, scope, tid, sid, parent, name, kind, start, end, code, fields
                )


_hash_cache: dict[tuple[str, type, object], int] = {}
_HASH_CACHE_MAX = 100_000


def attribute_hash(key: str, value: Any) -> int | None:
    """The ``attr_hash`` of one attribute, None when it is not searchable (``attr_text``).
    Hashes of str/int/bool values are memoised by (key, type, value): the type keeps True
    and 1 apart; floats are not (-0.0 == 0.0)."""
    t = type(value)
    if t is str or t is int or t is bool:
        cache_key = (key, t, value)
        h = _hash_cache.get(cache_key)
        if h is None:
            text = attr_text(value)
            if text is None:
                return None
            if len(_hash_cache) > _HASH_CACHE_MAX:
                _hash_cache.clear()
            h = _hash_cache[cache_key] = attr_hash(key, text)
        return h
    text = attr_text(value)
    return None if text is None else attr_hash(key, text)


def span_row(span: Span, service: str) -> tuple[SpanRow, tuple[int, ...]]:
    """The row of one model span and the hashes of its searchable attributes."""
    start = span.start_time_unix_nano
    end = span.end_time_unix_nano
    attributes = span.attributes
    hashes: tuple[int, ...] = ()
    if attributes:
        found = [attribute_hash(k, v) for k, v in attributes.items()]
        hashes = tuple(h for h in found if h is not None)
    return (
        span.trace_id,
        span.span_id,
        span.parent_span_id or None,
        service,
        span.name,
        span.kind,
        start,
        end,
        max(0, end - start),
        span.status_code,
        dumps(attributes) if attributes else "",
        span_body(span),
    ), hashes


def prepare_spans(spans: Sequence[Span]) -> PreparedSpans:
    """Rows for ``spans`` (consecutive spans of one resource and scope share a group)."""
    prepared = PreparedSpans()
    keys: dict[int, tuple[str, str]] = {}
    rows: list[SpanRow] = []
    hashes: list[tuple[int, ...]] = []
    current: tuple[object, object] | None = None
    group_keys = ("", "", "")
    for span in spans:
        if current is None or span.resource is not current[0] or span.scope is not current[1]:
            if rows:
                prepared.add_group(SpanGroup(*group_keys, rows, hashes))
                rows, hashes = [], []
            current = (span.resource, span.scope)
            res = keys.get(id(span.resource))
            if res is None:
                res = keys[id(span.resource)] = (resource_key(span.resource), span.resource.service)
            group_keys = (res[0], res[1], scope_key(span.scope))
        row, span_hashes = span_row(span, group_keys[1])
        rows.append(row)
        hashes.append(span_hashes)
    if rows:
        prepared.add_group(SpanGroup(*group_keys, rows, hashes))
    return prepared
