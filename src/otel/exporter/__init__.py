"""Exporters: send telemetry out of the process.

``otel.exporter.otlp`` (OTLP over HTTP, protobuf and JSON, standard library only; gRPC with
the extra ``otel[grpc]``), ``otel.exporter.jaeger`` (Thrift over UDP and HTTP),
``otel.exporter.zipkin`` (v2 JSON and protobuf over HTTP) — all built on the shared
transport seam ``otel.exporter._transport`` — and ``otel.exporter.prometheus`` (a pull
reader and its scrape endpoint). The console and in-memory exporters are part of the SDK.
"""
