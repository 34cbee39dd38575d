"""The Logs SDK (official path: ``opentelemetry.sdk._logs``; also ``otel.sdk._logs``).

Typical set-up::

    import logging
    from otel._logs import set_logger_provider
    from otel.sdk._logs import LoggerProvider, LoggingHandler
    from otel.sdk._logs.export import BatchLogRecordProcessor, ConsoleLogExporter

    provider = LoggerProvider()
    provider.add_log_record_processor(BatchLogRecordProcessor(ConsoleLogExporter()))
    set_logger_provider(provider)
    logging.getLogger().addHandler(LoggingHandler(logger_provider=provider))
"""

from otel.logs import SeverityNumber
from otel.sdk.logs._handler import LoggingHandler
from otel.sdk.logs._provider import (
    ConcurrentMultiLogRecordProcessor,
    Logger,
    LoggerProvider,
    LogRecordProcessor,
    SynchronousMultiLogRecordProcessor,
)
from otel.sdk.logs._record import (
    LogData,
    LogDroppedAttributesWarning,
    LogLimits,
    LogRecord,
    LogRecordDroppedAttributesWarning,
    LogRecordLimits,
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
