"""Processor shutdown returns within its timeout even when the exporter hangs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import BatchLogRecordProcessor, LogExporter, LogExportResult
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


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
