"""Log exporters and processors (official path: ``opentelemetry.sdk._logs.export``)."""

from otel.sdk.logs.export._export import (
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
