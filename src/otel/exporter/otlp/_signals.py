"""What the OTLP span, metric and log exporters share, whatever the transport.

The concrete classes are in ``_http_exporters`` and ``_grpc_exporters``; constructor
parameters follow the official Python exporters and everything not given comes from
``OTEL_EXPORTER_OTLP_*`` (see ``_config``).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from otel.exporter._transport import ExportCore, ExportOutcome, encode_keeping_good
from otel.exporter.otlp import _config, _json
from otel.exporter.otlp._proto._encode_logs import encode_logs
from otel.exporter.otlp._proto._encode_metrics import encode_metrics
from otel.exporter.otlp._proto._encode_trace import encode_spans
from otel.sdk._self_metrics import NO_EXPORT_COUNTS, ExportCounts, NoExportCounts, exporter_counts
from otel.sdk.logs.export import LogExporter, LogExportResult
from otel.sdk.metrics.export import (
    AggregationTemporality,
    MetricExporter,
    MetricExportResult,
    MetricsData,
)
from otel.sdk.trace.export import SpanExporter, SpanExportResult

_logger = logging.getLogger("otel.exporter.otlp")

T = TypeVar("T")


class _Common:
    """Codec choice + export core + self-metric counts, given by the concrete constructor."""

    # otel.sdk.exporter.<signal>.* counts (SDK self-metrics, issue 14)
    _self_metrics: ExportCounts | NoExportCounts = NO_EXPORT_COUNTS

    def _compose(
        self,
        core: ExportCore,
        json: bool,
        *,
        signal: str,
        transport: str,
        meter_provider: Any = None,
    ) -> None:
        self._core = core
        self._json = json
        self._signal = signal
        self._self_metrics_transport = "http_json" if json else transport
        self._self_metrics = exporter_counts(signal, self._self_metrics_transport, meter_provider)

    @property
    def _endpoint(self) -> str:
        return self._core.sender.endpoint

    @property
    def _timeout(self) -> float:
        return self._core.timeout_s

    def _deliver(self, encode: Callable[[], bytes], count: int, timeout_s: float | None) -> bool:
        counts = self._self_metrics
        counts.start(count)
        ok = False
        try:
            ok = self._core.send(encode, count, timeout_s) is ExportOutcome.SUCCESS
            return ok
        except Exception:
            _logger.exception("OTLP %s export failed unexpectedly", self._core.signal)
            return False
        finally:
            counts.done(count, None if ok else "export_failed")

    def _deliver_batch(
        self,
        items: Sequence[T],
        encode_json: Callable[[Sequence[T]], bytes],
        encode_proto: Callable[[Sequence[T]], bytes],
        what: str,
    ) -> bool:
        """Span or log batch: one request, items that cannot be encoded dropped alone."""
        if not items:
            return True
        encode = encode_json if self._json else encode_proto
        return self._deliver(
            lambda: encode_keeping_good(encode, items, what, _logger), len(items), None
        )

    def shutdown(self) -> None:
        self._core.shutdown()


# --------------------------------------------------------------------------- traces


class SpanExporterBase(_Common, SpanExporter):
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        """Send ``spans``; SUCCESS or FAILURE, never an exception."""
        ok = self._deliver_batch(spans, _json.encode_spans, encode_spans, "spans")
        return SpanExportResult.SUCCESS if ok else SpanExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered here


# --------------------------------------------------------------------------- metrics


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


# --------------------------------------------------------------------------- logs


class LogExporterBase(_Common, LogExporter):
    def export(self, batch: Sequence[Any]) -> LogExportResult:
        """Send a batch of LogData; SUCCESS or FAILURE, never an exception."""
        ok = self._deliver_batch(batch, _json.encode_logs, encode_logs, "log records")
        return LogExportResult.SUCCESS if ok else LogExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 10_000) -> bool:
        return True
