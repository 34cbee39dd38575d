"""The W3C Baggage propagator (``baggage`` header)."""

from otel.baggage.propagation._w3c import W3CBaggagePropagator

__all__ = ["W3CBaggagePropagator"]
