"""requests instrumentation against a real local server."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from otel import trace
from otel.instrumentation.requests import RequestsInstrumentor
from otel.instrumentation.utils import suppress_instrumentation
from otel.testing import CapturedMetrics, CapturedSpans
from otel.trace import SpanKind, StatusCode

from .conftest import peer


@pytest.fixture
def requests() -> Any:
    return peer("requests")


def echo_traceparent(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    path = environ.get("PATH_INFO", "")
    status = "404 Not Found" if path == "/missing" else "200 OK"
    if path == "/fail":
        status = "502 Bad Gateway"
    start_response(status, [("Content-Type", "text/plain"), ("X-Reply", "r")])
    return [environ.get("HTTP_TRACEPARENT", "none").encode()]


def test_client_span_has_the_stable_attributes(
    requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    port = int(base.rsplit(":", 1)[1])
    requests.get(f"{base}/items?id=3", timeout=10)
    (span,) = capture_spans.spans
    assert span.name == "GET"
    assert span.kind is SpanKind.CLIENT
    assert dict(span.attributes) == {
        "http.request.method": "GET",
        "url.full": f"{base}/items?id=3",
        "server.address": "127.0.0.1",
        "server.port": port,
        "network.protocol.version": "1.1",
        "http.response.status_code": 200,
    }
    assert span.status.status_code is StatusCode.UNSET


def test_trace_context_is_injected(requests: Any, serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    sent = requests.get(base, timeout=10).text
    (span,) = capture_spans.spans
    context = span.context
    assert sent == f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def test_client_span_is_a_child_of_the_current_span(
    requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    with trace.get_tracer("t").start_as_current_span("parent") as parent:
        requests.get(base, timeout=10)
    client = capture_spans.by_name("GET")[0]
    assert client.parent is not None
    assert client.parent.span_id == parent.get_span_context().span_id


@pytest.mark.parametrize(("path", "code"), [("/missing", 404), ("/fail", 502)])
def test_4xx_and_5xx_are_client_errors(
    requests: Any, serve: Any, capture_spans: CapturedSpans, path: str, code: int
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    assert requests.get(base + path, timeout=10).status_code == code
    (span,) = capture_spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == str(code)


def test_connection_failure_is_recorded_and_reraised(
    requests: Any, capture_spans: CapturedSpans
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    RequestsInstrumentor().instrument()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)
    (span,) = capture_spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "requests.exceptions.ConnectionError"
    assert "http.response.status_code" not in span.attributes


def test_credentials_in_the_url_are_redacted(
    requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    requests.get(base.replace("http://", "http://user:secret@") + "/?sig=abc&x=1", timeout=10)
    (span,) = capture_spans.spans
    assert span.attributes["url.full"] == (
        base.replace("http://", "http://REDACTED:REDACTED@") + "/?sig=REDACTED&x=1"
    )


def test_suppressed_requests_are_not_traced_nor_injected(
    requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    with suppress_instrumentation():
        assert requests.get(base, timeout=10).text == "none"
    assert capture_spans.spans == []


def test_excluded_urls(requests: Any, serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument(excluded_urls="/skip")
    requests.get(base + "/skip", timeout=10)
    requests.get(base + "/keep", timeout=10)
    assert [s.attributes["url.full"] for s in capture_spans.spans] == [base + "/keep"]


def test_hooks_and_raising_hooks(requests: Any, serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(echo_traceparent)
    seen: list[str] = []

    def request_hook(span: Any, request: Any) -> None:
        seen.append(request.method)
        raise RuntimeError("hook bug")

    def response_hook(span: Any, request: Any, response: Any) -> None:
        seen.append(str(response.status_code))
        raise RuntimeError("hook bug")

    RequestsInstrumentor().instrument(request_hook=request_hook, response_hook=response_hook)
    assert requests.get(base, timeout=10).status_code == 200
    assert seen == ["GET", "200"]
    assert len(capture_spans.spans) == 1


def test_client_duration_histogram(
    requests: Any, serve: Any, capture_metrics: CapturedMetrics
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    requests.get(base, timeout=10)
    metric = capture_metrics.metrics()["http.client.request.duration"]
    assert metric.unit == "s"
    (point,) = metric.data.data_points
    assert point.attributes["http.request.method"] == "GET"
    assert point.attributes["server.address"] == "127.0.0.1"
    assert point.attributes["http.response.status_code"] == 200
    assert point.explicit_bounds[0] == 0.005


def test_uninstrument_stops_tracing(
    requests: Any, serve: Any, capture_spans: CapturedSpans
) -> None:
    base = serve(echo_traceparent)
    RequestsInstrumentor().instrument()
    RequestsInstrumentor().uninstrument()
    assert requests.get(base, timeout=10).text == "none"
    assert capture_spans.spans == []
