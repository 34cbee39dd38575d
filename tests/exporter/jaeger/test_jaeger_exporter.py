"""JaegerExporter: the specification's mapping, checked with the thrift package and Jaeger's
IDL types, on a real UDP socket and a real HTTP collector on 127.0.0.1."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import http_peer
import idl
import pytest
import sdk_spans

from otel.exporter._transport import RecordingTransport, Response
from otel.exporter.jaeger import JaegerExporter
from otel.exporter.jaeger.thrift import JaegerExporter as OfficialPathExporter
from otel.sdk.trace.export import SpanExportResult


def signed(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


decode_datagram = idl.decode_emit_batch
decode_binary = idl.decode_binary_batch


def tag_values(tags: Any) -> dict[str, Any]:
    kinds = ("vStr", "vDouble", "vBool", "vLong", "vBinary")
    return {t.key: getattr(t, kinds[t.vType]) for t in tags or []}


# ------------------------------------------------------------------ mapping


@pytest.fixture
def batch() -> Any:
    transport = RecordingTransport()
    exporter = JaegerExporter(_transport=transport)
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    (datagram,) = transport.bodies
    assert transport.requests[0].url == "udp://localhost:6831"
    return decode_datagram(datagram)


def test_process_has_the_service_name_and_the_other_resource_attributes(batch: Any) -> None:
    assert batch.process.serviceName == "checkout"
    tags = tag_values(batch.process.tags)
    assert tags["host.name"] == "box-1"
    assert tags["pid"] == 4242
    assert "service.name" not in tags


def test_ids_times_and_flags(batch: Any) -> None:
    server, child = batch.spans
    trace_id = sdk_spans.REMOTE_PARENT.trace_id
    assert server.traceIdHigh == signed(trace_id >> 64)
    assert server.traceIdLow == signed(trace_id)
    assert server.parentSpanId == signed(sdk_spans.REMOTE_PARENT.span_id)
    assert server.parentSpanId < 0  # the high bit survives as Thrift's signed i64
    assert child.parentSpanId == server.spanId
    assert server.operationName == "GET /cart"
    assert server.startTime == sdk_spans.START // 1000
    assert server.duration == 2500
    assert server.flags == 1


def test_references_come_from_the_parent_and_the_links(batch: Any) -> None:
    server, _ = batch.spans
    child_of, follows = server.references
    assert (child_of.refType, child_of.spanId) == (0, server.parentSpanId)
    assert (child_of.traceIdHigh, child_of.traceIdLow) == (server.traceIdHigh, server.traceIdLow)
    linked = sdk_spans.LINKED
    assert follows.refType == 1
    assert follows.traceIdHigh == signed(linked.trace_id >> 64)
    assert follows.traceIdLow == signed(linked.trace_id)
    assert follows.spanId == signed(linked.span_id)


def test_attributes_become_typed_tags(batch: Any) -> None:
    tags = tag_values(batch.spans[0].tags)
    assert tags["http.request.method"] == "GET"
    assert tags["http.response.status_code"] == 500
    assert tags["retry"] is True
    assert tags["ratio"] == 0.25
    assert tags["tags"] == '["a", "b"]'
    assert tags["codes"] == "[1, 2]"


def test_kind_status_error_and_scope_tags(batch: Any) -> None:
    server, child = (tag_values(s.tags) for s in batch.spans)
    assert server["span.kind"] == "server"
    assert child["span.kind"] == "client"
    assert server["otel.status_code"] == "ERROR"
    assert server["otel.status_description"] == "boom"
    assert server["error"] is True
    assert child["otel.status_code"] == "OK"
    assert "error" not in child and "otel.status_description" not in child
    assert server["otel.scope.name"] == "shop.lib"
    assert server["otel.scope.version"] == "2.1.0"


def test_events_become_logs(batch: Any) -> None:
    first, second = batch.spans[0].logs
    assert first.timestamp == (sdk_spans.START + 1000) // 1000
    assert tag_values(first.fields) == {"event": "cache.miss", "key": "cart:1"}
    assert tag_values(second.fields) == {"event": "retrying"}


def test_internal_spans_have_no_kind_tag_and_unset_status_no_status_tag() -> None:
    transport = RecordingTransport()
    JaegerExporter(_transport=transport).export(sdk_spans.many_spans(1))
    tags = tag_values(decode_datagram(transport.bodies[0]).spans[0].tags)
    assert "span.kind" not in tags
    assert "otel.status_code" not in tags
    assert decode_datagram(transport.bodies[0]).spans[0].references is None


def test_dropped_counts_become_tags() -> None:
    from otel.sdk.trace import SpanLimits, TracerProvider
    from otel.sdk.trace.export import SimpleSpanProcessor
    from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    memory = InMemorySpanExporter()
    tp = TracerProvider(span_limits=SpanLimits(max_attributes=1, max_events=1, max_links=1))
    tp.add_span_processor(SimpleSpanProcessor(memory))
    links = [trace_link(), trace_link()]
    with tp.get_tracer("t").start_as_current_span(
        "s", attributes={"a": 1, "b": 2}, links=links
    ) as s:
        s.add_event("e1")
        s.add_event("e2")
    transport = RecordingTransport()
    JaegerExporter(_transport=transport).export(memory.get_finished_spans())
    tags = tag_values(decode_datagram(transport.bodies[0]).spans[0].tags)
    assert tags["otel.dropped_attributes_count"] == 1
    assert tags["otel.dropped_events_count"] == 1
    assert tags["otel.dropped_links_count"] == 1


def trace_link() -> Any:
    from otel.trace import Link

    return Link(sdk_spans.LINKED)


def test_spans_of_two_resources_go_in_two_batches() -> None:
    transport = RecordingTransport()
    other, memory = sdk_spans.provider({"service.name": "other"})
    with other.get_tracer("t").start_as_current_span("x"):
        pass
    spans = sdk_spans.many_spans(2) + list(memory.get_finished_spans())
    JaegerExporter(_transport=transport).export(spans)
    services = sorted(decode_datagram(b).process.serviceName for b in transport.bodies)
    assert services == ["checkout", "other"]


def test_max_tag_value_length_truncates_strings() -> None:
    transport = RecordingTransport()
    spans = sdk_spans.many_spans(1, {"long": "x" * 100})
    JaegerExporter(max_tag_value_length=10, _transport=transport).export(spans)
    assert tag_values(decode_datagram(transport.bodies[0]).spans[0].tags)["long"] == "x" * 10


# ------------------------------------------------------------------ UDP sizes


def test_a_span_too_large_is_truncated_when_that_makes_it_fit() -> None:
    transport = RecordingTransport()
    spans = sdk_spans.many_spans(1, {"blob": "y" * 200_000})
    exporter = JaegerExporter(_transport=transport)
    assert exporter.export(spans) is SpanExportResult.SUCCESS
    assert tag_values(decode_datagram(transport.bodies[0]).spans[0].tags)["blob"] == "y" * 1024
    assert exporter.dropped_spans == 0


def test_a_span_that_cannot_fit_is_dropped_and_counted_alone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = RecordingTransport()
    huge = sdk_spans.many_spans(1, {"k" * 600 + str(i): i for i in range(128)})  # keys stay
    exporter = JaegerExporter(_transport=transport)
    result = exporter.export(huge + sdk_spans.many_spans(3))
    assert result is SpanExportResult.FAILURE
    assert exporter.dropped_spans == 1
    assert [s.operationName for s in decode_datagram(transport.bodies[0]).spans] == [
        "op-0",
        "op-1",
        "op-2",
    ]
    assert "dropped 1 span(s) too large" in caplog.text


def test_without_splitting_an_oversized_batch_is_dropped() -> None:
    transport = RecordingTransport()
    exporter = JaegerExporter(udp_split_oversized_batches=False, _transport=transport)
    spans = sdk_spans.many_spans(2000, {"text": "z" * 100})
    assert exporter.export(spans) is SpanExportResult.FAILURE
    assert transport.sent == []
    assert exporter.dropped_spans == 2000


@pytest.fixture
def udp_agent() -> Iterator[tuple[int, list[bytes]]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 * 1024 * 1024)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)
    received: list[bytes] = []
    stop = threading.Event()

    def receive() -> None:
        while not stop.is_set():
            try:
                received.append(sock.recv(70_000))
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], received
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def _wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_ten_thousand_spans_arrive_complete_over_udp_in_datagrams_under_the_limit(
    udp_agent: tuple[int, list[bytes]],
) -> None:
    port, received = udp_agent
    spans = sdk_spans.many_spans(10_000, {"http.route": "/items/{id}", "n": 7})
    exporter = JaegerExporter(agent_host_name="127.0.0.1", agent_port=port)
    assert exporter.export(spans) is SpanExportResult.SUCCESS
    exporter.shutdown()
    from otel.exporter.jaeger._thrift import decode_emit_batch

    _wait_for(lambda: sum(len(decode_emit_batch(d).spans) for d in list(received)) >= 10_000)
    assert len(received) > 1
    assert max(map(len, received)) <= 65_000
    names = [s.operationName for d in received for s in decode_datagram(d).spans]
    assert sorted(names) == sorted(f"op-{i}" for i in range(10_000))


def test_the_agent_address_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, udp_agent: tuple[int, list[bytes]]
) -> None:
    port, received = udp_agent
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_AGENT_HOST", "127.0.0.1")
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_AGENT_PORT", str(port))
    exporter = OfficialPathExporter()
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    exporter.shutdown()
    _wait_for(lambda: bool(received))
    assert decode_datagram(received[0]).process.serviceName == "checkout"


# ------------------------------------------------------------------ HTTP collector


@pytest.fixture
def collector() -> Iterator[http_peer.Collector]:
    with http_peer.collector() as peer:
        yield peer


def test_collector_receives_binary_thrift_with_basic_auth(collector: http_peer.Collector) -> None:
    endpoint = collector.url("/api/traces")
    exporter = JaegerExporter(collector_endpoint=endpoint, username="u", password="p@ss")
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    exporter.shutdown()
    ((path, headers, body),) = collector.received
    assert path == "/api/traces"
    assert headers["Content-Type"] == "application/x-thrift"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"u:p@ss").decode()
    batch = decode_binary(body)
    assert batch.process.serviceName == "checkout"
    server, child = batch.spans
    assert server.operationName == "GET /cart"
    assert tag_values(server.tags)["error"] is True
    assert child.parentSpanId == server.spanId


def test_collector_503_is_retried(
    collector: http_peer.Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otel.exporter._transport import _retry

    monkeypatch.setattr(_retry, "INITIAL_BACKOFF_S", 0.01)
    collector.statuses.append(503)
    exporter = JaegerExporter(collector_endpoint=collector.url("/api/traces"))
    assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.SUCCESS
    exporter.shutdown()
    assert len(collector.received) == 2


def test_collector_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_ENDPOINT", "http://jaeger:14268/api/traces")
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_USER", "me")
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_PASSWORD", "secret")
    monkeypatch.setenv("OTEL_EXPORTER_JAEGER_TIMEOUT", "1500")
    transport = RecordingTransport([Response(200)])
    exporter = JaegerExporter(_transport=transport)
    exporter.export(sdk_spans.full_spans())
    (sent,) = transport.sent
    assert sent.request.url == "http://jaeger:14268/api/traces"
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(b"me:secret").decode()
    assert 1.2 < sent.remaining_s <= 1.5


def test_a_dripping_collector_does_not_hold_the_export_past_its_timeout() -> None:
    from drip_server import dripping_server

    with dripping_server() as url:
        exporter = JaegerExporter(collector_endpoint=url + "/api/traces", timeout=1)
        start = time.monotonic()
        assert exporter.export(sdk_spans.full_spans()) is SpanExportResult.FAILURE
        assert time.monotonic() - start < 1.6
        exporter.shutdown()
