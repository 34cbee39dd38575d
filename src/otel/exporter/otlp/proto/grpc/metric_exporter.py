"""OTLP/GRPC metric exporter."""

from otel.exporter.otlp._grpc_exporters import OTLPMetricExporter

__all__ = ["OTLPMetricExporter"]
