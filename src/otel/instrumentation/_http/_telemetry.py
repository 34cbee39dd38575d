"""What every HTTP server and client instrumentation holds: tracer, duration histogram,
excluded URLs and header capture, built once per middleware or instrumentor.

``finish_server`` / ``finish_client`` apply the status rules, set the response
attributes and record the duration; they never raise (a failure is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from otel import __version__
from otel.instrumentation._http._config import (
    ExcludedUrls,
    HeaderCapture,
    duration_histogram,
    excluded_urls_for,
    header_capture,
)
from otel.instrumentation._http._semconv import client_error_type, server_error_type
from otel.metrics import MeterProvider
from otel.trace import Span, StatusCode, Tracer, TracerProvider, get_tracer

_logger = logging.getLogger("otel.instrumentation")

_SERVER_DURATION = "http.server.request.duration"
_CLIENT_DURATION = "http.client.request.duration"


class HttpTelemetry:
    """Tracer, ``http.<side>.request.duration`` histogram and configuration of one
    instrumentation. Thread-safe to share: it holds no per-request state."""

    __slots__ = (
        "capture_request",
        "capture_response",
        "client_targets",
        "duration",
        "excluded",
        "is_server",
        "tracer",
    )

    def __init__(
        self,
        scope_name: str,
        library: str,
        *,
        server: bool,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        excluded_urls: str | Iterable[str] | None = None,
        capture_request_headers: str | Iterable[str] | None = None,
        capture_response_headers: str | Iterable[str] | None = None,
        sanitize_headers: str | Iterable[str] | None = None,
    ) -> None:
        self.is_server = server
        self.tracer: Tracer = get_tracer(scope_name, __version__, tracer_provider)
        if server:
            self.duration = duration_histogram(
                _SERVER_DURATION,
                scope_name,
                __version__,
                meter_provider,
                "Duration of HTTP server requests.",
            )
        else:
            self.duration = duration_histogram(
                _CLIENT_DURATION,
                scope_name,
                __version__,
                meter_provider,
                "Duration of HTTP client requests.",
            )
        self.excluded: ExcludedUrls = excluded_urls_for(library, excluded_urls)
        request, response = header_capture(
            "SERVER" if server else "CLIENT",
            capture_request_headers,
            capture_response_headers,
            sanitize_headers,
        )
        self.capture_request: HeaderCapture = request
        self.capture_response: HeaderCapture = response
        # (method, URL) -> ClientTarget or EXCLUDED (``_client``): what repeats per request
        self.client_targets: dict[tuple[Any, ...], Any] = {}

    @classmethod
    def for_client(cls, library: str, options: Mapping[str, Any]) -> HttpTelemetry:
        """A client instrumentation's telemetry from its ``instrument(**options)``:
        scope ``otel.instrumentation.<library>``, variables ``OTEL_PYTHON_<LIBRARY>_*``."""
        return cls(
            f"otel.instrumentation.{library}",
            library.upper(),
            server=False,
            tracer_provider=options.get("tracer_provider"),
            meter_provider=options.get("meter_provider"),
            excluded_urls=options.get("excluded_urls"),
        )

    def finish(
        self,
        span: Span,
        elapsed_s: float,
        metric_attributes: dict[str, Any],
        status_code: int,
        error_type: str | None,
    ) -> None:
        """End ``span`` with the status rules of this side and record the duration.

        ``metric_attributes`` (owned by the caller, modified here) already holds the
        request attributes of the metric; the status code and ``error.type`` are added.
        """
        try:
            if status_code:
                metric_attributes["http.response.status_code"] = status_code
                if error_type is None:
                    error_type = (
                        server_error_type(status_code)
                        if self.is_server
                        else client_error_type(status_code)
                    )
            if span.is_recording():
                if status_code:
                    span.set_attribute("http.response.status_code", status_code)
                if error_type is not None:
                    span.set_attribute("error.type", error_type)
                    span.set_status(StatusCode.ERROR)
            if error_type is not None:
                metric_attributes["error.type"] = error_type
            span.end()
            self.duration.record(elapsed_s, metric_attributes)
        except Exception:
            _logger.exception("Failed to finish an HTTP span")
