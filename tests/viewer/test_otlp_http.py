"""The OTLP/HTTP receiver: formats, encodings and the OTLP status codes."""

from __future__ import annotations

import gzip
import http.client
import json
import threading

import pytest
from viewer_kit import Client
from viewer_protos import TRACE_ID, logs_request, metrics_request, to_json, trace_request

from otel.viewer._http import MAX_BODY_BYTES

pytestmark = pytest.mark.interop
T = TRACE_ID.hex()


def _rpc_status_message(body: bytes) -> str:
    from google.rpc import status_pb2

    status = status_pb2.Status()
    status.ParseFromString(body)
    return str(status.message)


def test_protobuf_traces_are_stored_and_answered_200(client: Client) -> None:
    status, headers, body = client.post_otlp("traces", trace_request().SerializeToString())
    assert (status, body) == (200, b"")
    assert headers["content-type"] == "application/x-protobuf"
    assert len(client.ok(f"/api/traces/{T}")["spans"]) == 2


def test_json_traces_are_stored(client: Client) -> None:
    status, _, body = client.post_otlp("traces", to_json(trace_request()), "application/json")
    assert (status, json.loads(body)) == (200, {})
    assert len(client.ok(f"/api/traces/{T}")["spans"]) == 2


def test_gzip_body_is_accepted(client: Client) -> None:
    status, _, _ = client.post_otlp("traces", trace_request().SerializeToString(), gzipped=True)
    assert status == 200
    assert client.ok(f"/api/traces/{T}")["trace_id"] == T


def test_chunked_body_is_accepted(client: Client) -> None:
    body = trace_request().SerializeToString()
    conn = http.client.HTTPConnection("127.0.0.1", client.viewer.ports["otlp_http"], timeout=10)
    conn.putrequest("POST", "/v1/traces")
    conn.putheader("Content-Type", "application/x-protobuf")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for i in range(0, len(body), 50):
        piece = body[i : i + 50]
        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
    conn.send(b"0\r\n\r\n")
    assert conn.getresponse().status == 200
    conn.close()
    assert len(client.ok(f"/api/traces/{T}")["spans"]) == 2


def test_logs_and_metrics_endpoints_store_their_signal(client: Client) -> None:
    assert client.post_otlp("logs", logs_request().SerializeToString())[0] == 200
    assert client.post_otlp("metrics", metrics_request().SerializeToString())[0] == 200
    assert len(client.ok("/api/logs")["logs"]) == 2
    assert {m["name"] for m in client.ok("/api/metrics")["metrics"]} >= {"requests", "latency"}


def test_cors_preflight_allows_browser_sdks(client: Client) -> None:
    status, headers, _ = client.request(
        "otlp_http",
        "OPTIONS",
        "/v1/traces",
        headers={
            "Origin": "http://app",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]
    assert headers["access-control-allow-headers"] == "content-type"


def test_malformed_protobuf_gets_400_with_rpc_status_and_nothing_stored(client: Client) -> None:
    body = trace_request().SerializeToString()
    status, _, answer = client.post_otlp("traces", body[:-7])
    assert status == 400
    assert "malformed traces request" in _rpc_status_message(answer)
    assert client.api(f"/api/traces/{T}")[0] == 404


def test_malformed_json_gets_400_with_reason(client: Client) -> None:
    status, _, answer = client.post_otlp("traces", b'{"resourceSpans": [', "application/json")
    assert status == 400
    assert "invalid JSON" in json.loads(answer)["message"]


def test_unknown_content_type_gets_415(client: Client) -> None:
    status, _, answer = client.post_otlp("traces", b"hello", "text/plain")
    assert status == 415
    assert "Content-Type" in _rpc_status_message(answer)


def test_unknown_content_encoding_gets_415(client: Client) -> None:
    status, _, _ = client.request(
        "otlp_http",
        "POST",
        "/v1/traces",
        b"x",
        {"Content-Type": "application/x-protobuf", "Content-Encoding": "br"},
    )
    assert status == 415


def test_body_over_the_limit_gets_413(client: Client) -> None:
    status, _, answer = client.post_otlp("traces", b"\x00" * (MAX_BODY_BYTES + 1))
    assert status == 413
    assert "larger than" in _rpc_status_message(answer)


def test_gzip_bomb_gets_413_and_server_stays_up(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otel.viewer._http import Handler

    monkeypatch.setattr(Handler, "max_decompressed_bytes", 1 << 20)
    bomb = gzip.compress(b"\x00" * (8 << 20), compresslevel=9)
    status, _, answer = client.request(
        "otlp_http",
        "POST",
        "/v1/traces",
        bomb,
        {"Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"},
    )
    assert status == 413
    assert "decompressed" in _rpc_status_message(answer)
    assert client.post_otlp("traces", trace_request().SerializeToString())[0] == 200


def test_broken_gzip_gets_400(client: Client) -> None:
    status, _, _ = client.request(
        "otlp_http",
        "POST",
        "/v1/traces",
        b"\x1f\x8b\x08\x00garbage",
        {"Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"},
    )
    assert status == 400


def test_partial_success_reports_rejected_spans(client: Client) -> None:
    req = trace_request()
    req.resource_spans[0].scope_spans[0].spans[0].trace_id = b"\x01"
    status, _, body = client.post_otlp("traces", req.SerializeToString())
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

    answer = ExportTraceServiceResponse()
    answer.ParseFromString(body)
    assert status == 200
    assert answer.partial_success.rejected_spans == 1
    assert "trace_id" in answer.partial_success.error_message


def test_partial_success_in_json(client: Client) -> None:
    obj = json.loads(to_json(trace_request()))
    obj["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["spanId"] = "nothex!!"
    status, _, body = client.post_otlp("traces", json.dumps(obj).encode(), "application/json")
    assert status == 200
    assert json.loads(body)["partialSuccess"]["rejectedSpans"] == "1"


def test_too_many_attributes_rejects_the_span(client: Client) -> None:
    req = trace_request()
    span = req.resource_spans[0].scope_spans[0].spans[0]
    for i in range(1100):
        span.attributes.add(key=f"k{i}", value={"int_value": i})
    status, _, body = client.post_otlp("traces", req.SerializeToString())
    assert status == 200
    assert b"attributes" in body
    assert len(client.ok(f"/api/traces/{T}")["spans"]) == 1


def test_unknown_path_gets_404(client: Client) -> None:
    assert client.post_otlp("profiles", b"")[0] == 404


def test_store_behind_gets_503_with_retry_after(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otel.viewer._store._interface import StoreBusy

    def busy(*args: object, **kwargs: object) -> None:
        raise StoreBusy("the store is behind, retry later")

    monkeypatch.setattr(client.viewer.store, "ingest", busy)
    status, headers, _ = client.post_otlp("traces", trace_request().SerializeToString())
    assert status == 503
    assert headers["retry-after"] == "2"


def test_bad_requests_do_not_disturb_concurrent_good_ones(client: Client) -> None:
    good = [trace_request(trace_id=bytes([i + 1]) * 16).SerializeToString() for i in range(20)]
    bad = trace_request().SerializeToString()[:-3]
    results: list[int] = []

    def send(body: bytes) -> None:
        results.append(client.post_otlp("traces", body)[0])

    threads = [threading.Thread(target=send, args=(b,)) for b in good + [bad] * 20]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200] * 20 + [400] * 20
    found = client.ok("/api/traces?limit=100")["traces"]
    assert len(found) == 20


def test_each_request_is_logged_at_debug_level_when_debug_is_enabled(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG", logger="otel.viewer"):
        status, _, _ = client.post_otlp("traces", trace_request().SerializeToString())
    assert status == 200
    assert any('"POST /v1/traces HTTP/1.1" 200' in r.getMessage() for r in caplog.records)
