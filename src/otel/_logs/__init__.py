"""Alias of :mod:`otel.logs` at the official path (``opentelemetry._logs``)."""

from otel.logs import (
    AnyValue,
    Logger,
    LoggerProvider,
    LogRecord,
    NoOpLogger,
    NoOpLoggerProvider,
    ProxyLogger,
    ProxyLoggerProvider,
    SeverityNumber,
    get_logger,
    get_logger_provider,
    set_logger_provider,
    std_to_otel,
)

__all__ = [
    "AnyValue",
    "LogRecord",
    "Logger",
    "LoggerProvider",
    "NoOpLogger",
    "NoOpLoggerProvider",
    "ProxyLogger",
    "ProxyLoggerProvider",
    "SeverityNumber",
    "get_logger",
    "get_logger_provider",
    "set_logger_provider",
    "std_to_otel",
]
