"""Exporters: ``otel.exporter.otlp`` (OTLP over HTTP and gRPC), ``otel.exporter.jaeger``
(Thrift over UDP and HTTP) and ``otel.exporter.zipkin`` (v2 JSON and protobuf over HTTP),
all built on the shared transport seam ``otel.exporter._transport``."""
