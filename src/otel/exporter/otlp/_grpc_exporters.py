"""OTLP/gRPC exporters (extra ``otel[grpc]``: grpcio is imported when one is created).

Our own protobuf bytes go through a generic unary call, so no generated classes are needed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from otel.exporter._transport import ExportCore
from otel.exporter.otlp import _config
from otel.exporter.otlp._grpc import GrpcSender
from otel.exporter.otlp._signals import SpanExporterBase
from otel.exporter.otlp._signals_logs import LogExporterBase
from otel.exporter.otlp._signals_metrics import MetricExporterBase
from otel.sdk.metrics.export import AggregationTemporality

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]

_logger = logging.getLogger("otel.exporter.otlp")


def grpc_core(
    signal: str,
    endpoint: str | None,
    insecure: bool | None,
    credentials: Any,
    headers: Mapping[str, str] | Sequence[tuple[str, str]] | str | None,
    timeout: float | None,
    compression: Any,
    channel_options: Sequence[tuple[str, Any]] | None,
    certificate_file: str | None,
    client_key_file: str | None,
    client_certificate_file: str | None,
) -> tuple[ExportCore, bool]:
    """``(core, False)`` for one signal; every argument not given comes from the env."""
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
    core = ExportCore(
        _config.ITEMS[signal], sender, _config.timeout_seconds(signal, timeout), logger=_logger
    )
    return core, False


_GRPC_OPTIONS = (
    "endpoint",
    "insecure",
    "credentials",
    "headers",
    "timeout",
    "compression",
    "channel_options",
    "certificate_file",
    "client_key_file",
    "client_certificate_file",
)


def compose_grpc(
    exporter: SpanExporterBase | LogExporterBase | MetricExporterBase,
    signal: str,
    arguments: Mapping[str, Any],
) -> None:
    """Build ``exporter`` for ``signal`` from its constructor's arguments (its ``locals()``)."""
    core = grpc_core(signal, *(arguments[name] for name in _GRPC_OPTIONS))
    exporter._compose(
        *core, signal=signal, transport="grpc", meter_provider=arguments["meter_provider"]
    )


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
        meter_provider: Any = None,
    ) -> None:
        compose_grpc(self, _config.TRACES, locals())


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
        meter_provider: Any = None,
    ) -> None:
        compose_grpc(self, _config.LOGS, locals())


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
        meter_provider: Any = None,
    ) -> None:
        self._init_preferences(preferred_temporality, preferred_aggregation, max_export_batch_size)
        compose_grpc(self, _config.METRICS, locals())
