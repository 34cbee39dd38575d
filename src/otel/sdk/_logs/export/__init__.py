"""Alias of :mod:`otel.sdk.logs.export` (official: ``opentelemetry.sdk._logs.export``)."""

from otel.sdk.logs.export import (
    BatchLogRecordProcessor,
    ConsoleLogExporter,
    ConsoleLogRecordExporter,
    InMemoryLogExporter,
    InMemoryLogRecordExporter,
    LogExporter,
    LogExportResult,
    LogRecordExporter,
    LogRecordExportResult,
    SimpleLogRecordProcessor,
)

__all__ = [
    "BatchLogRecordProcessor",
    "ConsoleLogExporter",
    "ConsoleLogRecordExporter",
    "InMemoryLogExporter",
    "InMemoryLogRecordExporter",
    "LogExportResult",
    "LogExporter",
    "LogRecordExportResult",
    "LogRecordExporter",
    "SimpleLogRecordProcessor",
]
