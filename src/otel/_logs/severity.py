"""Alias of :mod:`otel.logs.severity` (official: ``opentelemetry._logs.severity``)."""

from otel.logs.severity import SeverityNumber, std_to_otel

__all__ = ["SeverityNumber", "std_to_otel"]
