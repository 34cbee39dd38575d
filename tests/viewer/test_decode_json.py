"""OTLP/JSON request decoding: the spec's rules (hex ids, both name styles, int64 strings)."""

from __future__ import annotations

import json

import pytest
from viewer_protos import (
    ATTRIBUTES,
    ROOT_ID,
    TRACE_ID,
    logs_request,
    metrics_request,
    to_json,
    trace_request,
)

from otel.exporter.otlp import _json_decode as jd
from otel.exporter.otlp._proto._wire import DecodeError

pytestmark = pytest.mark.interop


def test_reference_json_trace_request_decodes_like_protobuf() -> None:
    decoded = jd.decode_trace_request(json.loads(to_json(trace_request(start_ns=7))))
    root, child = decoded.items
    assert (root.trace_id, root.span_id, child.parent_span_id) == (TRACE_ID, ROOT_ID, ROOT_ID)
    assert root.attributes == ATTRIBUTES
    assert (root.start_time_unix_nano, root.kind, child.status_code) == (7, 2, 2)
    assert child.events[0].attributes == {"exception.type": "ValueError"}


def test_reference_json_logs_and_metrics_decode() -> None:
    logs = jd.decode_logs_request(json.loads(to_json(logs_request()))).items
    assert logs[0].body == "user 7 not found" and logs[0].trace_id == TRACE_ID
    metrics = jd.decode_metrics_request(json.loads(to_json(metrics_request()))).items
    by_name = {m.name: m for m in metrics}
    assert [p.value for p in by_name["requests"].points] == [10, 30]
    assert by_name["latency"].points[0].data["bucket_counts"] == [10, 40, 40, 10]
    assert by_name["size"].points[0].data["positive"] == [2, [1, 2, 2]]


def _one_span(span: dict) -> dict:
    return {"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}


def test_snake_case_names_numbers_for_int64_and_uppercase_hex_are_accepted() -> None:
    span = {
        "trace_id": TRACE_ID.hex().upper(),
        "span_id": ROOT_ID.hex(),
        "name": "x",
        "start_time_unix_nano": 123,
        "end_time_unix_nano": "456",
        "kind": "SPAN_KIND_CLIENT",
        "attributes": [{"key": "n", "value": {"int_value": "9"}}],
    }
    (decoded,) = jd.decode_trace_request(_one_span(span)).items
    assert (decoded.trace_id, decoded.start_time_unix_nano, decoded.end_time_unix_nano) == (
        TRACE_ID,
        123,
        456,
    )
    assert (decoded.kind, decoded.attributes) == (3, {"n": 9})


def test_non_finite_doubles_are_read() -> None:
    span = {
        "traceId": TRACE_ID.hex(),
        "spanId": ROOT_ID.hex(),
        "attributes": [
            {"key": "a", "value": {"doubleValue": "NaN"}},
            {"key": "b", "value": {"doubleValue": "-Infinity"}},
        ],
    }
    (decoded,) = jd.decode_trace_request(_one_span(span)).items
    assert decoded.attributes["b"] == float("-inf")
    assert decoded.attributes["a"] != decoded.attributes["a"]


def test_bad_hex_id_rejects_the_span_only() -> None:
    good = {"traceId": TRACE_ID.hex(), "spanId": ROOT_ID.hex()}
    bad = {"traceId": "zz" * 16, "spanId": ROOT_ID.hex()}
    decoded = jd.decode_trace_request({"resourceSpans": [{"scopeSpans": [{"spans": [good, bad]}]}]})
    assert (len(decoded.items), decoded.rejected) == (1, 1)


def test_wrong_types_raise_decode_error() -> None:
    with pytest.raises(DecodeError):
        jd.decode_trace_request({"resourceSpans": {"not": "a list"}})
    with pytest.raises(DecodeError):
        jd.decode_trace_request(
            _one_span(
                {"traceId": TRACE_ID.hex(), "spanId": ROOT_ID.hex(), "startTimeUnixNano": "soon"}
            )
        )


def test_invalid_json_text_raises_decode_error() -> None:
    with pytest.raises(DecodeError):
        jd.loads(b"{not json")
