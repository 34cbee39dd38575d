"""ZipkinExporter: bodies validated against the Zipkin v2 API definition and decoded with
Zipkin's zipkin.proto, received by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import http_peer
import idl
import otlp_testkit as k
import pytest
import sdk_spans

from otel.exporter._transport import RecordingTransport
from otel.exporter.zipkin import ZipkinExporter, _translate
from otel.exporter.zipkin.json import ZipkinExporter as JsonExporter
from otel.exporter.zipkin.proto.http import ZipkinExporter as ProtoExporter
from otel.sdk.trace.export import SpanExportResult


@pytest.fixture
def collector() -> Iterator[http_peer.Collector]:
    with http_peer.collector() as peer:
        yield peer


@pytest.fixture
def posted(collector: http_peer.Collector, validator: Any) -> list[dict[str, Any]]:
    exporter = JsonExporter(endpoint=collector.url("/api/v2/spans"))
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    exporter.shutdown()
    (received,) = collector.received
    assert received.path == "/api/v2/spans"
    assert received.headers["Content-Type"] == "application/json"
    body = json.loads(received.body)
    validator.validate(body)
    return body  # type: ignore[no-any-return]


def test_json_body_validates_against_the_zipkin_v2_definition(posted: Any) -> None:
    assert len(posted) == 2


def test_ids_are_lowercase_hex_and_times_microseconds(posted: Any) -> None:
    server, child = posted
    assert server["traceId"] == f"{sdk_spans.REMOTE_PARENT.trace_id:032x}"
    assert server["parentId"] == f"{sdk_spans.REMOTE_PARENT.span_id:016x}"
    assert child["parentId"] == server["id"]
    assert len(server["id"]) == 16 and server["id"] == server["id"].lower()
    assert server["timestamp"] == sdk_spans.START // 1000
    assert server["duration"] == 2500
    assert child["duration"] == 1000


def test_kind_local_and_remote_endpoints(posted: Any) -> None:
    server, child = posted
    assert server["kind"] == "SERVER"
    assert child["kind"] == "CLIENT"
    assert server["localEndpoint"] == {"serviceName": "checkout"}
    assert "remoteEndpoint" not in server  # only CLIENT and PRODUCER spans have one
    assert "shared" not in server


def test_tags_are_strings_with_status_error_and_scope(posted: Any) -> None:
    tags = posted[0]["tags"]
    assert tags["http.request.method"] == "GET"
    assert tags["http.response.status_code"] == "500"
    assert tags["retry"] == "true"
    assert tags["ratio"] == "0.25"
    assert tags["tags"] == '["a", "b"]'
    assert tags["codes"] == "[1, 2]"
    assert tags["otel.status_code"] == "ERROR"
    assert tags["error"] == "boom"
    assert tags["otel.scope.name"] == "shop.lib"
    assert tags["otel.scope.version"] == "2.1.0"
    child_tags = posted[1]["tags"]
    assert child_tags["otel.status_code"] == "OK"
    assert "error" not in child_tags


def test_events_become_annotations(posted: Any) -> None:
    first, second = posted[0]["annotations"]
    assert first == {
        "timestamp": (sdk_spans.START + 1000) // 1000,
        "value": '"cache.miss": {"key": "cart:1"}',
    }
    assert second["value"] == "retrying"


def test_empty_fields_are_omitted(collector: http_peer.Collector, validator: Any) -> None:
    exporter = ZipkinExporter(endpoint=collector.url("/api/v2/spans"))
    exporter.export(sdk_spans.many_spans(1, {}))
    exporter.shutdown()
    (span,) = json.loads(collector.received[0].body)
    validator.validate([span])
    assert set(span) == {"traceId", "id", "name", "timestamp", "duration", "localEndpoint", "tags"}
    assert span["tags"] == {"otel.scope.name": "bulk"}


def _translated(**kw: Any) -> Any:
    local = _translate.Endpoint("svc")
    return _translate.span(k.span(**kw), local)


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"peer.service": "billing", "server.address": "b.local"}, ("billing", None, None, None)),
        ({"server.address": "b.local", "server.port": 443}, ("b.local", None, None, 443)),
        ({"net.peer.name": "legacy", "db.name": "orders"}, ("legacy", None, None, None)),
        (
            {"network.peer.address": "10.0.0.7", "network.peer.port": 5432},
            (None, "10.0.0.7", None, 5432),
        ),
        ({"network.peer.address": "2001:db8::1"}, (None, None, "2001:db8::1", None)),
        ({"peer.address": "x.y", "db.name": "orders"}, ("x.y", None, None, None)),
        ({"db.name": "orders"}, ("orders", None, None, None)),
    ],
)
def test_remote_endpoint_follows_the_ranking(attributes: Any, expected: Any) -> None:
    span = _translated(kind=k.SpanKind.CLIENT, attributes=attributes)
    remote = span.remote_endpoint
    assert (remote.service_name, remote.ipv4, remote.ipv6, remote.port) == expected


def test_no_remote_endpoint_for_server_or_without_peer_attributes() -> None:
    assert (
        _translated(kind=k.SpanKind.SERVER, attributes={"peer.service": "x"}).remote_endpoint
        is None
    )
    assert _translated(kind=k.SpanKind.PRODUCER, attributes={"a": 1}).remote_endpoint is None


def test_an_error_attribute_is_removed_unless_the_status_is_error() -> None:
    assert "error" not in _translated(attributes={"error": False}).tags
    error = _translated(status=k.status(k.StatusCode.ERROR), attributes={"error": False})
    assert error.tags["error"] == ""
    assert error.tags["otel.status_code"] == "ERROR"


def test_a_server_span_sharing_its_remote_parents_id_is_shared() -> None:
    parent = k.context(span_id=k.SPAN_ID, is_remote=True)
    span = _translated(kind=k.SpanKind.SERVER, parent=parent)
    assert span.shared and span.parent_id is None
    assert not _translated(kind=k.SpanKind.SERVER, parent=k.context(span_id=7)).shared


def test_dropped_counts_become_tags() -> None:
    span = _translated(dropped_attributes=3, dropped_events=2, dropped_links=1)
    assert span.tags["otel.dropped_attributes_count"] == "3"
    assert span.tags["otel.dropped_events_count"] == "2"
    assert span.tags["otel.dropped_links_count"] == "1"


def test_a_sub_microsecond_span_lasts_one_microsecond() -> None:
    assert _translated(start_time=5_000, end_time=5_400).duration == 1


def test_local_node_settings_and_max_tag_value_length(validator: Any) -> None:
    transport = RecordingTransport()
    exporter = JsonExporter(
        local_node_ipv4="192.168.0.1",
        local_node_port=31313,
        max_tag_value_length=4,
        _transport=transport,
    )
    exporter.export(sdk_spans.many_spans(1, {"long": "abcdefgh"}))
    (span,) = json.loads(transport.bodies[0])
    validator.validate([span])
    assert span["localEndpoint"] == {
        "serviceName": "checkout",
        "ipv4": "192.168.0.1",
        "port": 31313,
    }
    assert span["tags"]["long"] == "abcd"


# ------------------------------------------------------------------ protobuf


def test_protobuf_body_decodes_with_zipkins_proto(collector: http_peer.Collector) -> None:
    list_of_spans = idl.zipkin_messages()
    exporter = ProtoExporter(endpoint=collector.url("/api/v2/spans"))
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    exporter.shutdown()
    (received,) = collector.received
    assert received.headers["Content-Type"] == "application/x-protobuf"
    server, child = list_of_spans.FromString(received.body).spans
    assert server.trace_id == sdk_spans.REMOTE_PARENT.trace_id.to_bytes(16, "big")
    assert server.parent_id == sdk_spans.REMOTE_PARENT.span_id.to_bytes(8, "big")
    assert child.parent_id == server.id
    assert server.kind == 2 and child.kind == 1  # SERVER, CLIENT
    assert server.name == "GET /cart"
    assert server.timestamp == sdk_spans.START // 1000
    assert server.duration == 2500
    assert server.local_endpoint.service_name == "checkout"
    assert dict(server.tags)["error"] == "boom"
    assert dict(server.tags)["retry"] == "true"
    assert [(a.timestamp, a.value) for a in server.annotations][1] == (
        (sdk_spans.START + 2000) // 1000,
        "retrying",
    )
    assert not server.shared


def test_protobuf_and_json_carry_the_same_spans() -> None:
    list_of_spans = idl.zipkin_messages()
    as_json, as_proto = RecordingTransport(), RecordingTransport()
    spans = sdk_spans.full_spans()
    JsonExporter(local_node_ipv6="2001:db8::c001", _transport=as_json).export(spans)
    ProtoExporter(local_node_ipv6="2001:db8::c001", _transport=as_proto).export(spans)
    from_json = json.loads(as_json.bodies[0])
    from_proto = list_of_spans.FromString(as_proto.bodies[0]).spans
    for j, p in zip(from_json, from_proto, strict=True):
        assert j["id"] == p.id.hex()
        assert j["traceId"] == p.trace_id.hex()
        assert j["tags"] == dict(p.tags)
        assert [a["value"] for a in j.get("annotations", [])] == [a.value for a in p.annotations]
        assert p.local_endpoint.ipv6 == bytes.fromhex("20010db8" + "0" * 20 + "c001")


def test_remote_endpoint_ip_and_port_in_protobuf() -> None:
    list_of_spans = idl.zipkin_messages()
    transport = RecordingTransport()
    tp, memory = sdk_spans.provider()
    attributes = {"network.peer.address": "10.1.2.3", "network.peer.port": 5432}
    from otel.trace import SpanKind

    with tp.get_tracer("t").start_as_current_span("q", kind=SpanKind.CLIENT, attributes=attributes):
        pass
    ProtoExporter(_transport=transport).export(memory.get_finished_spans())
    (span,) = list_of_spans.FromString(transport.bodies[0]).spans
    assert span.remote_endpoint.ipv4 == bytes([10, 1, 2, 3])
    assert span.remote_endpoint.port == 5432


# ------------------------------------------------------------------ configuration, delivery


def test_endpoint_and_timeout_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans")
    monkeypatch.setenv("OTEL_EXPORTER_ZIPKIN_TIMEOUT", "2500")
    transport = RecordingTransport()
    ZipkinExporter(_transport=transport).export(sdk_spans.many_spans(1))
    (sent,) = transport.sent
    assert sent.request.url == "http://zipkin:9411/api/v2/spans"
    assert 2.0 < sent.remaining_s <= 2.5


def test_the_default_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_ZIPKIN_ENDPOINT", raising=False)
    assert ZipkinExporter().endpoint == "http://localhost:9411/api/v2/spans"


def test_a_503_is_retried(collector: http_peer.Collector, monkeypatch: pytest.MonkeyPatch) -> None:
    from otel.exporter._transport import _retry

    monkeypatch.setattr(_retry, "INITIAL_BACKOFF_S", 0.01)
    collector.statuses.append(503)
    exporter = ZipkinExporter(endpoint=collector.url("/api/v2/spans"))
    assert exporter.export(sdk_spans.many_spans(2)) is SpanExportResult.SUCCESS
    exporter.shutdown()
    assert len(collector.received) == 2


def test_a_dripping_server_does_not_hold_the_export_past_its_timeout() -> None:
    from drip_server import dripping_server

    with dripping_server() as url:
        exporter = ZipkinExporter(endpoint=url + "/api/v2/spans", timeout=1)
        start = time.monotonic()
        assert exporter.export(sdk_spans.many_spans(1)) is SpanExportResult.FAILURE
        assert time.monotonic() - start < 1.6
        exporter.shutdown()


def test_a_span_that_cannot_be_encoded_costs_only_itself(caplog: pytest.LogCaptureFixture) -> None:
    transport = RecordingTransport()
    good = sdk_spans.many_spans(2)
    bad = k.span(context=None)
    assert ZipkinExporter(_transport=transport).export([good[0], bad, good[1]]).name == "SUCCESS"
    assert [s["name"] for s in json.loads(transport.bodies[0])] == ["op-0", "op-1"]
    assert "Dropped 1 of 3 spans" in caplog.text
