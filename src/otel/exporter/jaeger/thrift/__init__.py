"""The Jaeger Thrift exporter at the official package's path.

``from otel.exporter.jaeger.thrift import JaegerExporter`` (was
``opentelemetry.exporter.jaeger.thrift.JaegerExporter``).
"""

from otel.exporter.jaeger._exporter import (
    DEFAULT_AGENT_HOST_NAME,
    DEFAULT_AGENT_PORT,
    DEFAULT_COLLECTOR_ENDPOINT,
    DEFAULT_EXPORT_TIMEOUT,
    UDP_PACKET_MAX_LENGTH,
    JaegerExporter,
)

__all__ = [
    "DEFAULT_AGENT_HOST_NAME",
    "DEFAULT_AGENT_PORT",
    "DEFAULT_COLLECTOR_ENDPOINT",
    "DEFAULT_EXPORT_TIMEOUT",
    "UDP_PACKET_MAX_LENGTH",
    "JaegerExporter",
]
