"""What the ASGI and WSGI middlewares share about one server request in flight: the
SERVER span, when it started, the attributes of its duration measurement, how a route,
an exception and the end are recorded, and how a user hook is called.

One ``ServerRequest`` per request, used by the thread or task serving it (not shared).
Nothing here raises into the application: hooks that raise are logged and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from time import perf_counter
from typing import Any

from otel.instrumentation._http._semconv import error_type_of, span_name
from otel.instrumentation._http._telemetry import HttpTelemetry
from otel.trace import Span, StatusCode

__all__ = ["ServerRequest", "call_hook", "server_metric_attributes"]


def server_metric_attributes(method: str, scheme: str, version: str | None) -> dict[str, Any]:
    """The request attributes of ``http.server.request.duration``."""
    attributes: dict[str, Any] = {"http.request.method": method, "url.scheme": scheme}
    if version:
        attributes["network.protocol.name"] = "http"
        attributes["network.protocol.version"] = version
    return attributes


def call_hook(
    logger: logging.Logger, what: str, hook: Callable[..., Any] | None, span: Span, *args: Any
) -> None:
    """``hook(span, *args)`` when there is a hook and the span records; a raise is logged."""
    if hook is None or not span.is_recording():
        return
    try:
        hook(span, *args)
    except Exception:
        logger.exception("%s raised; ignored", what)


class ServerRequest:
    """The span and duration measurement of one server request (base of each
    middleware's request state)."""

    __slots__ = ("error_type", "metric_attributes", "span", "start", "status_code", "telemetry")

    def __init__(
        self, telemetry: HttpTelemetry, span: Span, metric_attributes: dict[str, Any]
    ) -> None:
        self.telemetry = telemetry
        self.span = span
        self.metric_attributes = metric_attributes
        self.start = perf_counter()
        self.status_code = 0
        self.error_type: str | None = None

    def set_route(self, route: str) -> None:
        """Report the route template (``/users/{id}``): names the span, labels the metric."""
        self.metric_attributes["http.route"] = route
        span = self.span
        if span.is_recording():
            span.update_name(span_name(self.metric_attributes["http.request.method"], route))
            span.set_attribute("http.route", route)

    def record_exception(self, exception: BaseException) -> None:
        """Record ``exception`` on the span and make it the request's ``error.type``."""
        self.error_type = error_type_of(exception)
        span = self.span
        if span.is_recording():
            span.record_exception(exception)
            span.set_status(StatusCode.ERROR, f"{type(exception).__name__}: {exception}")

    def finish(self) -> None:
        """End the span and record the duration (see ``HttpTelemetry.finish``)."""
        self.telemetry.finish(
            self.span,
            perf_counter() - self.start,
            self.metric_attributes,
            self.status_code,
            self.error_type,
        )
