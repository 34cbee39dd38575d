"""reset_globals() forgets every once-only warning, as its docstring says (issue 19.4)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pytest

from otel._once import FirstSeen
from otel.metrics import CallbackOptions, Observation
from otel.sdk.metrics import MeterProvider
from otel.testing import reset_globals


def _callback(options: CallbackOptions) -> Iterable[Observation]:
    return [Observation(1)]


def _lone_callback_warnings(caplog: pytest.LogCaptureFixture) -> int:
    provider = MeterProvider(shutdown_on_exit=False)
    with caplog.at_level(logging.WARNING):
        provider.get_meter("t").create_observable_gauge("g", callbacks=_callback)  # type: ignore[arg-type]
    provider.shutdown()
    return sum("single callback" in r.getMessage() for r in caplog.records)


def test_the_single_callback_warning_is_logged_again_after_reset(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert _lone_callback_warnings(caplog) == 1
    caplog.clear()
    assert _lone_callback_warnings(caplog) == 0  # once only ...
    reset_globals()
    caplog.clear()
    assert _lone_callback_warnings(caplog) == 1  # ... until the globals are reset


def test_every_first_seen_set_is_forgotten_even_one_made_later() -> None:
    seen = FirstSeen(8)
    assert seen.first("key")
    assert not seen.first("key")
    reset_globals()
    assert seen.first("key")
