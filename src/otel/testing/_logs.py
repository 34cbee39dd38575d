"""``capture_logs()``: collect the log records your code emits, in tests.

::

    from otel.testing import capture_logs

    with capture_logs() as logs:
        logging.getLogger("shop").warning("low stock", extra={"sku": "A1"})
    assert logs.bodies == ["low stock"]
    assert logs[0].log_record.attributes["sku"] == "A1"

Both stdlib ``logging`` records (through a temporary ``LoggingHandler`` on the root
logger, or the logger you name) and records emitted through the otel Logs API
(``otel.logs.get_logger(...).emit``) are captured, synchronously, as ``LogData``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, overload

from otel.logs import LoggerProvider as APILoggerProvider
from otel.logs import ProxyLoggerProvider, get_logger_provider
from otel.logs._logs import _swap_logger_provider
from otel.sdk.logs import LogData, LoggerProvider, LoggingHandler, LogRecord, LogRecordProcessor
from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor


class _Switchable(LogRecordProcessor):
    """Forwards to the capturing processor until the capture ends (processors cannot be
    removed from a provider, so a finished capture leaves only this inert shell)."""

    def __init__(self, processor: LogRecordProcessor) -> None:
        self.processor: LogRecordProcessor | None = processor

    def on_emit(self, log_data: LogData) -> None:
        processor = self.processor
        if processor is not None:
            processor.on_emit(log_data)

    emit = on_emit

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class CapturedLogs(Sequence[LogData]):
    """The LogData captured so far, oldest first (a live, read-only sequence)."""

    def __init__(self, exporter: InMemoryLogExporter, provider: LoggerProvider) -> None:
        self._exporter = exporter
        self.logger_provider = provider

    @overload
    def __getitem__(self, index: int) -> LogData: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[LogData]: ...

    def __getitem__(self, index: int | slice) -> LogData | Sequence[LogData]:
        return self._exporter.get_finished_logs()[index]

    def __len__(self) -> int:
        return len(self._exporter.get_finished_logs())

    def __repr__(self) -> str:
        return f"CapturedLogs({list(self.bodies)!r})"

    @property
    def logs(self) -> list[LogData]:
        """Every captured LogData."""
        return list(self._exporter.get_finished_logs())

    @property
    def records(self) -> list[LogRecord]:
        """The captured log records (without their instrumentation scope)."""
        return [data.log_record for data in self._exporter.get_finished_logs()]

    @property
    def bodies(self) -> list[Any]:
        """The body of each captured record."""
        return [data.log_record.body for data in self._exporter.get_finished_logs()]

    def clear(self) -> None:
        """Forget what was captured so far."""
        self._exporter.clear()


def _routes_to(handler: logging.Handler, provider: LoggerProvider) -> bool:
    """True if ``handler`` already sends its records to ``provider``."""
    if not isinstance(handler, LoggingHandler):
        return False
    target = handler._logger_provider
    if target is provider:
        return True
    # A handler made before any provider was set uses the proxy provider: its loggers
    # follow the global provider, so it routes to ``provider`` if that is the global one.
    return isinstance(target, ProxyLoggerProvider) and get_logger_provider() is provider


@contextmanager
def capture_logs(
    logger_provider: LoggerProvider | None = None,
    *,
    logger: str | logging.Logger | None = "",
    level: int | None = logging.DEBUG,
) -> Iterator[CapturedLogs]:
    """Capture emitted log records for the duration of the ``with`` block.

    ``logger_provider``: the SDK provider to listen to; default: the global one if it
    is an SDK ``LoggerProvider``, otherwise a temporary provider is installed as the
    global one and the previous state restored on exit.

    ``logger``: the stdlib logger (or its name; ``""`` is the root) that gets a temporary
    ``LoggingHandler`` unless it already has one for that provider; None attaches none.
    ``level``: the stdlib logger's level during the capture (None: leave it alone).
    """
    exporter = InMemoryLogExporter()
    switch = _Switchable(SimpleLogRecordProcessor(exporter))
    swapped = False
    previous: APILoggerProvider | None = None
    provider = logger_provider
    if provider is None:
        current = get_logger_provider()
        if isinstance(current, LoggerProvider):
            provider = current
        else:
            provider = LoggerProvider(shutdown_on_exit=False)
            previous = _swap_logger_provider(provider)
            swapped = True
    provider.add_log_record_processor(switch)

    target: logging.Logger | None = None
    handler: LoggingHandler | None = None
    old_level = logging.NOTSET
    if logger is not None:
        target = logging.getLogger(logger) if isinstance(logger, str) else logger
        if not any(_routes_to(h, provider) for h in target.handlers):
            handler = LoggingHandler(logger_provider=provider)
            target.addHandler(handler)
        if level is not None:
            old_level = target.level
            target.setLevel(level)
    try:
        yield CapturedLogs(exporter, provider)
    finally:
        switch.processor = None
        if target is not None:
            if handler is not None:
                target.removeHandler(handler)
            if level is not None:
                target.setLevel(old_level)
        if swapped:
            _swap_logger_provider(previous)
            provider.shutdown()


def captured_logs() -> Iterator[CapturedLogs]:
    """Generator for a pytest fixture: ``pytest.fixture(captured_logs)``.

    Yields a :class:`CapturedLogs` for the test, with the default ``capture_logs()``
    set-up (root logger, level DEBUG, global or temporary provider).
    """
    with capture_logs() as logs:
        yield logs
