"""Bounded waits for tests: poll a condition, a forked child or a server process, until a
deadline."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Callable


def wait_until(predicate: Callable[[], object], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` every 5 ms until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return bool(predicate())


def wait_child(pid: int, timeout: float) -> int | None:
    """The exit code of forked child ``pid``, or None if it was still running after
    ``timeout`` seconds (it is then killed and reaped, so no zombie is left)."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.01)


def wait_http(url: str, process: subprocess.Popen[str], timeout: float = 30.0) -> None:
    """Return once ``url`` answers; fail if ``process`` (serving it) exits first or
    ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.communicate()[1]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout} s")
