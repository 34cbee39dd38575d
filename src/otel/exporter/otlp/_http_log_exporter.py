"""OTLP/HTTP log exporter (its own module: the span exporter does not load the logs SDK)."""

from __future__ import annotations

from otel.exporter.otlp import _config
from otel.exporter.otlp._http_exporters import _HttpExporter
from otel.exporter.otlp._signals_logs import LogExporterBase

__all__ = ["OTLPLogExporter"]


class OTLPLogExporter(_HttpExporter, LogExporterBase):
    """Log records over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    _signal = _config.LOGS
