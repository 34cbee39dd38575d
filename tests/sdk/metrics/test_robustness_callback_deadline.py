"""Observable callbacks: the collection deadline is checked between callbacks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from otel.metrics import CallbackOptions, Observation
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader

_Callback = Callable[[CallbackOptions], Iterable[Observation]]


def _sleeping(budgets: list[float], seconds: float, observations: list[Observation]) -> _Callback:
    """A callback that notes the budget it was told, sleeps, then reports ``observations``."""

    def callback(options: CallbackOptions) -> Iterable[Observation]:
        budgets.append(options.timeout_millis)
        time.sleep(seconds)
        return observations

    return callback


def _provider(gauges: dict[str, list[_Callback]]) -> MeterProvider:
    """A provider with one observable gauge per entry (name: its callbacks)."""
    provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    for name, callbacks in gauges.items():
        meter.create_observable_gauge(name, callbacks=callbacks)
    return provider


def test_slow_callbacks_make_force_flush_return_false_at_the_deadline() -> None:
    calls: list[float] = []
    slow = _sleeping(calls, 0.4, [Observation(1)])
    provider = _provider({name: [slow] for name in ("a", "b", "c", "d")})
    start = time.monotonic()
    assert provider.force_flush(300) is False
    assert time.monotonic() - start < 1.0
    assert len(calls) == 1


def test_callbacks_of_one_instrument_stop_at_the_deadline() -> None:
    calls: list[float] = []
    slow = _sleeping(calls, 0.4, [Observation(1)])
    provider = _provider({"g": [slow, slow, slow]})
    assert provider.force_flush(300) is False
    assert len(calls) == 1


def test_each_callback_is_told_the_remaining_budget() -> None:
    budgets: list[float] = []
    slow = _sleeping(budgets, 0.05, [])
    provider = _provider({"g": [slow, slow]})
    assert provider.force_flush(5_000) is True
    assert budgets[1] < budgets[0] <= 5_000


def test_fast_callbacks_flush_true() -> None:
    provider = _provider({"g": [lambda o: [Observation(2)]]})
    assert provider.force_flush(5_000) is True
