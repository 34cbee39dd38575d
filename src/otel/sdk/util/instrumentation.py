"""Public home of :class:`InstrumentationScope` (same path as the official SDK)."""

from otel.sdk.util._instrumentation import InstrumentationScope

__all__ = ["InstrumentationScope"]
