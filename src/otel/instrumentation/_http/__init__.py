"""The HTTP helper every server and client instrumentation shares (one definition):
stable semantic conventions, excluded URLs, header capture, duration histograms."""

from otel.instrumentation._http._config import (
    REDACTED_HEADER,
    ExcludedUrls,
    HeaderCapture,
    excluded_urls_for,
    header_capture,
)
from otel.instrumentation._http._semconv import (
    HTTP_DURATION_BUCKETS,
    OTHER,
    client_error_type,
    error_type_of,
    normalize_method,
    parse_status,
    redact_url,
    server_error_type,
    span_name,
    split_host_port,
)
from otel.instrumentation._http._telemetry import HttpTelemetry

__all__ = [
    "HTTP_DURATION_BUCKETS",
    "OTHER",
    "REDACTED_HEADER",
    "ExcludedUrls",
    "HeaderCapture",
    "HttpTelemetry",
    "client_error_type",
    "error_type_of",
    "excluded_urls_for",
    "header_capture",
    "normalize_method",
    "parse_status",
    "redact_url",
    "server_error_type",
    "span_name",
    "split_host_port",
]
