"""OTLP/HTTP span exporter."""

from otel.exporter.otlp._http_exporters import OTLPSpanExporter

__all__ = ["OTLPSpanExporter"]
