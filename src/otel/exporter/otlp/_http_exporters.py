"""OTLP/HTTP exporters (protobuf by default, JSON with ``protocol="http/json"``).

Standard library only: ``http.client`` with a reused connection, gzip/deflate, TLS.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from otel.exporter.otlp import _config
from otel.exporter.otlp._exporter import ExportCore
from otel.exporter.otlp._http import CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF, HttpSender
from otel.exporter.otlp._signals import (
    LogExporterBase,
    MetricExporterBase,
    SpanExporterBase,
    metric_preferences,
)
from otel.sdk._self_metrics import ExportCounts, NoExportCounts, exporter_counts
from otel.sdk.metrics.export import AggregationTemporality, MetricExporter

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]

_logger = logging.getLogger("otel.exporter.otlp")


class _HttpExporter:
    """The official OTLP/HTTP span and log constructor, once; ``_signal`` picks the signal.

    Every argument not given comes from ``OTEL_EXPORTER_OTLP_[<SIGNAL>_]*``.
    """

    _signal: str
    _core: ExportCore
    _json: bool
    _self_metrics: ExportCounts | NoExportCounts

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
        meter_provider: Any = None,
    ) -> None:
        signal = self._signal
        if session is not None:
            _logger.warning("OTLP/HTTP exporters use http.client; the session argument is ignored")
        self._json = _config.protocol(signal, protocol) == _config.PROTOCOL_HTTP_JSON
        sender = HttpSender(
            _config.http_endpoint(signal, endpoint),
            headers=_config.headers(signal, headers),
            content_type=CONTENT_TYPE_JSON if self._json else CONTENT_TYPE_PROTOBUF,
            compression=_config.compression(signal, compression),
            certificate_file=_config.file_option(signal, "CERTIFICATE", certificate_file),
            client_key_file=_config.file_option(signal, "CLIENT_KEY", client_key_file),
            client_certificate_file=_config.file_option(
                signal, "CLIENT_CERTIFICATE", client_certificate_file
            ),
        )
        self._core = ExportCore(signal, sender, _config.timeout_seconds(signal, timeout))
        self._self_metrics_transport = "http_json" if self._json else "http"
        self._self_metrics = exporter_counts(signal, self._self_metrics_transport, meter_provider)


class OTLPSpanExporter(_HttpExporter, SpanExporterBase):
    """Spans over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    _signal = _config.TRACES


class OTLPLogExporter(_HttpExporter, LogExporterBase):
    """Log records over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    _signal = _config.LOGS


class OTLPMetricExporter(_HttpExporter, MetricExporterBase):
    """Metrics over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    _signal = _config.METRICS

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
        meter_provider: Any = None,
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        # at most this many data points per request (a collection is split); None: one
        self._max_points = int(max_export_batch_size or 0)
        _HttpExporter.__init__(
            self,
            endpoint,
            certificate_file,
            client_key_file,
            client_certificate_file,
            headers,
            timeout,
            compression,
            session,
            protocol=protocol,
            meter_provider=meter_provider,
        )
