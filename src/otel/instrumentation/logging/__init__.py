"""Trace correlation for the standard ``logging`` module
(official: ``opentelemetry.instrumentation.logging``).

::

    from otel.instrumentation.logging import LoggingInstrumentor

    LoggingInstrumentor().instrument(set_logging_format=True)
    # every record now has otelTraceID, otelSpanID, otelTraceSampled, otelServiceName
"""

from otel.instrumentation.logging._instrumentor import (
    DEFAULT_LOGGING_FORMAT,
    LoggingInstrumentor,
)

__all__ = ["DEFAULT_LOGGING_FORMAT", "LoggingInstrumentor"]
