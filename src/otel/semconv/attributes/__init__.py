"""Stable attribute names, one module per namespace.

Official: ``opentelemetry.semconv.attributes``.
"""

__all__: list[str] = []
