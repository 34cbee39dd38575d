from __future__ import annotations

import io
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence

import pytest

from _support.fork import child_finishes_while_held
from otel.logs import SeverityNumber
from otel.sdk.logs import LogData, LoggerProvider, LogRecord
from otel.sdk.logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogExporter,
    InMemoryLogExporter,
    LogExporter,
    LogExportResult,
    LogRecordExporter,
    SimpleLogRecordProcessor,
)
from otel.sdk.util.instrumentation import InstrumentationScope

_SCOPE = InstrumentationScope("tests")


def _data(body: object = "x") -> LogData:
    return LogData(LogRecord(body=body, severity_number=SeverityNumber.INFO), _SCOPE)


class _Hanging(LogExporter):
    """Blocks in export until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.exported: list[LogData] = []
        self.shut_down = False

    def export(self, batch: Sequence[LogData]) -> LogExportResult:
        self.entered.set()
        self.release.wait(10)
        self.exported.extend(batch)
        return LogExportResult.SUCCESS

    def shutdown(self) -> None:
        self.shut_down = True


@pytest.fixture
def hanging() -> Iterator[_Hanging]:
    exporter = _Hanging()
    yield exporter
    exporter.release.set()


def test_spec_name_of_exporter_interface() -> None:
    assert LogRecordExporter is LogExporter


def test_console_exporter_writes_one_json_object_per_line() -> None:
    out = io.StringIO()
    exporter = ConsoleLogExporter(out=out)
    result = exporter.export([_data("first"), _data({"structured": [1, 2]})])
    assert result is LogExportResult.SUCCESS
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["body"] == "first"
    assert json.loads(lines[1])["body"] == {"structured": [1, 2]}
    assert json.loads(lines[1])["severity_number"] == 9


def test_console_exporter_custom_formatter() -> None:
    out = io.StringIO()
    ConsoleLogExporter(out=out, formatter=lambda r: f"{r.body}\n").export([_data("a")])
    assert out.getvalue() == "a\n"


def test_console_exporter_failure_is_reported_not_raised() -> None:
    class Closed(io.StringIO):
        def write(self, s: str) -> int:
            raise ValueError("closed")

    assert ConsoleLogExporter(out=Closed()).export([_data()]) is LogExportResult.FAILURE


def test_in_memory_exporter_keeps_and_clears() -> None:
    exporter = InMemoryLogExporter()
    exporter.export([_data("a"), _data("b")])
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["a", "b"]
    exporter.clear()
    assert exporter.get_finished_logs() == ()
    exporter.shutdown()
    assert exporter.export([_data()]) is LogExportResult.FAILURE


def test_simple_processor_exports_each_record_synchronously() -> None:
    exporter = InMemoryLogExporter()
    processor = SimpleLogRecordProcessor(exporter)
    processor.on_emit(_data("now"))
    assert len(exporter.get_finished_logs()) == 1


def test_simple_processor_drops_after_shutdown() -> None:
    exporter = InMemoryLogExporter()
    processor = SimpleLogRecordProcessor(exporter)
    processor.shutdown()
    processor.on_emit(_data())
    assert exporter.get_finished_logs() == ()


def test_simple_processor_swallows_exporter_errors(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(LogExporter):
        def export(self, batch: Sequence[LogData]) -> LogExportResult:
            raise OSError("disk full")

    with caplog.at_level(logging.ERROR, logger="otel.sdk.logs.export"):
        SimpleLogRecordProcessor(Broken()).on_emit(_data())
    assert "disk full" in caplog.text


def test_batch_processor_exports_on_flush() -> None:
    exporter = InMemoryLogExporter()
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=60_000)
    for i in range(10):
        processor.on_emit(_data(i))
    assert processor.force_flush(2000)
    assert [d.log_record.body for d in exporter.get_finished_logs()] == list(range(10))
    processor.shutdown()


def test_batch_processor_exports_on_schedule() -> None:
    exporter = InMemoryLogExporter()
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=20)
    processor.on_emit(_data())
    deadline = time.monotonic() + 2
    while not exporter.get_finished_logs() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(exporter.get_finished_logs()) == 1
    processor.shutdown()


def test_batch_processor_respects_max_export_batch_size() -> None:
    sizes: list[int] = []

    class Sizes(LogExporter):
        def export(self, batch: Sequence[LogData]) -> LogExportResult:
            sizes.append(len(batch))
            return LogExportResult.SUCCESS

    processor = BatchLogRecordProcessor(
        Sizes(), schedule_delay_millis=60_000, max_export_batch_size=4
    )
    for _ in range(10):
        processor.on_emit(_data())
    assert processor.force_flush(2000)
    processor.shutdown()
    assert sum(sizes) == 10 and max(sizes) <= 4


def test_batch_processor_shutdown_exports_pending_and_shuts_exporter() -> None:
    exporter = InMemoryLogExporter()
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=60_000)
    processor.on_emit(_data("pending"))
    assert processor.shutdown(2000)
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["pending"]
    assert processor.shutdown() is True  # idempotent
    processor.on_emit(_data("late"))  # ignored, no error
    assert len(exporter.get_finished_logs()) == 1


def test_batch_force_flush_times_out_with_hanging_exporter(hanging: _Hanging) -> None:
    processor = BatchLogRecordProcessor(hanging, schedule_delay_millis=60_000)
    processor.on_emit(_data())
    start = time.monotonic()
    assert processor.force_flush(200) is False
    assert time.monotonic() - start < 1.5
    hanging.release.set()
    processor.shutdown(2000)


def test_batch_shutdown_times_out_with_hanging_exporter(hanging: _Hanging) -> None:
    processor = BatchLogRecordProcessor(hanging, schedule_delay_millis=60_000)
    processor.on_emit(_data())
    processor.force_flush(50)
    assert hanging.entered.wait(2)
    start = time.monotonic()
    assert processor.shutdown(200) is False
    assert time.monotonic() - start < 1.5
    assert hanging.shut_down


def test_batch_emit_never_blocks_while_exporter_hangs(hanging: _Hanging) -> None:
    processor = BatchLogRecordProcessor(
        hanging, schedule_delay_millis=60_000, max_queue_size=100, max_export_batch_size=10
    )
    processor.on_emit(_data())
    processor.force_flush(10)
    assert hanging.entered.wait(2)
    start = time.monotonic()
    for _ in range(1000):
        processor.on_emit(_data())
    assert time.monotonic() - start < 1.0
    assert processor.dropped > 0  # queue full: dropped and counted
    hanging.release.set()
    processor.shutdown(2000)


def test_batch_processor_reads_blrp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BLRP_SCHEDULE_DELAY", "1234")
    monkeypatch.setenv("OTEL_BLRP_EXPORT_TIMEOUT", "4321")
    monkeypatch.setenv("OTEL_BLRP_MAX_QUEUE_SIZE", "64")
    monkeypatch.setenv("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "16")
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    worker = processor._worker
    assert worker.schedule_delay_millis == 1234
    assert worker.export_timeout_millis == 4321
    assert worker.max_queue_size == 64
    assert worker.max_export_batch_size == 16
    processor.shutdown()


def test_batch_processor_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEDULE_DELAY", "EXPORT_TIMEOUT", "MAX_QUEUE_SIZE", "MAX_EXPORT_BATCH_SIZE"):
        monkeypatch.delenv(f"OTEL_BLRP_{name}", raising=False)
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    worker = processor._worker
    assert (worker.schedule_delay_millis, worker.export_timeout_millis) == (1000, 30000)
    assert (worker.max_queue_size, worker.max_export_batch_size) == (2048, 512)
    processor.shutdown()


def test_batch_size_from_env_larger_than_queue_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BLRP_MAX_QUEUE_SIZE", "8")
    monkeypatch.setenv("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "100")
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    assert processor._worker.max_export_batch_size == 8
    processor.shutdown()


def test_invalid_blrp_variable_falls_back_to_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_BLRP_MAX_QUEUE_SIZE", "lots")
    monkeypatch.delenv("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", raising=False)
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    assert processor._worker.max_queue_size == 2048
    processor.shutdown()


def test_provider_shutdown_flushes_batch_processor() -> None:
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(
        BatchLogRecordProcessor(exporter, schedule_delay_millis=60_000)
    )
    provider.get_logger("lib").emit(body="last words")
    provider.shutdown()
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["last words"]


def test_newer_official_names_are_aliases() -> None:
    from otel.sdk._logs import LogLimits, LogRecordLimits
    from otel.sdk._logs.export import ConsoleLogRecordExporter, InMemoryLogRecordExporter

    assert ConsoleLogRecordExporter is ConsoleLogExporter
    assert InMemoryLogRecordExporter is InMemoryLogExporter
    assert LogRecordLimits is LogLimits


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")  # 3.12+: threads + fork
def test_batch_processor_works_in_a_forked_child() -> None:
    import os

    exporter = InMemoryLogExporter()
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=60_000)
    processor.on_emit(_data("parent pending"))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: its own queue and worker; the parent's pending record is not ours
        try:
            processor.on_emit(_data("child"))
            ok = processor.force_flush(2000)
            bodies = [d.log_record.body for d in exporter.get_finished_logs()]
            os.write(write_end, json.dumps([ok, bodies]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        ok, bodies = json.loads(pipe.read() or "[false, []]")
    os.waitpid(pid, 0)
    assert ok and bodies == ["child"]
    assert processor.force_flush(2000)
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["parent pending"]
    processor.shutdown()


# --- A forked child does not inherit a logs-SDK lock that another thread held at fork time.
# (formerly
# test_robustness_fork.py)


def test_child_can_get_loggers_and_shut_down_when_the_provider_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.get_logger("made.in.child").emit(body="x")
        provider.shutdown()

    assert child_finishes_while_held(provider._lock, work)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_add_processors_when_the_multi_processor_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.add_log_record_processor(BatchLogRecordProcessor(InMemoryLogExporter()))

    assert child_finishes_while_held(provider._multi._lock, work)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_shut_down_a_batch_processor_whose_shutdown_lock_was_held() -> None:
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    try:
        assert child_finishes_while_held(processor._shutdown_lock, lambda: processor.shutdown(1000))
    finally:
        processor.shutdown(1000)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_export_to_memory_when_the_exporter_lock_was_held() -> None:
    exporter = InMemoryLogExporter()
    assert child_finishes_while_held(exporter._lock, exporter.get_finished_logs)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_report_a_failure_when_the_report_once_lock_was_held() -> None:
    import logging

    from otel import _once
    from otel.sdk.logs import _guard

    def work() -> None:
        try:
            raise RuntimeError("in child")
        except RuntimeError:
            _guard.report_once(logging.getLogger("otel.test"), ("child", object()), "failed")

    assert child_finishes_while_held(_once._REPORTED._lock, work)
