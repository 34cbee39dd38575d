from __future__ import annotations

import pytest

from otel import trace
from otel.sdk.resources import Resource
from otel.testing._spans import CapturedSpans, _reset_trace, capture_spans, span_capture_fixture

span_capture = pytest.fixture(span_capture_fixture)


def test_capture_spans_records_spans_of_global_tracers() -> None:
    tracer = trace.get_tracer("lib")  # proxy obtained before the block
    with (
        capture_spans() as captured,
        tracer.start_as_current_span("outer"),
        tracer.start_as_current_span("inner"),
    ):
        pass
    assert captured.names() == ["inner", "outer"]
    (inner,) = captured.by_name("inner")
    assert inner.parent.span_id == captured.by_name("outer")[0].context.span_id  # type: ignore[union-attr]


def test_capture_spans_restores_previous_state() -> None:
    with capture_spans():
        pass
    assert not trace.get_tracer("x").start_span("s").is_recording()


def test_capture_spans_restores_previous_provider() -> None:
    with capture_spans() as outer:
        with capture_spans() as inner:
            trace.get_tracer("t").start_span("in-inner").end()
        trace.get_tracer("t").start_span("in-outer").end()
    assert inner.names() == ["in-inner"]
    assert outer.names() == ["in-outer"]


def test_capture_spans_passes_provider_arguments() -> None:
    with capture_spans(resource=Resource({"service.name": "test-svc"})) as captured:
        trace.get_tracer("t").start_span("s").end()
    assert captured.spans[0].resource.attributes["service.name"] == "test-svc"


def test_fixture_generator(span_capture: CapturedSpans) -> None:
    trace.get_tracer("t").start_span("from-fixture").end()
    assert span_capture.names() == ["from-fixture"]
    span_capture.clear()
    assert len(span_capture) == 0


def test_reset_trace_forgets_global_provider() -> None:
    with capture_spans() as captured:
        _reset_trace()
        trace.get_tracer("t").start_span("lost").end()
    assert captured.spans == []
