"""capture_metrics(): collect what code under test records, through an InMemoryMetricReader."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from otel.metrics._meter import _swap_meter_provider
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import (
    AggregationTemporality,
    InMemoryMetricReader,
    Metric,
    MetricsData,
)
from otel.sdk.metrics.view import View


def metrics_by_name(source: MetricsData | InMemoryMetricReader | None) -> dict[str, Metric]:
    """Every metric in ``source`` by name (first scope that has it).

    ``source`` is a collection (``MetricsData``) or an in-memory reader, which is collected
    now; None (a reader after shutdown) gives ``{}``.
    """
    data = source.get_metrics_data() if isinstance(source, InMemoryMetricReader) else source
    found: dict[str, Metric] = {}
    if data is None:
        return found
    for resource_metrics in data.resource_metrics:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                found.setdefault(metric.name, metric)
    return found


def data_points(source: MetricsData | InMemoryMetricReader | None, name: str) -> list[Any]:
    """The data points of metric ``name`` in ``source`` ([] when absent)."""
    metric = metrics_by_name(source).get(name)
    return [] if metric is None else list(metric.data.data_points)


def point_values(
    source: MetricsData | InMemoryMetricReader | None, name: str
) -> dict[tuple[tuple[str, Any], ...], Any]:
    """``{sorted attribute items: value}`` of metric ``name`` (sums and gauges: ``value``;
    histograms: ``(count, sum)``), the shape most assertions want."""
    values: dict[tuple[tuple[str, Any], ...], Any] = {}
    for point in data_points(source, name):
        key = tuple(sorted(dict(point.attributes or {}).items()))
        value = getattr(point, "value", None)
        values[key] = (point.count, point.sum) if value is None else value
    return values


class CapturedMetrics:
    """A MeterProvider wired to an in-memory reader, with lookup helpers for assertions."""

    def __init__(
        self,
        views: Sequence[View] = (),
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        **provider_kwargs: Any,
    ) -> None:
        self.reader = InMemoryMetricReader(preferred_temporality=preferred_temporality)
        self.meter_provider = MeterProvider(
            metric_readers=[self.reader],
            views=views,
            shutdown_on_exit=False,
            **provider_kwargs,
        )

    def get_meter(self, name: str = "test", version: str | None = None) -> Any:
        return self.meter_provider.get_meter(name, version)

    def collect(self) -> MetricsData | None:
        """Collect now; the MetricsData (None after shutdown)."""
        return self.reader.get_metrics_data()

    def metrics(self) -> dict[str, Metric]:
        """Collect now; every metric by name (first scope that has it)."""
        return metrics_by_name(self.collect())

    def points(self, name: str) -> list[Any]:
        """Collect now; the data points of metric ``name`` ([] when absent)."""
        return data_points(self.collect(), name)

    def values(self, name: str) -> dict[tuple[tuple[str, Any], ...], Any]:
        """Collect now; :func:`point_values` of metric ``name``."""
        return point_values(self.collect(), name)

    def shutdown(self) -> None:
        self.meter_provider.shutdown()


@contextmanager
def capture_metrics(
    views: Sequence[View] = (),
    preferred_temporality: dict[type, AggregationTemporality] | None = None,
    **provider_kwargs: Any,
) -> Iterator[CapturedMetrics]:
    """Within the block, the global MeterProvider records into memory; yields a
    :class:`CapturedMetrics` whose ``metrics()``/``points()`` collect on demand.

    Instruments made through ``otel.metrics.get_meter`` (also before the block, through
    proxies) record into it. On exit the previous global provider is put back and the
    capturing provider shut down. Keyword arguments go to the MeterProvider.
    """
    captured = CapturedMetrics(views, preferred_temporality, **provider_kwargs)
    previous = _swap_meter_provider(captured.meter_provider)
    try:
        yield captured
    finally:
        _swap_meter_provider(previous)
        captured.shutdown()
