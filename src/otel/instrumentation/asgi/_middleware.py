"""ASGI middleware: one SERVER span and one duration measurement per HTTP request or
WebSocket connection; lifespan and other scopes pass straight through.

The span covers the whole call of the application (for a WebSocket, the whole
connection). By default no span is made per ``send``/``receive`` message — they are
the main overhead of the official middleware and rarely useful; pass
``message_spans=True`` (or ``("send",)``) to get them, ``exclude_spans`` (official
argument) removes kinds again. The route template is read from ``scope["route"]``
(set by Starlette/FastAPI routers) when the response starts and when the call ends,
so the span is named ``GET /users/{id}``; without a route it is ``GET``.

Telemetry never changes the exchange: a failure inside otel or a hook is logged and
every message passes through untouched; an exception of the application is recorded on
the span and re-raised unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, MutableMapping
from typing import Any

from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, Context, attach, detach, get_current
from otel.instrumentation._http import (
    HttpTelemetry,
    normalize_method,
    span_name,
    split_host_port,
)
from otel.instrumentation._http._server import (
    ServerRequest,
    call_hook,
    server_metric_attributes,
)
from otel.metrics import MeterProvider
from otel.propagate import extract
from otel.trace import Span, SpanKind, TracerProvider, set_span_in_context

_logger = logging.getLogger("otel.instrumentation.asgi")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SERVER = SpanKind.SERVER
_INTERNAL = SpanKind.INTERNAL
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _headers(scope: Scope) -> dict[str, str]:
    """The request headers as ``{lower-case name: value}`` (repeated names comma-joined)."""
    out: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers") or ():
        name = raw_name.decode("latin-1").lower() if isinstance(raw_name, bytes) else raw_name
        value = raw_value.decode("latin-1") if isinstance(raw_value, bytes) else str(raw_value)
        previous = out.get(name)
        out[name] = value if previous is None else f"{previous},{value}"
    return out


def _route(scope: Scope) -> str | None:
    route = scope.get("route")
    if route is None:
        return None
    if isinstance(route, str):
        return route
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else None


def _attributes(
    scope: Scope, headers: dict[str, str], method: str, original: str | None
) -> dict[str, Any]:
    scheme = scope.get("scheme") or ("ws" if scope.get("type") == "websocket" else "http")
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "url.scheme": scheme,
        "url.path": scope.get("path", ""),
    }
    if original is not None:
        attributes["http.request.method_original"] = original
    query = scope.get("query_string")
    if query:
        attributes["url.query"] = query.decode("latin-1") if isinstance(query, bytes) else query
    host = headers.get("host")
    if host:
        address, port = split_host_port(host, _DEFAULT_PORTS.get(scheme))
        attributes["server.address"] = address
        if port is not None:
            attributes["server.port"] = port
    else:
        server = scope.get("server")
        if server and len(server) >= 2:
            attributes["server.address"] = str(server[0])
            if isinstance(server[1], int):
                attributes["server.port"] = server[1]
    client = scope.get("client")
    forwarded = headers.get("x-forwarded-for")
    if forwarded:
        attributes["client.address"] = forwarded.split(",", 1)[0].strip()
    elif client:
        attributes["client.address"] = str(client[0])
    if client and len(client) >= 2:
        attributes["network.peer.address"] = str(client[0])
        if isinstance(client[1], int):
            attributes["network.peer.port"] = client[1]
    agent = headers.get("user-agent")
    if agent:
        attributes["user_agent.original"] = agent
    version = scope.get("http_version")
    if version:
        attributes["network.protocol.version"] = version
    return attributes


class _Request(ServerRequest):
    """One HTTP request or WebSocket connection in flight."""

    __slots__ = ("_receive", "_send", "context", "middleware", "scope")

    def __init__(
        self,
        middleware: OpenTelemetryMiddleware,
        scope: Scope,
        span: Span,
        context: Context,
        metric_attributes: dict[str, Any],
        receive: Receive,
        send: Send,
    ) -> None:
        super().__init__(middleware.telemetry, span, metric_attributes)
        self.middleware = middleware
        self.scope = scope
        self.context = context
        self._receive = receive
        self._send = send

    def note_route(self) -> None:
        route = _route(self.scope)
        if route is None or self.metric_attributes.get("http.route") == route:
            return
        self.set_route(route)

    async def send(self, message: Message) -> None:
        try:
            self._on_send(message)
        except Exception:
            _logger.exception("Failed to record an ASGI message")
        middleware = self.middleware
        if "send" in middleware.message_kinds:
            with middleware.telemetry.tracer.start_as_current_span(
                f"{self.span_name_now()} {self.scope.get('type', 'http')} send",
                kind=_INTERNAL,
                attributes={"asgi.event.type": str(message.get("type", ""))},
            ) as span:
                self._hook(middleware.client_response_hook, span, message)
                await self._send(message)
        else:
            await self._send(message)

    def _on_send(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "http.response.start" or kind == "websocket.http.response.start":
            self.note_route()
            status = message.get("status")
            if isinstance(status, int):
                self.status_code = status
            capture = self.middleware.telemetry.capture_response
            if capture and self.span.is_recording():
                self.span.set_attributes(capture.capture(message.get("headers") or ()))
        elif kind == "websocket.accept":
            self.note_route()
        if "send" not in self.middleware.message_kinds:
            self._hook(self.middleware.client_response_hook, self.span, message)

    async def receive(self) -> Message:
        middleware = self.middleware
        if "receive" not in middleware.message_kinds:
            message = await self._receive()
            self._hook(middleware.client_request_hook, self.span, message)
            return message
        with middleware.telemetry.tracer.start_as_current_span(
            f"{self.span_name_now()} {self.scope.get('type', 'http')} receive", kind=_INTERNAL
        ) as span:
            message = await self._receive()
            if span.is_recording():
                span.set_attribute("asgi.event.type", str(message.get("type", "")))
            self._hook(middleware.client_request_hook, span, message)
            return message

    def span_name_now(self) -> str:
        return span_name(
            self.metric_attributes["http.request.method"],
            self.metric_attributes.get("http.route"),
        )

    def _hook(self, hook: Callable[..., None] | None, span: Span, message: Message) -> None:
        call_hook(_logger, "ASGI hook", hook, span, self.scope, message)

    def end(self) -> None:
        try:
            self.note_route()
        except Exception:
            _logger.exception("Failed to read the ASGI route")
        self.finish()


class OpenTelemetryMiddleware:
    """ASGI middleware tracing HTTP requests and WebSocket connections (official name).

    ``default_span_details(scope) -> (name, attributes)`` replaces the initial span
    name (a route found later still renames it) and adds attributes.
    ``server_request_hook(span, scope)`` runs after the server span starts;
    ``client_request_hook(span, scope, message)`` / ``client_response_hook(span, scope,
    message)`` see each received / sent message (on the message span when
    ``message_spans`` asks for them, else on the server span). Hooks that raise are
    logged and ignored. ``excluded_urls`` default ``OTEL_PYTHON_ASGI_EXCLUDED_URLS`` /
    ``OTEL_PYTHON_EXCLUDED_URLS``. Creates no thread, does no I/O.
    """

    def __init__(
        self,
        app: ASGIApp,
        excluded_urls: str | Iterable[str] | None = None,
        default_span_details: Any = None,
        server_request_hook: Callable[[Span, Scope], None] | None = None,
        client_request_hook: Callable[[Span, Scope, Message], None] | None = None,
        client_response_hook: Callable[[Span, Scope, Message], None] | None = None,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        http_capture_headers_server_request: str | Iterable[str] | None = None,
        http_capture_headers_server_response: str | Iterable[str] | None = None,
        http_capture_headers_sanitize_fields: str | Iterable[str] | None = None,
        exclude_spans: Collection[str] | None = None,
        *,
        message_spans: bool | Collection[str] = False,
    ) -> None:
        self.app = app
        self.default_span_details = default_span_details
        self.server_request_hook = server_request_hook
        self.client_request_hook = client_request_hook
        self.client_response_hook = client_response_hook
        if message_spans is True:
            kinds = {"send", "receive"}
        elif message_spans is False:
            kinds = set()
        else:
            kinds = set(message_spans)
        self.message_kinds: frozenset[str] = frozenset(kinds - set(exclude_spans or ()))
        self.telemetry = HttpTelemetry(
            "otel.instrumentation.asgi",
            "ASGI",
            server=True,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            excluded_urls=excluded_urls,
            capture_request_headers=http_capture_headers_server_request,
            capture_response_headers=http_capture_headers_server_response,
            sanitize_headers=http_capture_headers_sanitize_fields,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        try:
            request = self._begin(scope, receive, send)
        except Exception:
            _logger.exception("Failed to start tracing an ASGI request; served untraced")
            request = None
        if request is None:
            await self.app(scope, receive, send)
            return
        token = attach(request.context)
        try:
            await self.app(scope, request.receive, request.send)
        except BaseException as exc:
            request.record_exception(exc)
            raise
        finally:
            request.end()
            detach(token)

    def _begin(self, scope: Scope, receive: Receive, send: Send) -> _Request | None:
        current = get_current()
        if current.get(_SUPPRESS_INSTRUMENTATION_KEY):
            return None
        telemetry = self.telemetry
        headers = _headers(scope)
        if telemetry.excluded and telemetry.excluded.url_disabled(_url(scope, headers)):
            return None
        websocket = scope.get("type") == "websocket"
        method, original = normalize_method("GET" if websocket else scope.get("method", ""))
        attributes = _attributes(scope, headers, method, original)
        capture = telemetry.capture_request
        if capture:
            attributes.update(capture.capture(headers.items()))
        name = span_name(method)
        details = self.default_span_details
        if details is not None:
            try:
                name, extra = details(scope)
                attributes.update(extra or {})
            except Exception:
                _logger.exception("ASGI default_span_details raised; ignored")
        parent = extract(headers, current)
        span = telemetry.tracer.start_span(name, parent, _SERVER, attributes)
        metric_attributes = server_metric_attributes(
            method, attributes["url.scheme"], scope.get("http_version")
        )
        request = _Request(
            self, scope, span, set_span_in_context(span, parent), metric_attributes, receive, send
        )
        call_hook(_logger, "ASGI server_request_hook", self.server_request_hook, span, scope)
        return request


def _url(scope: Scope, headers: dict[str, str]) -> str:
    scheme = scope.get("scheme") or "http"
    host = headers.get("host")
    if not host:
        server = scope.get("server")
        host = f"{server[0]}:{server[1]}" if server else ""
    path = scope.get("path", "")
    query = scope.get("query_string")
    if query:
        query = query.decode("latin-1") if isinstance(query, bytes) else query
        return f"{scheme}://{host}{path}?{query}"
    return f"{scheme}://{host}{path}"
