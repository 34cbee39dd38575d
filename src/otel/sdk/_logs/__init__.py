"""Alias of :mod:`otel.sdk.logs` at the official path (``opentelemetry.sdk._logs``)."""

from otel.sdk.logs import (
    ConcurrentMultiLogRecordProcessor,
    LogData,
    LogDroppedAttributesWarning,
    Logger,
    LoggerProvider,
    LoggingHandler,
    LogLimits,
    LogRecord,
    LogRecordDroppedAttributesWarning,
    LogRecordLimits,
    LogRecordProcessor,
    SeverityNumber,
    SynchronousMultiLogRecordProcessor,
)

__all__ = [
    "ConcurrentMultiLogRecordProcessor",
    "LogData",
    "LogDroppedAttributesWarning",
    "LogLimits",
    "LogRecord",
    "LogRecordDroppedAttributesWarning",
    "LogRecordLimits",
    "LogRecordProcessor",
    "Logger",
    "LoggerProvider",
    "LoggingHandler",
    "SeverityNumber",
    "SynchronousMultiLogRecordProcessor",
]
