"""Span processors and exporters (official ``opentelemetry.sdk.trace.export`` names)."""

from otel.sdk.trace._processor import SpanProcessor
from otel.sdk.trace.export._exporters import (
    OTEL_BSP_EXPORT_TIMEOUT,
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    OTEL_BSP_MAX_QUEUE_SIZE,
    OTEL_BSP_SCHEDULE_DELAY,
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

__all__ = [
    "OTEL_BSP_EXPORT_TIMEOUT",
    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_BSP_MAX_QUEUE_SIZE",
    "OTEL_BSP_SCHEDULE_DELAY",
    "BatchSpanProcessor",
    "ConsoleSpanExporter",
    "SimpleSpanProcessor",
    "SpanExportResult",
    "SpanExporter",
    "SpanProcessor",
]
