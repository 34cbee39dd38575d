"""Span-level API types (same module path as ``opentelemetry.trace.span``)."""

from otel.trace._span import INVALID_SPAN, NonRecordingSpan, Span
from otel.trace._span_context import (
    DEFAULT_TRACE_OPTIONS,
    DEFAULT_TRACE_STATE,
    INVALID_SPAN_CONTEXT,
    INVALID_SPAN_ID,
    INVALID_TRACE_ID,
    SpanContext,
    TraceFlags,
    TraceState,
    format_span_id,
    format_trace_id,
)

__all__ = [
    "DEFAULT_TRACE_OPTIONS",
    "DEFAULT_TRACE_STATE",
    "INVALID_SPAN",
    "INVALID_SPAN_CONTEXT",
    "INVALID_SPAN_ID",
    "INVALID_TRACE_ID",
    "NonRecordingSpan",
    "Span",
    "SpanContext",
    "TraceFlags",
    "TraceState",
    "format_span_id",
    "format_trace_id",
]
