"""``ClientRequest.inject`` writes exactly what the global propagator writes for the
request's context, whether it takes its direct path (default W3C propagators, no baggage,
no trace state) or hands over to the propagator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from otel import baggage, context
from otel.instrumentation._http import HttpTelemetry
from otel.instrumentation._http._client import ClientRequest
from otel.propagate import get_global_textmap, set_global_textmap
from otel.propagate._propagate import _reset_global_textmap
from otel.propagators.b3 import B3MultiFormat
from otel.propagators.composite import CompositePropagator
from otel.propagators.textmap import CarrierT, Setter
from otel.sdk.trace._sampling import ALWAYS_OFF
from otel.testing import capture_spans
from otel.trace.propagation._tracecontext import TraceContextTextMapPropagator

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(autouse=True)
def _global_propagator() -> Iterator[None]:
    _reset_global_textmap()
    yield
    _reset_global_textmap()


def _both(parent: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """(what inject wrote, what the global propagator writes for the same context)."""
    base = get_global_textmap().extract(parent) if parent else None
    token = context.attach(base) if base is not None else None
    try:
        traced = ClientRequest.begin(HttpTelemetry.for_client("test", {}), "GET", "http://h/")
    finally:
        if token is not None:
            context.detach(token)
    assert traced is not None
    written: dict[str, str] = {}
    traced.inject(written)
    expected: dict[str, str] = {}
    get_global_textmap().inject(expected, traced.context)
    traced.end()
    return written, expected


def test_a_new_trace_gets_the_propagators_traceparent() -> None:
    with capture_spans():
        written, expected = _both()
    assert list(written) == ["traceparent"]
    assert written == expected


def test_a_remote_parent_with_trace_state_also_gets_tracestate() -> None:
    with capture_spans():
        written, expected = _both({"traceparent": PARENT, "tracestate": "vendor=abc,other=1"})
    assert written["tracestate"] == "vendor=abc,other=1"
    assert written["traceparent"].startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert written == expected


def test_a_context_with_baggage_also_gets_the_baggage_header() -> None:
    with capture_spans():
        written, expected = _both({"traceparent": PARENT, "baggage": "user=alice"})
    assert written["baggage"] == "user=alice"
    assert written == expected


def test_baggage_set_in_code_is_sent() -> None:
    token = context.attach(baggage.set_baggage("tenant", "t1"))
    try:
        with capture_spans():
            written, expected = _both()
    finally:
        context.detach(token)
    assert written["baggage"] == "tenant=t1"
    assert written == expected


def test_an_unsampled_span_sends_the_sampled_flag_off() -> None:
    with capture_spans(sampler=ALWAYS_OFF):
        written, expected = _both()
    assert int(written["traceparent"][-2:], 16) & 1 == 0
    assert written == expected


def test_without_an_sdk_nothing_is_sent() -> None:
    written, expected = _both()
    assert written == expected == {}


def test_another_global_propagator_is_used_and_a_later_change_is_seen() -> None:
    with capture_spans():
        _both()  # the default propagator noted first
        set_global_textmap(B3MultiFormat())
        written, expected = _both()
        assert "traceparent" not in written
        assert written == expected and "x-b3-traceid" in written
        set_global_textmap(CompositePropagator([TraceContextTextMapPropagator()]))
        written, expected = _both()
        assert list(written) == ["traceparent"] and written == expected


def test_a_subclass_of_the_w3c_propagator_injects_its_own_way() -> None:
    class Tagged(TraceContextTextMapPropagator):
        def inject(self, carrier: Any, context: Any = None, setter: Any = None) -> None:
            carrier["x-tagged"] = "1"

    set_global_textmap(Tagged())
    with capture_spans():
        written, expected = _both()
    assert written == expected == {"x-tagged": "1"}


def test_a_custom_setter_receives_the_header() -> None:
    class Upper(Setter[dict[str, str]]):
        def set(self, carrier: CarrierT, key: str, value: str) -> None:
            carrier[key.upper()] = value  # type: ignore[index]

    with capture_spans():
        traced = ClientRequest.begin(HttpTelemetry.for_client("test", {}), "GET", "http://h/")
        assert traced is not None
        headers: dict[str, str] = {}
        traced.inject(headers, Upper())
        traced.end()
    span_context = traced.span.get_span_context()
    ids = f"{span_context.trace_id:032x}-{span_context.span_id:016x}"
    assert list(headers) == ["TRACEPARENT"]
    assert headers["TRACEPARENT"].startswith(f"00-{ids}-")


def test_the_injected_traceparent_names_the_client_span() -> None:
    with capture_spans() as captured:
        written, _ = _both({"traceparent": PARENT})
    (span,) = captured.spans
    _, trace_id, span_id, flags = written["traceparent"].split("-")
    assert int(trace_id, 16) == span.context.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    assert int(span_id, 16) == span.context.span_id
    assert flags == "01"
