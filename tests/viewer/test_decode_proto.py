"""Our protobuf request decoder against the reference encoder (opentelemetry-proto)."""

from __future__ import annotations

import pytest
from viewer_protos import (
    ATTRIBUTES,
    ROOT_ID,
    TRACE_ID,
    logs_request,
    metrics_request,
    pb_trace,
    trace_request,
)

from otel.exporter.otlp._proto._decode_request import (
    decode_logs_request,
    decode_metrics_request,
    decode_trace_request,
)
from otel.exporter.otlp._proto._wire import DecodeError

pytestmark = pytest.mark.interop


def _spans() -> list:
    decoded = decode_trace_request(trace_request(start_ns=1_000).SerializeToString())
    assert decoded.rejected == 0
    return decoded.items


def test_trace_request_decodes_ids_names_kinds_times_and_parent() -> None:
    root, child = _spans()
    assert (root.trace_id, root.span_id, root.parent_span_id) == (TRACE_ID, ROOT_ID, b"")
    assert (child.parent_span_id, child.name, child.kind) == (ROOT_ID, "SELECT users", 3)
    assert (root.start_time_unix_nano, root.end_time_unix_nano) == (1_000, 50_001_000)
    assert (root.flags, root.trace_state) == (0x301, "k=v")


def test_attribute_values_keep_their_types() -> None:
    root, _ = _spans()
    assert root.attributes == ATTRIBUTES
    assert type(root.attributes["http.status_code"]) is int
    assert type(root.attributes["ok"]) is bool


def test_events_links_status_dropped_counts_resource_and_scope() -> None:
    _, child = _spans()
    assert [(e.name, e.time_unix_nano, e.attributes) for e in child.events] == [
        ("exception", 2_001_000, {"exception.type": "ValueError"})
    ]
    link = child.links[0]
    assert (link.trace_id, link.span_id, link.attributes) == (
        bytes(range(101, 117)),
        bytes(range(101, 109)),
        {"link.kind": "follows"},
    )
    assert (child.status_code, child.status_message) == (2, "boom")
    assert child.dropped_attributes_count == 2
    assert child.resource.attributes == {"service.name": "frontend", "host.name": "h1"}
    assert (child.scope.name, child.scope.version) == ("my.lib", "1.2.3")


def test_bytes_and_negative_int_values() -> None:
    req = trace_request()
    span = req.resource_spans[0].scope_spans[0].spans[0]
    span.attributes.add(key="raw", value={"bytes_value": b"\x00\xff"})
    span.attributes.add(key="neg", value={"int_value": -5})
    root = decode_trace_request(req.SerializeToString()).items[0]
    assert (root.attributes["raw"], root.attributes["neg"]) == ("AP8=", -5)


def test_logs_request_decodes_body_severity_and_trace_context() -> None:
    records = decode_logs_request(logs_request(time_ns=5_000).SerializeToString()).items
    first, second = records
    assert (first.body, first.severity_number, first.severity_text) == (
        "user 7 not found",
        17,
        "ERROR",
    )
    assert (first.trace_id, first.span_id, first.flags) == (TRACE_ID, ROOT_ID, 1)
    assert (first.time_unix_nano, first.observed_time_unix_nano) == (5_000, 5_001)
    assert first.attributes == {"user.id": 7}
    assert second.body == {"event": "login", "ok": True}
    assert second.trace_id == b""


def test_metrics_request_decodes_every_point_type() -> None:
    metrics = {
        m.name: m
        for m in decode_metrics_request(metrics_request(time_ns=10**12).SerializeToString()).items
    }
    requests = metrics["requests"]
    assert (requests.type, requests.temporality, requests.is_monotonic, requests.unit) == (
        "sum",
        2,
        True,
        "1",
    )
    assert [p.value for p in requests.points] == [10, 30]
    assert requests.points[0].attributes == {"route": "/users"}
    assert metrics["temperature"].points[0].value == 21.5
    hist = metrics["latency"].points[0].data
    assert hist == {
        "count": 100,
        "sum": 2500.0,
        "bucket_counts": [10, 40, 40, 10],
        "bounds": [10.0, 20.0, 50.0],
        "min": 1.0,
        "max": 90.0,
    }
    exp = metrics["size"].points[0].data
    assert (exp["scale"], exp["zero_count"], exp["positive"]) == (1, 1, [2, [1, 2, 2]])
    assert exp["negative"] == [-1, []]
    assert metrics["size"].temporality == 1
    assert metrics["rpc.duration.summary"].points[0].data["quantiles"] == [[0.5, 2.0], [1.0, 3.0]]


def test_truncated_request_raises_decode_error() -> None:
    body = trace_request().SerializeToString()
    with pytest.raises(DecodeError):
        decode_trace_request(body[: len(body) // 2])


def test_garbage_raises_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode_trace_request(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")


def test_span_with_a_bad_id_is_rejected_and_the_others_kept() -> None:
    req = trace_request()
    req.resource_spans[0].scope_spans[0].spans[0].span_id = b"\x01\x02"
    decoded = decode_trace_request(req.SerializeToString())
    assert (len(decoded.items), decoded.rejected) == (1, 1)
    assert "span_id" in decoded.error_message


def test_empty_request_decodes_to_nothing() -> None:
    assert (
        decode_trace_request(pb_trace.ExportTraceServiceRequest().SerializeToString()).items == []
    )
