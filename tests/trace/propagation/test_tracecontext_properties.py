"""Property tests: W3C trace context survives inject/extract; random input never raises."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from otel.context import Context
from otel.testing._errors import no_internal_errors
from otel.trace import (
    INVALID_SPAN,
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    TraceState,
    get_current_span,
    set_span_in_context,
)
from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()

trace_ids = st.integers(1, 2**128 - 1)
span_ids = st.integers(1, 2**64 - 1)
flags = st.sampled_from([0, 1, 2, 3]).map(TraceFlags)
state_keys = st.from_regex(r"[a-z][a-z0-9_\-*/]{0,30}", fullmatch=True)
state_values = st.from_regex(
    r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,30}[\x21-\x2b\x2d-\x3c\x3e-\x7e]", fullmatch=True
)
trace_states = st.lists(
    st.tuples(state_keys, state_values), max_size=32, unique_by=lambda kv: kv[0]
).map(TraceState)


@given(trace_ids, span_ids, flags, trace_states)
def test_extract_of_inject_gives_the_same_span_context(
    trace_id: int, span_id: int, trace_flags: TraceFlags, trace_state: TraceState
) -> None:
    sent = SpanContext(trace_id, span_id, False, trace_flags, trace_state)
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, set_span_in_context(NonRecordingSpan(sent), Context()))
    got = get_current_span(PROPAGATOR.extract(carrier)).get_span_context()
    assert (got.trace_id, got.span_id) == (trace_id, span_id)
    assert got.trace_flags == trace_flags
    assert got.trace_state == trace_state
    assert got.is_remote


header_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789abcdefABCDEF- \t,=", max_size=80),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.builds(
        lambda v, t, s, f, rest: f"{v}-{t}-{s}-{f}{rest}",
        st.from_regex(r"[0-9a-f]{2}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{32}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{16}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{2}", fullmatch=True),
        st.text(max_size=10),
    ),
)
header_values = st.one_of(header_text, st.lists(header_text, max_size=3), st.binary())
names = st.sampled_from(["traceparent", "tracestate", "TraceParent", "TRACESTATE", "other"])


@given(st.dictionaries(names, header_values, max_size=4))
def test_random_headers_never_raise(headers: dict[str, object]) -> None:
    with no_internal_errors():
        context = PROPAGATOR.extract(headers)
    span = get_current_span(context)
    if span is not INVALID_SPAN:
        span_context = span.get_span_context()
        assert span_context.is_valid and span_context.is_remote
        assert int(span_context.trace_flags) & ~0x03 == 0
        # What was accepted is re-injected as a valid version-00 header and reads back equal.
        carrier: dict[str, str] = {}
        PROPAGATOR.inject(carrier, context)
        again = get_current_span(PROPAGATOR.extract(carrier)).get_span_context()
        assert again == span_context
