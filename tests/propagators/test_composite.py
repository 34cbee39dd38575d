"""CompositePropagator: several propagators acting as one."""

from __future__ import annotations

import logging

import pytest

from otel.context import Context, create_key, get_value, set_value
from otel.propagators.composite import CompositeHTTPPropagator, CompositePropagator
from otel.propagators.textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

KEY = create_key("seen")


class Recording(TextMapPropagator):
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name = name
        self.fail = fail

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        if self.fail:
            raise RuntimeError("extract failed")
        seen = get_value(KEY, context) or ()
        return set_value(KEY, (*seen, self.name), context or Context())  # type: ignore[misc]

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        if self.fail:
            raise RuntimeError("inject failed")
        setter.set(carrier, self.name, "1")

    @property
    def fields(self) -> set[str]:
        return {self.name}


def test_extract_runs_each_propagator_on_the_previous_result() -> None:
    composite = CompositePropagator([Recording("a"), Recording("b")])
    assert get_value(KEY, composite.extract({}, Context())) == ("a", "b")


def test_inject_runs_every_propagator() -> None:
    carrier: dict[str, str] = {}
    CompositePropagator([Recording("a"), Recording("b")]).inject(carrier, Context())
    assert carrier == {"a": "1", "b": "1"}


def test_fields_are_the_union() -> None:
    assert CompositePropagator([Recording("a"), Recording("b")]).fields == {"a", "b"}


def test_failing_propagator_is_skipped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    composite = CompositePropagator([Recording("a"), Recording("x", fail=True), Recording("b")])
    carrier: dict[str, str] = {}
    with caplog.at_level(logging.ERROR, logger="otel.propagators"):
        context = composite.extract({}, Context())
        composite.inject(carrier, Context())
    assert get_value(KEY, context) == ("a", "b")
    assert carrier == {"a": "1", "b": "1"}
    assert len(caplog.records) == 2


def test_empty_composite_extracts_an_empty_context() -> None:
    assert CompositePropagator([]).extract({}) == Context()


def test_empty_composite_returns_the_given_context() -> None:
    base = Context()
    assert CompositePropagator([]).extract({}, base) is base


def test_old_name_is_the_same_class() -> None:
    assert CompositeHTTPPropagator is CompositePropagator


def _default_pair() -> CompositePropagator:
    from otel.baggage.propagation import W3CBaggagePropagator
    from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

    return CompositePropagator([TraceContextTextMapPropagator(), W3CBaggagePropagator()])


TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.mark.parametrize(
    "carrier",
    [
        {"User-Agent": "x", "Accept": "*/*"},  # User-Agent is as long as tracestate
        {"Tracestate": "a=b"},  # tracestate alone: W3C reads it only beside a traceparent
        {"Referer": "http://x/"},  # as long as baggage
        {},
    ],
)
def test_carrier_without_trace_headers_returns_the_given_context(carrier: dict[str, str]) -> None:
    base = Context()
    assert _default_pair().extract(carrier, base) is base


@pytest.mark.parametrize("name", ["traceparent", "TraceParent", "TRACEPARENT"])
def test_traceparent_in_any_letter_case_among_other_headers_is_extracted(name: str) -> None:
    from otel.trace import get_current_span

    carrier = {"User-Agent": "x", "Referer": "y", name: TRACEPARENT}
    span_context = get_current_span(_default_pair().extract(carrier)).get_span_context()
    assert span_context.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736


def test_spellings_are_every_str_that_lowercases_to_the_name() -> None:
    from otel.propagators._composite import _spellings

    found = _spellings("X-k1")
    assert found == {"x-k1", "X-k1", "x-K1", "X-K1", "x-\u212a1", "X-\u212a1"}
    assert all(spelling.lower() == "x-k1" for spelling in found)


def test_names_with_too_many_spellings_turn_the_shortcut_off() -> None:
    from otel.propagators._composite import _spellings

    assert _spellings("x-b3-parentspanid-long") is None
    assert _spellings("caf\u00e9") is None
