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
from time import perf_counter
from typing import Any

from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, Context, detach, get_current
from otel.context._context import _CURRENT
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
from otel.trace import Span, SpanKind, TracerProvider
from otel.trace._context_helpers import _SPAN_KEY

_logger = logging.getLogger("otel.instrumentation.wsgi")

ENVIRON_KEY = "otel.instrumentation.wsgi.request"
"""The environ key under which the middleware leaves its per-request state
(frameworks built on it, such as Flask, report the route through it)."""

_SERVER = SpanKind.SERVER
_DEFAULT_PORTS = {"http": 80, "https": 443}
_new = object.__new__
_dict_set = dict.__setitem__
_set_context = _CURRENT.set
_reset_context = _CURRENT.reset

# At most this many server targets (method, scheme, Host, protocol: see ``_target``) per
# middleware, emptied and refilled when full (the Host header is the client's to choose);
# at most this many status lines remembered as their codes.
_MAX_TARGETS = 256
_MAX_STATUSES = 64
_status_codes: dict[str, int] = {}


def _restore(token: Any) -> None:
    """``_CURRENT.reset(token)``, never raising (a stale or foreign token is logged)."""
    try:
        _reset_context(token)
    except Exception:
        detach(token)


def _status_code(status: object) -> int:
    """``parse_status`` remembered per status line (servers send the same few)."""
    code = _status_codes.get(status) if type(status) is str else None
    if code is None:
        code = parse_status(status)
        if type(status) is str and len(_status_codes) < _MAX_STATUSES:
            _status_codes[status] = code
    return code


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


class _ServerTarget:
    """What every request with one method, scheme, ``Host`` and protocol shares: the
    span name (before a route is known), the start attributes that follow from those
    four, and the duration metric's request attributes. Read-only once built."""

    __slots__ = ("attributes", "metric", "name")

    def __init__(self, environ: dict[str, Any]) -> None:
        method, original = normalize_method(environ.get("REQUEST_METHOD", ""))
        scheme = environ.get("wsgi.url_scheme", "http")
        protocol = environ.get("SERVER_PROTOCOL", "")
        version = protocol[5:] if type(protocol) is str and protocol.startswith("HTTP/") else ""
        attributes: dict[str, Any] = {"http.request.method": method, "url.scheme": scheme}
        if original is not None:
            attributes["http.request.method_original"] = original
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
        if version:
            attributes["network.protocol.version"] = version
        self.attributes = attributes
        self.name = span_name(method)
        self.metric = server_metric_attributes(method, scheme, version)


def _target_key(environ: dict[str, Any]) -> tuple[Any, ...]:
    get = environ.get
    host = get("HTTP_HOST")
    return (
        get("REQUEST_METHOD", ""),
        get("wsgi.url_scheme", "http"),
        host,
        get("SERVER_PROTOCOL", ""),
        None if host else (get("SERVER_NAME", ""), get("SERVER_PORT")),
    )


def _server_attributes(environ: dict[str, Any], target: _ServerTarget) -> dict[str, Any]:
    """The SERVER span's start attributes: ``target``'s and this request's own."""
    get = environ.get
    attributes = target.attributes.copy()
    attributes["url.path"] = get("SCRIPT_NAME", "") + get("PATH_INFO", "")
    query = get("QUERY_STRING")
    if query:
        attributes["url.query"] = query
    peer = get("REMOTE_ADDR")
    forwarded = get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        attributes["client.address"] = forwarded.split(",", 1)[0].strip()
    elif peer:
        attributes["client.address"] = peer
    if peer:
        attributes["network.peer.address"] = peer
        peer_port = get("REMOTE_PORT")
        if peer_port and str(peer_port).isdigit():
            attributes["network.peer.port"] = int(peer_port)
    agent = get("HTTP_USER_AGENT")
    if agent:
        attributes["user_agent.original"] = agent
    return attributes


class _Request(ServerRequest):
    """One request in flight: the wrapped ``start_response`` and the wrapped body iterable.

    Built by ``OpenTelemetryMiddleware._begin`` (which sets every slot), used by the
    thread serving the request."""

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

    _context: Context
    _ended: bool
    _iterator: Iterator[bytes] | None
    _result: Iterable[bytes] | None
    _start_response: Callable[..., Any]
    environ: dict[str, Any]
    middleware: OpenTelemetryMiddleware
    route: str | None

    def set_route(self, route: str) -> None:
        """Report the route template (``/users/<id>``): names the span, labels the metric."""
        self.route = route
        super().set_route(route)

    # -- start_response -------------------------------------------------------------
    def __call__(
        self, status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], Any]:
        try:
            self.status_code = _status_code(status)
            middleware = self.middleware
            if middleware.response_hook is not None or middleware.telemetry.capture_response:
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
        token = _set_context(self._context)
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
            try:
                _reset_context(token)
            except Exception:
                detach(token)

    def close(self) -> None:
        result = self._result
        try:
            close = getattr(result, "close", None)
            if close is not None:
                token = _set_context(self._context)
                try:
                    close()
                except BaseException as exc:
                    self.record_exception(exc)
                    raise
                finally:
                    _restore(token)
        finally:
            self.end()

    def end(self) -> None:
        if self._ended:
            return
        self._ended = True
        environ = self.environ
        route_of = self.middleware._route_of
        if route_of is not None:
            try:
                route = route_of(environ)  # called even when known: it also tidies up
                if route and self.route is None:
                    self.set_route(route)
            except Exception:
                _logger.exception("Failed to read the route of a WSGI request")
        self.finish()
        # environ -> this object -> environ is a reference cycle: left in place, every
        # request's environ (and all it holds) would wait for the garbage collector
        # instead of being freed when the server lets go of it.
        if environ.get(ENVIRON_KEY) is self:
            del environ[ENVIRON_KEY]


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
        _route_of: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self.wsgi = wsgi
        # a framework's way to read the route template from the environ once the app ran
        self._route_of = _route_of
        self._targets: dict[tuple[Any, ...], _ServerTarget] = {}
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
        token = _set_context(request._context)
        try:
            result = self.wsgi(environ, request)
        except BaseException as exc:
            request.record_exception(exc)
            request.end()
            raise
        finally:
            try:
                _reset_context(token)
            except Exception:
                detach(token)
        request._result = result
        return request

    def _begin(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> _Request | None:
        current: Any = _CURRENT.get()
        if type(current) is list:  # a span frame: the Context it stands for
            current = get_current()
        if current and current.get(_SUPPRESS_INSTRUMENTATION_KEY):
            return None
        telemetry = self.telemetry
        if telemetry.excluded and telemetry.excluded.url_disabled(request_url(environ)):
            return None
        key: tuple[Any, ...] | None = _target_key(environ)
        targets = self._targets
        try:
            target = targets.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable environ value: worked out for this request alone
            target = key = None
        if target is None:
            target = _ServerTarget(environ)
            if key is not None:
                if len(targets) >= _MAX_TARGETS:
                    targets.clear()
                targets[key] = target
        attributes = _server_attributes(environ, target)
        capture = telemetry.capture_request
        if capture:
            attributes.update(capture.capture(_environ_headers(environ)))
        parent = extract(environ, current, wsgi_getter)
        span = telemetry.tracer.start_span(target.name, parent, _SERVER, attributes)
        context = Context(parent)
        _dict_set(context, _SPAN_KEY, span)
        request: _Request = _new(_Request)  # every slot set here, no __init__ call
        request.telemetry = telemetry
        request.span = span
        request.metric_attributes = target.metric.copy()
        request.status_code = 0
        request.error_type = None
        request.middleware = self
        request.environ = environ
        request._context = context
        request._start_response = start_response
        request.route = None
        request._result = None
        request._iterator = None
        request._ended = False
        request.start = perf_counter()
        environ[ENVIRON_KEY] = request
        if self.request_hook is not None:
            call_hook(_logger, "WSGI request_hook", self.request_hook, span, environ)
        return request


def get_request(environ: dict[str, Any]) -> _Request | None:
    """The middleware's state for the request of ``environ`` (None when untraced)."""
    request = environ.get(ENVIRON_KEY)
    return request if type(request) is _Request else None
