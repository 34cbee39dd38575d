"""OTLP/HTTP log exporter (module name as in the official SDK, where logs are still ``_``)."""

from otel.exporter.otlp._http_log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http._defaults import (
    DEFAULT_COMPRESSION,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
)

DEFAULT_LOGS_EXPORT_PATH = "v1/logs"

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_LOGS_EXPORT_PATH",
    "DEFAULT_TIMEOUT",
    "OTLPLogExporter",
]
