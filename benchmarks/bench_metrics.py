"""Metrics SDK hot path and collection, otel vs the official SDK.

Issue 4 targets: ``counter.add`` and ``histogram.record`` with two attributes at
<= 1/15 of the official cost; collection cost linear in the number of series.
Each case builds a MeterProvider with one InMemoryMetricReader (cumulative, the
default exemplar filter, no active span) and a fresh attribute dict per call, as
application code does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from _harness import Case


def _sdk(prefix: str) -> tuple[Any, Any, Any]:
    if prefix == "otel":
        from otel.metrics import Observation
        from otel.sdk.metrics import MeterProvider
        from otel.sdk.metrics.export import InMemoryMetricReader
    else:
        from opentelemetry.metrics import Observation  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics.export import (  # type: ignore[no-redef]
            InMemoryMetricReader,
        )
    return MeterProvider, InMemoryMetricReader, Observation


def _meter(prefix: str) -> tuple[Any, Any]:
    provider_cls, reader_cls, _ = _sdk(prefix)
    reader = reader_cls()
    provider = provider_cls(metric_readers=[reader], shutdown_on_exit=False)
    return provider.get_meter("bench"), reader


def _counter_add(prefix: str) -> Callable[[], object]:
    meter, _ = _meter(prefix)
    counter = meter.create_counter("http.server.requests")

    def run() -> None:
        counter.add(1, {"route": "/api/users", "code": 200})

    return run


def _histogram_record(prefix: str) -> Callable[[], object]:
    meter, _ = _meter(prefix)
    histogram = meter.create_histogram("http.server.duration", unit="ms")

    def run() -> None:
        histogram.record(12.5, {"route": "/api/users", "code": 200})

    return run


def _exponential_histogram_record(prefix: str) -> Callable[[], object]:
    if prefix == "otel":
        from otel.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
    else:
        from opentelemetry.sdk.metrics.view import (  # type: ignore[no-redef]
            ExponentialBucketHistogramAggregation,
            View,
        )
    provider_cls, reader_cls, _ = _sdk(prefix)
    view = View(instrument_name="*", aggregation=ExponentialBucketHistogramAggregation())
    provider = provider_cls(metric_readers=[reader_cls()], views=[view], shutdown_on_exit=False)
    histogram = provider.get_meter("bench").create_histogram("http.server.duration")
    values = [0.5 + (i * 7919 % 1000) for i in range(1000)]
    index = 0

    def run() -> None:
        nonlocal index
        index = (index + 1) % 1000
        histogram.record(values[index], {"route": "/api/users", "code": 200})

    return run


def _up_down_counter_add(prefix: str) -> Callable[[], object]:
    meter, _ = _meter(prefix)
    up_down = meter.create_up_down_counter("http.server.active_requests")

    def run() -> None:
        up_down.add(-1, {"route": "/api/users", "code": 200})

    return run


def _counter_add_no_attributes(prefix: str) -> Callable[[], object]:
    meter, _ = _meter(prefix)
    counter = meter.create_counter("jobs")

    def run() -> None:
        counter.add(1)

    return run


def _collect_1000_series(prefix: str) -> Callable[[], object]:
    meter, reader = _meter(prefix)
    observation_cls = _sdk(prefix)[2]
    attributes = [{"queue": f"q{i}", "shard": i % 7} for i in range(1000)]

    def callback(options: object) -> list[object]:
        return [observation_cls(i, attrs) for i, attrs in enumerate(attributes)]

    meter.create_observable_gauge("queue.depth", callbacks=[callback])

    def run() -> None:
        reader.get_metrics_data()

    return run


CASES = [
    Case(
        "counter.add(1, {route, code})",
        lambda: _counter_add("otel"),
        lambda: _counter_add("official"),
    ),
    Case(
        "histogram.record(12.5, {route, code})",
        lambda: _histogram_record("otel"),
        lambda: _histogram_record("official"),
    ),
    Case(
        "exponential histogram.record(varied, {route, code})",
        lambda: _exponential_histogram_record("otel"),
        lambda: _exponential_histogram_record("official"),
    ),
    Case(
        "up_down_counter.add(-1, {route, code})",
        lambda: _up_down_counter_add("otel"),
        lambda: _up_down_counter_add("official"),
    ),
    Case(
        "counter.add(1) without attributes",
        lambda: _counter_add_no_attributes("otel"),
        lambda: _counter_add_no_attributes("official"),
    ),
    Case(
        "collect 1,000 series from an observable callback",
        lambda: _collect_1000_series("otel"),
        lambda: _collect_1000_series("official"),
        repeat=5,
        target_seconds=0.5,
    ),
]
