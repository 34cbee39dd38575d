"""Fixtures shared by the metrics SDK tests."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence

import pytest


@pytest.fixture
def tiny_switch_interval() -> Iterator[None]:
    """Make the interpreter switch threads as often as it can, to provoke races."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


_Run = Callable[[Callable[[], None], Sequence[Callable[[], None]]], None]


@pytest.fixture
def collect_during() -> _Run:
    """``run(collect_once, workers)``: each worker in its own thread while another thread
    calls ``collect_once`` in a loop; once all workers are done, one last ``collect_once``
    picks up what the loop missed."""

    def run(collect_once: Callable[[], None], workers: Sequence[Callable[[], None]]) -> None:
        stop = threading.Event()

        def collect() -> None:
            while not stop.is_set():
                collect_once()

        collector = threading.Thread(target=collect)
        collector.start()
        threads = [threading.Thread(target=worker) for worker in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        collector.join()
        collect_once()

    return run
