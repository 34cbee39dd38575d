"""Exporters: send telemetry out of the process.

``otel.exporter.otlp``: OTLP over HTTP (protobuf and JSON, standard library only) and gRPC
(extra ``otel[grpc]``), for spans, metrics and logs. The console and in-memory exporters
are part of the SDK (``otel.sdk.trace.export``, ``otel.sdk.metrics.export``,
``otel.sdk._logs.export``).
"""
