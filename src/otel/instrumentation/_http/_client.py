"""One outgoing HTTP request as every client instrumentation traces it.

``ClientRequest.begin(...)`` returns None (untraced) while HTTP instrumentation is
suppressed — otel's own exporters suppress it while they send — or when the URL is
excluded; otherwise a CLIENT span named ``{method}`` with the stable attributes.
``quiet()`` makes the span current *and* suppresses HTTP instrumentation while the
library below runs, so a lower layer (``http.client`` under ``requests`` or ``urllib``)
records no second CLIENT span. None of the methods raise into the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from time import perf_counter
from typing import Any

from otel.context import (
    _SUPPRESS_HTTP_INSTRUMENTATION_KEY,
    _SUPPRESS_INSTRUMENTATION_KEY,
    Context,
    detach,
    get_current,
)
from otel.context._context import _CURRENT
from otel.instrumentation._http._semconv import (
    KNOWN_METHODS,
    OTHER,
    error_type_of,
    normalize_method,
    redact_url,
)
from otel.instrumentation._http._telemetry import HttpTelemetry
from otel.propagate import get_global_textmap
from otel.propagators.textmap import Setter, default_setter
from otel.trace import Span, SpanKind, StatusCode
from otel.trace._context_helpers import _SPAN_KEY

_logger = logging.getLogger("otel.instrumentation")
_CLIENT = SpanKind.CLIENT
_new = object.__new__


def http_enabled(context: Context) -> bool:
    """False while ``context`` suppresses all instrumentation or HTTP instrumentation."""
    return not (
        context.get(_SUPPRESS_INSTRUMENTATION_KEY)
        or context.get(_SUPPRESS_HTTP_INSTRUMENTATION_KEY)
    )


class ClientRequest:
    """A traced outgoing request: its span, start time and metric attributes."""

    __slots__ = (
        "_context",
        "_ended",
        "error_type",
        "metric_attributes",
        "span",
        "start",
        "status_code",
        "telemetry",
    )

    def __init__(
        self,
        telemetry: HttpTelemetry,
        span: Span,
        context: Context,
        metric_attributes: dict[str, Any],
    ) -> None:
        self.telemetry = telemetry
        self.span = span
        self._context = context
        self.metric_attributes = metric_attributes
        self.start = perf_counter()
        self.status_code = 0
        self.error_type: str | None = None
        self._ended = False

    @classmethod
    def begin(
        cls,
        telemetry: HttpTelemetry,
        method: object,
        url: str,
        server_address: str | None,
        server_port: int | None,
        scheme: str | None = None,
    ) -> ClientRequest | None:
        """Start tracing a request, or None when it is to stay untraced."""
        try:
            current: Any = _CURRENT.get()
            if type(current) is list:  # a span frame: the Context it stands for
                current = get_current()
            if current.get(_SUPPRESS_INSTRUMENTATION_KEY) or current.get(
                _SUPPRESS_HTTP_INSTRUMENTATION_KEY
            ):
                return None
            excluded = telemetry.excluded.search
            if excluded is not None and excluded(url) is not None:
                return None
            # the usual case, an upper-case known method: nothing to normalise
            if type(method) is str and method in KNOWN_METHODS:
                name: str = method
                original = None
            else:
                name, original = normalize_method(method)
            attributes: dict[str, Any] = {
                "http.request.method": name,
                "url.full": redact_url(url),
            }
            metric_attributes: dict[str, Any] = {"http.request.method": name}
            if original is not None:
                attributes["http.request.method_original"] = original
            if server_address:
                attributes["server.address"] = metric_attributes["server.address"] = server_address
            if server_port is not None:
                attributes["server.port"] = metric_attributes["server.port"] = server_port
            if scheme:
                metric_attributes["url.scheme"] = scheme
            span = telemetry.tracer.start_span(
                "HTTP" if name == OTHER else name, current, _CLIENT, attributes
            )
            # One Context serves both injection and the library call below: the span
            # current, HTTP instrumentation suppressed (propagators ignore the key).
            context = Context(current)
            dict.__setitem__(context, _SPAN_KEY, span)
            dict.__setitem__(context, _SUPPRESS_HTTP_INSTRUMENTATION_KEY, True)
            # __init__'s work without its call
            self = _new(cls)
            self.telemetry = telemetry
            self.span = span
            self._context = context
            self.metric_attributes = metric_attributes
            self.status_code = 0
            self.error_type = None
            self._ended = False
            self.start = perf_counter()
            return self
        except Exception:
            _logger.exception("Failed to start tracing an HTTP client request")
            return None

    def inject(self, carrier: Any, setter: Setter[Any] = default_setter) -> None:
        """Write the trace context of this request's span into ``carrier`` (headers)."""
        try:
            get_global_textmap().inject(carrier, self._context, setter)
        except Exception:
            _logger.exception("Failed to inject trace context into an HTTP request")

    def capture_request_headers(self, headers: MutableMapping[str, Any] | None) -> None:
        capture = self.telemetry.capture_request
        if capture.active and headers is not None and self.span.is_recording():
            try:
                self.span.set_attributes(capture.capture_mapping(headers))
            except Exception:
                _logger.exception("Failed to capture HTTP request headers")

    def quiet(self) -> object:
        """Attach this request's context with HTTP instrumentation suppressed; returns the
        token for :meth:`restore`."""
        return _CURRENT.set(self._context)

    @staticmethod
    def restore(token: object) -> None:
        try:
            _CURRENT.reset(token)  # type: ignore[arg-type]
        except Exception:  # a stale or foreign token: logged, never raised
            detach(token)  # type: ignore[arg-type]

    def response(
        self,
        status_code: int,
        headers: Iterable[tuple[Any, Any]] | None = None,
        protocol_version: str | None = None,
    ) -> None:
        """Note the response's status (and headers, when capture is configured)."""
        self.status_code = status_code
        try:
            if protocol_version:
                self.metric_attributes["network.protocol.version"] = protocol_version
                if self.span.is_recording():
                    self.span.set_attribute("network.protocol.version", protocol_version)
            capture = self.telemetry.capture_response
            if headers is not None and capture.active and self.span.is_recording():
                self.span.set_attributes(capture.capture(headers))
        except Exception:
            _logger.exception("Failed to record an HTTP response")

    def fail(self, exception: BaseException) -> None:
        """Record ``exception`` (the request did not complete)."""
        self.error_type = error_type_of(exception)
        try:
            span = self.span
            if span.is_recording():
                span.record_exception(exception)
                span.set_status(StatusCode.ERROR, f"{type(exception).__name__}: {exception}")
        except Exception:
            _logger.exception("Failed to record an HTTP client exception")

    def end(self) -> None:
        """End the span and record the duration (once)."""
        if self._ended:
            return
        self._ended = True
        self.telemetry.finish(
            self.span,
            perf_counter() - self.start,
            self.metric_attributes,
            self.status_code,
            self.error_type,
        )
