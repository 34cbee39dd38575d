"""The tracing SDK (official ``opentelemetry.sdk.trace`` names).

``TracerProvider`` creates recording spans; processors in ``otel.sdk.trace.export``
hand them to exporters; samplers live in ``otel.sdk.trace.sampling``.
"""

from otel.sdk.trace._limits import (
    OTEL_ATTRIBUTE_COUNT_LIMIT,
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT,
    OTEL_LINK_ATTRIBUTE_COUNT_LIMIT,
    OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT,
    OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT,
    OTEL_SPAN_EVENT_COUNT_LIMIT,
    OTEL_SPAN_LINK_COUNT_LIMIT,
    SpanLimits,
)
from otel.sdk.trace._processor import (
    ConcurrentMultiSpanProcessor,
    SpanProcessor,
    SynchronousMultiSpanProcessor,
)
from otel.sdk.trace._span import Event, ReadableSpan, Span
from otel.sdk.trace._tracer import Tracer, TracerProvider

__all__ = [
    "OTEL_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_EVENT_COUNT_LIMIT",
    "OTEL_SPAN_LINK_COUNT_LIMIT",
    "ConcurrentMultiSpanProcessor",
    "Event",
    "ReadableSpan",
    "Span",
    "SpanLimits",
    "SpanProcessor",
    "SynchronousMultiSpanProcessor",
    "Tracer",
    "TracerProvider",
]
