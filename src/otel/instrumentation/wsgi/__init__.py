"""WSGI instrumentation (official: ``opentelemetry.instrumentation.wsgi``).

``app = OpenTelemetryMiddleware(app)`` traces every request with a SERVER span and
records ``http.server.request.duration``. See ``docs/instrumentation.md``.
"""

from otel.instrumentation.wsgi._middleware import (
    ENVIRON_KEY,
    OpenTelemetryMiddleware,
    WSGIGetter,
    get_request,
    request_url,
    wsgi_getter,
)

__all__ = [
    "ENVIRON_KEY",
    "OpenTelemetryMiddleware",
    "WSGIGetter",
    "get_request",
    "request_url",
    "wsgi_getter",
]
