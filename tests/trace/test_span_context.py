from __future__ import annotations

import copy
import logging
import pickle

import pytest

from otel.trace import (
    INVALID_SPAN_CONTEXT,
    SpanContext,
    TraceFlags,
    TraceState,
    format_span_id,
    format_trace_id,
)


def test_span_context_with_nonzero_ids_is_valid() -> None:
    ctx = SpanContext(1, 2, False)
    assert ctx.is_valid
    assert (ctx.trace_id, ctx.span_id, ctx.is_remote) == (1, 2, False)


@pytest.mark.parametrize(
    ("trace_id", "span_id"), [(0, 1), (1, 0), (2**128, 1), (1, 2**64), (-1, 1)]
)
def test_span_context_with_out_of_range_ids_is_invalid(trace_id: int, span_id: int) -> None:
    assert not SpanContext(trace_id, span_id, False).is_valid


def test_invalid_span_context_constant_is_invalid() -> None:
    assert not INVALID_SPAN_CONTEXT.is_valid


def test_span_context_is_immutable() -> None:
    ctx = SpanContext(1, 2, False)
    with pytest.raises(AttributeError):
        ctx.trace_id = 3  # type: ignore[misc]


def test_span_context_survives_copy_and_pickle() -> None:
    ctx = SpanContext(1, 2, True, TraceFlags(1), TraceState([("a", "b")]))
    assert copy.deepcopy(ctx) == ctx
    assert pickle.loads(pickle.dumps(ctx)) == ctx


def test_plain_int_flags_become_trace_flags() -> None:
    ctx = SpanContext(1, 2, False, 3)  # type: ignore[arg-type]
    assert isinstance(ctx.trace_flags, TraceFlags)
    assert ctx.trace_flags.sampled and ctx.trace_flags.random


def test_trace_flags_sampled_and_random_bits() -> None:
    assert TraceFlags(TraceFlags.SAMPLED).sampled
    assert not TraceFlags(TraceFlags.SAMPLED).random
    assert TraceFlags(TraceFlags.RANDOM).random
    assert TraceFlags.get_default() == 0


def test_format_ids_as_fixed_width_lowercase_hex() -> None:
    assert format_trace_id(0xABC) == "00000000000000000000000000000abc"
    assert format_span_id(0xABC) == "0000000000000abc"


def test_tracestate_add_puts_new_entry_first() -> None:
    state = TraceState([("a", "1")]).add("b", "2")
    assert list(state.items()) == [("b", "2"), ("a", "1")]


def test_tracestate_update_moves_entry_first() -> None:
    state = TraceState([("a", "1"), ("b", "2")]).update("b", "3")
    assert state.to_header() == "b=3,a=1"


def test_tracestate_delete_removes_entry() -> None:
    assert TraceState([("a", "1"), ("b", "2")]).delete("a").to_header() == "b=2"


def test_tracestate_operations_return_new_objects() -> None:
    original = TraceState([("a", "1")])
    original.add("b", "2")
    assert original.to_header() == "a=1"


@pytest.mark.parametrize(
    ("key", "value"),
    [("UPPER", "v"), ("_abc", "v"), ("a", "with,comma"), ("a", "with=equals"), ("a", "trail ")],
)
def test_tracestate_add_refuses_invalid_entries(key: str, value: str) -> None:
    assert len(TraceState().add(key, value)) == 0


@pytest.mark.parametrize("key", ["vendor", "a-b_c*d/e", "tenant@system", "0tenant@sys"])
def test_tracestate_accepts_w3c_keys(key: str) -> None:
    assert key in TraceState().add(key, "value")


def test_tracestate_add_refuses_33rd_entry(caplog: pytest.LogCaptureFixture) -> None:
    state = TraceState([(f"k{i}", "v") for i in range(32)])
    with caplog.at_level(logging.WARNING, logger="otel.trace"):
        assert len(state.add("extra", "v")) == 32
    assert "full" in caplog.text


def test_tracestate_add_existing_key_is_refused() -> None:
    state = TraceState([("a", "1")])
    assert state.add("a", "2")["a"] == "1"


def test_tracestate_from_header_joins_multiple_headers() -> None:
    state = TraceState.from_header(["a=1, b=2", "c=3"])
    assert state.to_header() == "a=1,b=2,c=3"


def test_tracestate_from_header_keeps_first_of_duplicated_keys() -> None:
    assert TraceState.from_header(["a=1,b=2", "a=3"]).to_header() == "a=1,b=2"


@pytest.mark.parametrize("key", ["foo@", "foo@@bar", "foo@bar@baz", "9lives", "a" * 256])
def test_tracestate_accepts_level2_keys(key: str) -> None:
    assert key in TraceState().add(key, "v")


def test_tracestate_refuses_key_longer_than_256() -> None:
    assert len(TraceState().add("a" * 257, "v")) == 0


@pytest.mark.parametrize("header", ["A=1", "a", "a=1,b=2,=3", "@a=1"])
def test_tracestate_from_invalid_header_is_empty(header: str) -> None:
    assert len(TraceState.from_header([header])) == 0


def test_tracestate_from_header_over_32_members_is_empty() -> None:
    header = ",".join(f"k{i}=v" for i in range(33))
    assert len(TraceState.from_header([header])) == 0


def test_tracestate_from_header_skips_empty_members() -> None:
    assert TraceState.from_header(["a=1,,  ,b=2"]).to_header() == "a=1,b=2"
