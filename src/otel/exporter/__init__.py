"""Exporters: send telemetry out of the process (OTLP, Jaeger, Zipkin, Prometheus)."""
