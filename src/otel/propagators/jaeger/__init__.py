"""Jaeger propagator: ``uber-trace-id`` and ``uberctx-*`` baggage headers."""

from otel.propagators.jaeger._jaeger import JaegerPropagator

__all__ = ["JaegerPropagator"]
