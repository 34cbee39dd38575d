"""Helpers every instrumentation shares (official: ``opentelemetry.instrumentation.utils``).

``suppress_instrumentation()`` is what otel's own exporters wrap around their I/O, so an
instrumented ``http.client``, ``urllib`` or ``requests`` never traces an export; every
instrumentation asks ``is_instrumentation_enabled()`` before it records anything.
"""

from otel.instrumentation._suppress import (
    is_http_instrumentation_enabled,
    is_instrumentation_enabled,
    suppress_http_instrumentation,
    suppress_instrumentation,
)

__all__ = [
    "is_http_instrumentation_enabled",
    "is_instrumentation_enabled",
    "suppress_http_instrumentation",
    "suppress_instrumentation",
]
