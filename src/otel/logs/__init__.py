"""The OpenTelemetry Logs API (official 1.x names; the official module is
``opentelemetry._logs``, mirrored here as both ``otel.logs`` and ``otel._logs``).

Application code usually does not call it: the stdlib ``logging`` handler
``otel.sdk.logs.LoggingHandler`` bridges existing logs. Without an SDK every call is a
cheap no-op.
"""

from otel.logs._logs import (
    AnyValue,
    Logger,
    LoggerProvider,
    LogRecord,
    NoOpLogger,
    NoOpLoggerProvider,
    ProxyLogger,
    ProxyLoggerProvider,
    get_logger,
    get_logger_provider,
    set_logger_provider,
)
from otel.logs._logs import _reset_logger_provider as _reset_logger_provider
from otel.logs._severity import SeverityNumber, std_to_otel

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
