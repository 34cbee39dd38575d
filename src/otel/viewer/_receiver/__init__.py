"""Receivers: bytes in (OTLP, Zipkin, Jaeger), decoded telemetry into the ``Store``."""
