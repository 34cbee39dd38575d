"""SDK self-observability: otel.sdk.* metrics read from Python or exported (issue 14.5)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from otel.sdk import self_metrics
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import BatchLogRecordProcessor, InMemoryLogExporter
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.testing import point_values as points


def _mine(name: str, component_name: str) -> dict[tuple[tuple[str, str], ...], int]:
    """The points of ``name`` for one component, keyed by their other attributes."""
    found = {}
    for attributes, value in self_metrics.read().get(name, ()):
        if attributes.get("otel.component.name") == component_name:
            rest = tuple(
                sorted((k, v) for k, v in attributes.items() if not k.startswith("otel.component"))
            )
            found[rest] = value
    return found


class Blocking(SpanExporter):
    def __init__(self) -> None:
        self.release = threading.Event()

    def export(self, spans: Sequence[object]) -> SpanExportResult:
        self.release.wait(10)
        return SpanExportResult.SUCCESS


def test_batch_processor_queue_and_drops_are_readable_without_a_meter_provider() -> None:
    exporter = Blocking()
    processor = BatchSpanProcessor(exporter, max_queue_size=4, max_export_batch_size=1)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("t")
    for _ in range(20):
        tracer.start_span("s").end()
    name = processor._self_metrics.component.name
    assert _mine("otel.sdk.processor.span.queue.capacity", name) == {(): 4}
    assert _mine("otel.sdk.processor.span.queue.size", name)[()] >= 1
    dropped = _mine("otel.sdk.processor.span.processed", name)[(("error.type", "queue_full"),)]
    assert dropped == processor.dropped_spans > 0
    exporter.release.set()
    provider.shutdown()
    assert _mine("otel.sdk.processor.span.queue.size", name) == {(): 0}


def test_export_failures_carry_error_type() -> None:
    class Failing(SpanExporter):
        def export(self, spans: Sequence[object]) -> SpanExportResult:
            return SpanExportResult.FAILURE

    processor = SimpleSpanProcessor(Failing())
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    provider.get_tracer("t").start_span("s").end()
    name = processor._self_metrics.component.name
    assert _mine("otel.sdk.processor.span.processed", name) == {
        (): 0,
        (("error.type", "export_failed"),): 1,
    }


def test_otlp_exporter_counts_failed_items_with_error_type(closed_port_url: str) -> None:
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter = OTLPSpanExporter(endpoint=closed_port_url, timeout=1)
    provider = TracerProvider(shutdown_on_exit=False)
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.get_tracer("t").start_span("s").end()
    assert exporter.export(memory.get_finished_spans()) is SpanExportResult.FAILURE
    name = exporter._self_metrics.component.name
    assert name.startswith("otlp_http_span_exporter/")
    assert _mine("otel.sdk.exporter.span.exported", name) == {
        (): 0,
        (("error.type", "export_failed"),): 1,
    }
    assert _mine("otel.sdk.exporter.span.inflight", name) == {(): 0}
    exporter.shutdown()


@pytest.fixture
def closed_port_url() -> str:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/v1/traces"


def test_switch_off_adds_nothing_to_the_span_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(self_metrics.ENABLED_ENV, raising=False)
    provider = TracerProvider(shutdown_on_exit=False, meter_provider=MeterProvider())
    assert provider._active_span_processor._span_processors == ()
    assert provider._active_span_processor._start_hooks == ()


def test_switch_on_exports_span_and_log_counts_through_the_meter_provider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(self_metrics.ENABLED_ENV, "true")
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    tracer_provider = TracerProvider(shutdown_on_exit=False, meter_provider=meter_provider)
    processor = BatchSpanProcessor(InMemorySpanExporter(), meter_provider=meter_provider)
    tracer_provider.add_span_processor(processor)
    tracer = tracer_provider.get_tracer("t")
    open_span = tracer.start_span("open")
    for _ in range(3):
        tracer.start_span("s").end()
    logger_provider = LoggerProvider(shutdown_on_exit=False, meter_provider=meter_provider)
    logger_provider.add_log_record_processor(
        BatchLogRecordProcessor(InMemoryLogExporter(), meter_provider=meter_provider)
    )
    logger_provider.get_logger("l").emit(body="hello")
    data = reader.get_metrics_data()
    sampled = {"otel.span.sampling_result": "RECORD_AND_SAMPLE"}
    assert points(data, "otel.sdk.span.live") == {tuple(sampled.items()): 1}
    assert points(data, "otel.sdk.span.ended") == {tuple(sampled.items()): 3}
    assert points(data, "otel.sdk.log.created") == {(): 1}
    capacity = points(data, "otel.sdk.processor.span.queue.capacity")
    assert list(capacity.values()) == [2048]
    (attributes,) = capacity
    assert dict(attributes)["otel.component.type"] == "batching_span_processor"
    open_span.end()
    tracer_provider.shutdown()
    logger_provider.shutdown()
    meter_provider.shutdown()


def test_a_meter_provider_that_is_not_one_is_logged_and_the_processor_still_works(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(self_metrics.ENABLED_ENV, "true")
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter, meter_provider=object())
    assert "SDK self-metrics could not be set up" in caplog.text
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    provider.get_tracer("t").start_span("s").end()
    assert [span.name for span in exporter.get_finished_spans()] == ["s"]
    provider.shutdown()
