"""OTLP/HTTP log exporter (module name as in the official SDK, where logs are still ``_``)."""

from otel.exporter.otlp._config import DEFAULT_HTTP_BASE, DEFAULT_TIMEOUT_S, Compression
from otel.exporter.otlp._http_exporters import OTLPLogExporter

DEFAULT_COMPRESSION = Compression.NoCompression
DEFAULT_ENDPOINT = DEFAULT_HTTP_BASE
DEFAULT_LOGS_EXPORT_PATH = "v1/logs"
DEFAULT_TIMEOUT = int(DEFAULT_TIMEOUT_S)  # seconds

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_LOGS_EXPORT_PATH",
    "DEFAULT_TIMEOUT",
    "OTLPLogExporter",
]
