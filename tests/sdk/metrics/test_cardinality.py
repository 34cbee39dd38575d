"""Cardinality limit per stream: default 2000, per view, per reader; overflow series."""

from __future__ import annotations

from typing import Any

from otel.sdk.metrics import Counter, MeterProvider
from otel.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from otel.sdk.metrics.view import View

OVERFLOW = {"otel.metric.overflow": True}


def _points(reader: InMemoryMetricReader) -> list[Any]:
    data = reader.get_metrics_data()
    assert data is not None
    return list(data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points)


def test_default_limit_is_2000_series_including_overflow() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    for i in range(2500):
        counter.add(1, {"i": i})
    points = _points(reader)
    assert len(points) == 2000
    overflow = [p for p in points if p.attributes == OVERFLOW]
    assert len(overflow) == 1
    assert overflow[0].value == 2500 - 1999
    assert sum(p.value for p in points) == 2500


def test_view_limit() -> None:
    reader = InMemoryMetricReader()
    view = View(instrument_name="c", aggregation_cardinality_limit=3)
    provider = MeterProvider(metric_readers=[reader], views=[view], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    for i in range(5):
        counter.add(1, {"i": i})
    counter.add(1, {"i": 0})  # an existing series is still its own
    points = {tuple(p.attributes.items()): p.value for p in _points(reader)}
    assert points == {(("i", 0),): 2, (("i", 1),): 1, (("otel.metric.overflow", True),): 3}


def test_reader_limit_per_instrument_kind() -> None:
    reader = InMemoryMetricReader(cardinality_limit={Counter: 2})
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    for i in range(4):
        counter.add(1, {"i": i})
    points = _points(reader)
    assert len(points) == 2
    assert [p.value for p in points if p.attributes == OVERFLOW] == [3]


def test_two_readers_with_different_limits_each_apply_their_own() -> None:
    small = InMemoryMetricReader(cardinality_limit=2)
    large = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=10
    )
    provider = MeterProvider(metric_readers=[small, large], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    for i in range(4):
        counter.add(1, {"i": i})
    assert len(_points(small)) == 2
    assert len(_points(large)) == 4


def test_delta_overflow_is_per_interval() -> None:
    reader = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=3
    )
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    for i in range(3):
        counter.add(1, {"i": i})
    assert len(_points(reader)) == 3
    counter.add(5, {"i": 0})
    assert [(p.attributes, p.value) for p in _points(reader)] == [({"i": 0}, 5)]


def test_delta_series_idle_for_two_collections_free_their_slot() -> None:
    reader = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=3
    )
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(1, {"user": "a"})
    counter.add(1, {"user": "b"})
    assert len(_points(reader)) == 2
    reader.get_metrics_data()  # idle once
    reader.get_metrics_data()  # idle twice: forgotten
    counter.add(1, {"user": "c"})
    counter.add(1, {"user": "d"})
    counter.add(2, {"user": "a"})  # back, as a new series of this interval
    points = {p.attributes.get("user"): p.value for p in _points(reader)}
    assert points == {"c": 1, "d": 1, None: 2}  # limit 3: two series and the overflow


def test_cumulative_totals_survive_a_series_being_forgotten_and_coming_back() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(5, {"k": "v"})
    first = _points(reader)[0]
    for _ in range(3):
        _points(reader)
    counter.add(1, {"k": "v"})
    (point,) = _points(reader)
    assert point.value == 6
    assert point.start_time_unix_nano == first.start_time_unix_nano


def test_a_cell_updated_after_it_was_retired_is_still_counted() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(1, {"k": "v"})
    stream = counter._record.__self__  # type: ignore[attr-defined]
    (cell,) = stream._cells.values()
    for _ in range(3):
        _points(reader)  # the cell is retired now
    assert not stream._cells
    cell.value += 4  # a recorder that fetched the cell before it was retired
    cell.touched = True
    assert _points(reader)[0].value == 5
