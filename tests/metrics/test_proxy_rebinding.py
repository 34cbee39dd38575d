"""Proxy meters and instruments follow the global provider: bound, rebound, unbound."""

from __future__ import annotations

from otel import metrics
from otel.metrics._meter import _swap_meter_provider
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader


def _provider() -> tuple[MeterProvider, InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    return MeterProvider(metric_readers=[reader], shutdown_on_exit=False), reader


def _total(reader: InMemoryMetricReader, name: str) -> list[float]:
    data = reader.get_metrics_data()
    if data is None:
        return []
    return [
        point.value
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        for metric in sm.metrics
        if metric.name == name
        for point in metric.data.data_points
    ]


def test_proxy_counter_rebinds_to_each_new_global_provider() -> None:
    counter = metrics.get_meter("lib").create_counter("hits")
    first, first_reader = _provider()
    _swap_meter_provider(first)
    counter.add(1)
    second, second_reader = _provider()
    _swap_meter_provider(second)
    counter.add(2)
    assert _total(first_reader, "hits") == [1]
    assert _total(second_reader, "hits") == [2]


def test_proxy_counter_is_no_op_after_unbinding() -> None:
    counter = metrics.get_meter("lib").create_counter("hits")
    provider, reader = _provider()
    _swap_meter_provider(provider)
    _swap_meter_provider(None)
    counter.add(5)
    assert _total(reader, "hits") == []


def test_proxy_meter_returns_the_same_proxy_for_a_duplicate_instrument() -> None:
    meter = metrics.get_meter("lib")
    assert meter.create_counter("hits") is meter.create_counter("HITS")
    assert metrics.get_meter("lib") is meter
