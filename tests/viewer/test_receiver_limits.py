"""Numbers the store cannot hold: OTLP times are unsigned 64-bit, SQLite integers signed. An
item with a time (or count) past 2**63 - 1 is rejected through partial success with its
reason; the rest of the request is stored (it used to fail the whole commit with a 503)."""

from __future__ import annotations

import json

import pytest
from viewer_kit import Client, now_ns
from viewer_protos import TRACE_ID, logs_request, metrics_request, to_json, trace_request

pytestmark = pytest.mark.interop
BEYOND = 2**64 - 1


def _partial(signal: str, body: bytes) -> tuple[int, str]:
    from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    answer = {
        "traces": trace_service_pb2.ExportTraceServiceResponse,
        "metrics": metrics_service_pb2.ExportMetricsServiceResponse,
        "logs": logs_service_pb2.ExportLogsServiceResponse,
    }[signal]()
    answer.ParseFromString(body)
    p = answer.partial_success
    rejected = {
        "traces": "rejected_spans",
        "metrics": "rejected_data_points",
        "logs": "rejected_log_records",
    }[signal]
    return getattr(p, rejected), p.error_message


def test_a_span_ending_after_2262_is_rejected_and_its_sibling_stored(client: Client) -> None:
    req = trace_request()
    req.resource_spans[0].scope_spans[0].spans[1].end_time_unix_nano = BEYOND
    status, _, body = client.post_otlp("traces", req.SerializeToString())
    assert status == 200
    rejected, message = _partial("traces", body)
    assert rejected == 1 and "end_time_unix_nano" in message
    trace = client.ok(f"/api/traces/{TRACE_ID.hex()}")
    assert len(trace["spans"]) == 1


def test_a_log_record_timed_after_2262_is_rejected_with_its_reason(client: Client) -> None:
    status, _, body = client.post_otlp("logs", logs_request(time_ns=BEYOND - 1).SerializeToString())
    assert status == 200
    rejected, message = _partial("logs", body)
    assert rejected >= 1 and "time_unix_nano" in message


def test_a_metric_point_timed_after_2262_is_rejected_with_its_reason(client: Client) -> None:
    body_pb = metrics_request(time_ns=BEYOND - 10**11).SerializeToString()
    status, _, body = client.post_otlp("metrics", body_pb)
    assert status == 200
    rejected, message = _partial("metrics", body)
    assert rejected >= 1 and "beyond a signed 64-bit integer" in message


def test_an_otlp_json_integer_beyond_64_bits_is_rejected_not_a_5xx(client: Client) -> None:
    obj = json.loads(to_json(metrics_request(time_ns=now_ns())))
    points = obj["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]["dataPoints"]
    points[0]["asInt"] = str(10**30)
    status, _, body = client.post_otlp("metrics", json.dumps(obj).encode(), "application/json")
    assert status == 200
    assert "value" in json.loads(body)["partialSuccess"]["errorMessage"]
