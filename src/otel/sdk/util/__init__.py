"""Small SDK utilities shared by all signals."""

from otel.sdk.util._instrumentation import InstrumentationScope

__all__ = ["InstrumentationScope"]
