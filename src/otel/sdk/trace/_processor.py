"""SpanProcessor interface and the multi-processors the TracerProvider uses."""

from __future__ import annotations

import time
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from collections.abc import Callable

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel._once import report_once
from otel.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    import threading
    from typing import Any

    from otel.sdk._batch import BatchWorker
    from otel.sdk.trace._span import ReadableSpan, Span

_logger = get_logger("otel.sdk.trace")


class SpanProcessor:
    """Hooks called when a recording span starts and ends (all methods optional)."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        """Called synchronously when a recording span starts."""

    def on_end(self, span: ReadableSpan) -> None:
        """Called synchronously when a recording span ends; ``span`` must not be changed."""

    def shutdown(self) -> None:
        """Release resources; called once, by the provider's shutdown."""

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Export everything pending; True on success within the timeout."""
        return True


def _overrides(processor: SpanProcessor, name: str) -> bool:
    return getattr(type(processor), name, None) is not getattr(SpanProcessor, name)


def _sole_batch_worker(processors: tuple[SpanProcessor, ...]) -> BatchWorker[Any] | None:
    """The queue worker of the only processor when it is a ``BatchSpanProcessor`` (its
    own ``on_end``, not a subclass's), else None. Ending a span then queues it without
    the processor's frame (``Span.end``, the SDK scope's ``__exit__``)."""
    if len(processors) != 1:
        return None
    from otel.sdk.trace.export._exporters import BatchSpanProcessor  # at registration only

    sole = processors[0]
    if getattr(type(sole), "on_end", None) is not BatchSpanProcessor.on_end:
        return None
    return sole.batch_worker  # type: ignore[attr-defined, no-any-return]


class SynchronousMultiSpanProcessor(SpanProcessor):
    """Calls each added processor in order. The provider's default active processor.

    With a single processor its ``on_end`` is called directly (no loop), and ``on_start``
    is skipped entirely when no processor overrides it.
    """

    def __init__(self) -> None:
        self._lock = allocate_lock()
        renew_lock_after_fork(self)
        self._span_processors: tuple[SpanProcessor, ...] = ()
        self._start_hooks: tuple[Callable[..., None], ...] = ()
        self.batch_worker: BatchWorker[Any] | None = None
        self.on_end = self._no_processor  # type: ignore[method-assign]

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        with self._lock:
            self._span_processors = (*self._span_processors, span_processor)
            self._rebind()

    def _rebind(self) -> None:
        processors = self._span_processors
        self._start_hooks = tuple(p.on_start for p in processors if _overrides(p, "on_start"))
        self.batch_worker = _sole_batch_worker(processors)
        if not processors:
            self.on_end = self._no_processor  # type: ignore[method-assign]
        elif len(processors) == 1:
            self.on_end = processors[0].on_end  # type: ignore[method-assign]
        else:
            self.on_end = self._on_end_all  # type: ignore[method-assign]

    def _no_processor(self, span: ReadableSpan) -> None:
        pass

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for hook in self._start_hooks:
            try:
                hook(span, parent_context=parent_context)
            except Exception as exc:
                key = ("trace.on_start", type(getattr(hook, "__self__", hook)), type(exc))
                report_once(_logger, key, "Span processor failed in on_start")

    def _on_end_all(self, span: ReadableSpan) -> None:
        for processor in self._span_processors:
            try:
                processor.on_end(span)
            except Exception as exc:
                key = ("trace.on_end", type(processor), type(exc))
                report_once(_logger, key, "Span processor failed in on_end")

    def shutdown(self) -> None:
        for processor in self._span_processors:
            try:
                processor.shutdown()
            except Exception:
                _logger.exception("Span processor failed in shutdown")

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Flush each processor in turn, sharing one deadline; False if any fails."""
        deadline = time.monotonic() + timeout_millis / 1000.0
        ok = True
        for processor in self._span_processors:
            remaining = (deadline - time.monotonic()) * 1000.0
            if remaining <= 0:
                return False
            try:
                if not processor.force_flush(int(remaining)):
                    ok = False
            except Exception:
                _logger.exception("Span processor failed in force_flush")
                ok = False
        return ok


class ConcurrentMultiSpanProcessor(SynchronousMultiSpanProcessor):
    """Like the synchronous one, but flushes and shuts processors down in parallel threads."""

    def __init__(self, num_threads: int = 2) -> None:
        super().__init__()
        self._num_threads = num_threads

    def _parallel(self, call: Callable[[SpanProcessor], Any], timeout: float) -> list[Any]:
        results: list[Any] = [False] * len(self._span_processors)

        def run(index: int, processor: SpanProcessor) -> None:
            try:
                results[index] = call(processor)
            except Exception:
                _logger.exception("Span processor failed")

        import threading  # only here: keeps threading off the import path

        threads: list[threading.Thread] = []
        for index, processor in enumerate(self._span_processors):
            thread = threading.Thread(target=run, args=(index, processor), daemon=True)
            try:
                thread.start()
            except RuntimeError:  # Python 3.12+ starts no threads at interpreter exit
                run(index, processor)
                continue
            threads.append(thread)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))
        return results

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        results = self._parallel(lambda p: p.force_flush(timeout_millis), timeout_millis / 1000)
        return all(results)

    def shutdown(self) -> None:
        self._parallel(lambda p: p.shutdown(), 30.0)
