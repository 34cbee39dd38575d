"""The instrumentor base class (official: ``opentelemetry.instrumentation.instrumentor``)."""

from otel.instrumentation._base import BaseInstrumentor

__all__ = ["BaseInstrumentor"]
