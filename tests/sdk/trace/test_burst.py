"""A burst of spans faster than the exporter drains loses almost nothing (issue 14 item 3).

A tight loop fills the default queue (2048) within one GIL switch interval; past the
high-water mark the producer yields the GIL so the worker thread can drain. On a quiet
machine this exports 100% of 100,000 spans (``make bench``, "burst" case, and
docs/reliability figures in benchmarks/README.md). Here the bound is lower: on a loaded
2-core machine the operating system may not run the worker thread in time, which no
yield can force; what must hold everywhere is that every span is either exported or
counted as dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from _support.batch import undrained_worker
from otel.sdk.trace import ReadableSpan, TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

SPANS = 100_000


class _CountingExporter(SpanExporter):
    def __init__(self) -> None:
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.exported += len(spans)
        return SpanExportResult.SUCCESS


def test_a_burst_of_100k_spans_is_exported_or_counted_and_mostly_exported() -> None:
    exporter = _CountingExporter()
    processor = BatchSpanProcessor(exporter)  # defaults: queue 2048, batch 512
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("burst")
    for _ in range(SPANS):
        with tracer.start_as_current_span("x"):
            pass
    provider.shutdown()
    assert exporter.exported + processor.dropped_spans == SPANS  # the drop count is true
    # >= 99% in the benchmark on a quiet machine (see the docstring); here a loaded 2-core
    # machine may starve the worker thread, so only "most" is asserted
    assert exporter.exported >= 0.5 * SPANS


def test_emit_yields_the_gil_only_past_the_high_water_mark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with undrained_worker(monkeypatch) as (worker, yields):
        for i in range(512):
            worker.emit(i)
        # high-water mark 256: a yield at 256 items queued and every 64th after it; from
        # 448 (7/8 full) on, every 8th
        assert yields == [257, 321, 385, *range(449, 512, 8)]
        assert worker.queue_size == 512 and worker.dropped == 0
