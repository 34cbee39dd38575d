"""Fork-safety check for tests: a lock held by another thread at fork time must not
deadlock the child (otel renews its locks after fork)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from _support.wait import wait_child


def child_finishes_while_held(
    lock: AbstractContextManager[Any], work: Callable[[], object], timeout: float = 5.0
) -> bool:
    """Hold ``lock`` in another thread, fork, run ``work`` in the child: did it finish
    within ``timeout`` seconds? (A child that hangs is killed.)"""
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with lock:
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
        return wait_child(pid, timeout) is not None
    finally:
        release.set()
        holder.join(5)
