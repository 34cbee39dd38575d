"""B3 propagators against the examples of the openzipkin/b3-propagation specification."""

from __future__ import annotations

import pytest

from otel.context import Context
from otel.propagators.b3 import B3Format, B3MultiFormat, B3SingleFormat
from otel.trace import (
    INVALID_SPAN,
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)

MULTI = B3MultiFormat()
SINGLE = B3SingleFormat()
BOTH = [MULTI, SINGLE]

TRACE = "80f198ee56343ba864fe8b2a57d3eff7"
SPAN = "e457b5a2e4d86bd1"
PARENT = "05e3ac9a4f6e3b90"


def extract(propagator: B3MultiFormat | B3SingleFormat, headers: dict[str, object]) -> SpanContext:
    return get_current_span(propagator.extract(headers)).get_span_context()


def context_with(span_context: SpanContext) -> Context:
    return set_span_in_context(NonRecordingSpan(span_context), Context())


@pytest.fixture(params=BOTH, ids=["multi", "single"])
def propagator(request: pytest.FixtureRequest) -> B3MultiFormat | B3SingleFormat:
    return request.param  # type: ignore[no-any-return]


def test_b3format_is_the_multi_header_format() -> None:
    assert B3Format is B3MultiFormat


def test_spec_example_multi_headers(propagator: B3MultiFormat) -> None:
    span_context = extract(
        propagator,
        {
            "X-B3-TraceId": TRACE,
            "X-B3-ParentSpanId": PARENT,
            "X-B3-SpanId": SPAN,
            "X-B3-Sampled": "1",
        },
    )
    assert span_context.trace_id == int(TRACE, 16)
    assert span_context.span_id == int(SPAN, 16)
    assert span_context.trace_flags.sampled
    assert span_context.is_remote


def test_spec_example_single_header(propagator: B3MultiFormat) -> None:
    span_context = extract(propagator, {"b3": f"{TRACE}-{SPAN}-1-{PARENT}"})
    assert (span_context.trace_id, span_context.span_id) == (int(TRACE, 16), int(SPAN, 16))
    assert span_context.trace_flags.sampled
    assert span_context.is_remote


@pytest.mark.parametrize(
    ("value", "sampled"),
    [
        (f"{TRACE}-{SPAN}", False),
        (f"{TRACE}-{SPAN}-1", True),
        (f"{TRACE}-{SPAN}-0", False),
        (f"{TRACE}-{SPAN}-d", True),
        (f"{TRACE}-{SPAN}-0-{PARENT}", False),
    ],
)
def test_single_header_sampling_states(value: str, sampled: bool) -> None:
    span_context = extract(SINGLE, {"b3": value})
    assert span_context.is_valid
    assert span_context.trace_flags.sampled is sampled


@pytest.mark.parametrize(
    ("headers", "sampled"),
    [
        ({}, False),
        ({"X-B3-Sampled": "1"}, True),
        ({"X-B3-Sampled": "0"}, False),
        ({"X-B3-Sampled": "true"}, True),
        ({"X-B3-Sampled": "false"}, False),
        ({"X-B3-Sampled": "True"}, True),
        ({"X-B3-Flags": "1"}, True),
        ({"X-B3-Flags": "1", "X-B3-Sampled": "0"}, True),
        ({"X-B3-Flags": "0"}, False),
        ({"X-B3-Sampled": ""}, False),
        ({"X-B3-Sampled": "yes please"}, False),
    ],
)
def test_multi_header_sampling_states(headers: dict[str, str], sampled: bool) -> None:
    span_context = extract(MULTI, {"X-B3-TraceId": TRACE, "X-B3-SpanId": SPAN, **headers})
    assert span_context.is_valid
    assert span_context.trace_flags.sampled is sampled


def test_64_bit_trace_id_is_left_padded(propagator: B3MultiFormat) -> None:
    span_context = extract(propagator, {"b3": f"48485a3953bb6124-{SPAN}-1"})
    assert span_context.trace_id == 0x48485A3953BB6124
    carrier: dict[str, str] = {}
    propagator.inject(carrier, context_with(span_context))
    assert "0000000000000000" + "48485a3953bb6124" in "".join(carrier.values())


def test_64_bit_trace_id_in_multi_headers() -> None:
    span_context = extract(MULTI, {"X-B3-TraceId": "48485a3953bb6124", "X-B3-SpanId": SPAN})
    assert span_context.trace_id == 0x48485A3953BB6124


def test_single_header_takes_precedence_over_multi_headers(propagator: B3MultiFormat) -> None:
    other_trace = "1" * 32
    span_context = extract(
        propagator,
        {"b3": f"{TRACE}-{SPAN}-1", "X-B3-TraceId": other_trace, "X-B3-SpanId": SPAN},
    )
    assert span_context.trace_id == int(TRACE, 16)


def test_invalid_single_header_falls_back_to_multi_headers() -> None:
    span_context = extract(
        SINGLE, {"b3": "garbage", "x-b3-traceid": TRACE, "x-b3-spanid": SPAN, "x-b3-sampled": "1"}
    )
    assert span_context.trace_id == int(TRACE, 16)


def test_multi_header_first_value_wins() -> None:
    span_context = extract(MULTI, {"X-B3-TraceId": [TRACE, "1" * 32], "X-B3-SpanId": SPAN})
    assert span_context.trace_id == int(TRACE, 16)


@pytest.mark.parametrize("value", ["0", "1", "d"])
def test_sampling_state_alone_gives_no_remote_parent(value: str) -> None:
    assert get_current_span(SINGLE.extract({"b3": value})) is INVALID_SPAN


def test_sampled_header_alone_gives_no_remote_parent() -> None:
    assert get_current_span(MULTI.extract({"X-B3-Sampled": "0"})) is INVALID_SPAN


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-",
        f"{TRACE}",
        f"{TRACE}-",
        f"{TRACE}-{SPAN}-",
        f"{TRACE}-{SPAN}-2",
        f"{TRACE}-{SPAN}-true",
        f"{TRACE}-{SPAN}-1-",
        f"{TRACE}-{SPAN}-1-xyz",
        f"{TRACE}-{SPAN}-1-{PARENT}-extra",
        f"{'0' * 32}-{SPAN}-1",
        f"{TRACE}-{'0' * 16}-1",
        f"{TRACE.upper()}-{SPAN}-1",
        f"{TRACE}-{SPAN.upper()}-1",
        f"{TRACE[:-1]}-{SPAN}-1",
        f"{TRACE}0-{SPAN}-1",
        f"{TRACE[:24]}-{SPAN}-1",
        f"{TRACE}-{SPAN}0-1",
        f"{TRACE}-{SPAN[:-1]}-1",
        f"{TRACE}_{SPAN}_1",
    ],
)
def test_malformed_single_header_gives_no_remote_parent(value: str) -> None:
    base = Context()
    assert SINGLE.extract({"b3": value}, base) is base


@pytest.mark.parametrize(
    "headers",
    [
        {"X-B3-TraceId": TRACE},
        {"X-B3-SpanId": SPAN},
        {"X-B3-TraceId": "", "X-B3-SpanId": SPAN},
        {"X-B3-TraceId": "0" * 32, "X-B3-SpanId": SPAN},
        {"X-B3-TraceId": TRACE, "X-B3-SpanId": "0" * 16},
        {"X-B3-TraceId": "xyz", "X-B3-SpanId": SPAN},
        {"X-B3-TraceId": TRACE, "X-B3-SpanId": "-"},
        {"X-B3-TraceId": TRACE[:20], "X-B3-SpanId": SPAN},
    ],
)
def test_malformed_multi_headers_give_no_remote_parent(headers: dict[str, str]) -> None:
    base = Context()
    assert MULTI.extract(headers, base) is base


def test_multi_inject_writes_the_spec_headers() -> None:
    carrier: dict[str, str] = {}
    MULTI.inject(
        carrier, context_with(SpanContext(int(TRACE, 16), int(SPAN, 16), False, TraceFlags(1)))
    )
    assert carrier == {"x-b3-traceid": TRACE, "x-b3-spanid": SPAN, "x-b3-sampled": "1"}


def test_multi_inject_of_unsampled_sends_deny() -> None:
    carrier: dict[str, str] = {}
    MULTI.inject(carrier, context_with(SpanContext(int(TRACE, 16), int(SPAN, 16), False)))
    assert carrier["x-b3-sampled"] == "0"


@pytest.mark.parametrize(("flags", "state"), [(0, "0"), (1, "1"), (3, "1"), (2, "0")])
def test_single_inject_writes_the_spec_header(flags: int, state: str) -> None:
    carrier: dict[str, str] = {}
    SINGLE.inject(
        carrier, context_with(SpanContext(int(TRACE, 16), int(SPAN, 16), False, TraceFlags(flags)))
    )
    assert carrier == {"b3": f"{TRACE}-{SPAN}-{state}"}


def test_inject_of_invalid_span_context_injects_nothing(propagator: B3MultiFormat) -> None:
    carrier: dict[str, str] = {}
    propagator.inject(carrier, Context())
    propagator.inject(carrier, context_with(SpanContext(0, 1, False)))
    assert carrier == {}


def test_fields() -> None:
    assert MULTI.fields == {"x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags"}
    assert SINGLE.fields == {"b3"}


def test_header_key_constants_match_the_official_class_attributes() -> None:
    assert B3MultiFormat.SINGLE_HEADER_KEY == "b3"
    assert B3MultiFormat.TRACE_ID_KEY == "x-b3-traceid"
    assert B3MultiFormat.SPAN_ID_KEY == "x-b3-spanid"
    assert B3MultiFormat.SAMPLED_KEY == "x-b3-sampled"
    assert B3MultiFormat.FLAGS_KEY == "x-b3-flags"


def test_whitespace_around_multi_header_values_is_ignored() -> None:
    span_context = extract(
        MULTI, {"X-B3-TraceId": f" {TRACE} ", "X-B3-SpanId": f"\t{SPAN}", "X-B3-Sampled": " 1"}
    )
    assert span_context.is_valid
    assert span_context.trace_flags.sampled


def test_extract_does_not_keep_random_or_tracestate() -> None:
    span_context = extract(SINGLE, {"b3": f"{TRACE}-{SPAN}-1"})
    assert int(span_context.trace_flags) == 1
    assert len(span_context.trace_state) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"b3": f"{TRACE}-{SPAN}-d"},
        {"X-B3-TraceId": TRACE, "X-B3-SpanId": SPAN, "X-B3-Flags": "1"},
    ],
)
def test_debug_flag_is_kept_and_injected_again(headers: dict[str, str]) -> None:
    for propagator in BOTH:
        context = propagator.extract(headers)
        assert get_current_span(context).get_span_context().trace_flags.sampled
        multi: dict[str, str] = {}
        MULTI.inject(multi, context)
        assert multi["x-b3-flags"] == "1"
        assert "x-b3-sampled" not in multi  # debug implies accept
        single: dict[str, str] = {}
        SINGLE.inject(single, context)
        assert single["b3"] == f"{TRACE}-{SPAN}-d"


def test_debug_flag_follows_the_context_to_child_spans() -> None:
    context = SINGLE.extract({"b3": f"{TRACE}-{SPAN}-d"})
    child = SpanContext(int(TRACE, 16), 0x1234, False, TraceFlags(1))
    carrier: dict[str, str] = {}
    SINGLE.inject(carrier, set_span_in_context(NonRecordingSpan(child), context))
    assert carrier["b3"] == f"{TRACE}-{0x1234:016x}-d"


def test_extract_without_debug_clears_an_earlier_debug_flag() -> None:
    debug = SINGLE.extract({"b3": f"{TRACE}-{SPAN}-d"})
    context = SINGLE.extract({"b3": f"{TRACE}-{SPAN}-1"}, debug)
    carrier: dict[str, str] = {}
    SINGLE.inject(carrier, context)
    assert carrier["b3"].endswith("-1")
