"""Shared batching machinery behind BatchSpanProcessor and BatchLogRecordProcessor.

:class:`BatchWorker` owns a bounded queue of items and a daemon thread that hands them,
in batches, to an ``export`` callable. It knows nothing about spans or log records.

API
---
``BatchWorker(export, *, max_queue_size=2048, schedule_delay_millis=5000,
max_export_batch_size=512, export_timeout_millis=30000, name="otel.batch",
logger=None)``

``export(batch: list[T]) -> object``
    Called from the worker thread only, never concurrently, with 1..max_export_batch_size
    items. Exceptions are caught and logged; the batch is then lost (counted in
    ``failed_exports``).

``emit(item) -> None``  (hot path)
    Queue one item. Never blocks, never raises, takes no lock while there is room: a
    ``collections.deque`` append (atomic under the GIL) after one length check. When the
    queue is full the item is dropped and counted (under a lock that only dropping
    takes); drops are reported by the worker in one log line at most every
    ``drop_report_interval`` seconds (and at shutdown), and are readable any time from
    ``dropped``. The worker is woken only when the queue reaches
    ``max_export_batch_size`` items, otherwise it exports every ``schedule_delay_millis``.
    After ``shutdown()`` items are discarded silently (not counted as queue-full drops).

    Bursts: a producer in a tight loop can fill the queue within one GIL switch interval
    (5 ms), before the woken worker thread gets to run, and would then drop nearly
    everything. So once the queue is past its high-water mark (half full, and at least one
    batch) the producer hands the GIL over with ``time.sleep(0)`` on every 64th item, and
    past 7/8 full (the next items would be dropped) pauses 50 µs on every 8th: no lock, no
    I/O, a bounded pause only where the alternative is dropping, that lets the worker drain.
    Below one batch ``emit`` is still one length check and one append. No pause and no
    yield while the worker has been inside one ``export`` call for more than
    ``_STALLED_EXPORT_S`` (a backend that refuses, hangs or asks to retry later): the worker
    is then waiting on the network or a backoff, not on the GIL, so a pause could save no
    item and would only add to the application's request latency (its p99, on a loaded
    machine where a sleeping thread may not get the CPU back for milliseconds).

``force_flush(timeout_millis=30000) -> bool``
    Export everything queued before the call; True if done within the timeout. A hung
    ``export`` makes it return False at the timeout, it never blocks longer.

``shutdown(timeout_millis=30000) -> bool``
    Export what is queued, stop the worker; True if it stopped within the timeout.
    Idempotent. A hung ``export`` cannot hold it beyond the timeout: the worker is a
    daemon thread and is abandoned. The caller (the processor) shuts its exporter down
    afterwards, within what is left of the same timeout (``shutdown_exporter``).

``dropped`` (int)
    Items dropped because the queue was full, since creation.

``queue_size`` (int)
    Items currently waiting.

Fork safety: ``os.register_at_fork(after_in_child=...)`` (through a weak reference, so a
worker can still be garbage-collected) gives the child process an empty queue, fresh
synchronisation objects and its own worker thread; the parent's pending items remain the
parent's to export.

``export_timeout_millis`` is stored (attribute of the same name) for the owner to pass to
exporters that accept a deadline; the worker does not interrupt an export. It never calls
``export`` concurrently, so one hung export stalls further exports (the queue then fills
and drops are counted) but never the application, flush or shutdown.

``BatchSpanProcessor.on_end`` calls ``emit`` (bound once) for sampled spans;
``tests/sdk/test_hot_path_copies.py`` checks both leave the same state.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from _weakref import ref as weakref_ref  # weakref.ref itself, without importing weakref
from collections.abc import Callable
from itertools import repeat as _repeat
from types import GenericAlias

from otel._log import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``logging`` and ``typing`` stay off the import path
    import logging
    from typing import Any, TypeVar
    from typing import Generic as _Generic

    from otel._log import LazyLogger

    T = TypeVar("T")
else:

    class _Generic:
        """Run-time stand-in for ``typing.Generic``: ``BatchWorker[X]`` still subscripts."""

        __slots__ = ()
        __class_getitem__ = classmethod(GenericAlias)

    T = object

_default_logger = get_logger("otel.sdk.batch")

# a shut-down queue: appends vanish (typed Any so it may stand in for any deque[T])
_DISCARD: collections.deque[Any] = collections.deque(maxlen=0)
_yield_gil = time.sleep
#: the pause of a producer that finds the queue 7/8 full (see ``BatchWorker.crowded``)
_NEAR_FULL_PAUSE_S = 0.00005
#: an export running longer than this waits on I/O: producers then stop pausing for it
_STALLED_EXPORT_S = 0.05
_monotonic = time.monotonic


def shutdown_exporter(
    shutdown: Callable[[], object],
    deadline: float,
    logger: logging.Logger | LazyLogger,
    failure_message: str,
) -> bool:
    """Call an exporter's ``shutdown`` and wait for it until ``deadline`` at the latest.

    ``deadline`` is on the ``time.monotonic()`` clock (the owning processor's shutdown
    timeout). The call runs in a daemon thread, so an exporter whose shutdown hangs (for
    example behind an export that hangs) is abandoned at the deadline instead of holding
    the caller, or the interpreter's exit, hostage. An exception is logged with
    ``failure_message``. True if the exporter's shutdown finished in time.
    """

    def run() -> None:
        try:
            shutdown()
        except Exception:
            logger.exception(failure_message)

    thread = threading.Thread(target=run, name="otel.exporter-shutdown", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # Python 3.12+ starts no threads at interpreter exit: call it here
        run()
        return True
    thread.join(max(deadline - time.monotonic(), 0.0))
    if thread.is_alive():
        logger.warning("Exporter shutdown did not finish within the timeout; abandoned")
        return False
    return True


class BatchWorker(_Generic[T]):
    """A bounded queue drained in batches by a daemon thread (see the module docstring).

    ``emit`` is the producer's entry. A hot path that cannot afford its frame may do the
    same itself through the public ``queue``, ``wake_at`` and ``crowded``: append to
    ``queue`` while ``len(queue) < wake_at``, else call ``crowded(item, len(queue))`` (read
    ``queue`` each time: a fork replaces it). Such copies are bound to ``emit`` by
    tests/sdk/test_hot_path_copies.py.
    """

    drop_report_interval = 60.0

    def __init__(
        self,
        export: Callable[[list[T]], object],
        *,
        max_queue_size: int = 2048,
        schedule_delay_millis: float = 5000,
        max_export_batch_size: int = 512,
        export_timeout_millis: float = 30000,
        name: str = "otel.batch",
        logger: logging.Logger | LazyLogger | None = None,
    ) -> None:
        if max_queue_size <= 0:
            raise ValueError("max_queue_size must be a positive integer")
        if max_export_batch_size <= 0:
            raise ValueError("max_export_batch_size must be a positive integer")
        if schedule_delay_millis <= 0:
            raise ValueError("schedule_delay_millis must be positive")
        if max_export_batch_size > max_queue_size:
            raise ValueError("max_export_batch_size must be less than or equal to max_queue_size")
        self._export = export
        self.max_queue_size = max_queue_size
        self.max_export_batch_size = max_export_batch_size
        self.wake_at = max_export_batch_size - 1  # queue length before the append
        # past this queue length producers yield the GIL now and then (see ``emit``)
        self._high_water = max(self.wake_at, max_queue_size // 2)
        # ... and past this one (7/8 full: the next item may be dropped) every 8th time
        self._near_full = max(self._high_water, max_queue_size - max_queue_size // 8)
        self.schedule_delay_millis = schedule_delay_millis
        self.export_timeout_millis = export_timeout_millis
        self._delay = schedule_delay_millis / 1000.0
        self._name = name
        self._logger = logger if logger is not None else _default_logger
        self._dropped = 0
        self._reported_dropped = 0
        self._last_drop_report = 0.0
        self.failed_exports = 0
        self._is_shutdown = False
        self._export_started = 0.0  # monotonic start of the export in progress, 0.0 if none
        self._init_runtime()
        ref = weakref_ref(self)

        def after_fork_in_child() -> None:
            worker = ref()
            if worker is not None:
                worker._after_fork()

        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=after_fork_in_child)

    # --- state that must be fresh in every process -----------------------------------

    def _init_runtime(self) -> None:
        self.queue: collections.deque[T] = collections.deque()
        self._wake = threading.Event()
        self._signalled = False  # a wake-up is pending: producers skip Event.set()
        self._drop_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._flush_requests: list[threading.Event] = []
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def _after_fork(self) -> None:
        if self._is_shutdown:
            self.queue = _DISCARD
            return
        self._dropped = 0
        self._reported_dropped = 0
        self._export_started = 0.0  # the parent's export in progress is not the child's
        self._init_runtime()

    # --- hot path --------------------------------------------------------------------

    def emit(self, item: T) -> None:
        """Queue ``item``; drop (and count) it when the queue is full. Never blocks."""
        queue = self.queue
        size = len(queue)
        if size < self.wake_at:
            queue.append(item)
        else:
            self.crowded(item, size)

    def crowded(self, item: T, size: int) -> None:
        """``emit`` with ``size`` items queued, at least a batch less one: wake, yield, drop."""
        queue = self.queue
        if size >= self.max_queue_size:
            if queue is not _DISCARD:
                with self._drop_lock:  # only when dropping; uncontended in practice
                    self._dropped += 1
            return
        queue.append(item)
        if not self._signalled:
            self._signalled = True
            self._wake.set()
        if size >= self._near_full:
            if not (size - self._high_water) & 7 and not self._export_stalled():
                # 7/8 full: the next items would be dropped. A bare yield may hand the GIL
                # back before the OS runs the worker; 50 µs makes sure the worker gets it.
                _yield_gil(_NEAR_FULL_PAUSE_S)
        elif (
            size >= self._high_water
            and not (size - self._high_water) & 63
            and not self._export_stalled()
        ):
            _yield_gil(0)  # let the woken worker drain a burst (see the module docstring)

    def _export_stalled(self) -> bool:
        """The worker has been in one ``export`` call for long: it waits on I/O, not us."""
        started = self._export_started
        return started != 0.0 and _monotonic() - started > _STALLED_EXPORT_S

    @property
    def dropped(self) -> int:
        """Items dropped because the queue was full."""
        return self._dropped

    @property
    def queue_size(self) -> int:
        return len(self.queue)

    # --- worker ----------------------------------------------------------------------

    def _run(self) -> None:
        queue = self.queue
        wake = self._wake
        deadline = time.monotonic() + self._delay
        while True:
            # Clear the flag before looking at the queue: a producer that crosses the
            # threshold after this line sets the event again, so no wake-up is lost.
            self._signalled = False
            timeout = deadline - time.monotonic()
            if timeout > 0 and len(queue) < self.max_export_batch_size:
                wake.wait(timeout)
            wake.clear()
            with self._flush_lock:
                flushes, self._flush_requests = self._flush_requests, []
            stopping = self._stopping
            if flushes or stopping or time.monotonic() >= deadline:
                self._drain(queue, everything=True)
                deadline = time.monotonic() + self._delay
            else:
                self._drain(queue, everything=False)
            for done in flushes:
                done.set()
            self._report_drops(force=stopping)
            if stopping:
                return

    def _drain(self, queue: collections.deque[T], everything: bool) -> None:
        """Export full batches; with ``everything`` also the remainder (one snapshot)."""
        batch_size = self.max_export_batch_size
        remaining = len(queue) if everything else len(queue) - len(queue) % batch_size
        popleft = queue.popleft
        while remaining > 0:
            count = min(batch_size, remaining, len(queue))
            if count <= 0:  # pragma: no cover - only the worker pops
                return
            batch: list[T] = [popleft() for _ in _repeat(None, count)]
            remaining -= count
            self._export_batch(batch)

    def _export_batch(self, batch: list[T]) -> None:
        self._export_started = _monotonic() or 1e-9  # never 0.0, which means "not exporting"
        try:
            self._export(batch)
        except Exception:
            self.failed_exports += 1
            self._logger.exception("%s: exporting a batch of %d failed", self._name, len(batch))
        finally:
            self._export_started = 0.0

    def _report_drops(self, force: bool) -> None:
        dropped = self._dropped
        if dropped == self._reported_dropped:
            return
        now = time.monotonic()
        last = self._last_drop_report
        if not force and last and now - last < self.drop_report_interval:
            return
        self._logger.warning(
            "%s: queue full (max_queue_size=%d), dropped %d items (%d in total)",
            self._name,
            self.max_queue_size,
            dropped - self._reported_dropped,
            dropped,
        )
        self._reported_dropped = dropped
        self._last_drop_report = now

    # --- control ---------------------------------------------------------------------

    def force_flush(self, timeout_millis: float = 30000) -> bool:
        """Export what is queued now; False if not done within ``timeout_millis``."""
        if self._is_shutdown:
            return True
        thread = self._thread
        if threading.current_thread() is thread:
            return False  # called from inside export: would wait for itself
        if not thread.is_alive():
            return len(self.queue) == 0
        done = threading.Event()
        with self._flush_lock:
            self._flush_requests.append(done)
        self._wake.set()
        return done.wait(max(timeout_millis, 0) / 1000.0)

    def shutdown(self, timeout_millis: float = 30000) -> bool:
        """Export what is queued and stop the worker, within ``timeout_millis``."""
        if self._is_shutdown:
            return True
        self._is_shutdown = True
        thread = self._thread
        self._stopping = True
        self._wake.set()
        if threading.current_thread() is not thread:
            thread.join(max(timeout_millis, 0) / 1000.0)
        stopped = not thread.is_alive()
        queue = self.queue
        self.queue = _DISCARD
        if not stopped:
            self._logger.warning(
                "%s: shutdown timed out after %s ms; %d items not exported",
                self._name,
                timeout_millis,
                len(queue),
            )
        return stopped
