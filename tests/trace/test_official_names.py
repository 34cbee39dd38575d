"""Names the official 1.x API has beside ours (found by tests/interop/test_api_compat.py)."""

from __future__ import annotations

from otel.context import Context
from otel.trace import INVALID_SPAN, TraceFlags, TraceState, propagation, set_span_in_context


def test_random_trace_id_flag_is_the_official_name_of_random() -> None:
    assert TraceFlags.RANDOM_TRACE_ID == TraceFlags.RANDOM == 0x02
    assert TraceFlags(0x03).random_trace_id is True
    assert TraceFlags(0x01).random_trace_id is False


def test_trace_state_get_default_is_empty() -> None:
    default = TraceState.get_default()
    assert isinstance(default, TraceState)
    assert len(default) == 0
    assert default.to_header() == ""


def test_trace_propagation_exports_invalid_span() -> None:
    assert propagation.INVALID_SPAN is INVALID_SPAN


def test_span_key_names_the_context_slot_of_the_current_span() -> None:
    assert propagation.SPAN_KEY == "current-span"
    context = set_span_in_context(INVALID_SPAN, Context())
    assert propagation.get_current_span(context) is INVALID_SPAN
