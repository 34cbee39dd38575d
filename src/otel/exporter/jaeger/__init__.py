"""Jaeger exporter: Thrift compact over UDP to an agent, Thrift binary over HTTP to a collector.

``otel.exporter.jaeger.thrift.JaegerExporter`` is the official package's path. The Thrift codec
(``_thrift``: encode and decode, no ``thrift`` package needed) is importable without the SDK.
"""
