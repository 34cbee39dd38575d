"""MeterProvider readers: official positional order, readers added and removed at run time."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from otel.sdk.metrics import (
    AlwaysOffExemplarFilter,
    Counter,
    Exemplar,
    Histogram,
    MeterProvider,
)
from otel.sdk.metrics import export as sdk_export
from otel.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from otel.sdk.metrics.view import SumAggregation, View
from otel.sdk.resources import Resource


def _sums(reader: InMemoryMetricReader) -> dict[str, Any]:
    data = reader.get_metrics_data()
    out: dict[str, Any] = {}
    if data is None:
        return out
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                out[metric.name] = sum(p.value for p in metric.data.data_points)
    return out


def _provider(*readers: InMemoryMetricReader) -> MeterProvider:
    return MeterProvider(metric_readers=list(readers), shutdown_on_exit=False)


def test_positional_arguments_follow_the_official_order() -> None:
    reader = InMemoryMetricReader()
    resource = Resource.create({"service.name": "positional"})
    exemplar_filter = AlwaysOffExemplarFilter()
    view = View(instrument_name="c", name="renamed")
    provider = MeterProvider([reader], resource, exemplar_filter, False, [view])
    provider.get_meter("t").create_counter("c").add(2)
    assert provider.resource is resource
    assert provider._exemplar_filter is exemplar_filter
    assert provider._atexit is None  # shutdown_on_exit=False
    assert _sums(reader) == {"renamed": 2}


def test_keyword_arguments_still_bind_in_any_order() -> None:
    reader = InMemoryMetricReader()
    view = View(instrument_name="c", name="renamed")
    provider = MeterProvider(
        views=[view], shutdown_on_exit=False, exemplar_filter=None, metric_readers=[reader]
    )
    provider.get_meter("t").create_counter("c").add(1)
    assert _sums(reader) == {"renamed": 1}


def test_exemplar_is_importable_from_sdk_metrics() -> None:
    assert Exemplar is sdk_export.Exemplar


def test_added_reader_sees_instruments_created_before_it() -> None:
    first = InMemoryMetricReader()
    provider = _provider(first)
    counter = provider.get_meter("t").create_counter("c")
    late = InMemoryMetricReader()
    provider.add_metric_reader(late)
    counter.add(3)
    assert _sums(late) == {"c": 3}


def test_added_reader_does_not_see_measurements_made_before_it() -> None:
    first = InMemoryMetricReader()
    provider = _provider(first)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(5)
    late = InMemoryMetricReader()
    provider.add_metric_reader(late)
    counter.add(1)
    assert _sums(late) == {"c": 1}


def test_adding_a_reader_keeps_the_existing_readers_totals() -> None:
    first = InMemoryMetricReader()
    provider = _provider(first)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(5)
    provider.add_metric_reader(InMemoryMetricReader())
    counter.add(1)
    assert _sums(first) == {"c": 6}


def test_added_reader_sees_instruments_created_after_it() -> None:
    provider = _provider()
    late = InMemoryMetricReader()
    provider.add_metric_reader(late)
    provider.get_meter("t").create_histogram("h").record(4)
    data = late.get_metrics_data()
    assert data is not None
    point = data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points[0]
    assert (point.count, point.sum) == (1, 4)


def test_added_reader_gets_its_own_temporality() -> None:
    cumulative = InMemoryMetricReader()
    provider = _provider(cumulative)
    counter = provider.get_meter("t").create_counter("c")
    delta = InMemoryMetricReader(preferred_temporality={Counter: AggregationTemporality.DELTA})
    provider.add_metric_reader(delta)
    counter.add(2)
    assert _sums(delta) == {"c": 2}
    counter.add(2)
    assert _sums(delta) == {"c": 2}
    assert _sums(cumulative) == {"c": 4}


def test_added_reader_with_another_aggregation_gets_its_own_stream() -> None:
    first = InMemoryMetricReader()
    provider = _provider(first)
    histogram = provider.get_meter("t").create_histogram("h")
    as_sum = InMemoryMetricReader(preferred_aggregation={Histogram: SumAggregation()})
    provider.add_metric_reader(as_sum)
    histogram.record(3)
    histogram.record(4)
    assert _sums(as_sum) == {"h": 7}
    data = first.get_metrics_data()
    assert data is not None
    assert data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points[0].count == 2


def test_adding_a_registered_reader_again_is_logged_and_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reader = InMemoryMetricReader()
    provider = _provider(reader)
    counter = provider.get_meter("t").create_counter("c")
    with caplog.at_level(logging.WARNING, logger="otel.sdk.metrics"):
        provider.add_metric_reader(reader)
    counter.add(1)
    assert "registered already" in caplog.text
    assert _sums(reader) == {"c": 1}  # still one state: the value is not doubled


def test_a_reader_of_another_provider_is_not_added(caplog: pytest.LogCaptureFixture) -> None:
    reader = InMemoryMetricReader()
    owner = _provider(reader)
    other = _provider()
    with caplog.at_level(logging.WARNING, logger="otel.sdk.metrics"):
        other.add_metric_reader(reader)
    other.get_meter("t").create_counter("other").add(1)
    owner.get_meter("t").create_counter("own").add(1)
    assert "registered already" in caplog.text
    assert _sums(reader) == {"own": 1}


def test_removed_reader_collects_nothing_more() -> None:
    reader = InMemoryMetricReader()
    provider = _provider(reader)
    counter = provider.get_meter("t").create_counter("c")
    provider.remove_metric_reader(reader)
    counter.add(1)
    assert reader.get_metrics_data() is None


def test_removed_reader_is_shut_down() -> None:
    reader = InMemoryMetricReader()
    calls: list[float] = []
    original = reader.shutdown

    def shutdown(timeout_millis: float = 30_000, **kwargs: Any) -> None:
        calls.append(timeout_millis)
        original(timeout_millis)

    reader.shutdown = shutdown  # type: ignore[method-assign]
    provider = _provider(reader)
    provider.remove_metric_reader(reader)
    assert len(calls) == 1


def test_other_readers_keep_collecting_after_one_is_removed() -> None:
    kept, removed = InMemoryMetricReader(), InMemoryMetricReader()
    provider = _provider(kept, removed)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(1)
    provider.remove_metric_reader(removed)
    counter.add(2)
    assert _sums(kept) == {"c": 3}


def test_instrument_of_only_a_removed_reader_records_into_nothing() -> None:
    reader = InMemoryMetricReader()
    provider = _provider(reader)
    counter = provider.get_meter("t").create_counter("c")
    provider.remove_metric_reader(reader)
    counter.add(1)  # no stream left: must not raise
    assert counter._fast_cache is None  # type: ignore[attr-defined]


def test_removing_an_unregistered_reader_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    provider = _provider()
    with caplog.at_level(logging.WARNING, logger="otel.sdk.metrics"):
        provider.remove_metric_reader(InMemoryMetricReader())
    assert "has not been registered" in caplog.text


def test_a_removed_reader_can_be_added_again() -> None:
    reader = InMemoryMetricReader()
    provider = _provider(reader)
    counter = provider.get_meter("t").create_counter("c")
    counter.add(1)
    provider.remove_metric_reader(reader)
    fresh = InMemoryMetricReader()
    provider.add_metric_reader(fresh)
    counter.add(2)
    assert _sums(fresh) == {"c": 2}


def test_adding_a_reader_after_shutdown_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    provider = _provider()
    provider.shutdown()
    reader = InMemoryMetricReader()
    with caplog.at_level(logging.WARNING, logger="otel.sdk.metrics"):
        provider.add_metric_reader(reader)
    assert "shut down" in caplog.text
    assert reader.get_metrics_data() is None


def test_readers_added_and_removed_while_threads_record() -> None:
    steady = InMemoryMetricReader()
    provider = _provider(steady)
    counter = provider.get_meter("t").create_counter("c")
    stop = threading.Event()
    counts = [0] * 4

    def work(index: int) -> None:
        while not stop.is_set():
            counter.add(1, {"w": index % 2})
            counts[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(50):
            extra = InMemoryMetricReader()
            provider.add_metric_reader(extra)
            extra.get_metrics_data()
            provider.remove_metric_reader(extra)
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)
    assert _sums(steady) == {"c": sum(counts)}
