"""gunicorn configuration as the official docs recommend it: the SDK is configured in each
worker after the fork (post_fork), the app module only instruments Flask."""


def post_fork(server: object, worker: object) -> None:
    from otel import trace
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from otel.sdk.resources import Resource
    from otel.sdk.trace import TracerProvider
    from otel.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create())
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
