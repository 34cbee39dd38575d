"""What the OTLP metric exporters share (apart from ``_signals``, so that a span exporter
does not load the metrics SDK)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from otel.exporter.otlp import _config, _json
from otel.exporter.otlp._proto._encode_metrics import encode_metrics
from otel.exporter.otlp._signals import _Common, _logger
from otel.sdk._self_metrics import exporter_counts
from otel.sdk.metrics.export import (
    AggregationTemporality,
    MetricExporter,
    MetricExportResult,
    MetricsData,
)


def metric_preferences(
    preferred_temporality: dict[type, AggregationTemporality] | None,
    preferred_aggregation: dict[type, Any] | None,
) -> tuple[dict[type, AggregationTemporality], dict[type, Any]]:
    """Temporality and aggregation per instrument class: environment, then arguments."""
    from otel.sdk import metrics as sdk_metrics

    plan = _config.temporality_plan(_config.temporality_preference_name())
    temporality: dict[type, AggregationTemporality] = {}
    for name, choice in plan.items():
        cls = getattr(sdk_metrics, name, None)
        if isinstance(cls, type):
            temporality[cls] = (
                AggregationTemporality.DELTA
                if choice == "delta"
                else AggregationTemporality.CUMULATIVE
            )
    if preferred_temporality:
        temporality.update(preferred_temporality)
    aggregation: dict[type, Any] = {}
    if _config.histogram_aggregation_name() == "base2_exponential_bucket_histogram":
        from otel.sdk.metrics.view import ExponentialBucketHistogramAggregation

        histogram = getattr(sdk_metrics, "Histogram", None)
        if isinstance(histogram, type):
            aggregation[histogram] = ExponentialBucketHistogramAggregation()
    if preferred_aggregation:
        aggregation.update(preferred_aggregation)
    return temporality, aggregation


def _count_points(metrics_data: MetricsData) -> int:
    return sum(
        len(m.data.data_points)
        for rm in metrics_data.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
    )


def split_metrics_data(metrics_data: MetricsData, max_points: int) -> list[MetricsData]:
    """Split into pieces of at most ``max_points`` data points, keeping the hierarchy."""
    if max_points <= 0 or _count_points(metrics_data) <= max_points:
        return [metrics_data]
    batches: list[MetricsData] = []
    current: list[Any] = []  # ResourceMetrics being filled
    room = max_points

    def flush() -> None:
        nonlocal current, room
        if current:
            batches.append(dataclasses.replace(metrics_data, resource_metrics=current))
        current = []
        room = max_points

    for rm in metrics_data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                data: Any = metric.data
                points = list(data.data_points)
                while points:
                    take, points = points[:room], points[room:]
                    piece = dataclasses.replace(
                        metric, data=dataclasses.replace(data, data_points=take)
                    )
                    if not current or current[-1].resource is not rm.resource:
                        current.append(dataclasses.replace(rm, scope_metrics=[]))
                    last_rm = current[-1]
                    if not last_rm.scope_metrics or last_rm.scope_metrics[-1].scope is not sm.scope:
                        last_rm.scope_metrics.append(dataclasses.replace(sm, metrics=[]))
                    last_rm.scope_metrics[-1].metrics.append(piece)
                    room -= len(take)
                    if room == 0:
                        flush()
    flush()
    return batches


class MetricExporterBase(_Common, MetricExporter):
    _max_points = 0

    def _init_preferences(
        self,
        preferred_temporality: dict[type, AggregationTemporality] | None,
        preferred_aggregation: dict[type, Any] | None,
        max_export_batch_size: int | None,
    ) -> None:
        temporality, aggregation = metric_preferences(preferred_temporality, preferred_aggregation)
        MetricExporter.__init__(self, temporality, aggregation)
        # at most this many data points per request (a collection is split); None: one
        self._max_points = int(max_export_batch_size or 0)

    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> MetricExportResult:
        """Send one collection; SUCCESS or FAILURE, never an exception."""
        try:
            pieces = split_metrics_data(metrics_data, self._max_points)
        except Exception:
            _logger.exception("Could not split metrics for export")
            return MetricExportResult.FAILURE
        encode = _json.encode_metrics if self._json else encode_metrics
        timeout_s = timeout_millis / 1000.0 if timeout_millis else None
        ok = True
        for piece in pieces:
            count = _count_points(piece)
            if not count:
                continue
            ok = self._deliver(functools.partial(encode, piece), count, timeout_s) and ok
        return MetricExportResult.SUCCESS if ok else MetricExportResult.FAILURE

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return True

    def set_meter_provider(self, meter_provider: Any) -> None:
        """Report this exporter's self-metrics through ``meter_provider`` (official name)."""
        self._self_metrics = exporter_counts(
            self._signal, self._self_metrics_transport, meter_provider
        )

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self._core.shutdown()
