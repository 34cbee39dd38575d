"""The ASGI middleware: a Starlette app under a real uvicorn server, plus direct calls
for WebSocket and lifespan scopes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from otel.instrumentation.asgi import OpenTelemetryMiddleware
from otel.testing import CapturedMetrics, CapturedSpans
from otel.trace import SpanKind, StatusCode

from .conftest import free_port, peer, wait_spans

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def starlette_app() -> Any:
    peer("starlette")
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def user(request: Any) -> Any:
        return PlainTextResponse(f"user {request.path_params['id']}")

    async def boom(request: Any) -> Any:
        raise ValueError("kaput")

    return Starlette(routes=[Route("/users/{id}", user), Route("/boom", boom)])


@pytest.fixture
def uvicorn_serve() -> Iterator[Any]:
    """Run an ASGI app under uvicorn in a thread on a free port: ``base = serve(app)``."""
    uvicorn = peer("uvicorn")
    servers: list[tuple[Any, threading.Thread]] = []

    def serve(app: Any) -> str:
        port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    yield serve
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def test_request_under_uvicorn_is_named_from_the_starlette_route(
    uvicorn_serve: Any, capture_spans: CapturedSpans
) -> None:
    requests = peer("requests")
    base = uvicorn_serve(OpenTelemetryMiddleware(starlette_app()))
    answer = requests.get(f"{base}/users/5?x=1", headers={"traceparent": TRACEPARENT}, timeout=10)
    assert answer.text == "user 5"
    (span,) = wait_spans(capture_spans, 1)
    assert span.name == "GET /users/{id}"
    assert span.kind is SpanKind.SERVER
    attrs = dict(span.attributes)
    assert attrs["http.route"] == "/users/{id}"
    assert attrs["url.path"] == "/users/5"
    assert attrs["url.query"] == "x=1"
    assert attrs["url.scheme"] == "http"
    assert attrs["http.response.status_code"] == 200
    assert attrs["server.address"] == "127.0.0.1"
    assert attrs["network.protocol.version"] == "1.1"
    assert span.context.trace_id == 0x0AF7651916CD43DD8448EB211C80319C


def test_no_message_spans_unless_asked(uvicorn_serve: Any, capture_spans: CapturedSpans) -> None:
    requests = peer("requests")
    plain = uvicorn_serve(OpenTelemetryMiddleware(starlette_app()))
    requests.get(f"{plain}/users/1", timeout=10)
    assert len(wait_spans(capture_spans, 1)) == 1
    capture_spans.clear()
    detailed = uvicorn_serve(OpenTelemetryMiddleware(starlette_app(), message_spans=True))
    requests.get(f"{detailed}/users/1", timeout=10)
    spans = wait_spans(capture_spans, 3)
    assert sorted(s.name for s in spans) == [
        "GET /users/{id}",
        "GET /users/{id} http send",
        "GET /users/{id} http send",
    ]
    server = next(s for s in spans if s.kind is SpanKind.SERVER)
    for span in spans:
        if span is not server:
            assert span.parent is not None and span.parent.span_id == server.context.span_id


def test_exclude_spans_removes_message_kinds() -> None:
    middleware = OpenTelemetryMiddleware(
        starlette_app(), message_spans=True, exclude_spans=["receive"]
    )
    assert middleware.message_kinds == frozenset({"send"})


def test_app_exception_is_recorded(uvicorn_serve: Any, capture_spans: CapturedSpans) -> None:
    requests = peer("requests")
    base = uvicorn_serve(OpenTelemetryMiddleware(starlette_app()))
    assert requests.get(f"{base}/boom", timeout=10).status_code == 500
    (span,) = wait_spans(capture_spans, 1)
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "ValueError"


def test_malformed_trace_headers_never_break_a_request(
    uvicorn_serve: Any, capture_spans: CapturedSpans
) -> None:
    requests = peer("requests")
    base = uvicorn_serve(OpenTelemetryMiddleware(starlette_app()))
    answer = requests.get(
        f"{base}/users/2",
        headers={"traceparent": "00-zz-yy-01", "tracestate": ",,=", "baggage": "=;=;"},
        timeout=10,
    )
    assert (answer.status_code, answer.text) == (200, "user 2")
    (span,) = wait_spans(capture_spans, 1)
    assert span.parent is None


def test_duration_metric_has_the_route(
    uvicorn_serve: Any, capture_metrics: CapturedMetrics, capture_spans: CapturedSpans
) -> None:
    requests = peer("requests")
    base = uvicorn_serve(OpenTelemetryMiddleware(starlette_app()))
    requests.get(f"{base}/users/3", timeout=10)
    wait_spans(capture_spans, 1)
    (point,) = capture_metrics.points("http.server.request.duration")
    assert point.attributes["http.route"] == "/users/{id}"
    assert point.attributes["http.response.status_code"] == 200


def run_asgi(app: Any, scope: dict[str, Any], incoming: list[dict[str, Any]]) -> list[Any]:
    sent: list[Any] = []
    queue = list(incoming)

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "websocket.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_websocket_connection_is_one_server_span(capture_spans: CapturedSpans) -> None:
    async def echo(scope: Any, receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        for _ in range(3):
            message = await receive()
            await send({"type": "websocket.send", "text": message.get("text", "")})
        await send({"type": "websocket.close"})

    scope = {
        "type": "websocket",
        "path": "/ws",
        "scheme": "ws",
        "headers": [(b"host", b"example:8000"), (b"traceparent", TRACEPARENT.encode())],
        "route": "/ws",
    }
    incoming = [{"type": "websocket.connect"}] + [
        {"type": "websocket.receive", "text": str(i)} for i in range(3)
    ]
    sent = run_asgi(OpenTelemetryMiddleware(echo), scope, incoming)
    assert [m["type"] for m in sent] == ["websocket.accept"] + ["websocket.send"] * 3 + [
        "websocket.close"
    ]
    (span,) = capture_spans.spans
    assert span.name == "GET /ws"
    assert span.attributes["url.scheme"] == "ws"
    assert span.attributes["server.port"] == 8000
    assert span.parent is not None and span.parent.is_remote


def test_lifespan_passes_straight_through(capture_spans: CapturedSpans) -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append((scope["type"], receive, send))

    async def receive() -> dict[str, Any]:
        return {"type": "lifespan.startup"}

    async def send(message: Any) -> None:
        pass

    asyncio.run(OpenTelemetryMiddleware(app)({"type": "lifespan"}, receive, send))
    assert seen == [("lifespan", receive, send)]
    assert capture_spans.spans == []


def test_raising_hooks_never_change_the_exchange(capture_spans: CapturedSpans) -> None:
    def bad(*args: Any) -> None:
        raise RuntimeError("hook bug")

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    middleware = OpenTelemetryMiddleware(
        app, server_request_hook=bad, client_request_hook=bad, client_response_hook=bad
    )
    scope = {"type": "http", "method": "DELETE", "path": "/x", "headers": []}
    sent = run_asgi(middleware, scope, [{"type": "http.request", "body": b""}])
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    (span,) = capture_spans.spans
    assert span.attributes["http.response.status_code"] == 204
