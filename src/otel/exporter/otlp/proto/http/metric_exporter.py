"""OTLP/HTTP metric exporter."""

from otel.exporter.otlp._http_exporters import OTLPMetricExporter

__all__ = ["OTLPMetricExporter"]
