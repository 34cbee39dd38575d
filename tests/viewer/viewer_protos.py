"""Requests built with opentelemetry-proto (the reference encoder) for the viewer tests."""

from __future__ import annotations

import time
from typing import Any

from viewer_kit import require

pb_trace = require("opentelemetry.proto.collector.trace.v1.trace_service_pb2")
pb_metrics = require("opentelemetry.proto.collector.metrics.v1.metrics_service_pb2")
pb_logs = require("opentelemetry.proto.collector.logs.v1.logs_service_pb2")
common = require("opentelemetry.proto.common.v1.common_pb2")
json_format = require("google.protobuf.json_format")

TRACE_ID = bytes(range(1, 17))
ROOT_ID = bytes(range(1, 9))
CHILD_ID = bytes(range(11, 19))


def any_value(value: Any) -> Any:
    if isinstance(value, bool):
        return common.AnyValue(bool_value=value)
    if isinstance(value, int):
        return common.AnyValue(int_value=value)
    if isinstance(value, float):
        return common.AnyValue(double_value=value)
    if isinstance(value, bytes):
        return common.AnyValue(bytes_value=value)
    if isinstance(value, list):
        return common.AnyValue(array_value=common.ArrayValue(values=[any_value(v) for v in value]))
    if isinstance(value, dict):
        return common.AnyValue(
            kvlist_value=common.KeyValueList(
                values=[common.KeyValue(key=k, value=any_value(v)) for k, v in value.items()]
            )
        )
    return common.AnyValue(string_value=value)


def put_attributes(target: Any, attributes: dict[str, Any]) -> None:
    for key, value in attributes.items():
        target.add(key=key, value=any_value(value))


ATTRIBUTES = {
    "http.method": "GET",
    "http.status_code": 200,
    "ratio": 0.25,
    "ok": True,
    "tags": ["a", "b"],
    "nested": {"k": 1},
}


def trace_request(
    service: str = "frontend",
    trace_id: bytes = TRACE_ID,
    start_ns: int | None = None,
    child_service: str | None = None,
) -> Any:
    """A root SERVER span and a CLIENT child with an event, a link and an error status."""
    start = start_ns if start_ns is not None else time.time_ns()
    req = pb_trace.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    put_attributes(rs.resource.attributes, {"service.name": service, "host.name": "h1"})
    ss = rs.scope_spans.add()
    ss.scope.name = "my.lib"
    ss.scope.version = "1.2.3"
    root = ss.spans.add(
        trace_id=trace_id,
        span_id=ROOT_ID,
        name="GET /users",
        kind=2,
        start_time_unix_nano=start,
        end_time_unix_nano=start + 50_000_000,
        flags=0x301,
        trace_state="k=v",
    )
    put_attributes(root.attributes, ATTRIBUTES)
    root.status.code = 1
    if child_service is not None:
        rs = req.resource_spans.add()
        put_attributes(rs.resource.attributes, {"service.name": child_service})
        ss = rs.scope_spans.add()
        ss.scope.name = "my.lib"
    child = ss.spans.add(
        trace_id=trace_id,
        span_id=CHILD_ID,
        parent_span_id=ROOT_ID,
        name="SELECT users",
        kind=3,
        start_time_unix_nano=start + 1_000_000,
        end_time_unix_nano=start + 21_000_000,
        dropped_attributes_count=2,
    )
    put_attributes(child.attributes, {"db.system": "sqlite"})
    ev = child.events.add(name="exception", time_unix_nano=start + 2_000_000)
    put_attributes(ev.attributes, {"exception.type": "ValueError"})
    ln = child.links.add(trace_id=bytes(range(101, 117)), span_id=bytes(range(101, 109)))
    put_attributes(ln.attributes, {"link.kind": "follows"})
    child.status.code = 2
    child.status.message = "boom"
    return req


def logs_request(service: str = "frontend", time_ns: int | None = None) -> Any:
    t = time_ns if time_ns is not None else time.time_ns()
    req = pb_logs.ExportLogsServiceRequest()
    rl = req.resource_logs.add()
    put_attributes(rl.resource.attributes, {"service.name": service})
    sl = rl.scope_logs.add()
    sl.scope.name = "app.logger"
    rec = sl.log_records.add(
        time_unix_nano=t,
        observed_time_unix_nano=t + 1,
        severity_number=17,
        severity_text="ERROR",
        trace_id=TRACE_ID,
        span_id=ROOT_ID,
        flags=1,
    )
    rec.body.CopyFrom(any_value("user 7 not found"))
    put_attributes(rec.attributes, {"user.id": 7})
    rec2 = sl.log_records.add(time_unix_nano=t - 1000, severity_number=9, severity_text="INFO")
    rec2.body.CopyFrom(any_value({"event": "login", "ok": True}))
    return req


def metrics_request(service: str = "frontend", time_ns: int | None = None) -> Any:
    t = time_ns if time_ns is not None else time.time_ns()
    req = pb_metrics.ExportMetricsServiceRequest()
    rm = req.resource_metrics.add()
    put_attributes(rm.resource.attributes, {"service.name": service})
    sm = rm.scope_metrics.add()
    sm.scope.name = "app.meter"
    m = sm.metrics.add(name="requests", unit="1", description="requests served")
    m.sum.aggregation_temporality = 2
    m.sum.is_monotonic = True
    for i, value in enumerate((10, 30)):
        p = m.sum.data_points.add(
            start_time_unix_nano=t - 10_000_000_000,
            time_unix_nano=t - 1_000_000_000 + i * 1_000_000_000,
            as_int=value,
        )
        put_attributes(p.attributes, {"route": "/users"})
    g = sm.metrics.add(name="temperature", unit="Cel")
    g.gauge.data_points.add(time_unix_nano=t, as_double=21.5)
    h = sm.metrics.add(name="latency", unit="ms")
    h.histogram.aggregation_temporality = 2
    hp = h.histogram.data_points.add(
        start_time_unix_nano=t - 10_000_000_000,
        time_unix_nano=t,
        count=100,
        sum=2500.0,
        bucket_counts=[10, 40, 40, 10],
        explicit_bounds=[10.0, 20.0, 50.0],
        min=1.0,
        max=90.0,
    )
    put_attributes(hp.attributes, {"route": "/users"})
    e = sm.metrics.add(name="size", unit="By")
    e.exponential_histogram.aggregation_temporality = 1
    ep = e.exponential_histogram.data_points.add(
        time_unix_nano=t, count=6, sum=30.0, scale=1, zero_count=1, min=0.0, max=12.0
    )
    ep.positive.offset = 2
    ep.positive.bucket_counts.extend([1, 2, 2])
    ep.negative.offset = -1
    s = sm.metrics.add(name="rpc.duration.summary")
    sp = s.summary.data_points.add(time_unix_nano=t, count=3, sum=6.0)
    sp.quantile_values.add(quantile=0.5, value=2.0)
    sp.quantile_values.add(quantile=1.0, value=3.0)
    return req


def to_json(message: Any) -> bytes:
    """OTLP/JSON per the spec: protobuf JSON with hex ids instead of base64."""
    import base64
    import json

    obj = json_format.MessageToDict(message)

    def fix(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: fix(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v, key) for v in node]
        if key in ("traceId", "spanId", "parentSpanId") and isinstance(node, str):
            return base64.b64decode(node).hex()
        return node

    return json.dumps(fix(obj)).encode()
