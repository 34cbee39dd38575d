"""The SQLite store's row <-> span helpers keep every field of a span."""

from __future__ import annotations

import json

from otel.exporter.otlp._proto._model import Event, Link, Resource, Scope, Span
from otel.viewer._store._common import span_body, span_from_row


def _plain(value: object) -> object:
    """Events and links as tuples of their slots (they have no ``__eq__``)."""
    if isinstance(value, list):
        return [tuple(getattr(v, s) for s in type(v).__slots__) for v in value]
    return value


def test_span_from_row_sets_every_slot_of_a_span() -> None:
    span = span_from_row(Resource({}), Scope("s"), b"t" * 16, b"s" * 8, None, "n", 1, 1, 2, 0, {})
    for slot in Span.__slots__:
        getattr(span, slot)  # an unset slot raises AttributeError
    assert span.parent_span_id == b""
    assert span.attributes == {} and span.events == [] and span.links == []


def test_span_from_row_restores_what_span_body_saved() -> None:
    original = Span(Resource({"service.name": "a"}), Scope("s", "1"))
    original.attributes = {"k": "v", "n": 3, "b": True}
    original.events = [Event(5, "ev", {"x": 1.5}, 1)]
    original.links = [Link(b"\x01" * 16, b"\x02" * 8, "ts", {"l": "m"}, 2, 1)]
    original.status_message = "boom"
    original.trace_state = "a=b"
    original.flags = 257
    original.dropped_attributes_count = 3
    original.dropped_events_count = 4
    original.dropped_links_count = 5
    body = json.loads(span_body(original))
    body["a"] = original.attributes
    span = span_from_row(
        original.resource, original.scope, b"t" * 16, b"s" * 8, b"p" * 8, "n", 2, 1, 2, 2, body
    )
    for field in (
        "attributes",
        "events",
        "links",
        "status_message",
        "trace_state",
        "flags",
        "dropped_attributes_count",
        "dropped_events_count",
        "dropped_links_count",
    ):
        assert _plain(getattr(span, field)) == _plain(getattr(original, field)), field
    assert span.parent_span_id == b"p" * 8
