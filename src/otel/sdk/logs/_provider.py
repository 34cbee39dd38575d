"""SDK Logger and LoggerProvider, the LogRecordProcessor interface and multiplexers."""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Mapping
from time import time_ns
from typing import Any

from otel._log import get_logger
from otel.attributes import clean_attributes
from otel.context import Context
from otel.logs import AnyValue, NoOpLogger, SeverityNumber
from otel.logs import Logger as APILogger
from otel.logs import LoggerProvider as APILoggerProvider
from otel.logs import LogRecord as APILogRecord
from otel.sdk._atexit import shutdown_at_exit
from otel.sdk._fork import renew_lock_after_fork
from otel.sdk._self_metrics import created_log_processor
from otel.sdk._self_metrics import enabled as self_metrics_enabled
from otel.sdk.config import sdk_disabled
from otel.sdk.logs._guard import report_once
from otel.sdk.logs._record import LogData, LogLimits, LogRecord, _span_ids
from otel.sdk.resources import Resource
from otel.sdk.util._instrumentation import InstrumentationScope, scope_text
from otel.trace import get_current_span

_logger = get_logger("otel.sdk.logs")


class LogRecordProcessor:
    """Receives every emitted record (``on_emit``) and passes it on, e.g. to an exporter.

    ``on_emit`` runs on the application's thread, synchronously: it must be fast and must
    not block. Subclasses written against the older official API may override ``emit``
    instead; the default ``on_emit`` calls it.
    """

    # The record is passed positionally (its parameter name differs between official
    # versions, and the batch processor's ``on_emit`` is its worker's ``emit(item)``).
    def on_emit(self, log_data: LogData, /) -> None:
        """Called for every record emitted by a logger of the provider."""
        self.emit(log_data)

    def emit(self, log_data: LogData, /) -> None:
        """Older name of :meth:`on_emit` (override one of the two)."""

    def shutdown(self) -> bool | None:
        """Release resources; later records are dropped. Called once by the provider.

        A processor that bounds its shutdown by a timeout may return whether it finished.
        """

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Export everything received so far; True when done within the timeout."""
        return True


class SynchronousMultiLogRecordProcessor(LogRecordProcessor):
    """Calls its processors one after the other, in the order they were added.

    Adding copies a tuple under a lock; emitting reads the tuple without one. A processor
    that raises is logged and skipped, the others still see the record.
    """

    def __init__(self) -> None:
        self._processors: tuple[LogRecordProcessor, ...] = ()
        self._lock = threading.Lock()
        renew_lock_after_fork(self)

    def add_log_record_processor(self, log_record_processor: LogRecordProcessor) -> None:
        with self._lock:
            self._processors = (*self._processors, log_record_processor)

    def on_emit(self, log_data: LogData) -> None:
        for processor in self._processors:
            try:
                processor.on_emit(log_data)
            except Exception as exc:
                report_once(
                    _logger,
                    (type(processor), type(exc)),
                    "Log record processor %r failed",
                    processor,
                )

    emit = on_emit

    def shutdown(self) -> None:
        for processor in self._processors:
            try:
                processor.shutdown()
            except Exception:
                _logger.exception("Shutting down log record processor %r failed", processor)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        deadline = time.monotonic() + timeout_millis / 1000.0
        for processor in self._processors:
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0:
                return False
            try:
                if not processor.force_flush(remaining):
                    return False
            except Exception:
                _logger.exception("Flushing log record processor %r failed", processor)
                return False
        return True


class ConcurrentMultiLogRecordProcessor(SynchronousMultiLogRecordProcessor):
    """Like the synchronous one, but flushes and shuts down its processors in parallel."""

    def __init__(self, max_workers: int = 2) -> None:
        super().__init__()
        self._max_workers = max_workers

    def _in_parallel(self, call: Callable[[LogRecordProcessor], object], timeout: float) -> bool:
        processors = self._processors
        if not processors:
            return True
        import concurrent.futures  # only this class needs it: not at import time

        pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self._max_workers, thread_name_prefix="otel.logs"
        )
        try:
            futures = [pool.submit(call, p) for p in processors]
            done, not_done = concurrent.futures.wait(futures, timeout)
        except RuntimeError:  # Python 3.12+ starts no threads at interpreter exit
            return self._one_by_one(call)
        finally:
            pool.shutdown(wait=False)
        ok = not not_done
        for future in done:
            error = future.exception()
            if error is not None:
                _logger.error("Log record processor failed: %r", error)
                ok = False
            elif future.result() is False:
                ok = False
        return ok

    def _one_by_one(self, call: Callable[[LogRecordProcessor], object]) -> bool:
        ok = True
        for processor in self._processors:
            try:
                ok = call(processor) is not False and ok
            except Exception:
                _logger.exception("Log record processor %r failed", processor)
                ok = False
        return ok

    def shutdown(self) -> None:
        self._in_parallel(lambda p: p.shutdown(), 30.0)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._in_parallel(lambda p: p.force_flush(timeout_millis), timeout_millis / 1000.0)


class Logger(APILogger):
    """The SDK logger: turns ``emit`` calls into LogData for the provider's processors."""

    def __init__(
        self,
        resource: Resource,
        multi_log_record_processor: SynchronousMultiLogRecordProcessor,
        instrumentation_scope: InstrumentationScope,
        limits: LogLimits | None = None,
    ) -> None:
        super().__init__(
            instrumentation_scope.name,
            instrumentation_scope.version,
            instrumentation_scope.schema_url,
            instrumentation_scope.attributes,
        )
        self._resource = resource
        self._multi = multi_log_record_processor
        self._scope = instrumentation_scope
        self._limits = limits if limits is not None else LogLimits()
        # Limits as the logging bridge checks them: no length limit and a count to exceed.
        self._max_len = self._limits.max_attribute_length
        max_count = self._limits.max_attributes
        self._max_count: float = float("inf") if max_count is None else max_count
        # Our own multiplexers can be looped over inline; anything else gets on_emit().
        self._inline = type(multi_log_record_processor) in _INLINE_MULTI

    @property
    def resource(self) -> Resource:
        return self._resource

    def _replace_resource(self, resource: Resource) -> None:
        """The resource of the records emitted from now on (a forked child's new identity)."""
        self._resource = resource

    @property
    def instrumentation_scope(self) -> InstrumentationScope:
        return self._scope

    def enabled(
        self,
        context: Context | None = None,
        severity_number: SeverityNumber | None = None,
        event_name: str | None = None,
    ) -> bool:
        return bool(self._multi._processors)

    def emit(
        self,
        record: APILogRecord | None = None,
        *,
        timestamp: int | None = None,
        observed_timestamp: int | None = None,
        context: Context | None = None,
        severity_number: SeverityNumber | None = None,
        severity_text: str | None = None,
        body: AnyValue = None,
        attributes: Mapping[str, AnyValue] | None = None,
        event_name: str | None = None,
        exception: BaseException | None = None,
    ) -> None:
        """Emit a record (SDK or API ``LogRecord``) or one built from the keywords.

        Trace correlation comes from ``context`` (default: the current context) unless
        the record carries ids. Never raises.
        """
        try:
            if record is None and exception is None:  # the common, fast path
                span_context = get_current_span(context).get_span_context()
                dropped = 0
                if attributes:
                    limits = self._limits
                    attributes, dropped = clean_attributes(
                        attributes, limits.max_attributes, limits.max_attribute_length
                    )
                else:
                    attributes = {}  # a fresh dict: processors may add attributes
                self._dispatch(
                    timestamp,
                    observed_timestamp if observed_timestamp is not None else time_ns(),
                    context,
                    span_context.trace_id,
                    span_context.span_id,
                    span_context.trace_flags,
                    severity_text,
                    severity_number,
                    body,
                    attributes,
                    dropped,
                    event_name,
                )
                return
            if record is None:
                sdk_record = LogRecord(
                    timestamp,
                    observed_timestamp,
                    context,
                    None,
                    None,
                    None,
                    severity_text,
                    severity_number,
                    body,
                    self._resource,
                    attributes,
                    self._limits,
                    event_name,
                    exception,
                )
            elif type(record) is LogRecord or isinstance(record, LogRecord):
                sdk_record = record
                if sdk_record.resource is None:
                    sdk_record.resource = self._resource
            else:
                sdk_record = self._from_api_record(record)
            self._multi.on_emit(LogData(sdk_record, self._scope))
        except Exception as exc:
            report_once(_logger, ("emit", type(exc)), "Failed to emit a log record")

    def _from_api_record(self, record: APILogRecord) -> LogRecord:
        trace_id, span_id, flags = record.trace_id, record.span_id, record.trace_flags
        if trace_id is None and span_id is None and flags is None:
            trace_id, span_id, flags = _span_ids(record.context)
        return LogRecord(
            record.timestamp,
            record.observed_timestamp,
            record.context,
            trace_id or 0,
            span_id or 0,
            flags or 0,
            record.severity_text,
            record.severity_number,
            record.body,
            self._resource,
            record.attributes,
            self._limits,
            record.event_name,
            record.exception,
        )

    def _dispatch(
        self,
        timestamp: int | None,
        observed_timestamp: int,
        context: Context | None,
        trace_id: int,
        span_id: int,
        trace_flags: int,
        severity_text: str | None,
        severity_number: SeverityNumber | None,
        body: object,
        attributes: Mapping[str, Any],
        dropped: int,
        event_name: str | None,
    ) -> None:
        """Build the record from checked values (no validation) and hand it on.

        The SDK's own hot path (``emit`` keywords, the logging bridge): the caller has
        validated ``attributes`` and applied the limits (``dropped`` counts the excess).
        """
        record = _object_new(LogRecord)
        record.timestamp = timestamp
        record.observed_timestamp = observed_timestamp
        record.context = context
        record.trace_id = trace_id
        record.span_id = span_id
        record.trace_flags = trace_flags
        record.severity_text = severity_text
        record.severity_number = severity_number
        record.body = body
        record.resource = self._resource
        record.attributes = attributes
        record.dropped_attributes = dropped
        record.limits = self._limits
        record.event_name = event_name
        record.exception = None
        data = _object_new(LogData)
        data.log_record = record
        data.instrumentation_scope = self._scope
        if not self._inline:
            self._multi.on_emit(data)
            return
        for processor in self._multi._processors:
            try:
                processor.on_emit(data)
            except Exception as exc:
                report_once(
                    _logger,
                    (type(processor), type(exc)),
                    "Log record processor %r failed",
                    processor,
                )


_object_new = object.__new__
_INLINE_MULTI = (SynchronousMultiLogRecordProcessor, ConcurrentMultiLogRecordProcessor)


class LoggerProvider(APILoggerProvider):
    """The SDK LoggerProvider: owns the resource, the limits and the processors.

    ``shutdown_on_exit`` registers :meth:`shutdown` with ``atexit`` (through a weak
    reference, so a discarded provider can still be collected). ``OTEL_SDK_DISABLED=true``
    makes ``get_logger`` hand out no-op loggers. ``log_record_limits`` defaults to the
    OTEL_LOGRECORD_* environment variables.
    """

    def __init__(
        self,
        resource: Resource | None = None,
        shutdown_on_exit: bool = True,
        multi_log_record_processor: SynchronousMultiLogRecordProcessor | None = None,
        *,
        log_record_limits: LogLimits | None = None,
        meter_provider: object = None,
    ) -> None:
        self._resource = resource if resource is not None else Resource.create()
        self._multi = (
            multi_log_record_processor
            if multi_log_record_processor is not None
            else SynchronousMultiLogRecordProcessor()
        )
        if self_metrics_enabled():  # otel.sdk.log.created: counted only when switched on
            self._multi.add_log_record_processor(created_log_processor(meter_provider))
        self._limits = log_record_limits if log_record_limits is not None else LogLimits()
        self._disabled = sdk_disabled()
        self._loggers: dict[object, APILogger] = {}
        self._lock = threading.Lock()
        renew_lock_after_fork(self)
        self._is_shutdown = False
        self._atexit: Callable[[], None] | None = (
            shutdown_at_exit(self) if shutdown_on_exit else None
        )

    @property
    def resource(self) -> Resource:
        return self._resource

    def _replace_resource(self, resource: Resource) -> None:
        """Use ``resource`` from now on, here and in every logger handed out (after fork)."""
        self._resource = resource
        for logger in list(self._loggers.values()):
            if isinstance(logger, Logger):
                logger._replace_resource(resource)

    def get_logger(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> APILogger:
        if self._disabled or self._is_shutdown:
            if self._is_shutdown:
                _logger.warning("get_logger called on a LoggerProvider that is shut down")
            return NoOpLogger(name, version=version, schema_url=schema_url, attributes=attributes)
        name = scope_text(name, "name") or ""
        version = scope_text(version, "version")
        schema_url = scope_text(schema_url, "schema_url")
        if not name:
            _logger.warning("get_logger called with an empty name; the logger still works")
        try:
            key: object = (name, version, schema_url) if not attributes else None
        except Exception:  # attributes whose truth cannot be read
            key = None
        found = self._loggers.get(key) if key is not None else None
        if found is not None:
            return found
        scope = InstrumentationScope(name, version, schema_url, attributes)
        if key is None:
            key = scope
        with self._lock:
            found = self._loggers.get(key)
            if found is None:
                found = Logger(self._resource, self._multi, scope, self._limits)
                self._loggers[key] = found
            return found

    def add_log_record_processor(self, log_record_processor: LogRecordProcessor) -> None:
        """Add a processor; it sees every record emitted from now on."""
        self._multi.add_log_record_processor(log_record_processor)

    def shutdown(self) -> None:
        """Flush and shut down every processor, once; later calls are ignored."""
        with self._lock:
            if self._is_shutdown:
                return
            self._is_shutdown = True
        if self._atexit is not None:
            atexit.unregister(self._atexit)
            self._atexit = None
        self._multi.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Flush every processor; True when all finished within ``timeout_millis``."""
        return self._multi.force_flush(timeout_millis)
