"""OTLP/GRPC span exporter."""

from otel.exporter.otlp._grpc_exporters import OTLPSpanExporter

__all__ = ["OTLPSpanExporter"]
