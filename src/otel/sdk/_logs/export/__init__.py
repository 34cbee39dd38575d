"""Alias of :mod:`otel.sdk.logs.export` (official: ``opentelemetry.sdk._logs.export``)."""

from otel.sdk.logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogExporter,
    InMemoryLogExporter,
    LogExporter,
    LogExportResult,
    LogRecordExporter,
    LogRecordExportResult,
    SimpleLogRecordProcessor,
)

__all__ = [
    "BatchLogRecordProcessor",
    "ConsoleLogExporter",
    "InMemoryLogExporter",
    "LogExportResult",
    "LogExporter",
    "LogRecordExportResult",
    "LogRecordExporter",
    "SimpleLogRecordProcessor",
]
