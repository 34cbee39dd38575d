"""W3C Trace Context (Level 2) propagator, checked against the specification's examples
and the cases of the W3C test suite (w3c/trace-context test/test.py)."""

from __future__ import annotations

import logging

import pytest

from otel.context import Context
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
TRACE_ID = "12345678901234567890123456789012"
SPAN_ID = "1234567890123456"
VALID = f"00-{TRACE_ID}-{SPAN_ID}-01"


def extract_span_context(headers: dict[str, object]) -> SpanContext:
    return get_current_span(PROPAGATOR.extract(headers)).get_span_context()


def assert_new_trace(headers: dict[str, object]) -> None:
    context = PROPAGATOR.extract(headers)
    assert get_current_span(context) is INVALID_SPAN


def context_with(span_context: SpanContext) -> Context:
    return set_span_in_context(NonRecordingSpan(span_context), Context())


def test_spec_example_sampled_is_extracted() -> None:
    span_context = extract_span_context(
        {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
    )
    assert span_context.trace_id == 0x4BF92F3577B34DA6A3CE929D0E0E4736
    assert span_context.span_id == 0x00F067AA0BA902B7
    assert span_context.trace_flags.sampled
    assert span_context.is_remote
    assert span_context.is_valid


def test_spec_example_not_sampled_is_extracted() -> None:
    span_context = extract_span_context(
        {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"}
    )
    assert span_context.is_valid
    assert not span_context.trace_flags.sampled


def test_spec_example_tracestate_is_extracted_in_order() -> None:
    span_context = extract_span_context(
        {
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01",
            "tracestate": "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        }
    )
    assert list(span_context.trace_state.items()) == [
        ("rojo", "00f067aa0ba902b7"),
        ("congo", "t61rcWkgMzE"),
    ]


def test_missing_traceparent_returns_the_given_context_unchanged() -> None:
    base = Context({"k": 1})
    assert PROPAGATOR.extract({}, base) is base


def test_extract_without_context_starts_from_an_empty_context() -> None:
    assert PROPAGATOR.extract({}) == {}


@pytest.mark.parametrize("name", ["traceparent", "TRACEPARENT", "TraceParent"])
def test_header_name_is_case_insensitive(name: str) -> None:
    assert extract_span_context({name: VALID}).trace_id == int(TRACE_ID, 16)


@pytest.mark.parametrize("name", ["trace-parent", "trace.parent"])
def test_misspelled_header_name_is_not_read(name: str) -> None:
    assert_new_trace({name: VALID})


def test_duplicated_traceparent_starts_a_new_trace() -> None:
    assert_new_trace(
        {
            "traceparent": [
                f"00-{TRACE_ID[:-1]}1-{SPAN_ID}-01",
                f"00-{TRACE_ID}-{SPAN_ID}-01",
            ]
        }
    )


def test_duplicated_traceparent_with_different_name_casing_starts_a_new_trace() -> None:
    assert_new_trace({"TraceParent": VALID, "TRACEPARENT": VALID})


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-01.", id="v00-trailing-dot"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-01-what-the-future-will-be-like", id="v00-extra"),
        pytest.param(f"ff-{TRACE_ID}-{SPAN_ID}-01", id="version-ff"),
        pytest.param(f".0-{TRACE_ID}-{SPAN_ID}-01", id="version-illegal-1"),
        pytest.param(f"0.-{TRACE_ID}-{SPAN_ID}-01", id="version-illegal-2"),
        pytest.param(f"000-{TRACE_ID}-{SPAN_ID}-01", id="version-too-long-3"),
        pytest.param(f"0000-{TRACE_ID}-{SPAN_ID}-01", id="version-too-long-4"),
        pytest.param(f"0-{TRACE_ID}-{SPAN_ID}-01", id="version-too-short"),
        pytest.param(f"00-{'0' * 32}-{SPAN_ID}-01", id="trace-id-all-zero"),
        pytest.param(f"00-.{TRACE_ID[1:]}-{SPAN_ID}-01", id="trace-id-illegal-1"),
        pytest.param(f"00-{TRACE_ID[:-1]}.-{SPAN_ID}-01", id="trace-id-illegal-2"),
        pytest.param(f"00-{TRACE_ID}3-{SPAN_ID}-01", id="trace-id-too-long"),
        pytest.param(f"00-{TRACE_ID[:-1]}-{SPAN_ID}-01", id="trace-id-too-short"),
        pytest.param(f"00-{TRACE_ID}-{'0' * 16}-01", id="parent-id-all-zero"),
        pytest.param(f"00-{TRACE_ID}-.{SPAN_ID[1:]}-01", id="parent-id-illegal-1"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID[:-1]}.-01", id="parent-id-illegal-2"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}7-01", id="parent-id-too-long"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID[:-1]}-01", id="parent-id-too-short"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-.0", id="flags-illegal-1"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-0.", id="flags-illegal-2"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-001", id="flags-too-long"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-1", id="flags-too-short"),
        pytest.param(f"cc-{TRACE_ID}-{SPAN_ID}-01.what-the-future-will-be-like", id="vcc-dot"),
        pytest.param(f"cc-{TRACE_ID}-{SPAN_ID}", id="vcc-too-short"),
        pytest.param(f"00-{TRACE_ID.upper()[:-2]}AB-{SPAN_ID}-01", id="uppercase-trace-id"),
        pytest.param(f"00-{TRACE_ID}-00F067AA0BA902B7-01", id="uppercase-parent-id"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-0A", id="uppercase-flags"),
        pytest.param(f"0A-{TRACE_ID}-{SPAN_ID}-01", id="uppercase-version"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(f"00_{TRACE_ID}_{SPAN_ID}_01", id="wrong-delimiter"),
        pytest.param(f"00-{TRACE_ID}-{SPAN_ID}-01\n", id="trailing-newline"),
    ],
)
def test_invalid_traceparent_starts_a_new_trace(value: str) -> None:
    assert_new_trace({"traceparent": value, "tracestate": "foo=1"})


def test_invalid_traceparent_leaves_an_existing_parent_in_place() -> None:
    existing = context_with(SpanContext(1, 2, False))
    result = PROPAGATOR.extract({"traceparent": "garbage"}, existing)
    assert result is existing


@pytest.mark.parametrize(
    "value",
    [
        f"cc-{TRACE_ID}-{SPAN_ID}-01",
        f"cc-{TRACE_ID}-{SPAN_ID}-01-what-the-future-will-be-like",
        f"01-{TRACE_ID}-{SPAN_ID}-01-",
        f"fe-{TRACE_ID}-{SPAN_ID}-01-anything goes, even , and spaces",
    ],
)
def test_higher_version_is_parsed_for_its_first_four_fields(value: str) -> None:
    span_context = extract_span_context({"traceparent": value})
    assert span_context.trace_id == int(TRACE_ID, 16)
    assert span_context.span_id == int(SPAN_ID, 16)
    assert span_context.trace_flags.sampled


def test_higher_version_is_reinjected_as_version_00() -> None:
    context = PROPAGATOR.extract({"traceparent": f"cc-{TRACE_ID}-{SPAN_ID}-01-future"})
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier == {"traceparent": f"00-{TRACE_ID}-{SPAN_ID}-01"}


@pytest.mark.parametrize(
    "value",
    [
        f" {VALID}",
        f"\t{VALID}",
        f"{VALID} ",
        f"{VALID}\t",
        f"\t {VALID} \t",
    ],
)
def test_optional_whitespace_around_traceparent_is_accepted(value: str) -> None:
    assert extract_span_context({"traceparent": value}).trace_id == int(TRACE_ID, 16)


@pytest.mark.parametrize(
    ("flags", "sampled", "random"),
    [("00", False, False), ("01", True, False), ("02", False, True), ("03", True, True)],
)
def test_sampled_and_random_flags_are_read_as_bits(flags: str, sampled: bool, random: bool) -> None:
    span_context = extract_span_context({"traceparent": f"00-{TRACE_ID}-{SPAN_ID}-{flags}"})
    assert span_context.trace_flags.sampled is sampled
    assert span_context.trace_flags.random is random


def test_unknown_flags_are_set_to_zero() -> None:
    span_context = extract_span_context({"traceparent": f"00-{TRACE_ID}-{SPAN_ID}-ff"})
    assert int(span_context.trace_flags) == 0x03


def test_random_flag_is_kept_on_reinject() -> None:
    context = PROPAGATOR.extract({"traceparent": f"00-{TRACE_ID}-{SPAN_ID}-02"})
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier["traceparent"].endswith("-02")


def test_unknown_flags_are_not_injected() -> None:
    span_context = SpanContext(1, 2, False, TraceFlags(0xFF))
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(span_context))
    assert carrier["traceparent"].endswith("-03")


def test_inject_writes_traceparent_and_tracestate() -> None:
    span_context = SpanContext(
        0x4BF92F3577B34DA6A3CE929D0E0E4736,
        0x00F067AA0BA902B7,
        False,
        TraceFlags.SAMPLED,
        TraceState([("rojo", "00f067aa0ba902b7"), ("congo", "t61rcWkgMzE")]),
    )
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(span_context))
    assert carrier == {
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "tracestate": "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
    }


def test_inject_omits_empty_tracestate() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(1, 2, False)))
    assert list(carrier) == ["traceparent"]


def test_inject_pads_small_ids() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(1, 2, False)))
    assert carrier["traceparent"] == f"00-{1:032x}-{2:016x}-00"


def test_inject_of_invalid_span_context_injects_nothing() -> None:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context_with(SpanContext(0, 2, False)))
    PROPAGATOR.inject(carrier, Context())
    assert carrier == {}


def test_inject_uses_the_current_context_by_default() -> None:
    from otel.context import attach, detach

    token = attach(context_with(SpanContext(5, 6, False, TraceFlags.SAMPLED)))
    try:
        carrier: dict[str, str] = {}
        PROPAGATOR.inject(carrier)
    finally:
        detach(token)
    assert carrier["traceparent"] == f"00-{5:032x}-{6:016x}-01"


def test_fields_are_traceparent_and_tracestate() -> None:
    assert PROPAGATOR.fields == {"traceparent", "tracestate"}


def test_extract_never_raises_on_a_broken_getter(caplog: pytest.LogCaptureFixture) -> None:
    from otel.propagators.textmap import Getter

    class Broken(Getter[object]):
        def get(self, carrier: object, key: str) -> list[str] | None:
            raise RuntimeError("boom")

        def keys(self, carrier: object) -> list[str]:
            raise RuntimeError("boom")

    base = Context()
    with caplog.at_level(logging.ERROR):
        assert PROPAGATOR.extract({}, base, Broken()) is base
    # the promised log line, with the cause
    (record,) = [r for r in caplog.records if r.name == "otel.trace.propagation"]
    assert "Failed to extract W3C trace context" in record.getMessage()
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])


def test_inject_never_raises_on_a_broken_setter(caplog: pytest.LogCaptureFixture) -> None:
    from otel.propagators.textmap import Setter

    class Broken(Setter[object]):
        def set(self, carrier: object, key: str, value: str) -> None:
            raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        PROPAGATOR.inject({}, context_with(SpanContext(1, 2, False)), Broken())
    (record,) = [r for r in caplog.records if r.name == "otel.trace.propagation"]
    assert "Failed to inject W3C trace context" in record.getMessage()


def test_non_mapping_carrier_extracts_nothing() -> None:
    base = Context()
    assert PROPAGATOR.extract(42, base) is base  # type: ignore[arg-type]


# --- tracestate (W3C test suite) -------------------------------------------------

TP = f"00-{TRACE_ID}-{SPAN_ID}-00"


def extract_state(*tracestates: str) -> TraceState:
    headers: dict[str, object] = {"traceparent": TP}
    if tracestates:
        headers["tracestate"] = list(tracestates)
    span_context = extract_span_context(headers)
    assert span_context.trace_id == int(TRACE_ID, 16)
    return span_context.trace_state


def test_tracestate_without_traceparent_is_discarded() -> None:
    assert_new_trace({"tracestate": "foo=1,bar=2"})


def test_tracestate_with_traceparent_is_extracted() -> None:
    assert dict(extract_state("foo=1,bar=2")) == {"foo": "1", "bar": "2"}


@pytest.mark.parametrize("name", ["tracestate", "TRACESTATE", "TraceState"])
def test_tracestate_header_name_is_case_insensitive(name: str) -> None:
    span_context = extract_span_context({"traceparent": TP, name: "foo=1"})
    assert span_context.trace_state["foo"] == "1"


@pytest.mark.parametrize("name", ["trace-state", "trace.state"])
def test_misspelled_tracestate_header_is_not_read(name: str) -> None:
    span_context = extract_span_context({"traceparent": TP, name: "foo=1"})
    assert "foo" not in span_context.trace_state


def test_empty_tracestate_header_is_accepted() -> None:
    assert len(extract_state("")) == 0


@pytest.mark.parametrize("headers", [("foo=1", ""), ("", "foo=1")])
def test_empty_tracestate_header_among_others_is_ignored(headers: tuple[str, str]) -> None:
    assert dict(extract_state(*headers)) == {"foo": "1"}


def test_multiple_tracestate_headers_are_combined_in_order() -> None:
    state = extract_state("foo=1,bar=2", "rojo=1,congo=2", "baz=3")
    assert state.to_header() == "foo=1,bar=2,rojo=1,congo=2,baz=3"


@pytest.mark.parametrize(
    "headers", [("foo=1,foo=1",), ("foo=1,foo=2",), ("foo=1", "foo=1"), ("foo=1", "foo=2")]
)
def test_duplicated_tracestate_keys_keep_the_traceparent(headers: tuple[str, ...]) -> None:
    extract_state(*headers)  # traceparent is kept whatever happens to tracestate


@pytest.mark.parametrize(
    "headers", [("foo=1,foo=1",), ("foo=1,foo=2",), ("foo=1", "foo=1"), ("foo=1", "foo=2")]
)
def test_duplicated_tracestate_keys_are_inherited_once(headers: tuple[str, ...]) -> None:
    assert extract_state(*headers)["foo"] in ("1", "2")


def test_tracestate_all_allowed_characters() -> None:
    key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/"
    value = "".join(map(chr, [*range(0x20, 0x2C), *range(0x2D, 0x3D), *range(0x3E, 0x7F)]))
    assert extract_state(f"{key}={value}")[key] == value
    vendor_key = key + "@a-z0-9_-*/"
    assert extract_state(f"{vendor_key}={value}")[vendor_key] == value


@pytest.mark.parametrize(
    "header",
    [
        "foo=1 \t , \t bar=2, \t baz=3",
        "foo=1\t \t,\t \tbar=2,\t \tbaz=3",
    ],
)
def test_tracestate_whitespace_between_members_is_ignored(header: str) -> None:
    assert dict(extract_state(header)) == {"foo": "1", "bar": "2", "baz": "3"}


@pytest.mark.parametrize("header", [" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"])
def test_tracestate_whitespace_around_the_header_is_ignored(header: str) -> None:
    assert extract_state(header)["foo"] == "1"


@pytest.mark.parametrize("header", ["foo =1", "FOO=1", "foo.bar=1"])
def test_tracestate_key_with_illegal_characters_is_not_kept(header: str) -> None:
    state = extract_state(header)
    assert header.split("=")[0] not in state


def test_tracestate_key_starting_with_at_sign_discards_the_tracestate() -> None:
    assert "bar" not in extract_state("@foo=1,bar=2")


@pytest.mark.parametrize("key", ["foo@", "foo@@bar", "foo@bar@baz"])
def test_tracestate_level2_keys_with_at_signs_are_kept(key: str) -> None:
    state = extract_state(f"{key}=1,bar=2")
    assert state[key] == "1"
    assert state["bar"] == "2"


def test_tracestate_33_members_discards_the_tracestate() -> None:
    members = [f"bar{i:02d}={i:02d}" for i in range(1, 34)]
    assert "bar01" not in extract_state(",".join(members[:32]), members[32])


def test_tracestate_32_members_across_headers_are_kept() -> None:
    members = [f"bar{i:02d}={i:02d}" for i in range(1, 33)]
    state = extract_state(",".join(members[:10]), ",".join(members[10:20]), ",".join(members[20:]))
    assert len(state) == 32
    assert state["bar01"] == "01"


def test_tracestate_key_of_256_characters_is_kept() -> None:
    key = "z" * 256
    state = extract_state("foo=1", f"{key}=1")
    assert state[key] == "1"
    assert state["foo"] == "1"


def test_tracestate_key_of_257_characters_discards_the_tracestate() -> None:
    assert "foo" not in extract_state("foo=1", "z" * 257 + "=1")


def test_tracestate_vendor_key_at_the_old_limits_is_kept() -> None:
    key = "t" * 241 + "@" + "v" * 14
    assert extract_state("foo=1", f"{key}=1")[key] == "1"


@pytest.mark.parametrize("key", ["t" * 242 + "@v", "t@" + "v" * 15])
def test_tracestate_level2_vendor_keys_within_256_characters_are_kept(key: str) -> None:
    assert extract_state("foo=1", f"{key}=1")[key] == "1"


@pytest.mark.parametrize("header", ["foo=bar=baz", "foo=,bar=3"])
def test_tracestate_illegal_value_discards_the_tracestate(header: str) -> None:
    state = extract_state(header)
    assert "foo" not in state
    assert "bar" not in state


def test_tracestate_is_reinjected_unchanged() -> None:
    context = PROPAGATOR.extract(
        {"traceparent": VALID, "tracestate": ["congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7"]}
    )
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert carrier["tracestate"] == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"


def test_comma_joined_duplicate_traceparent_starts_a_new_trace() -> None:
    assert_new_trace({"traceparent": f"{VALID}, {VALID}"})


def test_extract_keeps_the_other_values_of_the_given_context() -> None:
    from otel import baggage

    base = baggage.set_baggage("user", "alice", Context())
    context = PROPAGATOR.extract({"traceparent": VALID}, base)
    assert baggage.get_baggage("user", context) == "alice"
    assert get_current_span(context).get_span_context().is_valid


def test_extract_replaces_an_existing_parent() -> None:
    existing = context_with(SpanContext(1, 2, False))
    context = PROPAGATOR.extract({"traceparent": VALID}, existing)
    assert get_current_span(context).get_span_context().trace_id == int(TRACE_ID, 16)


def test_inject_writes_the_largest_ids_and_only_the_known_flags() -> None:
    carrier: dict[str, str] = {}
    largest = SpanContext(2**128 - 1, 2**64 - 1, False, TraceFlags(0xFF))
    PROPAGATOR.inject(carrier, context_with(largest))
    assert carrier["traceparent"] == f"00-{'f' * 32}-{'f' * 16}-03"
