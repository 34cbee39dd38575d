"""Stable metric names (official: ``opentelemetry.semconv.metrics``)."""
