"""``LoggingHandler``: the bridge from the standard ``logging`` module to the Logs SDK.

Per record it maps the level to a SeverityNumber (``std_to_otel``) and keeps the level
name as severity text, uses the formatted message as body (a non-string message such as
a dict is kept as a structured body), takes trace id, span id and flags from the current
span, and turns ``extra=`` fields, ``exc_info`` and the call site into attributes.

It never feeds on itself: records from the ``otel`` logger hierarchy (otel's own
diagnostics) are ignored, and a per-thread flag drops anything logged while a record is
being emitted or exported on that thread (e.g. by an exporter's HTTP client).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any

from otel.attributes import clean_attribute_value, clean_attributes
from otel.logs import Logger as APILogger
from otel.logs import LoggerProvider as APILoggerProvider
from otel.logs import LogRecord as APILogRecord
from otel.logs import NoOpLogger, ProxyLogger, ProxyLoggerProvider, get_logger_provider
from otel.logs._severity import _TABLE, std_to_otel
from otel.sdk.logs._guard import GUARD, report_once
from otel.sdk.logs._provider import Logger
from otel.sdk.logs._record import exception_attributes
from otel.trace import get_current_span

_logger = logging.getLogger("otel.sdk.logs")


class _LastPrinted(threading.local):
    record: logging.LogRecord | None = None


_last_printed = _LastPrinted()


def _last_resort(record: logging.LogRecord) -> None:
    """Print otel's own diagnostic to stderr when no handler but ours would show it.

    ``LoggingHandler`` never sends ``otel.*`` records into the pipeline (they would feed
    on themselves when export fails). If the application configured no other handler for
    them (e.g. only a ``LoggingHandler`` on the root logger), they would be lost: they go
    to ``logging.lastResort`` (stderr, WARNING and above) instead, once per record even
    with several ``LoggingHandler``s. That handler only writes to a stream: no recursion.
    """
    name = record.name
    if not isinstance(name, str) or not (name == "otel" or name.startswith("otel.")):
        return
    if _last_printed.record is record:
        return
    try:
        logger: logging.Logger | None = logging.getLogger(name)
        while logger is not None:
            for handler in logger.handlers:
                if not isinstance(handler, LoggingHandler) and record.levelno >= handler.level:
                    return  # the application shows it
            if not logger.propagate:
                break
            logger = logger.parent
        last = logging.lastResort
        if last is not None and record.levelno >= last.level:
            _last_printed.record = record
            last.handle(record)
    except Exception:  # diagnostics of last resort must not fail the caller
        pass


#: Attributes every stdlib LogRecord has (plus what formatters and otel's correlation
#: instrumentation add): everything else in ``record.__dict__`` came from ``extra=``.
_RESERVED = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()
    | {
        "message",
        "asctime",
        "taskName",
        "otelTraceID",
        "otelSpanID",
        "otelTraceSampled",
        "otelServiceName",
    }
)
_STANDARD_FIELD_COUNT = len(vars(logging.LogRecord("", 0, "", 0, "", (), None)))
_STRUCTURED_BODY = (dict, list, tuple, int, float, bool, bytes)
_MAX_CACHED_LOGGERS = 4096
# Python 3.12+ ``Handler.handle`` returns the (possibly filter-replaced) record.
_HANDLE_RETURNS_RECORD = sys.version_info >= (3, 12)
_MISSING: Any = object()

# Semantic-convention names of the call-site attributes.
_FILE_PATH = "code.file.path"
_FUNCTION_NAME = "code.function.name"
_LINE_NUMBER = "code.line.number"
_LEGACY_FILE_PATH = "code.filepath"
_LEGACY_FUNCTION = "code.function"
_LEGACY_LINENO = "code.lineno"


class LoggingHandler(logging.Handler):
    """A ``logging.Handler`` that emits every record it handles as an OpenTelemetry log.

    ``logger_provider`` defaults to the global one (records are dropped until an SDK
    provider is set). ``log_code_attributes`` adds ``code.file.path``,
    ``code.function.name`` and ``code.line.number`` (current semantic conventions);
    ``legacy_code_attributes`` adds the older ``code.filepath``, ``code.function`` and
    ``code.lineno`` too, for back-ends that still query those.

    Thread-safe without the handler lock: ``handle`` does not take it.
    """

    def __init__(
        self,
        level: int = logging.NOTSET,
        logger_provider: APILoggerProvider | None = None,
        *,
        log_code_attributes: bool = True,
        legacy_code_attributes: bool = False,
    ) -> None:
        super().__init__(level)
        self._logger_provider = (
            logger_provider if logger_provider is not None else get_logger_provider()
        )
        self._code = log_code_attributes
        self._legacy_code = legacy_code_attributes
        self._plain_code = log_code_attributes and not legacy_code_attributes
        # keyed by record.name, which is not always a str (makeLogRecord takes anything)
        self._loggers: dict[object, APILogger | None] = {}
        #: Timeout of :meth:`flush` (called by ``logging.shutdown`` at exit).
        self.flush_timeout_millis = 30000

    # --- logging.Handler interface ---------------------------------------------------

    def handle(self, record: logging.LogRecord) -> Any:
        """Filter and emit without the handler's lock (``emit`` is thread-safe)."""
        if not self.filters:  # the common case: no filter call at all
            self.emit(record)
            return record if _HANDLE_RETURNS_RECORD else True
        result = self.filter(record)
        if isinstance(result, logging.LogRecord):
            record = result
        if result:
            self.emit(record)
        return result

    def emit(self, record: logging.LogRecord) -> None:
        guard = GUARD
        if guard.busy:
            _last_resort(record)
            return
        guard.busy = True
        try:
            logger = self._loggers.get(record.name, _MISSING)
            if logger is _MISSING:
                logger = self._resolve(record.name)
            if type(logger) is ProxyLogger:
                logger = logger._delegate
            if logger is None:
                _last_resort(record)
                return
            if type(logger) is Logger:
                if logger._multi._processors:
                    self._emit_sdk(logger, record)
            elif type(logger) is not NoOpLogger:  # e.g. OTEL_SDK_DISABLED: nothing to build
                logger.emit(self._translate(record))
        except Exception as exc:
            report_once(_logger, ("handler", type(exc)), "LoggingHandler failed to emit a record")
        finally:
            guard.busy = False

    def flush(self) -> None:
        """Flush the provider (bounded by ``flush_timeout_millis``); never raises."""
        provider = self._logger_provider
        if isinstance(provider, ProxyLoggerProvider):
            provider = get_logger_provider()  # the real one, once set
        force_flush = getattr(provider, "force_flush", None)
        if force_flush is None or GUARD.busy:
            return
        try:
            force_flush(self.flush_timeout_millis)
        except Exception:
            _logger.exception("LoggingHandler failed to flush")

    # --- translation -----------------------------------------------------------------

    def _resolve(self, name: object) -> APILogger | None:
        logger: APILogger | None
        if not isinstance(name, str):
            logger = self._logger_provider.get_logger(str(name))  # makeLogRecord: None
        elif name == "otel" or name.startswith("otel."):
            logger = None  # otel's own diagnostics never come back into the pipeline
        else:
            logger = self._logger_provider.get_logger(name)
        if len(self._loggers) < _MAX_CACHED_LOGGERS:
            self._loggers[name] = logger
        return logger

    def _emit_sdk(self, logger: Logger, record: logging.LogRecord) -> None:
        span_context = get_current_span().get_span_context()
        levelno = record.levelno
        if type(levelno) is int and 0 <= levelno <= 60:
            severity = _TABLE[levelno]
        else:
            severity = std_to_otel(levelno)
        msg = record.msg
        if self.formatter is not None or type(msg) is not str:
            msg = self._body(record)
        elif record.args:
            try:
                msg = record.getMessage()
            except Exception:  # bad %-args: keep what we can rather than lose the record
                msg = f"{msg!s} {record.args!r}"
        values = record.__dict__
        if (
            self._plain_code
            and len(values) <= _STANDARD_FIELD_COUNT
            and not record.exc_info
            and not record.stack_info
            and record.funcName is not None
        ):  # the common record: call site only, no extras, no exception
            attributes: dict[str, Any] = {
                _FILE_PATH: record.pathname,
                _FUNCTION_NAME: record.funcName,
                _LINE_NUMBER: record.lineno,
            }
        else:
            attributes = self._get_attributes(record)
        dropped = 0
        if logger._max_len is not None or len(attributes) > logger._max_count:
            limits = logger._limits
            attributes, dropped = clean_attributes(
                attributes, limits.max_attributes, limits.max_attribute_length
            )
        logger._dispatch(
            int(record.created * 1e9),
            time.time_ns(),
            None,
            span_context.trace_id,
            span_context.span_id,
            span_context.trace_flags,
            record.levelname,
            severity,
            msg,
            attributes,
            dropped,
            None,
        )

    def _translate(self, record: logging.LogRecord) -> APILogRecord:
        """The record as an API LogRecord (for loggers other than the SDK's)."""
        span_context = get_current_span().get_span_context()
        return APILogRecord(
            timestamp=int(record.created * 1e9),
            observed_timestamp=time.time_ns(),
            trace_id=span_context.trace_id,
            span_id=span_context.span_id,
            trace_flags=span_context.trace_flags,
            severity_text=record.levelname,
            severity_number=std_to_otel(record.levelno),
            body=self._body(record),
            attributes=self._get_attributes(record),
        )

    def _body(self, record: logging.LogRecord) -> Any:
        if self.formatter is not None:
            return self.format(record)
        msg = record.msg
        if type(msg) is str:
            if not record.args:
                return msg
        elif not record.args and isinstance(msg, _STRUCTURED_BODY):
            return msg  # logger.info({"event": "login", "user": 7}) keeps its structure
        try:
            return record.getMessage()
        except Exception:  # bad %-args: keep what we can rather than lose the record
            return f"{msg!s} {record.args!r}"

    def _get_attributes(self, record: logging.LogRecord) -> dict[str, Any]:
        """Valid attributes from ``extra=``, the call site and ``exc_info``."""
        attributes: dict[str, Any] = {}
        values = record.__dict__
        # Fast path: a record with only the standard fields has no extras to look for.
        if len(values) > _STANDARD_FIELD_COUNT and not values.keys() <= _RESERVED:
            for key, value in values.items():
                if key not in _RESERVED:
                    cleaned = clean_attribute_value(key, value)
                    if cleaned is not None:
                        attributes[key] = cleaned
        if self._code:
            attributes[_FILE_PATH] = record.pathname
            if record.funcName is not None:
                attributes[_FUNCTION_NAME] = record.funcName
            attributes[_LINE_NUMBER] = record.lineno
        if self._legacy_code:
            attributes[_LEGACY_FILE_PATH] = record.pathname
            if record.funcName is not None:
                attributes[_LEGACY_FUNCTION] = record.funcName
            attributes[_LEGACY_LINENO] = record.lineno
        exc_info = record.exc_info
        if exc_info:
            if isinstance(exc_info, BaseException):  # set by hand on a record
                exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
            if type(exc_info) is tuple and exc_info[0] is not None:
                attributes.update(exception_attributes(*exc_info))
        if record.stack_info:
            attributes["code.stacktrace"] = record.stack_info
        return attributes
