"""ASGI instrumentation (official: ``opentelemetry.instrumentation.asgi``).

``app = OpenTelemetryMiddleware(app)``: a SERVER span per HTTP request and per
WebSocket connection, no per-message spans unless ``message_spans=True``; lifespan
passes through. See ``docs/instrumentation.md``.
"""

from otel.instrumentation.asgi._middleware import OpenTelemetryMiddleware

__all__ = ["OpenTelemetryMiddleware"]
