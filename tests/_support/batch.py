"""A BatchWorker that never drains, with the queue lengths at which producers yielded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from otel.sdk import _batch


@contextmanager
def undrained_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[_batch.BatchWorker[int], list[int]]]:
    """A worker (queue 512, batches of 64) whose export thread keeps every item, and the
    list of queue lengths at each GIL yield of a producer; shut down on exit."""
    yields: list[int] = []
    worker: _batch.BatchWorker[int] = _batch.BatchWorker(
        lambda batch: None,
        max_queue_size=512,
        max_export_batch_size=64,
        schedule_delay_millis=60_000,
    )
    try:
        monkeypatch.setattr(_batch, "_yield_gil", lambda seconds: yields.append(len(worker.queue)))
        monkeypatch.setattr(worker, "_drain", lambda queue, everything: None)  # keep it all
        yield worker, yields
    finally:
        worker.shutdown(1000)
