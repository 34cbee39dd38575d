"""SDK: a lone callback as ``callbacks=`` is used (with one warning); None timeouts default."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pytest

from otel.metrics import CallbackOptions, Observation
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.testing import point_values


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
