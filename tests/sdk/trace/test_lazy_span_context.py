"""The tracer stores a span's ids as a plain tuple; the SpanContext is built on first read
and cached (issue 17). Readers must not be able to tell."""

from __future__ import annotations

from typing import Any

from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.sdk.trace.sampling import ALWAYS_OFF
from otel.trace import SpanContext


def _tracer(exporter: InMemorySpanExporter | None = None) -> Any:
    provider = TracerProvider(shutdown_on_exit=False)
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("lazy")


def test_span_context_is_a_span_context_and_the_same_object_on_every_read() -> None:
    span = _tracer().start_span("s")
    first = span.get_span_context()
    assert type(first) is SpanContext
    assert span.get_span_context() is first
    assert span.context is first
    assert first.is_valid and not first.is_remote and first.trace_flags.sampled


def test_parent_of_a_child_is_a_span_context_equal_to_the_parents() -> None:
    tracer = _tracer()
    with tracer.start_as_current_span("parent") as parent:
        child = tracer.start_span("child")
    assert type(child.parent) is SpanContext
    assert child.parent == parent.get_span_context()
    assert child.get_span_context().trace_id == parent.get_span_context().trace_id


def test_exported_spans_carry_span_contexts() -> None:
    exporter = InMemorySpanExporter()
    tracer = _tracer(exporter)
    with tracer.start_as_current_span("parent"), tracer.start_as_current_span("child"):
        pass
    child, parent = exporter.get_finished_spans()
    assert type(child.context) is SpanContext
    assert type(child.parent) is SpanContext
    assert child.parent.span_id == parent.context.span_id
    assert parent.parent is None
    assert '"parent_id": "0x' in child.to_json()
    assert "SpanContext(" in repr(child)


def test_unsampled_span_is_non_recording_with_a_span_context() -> None:
    provider = TracerProvider(sampler=ALWAYS_OFF, shutdown_on_exit=False)
    span = provider.get_tracer("lazy").start_span("s")
    assert not span.is_recording()
    assert type(span.get_span_context()) is SpanContext
    assert span.get_span_context().is_valid
