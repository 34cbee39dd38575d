"""A forked child does not inherit the API's global-provider locks held by another thread."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),  # 3.12+: threads + fork
]


def _child_finishes(get_lock: Callable[[], Any], work: Callable[[], object]) -> bool:
    """Hold the lock in another thread, fork, run ``work`` in the child: did it finish?"""
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with get_lock():
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(5)
    try:
        pid = os.fork()
        if pid == 0:  # child
            try:
                work()
            finally:
                os._exit(0)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return True
            time.sleep(0.01)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        return False
    finally:
        release.set()
        holder.join(5)


def test_child_can_get_a_tracer_when_the_global_provider_lock_was_held() -> None:
    from otel import trace
    from otel.trace import _tracer

    assert _child_finishes(lambda: _tracer._LOCK, lambda: trace.get_tracer("child"))


def test_child_can_get_a_logger_when_the_global_logger_provider_lock_was_held() -> None:
    from otel import logs
    from otel.logs import _logs

    assert _child_finishes(
        lambda: _logs._LOCK, lambda: logs.set_logger_provider(logs.NoOpLoggerProvider())
    )


def test_child_can_build_the_global_propagator_when_its_lock_was_held() -> None:
    from otel import propagate
    from otel.propagate import _propagate

    _propagate._reset_global_textmap()
    assert _child_finishes(lambda: _propagate._lock, propagate.get_global_textmap)
