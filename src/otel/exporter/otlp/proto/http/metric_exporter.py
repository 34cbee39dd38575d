"""OTLP/HTTP metric exporter."""

from otel.exporter.otlp._config import DEFAULT_HTTP_BASE, DEFAULT_TIMEOUT_S, Compression
from otel.exporter.otlp._http_exporters import OTLPMetricExporter

DEFAULT_COMPRESSION = Compression.NoCompression
DEFAULT_ENDPOINT = DEFAULT_HTTP_BASE
DEFAULT_METRICS_EXPORT_PATH = "v1/metrics"
DEFAULT_TIMEOUT = int(DEFAULT_TIMEOUT_S)  # seconds

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_METRICS_EXPORT_PATH",
    "DEFAULT_TIMEOUT",
    "OTLPMetricExporter",
]
