"""OTLP/HTTP exporters (protobuf by default, JSON with ``protocol="http/json"``).

Each exporter is composed of the OTLP codec, an ``HttpSender`` on a ``Transport`` (the
shared ``HttpTransport`` unless a test passes ``_transport=``, e.g. a
``RecordingTransport``) and an ``ExportCore`` holding the timeout and the retry loop.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from otel.exporter._transport import ExportCore, Transport
from otel.exporter.otlp import _config
from otel.exporter.otlp._http import CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF, otlp_http_sender
from otel.exporter.otlp._signals import (
    LogExporterBase,
    MetricExporterBase,
    SpanExporterBase,
    metric_preferences,
)
from otel.sdk.metrics.export import AggregationTemporality, MetricExporter

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]

_logger = logging.getLogger("otel.exporter.otlp")


def http_core(
    signal: str,
    endpoint: str | None,
    certificate_file: str | None,
    client_key_file: str | None,
    client_certificate_file: str | None,
    headers: Mapping[str, str] | str | None,
    timeout: float | None,
    compression: Any,
    session: object,
    protocol: str | None,
    transport: Transport | None,
) -> tuple[ExportCore, bool]:
    """``(core, is_json)`` for one signal; every argument not given comes from the env."""
    if session is not None:
        _logger.warning("OTLP/HTTP exporters use http.client; the session argument is ignored")
    json = _config.protocol(signal, protocol) == _config.PROTOCOL_HTTP_JSON
    sender = otlp_http_sender(
        signal,
        _config.http_endpoint(signal, endpoint),
        headers=_config.headers(signal, headers),
        content_type=CONTENT_TYPE_JSON if json else CONTENT_TYPE_PROTOBUF,
        compression=_config.compression(signal, compression),
        certificate_file=_config.file_option(signal, "CERTIFICATE", certificate_file),
        client_key_file=_config.file_option(signal, "CLIENT_KEY", client_key_file),
        client_certificate_file=_config.file_option(
            signal, "CLIENT_CERTIFICATE", client_certificate_file
        ),
        transport=transport,
    )
    core = ExportCore(
        _config.ITEMS[signal], sender, _config.timeout_seconds(signal, timeout), logger=_logger
    )
    return core, json


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
        _transport: Transport | None = None,
        meter_provider: Any = None,
    ) -> None:
        self._compose(
            *http_core(
                _config.TRACES,
                endpoint,
                certificate_file,
                client_key_file,
                client_certificate_file,
                headers,
                timeout,
                compression,
                session,
                protocol,
                _transport,
            ),
            signal=_config.TRACES,
            transport="http",
            meter_provider=meter_provider,
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
        _transport: Transport | None = None,
        meter_provider: Any = None,
    ) -> None:
        self._compose(
            *http_core(
                _config.LOGS,
                endpoint,
                certificate_file,
                client_key_file,
                client_certificate_file,
                headers,
                timeout,
                compression,
                session,
                protocol,
                _transport,
            ),
            signal=_config.LOGS,
            transport="http",
            meter_provider=meter_provider,
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
        _transport: Transport | None = None,
        meter_provider: Any = None,
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        # at most this many data points per request (a collection is split); None: one
        self._max_points = int(max_export_batch_size or 0)
        self._compose(
            *http_core(
                _config.METRICS,
                endpoint,
                certificate_file,
                client_key_file,
                client_certificate_file,
                headers,
                timeout,
                compression,
                session,
                protocol,
                _transport,
            ),
            signal=_config.METRICS,
            transport="http",
            meter_provider=meter_provider,
        )
