"""W3C Trace Context propagator (``traceparent`` and ``tracestate`` headers)."""

from otel.trace.propagation._tracecontext import TraceContextTextMapPropagator

__all__ = ["TraceContextTextMapPropagator"]
