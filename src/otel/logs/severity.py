"""SeverityNumber and ``std_to_otel`` (official path: ``opentelemetry._logs.severity``)."""

from otel.logs._severity import SeverityNumber, std_to_otel

__all__ = ["SeverityNumber", "std_to_otel"]
