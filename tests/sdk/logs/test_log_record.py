from __future__ import annotations

import json

import pytest

from otel.context import Context
from otel.logs import SeverityNumber
from otel.sdk.logs import LogData, LogLimits, LogRecord
from otel.sdk.util.instrumentation import InstrumentationScope
from otel.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context, use_span

_SPAN = NonRecordingSpan(SpanContext(0xABC, 0xDEF, False, TraceFlags(1)))


def test_limits_default_to_128_attributes_and_unlimited_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
        "OTEL_ATTRIBUTE_COUNT_LIMIT",
        "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
        "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    ):
        monkeypatch.delenv(name, raising=False)
    limits = LogLimits()
    assert (limits.max_attributes, limits.max_attribute_length) == (128, None)


def test_limits_read_logrecord_variables_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "3")
    monkeypatch.setenv("OTEL_ATTRIBUTE_COUNT_LIMIT", "9")
    monkeypatch.setenv("OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "4")
    limits = LogLimits()
    assert (limits.max_attributes, limits.max_attribute_length) == (3, 4)


def test_limits_fall_back_to_general_attribute_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", raising=False)
    monkeypatch.setenv("OTEL_ATTRIBUTE_COUNT_LIMIT", "9")
    monkeypatch.setenv("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "5")
    limits = LogLimits()
    assert (limits.max_attributes, limits.max_attribute_length) == (9, 5)


def test_invalid_limit_variable_uses_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "many")
    monkeypatch.delenv("OTEL_ATTRIBUTE_COUNT_LIMIT", raising=False)
    assert LogLimits().max_attributes == 128


def test_unset_lifts_a_limit() -> None:
    assert LogLimits(max_attributes=LogLimits.UNSET).max_attributes is None


def test_record_applies_count_and_length_limits() -> None:
    record = LogRecord(
        attributes={"a": "long value", "b": 2, "c": 3},
        limits=LogLimits(max_attributes=2, max_attribute_length=4),
    )
    assert dict(record.attributes) == {"a": "long", "b": 2}
    assert record.dropped_attributes == 1


def test_record_drops_invalid_attributes_without_counting_them() -> None:
    record = LogRecord(attributes={"ok": 1, "bad": {"nested": 1}, "": 2})
    assert dict(record.attributes) == {"ok": 1}
    assert record.dropped_attributes == 0


def test_record_takes_trace_ids_from_context() -> None:
    record = LogRecord(context=set_span_in_context(_SPAN))
    assert (record.trace_id, record.span_id, record.trace_flags) == (0xABC, 0xDEF, 1)


def test_record_takes_trace_ids_from_current_span_by_default() -> None:
    with use_span(_SPAN):
        record = LogRecord(body="x")
    assert (record.trace_id, record.span_id) == (0xABC, 0xDEF)


def test_record_outside_span_has_zero_ids() -> None:
    record = LogRecord(context=Context())
    assert (record.trace_id, record.span_id, record.trace_flags) == (0, 0, 0)


def test_explicit_ids_win_over_context() -> None:
    record = LogRecord(context=set_span_in_context(_SPAN), trace_id=1, span_id=2, trace_flags=0)
    assert (record.trace_id, record.span_id) == (1, 2)


def test_observed_timestamp_defaults_to_now_and_timestamp_stays_unset() -> None:
    record = LogRecord(body="x")
    assert record.timestamp is None
    assert record.observed_timestamp > 1_600_000_000 * 10**9


def test_record_has_slots() -> None:
    assert not hasattr(LogRecord(), "__dict__")


def test_to_json_is_valid_json_with_hex_ids_and_structured_body() -> None:
    record = LogRecord(
        timestamp=5,
        context=set_span_in_context(_SPAN),
        severity_number=SeverityNumber.ERROR,
        severity_text="ERROR",
        body={"k": [1, b"\x01"]},
        attributes={"a": (1, 2)},
        event_name="e",
    )
    decoded = json.loads(record.to_json(indent=None))
    assert decoded["trace_id"] == "0x" + format(0xABC, "032x")
    assert decoded["severity_number"] == 17
    assert decoded["body"] == {"k": [1, "01"]}
    assert decoded["attributes"] == {"a": [1, 2]}
    assert decoded["event_name"] == "e"
    assert "\n" not in record.to_json(indent=None)


def test_records_compare_by_value() -> None:
    a = LogRecord(timestamp=1, observed_timestamp=2, body="x", context=Context())
    b = LogRecord(timestamp=1, observed_timestamp=2, body="x", context=Context())
    assert a == b
    assert a != LogRecord(timestamp=1, observed_timestamp=2, body="y", context=Context())


def test_log_data_holds_record_and_scope() -> None:
    record = LogRecord(body="x")
    scope = InstrumentationScope("lib")
    data = LogData(record, scope)
    assert data.log_record is record and data.instrumentation_scope is scope
