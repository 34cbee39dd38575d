"""A forked child does not inherit the API's global-provider locks held by another thread."""

from __future__ import annotations

import os

import pytest

from _support.fork import child_finishes_while_held

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),  # 3.12+: threads + fork
]


def test_child_can_get_a_tracer_when_the_global_provider_lock_was_held() -> None:
    from otel import trace
    from otel.trace import _tracer

    assert child_finishes_while_held(_tracer._LOCK, lambda: trace.get_tracer("child"))


def test_child_can_get_a_logger_when_the_global_logger_provider_lock_was_held() -> None:
    from otel import logs
    from otel.logs import _logs

    assert child_finishes_while_held(
        _logs._LOCK, lambda: logs.set_logger_provider(logs.NoOpLoggerProvider())
    )


def test_child_can_build_the_global_propagator_when_its_lock_was_held() -> None:
    from otel import propagate
    from otel.propagate import _propagate

    _propagate._reset_global_textmap()
    assert child_finishes_while_held(_propagate._lock, propagate.get_global_textmap)
