"""OTLP/gRPC exporters (extra ``otel[grpc]``: grpcio is imported when one is created).

Our own protobuf bytes go through a generic unary call, so no generated classes are needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otel.exporter.otlp import _config
from otel.exporter.otlp._exporter import ExportCore
from otel.exporter.otlp._grpc import GrpcSender
from otel.exporter.otlp._signals import SpanExporterBase
from otel.exporter.otlp._signals_logs import LogExporterBase
from otel.exporter.otlp._signals_metrics import MetricExporterBase, metric_preferences
from otel.sdk._self_metrics import ExportCounts, NoExportCounts, exporter_counts
from otel.sdk.metrics.export import AggregationTemporality, MetricExporter

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]


class _GrpcExporter:
    """The official OTLP/gRPC span and log constructor, once; ``_signal`` picks the signal.

    Every argument not given comes from ``OTEL_EXPORTER_OTLP_[<SIGNAL>_]*``.
    """

    _signal: str
    _core: ExportCore
    _self_metrics: ExportCounts | NoExportCounts

    def __init__(
        self,
        endpoint: str | None = None,
        insecure: bool | None = None,
        credentials: Any = None,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
        *,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        meter_provider: Any = None,
    ) -> None:
        signal = self._signal
        resolved_headers: Mapping[str, str] | Sequence[tuple[str, str]]
        if headers is None or isinstance(headers, (str, Mapping)):
            resolved_headers = _config.headers(signal, headers)
        else:
            resolved_headers = list(headers)
        sender = GrpcSender(
            signal,
            _config.grpc_endpoint(signal, endpoint),
            insecure=_config.insecure(signal, insecure),
            headers=resolved_headers,
            compression=_config.compression(signal, compression),
            credentials=credentials,
            certificate_file=_config.file_option(signal, "CERTIFICATE", certificate_file),
            client_key_file=_config.file_option(signal, "CLIENT_KEY", client_key_file),
            client_certificate_file=_config.file_option(
                signal, "CLIENT_CERTIFICATE", client_certificate_file
            ),
            channel_options=channel_options,
        )
        self._core = ExportCore(signal, sender, _config.timeout_seconds(signal, timeout))
        self._self_metrics_transport = "grpc"
        self._self_metrics = exporter_counts(signal, "grpc", meter_provider)


class OTLPSpanExporter(_GrpcExporter, SpanExporterBase):
    """Spans over OTLP/gRPC (needs ``otel[grpc]``)."""

    _signal = _config.TRACES


class OTLPLogExporter(_GrpcExporter, LogExporterBase):
    """Log records over OTLP/gRPC (needs ``otel[grpc]``)."""

    _signal = _config.LOGS


class OTLPMetricExporter(_GrpcExporter, MetricExporterBase):
    """Metrics over OTLP/gRPC (needs ``otel[grpc]``)."""

    _signal = _config.METRICS

    def __init__(
        self,
        endpoint: str | None = None,
        insecure: bool | None = None,
        credentials: Any = None,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Any] | None = None,
        max_export_batch_size: int | None = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
        *,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        meter_provider: Any = None,
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        self._max_points = int(max_export_batch_size or 0)
        _GrpcExporter.__init__(
            self,
            endpoint,
            insecure,
            credentials,
            headers,
            timeout,
            compression,
            channel_options,
            certificate_file=certificate_file,
            client_key_file=client_key_file,
            client_certificate_file=client_certificate_file,
            meter_provider=meter_provider,
        )
