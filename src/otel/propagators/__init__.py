"""Propagators: the TextMapPropagator interface (``otel.propagators.textmap``), the
composite (``otel.propagators.composite``) and the B3 (``otel.propagators.b3``) and
Jaeger (``otel.propagators.jaeger``) formats. W3C Trace Context lives in
``otel.trace.propagation.tracecontext`` and W3C Baggage in ``otel.baggage.propagation``.
"""

__all__: list[str] = []
