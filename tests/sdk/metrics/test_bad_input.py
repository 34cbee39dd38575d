"""Bad input is dropped with one warning, never raised; a raising callback is contained."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from otel.metrics import CallbackOptions, NoOpCounter, Observation
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.testing import metrics_by_name


def _setup() -> tuple[Any, InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    return provider.get_meter("t"), reader


def test_negative_and_non_number_counter_amounts_are_dropped_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    meter, reader = _setup()
    counter = meter.create_counter("c")
    with caplog.at_level(logging.WARNING, logger="otel.sdk.metrics"):
        counter.add(-1)
        counter.add("3")  # type: ignore[arg-type]
        counter.add(float("nan"))
        counter.add(None)  # type: ignore[arg-type]
        counter.add(2)
    assert [p.value for p in metrics_by_name(reader)["c"].data.data_points] == [2]
    assert len([r for r in caplog.records if "Dropped measurement" in r.message]) == 1


def test_histogram_rejects_negative_and_infinite_values() -> None:
    meter, reader = _setup()
    histogram = meter.create_histogram("h")
    histogram.record(-5)
    histogram.record(float("inf"))
    histogram.record(1)
    assert metrics_by_name(reader)["h"].data.data_points[0].count == 1


def test_numeric_subclasses_are_accepted() -> None:
    from fractions import Fraction

    meter, reader = _setup()
    counter = meter.create_counter("c")
    counter.add(Fraction(1, 2))  # type: ignore[arg-type]
    counter.add(True)  # bool is not a number here
    assert [p.value for p in metrics_by_name(reader)["c"].data.data_points] == [0.5]


def test_invalid_attribute_is_dropped_and_the_measurement_kept() -> None:
    meter, reader = _setup()
    counter = meter.create_counter("c")
    counter.add(1, {"ok": "yes", "bad": {"nested": 1}})  # type: ignore[dict-item]
    counter.add(1, {"list": [1, 2]})
    counter.add(1, ["not", "a", "mapping"])  # type: ignore[arg-type]
    points = metrics_by_name(reader)["c"].data.data_points
    assert {tuple(p.attributes.items()): p.value for p in points} == {
        (("ok", "yes"),): 1,
        (("list", (1, 2)),): 1,
        (): 1,
    }


def test_invalid_instrument_name_gives_a_no_op(caplog: pytest.LogCaptureFixture) -> None:
    meter, reader = _setup()
    with caplog.at_level(logging.WARNING):
        counter = meter.create_counter("1-starts-with-digit")
        long_unit = meter.create_counter("ok", unit="x" * 64)
    assert isinstance(counter, NoOpCounter) and isinstance(long_unit, NoOpCounter)
    counter.add(1)
    assert metrics_by_name(reader) == {}
    assert "Invalid instrument name" in caplog.text


def test_duplicate_registration_returns_the_first_and_warns_on_conflict(
    caplog: pytest.LogCaptureFixture,
) -> None:
    meter, reader = _setup()
    first = meter.create_counter("c", "1", "first")
    same = meter.create_counter("C", "1", "first")
    with caplog.at_level(logging.WARNING):
        other = meter.create_counter("c", "1", "second")
    assert first is same is other
    assert "registered before" in caplog.text
    first.add(1)
    other.add(1)
    assert metrics_by_name(reader)["c"].data.data_points[0].value == 2


def test_raising_callback_is_logged_and_others_still_report(
    caplog: pytest.LogCaptureFixture,
) -> None:
    meter, reader = _setup()

    def broken(options: CallbackOptions) -> list[Observation]:
        raise RuntimeError("boom")

    def good(options: CallbackOptions) -> list[Observation]:
        return [Observation(7, {"k": "v"})]

    meter.create_observable_gauge("g", callbacks=[broken, good])
    with caplog.at_level(logging.ERROR):
        metrics = metrics_by_name(reader)
    assert [p.value for p in metrics["g"].data.data_points] == [7]
    assert "boom" in caplog.text


def test_generator_callback_is_accepted() -> None:
    meter, reader = _setup()
    seen: list[float] = []

    def generator() -> Iterator[list[Observation]]:
        options = yield []
        while True:
            seen.append(options.timeout_millis)  # type: ignore[union-attr]
            options = yield [Observation(len(seen))]

    meter.create_observable_counter("g", callbacks=[generator()])
    assert metrics_by_name(reader)["g"].data.data_points[0].value == 1
    assert metrics_by_name(reader)["g"].data.data_points[0].value == 2
    assert seen and seen[0] > 0


def test_invalid_observation_is_skipped() -> None:
    meter, reader = _setup()
    meter.create_observable_gauge(
        "g",
        callbacks=[lambda options: [Observation("x"), 5, Observation(1)]],  # type: ignore[arg-type, list-item]
    )
    assert [p.value for p in metrics_by_name(reader)["g"].data.data_points] == [1]
