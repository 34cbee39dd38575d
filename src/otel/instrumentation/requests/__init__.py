"""requests instrumentation (official: ``opentelemetry.instrumentation.requests``).

``RequestsInstrumentor().instrument()``: a CLIENT span per request, the trace context
injected, ``http.client.request.duration`` recorded. See ``docs/instrumentation.md``.
"""

from otel.instrumentation.requests._instrumentor import RequestsInstrumentor

__all__ = ["RequestsInstrumentor"]
