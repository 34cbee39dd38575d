"""The metrics API: no-ops without an SDK, the proxy that binds once a provider is set."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

import pytest

from otel import metrics
from otel.metrics import CallbackOptions, Observation, _meter
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader


@pytest.fixture(autouse=True)
def _fresh_globals() -> Iterator[None]:
    _meter._reset_globals()
    yield
    _meter._reset_globals()


def _values(reader: InMemoryMetricReader) -> dict[str, object]:
    data = reader.get_metrics_data()
    assert data is not None
    out: dict[str, object] = {}
    for sm in data.resource_metrics[0].scope_metrics:
        for metric in sm.metrics:
            out[metric.name] = [getattr(p, "value", None) for p in metric.data.data_points]
    return out


def test_no_op_meter_instruments_accept_everything() -> None:
    meter = metrics.NoOpMeterProvider().get_meter("x")
    meter.create_counter("c").add(1, {"a": 1})
    meter.create_up_down_counter("u").add(-1)
    meter.create_histogram("h", explicit_bucket_boundaries_advisory=[1.0]).record(1)
    meter.create_gauge("g").set(1)
    meter.create_observable_gauge("o", callbacks=[lambda o: []])


def test_meter_before_provider_binds_once_a_provider_is_set() -> None:
    meter = metrics.get_meter("early", "1.0")
    counter = meter.create_counter("c")
    histogram = meter.create_histogram("h")
    gauge = meter.create_gauge("g")
    updown = meter.create_up_down_counter("u")
    meter.create_observable_counter("oc", callbacks=[lambda o: [metrics.Observation(4)]])
    counter.add(100)  # before the SDK: dropped
    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader], shutdown_on_exit=False))
    counter.add(1)
    histogram.record(2)
    gauge.set(3)
    updown.add(-1)
    late = meter.create_counter("late")
    late.add(5)
    values = _values(reader)
    assert values["c"] == [1] and values["g"] == [3] and values["u"] == [-1]
    assert values["late"] == [5] and values["oc"] == [4]
    assert "h" in values


def test_set_meter_provider_only_once(caplog: pytest.LogCaptureFixture) -> None:
    first = MeterProvider(shutdown_on_exit=False)
    metrics.set_meter_provider(first)
    with caplog.at_level(logging.WARNING):
        metrics.set_meter_provider(MeterProvider(shutdown_on_exit=False))
    assert metrics.get_meter_provider() is first
    assert "not allowed" in caplog.text


def test_get_meter_with_explicit_provider_and_scope() -> None:
    provider = MeterProvider(shutdown_on_exit=False)
    meter = metrics.get_meter("lib", "2.0", provider, "https://schema", {"a": 1})
    assert (meter.name, meter.version, meter.schema_url) == ("lib", "2.0", "https://schema")
    assert provider.get_meter("lib", "2.0", "https://schema", {"a": 1}) is meter


def test_sdk_disabled_gives_no_op_meters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    meter = MeterProvider(shutdown_on_exit=False).get_meter("x")
    assert isinstance(meter, metrics.NoOpMeter)


def test_observation_and_callback_options() -> None:
    observation = metrics.Observation(1.5, {"k": "v"})
    assert (observation.value, observation.attributes) == (1.5, {"k": "v"})
    assert metrics.CallbackOptions().timeout_millis == 10_000


def test_bound_proxy_calls_the_sdk_instrument_directly() -> None:
    counter = metrics.get_meter("early").create_counter("c")
    metrics.set_meter_provider(MeterProvider(shutdown_on_exit=False))
    assert type(counter.add.__self__).__module__ == "otel.sdk.metrics._instrument"  # type: ignore[attr-defined]


# --- A lone callback function passed as ``callbacks=`` never raises from the API. (formerly
# test_robustness_callbacks_argument.py)


def _callback(options: CallbackOptions) -> Iterable[Observation]:
    return [Observation(1)]


@pytest.mark.parametrize(
    "create",
    ["create_observable_counter", "create_observable_up_down_counter", "create_observable_gauge"],
)
def test_lone_callable_is_accepted_by_the_api_meter(create: str) -> None:
    meter = metrics.get_meter("t")
    instrument = getattr(meter, create)("x", callbacks=_callback)
    assert instrument is not None


def test_non_iterable_callbacks_are_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    meter = metrics.NoOpMeter("t")
    with caplog.at_level(logging.WARNING, logger="otel.metrics"):
        meter.create_observable_gauge("x", callbacks=42)  # type: ignore[arg-type]
    assert "callbacks" in caplog.text
