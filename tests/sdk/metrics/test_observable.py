"""Observable instruments: cumulative totals, deltas, only observed series."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import pytest

from otel.metrics import CallbackOptions, Observation
from otel.sdk.metrics import MeterProvider, ObservableCounter, ObservableUpDownCounter
from otel.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from otel.testing import point_values


def test_observable_counter_cumulative_and_delta() -> None:
    cumulative = InMemoryMetricReader()
    delta = InMemoryMetricReader(
        preferred_temporality={ObservableCounter: AggregationTemporality.DELTA}
    )
    provider = MeterProvider(metric_readers=[cumulative, delta], shutdown_on_exit=False)
    totals = iter([10, 10, 25, 25])
    provider.get_meter("t").create_observable_counter(
        "bytes", callbacks=[lambda options: [Observation(next(totals))]]
    )
    assert point_values(cumulative, "bytes") == {(): 10}
    assert point_values(delta, "bytes") == {(): 10}
    assert point_values(cumulative, "bytes") == {(): 25}
    assert point_values(delta, "bytes") == {(): 15}


def test_only_series_observed_this_round_are_reported() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    rounds = iter(
        [[Observation(1, {"q": "a"}), Observation(2, {"q": "b"})], [Observation(3, {"q": "b"})]]
    )
    provider.get_meter("t").create_observable_gauge("depth", callbacks=[lambda o: next(rounds)])
    assert point_values(reader, "depth") == {(("q", "a"),): 1, (("q", "b"),): 2}
    assert point_values(reader, "depth") == {(("q", "b"),): 3}


def test_observable_up_down_counter_is_non_monotonic() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    instrument = provider.get_meter("t").create_observable_up_down_counter(
        "active", callbacks=[lambda o: [Observation(-3)]]
    )
    assert isinstance(instrument, ObservableUpDownCounter)
    data = reader.get_metrics_data()
    assert data is not None
    metric = data.resource_metrics[0].scope_metrics[0].metrics[0]
    assert metric.data.is_monotonic is False and metric.data.data_points[0].value == -3


def test_thousand_series_from_one_callback() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_observable_gauge(
        "q", callbacks=[lambda o: [Observation(i, {"i": i}) for i in range(1000)]]
    )
    assert len(point_values(reader, "q")) == 1000


# --- Observable callbacks: the collection deadline is checked between callbacks. (formerly
# test_robustness_callback_deadline.py)


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


# --- SDK: a lone callback as ``callbacks=`` is used (with one warning); None timeouts default.
# (formerly test_robustness_callbacks_argument.py)


def _callback(options: CallbackOptions) -> Iterable[Observation]:
    return [Observation(5)]


def test_lone_callable_is_wrapped_and_observed(caplog: pytest.LogCaptureFixture) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    with caplog.at_level(logging.WARNING):
        meter.create_observable_counter("c", callbacks=_callback)  # type: ignore[arg-type]
        meter.create_observable_gauge("g", callbacks=_callback)  # type: ignore[arg-type]
        meter.create_observable_up_down_counter("u", callbacks=_callback)  # type: ignore[arg-type]
    data = reader.get_metrics_data()
    assert data is not None
    metrics = {m.name: m for m in data.resource_metrics[0].scope_metrics[0].metrics}
    assert sorted(metrics) == ["c", "g", "u"]
    assert all(m.data.data_points[0].value == 5 for m in metrics.values())
    assert "single callback" in caplog.text


def test_lone_callable_added_to_an_existing_instrument() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    meter.create_observable_gauge("g")
    meter.create_observable_gauge("g", callbacks=_callback)  # type: ignore[arg-type]
    data = reader.get_metrics_data()
    assert data is not None
    assert data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points[0].value == 5


def test_non_iterable_callbacks_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    with caplog.at_level(logging.WARNING):
        gauge = provider.get_meter("t").create_observable_gauge("g", callbacks=3)  # type: ignore[arg-type]
    assert gauge.name == "g"  # the instrument itself is real and usable
    assert "not a sequence of callbacks" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert point_values(reader, "g") == {}  # nothing observed, nothing failed
    assert caplog.records == []


def test_force_flush_none_timeout_uses_the_default() -> None:
    provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)
    assert provider.force_flush(None) is True  # type: ignore[arg-type]


def test_shutdown_none_timeout_uses_the_default() -> None:
    provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)
    assert provider.shutdown(None) is True  # type: ignore[arg-type]
