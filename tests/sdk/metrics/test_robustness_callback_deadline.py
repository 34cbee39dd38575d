"""Observable callbacks: the collection deadline is checked between callbacks."""

from __future__ import annotations

import time
from collections.abc import Iterable

from otel.metrics import CallbackOptions, Observation
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader


def test_slow_callbacks_make_force_flush_return_false_at_the_deadline() -> None:
    calls: list[float] = []

    def slow(options: CallbackOptions) -> Iterable[Observation]:
        calls.append(options.timeout_millis)
        time.sleep(0.4)
        return [Observation(1)]

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    for name in ("a", "b", "c", "d"):
        meter.create_observable_gauge(name, callbacks=[slow])
    start = time.monotonic()
    assert provider.force_flush(300) is False
    assert time.monotonic() - start < 1.0
    assert len(calls) == 1


def test_callbacks_of_one_instrument_stop_at_the_deadline() -> None:
    calls: list[float] = []

    def slow(options: CallbackOptions) -> Iterable[Observation]:
        calls.append(options.timeout_millis)
        time.sleep(0.4)
        return [Observation(1)]

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_observable_gauge("g", callbacks=[slow, slow, slow])
    assert provider.force_flush(300) is False
    assert len(calls) == 1


def test_each_callback_is_told_the_remaining_budget() -> None:
    budgets: list[float] = []

    def slow(options: CallbackOptions) -> Iterable[Observation]:
        budgets.append(options.timeout_millis)
        time.sleep(0.05)
        return []

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_observable_gauge("g", callbacks=[slow, slow])
    assert provider.force_flush(5_000) is True
    assert budgets[1] < budgets[0] <= 5_000


def test_fast_callbacks_flush_true() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_observable_gauge("g", callbacks=[lambda o: [Observation(2)]])
    assert provider.force_flush(5_000) is True
