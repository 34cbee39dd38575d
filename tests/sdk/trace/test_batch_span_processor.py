from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence

import pytest

from _support.wait import wait_child, wait_until
from otel.sdk.trace import ReadableSpan, TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.sdk.trace.sampling import Decision, StaticSampler


class BatchRecorder(SpanExporter):
    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.shutdown_called = False
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self._lock:
            self.batches.append([s.name for s in spans])
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self.shutdown_called = True

    @property
    def names(self) -> list[str]:
        with self._lock:
            return [n for b in self.batches for n in b]


class Hanging(SpanExporter):
    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.entered.set()
        self.release.wait(10)
        return SpanExportResult.SUCCESS


def make(processor: BatchSpanProcessor, **kwargs) -> TracerProvider:  # type: ignore[no-untyped-def]
    provider = TracerProvider(shutdown_on_exit=False, **kwargs)
    provider.add_span_processor(processor)
    return provider


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OTEL_BSP_MAX_QUEUE_SIZE",
        "OTEL_BSP_SCHEDULE_DELAY",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
        "OTEL_BSP_EXPORT_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    processor = BatchSpanProcessor(BatchRecorder())
    assert processor.max_queue_size == 2048
    assert processor.schedule_delay_millis == 5000
    assert processor.max_export_batch_size == 512
    assert processor.export_timeout_millis == 30000
    processor.shutdown()


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BSP_MAX_QUEUE_SIZE", "100")
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "250")
    monkeypatch.setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10")
    monkeypatch.setenv("OTEL_BSP_EXPORT_TIMEOUT", "1000")
    processor = BatchSpanProcessor(BatchRecorder())
    assert processor.max_queue_size == 100
    assert processor.schedule_delay_millis == 250
    assert processor.max_export_batch_size == 10
    assert processor.export_timeout_millis == 1000
    processor.shutdown()


def test_invalid_environment_values_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BSP_MAX_QUEUE_SIZE", "lots")
    monkeypatch.setenv("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "0")
    processor = BatchSpanProcessor(BatchRecorder())
    assert processor.max_queue_size == 2048
    assert processor.max_export_batch_size == 512
    processor.shutdown()


def test_batch_larger_than_queue_from_environment_is_clamped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_BSP_MAX_QUEUE_SIZE", "8")
    processor = BatchSpanProcessor(BatchRecorder())
    assert processor.max_export_batch_size == 8
    processor.shutdown()


def test_explicit_batch_larger_than_queue_raises() -> None:
    with pytest.raises(ValueError):
        BatchSpanProcessor(BatchRecorder(), max_queue_size=4, max_export_batch_size=8)


def test_exports_by_size_before_the_delay() -> None:
    exporter = BatchRecorder()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000, max_export_batch_size=5)
    tracer = make(processor).get_tracer("t")
    for i in range(5):
        tracer.start_span(f"s{i}").end()
    assert wait_until(lambda: len(exporter.names) == 5)
    assert exporter.batches == [["s0", "s1", "s2", "s3", "s4"]]
    processor.shutdown()


def test_exports_by_time() -> None:
    exporter = BatchRecorder()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=50)
    tracer = make(processor).get_tracer("t")
    tracer.start_span("lonely").end()
    assert wait_until(lambda: exporter.names == ["lonely"], timeout=2)
    processor.shutdown()


def test_only_sampled_spans_are_queued() -> None:
    exporter = BatchRecorder()
    processor = BatchSpanProcessor(exporter)
    tracer = make(processor, sampler=StaticSampler(Decision.RECORD_ONLY)).get_tracer("t")
    tracer.start_span("record-only").end()
    assert processor.force_flush(1000)
    assert exporter.names == []
    processor.shutdown()


def test_full_queue_drops_and_counts() -> None:
    exporter = Hanging()
    processor = BatchSpanProcessor(
        exporter, max_queue_size=4, max_export_batch_size=4, schedule_delay_millis=60_000
    )
    tracer = make(processor).get_tracer("t")
    for _ in range(4):
        tracer.start_span("s").end()
    assert exporter.entered.wait(5)  # worker now stuck exporting the first 4
    for _ in range(10):
        tracer.start_span("s").end()
    assert processor.dropped_spans == 6
    exporter.release.set()
    processor.shutdown()


def test_force_flush_exports_everything() -> None:
    exporter = BatchRecorder()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    tracer = make(processor).get_tracer("t")
    for i in range(1200):
        tracer.start_span(str(i)).end()
    assert processor.force_flush(5000) is True
    assert exporter.names == [str(i) for i in range(1200)]
    assert max(len(b) for b in exporter.batches) <= 512
    processor.shutdown()


def test_force_flush_returns_in_time_with_hanging_exporter() -> None:
    exporter = Hanging()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    make(processor).get_tracer("t").start_span("s").end()
    start = time.monotonic()
    assert processor.force_flush(200) is False
    assert time.monotonic() - start < 1.5
    exporter.release.set()
    processor.shutdown()


def test_shutdown_returns_in_time_with_hanging_exporter() -> None:
    exporter = Hanging()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    provider = make(processor)
    provider.get_tracer("t").start_span("s").end()
    start = time.monotonic()
    processor.shutdown(timeout_millis=200)
    assert time.monotonic() - start < 1.5
    exporter.release.set()


def test_provider_shutdown_flushes_and_shuts_exporter_down() -> None:
    exporter = BatchRecorder()
    provider = make(BatchSpanProcessor(exporter, schedule_delay_millis=60_000))
    provider.get_tracer("t").start_span("s").end()
    provider.shutdown()
    assert exporter.names == ["s"]
    assert exporter.shutdown_called


def test_exporter_exception_is_contained() -> None:
    class Raising(SpanExporter):
        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            raise RuntimeError("network down")

    processor = BatchSpanProcessor(Raising(), schedule_delay_millis=60_000)
    make(processor).get_tracer("t").start_span("s").end()
    assert processor.force_flush(1000) is True
    processor.shutdown()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_exports_its_own_spans(tmp_path) -> None:  # type: ignore[no-untyped-def]
    exporter = InMemorySpanExporter()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    tracer = make(processor).get_tracer("t")
    tracer.start_span("parent-before-fork").end()
    out = tmp_path / "child.json"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            tracer.start_span("child").end()
            ok = processor.force_flush(3000)
            names = [s.name for s in exporter.get_finished_spans()]
            out.write_text(json.dumps({"ok": ok, "names": names}))
            code = 0
        finally:
            os._exit(code)
    code = wait_child(pid, 10)
    if code is None:
        pytest.fail("forked child did not finish")
    assert code == 0
    assert json.loads(out.read_text()) == {"ok": True, "names": ["child"]}
    assert processor.force_flush(3000)
    assert [s.name for s in exporter.get_finished_spans()] == ["parent-before-fork"]
    processor.shutdown()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_while_another_thread_exports_does_not_deadlock_the_child(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from otel.sdk.trace.export import SimpleSpanProcessor

    gate = threading.Event()
    entered = threading.Event()
    exported: list[str] = []

    class BlocksOnFirst(SpanExporter):
        def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
            if spans[0].name == "block":
                entered.set()
                gate.wait(10)
            exported.extend(s.name for s in spans)
            return SpanExportResult.SUCCESS

    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(BlocksOnFirst()))
    tracer = provider.get_tracer("t")
    blocker = threading.Thread(target=lambda: tracer.start_span("block").end())
    blocker.start()
    assert entered.wait(5)  # the processor's lock is now held by that thread
    out = tmp_path / "child.txt"
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            tracer.start_span("child").end()  # would deadlock on an inherited held lock
            out.write_text(",".join(exported))
            code = 0
        finally:
            os._exit(code)
    code = wait_child(pid, 10)
    gate.set()
    if code is None:
        pytest.fail("forked child deadlocked")
    blocker.join(5)
    assert code == 0
    assert out.read_text() == "child"


def test_exporter_receives_the_span_object_itself() -> None:
    exporter = InMemorySpanExporter()
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=60_000)
    span = make(processor).get_tracer("t").start_span("s")
    span.end()
    assert processor.force_flush(2000)
    assert exporter.get_finished_spans()[0] is span  # no copy between end() and export
    processor.shutdown()
