"""OTLP/HTTP log exporter (module name as in the official SDK, where logs are still ``_``)."""

from otel.exporter.otlp._http_exporters import OTLPLogExporter

__all__ = ["OTLPLogExporter"]
