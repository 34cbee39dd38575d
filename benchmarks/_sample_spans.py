"""The batch of finished spans the exporter benchmarks encode, made by either SDK.

Each span: 4 attributes and 1 event, under one parent (left out). Imports only the SDK of
``prefix`` ("otel" or "official"), so it works in every benchmark interpreter.
"""

from __future__ import annotations

from collections.abc import Sequence


def sample_spans(
    prefix: str, batch: int, scope_name: str, service_name: str | None = None
) -> Sequence[object]:
    """``batch`` finished spans; ``service_name`` sets the resource when given."""
    if prefix == "otel":
        from otel.sdk.resources import Resource
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import SimpleSpanProcessor
        from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    else:
        from opentelemetry.sdk.resources import Resource  # type: ignore[no-redef]
        from opentelemetry.sdk.trace import TracerProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # type: ignore[no-redef]
            InMemorySpanExporter,
        )
    memory = InMemorySpanExporter()
    if service_name is None:
        provider = TracerProvider()
    else:
        provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer(scope_name, "1.0.0")
    with tracer.start_as_current_span("parent"):
        for i in range(batch):
            with tracer.start_as_current_span(f"GET /items/{i % 16}") as span:
                span.set_attribute("http.request.method", "GET")
                span.set_attribute("url.path", f"/items/{i % 16}")
                span.set_attribute("http.response.status_code", 200)
                span.set_attribute("server.address", f"host-{i % 4}")
                span.add_event("cache.miss", {"cache.key": f"item:{i}"})
    spans = [s for s in memory.get_finished_spans() if s.name != "parent"]
    assert len(spans) == batch
    return spans
