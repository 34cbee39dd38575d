"""Helpers both stores share: attribute text form, span (de)serialisation, trace summaries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from otel.exporter.otlp._proto._model import Event, Link, Resource, Scope, Span

#: attribute values longer than this are not indexed for search
MAX_INDEXED_VALUE = 256
STATUS_ERROR = 2
#: the API's names of span kinds and status codes, by their OTLP numbers
KINDS = ("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER")
STATUS = ("UNSET", "OK", "ERROR")
_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)


def _make_dumps() -> Callable[[Any], str]:
    """Compact JSON text of ``obj``: the C encoder called directly when there is one (a third
    less time per small object than ``JSONEncoder.encode``, which the writer calls per span),
    same output; no circular-reference check (decoded telemetry cannot be circular)."""
    if _c_make_encoder is None:  # pragma: no cover - CPython always has it
        return _encoder.encode
    chunks = _c_make_encoder(
        None, _encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    join = "".join

    def encode(obj: Any) -> str:
        return join(chunks(obj, 0))

    return encode


_dumps = _make_dumps()


def attr_text(value: Any) -> str | None:
    """How an attribute value is compared with ``attr=key=value`` filters (None: not
    searchable)."""
    t = type(value)
    if t is str:
        return value if len(value) <= MAX_INDEXED_VALUE else None
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        return repr(value)
    return None


def dumps(obj: Any) -> str:
    return _dumps(obj)


def resource_key(resource: Resource) -> str:
    return _dumps([resource.attributes, resource.dropped_attributes_count, resource.schema_url])


def resource_from(text: str) -> Resource:
    attributes, dropped, schema_url = json.loads(text)
    return Resource(attributes, dropped, schema_url)


def scope_key(scope: Scope) -> str:
    return _dumps(
        [
            scope.name,
            scope.version,
            scope.attributes,
            scope.dropped_attributes_count,
            scope.schema_url,
        ]
    )


def scope_from(text: str) -> Scope:
    return Scope(*json.loads(text))


def span_body(span: Span) -> str:
    """The parts of a span that are neither columns nor attributes, as compact JSON ("" for
    a span that has none, the common case)."""
    body: dict[str, Any] = {}
    if span.events:
        body["e"] = [
            [e.time_unix_nano, e.name, e.attributes, e.dropped_attributes_count]
            for e in span.events
        ]
    if span.links:
        body["l"] = [
            [
                ln.trace_id.hex(),
                ln.span_id.hex(),
                ln.trace_state,
                ln.attributes,
                ln.dropped_attributes_count,
                ln.flags,
            ]
            for ln in span.links
        ]
    if span.status_message:
        body["m"] = span.status_message
    if span.trace_state:
        body["s"] = span.trace_state
    if span.flags:
        body["f"] = span.flags
    if span.dropped_attributes_count:
        body["da"] = span.dropped_attributes_count
    if span.dropped_events_count:
        body["de"] = span.dropped_events_count
    if span.dropped_links_count:
        body["dl"] = span.dropped_links_count
    return _dumps(body) if body else ""


def span_from_row(
    resource: Resource,
    scope: Scope,
    trace_id: bytes,
    span_id: bytes,
    parent_span_id: bytes | None,
    name: str,
    kind: int,
    start: int,
    end: int,
    status_code: int,
    b: dict[str, Any],
) -> Span:
    """A span from its stored columns and the fields ``span_body`` saved (parsed from its
    JSON). Every slot is set exactly once (no ``__init__`` defaults first: a trace fetch
    builds 10,000 of these)."""
    span = Span.__new__(Span)
    span.resource = resource
    span.scope = scope
    span.trace_id = trace_id
    span.span_id = span_id
    span.parent_span_id = parent_span_id or b""
    span.name = name
    span.kind = kind
    span.start_time_unix_nano = start
    span.end_time_unix_nano = end
    span.status_code = status_code
    get = b.get
    span.attributes = get("a") or {}
    events = get("e")
    span.events = [Event(*e) for e in events] if events else []
    links = get("l")
    span.links = (
        [Link(bytes.fromhex(t), bytes.fromhex(s), ts, a, d, f) for t, s, ts, a, d, f in links]
        if links
        else []
    )
    span.status_message = get("m", "")
    span.trace_state = get("s", "")
    span.flags = get("f", 0)
    span.dropped_attributes_count = get("da", 0)
    span.dropped_events_count = get("de", 0)
    span.dropped_links_count = get("dl", 0)
    return span


class TraceAccumulator:
    """The summary of one trace, updated span by span (both stores keep one per trace)."""

    __slots__ = (
        "end",
        "error_count",
        "root_name",
        "root_service",
        "services",
        "span_count",
        "start",
    )

    def __init__(self) -> None:
        self.root_service: str | None = None
        self.root_name: str | None = None
        self.services: set[str] = set()
        self.span_count = 0
        self.error_count = 0
        self.start = 0
        self.end = 0

    def add(self, service: str, span: Span) -> None:
        self.add_fields(
            service,
            span.parent_span_id,
            span.name,
            span.start_time_unix_nano,
            span.end_time_unix_nano,
            span.status_code,
        )

    def add_fields(
        self,
        service: str,
        parent_span_id: bytes | None,
        name: str,
        start: int,
        end: int,
        status_code: int,
    ) -> None:
        self.services.add(service)
        self.span_count += 1
        if status_code == STATUS_ERROR:
            self.error_count += 1
        if end < start:
            end = start
        if self.span_count == 1 or start < self.start:
            self.start = start
        if end > self.end:
            self.end = end
        if not parent_span_id:
            self.root_service = service
            self.root_name = name

    def merge(self, other: TraceAccumulator) -> None:
        """Fold in the spans ``other`` summarised (received after this one's)."""
        if other.span_count == 0:
            return
        if other.root_service is not None:
            self.root_service, self.root_name = other.root_service, other.root_name
        self.services |= other.services
        if self.span_count == 0 or other.start < self.start:
            self.start = other.start
        self.end = max(self.end, other.end)
        self.span_count += other.span_count
        self.error_count += other.error_count

    def merge_row(self, row: tuple[Any, ...]) -> None:
        """Fold in a stored summary row (root_service, root_name, services, span_count,
        error_count, start, end)."""
        root_service, root_name, services, count, errors, start, end = row
        if self.root_service is None:
            self.root_service, self.root_name = root_service, root_name
        self.services.update(json.loads(services))
        if self.span_count == 0 or start < self.start:
            self.start = start
        self.end = max(self.end, end)
        self.span_count += count
        self.error_count += errors

    def fields(self) -> tuple[Any, ...]:
        """The summary as built-in values (``of_fields`` rebuilds it): (root_service,
        root_name, services as a tuple, span_count, error_count, start, end)."""
        return (
            self.root_service,
            self.root_name,
            tuple(self.services),
            self.span_count,
            self.error_count,
            self.start,
            self.end,
        )

    @classmethod
    def of_fields(cls, fields: Sequence[Any]) -> TraceAccumulator:
        acc = cls()
        (
            acc.root_service,
            acc.root_name,
            services,
            acc.span_count,
            acc.error_count,
            acc.start,
            acc.end,
        ) = fields
        acc.services = set(services)
        return acc

    def row(self) -> tuple[Any, ...]:
        return (
            self.root_service,
            self.root_name,
            _dumps(sorted(self.services)),
            self.span_count,
            self.error_count,
            self.start,
            self.end,
        )


def summary(trace_id: bytes, row: Iterable[Any]) -> dict[str, Any]:
    """The API's trace summary object from a stored summary row."""
    root_service, root_name, services, count, errors, start, end = row
    if root_service is None:  # root not (yet) received: the earliest span stands in
        root_service = ""
        root_name = ""
    return {
        "trace_id": trace_id.hex(),
        "root_service": root_service,
        "root_name": root_name,
        "services": json.loads(services) if isinstance(services, str) else sorted(services),
        "span_count": count,
        "error_count": errors,
        "start_unix_nano": start,
        "duration_nano": max(0, end - start),
    }
