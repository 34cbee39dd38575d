"""Stable attribute names, one module per namespace.

Official path: ``opentelemetry.semconv.attributes``.
"""

__all__: list[str] = []
