"""Span-in-context helpers (same module path as ``opentelemetry.trace.propagation``)."""

from otel.trace._context_helpers import _SPAN_KEY, get_current_span, set_span_in_context

__all__ = ["_SPAN_KEY", "get_current_span", "set_span_in_context"]
