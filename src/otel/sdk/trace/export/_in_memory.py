"""InMemorySpanExporter: keeps exported spans in a list, for tests."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence

from otel._fork import renew_lock_after_fork
from otel.sdk.trace._span import ReadableSpan
from otel.sdk.trace.export._exporters import SpanExporter, SpanExportResult


class InMemorySpanExporter(SpanExporter):
    """Stores exported spans; ``get_finished_spans()`` returns them in export order.

    ``max_spans`` bounds the store: beyond it the oldest spans are discarded (None: no bound).
    """

    def __init__(self, max_spans: int | None = None) -> None:
        self._finished_spans: deque[ReadableSpan] = deque(maxlen=max_spans)
        self._stopped = False
        self._lock = threading.Lock()
        renew_lock_after_fork(self)

    def clear(self) -> None:
        with self._lock:
            self._finished_spans.clear()

    def get_finished_spans(self) -> tuple[ReadableSpan, ...]:
        with self._lock:
            return tuple(self._finished_spans)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self._stopped:
            return SpanExportResult.FAILURE
        with self._lock:
            self._finished_spans.extend(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self._stopped = True

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
