"""WSGI middleware: one SERVER span and one duration measurement per request.

Per request: the trace context is extracted from the environ with the global
propagator, a SERVER span named ``{method}`` (``{method} {route}`` once a framework
such as Flask reports the route) is started and made current while the application
runs, and ended when the server closes the response iterable — so a streamed body is
inside the span. One ``_Request`` object is the wrapped ``start_response``, the
wrapped iterable and the per-request state (``__slots__``, nothing else allocated).

Telemetry never changes the response: a failure inside otel or a hook is logged and
the application's status, headers and body pass through untouched; an exception of the
application is recorded on the span and re-raised unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, Context, attach, detach, get_current
from otel.instrumentation._http import (
    HttpTelemetry,
    normalize_method,
    parse_status,
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
from otel.propagators.textmap import Getter
from otel.trace import Span, SpanKind, TracerProvider, set_span_in_context

_logger = logging.getLogger("otel.instrumentation.wsgi")

ENVIRON_KEY = "otel.instrumentation.wsgi.request"
"""The environ key under which the middleware leaves its per-request state
(frameworks built on it, such as Flask, report the route through it)."""

_SERVER = SpanKind.SERVER
_DEFAULT_PORTS = {"http": 80, "https": 443}

RequestHook = Callable[[Span, dict[str, Any]], None]
ResponseHook = Callable[[Span, dict[str, Any], str, list[tuple[str, str]]], None]


class WSGIGetter(Getter[dict[str, Any]]):
    """Reads request headers out of a WSGI environ (``traceparent`` -> ``HTTP_TRACEPARENT``)."""

    __slots__ = ("_names",)

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def get(self, carrier: dict[str, Any], key: str) -> list[str] | None:
        name = self._names.get(key)
        if name is None:
            name = "HTTP_" + key.upper().replace("-", "_")
            if len(self._names) < 256:
                self._names[key] = name
        value = carrier.get(name)
        if value is None:
            return None
        return [value] if type(value) is str else [str(value)]

    def keys(self, carrier: dict[str, Any]) -> list[str]:
        return [key[5:].lower().replace("_", "-") for key in carrier if key.startswith("HTTP_")]


wsgi_getter = WSGIGetter()


def _environ_headers(environ: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            yield key[5:].replace("_", "-"), value
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            yield key.replace("_", "-"), value


def request_url(environ: dict[str, Any]) -> str:
    """The request's full URL rebuilt from the environ (PEP 3333's recipe)."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST")
    if not host:
        host = environ.get("SERVER_NAME", "")
        port = str(environ.get("SERVER_PORT", ""))
        if port and port != str(_DEFAULT_PORTS.get(scheme)):
            host = f"{host}:{port}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING")
    return f"{scheme}://{host}{path}?{query}" if query else f"{scheme}://{host}{path}"


def _server_attributes(
    environ: dict[str, Any], method: str, original: str | None
) -> tuple[dict[str, Any], str, str]:
    scheme = environ.get("wsgi.url_scheme", "http")
    protocol = environ.get("SERVER_PROTOCOL", "")
    version = protocol[5:] if protocol.startswith("HTTP/") else ""
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "url.scheme": scheme,
        "url.path": environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
    }
    if original is not None:
        attributes["http.request.method_original"] = original
    query = environ.get("QUERY_STRING")
    if query:
        attributes["url.query"] = query
    host = environ.get("HTTP_HOST")
    if host:
        address, port = split_host_port(host, _DEFAULT_PORTS.get(scheme))
    else:
        address = environ.get("SERVER_NAME", "")
        raw_port = environ.get("SERVER_PORT")
        port = int(raw_port) if raw_port and str(raw_port).isdigit() else None
    if address:
        attributes["server.address"] = address
    if port is not None:
        attributes["server.port"] = port
    peer = environ.get("REMOTE_ADDR")
    forwarded = environ.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        attributes["client.address"] = forwarded.split(",", 1)[0].strip()
    elif peer:
        attributes["client.address"] = peer
    if peer:
        attributes["network.peer.address"] = peer
        peer_port = environ.get("REMOTE_PORT")
        if peer_port and str(peer_port).isdigit():
            attributes["network.peer.port"] = int(peer_port)
    agent = environ.get("HTTP_USER_AGENT")
    if agent:
        attributes["user_agent.original"] = agent
    if version:
        attributes["network.protocol.version"] = version
    return attributes, scheme, version


class _Request(ServerRequest):
    """One request in flight: the wrapped ``start_response`` and the wrapped body iterable."""

    __slots__ = (
        "_context",
        "_ended",
        "_iterator",
        "_result",
        "_start_response",
        "environ",
        "middleware",
        "route",
    )

    def __init__(
        self,
        middleware: OpenTelemetryMiddleware,
        environ: dict[str, Any],
        span: Span,
        context: Context,
        metric_attributes: dict[str, Any],
        start_response: Callable[..., Any],
    ) -> None:
        super().__init__(middleware.telemetry, span, metric_attributes)
        self.middleware = middleware
        self.environ = environ
        self._context = context
        self._start_response = start_response
        self.route: str | None = None
        self._result: Iterable[bytes] | None = None
        self._iterator: Iterator[bytes] | None = None
        self._ended = False

    def set_route(self, route: str) -> None:
        """Report the route template (``/users/<id>``): names the span, labels the metric."""
        self.route = route
        super().set_route(route)

    # -- start_response -------------------------------------------------------------
    def __call__(
        self, status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], Any]:
        try:
            self._on_response(status, response_headers)
        except Exception:
            _logger.exception("Failed to record the response of a WSGI request")
        start_response = self._start_response
        if exc_info is None:
            write: Callable[[bytes], Any] = start_response(status, response_headers)
        else:
            write = start_response(status, response_headers, exc_info)
        return write

    def _on_response(self, status: str, response_headers: list[tuple[str, str]]) -> None:
        self.status_code = parse_status(status)
        middleware = self.middleware
        span = self.span
        if span.is_recording():
            capture = middleware.telemetry.capture_response
            if capture:
                span.set_attributes(capture.capture(response_headers))
            call_hook(
                _logger,
                "WSGI response_hook",
                middleware.response_hook,
                span,
                self.environ,
                status,
                response_headers,
            )

    # -- the response iterable ------------------------------------------------------
    def wrap(self, result: Iterable[bytes]) -> _Request:
        self._result = result
        return self

    def __iter__(self) -> _Request:
        return self

    def __next__(self) -> bytes:
        iterator = self._iterator
        if iterator is None:
            if self._result is None:
                raise StopIteration
            iterator = self._iterator = iter(self._result)
        token = attach(self._context)
        try:
            return next(iterator)
        except StopIteration:
            # The whole body is out: end now, servers that never call close() included.
            self.end()
            raise
        except BaseException as exc:
            self.record_exception(exc)
            self.end()
            raise
        finally:
            detach(token)

    def close(self) -> None:
        result = self._result
        try:
            close = getattr(result, "close", None)
            if close is not None:
                token = attach(self._context)
                try:
                    close()
                except BaseException as exc:
                    self.record_exception(exc)
                    raise
                finally:
                    detach(token)
        finally:
            self.end()

    def end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self.finish()


class OpenTelemetryMiddleware:
    """WSGI middleware tracing every request (official name and arguments).

    ``request_hook(span, environ)`` runs after the span starts; ``response_hook(span,
    environ, status, response_headers)`` when the application starts the response. Hooks
    that raise are logged and ignored. ``excluded_urls`` (comma-separated regexes, default
    ``OTEL_PYTHON_WSGI_EXCLUDED_URLS`` / ``OTEL_PYTHON_EXCLUDED_URLS``) pass untraced.
    Safe to share between threads; creates no thread and does no I/O.
    """

    def __init__(
        self,
        wsgi: Callable[..., Iterable[bytes]],
        request_hook: RequestHook | None = None,
        response_hook: ResponseHook | None = None,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        excluded_urls: str | Iterable[str] | None = None,
        *,
        capture_request_headers: str | Iterable[str] | None = None,
        capture_response_headers: str | Iterable[str] | None = None,
        sanitize_headers: str | Iterable[str] | None = None,
        _library: str = "WSGI",
        _scope_name: str = "otel.instrumentation.wsgi",
    ) -> None:
        self.wsgi = wsgi
        self.request_hook = request_hook
        self.response_hook = response_hook
        self.telemetry = HttpTelemetry(
            _scope_name,
            _library,
            server=True,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            excluded_urls=excluded_urls,
            capture_request_headers=capture_request_headers,
            capture_response_headers=capture_response_headers,
            sanitize_headers=sanitize_headers,
        )

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        try:
            request = self._begin(environ, start_response)
        except Exception:
            _logger.exception("Failed to start tracing a WSGI request; served untraced")
            request = None
        if request is None:
            return self.wsgi(environ, start_response)
        token = attach(request._context)
        try:
            result = self.wsgi(environ, request)
        except BaseException as exc:
            request.record_exception(exc)
            request.end()
            raise
        finally:
            detach(token)
        return request.wrap(result)

    def _begin(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> _Request | None:
        current = get_current()
        if current.get(_SUPPRESS_INSTRUMENTATION_KEY):
            return None
        telemetry = self.telemetry
        if telemetry.excluded and telemetry.excluded.url_disabled(request_url(environ)):
            return None
        method, original = normalize_method(environ.get("REQUEST_METHOD", ""))
        attributes, scheme, version = _server_attributes(environ, method, original)
        capture = telemetry.capture_request
        if capture:
            attributes.update(capture.capture(_environ_headers(environ)))
        parent = extract(environ, current, wsgi_getter)
        span = telemetry.tracer.start_span(span_name(method), parent, _SERVER, attributes)
        metric_attributes = server_metric_attributes(method, scheme, version)
        request = _Request(
            self,
            environ,
            span,
            set_span_in_context(span, parent),
            metric_attributes,
            start_response,
        )
        environ[ENVIRON_KEY] = request
        call_hook(_logger, "WSGI request_hook", self.request_hook, span, environ)
        return request


def get_request(environ: dict[str, Any]) -> _Request | None:
    """The middleware's state for the request of ``environ`` (None when untraced)."""
    request = environ.get(ENVIRON_KEY)
    return request if type(request) is _Request else None
