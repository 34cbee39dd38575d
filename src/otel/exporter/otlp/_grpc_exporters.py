"""OTLP/gRPC exporters (extra ``otel[grpc]``: grpcio is imported when one is created).

Our own protobuf bytes go through a generic unary call, so no generated classes are needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from otel.exporter.otlp import _config
from otel.exporter.otlp._signals import (
    LogExporterBase,
    MetricExporterBase,
    SpanExporterBase,
    grpc_core,
    metric_preferences,
)
from otel.sdk.metrics.export import AggregationTemporality, MetricExporter

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]


class OTLPSpanExporter(SpanExporterBase):
    """Spans over OTLP/gRPC (needs ``otel[grpc]``)."""

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
    ) -> None:
        self._core = grpc_core(
            _config.TRACES,
            endpoint,
            insecure,
            credentials,
            headers,
            timeout,
            compression,
            channel_options,
            certificate_file,
            client_key_file,
            client_certificate_file,
        )


class OTLPMetricExporter(MetricExporterBase):
    """Metrics over OTLP/gRPC (needs ``otel[grpc]``)."""

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
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        self._max_points = int(max_export_batch_size or 0)
        self._core = grpc_core(
            _config.METRICS,
            endpoint,
            insecure,
            credentials,
            headers,
            timeout,
            compression,
            channel_options,
            certificate_file,
            client_key_file,
            client_certificate_file,
        )


class OTLPLogExporter(LogExporterBase):
    """Log records over OTLP/gRPC (needs ``otel[grpc]``)."""

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
    ) -> None:
        self._core = grpc_core(
            _config.LOGS,
            endpoint,
            insecure,
            credentials,
            headers,
            timeout,
            compression,
            channel_options,
            certificate_file,
            client_key_file,
            client_certificate_file,
        )
