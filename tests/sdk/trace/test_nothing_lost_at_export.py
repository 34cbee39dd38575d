"""What the API accepts reaches the exporters (issue 18 item 2): names that are not str are
coerced where they enter, and one bad span does not cost the console exporter its batch."""

from __future__ import annotations

import io
from typing import Any

import pytest

from otel.exporter.otlp._proto._encode_trace import encode_spans
from otel.sdk.trace import ReadableSpan, TracerProvider
from otel.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, SpanExportResult
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@pytest.fixture
def tracer_and_exporter() -> Any:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("t"), exporter


def test_start_span_with_none_name_exports_a_span_with_an_empty_name(
    tracer_and_exporter: Any,
) -> None:
    tracer, exporter = tracer_and_exporter
    tracer.start_span(None).end()
    (span,) = exporter.get_finished_spans()
    assert span.name == ""
    assert encode_spans([span])  # the OTLP encoder keeps it


def test_start_as_current_span_with_a_non_str_name_uses_its_str(
    tracer_and_exporter: Any,
) -> None:
    tracer, exporter = tracer_and_exporter
    with tracer.start_as_current_span(42):
        pass
    assert [s.name for s in exporter.get_finished_spans()] == ["42"]


def test_update_name_none_keeps_the_span_with_an_empty_name(tracer_and_exporter: Any) -> None:
    tracer, exporter = tracer_and_exporter
    span = tracer.start_span("before")
    span.update_name(None)
    span.end()
    (exported,) = exporter.get_finished_spans()
    assert exported.name == ""
    assert encode_spans([exported])


def test_add_event_none_keeps_the_event_with_an_empty_name(tracer_and_exporter: Any) -> None:
    tracer, exporter = tracer_and_exporter
    span = tracer.start_span("s")
    span.add_event(None, {"k": 1})
    span.end()
    (exported,) = exporter.get_finished_spans()
    assert [(e.name, dict(e.attributes)) for e in exported.events] == [("", {"k": 1})]
    assert encode_spans([exported])


def test_a_name_whose_str_raises_becomes_empty(tracer_and_exporter: Any) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    tracer, exporter = tracer_and_exporter
    tracer.start_span(Unprintable()).end()
    assert [s.name for s in exporter.get_finished_spans()] == [""]


def test_console_exporter_writes_the_good_spans_around_a_bad_one() -> None:
    out = io.StringIO()

    def formatter(span: ReadableSpan) -> str:
        if span.name == "bad":
            raise ValueError("cannot format")
        return span.name + "\n"

    exporter = ConsoleSpanExporter(out=out, formatter=formatter)
    spans = [ReadableSpan(name) for name in ("first", "bad", "last")]
    assert exporter.export(spans) is SpanExportResult.SUCCESS
    assert out.getvalue().splitlines() == ["first", "last"]


def test_console_exporter_reports_failure_when_no_span_could_be_written() -> None:
    def formatter(span: ReadableSpan) -> str:
        raise ValueError("cannot format")

    exporter = ConsoleSpanExporter(out=io.StringIO(), formatter=formatter)
    assert exporter.export([ReadableSpan("a")]) is SpanExportResult.FAILURE
