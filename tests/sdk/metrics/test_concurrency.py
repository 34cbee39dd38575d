"""8 threads recording at once give exact totals (no lost update)."""

from __future__ import annotations

import logging
import numbers
import threading
from collections.abc import Callable
from typing import Any

import pytest

from otel.sdk.metrics import Counter, MeterProvider
from otel.sdk.metrics._instrument import Counter as SdkCounter
from otel.sdk.metrics._instrument import Histogram as SdkHistogram
from otel.sdk.metrics._instrument import UpDownCounter as SdkUpDownCounter
from otel.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from otel.testing import point_values

THREADS = 8
PER_THREAD = 20_000


pytestmark = pytest.mark.usefixtures("tiny_switch_interval")


def _workers(target: Callable[[int], object]) -> list[Callable[[], None]]:
    """THREADS workers that start together, each calling ``target(i)`` PER_THREAD times."""
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        barrier.wait()
        for i in range(PER_THREAD):
            target(i)

    return [worker] * THREADS


def _run(target: Callable[[int], object]) -> None:
    threads = [threading.Thread(target=worker) for worker in _workers(target)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_counter_and_histogram_totals_are_exact() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    counter = meter.create_counter("c")
    histogram = meter.create_histogram("h")

    def record(i: int) -> None:
        counter.add(1, {"k": i % 3})
        histogram.record(i % 10, {"k": i % 3})

    _run(record)
    data = reader.get_metrics_data()
    assert data is not None
    metrics = {m.name: m for m in data.resource_metrics[0].scope_metrics[0].metrics}
    assert sum(p.value for p in metrics["c"].data.data_points) == THREADS * PER_THREAD
    points = metrics["h"].data.data_points
    assert sum(p.count for p in points) == THREADS * PER_THREAD
    assert sum(sum(p.bucket_counts) for p in points) == THREADS * PER_THREAD
    assert sum(p.sum for p in points) == THREADS * sum(i % 10 for i in range(PER_THREAD))


def test_delta_collections_during_recording_lose_nothing(collect_during: Any) -> None:
    reader = InMemoryMetricReader(preferred_temporality={Counter: AggregationTemporality.DELTA})
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    total = 0

    def collect_once() -> None:
        nonlocal total
        data = reader.get_metrics_data()
        if data and data.resource_metrics[0].scope_metrics:
            total += sum(
                p.value
                for p in data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points
            )

    collect_during(collect_once, _workers(lambda i: counter.add(1, {"k": i % 2})))
    assert total == THREADS * PER_THREAD


# --- Values that are int/float subclasses (Python-level arithmetic) are coerced on entry. (formerly
# test_robustness_number_subclass.py)
#
# The lock-free record path relies on ``cell.value += amount`` being one C-level operation
# under the GIL; a subclass with a Python ``__add__`` could switch threads in the middle and
# lose updates. These tests hammer the path with such values from 8 threads while another
# thread collects, with a tiny switch interval, and check the totals are exact.


class SlowInt(int):
    def __add__(self, other: Any) -> Any:
        sum(range(5))  # Python code: a thread switch may happen here
        return int(self) + other

    __radd__ = __add__


class SlowFloat(float):
    def __add__(self, other: Any) -> Any:
        sum(range(5))
        return float(self) + other

    __radd__ = __add__


SUBCLASS_THREADS = 8
SUBCLASS_PER_THREAD = 3000


def _delta_reader() -> InMemoryMetricReader:
    delta = AggregationTemporality.DELTA
    return InMemoryMetricReader(
        preferred_temporality={
            SdkCounter: delta,
            SdkUpDownCounter: delta,
            SdkHistogram: delta,
        }
    )


def _totals(reader: InMemoryMetricReader, into: dict[str, float]) -> None:
    data = reader.get_metrics_data()
    if data is None:
        return
    for scope_metrics in data.resource_metrics[0].scope_metrics:
        for metric in scope_metrics.metrics:
            for point in metric.data.data_points:
                value = point.sum if metric.name == "h" else point.value  # type: ignore[union-attr]
                into[metric.name] = into.get(metric.name, 0) + value
                if metric.name == "h":
                    into["h.count"] = into.get("h.count", 0) + point.count  # type: ignore[union-attr]


@pytest.mark.parametrize("subclasses", [True, False], ids=["subclass-values", "plain-values"])
def test_values_from_many_threads_give_exact_totals(
    tiny_switch_interval: None, collect_during: Any, subclasses: bool
) -> None:
    reader = _delta_reader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    counter = meter.create_counter("c")
    up_down = meter.create_up_down_counter("u")
    histogram = meter.create_histogram("h")
    attributes = {"k": "v"}
    totals: dict[str, float] = {}

    def record() -> None:
        one, half = (SlowInt(1), SlowFloat(0.5)) if subclasses else (1, 0.5)
        for _ in range(SUBCLASS_PER_THREAD):
            counter.add(one, attributes)
            up_down.add(one, attributes)
            histogram.record(half, attributes)

    collect_during(lambda: _totals(reader, totals), [record] * SUBCLASS_THREADS)
    assert totals["c"] == SUBCLASS_THREADS * SUBCLASS_PER_THREAD
    assert totals["u"] == SUBCLASS_THREADS * SUBCLASS_PER_THREAD
    assert totals["h.count"] == SUBCLASS_THREADS * SUBCLASS_PER_THREAD
    assert totals["h"] == SUBCLASS_THREADS * SUBCLASS_PER_THREAD * 0.5


def test_recorded_value_is_stored_as_an_exact_type() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    meter.create_counter("c").add(SlowInt(2))
    meter.create_gauge("g").set(SlowFloat(1.5))
    data = reader.get_metrics_data()
    assert data is not None
    values = {
        m.name: m.data.data_points[0].value
        for m in data.resource_metrics[0].scope_metrics[0].metrics
    }  # type: ignore[union-attr]
    assert type(values["c"]) is int and values["c"] == 2
    assert type(values["g"]) is float and values["g"] == 1.5


class _SelfInt(int):
    def __int__(self) -> int:
        return self  # a non-exact int from __int__: DeprecationWarning (an error in tests)


class _BrokenIntegral:
    def __int__(self) -> int:
        raise RuntimeError("no")

    def __float__(self) -> float:
        raise RuntimeError("no")


numbers.Integral.register(_BrokenIntegral)


@pytest.mark.parametrize("value", [_SelfInt(3), _BrokenIntegral()])
def test_a_number_that_fails_to_convert_is_dropped_with_a_warning(
    value: object, caplog: pytest.LogCaptureFixture
) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    with caplog.at_level(logging.WARNING, "otel"):
        meter.create_counter("c").add(value)  # type: ignore[arg-type]
        meter.create_up_down_counter("u").add(value)  # type: ignore[arg-type]
        meter.create_histogram("h").record(value)  # type: ignore[arg-type]
        meter.create_gauge("g").set(value)  # type: ignore[arg-type]
    for name in ("c", "u", "h", "g"):
        assert point_values(reader, name) == {}, name  # nothing recorded, not a wrong 0
    dropped = [r for r in caplog.records if "Dropped measurement" in r.getMessage()]
    assert len(dropped) == 4  # one warning per instrument
