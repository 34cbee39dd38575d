"""The OpenTelemetry tracing API (official 1.x names).

Without an SDK every call is a cheap no-op that still propagates the parent's
SpanContext; ``otel.sdk.trace.TracerProvider`` makes spans record.
"""

from otel.trace._context_helpers import get_current_span, set_span_in_context, use_span
from otel.trace._span import INVALID_SPAN, Link, NonRecordingSpan, Span, SpanKind
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
from otel.trace._status import Status, StatusCode
from otel.trace._tracer import (
    NoOpTracer,
    NoOpTracerProvider,
    ProxyTracer,
    ProxyTracerProvider,
    Tracer,
    TracerProvider,
    get_tracer,
    get_tracer_provider,
    set_tracer_provider,
)

__all__ = [
    "DEFAULT_TRACE_OPTIONS",
    "DEFAULT_TRACE_STATE",
    "INVALID_SPAN",
    "INVALID_SPAN_CONTEXT",
    "INVALID_SPAN_ID",
    "INVALID_TRACE_ID",
    "Link",
    "NoOpTracer",
    "NoOpTracerProvider",
    "NonRecordingSpan",
    "ProxyTracer",
    "ProxyTracerProvider",
    "Span",
    "SpanContext",
    "SpanKind",
    "Status",
    "StatusCode",
    "TraceFlags",
    "TraceState",
    "Tracer",
    "TracerProvider",
    "format_span_id",
    "format_trace_id",
    "get_current_span",
    "get_tracer",
    "get_tracer_provider",
    "set_span_in_context",
    "set_tracer_provider",
    "use_span",
]
