"""``ReadableSpan._export_fields`` (what encoders read in one call) says what the public
data-model properties say, for every field, on spans that exercise each of them."""

from __future__ import annotations

from typing import Any

import pytest

from otel.sdk.trace import ReadableSpan, SpanLimits, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace import SpanKind, Status, StatusCode


def _from_properties(span: ReadableSpan) -> tuple[Any, ...]:
    context, parent = span.context, span.parent
    return (
        (span.resource, span.instrumentation_scope),
        tuple(context[:4]),
        None if parent is None else tuple(parent[:4]),
        span.name,
        span.kind,
        span.start_time,
        span.end_time,
        dict(span.attributes),
        [(e.name, e.timestamp, dict(e.attributes)) for e in span.events],
        span.status,
        span.dropped_attributes,
        span.dropped_events,
        span.dropped_links,
    )


def _from_export_fields(span: ReadableSpan) -> tuple[Any, ...]:
    fields = span._export_fields()
    settings, context, parent = fields[:3]
    return (
        (settings.resource, settings.instrumentation_scope),
        tuple(context[:4]),
        None if parent is None else tuple(parent[:4]),
        *fields[3:7],
        dict(fields[7]),
        [(e.name, e.timestamp, dict(e.attributes)) for e in fields[8]],
        *fields[9:],
    )


@pytest.mark.parametrize("max_length", [None, 4])
def test_export_fields_agree_with_the_public_properties(max_length: int | None) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        span_limits=SpanLimits(
            max_attributes=3, max_events=1, max_links=0, max_attribute_length=max_length
        ),
        shutdown_on_exit=False,
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("fields", "1.0")
    with tracer.start_as_current_span("parent", kind=SpanKind.SERVER) as parent:
        child = tracer.start_span("child", kind=SpanKind.CLIENT, links=[])
        child.set_attributes({"a": "a long value", "b": 2, "c": 1.5, "d": True})
        child.add_event("e1", {"k": "v"})
        child.add_event("e2")
        child.set_status(Status(StatusCode.ERROR, "broke"))
        child.end()
        parent.set_attribute("p", "q")
    spans = exporter.get_finished_spans()
    assert [s.name for s in spans] == ["child", "parent"]
    for span in spans:
        assert _from_export_fields(span) == _from_properties(span)
    provider.shutdown()
