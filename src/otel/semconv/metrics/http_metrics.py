"""Stable HTTP metric names (official: ``opentelemetry.semconv.metrics.http_metrics``)."""

from typing import Final

HTTP_CLIENT_REQUEST_DURATION: Final = "http.client.request.duration"
HTTP_SERVER_REQUEST_DURATION: Final = "http.server.request.duration"

__all__ = ["HTTP_CLIENT_REQUEST_DURATION", "HTTP_SERVER_REQUEST_DURATION"]
