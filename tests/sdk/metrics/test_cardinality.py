"""Cardinality limit per stream: default 2000, per view, per reader; overflow series."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from otel import metrics as api_metrics
from otel.sdk.metrics import Counter, Histogram, MeterProvider
from otel.sdk.metrics.export import (
    AggregationTemporality,
    CardinalityLimits,
    ConsoleMetricExporter,
    InMemoryMetricReader,
    InstrumentCardinalityKey,
    MetricReader,
    PeriodicExportingMetricReader,
)
from otel.sdk.metrics.view import View
from otel.testing import data_points

OVERFLOW = {"otel.metric.overflow": True}


def _counter(*readers: InMemoryMetricReader, views: Sequence[View] = ()) -> Any:
    """Counter "c" of a provider that the ``readers`` collect (through ``views``)."""
    provider = MeterProvider(metric_readers=readers, views=views, shutdown_on_exit=False)
    return provider.get_meter("t").create_counter("c")


def test_default_limit_is_2000_series_including_overflow() -> None:
    reader = InMemoryMetricReader()
    counter = _counter(reader)
    for i in range(2500):
        counter.add(1, {"i": i})
    points = data_points(reader, "c")
    assert len(points) == 2000
    overflow = [p for p in points if p.attributes == OVERFLOW]
    assert len(overflow) == 1
    assert overflow[0].value == 2500 - 1999
    assert sum(p.value for p in points) == 2500


def test_view_limit() -> None:
    reader = InMemoryMetricReader()
    view = View(instrument_name="c", aggregation_cardinality_limit=3)
    counter = _counter(reader, views=[view])
    for i in range(5):
        counter.add(1, {"i": i})
    counter.add(1, {"i": 0})  # an existing series is still its own
    points = {tuple(p.attributes.items()): p.value for p in data_points(reader, "c")}
    assert points == {(("i", 0),): 2, (("i", 1),): 1, (("otel.metric.overflow", True),): 3}


def test_reader_limit_per_instrument_kind() -> None:
    reader = InMemoryMetricReader(cardinality_limit={Counter: 2})
    counter = _counter(reader)
    for i in range(4):
        counter.add(1, {"i": i})
    points = data_points(reader, "c")
    assert len(points) == 2
    assert [p.value for p in points if p.attributes == OVERFLOW] == [3]


def test_two_readers_with_different_limits_each_apply_their_own() -> None:
    small = InMemoryMetricReader(cardinality_limit=2)
    large = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=10
    )
    counter = _counter(small, large)
    for i in range(4):
        counter.add(1, {"i": i})
    assert len(data_points(small, "c")) == 2
    assert len(data_points(large, "c")) == 4


def test_delta_overflow_is_per_interval() -> None:
    reader = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=3
    )
    counter = _counter(reader)
    for i in range(3):
        counter.add(1, {"i": i})
    assert len(data_points(reader, "c")) == 3
    counter.add(5, {"i": 0})
    assert [(p.attributes, p.value) for p in data_points(reader, "c")] == [({"i": 0}, 5)]


def test_delta_series_idle_for_two_collections_free_their_slot() -> None:
    reader = InMemoryMetricReader(
        preferred_temporality={Counter: AggregationTemporality.DELTA}, cardinality_limit=3
    )
    counter = _counter(reader)
    counter.add(1, {"user": "a"})
    counter.add(1, {"user": "b"})
    assert len(data_points(reader, "c")) == 2
    reader.get_metrics_data()  # idle once
    reader.get_metrics_data()  # idle twice: forgotten
    counter.add(1, {"user": "c"})
    counter.add(1, {"user": "d"})
    counter.add(2, {"user": "a"})  # back, as a new series of this interval
    points = {p.attributes.get("user"): p.value for p in data_points(reader, "c")}
    assert points == {"c": 1, "d": 1, None: 2}  # limit 3: two series and the overflow


def test_cumulative_totals_survive_a_series_being_forgotten_and_coming_back() -> None:
    reader = InMemoryMetricReader()
    counter = _counter(reader)
    counter.add(5, {"k": "v"})
    first = data_points(reader, "c")[0]
    for _ in range(3):
        data_points(reader, "c")
    counter.add(1, {"k": "v"})
    (point,) = data_points(reader, "c")
    assert point.value == 6
    assert point.start_time_unix_nano == first.start_time_unix_nano


def test_a_cell_updated_after_it_was_retired_is_still_counted() -> None:
    reader = InMemoryMetricReader()
    counter = _counter(reader)
    counter.add(1, {"k": "v"})
    stream = counter._record.__self__  # type: ignore[attr-defined]
    (cell,) = stream._cells.values()
    for _ in range(3):
        data_points(reader, "c")  # the cell is retired now
    assert not stream._cells
    cell.value += 4  # a recorder that fetched the cell before it was retired
    cell.touched = True
    assert data_points(reader, "c")[0].value == 5


# --- the official ``cardinality_limits`` parameter ----------------------------------------


def _series_after_four(reader: InMemoryMetricReader, create: str = "create_counter") -> int:
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    instrument = getattr(provider.get_meter("t"), create)("c")
    record = instrument.add if hasattr(instrument, "add") else instrument.record
    for i in range(4):
        record(1, {"i": i})
    return len(data_points(reader, "c"))


def test_cardinality_limits_is_the_third_positional_argument_of_the_pull_reader() -> None:
    assert _series_after_four(InMemoryMetricReader(None, None, {Counter: 2})) == 2


def test_cardinality_limits_leave_unnamed_instrument_classes_at_the_default() -> None:
    reader = InMemoryMetricReader(cardinality_limits={Histogram: 2})
    assert _series_after_four(reader) == 4


def test_cardinality_limits_accept_the_api_instrument_class() -> None:
    reader = InMemoryMetricReader(cardinality_limits={api_metrics.Counter: 2})
    assert _series_after_four(reader) == 2


def test_cardinality_limits_win_over_cardinality_limit_for_the_class_they_name() -> None:
    reader = InMemoryMetricReader(cardinality_limits={Counter: 3}, cardinality_limit=2)
    assert _series_after_four(reader) == 3


def test_cardinality_limit_still_applies_to_classes_cardinality_limits_omit() -> None:
    reader = InMemoryMetricReader(cardinality_limits={Counter: 3}, cardinality_limit=2)
    assert _series_after_four(reader, "create_histogram") == 2


def test_cardinality_limits_reject_a_key_that_is_not_an_instrument_class() -> None:
    with pytest.raises(ValueError, match="not an instrument class"):
        InMemoryMetricReader(cardinality_limits={int: 5})  # type: ignore[dict-item]


@pytest.mark.parametrize("limit", [0, -1, 2.5, True])
def test_cardinality_limits_reject_a_limit_that_is_not_a_positive_int(limit: Any) -> None:
    with pytest.raises(ValueError, match="positive int"):
        InMemoryMetricReader(cardinality_limits={Counter: limit})


def test_periodic_reader_takes_cardinality_limits_as_fourth_positional_argument() -> None:
    reader = PeriodicExportingMetricReader(
        ConsoleMetricExporter(out=io.StringIO()), math.inf, 1_000, {Counter: 2}
    )
    try:
        assert reader._cardinality_limit_for(Counter("c")) == 2
    finally:
        reader.shutdown()


def test_periodic_reader_keeps_the_cardinality_limit_keyword() -> None:
    reader = PeriodicExportingMetricReader(
        ConsoleMetricExporter(out=io.StringIO()), math.inf, cardinality_limit=7
    )
    try:
        assert reader._cardinality_limit_for(Counter("c")) == 7
    finally:
        reader.shutdown()


class _ComponentReader(InMemoryMetricReader):
    def __init__(self) -> None:
        MetricReader.__init__(self, otel_component_type="periodic_metric_reader")
        self._lock = threading.Lock()
        self._metrics_data = None


def test_metric_reader_accepts_and_ignores_otel_component_type() -> None:
    assert _series_after_four(_ComponentReader()) == 4


def test_cardinality_types_are_exported_for_annotations() -> None:
    limits: CardinalityLimits = {Counter: 10}
    key: InstrumentCardinalityKey = Histogram
    assert limits[Counter] == 10 and key is Histogram


def test_the_recording_side_holds_at_most_limit_series_in_memory() -> None:
    # the memory bound itself, not only the exported output (a reader's own limit would
    # fold extra series away and hide a recording-side off-by-one)
    reader = InMemoryMetricReader()
    view = View(instrument_name="c", aggregation_cardinality_limit=3)
    counter = _counter(reader, views=[view])
    for i in range(50):
        counter.add(1, {"i": i})
    stream = counter._cell_for.__self__  # the one stream behind the counter
    assert len(stream._cells) == 3  # two series of their own + the overflow series
    assert sum(cell.value for cell in stream._cells.values()) == 50


# --- Past the attribute-set cache's cap, known series and overflow take no stream lock. (formerly
# test_robustness_cardinality_cache.py)


LIMIT = 10


def _setup() -> tuple[MeterProvider, InMemoryMetricReader, Any, Any]:
    reader = InMemoryMetricReader(cardinality_limit=LIMIT)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    (registration,) = next(iter(provider._registrations.values()))
    stream = registration.stream
    for i in range(stream._cache_max + 50):  # fill the cache, mostly with overflow sets
        counter.add(1, {"id": i})
    assert len(stream._cache) >= stream._cache_max
    return provider, reader, counter, stream


def _finishes_while_lock_held(stream: Any, call: Any) -> bool:
    finished = threading.Event()

    def run() -> None:
        call()
        finished.set()

    with stream._lock:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        done = finished.wait(2)
    thread.join(5)
    return done


def _values(reader: InMemoryMetricReader) -> dict[Any, Any]:
    data = reader.get_metrics_data()
    assert data is not None
    points = data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points
    return {tuple(sorted(p.attributes.items())): p.value for p in points}  # type: ignore[union-attr]


def test_overflow_beyond_the_cache_cap_takes_no_stream_lock() -> None:
    _, reader, counter, stream = _setup()
    before = _values(reader)[(("otel.metric.overflow", True),)]
    assert _finishes_while_lock_held(stream, lambda: counter.add(5, {"id": "new"}))
    assert _values(reader)[(("otel.metric.overflow", True),)] == before + 5


def test_known_series_not_in_the_cache_takes_no_stream_lock() -> None:
    _, reader, counter, stream = _setup()
    reader.get_metrics_data()
    # {"id": 0} is a series; this dict is uncached but canonicalises to it
    attributes: dict[str, Any] = {"id": 0, "dropped": None}
    assert tuple(attributes.items()) not in stream._cache
    assert _finishes_while_lock_held(stream, lambda: counter.add(7, attributes))
    assert _values(reader)[(("id", 0),)] == 8


def test_totals_stay_exact_past_the_cache_cap() -> None:
    _, reader, _counter, stream = _setup()
    values = _values(reader)
    assert sum(values.values()) == stream._cache_max + 50
    assert len(values) == LIMIT
