"""The WSGI middleware under werkzeug's real server, called with real HTTP requests."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from _support.refcount import serve_and_check_freed
from _support.wait import wait_until
from otel.instrumentation.wsgi import OpenTelemetryMiddleware
from otel.testing import CapturedMetrics, CapturedSpans
from otel.trace import SpanKind, StatusCode

from .conftest import wait_spans

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_ID = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Answer", "42")])
    return [b"hello"]


def get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    host = base.split("//", 1)[1]
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_server_span_has_the_stable_attributes(serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(OpenTelemetryMiddleware(hello))
    status, body = get(base, "/users/7?q=1", {"User-Agent": "tester/1"})
    assert (status, body) == (200, b"hello")
    (span,) = wait_spans(capture_spans, 1)
    port = int(base.rsplit(":", 1)[1])
    assert span.name == "GET"
    assert span.kind is SpanKind.SERVER
    attrs = dict(span.attributes)
    assert attrs["http.request.method"] == "GET"
    assert attrs["url.scheme"] == "http"
    assert attrs["url.path"] == "/users/7"
    assert attrs["url.query"] == "q=1"
    assert attrs["server.address"] == "127.0.0.1"
    assert attrs["server.port"] == port
    assert attrs["client.address"] == "127.0.0.1"
    assert attrs["user_agent.original"] == "tester/1"
    assert attrs["network.protocol.version"] == "1.1"
    assert attrs["http.response.status_code"] == 200
    assert "http.route" not in attrs
    assert span.status.status_code is StatusCode.UNSET


def test_incoming_traceparent_becomes_the_parent(serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(OpenTelemetryMiddleware(hello))
    get(base, "/", {"traceparent": TRACEPARENT})
    (span,) = wait_spans(capture_spans, 1)
    assert span.context.trace_id == int(TRACE_ID, 16)
    assert span.parent is not None and span.parent.span_id == int(PARENT_ID, 16)
    assert span.parent.is_remote


@pytest.mark.parametrize(
    "header",
    ["garbage", "00-" + "0" * 32 + "-" + PARENT_ID + "-01", "00-xyz-abc-01", "ff-" + "a" * 200],
)
def test_malformed_traceparent_never_breaks_the_request(
    serve: Any, capture_spans: CapturedSpans, header: str
) -> None:
    base = serve(OpenTelemetryMiddleware(hello))
    assert get(base, "/", {"traceparent": header, "tracestate": "=,=", "baggage": "%%%"}) == (
        200,
        b"hello",
    )
    (span,) = wait_spans(capture_spans, 1)
    assert span.parent is None


def test_unknown_method_is_other(serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(OpenTelemetryMiddleware(hello))
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=10)
    conn.request("FOO", "/")
    conn.getresponse().read()
    conn.close()
    (span,) = wait_spans(capture_spans, 1)
    assert span.name == "HTTP"
    assert span.attributes["http.request.method"] == "_OTHER"
    assert span.attributes["http.request.method_original"] == "FOO"


def test_5xx_response_is_an_error(serve: Any, capture_spans: CapturedSpans) -> None:
    def failing(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("503 Service Unavailable", [])
        return [b"busy"]

    base = serve(OpenTelemetryMiddleware(failing))
    assert get(base, "/")[0] == 503
    (span,) = wait_spans(capture_spans, 1)
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "503"


def test_4xx_response_is_not_a_server_error(serve: Any, capture_spans: CapturedSpans) -> None:
    def missing(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("404 Not Found", [])
        return [b""]

    base = serve(OpenTelemetryMiddleware(missing))
    assert get(base, "/")[0] == 404
    (span,) = wait_spans(capture_spans, 1)
    assert span.status.status_code is StatusCode.UNSET
    assert "error.type" not in span.attributes


def test_application_exception_is_recorded_and_reraised(capture_spans: CapturedSpans) -> None:
    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise KeyError("nope")

    middleware = OpenTelemetryMiddleware(broken)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "wsgi.url_scheme": "http"}
    with pytest.raises(KeyError):
        middleware(environ, lambda *a: None)
    (span,) = wait_spans(capture_spans, 1)
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "KeyError"
    assert [event.name for event in span.events] == ["exception"]


def test_streamed_body_is_inside_the_span(serve: Any, capture_spans: CapturedSpans) -> None:
    release = threading.Event()
    chunks_sent: list[int] = []

    def streaming(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])

        def body() -> Iterator[bytes]:
            for index in range(3):
                chunks_sent.append(index)
                assert capture_spans.spans == []  # still open while streaming
                yield b"chunk%d " % index
            release.set()

        return body()

    base = serve(OpenTelemetryMiddleware(streaming))
    status, body = get(base, "/stream")
    assert (status, body) == (200, b"chunk0 chunk1 chunk2 ")
    assert release.wait(5)
    (span,) = wait_spans(capture_spans, 1)
    assert chunks_sent == [0, 1, 2]
    assert span.attributes["http.response.status_code"] == 200


def test_span_is_current_while_the_body_is_generated(capture_spans: CapturedSpans) -> None:
    from otel import trace

    seen: list[Any] = []

    def streaming(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [])

        def body() -> Iterator[bytes]:
            seen.append(trace.get_current_span())
            yield b"x"

        return body()

    middleware = OpenTelemetryMiddleware(streaming)
    result = middleware({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda *a: None)
    assert list(result) == [b"x"]
    result.close()  # type: ignore[attr-defined]
    (span,) = wait_spans(capture_spans, 1)
    assert seen[0].get_span_context().span_id == span.context.span_id


def test_body_close_is_passed_through_once(capture_spans: CapturedSpans) -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            yield b"a"

        def close(self) -> None:
            closed.append(True)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Body:
        start_response("200 OK", [])
        return Body()

    result = OpenTelemetryMiddleware(app)({"REQUEST_METHOD": "GET"}, lambda *a: None)
    assert list(result) == [b"a"]
    result.close()  # type: ignore[attr-defined]
    assert closed == [True]
    assert len(capture_spans.spans) == 1


def test_raising_hooks_never_change_the_response(serve: Any, capture_spans: CapturedSpans) -> None:
    def bad_hook(*args: Any) -> None:
        raise RuntimeError("hook bug")

    base = serve(OpenTelemetryMiddleware(hello, request_hook=bad_hook, response_hook=bad_hook))
    assert get(base, "/") == (200, b"hello")
    assert len(wait_spans(capture_spans, 1)) == 1


def test_hooks_see_the_span_environ_and_response(capture_spans: CapturedSpans) -> None:
    calls: list[tuple[str, Any]] = []

    def request_hook(span: Any, environ: dict[str, Any]) -> None:
        calls.append(("request", environ["PATH_INFO"]))
        span.set_attribute("custom", "yes")

    def response_hook(span: Any, environ: dict[str, Any], status: str, headers: Any) -> None:
        calls.append(("response", status))

    middleware = OpenTelemetryMiddleware(
        hello, request_hook=request_hook, response_hook=response_hook
    )
    list(middleware({"REQUEST_METHOD": "GET", "PATH_INFO": "/x"}, lambda *a: None))
    assert calls == [("request", "/x"), ("response", "200 OK")]
    assert capture_spans.spans[0].attributes["custom"] == "yes"


def test_otel_failure_serves_the_request_untraced(
    serve: Any, capture_spans: CapturedSpans, monkeypatch: pytest.MonkeyPatch
) -> None:
    middleware = OpenTelemetryMiddleware(hello)

    class BrokenTracer:
        def start_span(self, *args: Any) -> Any:
            raise RuntimeError("otel bug")

    monkeypatch.setattr(middleware.telemetry, "tracer", BrokenTracer())
    base = serve(middleware)
    assert get(base, "/") == (200, b"hello")
    assert capture_spans.spans == []


def test_excluded_urls_are_not_traced(serve: Any, capture_spans: CapturedSpans) -> None:
    base = serve(OpenTelemetryMiddleware(hello, excluded_urls="/health,ready$"))
    get(base, "/health")
    get(base, "/x/ready")
    get(base, "/users")
    assert [span.attributes["url.path"] for span in wait_spans(capture_spans, 1)] == ["/users"]


def test_excluded_urls_from_the_environment(
    serve: Any, capture_spans: CapturedSpans, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_EXCLUDED_URLS", "/health")
    monkeypatch.setenv("OTEL_PYTHON_WSGI_EXCLUDED_URLS", "/ping")
    base = serve(OpenTelemetryMiddleware(hello))
    get(base, "/ping")
    get(base, "/health")
    assert [span.attributes["url.path"] for span in wait_spans(capture_spans, 1)] == ["/health"]


def test_configured_headers_are_captured_and_sanitized(
    serve: Any, capture_spans: CapturedSpans, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST", "X-Custom, x-secret-.*"
    )
    monkeypatch.setenv("OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE", "x-answer")
    monkeypatch.setenv("OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS", ".*token.*")
    base = serve(OpenTelemetryMiddleware(hello))
    get(base, "/", {"X-Custom": "a", "X-Secret-Token": "hunter2", "X-Other": "no"})
    attrs = dict(wait_spans(capture_spans, 1)[0].attributes)
    assert attrs["http.request.header.x-custom"] == ("a",)
    assert attrs["http.request.header.x-secret-token"] == ("[REDACTED]",)
    assert attrs["http.response.header.x-answer"] == ("42",)
    assert not any("x-other" in key for key in attrs)


def test_duration_histogram_uses_the_stable_name_unit_and_buckets(
    serve: Any, capture_metrics: CapturedMetrics
) -> None:
    base = serve(OpenTelemetryMiddleware(hello))
    get(base, "/")
    wait_until(lambda: capture_metrics.points("http.server.request.duration"))
    metric = capture_metrics.metrics()["http.server.request.duration"]
    assert metric.unit == "s"
    (point,) = metric.data.data_points
    assert point.count == 1
    assert list(point.explicit_bounds) == [
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    ]  # fmt: skip
    assert dict(point.attributes) == {
        "http.request.method": "GET",
        "url.scheme": "http",
        "network.protocol.name": "http",
        "network.protocol.version": "1.1",
        "http.response.status_code": 200,
    }


def test_suppressed_context_serves_untraced(capture_spans: CapturedSpans) -> None:
    from otel.instrumentation.utils import suppress_instrumentation

    middleware = OpenTelemetryMiddleware(hello)
    with suppress_instrumentation():
        assert list(middleware({"REQUEST_METHOD": "GET"}, lambda *a: None)) == [b"hello"]
    assert capture_spans.spans == []


def test_requests_to_many_hosts_keep_the_per_host_cache_bounded(
    capture_spans: CapturedSpans,
) -> None:
    from werkzeug.test import EnvironBuilder

    from otel.instrumentation.wsgi import _middleware

    app = OpenTelemetryMiddleware(hello)
    for number in range(_middleware._MAX_TARGETS + 10):
        environ = EnvironBuilder(path="/", headers={"Host": f"h{number}.example:81"}).get_environ()
        app(environ, lambda *args: None).close()  # type: ignore[attr-defined]
    assert len(app._targets) <= _middleware._MAX_TARGETS
    last = capture_spans.spans[-1]
    assert last.attributes["server.address"] == f"h{_middleware._MAX_TARGETS + 9}.example"
    assert last.attributes["server.port"] == 81


def test_requests_sharing_a_host_get_their_own_path_and_client(
    capture_spans: CapturedSpans,
) -> None:
    from werkzeug.test import EnvironBuilder

    app = OpenTelemetryMiddleware(hello)
    for path, peer in (("/a", "10.0.0.1"), ("/b?x=1", "10.0.0.2")):
        environ = EnvironBuilder(path=path, environ_base={"REMOTE_ADDR": peer}).get_environ()
        app(environ, lambda *args: None).close()  # type: ignore[attr-defined]
    first, second = capture_spans.spans
    assert (first.attributes["url.path"], first.attributes["client.address"]) == ("/a", "10.0.0.1")
    assert second.attributes["url.path"] == "/b"
    assert second.attributes["url.query"] == "x=1"
    assert second.attributes["client.address"] == "10.0.0.2"
    assert "url.query" not in first.attributes


def test_finished_request_leaves_its_environ_to_reference_counting(
    capture_spans: CapturedSpans,
) -> None:
    assert serve_and_check_freed(OpenTelemetryMiddleware(hello), "/") == (b"hello", True)
    assert len(capture_spans.spans) == 1
