"""A forked child does not inherit the attribute-warning lock held by another thread."""

from __future__ import annotations

import os
import threading
import time

import pytest

from otel.attributes import _attributes, clean_attribute_value


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")  # 3.12+: threads + fork
def test_child_can_drop_an_invalid_attribute_when_the_warning_lock_was_held() -> None:
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with _attributes._warned._lock:
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(5)
    try:
        pid = os.fork()
        if pid == 0:  # child: a new key must be warned about, which takes the lock
            try:
                clean_attribute_value("key.first.seen.in.child", object())
            finally:
                os._exit(0)
        deadline = time.monotonic() + 5
        finished = False
        while time.monotonic() < deadline and not finished:
            finished = os.waitpid(pid, os.WNOHANG)[0] != 0
            time.sleep(0.01)
        if not finished:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    finally:
        release.set()
        holder.join(5)
    assert finished
