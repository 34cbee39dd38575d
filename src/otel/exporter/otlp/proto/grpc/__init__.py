"""OTLP/gRPC exporters (extra ``otel[grpc]``): ``trace_exporter``, ``metric_exporter``,
``_log_exporter``. grpcio is imported when an exporter is created, not before.
"""
