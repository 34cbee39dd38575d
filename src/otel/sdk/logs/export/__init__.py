"""Log exporters and processors (official path: ``opentelemetry.sdk._logs.export``)."""

from otel.sdk.logs.export._export import (
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
