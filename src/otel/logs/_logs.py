"""The Logs API: LogRecord, Logger, LoggerProvider, their no-op and proxy forms, globals.

This is the *bridge* API of the specification: log libraries (and the stdlib ``logging``
handler in ``otel.sdk.logs``) call ``Logger.emit``. Without an SDK everything is a cheap
no-op; ``get_logger`` hands out proxy loggers that bind to the real provider the moment
one is set with ``set_logger_provider``.
"""

from __future__ import annotations

import abc
import logging
import sys
import threading
import weakref
from collections.abc import Mapping
from typing import Any, TypeAlias

from otel._fork import renew_lock_after_fork
from otel.context import Context
from otel.logs._severity import SeverityNumber

_logger = logging.getLogger("otel.logs")

#: A log body or attribute value in the log data model: a primitive, bytes, a sequence
#: of such values or a mapping of str to such values (nested to any depth).
AnyValue: TypeAlias = Any


class LogRecord:
    """A log record as handed to ``Logger.emit`` (all fields optional).

    ``context`` carries the span the record belongs to; when it is None the SDK uses the
    current context. ``trace_id``/``span_id``/``trace_flags`` may be given instead, for
    records built outside a live context (e.g. replayed logs). ``exception`` becomes the
    ``exception.*`` attributes in the SDK.
    """

    __slots__ = (
        "attributes",
        "body",
        "context",
        "event_name",
        "exception",
        "observed_timestamp",
        "severity_number",
        "severity_text",
        "span_id",
        "timestamp",
        "trace_flags",
        "trace_id",
    )

    def __init__(
        self,
        timestamp: int | None = None,
        observed_timestamp: int | None = None,
        context: Context | None = None,
        trace_id: int | None = None,
        span_id: int | None = None,
        trace_flags: int | None = None,
        severity_text: str | None = None,
        severity_number: SeverityNumber | None = None,
        body: AnyValue = None,
        attributes: Mapping[str, AnyValue] | None = None,
        event_name: str | None = None,
        exception: BaseException | None = None,
    ) -> None:
        self.timestamp = timestamp
        self.observed_timestamp = observed_timestamp
        self.context = context
        self.trace_id = trace_id
        self.span_id = span_id
        self.trace_flags = trace_flags
        self.severity_text = severity_text
        self.severity_number = severity_number
        self.body = body
        self.attributes = attributes
        self.event_name = event_name
        self.exception = exception

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(timestamp={self.timestamp}, "
            f"severity_number={self.severity_number!r}, severity_text={self.severity_text!r}, "
            f"body={self.body!r}, attributes={self.attributes!r}, event_name={self.event_name!r})"
        )


class Logger(abc.ABC):
    """Emits log records for one instrumentation scope. Thread-safe."""

    def __init__(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self._name = name
        self._version = version
        self._schema_url = schema_url
        self._attributes = attributes

    @abc.abstractmethod
    def emit(
        self,
        record: LogRecord | None = None,
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
        """Emit one log record: either a ``LogRecord`` or its fields as keywords."""

    def enabled(
        self,
        context: Context | None = None,
        severity_number: SeverityNumber | None = None,
        event_name: str | None = None,
    ) -> bool:
        """False when a record with these properties would certainly be dropped.

        Lets callers skip building expensive records; ``True`` is always a safe answer.
        """
        return True


class NoOpLogger(Logger):
    """A logger that drops everything."""

    def emit(
        self,
        record: LogRecord | None = None,
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
        pass

    def enabled(
        self,
        context: Context | None = None,
        severity_number: SeverityNumber | None = None,
        event_name: str | None = None,
    ) -> bool:
        return False


class ProxyLogger(Logger):
    """Forwards to the global provider's logger once one is set; drops until then."""

    def __init__(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(name, version, schema_url, attributes)
        self._delegate: Logger | None = None

    def _bind(self, provider: LoggerProvider | None) -> None:
        if provider is None:
            self._delegate = None
            return
        self._delegate = provider.get_logger(
            self._name, self._version, self._schema_url, self._attributes
        )

    def emit(
        self,
        record: LogRecord | None = None,
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
        delegate = self._delegate
        if delegate is None:
            return
        delegate.emit(
            record,
            timestamp=timestamp,
            observed_timestamp=observed_timestamp,
            context=context,
            severity_number=severity_number,
            severity_text=severity_text,
            body=body,
            attributes=attributes,
            event_name=event_name,
            exception=exception,
        )

    def enabled(
        self,
        context: Context | None = None,
        severity_number: SeverityNumber | None = None,
        event_name: str | None = None,
    ) -> bool:
        delegate = self._delegate
        if delegate is None:
            return False
        return delegate.enabled(context, severity_number, event_name)


class LoggerProvider(abc.ABC):
    """Hands out loggers, one per instrumentation scope."""

    @abc.abstractmethod
    def get_logger(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Logger:
        """The logger for this instrumentation scope."""


class NoOpLoggerProvider(LoggerProvider):
    """A provider whose loggers drop everything."""

    def get_logger(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Logger:
        return NoOpLogger(name, version=version, schema_url=schema_url, attributes=attributes)


class ProxyLoggerProvider(LoggerProvider):
    """The global provider until an SDK provider is set; its loggers bind later."""

    def get_logger(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Logger:
        with _LOCK:
            if _PROVIDER is not None:
                return _PROVIDER.get_logger(name, version, schema_url, attributes)
            logger = ProxyLogger(name, version, schema_url, attributes)
            _PROXIES.add(logger)
            return logger


_LOCK = threading.Lock()
renew_lock_after_fork(sys.modules[__name__], "_LOCK")
_PROVIDER: LoggerProvider | None = None
_PROXY_PROVIDER = ProxyLoggerProvider()
_PROXIES: weakref.WeakSet[ProxyLogger] = weakref.WeakSet()


def set_logger_provider(logger_provider: LoggerProvider) -> None:
    """Set the global LoggerProvider, once. A second call logs a warning and is ignored."""
    global _PROVIDER
    with _LOCK:
        if _PROVIDER is not None:
            _logger.warning("A global LoggerProvider is already set; ignoring the new one")
            return
        _PROVIDER = logger_provider
        for proxy in list(_PROXIES):
            proxy._bind(logger_provider)


def get_logger_provider() -> LoggerProvider:
    """The global LoggerProvider, or a proxy provider if none has been set yet."""
    provider = _PROVIDER
    return provider if provider is not None else _PROXY_PROVIDER


def get_logger(
    instrumenting_module_name: str,
    instrumenting_library_version: str = "",
    logger_provider: LoggerProvider | None = None,
    schema_url: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Logger:
    """Shortcut for ``(logger_provider or get_logger_provider()).get_logger(...)``."""
    provider = logger_provider if logger_provider is not None else get_logger_provider()
    return provider.get_logger(
        instrumenting_module_name, instrumenting_library_version or None, schema_url, attributes
    )


def _swap_logger_provider(logger_provider: LoggerProvider | None) -> LoggerProvider | None:
    """Replace the global provider (None: none set), rebinding proxies; return the old one.

    For ``otel.testing`` only: unlike ``set_logger_provider`` it may replace a provider.
    """
    global _PROVIDER
    with _LOCK:
        previous = _PROVIDER
        _PROVIDER = logger_provider
        for proxy in list(_PROXIES):
            proxy._bind(logger_provider)
        return previous


def _reset_logger_provider() -> None:
    """Forget the global provider and unbind proxies (``otel.testing.reset_globals``)."""
    _swap_logger_provider(None)
