"""OTLP/HTTP metric exporter (its own module: the span exporter does not load the metrics
SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otel.exporter._transport import Transport
from otel.exporter.otlp import _config
from otel.exporter.otlp._http_exporters import compose_http
from otel.exporter.otlp._signals_metrics import MetricExporterBase
from otel.sdk.metrics.export import AggregationTemporality

__all__ = ["OTLPMetricExporter"]


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
        self._init_preferences(preferred_temporality, preferred_aggregation, max_export_batch_size)
        compose_http(self, _config.METRICS, locals())
