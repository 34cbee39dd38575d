"""8 threads recording at once give exact totals (no lost update)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from otel.sdk.metrics import Counter, MeterProvider
from otel.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader

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
