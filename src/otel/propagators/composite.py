"""CompositePropagator: several propagators acting as one."""

from otel.propagators._composite import CompositeHTTPPropagator, CompositePropagator

__all__ = ["CompositeHTTPPropagator", "CompositePropagator"]
