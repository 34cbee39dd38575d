"""Real finished SDK spans for the Jaeger and Zipkin exporter tests."""

from __future__ import annotations

from typing import Any

from otel import trace
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags

RESOURCE_ATTRIBUTES = {"service.name": "checkout", "host.name": "box-1", "pid": 4242}
LINKED = SpanContext(0x1234567890ABCDEF1234567890ABCDEF, 0x1111222233334444, True, TraceFlags(1))
REMOTE_PARENT = SpanContext(
    0xF0F0F0F0F0F0F0F0A0A0A0A0A0A0A0A0, 0x8000000000000001, True, TraceFlags(1)
)
START = 1_700_000_000_123_456_789
END = START + 2_500_000  # 2.5 ms


def provider(resource_attributes: dict[str, Any] | None = None) -> tuple[Any, InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    tp = TracerProvider(resource=Resource.create(resource_attributes or RESOURCE_ATTRIBUTES))
    tp.add_span_processor(SimpleSpanProcessor(memory))
    return tp, memory


def full_spans() -> list[Any]:
    """A server span with a remote parent, and its child: every mapped field set."""
    tp, memory = provider()
    tracer = tp.get_tracer("shop.lib", "2.1.0")
    parent_context = trace.set_span_in_context(trace.NonRecordingSpan(REMOTE_PARENT))
    server = tracer.start_span(
        "GET /cart",
        context=parent_context,
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": "GET",
            "http.response.status_code": 500,
            "retry": True,
            "ratio": 0.25,
            "tags": ("a", "b"),
            "codes": [1, 2],
            "net.peer.name": "db.local",
            "server.port": 8080,
        },
        links=[Link(LINKED, {"kind": "batch"})],
        start_time=START,
    )
    server.add_event("cache.miss", {"key": "cart:1"}, timestamp=START + 1000)
    server.add_event("retrying", timestamp=START + 2000)
    server.set_status(Status(StatusCode.ERROR, "boom"))
    child_context = trace.set_span_in_context(server)
    child = tracer.start_span(
        "SELECT cart", context=child_context, kind=SpanKind.CLIENT, start_time=START + 10
    )
    child.set_status(Status(StatusCode.OK))
    child.end(end_time=START + 1_000_010)
    server.end(end_time=END)
    spans = memory.get_finished_spans()
    return [spans[1], spans[0]]  # server, child


def many_spans(count: int, attributes: dict[str, Any] | None = None) -> list[Any]:
    tp, memory = provider()
    tracer = tp.get_tracer("bulk")
    for i in range(count):
        with tracer.start_as_current_span(
            f"op-{i}", attributes={"i": i} if attributes is None else attributes
        ):
            pass
    return list(memory.get_finished_spans())
