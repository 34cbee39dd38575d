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

from otel._lazy import lazy_exports

TYPE_CHECKING = False
if TYPE_CHECKING:
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

# Each name is imported from its module on first use (importing a submodule such as
# ``otel.sdk.logs.export`` does not load the rest of the package).
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "SeverityNumber": "otel.logs",
        "LoggingHandler": "otel.sdk.logs._handler",
        "ConcurrentMultiLogRecordProcessor": "otel.sdk.logs._provider",
        "Logger": "otel.sdk.logs._provider",
        "LoggerProvider": "otel.sdk.logs._provider",
        "LogRecordProcessor": "otel.sdk.logs._provider",
        "SynchronousMultiLogRecordProcessor": "otel.sdk.logs._provider",
        "LogData": "otel.sdk.logs._record",
        "LogDroppedAttributesWarning": "otel.sdk.logs._record",
        "LogLimits": "otel.sdk.logs._record",
        "LogRecord": "otel.sdk.logs._record",
        "LogRecordDroppedAttributesWarning": "otel.sdk.logs._record",
        "LogRecordLimits": "otel.sdk.logs._record",
    },
)
