"""OTLP/HTTP exporters: ``trace_exporter``, ``metric_exporter``, ``_log_exporter``."""

from otel.exporter.otlp._config import Compression

__all__ = ["Compression"]
