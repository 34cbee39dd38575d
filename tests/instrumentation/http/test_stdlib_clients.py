"""http.client and urllib instrumentation against a real local server; one CLIENT span
per request when layers stack; otel's own OTLP exports are never traced."""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from otel.instrumentation.http_client import HTTPClientInstrumentor
from otel.instrumentation.requests import RequestsInstrumentor
from otel.instrumentation.urllib import URLLibInstrumentor
from otel.testing import CapturedSpans
from otel.trace import SpanKind, StatusCode

from .conftest import peer


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/redirect":
        start_response("302 Found", [("Location", "/final")])
        return [b""]
    start_response("404 Not Found" if path == "/missing" else "200 OK", [("X-R", "1")])
    return [environ.get("HTTP_TRACEPARENT", "none").encode()]


@pytest.fixture
def base(serve: Any) -> str:
    return str(serve(echo))


@pytest.fixture
def instrument_all() -> Iterator[None]:
    HTTPClientInstrumentor().instrument()
    URLLibInstrumentor().instrument()
    yield


def traceparent_of(span: Any) -> str:
    context = span.context
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def http_get(base: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_http_client_span_and_injection(base: str, capture_spans: CapturedSpans) -> None:
    HTTPClientInstrumentor().instrument()
    status, body = http_get(base, "/a?b=1")
    (span,) = capture_spans.spans
    assert status == 200
    assert body.decode() == traceparent_of(span)
    assert span.name == "GET"
    assert span.kind is SpanKind.CLIENT
    port = int(base.rsplit(":", 1)[1])
    assert dict(span.attributes) == {
        "http.request.method": "GET",
        "url.full": f"{base}/a?b=1",
        "server.address": "127.0.0.1",
        "server.port": port,
        "network.protocol.version": "1.1",
        "http.response.status_code": 200,
    }


def test_http_client_keeps_one_span_per_request_on_a_kept_alive_connection(
    base: str, capture_spans: CapturedSpans
) -> None:
    HTTPClientInstrumentor().instrument()
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=10)
    for path in ("/one", "/two"):
        conn.request("GET", path)
        conn.getresponse().read()
    conn.close()
    assert [s.attributes["url.full"] for s in capture_spans.spans] == [
        f"{base}/one",
        f"{base}/two",
    ]


def test_http_client_connection_refused_is_recorded(capture_spans: CapturedSpans) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    HTTPClientInstrumentor().instrument()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    with pytest.raises(ConnectionRefusedError):
        conn.request("GET", "/")
    (span,) = capture_spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "ConnectionRefusedError"


def test_urllib_span_and_injection(base: str, capture_spans: CapturedSpans) -> None:
    URLLibInstrumentor().instrument()
    with urllib.request.urlopen(f"{base}/x", timeout=10) as response:
        body = response.read().decode()
    (span,) = capture_spans.spans
    assert body == traceparent_of(span)
    assert span.instrumentation_scope.name == "otel.instrumentation.urllib"
    assert span.attributes["url.full"] == f"{base}/x"
    assert span.attributes["http.response.status_code"] == 200


def test_urllib_http_error_is_a_client_error(base: str, capture_spans: CapturedSpans) -> None:
    URLLibInstrumentor().instrument()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{base}/missing", timeout=10)
    (span,) = capture_spans.spans
    assert span.attributes["http.response.status_code"] == 404
    assert span.attributes["error.type"] == "404"
    assert span.status.status_code is StatusCode.ERROR


def test_urllib_redirect_hops_are_separate_spans(base: str, capture_spans: CapturedSpans) -> None:
    URLLibInstrumentor().instrument()
    with urllib.request.urlopen(f"{base}/redirect", timeout=10) as response:
        body = response.read().decode()
    first, second = capture_spans.spans
    assert first.attributes["http.response.status_code"] == 302
    assert second.attributes["url.full"] == f"{base}/final"
    assert body == traceparent_of(second)


def test_urllib_over_http_client_makes_one_span(
    base: str, capture_spans: CapturedSpans, instrument_all: None
) -> None:
    with urllib.request.urlopen(base, timeout=10) as response:
        body = response.read().decode()
    (span,) = capture_spans.spans
    assert span.instrumentation_scope.name == "otel.instrumentation.urllib"
    assert body == traceparent_of(span)


def test_requests_over_http_client_makes_one_span(
    base: str, capture_spans: CapturedSpans, instrument_all: None
) -> None:
    requests = peer("requests")
    RequestsInstrumentor().instrument()
    body = requests.get(base, timeout=10).text
    (span,) = capture_spans.spans
    assert span.instrumentation_scope.name == "otel.instrumentation.requests"
    assert body == traceparent_of(span)


def test_http_client_traces_requests_when_requests_is_not_instrumented(
    base: str, capture_spans: CapturedSpans
) -> None:
    requests = peer("requests")
    HTTPClientInstrumentor().instrument()
    body = requests.get(base + "/via-urllib3", timeout=10).text
    (span,) = capture_spans.spans
    assert span.instrumentation_scope.name == "otel.instrumentation.http_client"
    assert span.attributes["url.full"] == f"{base}/via-urllib3"
    assert body == traceparent_of(span)


def test_otlp_exports_are_never_traced(
    capture_spans: CapturedSpans, otlp_receiver: Any, instrument_all: None
) -> None:
    from otel import trace
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from otel.sdk.trace.export import SimpleSpanProcessor

    RequestsInstrumentor().instrument()
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url("traces"))
    capture_spans.provider.add_span_processor(SimpleSpanProcessor(exporter))
    with trace.get_tracer("app").start_as_current_span("work"):
        pass
    exporter.shutdown()
    assert capture_spans.names() == ["work"]
    (received,) = otlp_receiver.requests
    assert "traceparent" not in {key.lower() for key in received.headers}
    names = [
        span.name
        for resource_spans in received.message.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
    ]
    assert names == ["work"]
