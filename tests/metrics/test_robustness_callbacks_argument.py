"""A lone callback function passed as ``callbacks=`` never raises from the API."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pytest

from otel import metrics
from otel.metrics import CallbackOptions, Observation


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
