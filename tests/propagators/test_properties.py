"""Property tests for B3 and Jaeger: inject/extract round trips, random input never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otel import baggage
from otel.context import Context
from otel.propagators.b3 import B3MultiFormat, B3SingleFormat
from otel.propagators.jaeger import JaegerPropagator
from otel.propagators.textmap import TextMapPropagator
from otel.testing._errors import no_internal_errors
from otel.trace import (
    INVALID_SPAN,
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)

PROPAGATORS = [B3MultiFormat(), B3SingleFormat(), JaegerPropagator()]
IDS = ["b3multi", "b3single", "jaeger"]

trace_ids = st.integers(1, 2**128 - 1)
span_ids = st.integers(1, 2**64 - 1)
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
tokens = st.from_regex(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}", fullmatch=True)


@pytest.mark.parametrize("propagator", PROPAGATORS, ids=IDS)
@given(trace_id=trace_ids, span_id=span_ids, sampled=st.booleans())
def test_extract_of_inject_gives_the_same_span_context(
    propagator: TextMapPropagator, trace_id: int, span_id: int, sampled: bool
) -> None:
    sent = SpanContext(trace_id, span_id, False, TraceFlags(int(sampled)))
    carrier: dict[str, str] = {}
    with no_internal_errors():
        propagator.inject(carrier, set_span_in_context(NonRecordingSpan(sent), Context()))
        got = get_current_span(propagator.extract(carrier)).get_span_context()
    assert (got.trace_id, got.span_id, got.trace_flags.sampled) == (trace_id, span_id, sampled)
    assert got.is_remote


@given(entries=st.dictionaries(tokens, texts, max_size=10))
def test_jaeger_extract_of_inject_gives_the_same_baggage(entries: dict[str, str]) -> None:
    propagator = JaegerPropagator()
    context = Context()
    for name, value in entries.items():
        context = baggage.set_baggage(name, value, context)
    carrier: dict[str, str] = {}
    with no_internal_errors():
        propagator.inject(carrier, context)
        got = propagator.extract(carrier)
    assert dict(baggage.get_all(got)) == entries


def _headers(names: list[str]) -> st.SearchStrategy[dict[str, object]]:
    text = st.one_of(
        st.text(),
        st.text(alphabet="0123456789abcdefABCDEF-:%d \t", max_size=70),
        st.binary().map(lambda b: b.decode("latin-1")),
    )
    values = st.one_of(text, st.lists(text, max_size=3), st.binary())
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=12), values, max_size=5)


B3_NAMES = ["b3", "B3", "x-b3-traceid", "X-B3-SpanId", "x-b3-sampled", "X-B3-Flags"]
JAEGER_NAMES = ["uber-trace-id", "Uber-Trace-Id", "uberctx-k", "UBERCTX-", "jaeger-baggage"]


def _check_random(propagator: TextMapPropagator, headers: dict[str, object]) -> None:
    with no_internal_errors():
        context = propagator.extract(headers)
    span = get_current_span(context)
    if span is not INVALID_SPAN:
        span_context = span.get_span_context()
        assert span_context.is_valid and span_context.is_remote
        carrier: dict[str, str] = {}
        with no_internal_errors():
            propagator.inject(carrier, context)
        assert get_current_span(propagator.extract(carrier)).get_span_context() == span_context


@pytest.mark.parametrize("propagator", PROPAGATORS[:2], ids=IDS[:2])
@given(headers=_headers(B3_NAMES))
def test_b3_random_headers_never_raise(
    propagator: TextMapPropagator, headers: dict[str, object]
) -> None:
    _check_random(propagator, headers)


@given(headers=_headers(JAEGER_NAMES))
def test_jaeger_random_headers_never_raise(headers: dict[str, object]) -> None:
    _check_random(JaegerPropagator(), headers)
