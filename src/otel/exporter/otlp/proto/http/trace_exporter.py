"""OTLP/HTTP span exporter."""

from otel.exporter.otlp._http_exporters import OTLPSpanExporter
from otel.exporter.otlp.proto.http._defaults import (
    DEFAULT_COMPRESSION,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
)

DEFAULT_TRACES_EXPORT_PATH = "v1/traces"

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TRACES_EXPORT_PATH",
    "OTLPSpanExporter",
]
