"""OTLP/GRPC log exporter (module name as in the official SDK, where logs are still ``_``)."""

from otel.exporter.otlp._grpc_exporters import OTLPLogExporter

__all__ = ["OTLPLogExporter"]
