"""SpanExporter interface, the simple and batch processors, the console exporter."""

from __future__ import annotations

import enum
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel._once import report_once
from otel.sdk import _console as console
from otel.sdk._batch import BatchWorker, shutdown_exporter
from otel.sdk._self_metrics import processor_counts
from otel.sdk.config import env_int
from otel.sdk.trace._processor import SpanProcessor
from otel.sdk.trace._span import ReadableSpan

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import IO

_logger = get_logger("otel.sdk.trace.export")

OTEL_BSP_MAX_QUEUE_SIZE = "OTEL_BSP_MAX_QUEUE_SIZE"
OTEL_BSP_SCHEDULE_DELAY = "OTEL_BSP_SCHEDULE_DELAY"
OTEL_BSP_MAX_EXPORT_BATCH_SIZE = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"
OTEL_BSP_EXPORT_TIMEOUT = "OTEL_BSP_EXPORT_TIMEOUT"


class SpanExportResult(enum.Enum):
    SUCCESS = 0
    FAILURE = 1


class SpanExporter:
    """Sends finished spans somewhere. ``export`` is never called concurrently by our
    processors."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Export a batch of spans."""
        raise NotImplementedError

    def shutdown(self) -> None:
        """Release resources; later exports may fail."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Export anything buffered inside the exporter."""
        return True


def _is_sampled(span: ReadableSpan) -> bool:
    return bool(span._context[3] & 1)


class SimpleSpanProcessor(SpanProcessor):
    """Exports each sampled span synchronously as it ends (for debugging and tests)."""

    def __init__(self, span_exporter: SpanExporter, *, meter_provider: object = None) -> None:
        self.span_exporter = span_exporter
        self._lock = threading.Lock()
        renew_lock_after_fork(self)
        self._self_metrics = processor_counts("simple_span_processor", "span", None, meter_provider)

    def on_end(self, span: ReadableSpan) -> None:
        if not span._context[3] & 1:
            return
        ok = False
        try:
            with self._lock:
                ok = self.span_exporter.export((span,)) is SpanExportResult.SUCCESS
        except Exception as exc:
            key = ("trace.export", type(self.span_exporter), type(exc))
            report_once(_logger, key, "Exception while exporting a span")
        self._self_metrics.done(1, ok)

    def shutdown(self) -> None:
        try:
            self.span_exporter.shutdown()
        except Exception:
            _logger.exception("Exporter failed to shut down")

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def _setting(value: int | None, env_name: str, default: int) -> tuple[int, bool]:
    if value is not None:
        return value, True
    return env_int(env_name, default, minimum=1), False


class BatchSpanProcessor(SpanProcessor):
    """Queues sampled spans at end and exports them in batches from a daemon thread.

    Defaults (spec): max_queue_size 2048 (OTEL_BSP_MAX_QUEUE_SIZE), schedule_delay_millis
    5000 (OTEL_BSP_SCHEDULE_DELAY), max_export_batch_size 512
    (OTEL_BSP_MAX_EXPORT_BATCH_SIZE), export_timeout_millis 30000 (OTEL_BSP_EXPORT_TIMEOUT).
    A full queue drops spans (counted in ``dropped_spans``, logged periodically); the
    worker wakes as soon as a batch is full; ``force_flush`` and ``shutdown`` return within
    their timeouts even if the exporter hangs; a forked child gets its own queue and worker.
    """

    def __init__(
        self,
        span_exporter: SpanExporter,
        max_queue_size: int | None = None,
        schedule_delay_millis: float | None = None,
        max_export_batch_size: int | None = None,
        export_timeout_millis: float | None = None,
        *,
        meter_provider: object = None,
    ) -> None:
        queue_size, explicit_queue = _setting(max_queue_size, OTEL_BSP_MAX_QUEUE_SIZE, 2048)
        delay: float = (
            schedule_delay_millis
            if schedule_delay_millis is not None
            else env_int(OTEL_BSP_SCHEDULE_DELAY, 5000, minimum=1)
        )
        batch_size, explicit_batch = _setting(
            max_export_batch_size, OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512
        )
        timeout: float = (
            export_timeout_millis
            if export_timeout_millis is not None
            else env_int(OTEL_BSP_EXPORT_TIMEOUT, 30000, minimum=1)
        )
        if batch_size > queue_size and not (explicit_batch and explicit_queue):
            _logger.warning(
                "max_export_batch_size %d exceeds max_queue_size %d; using %d",
                batch_size,
                queue_size,
                queue_size,
            )
            batch_size = queue_size
        if timeout <= 0:
            raise ValueError("export_timeout_millis must be positive")
        self.span_exporter = span_exporter
        self._worker: BatchWorker[ReadableSpan] = BatchWorker(
            self._export,
            max_queue_size=queue_size,
            schedule_delay_millis=delay,
            max_export_batch_size=batch_size,
            export_timeout_millis=timeout,
            name="otel.BatchSpanProcessor",
            logger=_logger,
        )
        self._export_timeout_millis = timeout
        self._self_metrics = processor_counts(
            "batching_span_processor", "span", self._worker, meter_provider
        )

    @property
    def max_queue_size(self) -> int:
        return self._worker.max_queue_size

    @property
    def schedule_delay_millis(self) -> float:
        return self._worker.schedule_delay_millis

    @property
    def max_export_batch_size(self) -> int:
        return self._worker.max_export_batch_size

    @property
    def export_timeout_millis(self) -> float:
        return self._export_timeout_millis

    @property
    def dropped_spans(self) -> int:
        """Spans dropped because the queue was full."""
        return self._worker.dropped

    def _export(self, batch: list[ReadableSpan]) -> None:
        result = SpanExportResult.FAILURE
        try:
            result = self.span_exporter.export(batch)
        finally:
            self._self_metrics.done(len(batch), result is SpanExportResult.SUCCESS)
        if result is SpanExportResult.FAILURE:
            _logger.debug("Exporter reported failure for %d spans", len(batch))

    def on_end(self, span: ReadableSpan) -> None:
        # only sampled spans are exported (a RECORD_ONLY span ends here too). A provider
        # whose only processor this is skips this call: Span.end queues into ``batch_worker``
        if span._context[3] & 1:
            self._worker.emit(span)

    @property
    def batch_worker(self) -> BatchWorker[ReadableSpan]:
        """The queue and export thread behind this processor (see ``BatchWorker``)."""
        return self._worker

    def force_flush(self, timeout_millis: int | None = None) -> bool:
        return self._worker.force_flush(
            self._export_timeout_millis if timeout_millis is None else timeout_millis
        )

    def shutdown(self, timeout_millis: int | None = None) -> None:
        """Export what is queued, then shut the exporter down, all within the timeout."""
        timeout = self._export_timeout_millis if timeout_millis is None else timeout_millis
        deadline = time.monotonic() + max(timeout, 0) / 1000.0
        self._worker.shutdown(timeout)
        shutdown_exporter(
            self.span_exporter.shutdown, deadline, _logger, "Exporter failed to shut down"
        )


def _default_formatter(span: ReadableSpan) -> str:
    return span.to_json() + os.linesep


class ConsoleSpanExporter(SpanExporter):
    """Writes each span to ``out`` (default stdout) as an indented JSON object."""

    def __init__(
        self,
        service_name: str | None = None,
        out: IO[str] = sys.stdout,
        formatter: Callable[[ReadableSpan], str] = _default_formatter,
    ) -> None:
        self.service_name = service_name
        self.out = out
        self.formatter = formatter
        self._lock = threading.Lock()
        renew_lock_after_fork(self)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Write every span; one that fails to format is skipped (logged), not the rest."""
        failed = 0
        try:
            with self._lock:
                for span in spans:
                    try:
                        text = self.formatter(span)
                    except Exception:
                        failed += 1
                        key = ("console.format", type(span))
                        report_once(_logger, key, "Console: a span failed to format")
                        continue
                    self.out.write(text)
                self.out.flush()
        except BrokenPipeError:  # the reader went away (``| head``): end quietly
            console.silence(self.out)
        except Exception:
            _logger.exception("Console export failed")
            return SpanExportResult.FAILURE
        # the good spans are written: only a batch where every span failed is a failure
        if failed and failed == len(spans):
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
