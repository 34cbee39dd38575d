"""Execution context: ``Context``, ``create_key``, ``get_value``, ``set_value``,
``get_current``, ``attach`` and ``detach`` (the OpenTelemetry Context API)."""

from otel.context._context import (
    _SUPPRESS_HTTP_INSTRUMENTATION_KEY,
    _SUPPRESS_INSTRUMENTATION_KEY,
    EMPTY_CONTEXT,
    Context,
    attach,
    create_key,
    detach,
    get_current,
    get_value,
    set_value,
)

__all__ = [
    "EMPTY_CONTEXT",
    "_SUPPRESS_HTTP_INSTRUMENTATION_KEY",
    "_SUPPRESS_INSTRUMENTATION_KEY",
    "Context",
    "attach",
    "create_key",
    "detach",
    "get_current",
    "get_value",
    "set_value",
]
