"""Official path of the in-memory exporter used in tests."""

from otel.sdk.trace.export._in_memory import InMemorySpanExporter

__all__ = ["InMemorySpanExporter"]
