"""Jaeger propagator against the Jaeger client propagation format
(``uber-trace-id``, ``uberctx-*`` and ``jaeger-baggage`` headers)."""

from __future__ import annotations

import pytest

from otel import baggage
from otel.context import Context
from otel.propagators.jaeger import JaegerPropagator
from otel.trace import (
    INVALID_SPAN,
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)

PROPAGATOR = JaegerPropagator()
TRACE = "80f198ee56343ba864fe8b2a57d3eff7"
SPAN = "e457b5a2e4d86bd1"


def extract_span_context(headers: dict[str, object]) -> SpanContext:
    return get_current_span(PROPAGATOR.extract(headers)).get_span_context()


def context_with(span_context: SpanContext, context: Context | None = None) -> Context:
    return set_span_in_context(NonRecordingSpan(span_context), context or Context())


def test_uber_trace_id_is_extracted() -> None:
    span_context = extract_span_context({"uber-trace-id": f"{TRACE}:{SPAN}:0:1"})
    assert span_context.trace_id == int(TRACE, 16)
    assert span_context.span_id == int(SPAN, 16)
    assert span_context.trace_flags.sampled
    assert span_context.is_remote


@pytest.mark.parametrize(
    ("flags", "sampled"),
    [
        ("0", False),
        ("1", True),
        ("2", True),
        ("3", True),
        ("00", False),
        ("01", True),
        ("8", False),
    ],
)
def test_flags_sampled_and_debug_mean_sampled(flags: str, sampled: bool) -> None:
    span_context = extract_span_context({"uber-trace-id": f"{TRACE}:{SPAN}:0:{flags}"})
    assert span_context.trace_flags.sampled is sampled


def test_short_ids_are_zero_padded_on_the_left() -> None:
    span_context = extract_span_context({"uber-trace-id": "abc:de:0:1"})
    assert span_context.trace_id == 0xABC
    assert span_context.span_id == 0xDE


def test_64_bit_trace_id_is_accepted() -> None:
    assert extract_span_context({"uber-trace-id": f"{TRACE[16:]}:{SPAN}:0:1"}).trace_id == int(
        TRACE[16:], 16
    )


def test_url_encoded_header_is_decoded() -> None:
    span_context = extract_span_context({"uber-trace-id": f"{TRACE}%3A{SPAN}%3A0%3A1"})
    assert span_context.trace_id == int(TRACE, 16)


def test_parent_span_id_is_ignored() -> None:
    span_context = extract_span_context({"uber-trace-id": f"{TRACE}:{SPAN}:{SPAN}:1"})
    assert span_context.span_id == int(SPAN, 16)


def test_header_name_is_case_insensitive() -> None:
    assert extract_span_context({"Uber-Trace-Id": f"{TRACE}:{SPAN}:0:1"}).is_valid


@pytest.mark.parametrize(
    "value",
    [
        "",
        f"{TRACE}:{SPAN}:0",
        f"{TRACE}:{SPAN}:0:1:5",
        f"{TRACE}:{SPAN}::1",
        f"{TRACE}:{SPAN}:0:",
        f"{TRACE}:{SPAN}:0:100",
        f"{'0' * 32}:{SPAN}:0:1",
        f"{TRACE}:{'0' * 16}:0:1",
        f"{TRACE}0:{SPAN}:0:1",
        f"{TRACE}:{SPAN}0:0:1",
        f"xyz:{SPAN}:0:1",
        f"{TRACE}-{SPAN}-0-1",
        f"{TRACE}%3G{SPAN}:0:1",
    ],
)
def test_malformed_uber_trace_id_gives_no_remote_parent(value: str) -> None:
    base = Context()
    assert PROPAGATOR.extract({"uber-trace-id": value}, base) is base


def test_uberctx_headers_are_extracted_as_baggage() -> None:
    context = PROPAGATOR.extract(
        {"uber-trace-id": f"{TRACE}:{SPAN}:0:1", "uberctx-user": "alice", "UberCtx-Tier": "gold"}
    )
    assert dict(baggage.get_all(context)) == {"user": "alice", "Tier": "gold"}


def test_uberctx_values_are_url_decoded() -> None:
    context = PROPAGATOR.extract({"uberctx-k": "a%20b%2Cc"})
    assert baggage.get_baggage("k", context) == "a b,c"


def test_baggage_is_extracted_without_a_trace_header() -> None:
    context = PROPAGATOR.extract({"uberctx-k": "v"})
    assert get_current_span(context) is INVALID_SPAN
    assert baggage.get_baggage("k", context) == "v"


def test_jaeger_baggage_header_is_extracted() -> None:
    context = PROPAGATOR.extract({"jaeger-baggage": "k1=v1, k2 = v2,broken,=x"})
    assert dict(baggage.get_all(context)) == {"k1": "v1", "k2": "v2"}


def test_extract_keeps_existing_baggage() -> None:
    base = baggage.set_baggage("a", "1", Context())
    context = PROPAGATOR.extract({"uberctx-b": "2"}, base)
    assert dict(baggage.get_all(context)) == {"a": "1", "b": "2"}


def test_inject_writes_uber_trace_id() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(
        carrier, context_with(SpanContext(int(TRACE, 16), int(SPAN, 16), False, TraceFlags(1)))
    )
    assert carrier == {"uber-trace-id": f"{TRACE}:{SPAN}:0:1"}


def test_inject_of_unsampled_writes_flags_zero() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(1, 2, False)))
    assert carrier == {"uber-trace-id": f"{1:032x}:{2:016x}:0:0"}


def test_inject_writes_baggage_url_encoded() -> None:
    context = baggage.set_baggage("user", "a b,c%", Context())
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier == {"uberctx-user": "a%20b%2Cc%25"}


def test_inject_skips_baggage_names_that_are_not_header_names() -> None:
    context = baggage.set_baggage("bad name", "v", baggage.set_baggage("ok", "v", Context()))
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier == {"uberctx-ok": "v"}


def test_inject_of_invalid_span_context_injects_no_trace_header() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(0, 0, False)))
    assert carrier == {}


def test_fields() -> None:
    assert PROPAGATOR.fields == {"uber-trace-id"}


def test_debug_flag_is_kept_and_injected_again() -> None:
    context = PROPAGATOR.extract({"uber-trace-id": f"{TRACE}:{SPAN}:0:2"})
    assert get_current_span(context).get_span_context().trace_flags.sampled
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier["uber-trace-id"] == f"{TRACE}:{SPAN}:0:3"


def test_extract_without_debug_clears_an_earlier_debug_flag() -> None:
    debug = PROPAGATOR.extract({"uber-trace-id": f"{TRACE}:{SPAN}:0:3"})
    context = PROPAGATOR.extract({"uber-trace-id": f"{TRACE}:{SPAN}:0:1"}, debug)
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier["uber-trace-id"].endswith(":1")


def test_baggage_that_cannot_be_sent_is_skipped_and_the_rest_sent() -> None:
    class NoStr:
        def __str__(self) -> str:
            raise RuntimeError("no")

    context = baggage.set_baggage("ok", "1", Context())
    context = baggage.set_baggage(None, "x", context)  # type: ignore[arg-type]
    context = baggage.set_baggage("bad", NoStr(), context)
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(1, 2, False), context))
    assert carrier == {"uber-trace-id": f"{1:032x}:{2:016x}:0:0", "uberctx-ok": "1"}
