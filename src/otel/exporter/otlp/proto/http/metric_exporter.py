"""OTLP/HTTP metric exporter."""

from otel.exporter.otlp._http_metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http._defaults import (
    DEFAULT_COMPRESSION,
    DEFAULT_ENDPOINT,
    DEFAULT_TIMEOUT,
)

DEFAULT_METRICS_EXPORT_PATH = "v1/metrics"

__all__ = [
    "DEFAULT_COMPRESSION",
    "DEFAULT_ENDPOINT",
    "DEFAULT_METRICS_EXPORT_PATH",
    "DEFAULT_TIMEOUT",
    "OTLPMetricExporter",
]
