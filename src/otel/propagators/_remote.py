"""The remote parent an extracting propagator puts in the Context, with its debug mark.

B3 and Jaeger both carry a *debug* request beside the ids. It is kept in the Context
under a propagator-specific key, so that inject sends it on to the next hop.
"""

from __future__ import annotations

from otel.context import Context, get_value
from otel.trace._context_helpers import _SPAN_KEY
from otel.trace._span import NonRecordingSpan
from otel.trace._span_context import SpanContext


def with_remote_parent(
    context: Context, span_context: SpanContext, debug_key: str, debug: bool
) -> Context:
    """``context`` plus a non-recording parent span; ``debug_key`` set to True when the
    sender asked for debug, and dropped otherwise (a stale mark must not leak on)."""
    new = Context(context)
    dict.__setitem__(new, _SPAN_KEY, NonRecordingSpan(span_context))
    if debug:
        dict.__setitem__(new, debug_key, True)
    elif debug_key in new:
        dict.__delitem__(new, debug_key)
    return new


def is_debug(context: Context | None, debug_key: str) -> bool:
    """Did the extracted parent in ``context`` (default: current) ask for debug?"""
    return get_value(debug_key, context) is True
