"""OTLP encoding: 512 finished spans (4 attributes, 1 event each) to protobuf bytes.

Both sides build real spans with their own SDK, then time only the encoding of the batch to
the bytes that go on the wire: ours is ``otel.exporter.otlp``'s pure-Python encoder, theirs
is ``opentelemetry.exporter.otlp.proto.common.trace_encoder.encode_spans(...)``
followed by ``SerializeToString()``. Issue 5 target: >= 5x the official spans/s.

Run: ``.venv/bin/python benchmarks/_harness.py otlp``. The "spans/s" rows are derived from
the same timing (higher is better); "ns/batch" rows are the raw measurement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from _harness import Case, best_seconds_per_call
from bench_trace import import_ms

BATCH = 512
# issue 18.7: the span exporter loads neither the metrics nor the logs SDK
_TRACE_EXPORTER = (
    "otel.exporter.otlp.proto.http.trace_exporter",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
)


def _spans(prefix: str) -> Sequence[object]:
    if prefix == "otel":
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import SimpleSpanProcessor
        from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    else:
        from opentelemetry.sdk.trace import TracerProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # type: ignore[no-redef]
            InMemorySpanExporter,
        )
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("bench.otlp", "1.0.0")
    with tracer.start_as_current_span("parent"):
        for i in range(BATCH):
            with tracer.start_as_current_span(f"GET /items/{i % 16}") as span:
                span.set_attribute("http.request.method", "GET")
                span.set_attribute("url.path", f"/items/{i % 16}")
                span.set_attribute("http.response.status_code", 200)
                span.set_attribute("server.address", f"host-{i % 4}")
                span.add_event("cache.miss", {"cache.key": f"item:{i}"})
    spans = [s for s in memory.get_finished_spans() if s.name != "parent"]
    assert len(spans) == BATCH
    return spans


def _encoder(prefix: str) -> Callable[[], object]:
    spans = _spans(prefix)
    if prefix == "otel":
        from otel.exporter.otlp._proto._encode_trace import encode_spans

        return lambda: encode_spans(spans)
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import (
        encode_spans as official_encode,
    )

    return lambda: official_encode(spans).SerializeToString()


def _spans_per_second(prefix: str) -> float:
    return BATCH / best_seconds_per_call(_encoder(prefix), warmup=5, rounds=7)


CASES = [
    Case(
        "OTLP protobuf: encode 512 spans (4 attrs, 1 event)",
        lambda: _encoder("otel"),
        lambda: _encoder("official"),
        unit="ns/batch",
    ),
    Case(
        "OTLP protobuf: spans/s encoded (higher is better)",
        lambda: _spans_per_second("otel"),
        lambda: _spans_per_second("official"),
        kind="value",
        unit="spans/s",
    ),
    Case(
        "import ...otlp.proto.http.trace_exporter (otel vs opentelemetry)",
        lambda: import_ms("otel", _TRACE_EXPORTER),
        lambda: import_ms("official", _TRACE_EXPORTER),
        kind="value",
        unit="ms",
    ),
]
