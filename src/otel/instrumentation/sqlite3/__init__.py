"""sqlite3 tracing (official: ``opentelemetry.instrumentation.sqlite3``)."""

from otel.instrumentation.sqlite3._instrumentor import SQLite3Instrumentor

__all__ = ["SQLite3Instrumentor"]
