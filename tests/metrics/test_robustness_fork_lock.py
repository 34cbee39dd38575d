"""The global MeterProvider lock is usable in a forked child even if held at fork time."""

from __future__ import annotations

import os
import sys
import warnings

import pytest

from _support.wait import wait_child
from otel.metrics import _meter


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork")
def test_provider_lock_held_at_fork_is_renewed_in_the_child() -> None:
    lock = _meter._provider_lock
    lock.acquire()  # as if another thread were inside set_meter_provider at fork time
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                if _meter._provider_lock.acquire(timeout=2):
                    _meter._provider_lock.release()
                    code = 0
            finally:
                os._exit(code)
    finally:
        lock.release()
    code = wait_child(pid, timeout=10)
    assert code is not None, "child hung"
    assert code == 0
