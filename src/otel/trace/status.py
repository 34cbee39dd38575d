"""Span status types (same module path as ``opentelemetry.trace.status``)."""

from otel.trace._status import Status, StatusCode

__all__ = ["Status", "StatusCode"]
