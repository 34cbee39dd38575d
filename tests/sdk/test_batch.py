from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from _support.batch import undrained_worker
from _support.wait import wait_child, wait_until
from otel.sdk._batch import BatchWorker
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import BatchLogRecordProcessor, LogExporter, LogExportResult
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.event = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, batch: list[int]) -> None:
        with self.lock:
            self.batches.append(list(batch))
        self.event.set()

    @property
    def items(self) -> list[int]:
        with self.lock:
            return [i for b in self.batches for i in b]


def test_exports_when_a_full_batch_is_waiting() -> None:
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=60_000, max_export_batch_size=4)
    try:
        for i in range(4):
            worker.emit(i)
        assert wait_until(lambda: rec.items == [0, 1, 2, 3])
        assert rec.batches == [[0, 1, 2, 3]]
    finally:
        worker.shutdown(1000)


def test_does_not_export_a_partial_batch_before_the_delay() -> None:
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=60_000, max_export_batch_size=4)
    try:
        for i in range(3):
            worker.emit(i)
        time.sleep(0.1)
        assert rec.batches == []
        assert not worker._wake.is_set()
    finally:
        worker.shutdown(1000)


def test_exports_a_partial_batch_after_the_schedule_delay() -> None:
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=50, max_export_batch_size=100)
    try:
        worker.emit(1)
        worker.emit(2)
        assert wait_until(lambda: rec.items == [1, 2], timeout=2)
    finally:
        worker.shutdown(1000)


def test_batches_never_exceed_max_export_batch_size() -> None:
    rec = Recorder()
    worker = BatchWorker(
        rec, max_queue_size=100, schedule_delay_millis=60_000, max_export_batch_size=7
    )
    for i in range(50):
        worker.emit(i)
    assert worker.force_flush(2000)
    assert rec.items == list(range(50))
    assert all(1 <= len(b) <= 7 for b in rec.batches)
    worker.shutdown(1000)


def test_drops_and_counts_items_when_the_queue_is_full() -> None:
    gate = threading.Event()

    def blocked(batch: list[int]) -> None:
        gate.wait(5)

    worker = BatchWorker(
        blocked, max_queue_size=10, schedule_delay_millis=60_000, max_export_batch_size=10
    )
    try:
        for i in range(10):
            worker.emit(i)
        # the worker takes the first batch and blocks inside export
        assert wait_until(lambda: worker.queue_size == 0)
        for i in range(15):
            worker.emit(i)
        assert worker.queue_size == 10
        assert worker.dropped == 5
    finally:
        gate.set()
        worker.shutdown(1000)


def test_drops_are_reported_in_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    gate = threading.Event()
    worker = BatchWorker(
        lambda b: gate.wait(5),
        max_queue_size=2,
        schedule_delay_millis=60_000,
        max_export_batch_size=2,
    )
    worker.emit(0)
    worker.emit(1)
    assert wait_until(lambda: worker.queue_size == 0)  # worker blocked in export
    for i in range(5):
        worker.emit(i)
    gate.set()
    with caplog.at_level(logging.WARNING, logger="otel.sdk.batch"):
        assert worker.shutdown(2000)
    assert worker.dropped == 3
    assert any("dropped 3 items" in r.getMessage() for r in caplog.records)


def test_force_flush_exports_everything_queued() -> None:
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=60_000, max_export_batch_size=512)
    for i in range(10):
        worker.emit(i)
    assert worker.force_flush(2000) is True
    assert rec.items == list(range(10))
    worker.shutdown(1000)


def test_shutdown_exports_what_is_queued_and_discards_later_items() -> None:
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=60_000)
    worker.emit(1)
    assert worker.shutdown(2000) is True
    assert rec.items == [1]
    worker.emit(2)
    assert worker.dropped == 0
    assert worker.shutdown(10) is True  # idempotent
    assert rec.items == [1]


def test_force_flush_returns_in_time_when_export_hangs() -> None:
    gate = threading.Event()
    worker = BatchWorker(lambda b: gate.wait(10), schedule_delay_millis=60_000)
    try:
        worker.emit(1)
        start = time.monotonic()
        assert worker.force_flush(200) is False
        assert time.monotonic() - start < 1.0
    finally:
        gate.set()
        worker.shutdown(1000)


def test_shutdown_returns_in_time_when_export_hangs() -> None:
    gate = threading.Event()
    worker = BatchWorker(lambda b: gate.wait(10), schedule_delay_millis=60_000)
    worker.emit(1)
    start = time.monotonic()
    assert worker.shutdown(200) is False
    assert time.monotonic() - start < 1.0
    gate.set()


def test_export_exception_is_logged_and_worker_continues(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rec = Recorder()
    calls = []

    def flaky(batch: list[int]) -> None:
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError("boom")
        rec(batch)

    worker = BatchWorker(flaky, schedule_delay_millis=60_000)
    with caplog.at_level(logging.ERROR, logger="otel.sdk.batch"):
        worker.emit(1)
        assert worker.force_flush(1000)
    worker.emit(2)
    assert worker.force_flush(1000)
    assert rec.items == [2]
    assert worker.failed_exports == 1
    assert any("failed" in r.getMessage() for r in caplog.records)
    worker.shutdown(1000)


def test_rejects_invalid_configuration() -> None:
    with pytest.raises(ValueError):
        BatchWorker(lambda b: None, max_queue_size=10, max_export_batch_size=11)
    with pytest.raises(ValueError):
        BatchWorker(lambda b: None, max_queue_size=0)


def test_worker_can_be_garbage_collected() -> None:
    import gc
    import weakref

    worker = BatchWorker(lambda b: None, schedule_delay_millis=60_000)
    worker.shutdown(1000)
    ref = weakref.ref(worker)
    del worker
    gc.collect()
    assert ref() is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_exports_its_own_items(tmp_path) -> None:
    out = tmp_path / "child.json"
    rec = Recorder()
    worker = BatchWorker(rec, schedule_delay_millis=60_000)
    worker.emit("parent-before-fork")
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            worker.emit("child")
            ok = worker.force_flush(2000)
            out.write_text(
                json.dumps({"ok": ok, "items": rec.items, "thread": worker._thread.is_alive()})
            )
            code = 0
        finally:
            os._exit(code)
    code = wait_child(pid, 10)
    if code is None:
        pytest.fail("child did not finish")
    assert code == 0
    result = json.loads(out.read_text())
    assert result == {"ok": True, "items": ["child"], "thread": True}
    assert worker.force_flush(2000)
    assert rec.items == ["parent-before-fork"]
    worker.shutdown(1000)


def test_emit_is_cheap_and_lock_free() -> None:
    # no lock is taken while the queue has room: emit from many threads at once
    rec = Recorder()
    worker = BatchWorker(rec, max_queue_size=100_000, max_export_batch_size=512)
    threads = [
        threading.Thread(target=lambda n=n: [worker.emit((n, i)) for i in range(2000)])
        for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert worker.force_flush(5000)
    assert len(rec.items) == 16000
    assert worker.dropped == 0
    worker.shutdown(1000)


class _CountingLock:
    """Wraps a lock and counts every acquisition (``with`` or ``acquire``)."""

    def __init__(self, lock: Any) -> None:
        self._lock = lock
        self.acquired = 0

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        self.acquired += 1
        return bool(self._lock.acquire(*args, **kwargs))

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def locked(self) -> bool:
        return bool(self._lock.locked())


def test_emit_takes_no_lock_while_the_queue_has_room(monkeypatch: pytest.MonkeyPatch) -> None:
    import otel.sdk._batch as batch_module

    lock_types = (type(threading.Lock()), type(threading.RLock()))
    worker = BatchWorker(
        Recorder(),
        max_queue_size=100_000,
        max_export_batch_size=50_000,
        schedule_delay_millis=600_000,  # the worker thread stays asleep: only emit runs
    )
    counted: list[_CountingLock] = []
    for name, value in list(vars(worker).items()):  # every lock the worker owns ...
        if isinstance(value, lock_types):
            counted.append(_CountingLock(value))
            setattr(worker, name, counted[-1])
    for name, value in list(vars(batch_module).items()):  # ... and every module-level one
        if isinstance(value, lock_types):
            counted.append(_CountingLock(value))
            monkeypatch.setattr(batch_module, name, counted[-1])
    assert counted, "the worker has locks (for drops, flushes): they must be found"
    for i in range(1000):
        worker.emit(i)
    assert [lock.acquired for lock in counted] == [0] * len(counted)
    for lock in counted:  # put the real locks back before the worker uses them
        for name, value in list(vars(worker).items()):
            if value is lock:
                setattr(worker, name, lock._lock)
    worker.shutdown(1000)


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX only")


def test_worker_is_woken_once_per_threshold_crossing_not_per_item() -> None:
    gate = threading.Event()
    worker = BatchWorker(
        lambda b: gate.wait(5),
        max_queue_size=100,
        schedule_delay_millis=60_000,
        max_export_batch_size=4,
    )
    calls = []
    original_set = worker._wake.set

    def counting_set() -> None:
        calls.append(1)
        original_set()

    worker._wake.set = counting_set  # type: ignore[method-assign]
    try:
        for i in range(3):
            worker.emit(i)
        assert calls == []  # below the threshold: nobody is woken
        for i in range(40):
            worker.emit(i)
        assert len(calls) <= 2  # the worker is stuck in export: no wake-up storm
    finally:
        gate.set()
        worker.shutdown(2000)


# --- Processor shutdown returns within its timeout even when the exporter hangs. (formerly
# test_robustness_shutdown.py)


class _Hanging:
    """export and shutdown block until the test releases them."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.exporting = threading.Event()

    def export(self, batch: Sequence[Any]) -> Any:
        self.exporting.set()
        self.release.wait(30)
        return None

    def shutdown(self) -> None:
        self.release.wait(30)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class _HangingSpanExporter(_Hanging, SpanExporter):
    def export(self, batch: Sequence[Any]) -> SpanExportResult:
        super().export(batch)
        return SpanExportResult.SUCCESS


class _HangingLogExporter(_Hanging, LogExporter):
    def export(self, batch: Sequence[Any]) -> LogExportResult:
        super().export(batch)
        return LogExportResult.SUCCESS


@pytest.fixture
def span_exporter() -> Iterator[_HangingSpanExporter]:
    exporter = _HangingSpanExporter()
    yield exporter
    exporter.release.set()


@pytest.fixture
def log_exporter() -> Iterator[_HangingLogExporter]:
    exporter = _HangingLogExporter()
    yield exporter
    exporter.release.set()


def test_batch_span_processor_shutdown_is_bounded_when_export_and_shutdown_hang(
    span_exporter: _HangingSpanExporter,
) -> None:
    processor = BatchSpanProcessor(span_exporter, schedule_delay_millis=10)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    provider.get_tracer("t").start_span("s").end()
    assert span_exporter.exporting.wait(5)
    started = time.monotonic()
    processor.shutdown(timeout_millis=200)
    assert time.monotonic() - started < 2.0


def test_batch_log_processor_shutdown_is_bounded_when_export_and_shutdown_hang(
    log_exporter: _HangingLogExporter,
) -> None:
    processor = BatchLogRecordProcessor(log_exporter, schedule_delay_millis=10)
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(processor)
    provider.get_logger("t").emit(body="x")
    assert log_exporter.exporting.wait(5)
    started = time.monotonic()
    processor.shutdown(timeout_millis=200)
    assert time.monotonic() - started < 2.0


class _RecordingSpanExporter(SpanExporter):
    def __init__(self) -> None:
        self.shut_down = False

    def export(self, batch: Sequence[Any]) -> SpanExportResult:
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self.shut_down = True


def test_exporter_is_shut_down_when_no_thread_can_be_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python 3.12+ refuses new threads at interpreter exit, where atexit shuts down."""
    exporter = _RecordingSpanExporter()
    processor = BatchSpanProcessor(exporter)

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    processor.shutdown(timeout_millis=1000)
    assert exporter.shut_down


class _RecordingLogExporter(LogExporter):
    def __init__(self) -> None:
        self.shut_down = False

    def export(self, batch: Sequence[Any]) -> LogExportResult:
        return LogExportResult.SUCCESS

    def shutdown(self) -> None:
        self.shut_down = True


def test_concurrent_span_processors_shut_down_when_no_thread_can_be_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otel.sdk.trace import ConcurrentMultiSpanProcessor
    from otel.sdk.trace.export import SimpleSpanProcessor

    exporters = [_RecordingSpanExporter(), _RecordingSpanExporter()]
    multi = ConcurrentMultiSpanProcessor()
    for exporter in exporters:
        multi.add_span_processor(SimpleSpanProcessor(exporter))

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    multi.shutdown()
    assert all(exporter.shut_down for exporter in exporters)


def test_concurrent_log_processors_shut_down_when_no_thread_can_be_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otel.sdk.logs import ConcurrentMultiLogRecordProcessor
    from otel.sdk.logs.export import SimpleLogRecordProcessor

    exporters = [_RecordingLogExporter(), _RecordingLogExporter()]
    multi = ConcurrentMultiLogRecordProcessor()
    for exporter in exporters:
        multi.add_log_record_processor(SimpleLogRecordProcessor(exporter))

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    multi.shutdown()
    assert all(exporter.shut_down for exporter in exporters)


def test_queue_size_must_be_positive_and_one_is_enough() -> None:
    with pytest.raises(ValueError, match="max_queue_size"):
        BatchWorker(Recorder(), max_queue_size=0, max_export_batch_size=1)
    worker = BatchWorker(Recorder(), max_queue_size=1, max_export_batch_size=1)
    worker.shutdown(1000)


def test_exporter_shutdown_reports_whether_it_finished_in_time() -> None:
    import logging

    from otel.sdk._batch import shutdown_exporter

    logger = logging.getLogger("tests.batch")
    release = threading.Event()
    start = time.monotonic()
    assert shutdown_exporter(lambda: None, time.monotonic() + 5, logger, "failed") is True
    assert shutdown_exporter(lambda: release.wait(5), time.monotonic() + 0.2, logger, "x") is False
    assert time.monotonic() - start < 2  # abandoned at the deadline, not after the hang
    release.set()


def test_emit_does_not_pause_while_the_export_in_progress_waits_on_the_backend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A backend that refuses, hangs or says "retry later" keeps the worker in one export
    call: pausing producers then saves nothing and only adds to request latency."""
    from otel.sdk import _batch

    with undrained_worker(monkeypatch) as (worker, yields):
        worker._export_started = _batch._monotonic() - 2 * _batch._STALLED_EXPORT_S
        for i in range(600):
            worker.emit(i)
        assert yields == []
        assert worker.queue_size == 512 and worker.dropped == 88  # still counted
        worker._export_started = _batch._monotonic()  # a fresh export: may still drain fast
        worker.queue.clear()
        for i in range(512):
            worker.emit(i)
        assert yields == [257, 321, 385, *range(449, 512, 8)]
