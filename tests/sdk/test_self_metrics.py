"""SDK self-observability: otel.sdk.* metrics read from Python or exported (issue 14.5)."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from otel.sdk import self_metrics
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import (
    BatchLogRecordProcessor,
    InMemoryLogExporter,
    SimpleLogRecordProcessor,
)
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


def _durations(name: str, component_name: str) -> dict[tuple[tuple[str, str], ...], Any]:
    """The duration summaries of ``name`` for one component, keyed by their error.type."""
    return _mine(name, component_name)  # type: ignore[return-value]


def test_otlp_exporter_records_each_export_call_duration_with_how_it_failed(
    closed_port_url: str,
) -> None:
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter = OTLPSpanExporter(endpoint=closed_port_url, timeout=0.2)
    memory = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.get_tracer("t").start_span("s").end()
    exporter.export(memory.get_finished_spans())
    exporter.export(memory.get_finished_spans())
    found = _durations(
        "otel.sdk.exporter.operation.duration", exporter._self_metrics.component.name
    )
    (summary,) = found.values()
    assert list(found) == [(("error.type", "timed_out"),)]  # refused, no time for a retry
    assert summary.operations == 2
    assert 0 <= summary.min_s <= summary.max_s < 5 and summary.sum_s >= summary.max_s
    exporter.shutdown()


def test_otlp_exporter_records_a_successful_export_without_error_type() -> None:
    import http.server

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        port = server.server_address[1]
        exporter = OTLPSpanExporter(endpoint=f"http://127.0.0.1:{port}/v1/traces", timeout=5)
        memory = InMemorySpanExporter()
        provider = TracerProvider(shutdown_on_exit=False)
        provider.add_span_processor(SimpleSpanProcessor(memory))
        provider.get_tracer("t").start_span("s").end()
        assert exporter.export(memory.get_finished_spans()) is SpanExportResult.SUCCESS
        name = exporter._self_metrics.component.name
        found = _durations("otel.sdk.exporter.operation.duration", name)
        assert list(found) == [()] and found[()].operations == 1
        exporter.shutdown()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_metric_reader_collection_duration_is_readable_without_the_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(self_metrics.ENABLED_ENV, raising=False)
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    reader.get_metrics_data()
    data = reader.get_metrics_data()
    component = reader._collection_durations.component  # type: ignore[union-attr]
    assert component.type == "otel.sdk.metrics._export.InMemoryMetricReader"
    found = _durations("otel.sdk.metric_reader.collection.duration", component.name)
    assert list(found) == [()] and found[()].operations == 2
    assert points(data, "otel.sdk.metric_reader.collection.duration") == {}  # switch off
    meter_provider.shutdown()


def test_switch_on_exports_the_collection_duration_through_the_provider_collected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otel.sdk.metrics.export import (
        MetricExporter,
        MetricExportResult,
        PeriodicExportingMetricReader,
    )

    class Keep(MetricExporter):
        def __init__(self) -> None:
            super().__init__()
            self.batches: list[Any] = []

        def export(self, metrics_data: Any, timeout_millis: float = 10_000, **kw: Any) -> Any:
            self.batches.append(metrics_data)
            return MetricExportResult.SUCCESS

        def force_flush(self, timeout_millis: float = 10_000) -> bool:
            return True

        def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
            pass

    monkeypatch.setenv(self_metrics.ENABLED_ENV, "true")
    exporter = Keep()
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=math.inf)
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    assert reader.force_flush() and reader.force_flush()
    values = points(exporter.batches[-1], "otel.sdk.metric_reader.collection.duration")
    ((attributes, (count, total_s)),) = values.items()
    assert dict(attributes) == {
        "otel.component.type": "periodic_metric_reader",
        "otel.component.name": reader._collection_durations.component.name,  # type: ignore[union-attr]
    }
    assert count == 1 and 0 <= total_s < 5  # the first collection, recorded after it ended
    meter_provider.shutdown()


def test_batch_log_processor_queue_and_drops_are_readable_without_a_meter_provider() -> None:
    from otel.sdk.logs.export import LogExporter, LogExportResult

    release = threading.Event()

    class BlockingLogs(LogExporter):
        def export(self, batch: Sequence[Any]) -> LogExportResult:
            release.wait(10)
            return LogExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    processor = BatchLogRecordProcessor(BlockingLogs(), max_queue_size=4, max_export_batch_size=1)
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(processor)
    for _ in range(20):
        provider.get_logger("l").emit(body="hello")
    name = processor._self_metrics.component.name
    assert name.startswith("batching_log_processor/")
    assert _mine("otel.sdk.processor.log.queue.capacity", name) == {(): 4}
    dropped = _mine("otel.sdk.processor.log.processed", name)[(("error.type", "queue_full"),)]
    assert dropped > 0
    release.set()
    provider.shutdown()
    assert _mine("otel.sdk.processor.log.queue.size", name) == {(): 0}


def test_otlp_log_and_metric_exporters_count_failed_items_with_error_type(
    closed_port_url: str,
) -> None:
    from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

    memory = InMemoryLogExporter()
    logger_provider = LoggerProvider(shutdown_on_exit=False)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(memory))
    logger_provider.get_logger("l").emit(body="hello")
    log_exporter = OTLPLogExporter(endpoint=closed_port_url, timeout=0.2)
    log_exporter.export(memory.get_finished_logs())
    name = log_exporter._self_metrics.component.name
    assert name.startswith("otlp_http_log_exporter/")
    assert _mine("otel.sdk.exporter.log.exported", name) == {
        (): 0,
        (("error.type", "export_failed"),): 1,
    }
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter_provider.get_meter("m").create_counter("c").add(1)
    metric_exporter = OTLPMetricExporter(endpoint=closed_port_url, timeout=0.2)
    metric_exporter.export(reader.get_metrics_data())
    name = metric_exporter._self_metrics.component.name
    assert name.startswith("otlp_http_metric_exporter/")
    exported = _mine("otel.sdk.exporter.metric_data_point.exported", name)
    assert exported[(("error.type", "export_failed"),)] >= 1
    assert _mine("otel.sdk.exporter.metric_data_point.inflight", name) == {(): 0}
    for shut in (log_exporter, metric_exporter, meter_provider, logger_provider):
        shut.shutdown()


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
