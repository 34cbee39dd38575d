"""Bad input to the SDK span and tracer API is logged and dropped, never raised."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace import INVALID_SPAN_CONTEXT, SpanContext, StatusCode


class _UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("__str__ is broken")


def test_span_context_manager_keeps_the_user_exception_when_its_str_fails(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(_UnprintableError), tracer.start_span("work"):
        raise _UnprintableError()
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR


def test_add_event_with_non_mapping_attributes_keeps_the_event(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    span.add_event("e", [1, 2])  # type: ignore[arg-type]
    span.end()
    (event,) = exporter.get_finished_spans()[0].events
    assert event.name == "e"
    assert dict(event.attributes) == {}


def test_add_link_with_non_mapping_attributes_keeps_the_link(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    target = SpanContext(7, 8, False)
    span.add_link(target, [1, 2])  # type: ignore[arg-type]
    span.add_link(INVALID_SPAN_CONTEXT, [1, 2])  # type: ignore[arg-type] - no data: dropped
    span.end()
    (link,) = exporter.get_finished_spans()[0].links
    assert link.context == target
    assert dict(link.attributes) == {}


def test_record_exception_with_non_mapping_attributes_keeps_the_event(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    span.record_exception(ValueError("x"), attributes=[1])  # type: ignore[arg-type]
    span.end()
    (event,) = exporter.get_finished_spans()[0].events
    assert event.attributes["exception.type"] == "ValueError"


def test_get_tracer_with_non_mapping_attributes_still_gives_a_tracer(
    provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    tracer = provider.get_tracer("lib", attributes=[1, 2])  # type: ignore[arg-type]
    span = tracer.start_span("s")
    assert span.is_recording()  # a real SDK tracer, not a no-op one
    span.end()
    assert [s.name for s in exporter.get_finished_spans()] == ["s"]
    assert exporter.get_finished_spans()[0].instrumentation_scope.name == "lib"


class _RaisingIdGenerator:
    is_trace_id_random = False

    def generate_trace_id(self) -> int:
        raise RuntimeError("no ids today")

    def generate_span_id(self) -> int:
        raise RuntimeError("no ids today")


def test_raising_id_generator_does_not_reach_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = TracerProvider(id_generator=_RaisingIdGenerator(), shutdown_on_exit=False)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        span = provider.get_tracer("lib").start_span("s")
        span.end()
    context = span.get_span_context()
    assert context.is_valid
    assert "no ids today" in caplog.text
