"""Alias of :mod:`otel.sdk.logs` at the official path (``opentelemetry.sdk._logs``)."""

from otel.sdk.logs import (
    ConcurrentMultiLogRecordProcessor,
    LogData,
    Logger,
    LoggerProvider,
    LoggingHandler,
    LogLimits,
    LogRecord,
    LogRecordLimits,
    LogRecordProcessor,
    SeverityNumber,
    SynchronousMultiLogRecordProcessor,
)

__all__ = [
    "ConcurrentMultiLogRecordProcessor",
    "LogData",
    "LogLimits",
    "LogRecord",
    "LogRecordLimits",
    "LogRecordProcessor",
    "Logger",
    "LoggerProvider",
    "LoggingHandler",
    "SeverityNumber",
    "SynchronousMultiLogRecordProcessor",
]
