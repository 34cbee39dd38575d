"""Flask instrumentation (official: ``opentelemetry.instrumentation.flask``).

``FlaskInstrumentor().instrument_app(app)`` or ``FlaskInstrumentor().instrument()``;
spans are named from the route template (``GET /users/<id>``). Built on
``otel.instrumentation.wsgi``. See ``docs/instrumentation.md``.
"""

from otel.instrumentation.flask._instrumentor import FlaskInstrumentor

__all__ = ["FlaskInstrumentor"]
