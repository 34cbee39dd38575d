"""The OpenTelemetry SDK: resources, tracing, metrics, logs and OTEL_* configuration."""

__all__: list[str] = []
