"""OTLP/HTTP exporters (protobuf by default, JSON with ``protocol="http/json"``).

Standard library only: ``http.client`` with a reused connection, gzip/deflate, TLS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otel.exporter.otlp import _config
from otel.exporter.otlp._signals import (
    LogExporterBase,
    MetricExporterBase,
    SpanExporterBase,
    http_core,
    metric_preferences,
)
from otel.sdk.metrics.export import AggregationTemporality, MetricExporter

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]


class OTLPSpanExporter(SpanExporterBase):
    """Spans over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    def __init__(
        self,
        endpoint: str | None = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        headers: Mapping[str, str] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        session: object = None,
        *,
        protocol: str | None = None,
    ) -> None:
        self._core, self._json = http_core(
            _config.TRACES,
            endpoint,
            certificate_file,
            client_key_file,
            client_certificate_file,
            headers,
            timeout,
            compression,
            protocol,
            session,
        )


class OTLPMetricExporter(MetricExporterBase):
    """Metrics over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    def __init__(
        self,
        endpoint: str | None = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        headers: Mapping[str, str] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        session: object = None,
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Any] | None = None,
        max_export_batch_size: int | None = None,
        *,
        protocol: str | None = None,
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        # at most this many data points per request (a collection is split); None: one
        self._max_points = int(max_export_batch_size or 0)
        self._core, self._json = http_core(
            _config.METRICS,
            endpoint,
            certificate_file,
            client_key_file,
            client_certificate_file,
            headers,
            timeout,
            compression,
            protocol,
            session,
        )


class OTLPLogExporter(LogExporterBase):
    """Log records over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    def __init__(
        self,
        endpoint: str | None = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        headers: Mapping[str, str] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        session: object = None,
        *,
        protocol: str | None = None,
    ) -> None:
        self._core, self._json = http_core(
            _config.LOGS,
            endpoint,
            certificate_file,
            client_key_file,
            client_certificate_file,
            headers,
            timeout,
            compression,
            protocol,
            session,
        )
