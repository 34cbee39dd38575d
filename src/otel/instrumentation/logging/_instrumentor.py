"""Trace correlation for plain ``logging`` output: ``%(otelTraceID)s`` in format strings.

``LoggingInstrumentor().instrument()`` wraps the LogRecord factory so that every record
gets four attributes, read from the span current when the record is created:

``otelTraceID``       32 hex digits, or ``"0"`` outside a span
``otelSpanID``        16 hex digits, or ``"0"`` outside a span
``otelTraceSampled``  ``True``/``False``
``otelServiceName``   ``service.name`` of the global TracerProvider's resource, or ``""``

API-only: it reads the current span through ``otel.trace`` and never imports the SDK.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Collection
from typing import Any

from otel._once import report_once
from otel.trace import (
    Span,
    TracerProvider,
    format_span_id,
    format_trace_id,
    get_current_span,
    get_tracer_provider,
)

_logger = logging.getLogger("otel.instrumentation.logging")

#: The format ``set_logging_format=True`` installs when no ``logging_format`` is given.
DEFAULT_LOGGING_FORMAT = (
    "%(asctime)s %(levelname)s [%(name)s] [%(filename)s:%(lineno)d] "
    "[trace_id=%(otelTraceID)s span_id=%(otelSpanID)s "
    "resource.service.name=%(otelServiceName)s trace_sampled=%(otelTraceSampled)s] "
    "- %(message)s"
)

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}

LogHook = Callable[[Span, logging.LogRecord], None]


def _env(name: str) -> str:
    # Instrumentation depends on the API only, so it reads the variables itself.
    return os.environ.get(name, "").strip()


class _ServiceName:
    """``service.name`` of a tracer provider's resource, recomputed when the provider changes."""

    __slots__ = ("_explicit", "_name", "_provider")

    def __init__(self, explicit: TracerProvider | None) -> None:
        self._explicit = explicit
        self._provider: object = None
        self._name = ""

    def get(self) -> str:
        provider = self._explicit if self._explicit is not None else get_tracer_provider()
        if provider is not self._provider:
            resource = getattr(provider, "resource", None)
            attributes = getattr(resource, "attributes", None) or {}
            name = attributes.get("service.name", "")
            self._name = name if isinstance(name, str) else str(name)
            self._provider = provider
        return self._name


class LoggingInstrumentor:
    """Injects trace context into every ``logging.LogRecord`` (one instance per process).

    ``instrument(**kwargs)`` accepts:

    - ``tracer_provider``: whose resource gives ``otelServiceName`` (default: global).
    - ``set_logging_format`` (default ``OTEL_PYTHON_LOG_CORRELATION``, else False): also
      call ``logging.basicConfig`` with ``logging_format`` and ``log_level``.
    - ``logging_format`` (default ``OTEL_PYTHON_LOG_FORMAT``, else
      :data:`DEFAULT_LOGGING_FORMAT`).
    - ``log_level`` (default ``OTEL_PYTHON_LOG_LEVEL``: debug, info, warning, error;
      else INFO).
    - ``log_hook``: ``hook(span, record)`` called for records created inside a span;
      exceptions from it are logged and ignored.

    ``uninstrument()`` restores the previous record factory (or, if another factory was
    installed on top of ours since, makes ours a pass-through).
    """

    _instance: LoggingInstrumentor | None = None
    _instance_lock = threading.Lock()

    def __new__(cls, *args: Any, **kwargs: Any) -> LoggingInstrumentor:
        with cls._instance_lock:
            if cls._instance is None:
                instance = super().__new__(cls)
                instance._is_instrumented = False
                instance._old_factory = None
                instance._factory = None
                cls._instance = instance
            return cls._instance

    _is_instrumented: bool
    _old_factory: Callable[..., logging.LogRecord] | None
    _factory: _CorrelatingFactory | None

    @property
    def is_instrumented_by_opentelemetry(self) -> bool:
        return self._is_instrumented

    def instrumentation_dependencies(self) -> Collection[str]:
        """Packages this instrumentation needs: none (``logging`` is in the stdlib)."""
        return ()

    def instrument(self, **kwargs: Any) -> None:
        """Start injecting ``otelTraceID`` and friends into new log records (idempotent)."""
        if self._is_instrumented:
            _logger.warning("LoggingInstrumentor is already instrumented")
            return
        try:
            self._instrument(**kwargs)
            self._is_instrumented = True
        except Exception:
            _logger.exception("LoggingInstrumentor failed to instrument")

    def uninstrument(self, **kwargs: Any) -> None:
        """Stop injecting; restores the previous LogRecord factory."""
        if not self._is_instrumented:
            return
        factory = self._factory
        if factory is not None:
            factory.active = False
            if logging.getLogRecordFactory() is factory and self._old_factory is not None:
                logging.setLogRecordFactory(self._old_factory)
        self._factory = None
        self._old_factory = None
        self._is_instrumented = False

    def _instrument(
        self,
        tracer_provider: TracerProvider | None = None,
        set_logging_format: bool | None = None,
        logging_format: str | None = None,
        log_level: int | None = None,
        log_hook: LogHook | None = None,
        **_ignored: Any,
    ) -> None:
        old = logging.getLogRecordFactory()
        factory = _CorrelatingFactory(old, _ServiceName(tracer_provider), log_hook)
        self._old_factory = old
        self._factory = factory
        logging.setLogRecordFactory(factory)
        if set_logging_format is None:
            set_logging_format = _env("OTEL_PYTHON_LOG_CORRELATION").lower() == "true"
        if set_logging_format:
            if logging_format is None:
                logging_format = _env("OTEL_PYTHON_LOG_FORMAT") or DEFAULT_LOGGING_FORMAT
            if log_level is None:
                name = _env("OTEL_PYTHON_LOG_LEVEL").lower()
                log_level = _LEVELS.get(name, logging.INFO)
            logging.basicConfig(format=logging_format, level=log_level)


class _HookGuard(threading.local):
    busy: bool = False  # running the log hook
    reporting: bool = False  # logging a correlation failure (its record must not recurse)


_IN_HOOK = _HookGuard()


class _CorrelatingFactory:
    """The LogRecord factory installed by :class:`LoggingInstrumentor`."""

    __slots__ = ("_hook", "_old", "_service", "active")

    def __init__(
        self,
        old: Callable[..., logging.LogRecord],
        service: _ServiceName,
        hook: LogHook | None,
    ) -> None:
        self._old = old
        self._service = service
        self._hook = hook
        self.active = True

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self._old(*args, **kwargs)
        if not self.active:
            return record
        try:
            span = get_current_span()
            span_context = span.get_span_context()
            if span_context.is_valid:
                record.otelTraceID = format_trace_id(span_context.trace_id)
                record.otelSpanID = format_span_id(span_context.span_id)
                record.otelTraceSampled = span_context.trace_flags.sampled
            else:
                record.otelTraceID = "0"
                record.otelSpanID = "0"
                record.otelTraceSampled = False
            record.otelServiceName = self._service.get()
            hook = self._hook
            if hook is not None and span_context.is_valid and not _IN_HOOK.busy:
                _IN_HOOK.busy = True  # what the hook (or its failure report) logs skips it
                try:
                    hook(span, record)
                except Exception:
                    _logger.exception("log_hook raised")
                finally:
                    _IN_HOOK.busy = False
        except Exception as exc:  # never break record creation
            record.otelTraceID = "0"
            record.otelSpanID = "0"
            record.otelTraceSampled = False
            if not hasattr(record, "otelServiceName"):
                record.otelServiceName = ""
            if not _IN_HOOK.reporting:  # the report's own record fails the same way
                _IN_HOOK.reporting = True
                try:
                    report_once(
                        _logger,
                        ("logging.correlation", type(exc)),
                        "Failed to add trace context to a log record",
                    )
                finally:
                    _IN_HOOK.reporting = False
        return record
