"""OTLP/HTTP span exporter."""

from otel.exporter.otlp._config import DEFAULT_HTTP_BASE, DEFAULT_TIMEOUT_S, Compression
from otel.exporter.otlp._http_exporters import OTLPSpanExporter

DEFAULT_COMPRESSION = Compression.NoCompression
DEFAULT_ENDPOINT = DEFAULT_HTTP_BASE
DEFAULT_TRACES_EXPORT_PATH = "v1/traces"
DEFAULT_TIMEOUT = int(DEFAULT_TIMEOUT_S)  # seconds

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TRACES_EXPORT_PATH",
    "OTLPSpanExporter",
]
