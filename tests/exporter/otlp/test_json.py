"""OTLP/JSON: parsed by protobuf's json_format, equal to the protobuf encoding's message."""

from __future__ import annotations

import json
import math
from typing import Any

import otlp_testkit as k
import pytest
from otlp_peers import decode_body

from otel.exporter.otlp import _json
from otel.exporter.otlp._proto._encode_logs import encode_logs
from otel.exporter.otlp._proto._encode_metrics import encode_metrics
from otel.exporter.otlp._proto._encode_trace import encode_spans


def both(path: str, proto: bytes, js: bytes) -> tuple[Any, Any]:
    return (
        decode_body(path, "application/x-protobuf", proto),
        decode_body(path, "application/json", js),
    )


def test_traces_json_equals_protobuf() -> None:
    spans = [k.full_span(), k.span(name="plain")]
    from_proto, from_json = both("/v1/traces", encode_spans(spans), _json.encode_spans(spans))
    assert from_json == from_proto


def test_metrics_json_equals_protobuf() -> None:
    data = k.metrics_data()
    from_proto, from_json = both("/v1/metrics", encode_metrics(data), _json.encode_metrics(data))
    assert from_json == from_proto


def test_logs_json_equals_protobuf() -> None:
    body = {"msg": "hi", "n": [1, 2.5], "raw": b"\x00\xff"}
    batch = [k.log_data(), k.log_data(k.log_record(body=body))]
    from_proto, from_json = both("/v1/logs", encode_logs(batch), _json.encode_logs(batch))
    assert from_json == from_proto


def span_doc() -> dict[str, Any]:
    doc = json.loads(_json.encode_spans([k.full_span()]))
    return doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]  # type: ignore[no-any-return]


def test_ids_are_lowercase_hex() -> None:
    span = span_doc()
    assert span["traceId"] == "0af7651916cd43dd8448eb211c80319c"
    assert span["spanId"] == "b7ad6b7169203331"
    assert span["parentSpanId"] == "00f067aa0ba902b7"


def test_keys_are_lower_camel_case_and_enums_are_ints() -> None:
    span = span_doc()
    assert span["kind"] == 2
    assert span["status"] == {"message": "boom", "code": 2}
    assert "startTimeUnixNano" in span
    assert span["droppedAttributesCount"] == 1


def test_64_bit_integers_are_strings() -> None:
    span = span_doc()
    assert span["startTimeUnixNano"] == "1700000000000000000"
    attrs = {a["key"]: a["value"] for a in span["attributes"]}
    assert attrs["http.status_code"] == {"intValue": "200"}
    metrics = json.loads(_json.encode_metrics(k.metrics_data()))
    points = metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
    assert points[0]["sum"]["dataPoints"][0]["asInt"] == "42"
    assert points[3]["histogram"]["dataPoints"][0]["count"] == "6"
    assert points[3]["histogram"]["dataPoints"][0]["bucketCounts"] == ["1", "2", "0", "3"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(math.nan, "NaN"), (math.inf, "Infinity"), (-math.inf, "-Infinity"), (1.5, 1.5)],
)
def test_non_finite_doubles(value: float, expected: object) -> None:
    assert _json.any_value(value) == {"doubleValue": expected}


def test_partial_success_and_status_responses_decode() -> None:
    partial = _json.decode_partial_success(
        b'{"partialSuccess":{"rejectedSpans":"3","errorMessage":"bad spans"}}'
    )
    assert partial == (3, "bad spans")
    assert _json.decode_partial_success(b"{}") is None
    status = _json.decode_status(b'{"code":3,"message":"invalid"}')
    assert (status.code, status.message) == (3, "invalid")
