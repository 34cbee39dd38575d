"""Observable instruments: cumulative totals, deltas, only observed series."""

from __future__ import annotations

from otel.metrics import Observation
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
