"""Stable attribute names, one module per namespace
(official: ``opentelemetry.semconv.attributes``)."""

__all__: list[str] = []
