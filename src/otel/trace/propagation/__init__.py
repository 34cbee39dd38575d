"""Span-in-context helpers (same module path as ``opentelemetry.trace.propagation``)."""

from otel.trace._context_helpers import _SPAN_KEY, get_current_span, set_span_in_context
from otel.trace._span import INVALID_SPAN

# The name the current span is stored under in a Context (official constant; the key
# actually used is ``_SPAN_KEY``, made from it by ``create_key``).
SPAN_KEY = "current-span"

__all__ = ["INVALID_SPAN", "SPAN_KEY", "_SPAN_KEY", "get_current_span", "set_span_in_context"]
