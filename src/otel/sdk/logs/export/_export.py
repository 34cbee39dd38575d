"""Log exporters (interface, console, in-memory) and the simple and batch processors."""

from __future__ import annotations

import enum
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO

from otel._log import get_logger
from otel.sdk import _console as console
from otel.sdk._batch import BatchWorker, shutdown_exporter
from otel.sdk._fork import renew_lock_after_fork
from otel.sdk._self_metrics import ProcessorCounts, processor_counts
from otel.sdk.config import env_int
from otel.sdk.logs._guard import GUARD, report_once
from otel.sdk.logs._provider import LogRecordProcessor
from otel.sdk.logs._record import LogData, LogRecord

_logger = get_logger("otel.sdk.logs.export")


class LogExportResult(enum.Enum):
    """Outcome of ``LogExporter.export``."""

    SUCCESS = 0
    FAILURE = 1


class LogExporter:
    """Sends batches of LogData somewhere. ``export`` is never called concurrently."""

    def export(self, batch: Sequence[LogData]) -> LogExportResult:
        """Export a batch; must not raise (the processors catch and log if it does)."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Release resources; later exports fail."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Send anything buffered; True when done within the timeout."""
        return True


#: Spec names (``LogRecordExporter``), also used by the newer official SDK.
LogRecordExporter = LogExporter
LogRecordExportResult = LogExportResult


def _one_line_json(record: LogRecord) -> str:
    return record.to_json(indent=None) + os.linesep


class ConsoleLogExporter(LogExporter):
    """Writes each record as one JSON object on its own line (JSON Lines) to ``out``.

    ``formatter`` turns a LogRecord into the text written (default: one-line JSON with a
    newline). Meant for development; it writes synchronously.
    """

    def __init__(
        self,
        out: IO[str] | None = None,
        formatter: Callable[[LogRecord], str] = _one_line_json,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.formatter = formatter

    def export(self, batch: Sequence[LogData]) -> LogExportResult:
        try:
            console.write(self.out, "".join([self.formatter(data.log_record) for data in batch]))
        except Exception:
            _logger.exception("ConsoleLogExporter failed to write")
            return LogExportResult.FAILURE
        return LogExportResult.SUCCESS


class InMemoryLogExporter(LogExporter):
    """Keeps exported LogData in a list, for tests: ``get_finished_logs()``, ``clear()``."""

    def __init__(self) -> None:
        self._logs: list[LogData] = []
        self._lock = threading.Lock()
        renew_lock_after_fork(self)
        self._stopped = False

    def export(self, batch: Sequence[LogData]) -> LogExportResult:
        if self._stopped:
            return LogExportResult.FAILURE
        with self._lock:
            self._logs.extend(batch)
        return LogExportResult.SUCCESS

    def get_finished_logs(self) -> tuple[LogData, ...]:
        with self._lock:
            return tuple(self._logs)

    def clear(self) -> None:
        with self._lock:
            self._logs.clear()

    def shutdown(self) -> None:
        self._stopped = True


def _export_guarded(
    exporter: LogExporter, batch: Sequence[LogData], counts: ProcessorCounts | None = None
) -> None:
    """Export with the re-entrancy guard set: whatever the exporter logs is not re-exported."""
    guard = GUARD
    was_busy = guard.busy
    guard.busy = True
    ok = False
    try:
        result = exporter.export(batch)
        ok = result is LogExportResult.SUCCESS
        if not ok:
            _logger.warning(
                "%s failed to export %d log records", type(exporter).__name__, len(batch)
            )
    finally:
        guard.busy = was_busy
        if counts is not None:
            counts.done(len(batch), ok)


class SimpleLogRecordProcessor(LogRecordProcessor):
    """Exports each record immediately, on the emitting thread (development and tests).

    For production use :class:`BatchLogRecordProcessor`, which does no I/O on the
    application's thread. Exceptions from the exporter are logged, never raised.
    """

    def __init__(self, exporter: LogExporter, *, meter_provider: object = None) -> None:
        self._exporter = exporter
        self._is_shutdown = False
        self._warned = False
        self._self_metrics = processor_counts("simple_log_processor", "log", None, meter_provider)

    def on_emit(self, log_data: LogData) -> None:
        if self._is_shutdown:
            if not self._warned:
                self._warned = True
                _logger.warning("SimpleLogRecordProcessor is shut down; records are dropped")
            return
        try:
            _export_guarded(self._exporter, (log_data,), self._self_metrics)
        except Exception as exc:
            report_once(
                _logger,
                (type(self._exporter), type(exc)),
                "%s failed to export a log record",
                type(self._exporter).__name__,
            )

    emit = on_emit

    def shutdown(self) -> None:
        if self._is_shutdown:
            return
        self._is_shutdown = True
        try:
            self._exporter.shutdown()
        except Exception:
            _logger.exception("Shutting down the log exporter failed")

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        try:
            return self._exporter.force_flush(timeout_millis)
        except Exception:
            _logger.exception("Flushing the log exporter failed")
            return False


class BatchLogRecordProcessor(LogRecordProcessor):
    """Queues records (bounded, lock-free append) and exports them in batches off-thread.

    Built on the shared ``otel.sdk._batch.BatchWorker``: a full queue drops and counts
    records (``dropped``), ``force_flush`` and ``shutdown`` return within their timeouts
    even when the exporter hangs, and a forked child gets its own empty queue and worker.
    Defaults come from OTEL_BLRP_SCHEDULE_DELAY (1000 ms), OTEL_BLRP_EXPORT_TIMEOUT
    (30000 ms), OTEL_BLRP_MAX_QUEUE_SIZE (2048) and OTEL_BLRP_MAX_EXPORT_BATCH_SIZE (512).
    """

    # Set per instance in __init__ to the worker's own ``emit`` (a deque append): the
    # record path makes no call of its own.
    on_emit: Callable[[LogData], None]
    emit: Callable[[LogData], None]

    def __init__(
        self,
        exporter: LogExporter,
        schedule_delay_millis: float | None = None,
        max_export_batch_size: int | None = None,
        export_timeout_millis: float | None = None,
        max_queue_size: int | None = None,
        *,
        meter_provider: object = None,
    ) -> None:
        if max_queue_size is None:
            max_queue_size = env_int("OTEL_BLRP_MAX_QUEUE_SIZE", 2048, minimum=1)
        if schedule_delay_millis is None:
            schedule_delay_millis = env_int("OTEL_BLRP_SCHEDULE_DELAY", 1000, minimum=1)
        if max_export_batch_size is None:
            max_export_batch_size = env_int("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", 512, minimum=1)
            if max_export_batch_size > max_queue_size:
                _logger.warning(
                    "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=%d exceeds the queue size %d; using %d",
                    max_export_batch_size,
                    max_queue_size,
                    max_queue_size,
                )
                max_export_batch_size = max_queue_size
        if export_timeout_millis is None:
            export_timeout_millis = env_int("OTEL_BLRP_EXPORT_TIMEOUT", 30000, minimum=0)
        self._exporter = exporter
        self._export_timeout_millis = export_timeout_millis
        self._worker: BatchWorker[LogData] = BatchWorker(
            self._export,
            max_queue_size=max_queue_size,
            schedule_delay_millis=schedule_delay_millis,
            max_export_batch_size=max_export_batch_size,
            export_timeout_millis=export_timeout_millis,
            name="otel.BatchLogRecordProcessor",
            logger=_logger,
        )
        self._self_metrics = processor_counts(
            "batching_log_processor", "log", self._worker, meter_provider
        )
        self._shutdown_lock = threading.Lock()
        renew_lock_after_fork(self, "_shutdown_lock")
        self._is_shutdown = False
        # The hot path: one bound method, a deque append behind it.
        self.on_emit = self.emit = self._worker.emit

    def _export(self, batch: list[LogData]) -> None:
        _export_guarded(self._exporter, batch, self._self_metrics)

    @property
    def dropped(self) -> int:
        """Records dropped because the queue was full."""
        return self._worker.dropped

    def force_flush(self, timeout_millis: int | None = 30000) -> bool:
        """Export everything queued; False if not done within the timeout.

        ``None`` waits up to the export timeout.
        """
        if timeout_millis is None:
            timeout_millis = int(self._export_timeout_millis)
        return self._worker.force_flush(timeout_millis)

    def shutdown(self, timeout_millis: int = 30000) -> bool:
        """Export what is queued, stop the worker, shut the exporter down; once.

        Returns within ``timeout_millis`` even when an export or the exporter's shutdown
        hangs (the hung thread is then abandoned); False in that case.
        """
        with self._shutdown_lock:
            if self._is_shutdown:
                return True
            self._is_shutdown = True
        deadline = time.monotonic() + max(timeout_millis, 0) / 1000.0
        stopped = self._worker.shutdown(timeout_millis)
        exporter_stopped = shutdown_exporter(
            self._exporter.shutdown, deadline, _logger, "Shutting down the log exporter failed"
        )
        return stopped and exporter_stopped


#: Names used by the newer official SDK for the same exporters.
ConsoleLogRecordExporter = ConsoleLogExporter
InMemoryLogRecordExporter = InMemoryLogExporter
