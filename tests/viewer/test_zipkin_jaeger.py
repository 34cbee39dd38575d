"""Zipkin v2 JSON and Jaeger Thrift compact (UDP emitBatch) land as spans."""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from viewer_kit import Client, require

from _support.wait import wait_until
from otel.testing import free_port
from otel.viewer import Viewer, start_viewer
from otel.viewer._receiver._jaeger_udp import load_codec, map_batch

TRACE = "5af7183fb1d4cf5f5af7183fb1d4cf5f"


def _codec_available() -> bool:
    try:
        load_codec()
    except ImportError:
        return False
    return True


@pytest.fixture
def full_viewer(tmp_path: Path) -> Iterator[Viewer]:
    viewer = start_viewer(
        ui_port=free_port(),
        otlp_http_port=0,
        otlp_grpc_port=0,
        jaeger_udp_port=free_port("udp"),
        zipkin_port=free_port(),
        db=str(tmp_path / "v.db"),
    )
    try:
        yield viewer
    finally:
        viewer.stop()


def zipkin_spans(now_us: int) -> list[dict[str, Any]]:
    return [
        {
            "traceId": TRACE,
            "id": "0000000000000001",
            "name": "get /api",
            "kind": "SERVER",
            "timestamp": now_us,
            "duration": 20_000,
            "localEndpoint": {"serviceName": "web", "ipv4": "10.0.0.1"},
            "tags": {"http.method": "GET", "otel.scope.name": "zlib", "otel.scope.version": "2"},
        },
        {
            "traceId": TRACE[16:],
            "id": "0000000000000002",
            "parentId": "0000000000000001",
            "name": "query",
            "kind": "CLIENT",
            "timestamp": now_us + 1000,
            "duration": 5000,
            "localEndpoint": {"serviceName": "web"},
            "remoteEndpoint": {"serviceName": "db", "ipv4": "10.0.0.9", "port": 5432},
            "annotations": [
                {"timestamp": now_us + 2000, "value": "retry"},
                {"timestamp": now_us + 3000, "value": '{"cache":{"hit":"no"}}'},
            ],
            "tags": {"error": "timeout"},
        },
    ]


def post_zipkin(
    client: Client, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    status, _, answer = client.request(
        "zipkin",
        "POST",
        "/api/v2/spans",
        body,
        {"Content-Type": "application/json", **(headers or {})},
    )
    return status, answer


def test_zipkin_v2_spans_are_stored_with_the_reverse_mapping(full_viewer: Viewer) -> None:
    client = Client(full_viewer)
    now_us = time.time_ns() // 1000
    status, _ = post_zipkin(
        client,
        gzip.compress(json.dumps(zipkin_spans(now_us)).encode()),
        {"Content-Encoding": "gzip"},
    )
    assert status == 202
    spans = client.ok(f"/api/traces/{TRACE}")["spans"]
    assert len(spans) == 1  # the 64-bit id is another trace: 0000...5af7183fb1d4cf5f
    root = spans[0]
    assert (root["kind"], root["service"], root["start_unix_nano"]) == (
        "SERVER",
        "web",
        now_us * 1000,
    )
    assert root["end_unix_nano"] - root["start_unix_nano"] == 20_000_000
    assert root["attributes"] == {"http.method": "GET"}
    assert root["scope"] == {"name": "zlib", "version": "2"}
    (child,) = client.ok("/api/traces/" + TRACE[16:].rjust(32, "0"))["spans"]
    assert (child["parent_span_id"], child["kind"]) == ("0000000000000001", "CLIENT")
    assert child["status"] == {"code": "ERROR", "message": "timeout"}
    assert child["attributes"] == {
        "peer.service": "db",
        "net.peer.ip": "10.0.0.9",
        "net.peer.port": 5432,
    }
    assert [(e["name"], e["attributes"]) for e in child["events"]] == [
        ("retry", {}),
        ("cache", {"hit": "no"}),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"a": 1}', "array"),
        (b'[{"traceId": "xyz", "id": "1"}]', "no usable span"),
    ],
)
def test_zipkin_malformed_body_gets_400_with_reason(
    full_viewer: Viewer, body: bytes, reason: str
) -> None:
    client = Client(full_viewer)
    status, answer = post_zipkin(client, body)
    assert status == 400 and reason in answer.decode()
    assert client.ok("/api/traces")["traces"] == []


def test_zipkin_wrong_content_type_and_path(full_viewer: Viewer) -> None:
    client = Client(full_viewer)
    assert post_zipkin(client, b"x", {"Content-Type": "application/x-thrift"})[0] == 415
    assert (
        client.request(
            "zipkin", "POST", "/api/v1/spans", b"[]", {"Content-Type": "application/json"}
        )[0]
        == 404
    )


def _jaeger_model() -> SimpleNamespace:
    def tag(key: str, v_type: int, value: Any) -> SimpleNamespace:
        fields = {"vStr": None, "vDouble": None, "vBool": None, "vLong": None, "vBinary": None}
        fields[("vStr", "vDouble", "vBool", "vLong", "vBinary")[v_type]] = value
        return SimpleNamespace(key=key, vType=v_type, **fields)

    now_us = time.time_ns() // 1000
    span = SimpleNamespace(
        traceIdLow=-2,
        traceIdHigh=1,
        spanId=7,
        parentSpanId=0,
        operationName="work",
        flags=1,
        startTime=now_us,
        duration=1500,
        tags=[
            tag("span.kind", 0, "server"),
            tag("otel.status_code", 0, "ERROR"),
            tag("otel.status_description", 0, "bad"),
            tag("n", 3, 5),
            tag("r", 1, 0.5),
            tag("b", 2, True),
            tag("raw", 4, b"\x01"),
        ],
        logs=[
            SimpleNamespace(timestamp=now_us + 10, fields=[tag("event", 0, "ping"), tag("x", 3, 1)])
        ],
        references=[SimpleNamespace(refType=1, traceIdLow=3, traceIdHigh=0, spanId=9)],
    )
    return SimpleNamespace(
        process=SimpleNamespace(serviceName="jsvc", tags=[tag("host", 0, "h")]), spans=[span]
    )


def test_jaeger_model_maps_to_spans() -> None:
    (span,) = map_batch(_jaeger_model())
    assert span.trace_id == ((1 << 64) | ((1 << 64) - 2)).to_bytes(16, "big")
    assert (span.span_id, span.parent_span_id, span.kind, span.flags) == (
        (7).to_bytes(8, "big"),
        b"",
        2,
        1,
    )
    assert (span.status_code, span.status_message) == (2, "bad")
    assert span.attributes == {"n": 5, "r": 0.5, "b": True, "raw": "AQ=="}
    assert span.end_time_unix_nano - span.start_time_unix_nano == 1_500_000
    assert [(e.name, e.attributes) for e in span.events] == [("ping", {"x": 1})]
    assert [(ln.trace_id, ln.span_id) for ln in span.links] == [
        ((3).to_bytes(16, "big"), (9).to_bytes(8, "big"))
    ]
    assert span.resource.attributes == {"host": "h", "service.name": "jsvc"}


def emit_batch_datagram(
    service: str, trace_low: int, span_id: int, name: str, start_us: int
) -> bytes:
    """An Agent.emitBatch oneway message written with the thrift package's compact protocol,
    field by field in jaeger.thrift's numbering."""
    TCompact = require("thrift.protocol.TCompactProtocol")
    TTransport = require("thrift.transport.TTransport")
    from thrift.Thrift import TMessageType, TType

    buf = TTransport.TMemoryBuffer()
    p = TCompact.TCompactProtocol(buf)
    p.writeMessageBegin("emitBatch", TMessageType.ONEWAY, 1)
    p.writeStructBegin("emitBatch_args")
    p.writeFieldBegin("batch", TType.STRUCT, 1)
    p.writeStructBegin("Batch")
    p.writeFieldBegin("process", TType.STRUCT, 1)
    p.writeStructBegin("Process")
    p.writeFieldBegin("serviceName", TType.STRING, 1)
    p.writeString(service)
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeFieldEnd()
    p.writeFieldBegin("spans", TType.LIST, 2)
    p.writeListBegin(TType.STRUCT, 1)
    p.writeStructBegin("Span")
    for number, ttype, value in (
        (1, TType.I64, trace_low),
        (2, TType.I64, 0),
        (3, TType.I64, span_id),
        (4, TType.I64, 0),
        (5, TType.STRING, name),
        (7, TType.I32, 1),
        (8, TType.I64, start_us),
        (9, TType.I64, 2000),
    ):
        p.writeFieldBegin("f", ttype, number)
        {TType.I64: p.writeI64, TType.I32: p.writeI32, TType.STRING: p.writeString}[ttype](value)
        p.writeFieldEnd()
    p.writeFieldBegin("tags", TType.LIST, 10)
    p.writeListBegin(TType.STRUCT, 1)
    p.writeStructBegin("Tag")
    p.writeFieldBegin("key", TType.STRING, 1)
    p.writeString("span.kind")
    p.writeFieldEnd()
    p.writeFieldBegin("vType", TType.I32, 2)
    p.writeI32(0)
    p.writeFieldEnd()
    p.writeFieldBegin("vStr", TType.STRING, 3)
    p.writeString("client")
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeListEnd()
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeListEnd()
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeFieldEnd()
    p.writeFieldStop()
    p.writeStructEnd()
    p.writeMessageEnd()
    return buf.getvalue()


@pytest.mark.interop
@pytest.mark.skipif(
    not _codec_available(), reason="the Jaeger Thrift codec (exporter branch) is not in this build"
)
def test_jaeger_emit_batch_datagrams_land_as_spans(full_viewer: Viewer) -> None:
    client = Client(full_viewer)
    now_us = time.time_ns() // 1000
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"\x82\x81garbage", ("127.0.0.1", full_viewer.ports["jaeger_udp"]))
        sock.sendto(
            emit_batch_datagram("jsvc", 77, 5, "udp-op", now_us),
            ("127.0.0.1", full_viewer.ports["jaeger_udp"]),
        )
    trace = (77).to_bytes(16, "big").hex()
    assert wait_until(lambda: client.api(f"/api/traces/{trace}")[0] == 200, timeout=10)
    (span,) = client.ok(f"/api/traces/{trace}")["spans"]
    assert (span["name"], span["service"], span["kind"]) == ("udp-op", "jsvc", "CLIENT")
    assert span["start_unix_nano"] == now_us * 1000


@pytest.mark.skipif(_codec_available(), reason="the Jaeger codec is in this build")
def test_without_the_jaeger_codec_the_viewer_says_so_once(full_viewer: Viewer) -> None:
    problems = [p for p in full_viewer.problems if "Jaeger" in p]
    assert len(problems) == 1 and "codec" in problems[0]
    assert "zipkin" in full_viewer.ports and "jaeger_udp" not in full_viewer.ports
