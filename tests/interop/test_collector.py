"""otel's exporters -> the real OpenTelemetry Collector -> OTLP/HTTP -> a receiver that
decodes with opentelemetry-proto. The Collector is built from its Go modules by
scripts/build-peers.sh (tests/peers/collector/); each test runs its own on free ports."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from otlp_peers import Receiver, serving

from _support.otelcol import forwarding_config, running_collector
from otel.exporter.otlp.proto.http import Compression
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import SimpleLogRecordProcessor
from otel.sdk.metrics import MeterProvider
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor, SpanExporter
from otel.testing import free_port
from otel.trace import SpanKind, Status, StatusCode

pytestmark = pytest.mark.interop

RESOURCE = Resource.create({"service.name": "collector-interop", "deployment.environment": "t"})


@pytest.fixture
def forwarded() -> Iterator[Receiver]:
    """Where the Collector forwards what it received (decoded with opentelemetry-proto)."""
    with serving() as receiver:
        yield receiver


def wait_for(predicate: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the Collector did not forward the data in time")
        time.sleep(0.05)


def otlp_receiver_config(http_port: int, grpc_port: int) -> dict[str, Any]:
    return {
        "otlp": {
            "protocols": {
                "http": {"endpoint": f"127.0.0.1:{http_port}"},
                "grpc": {"endpoint": f"127.0.0.1:{grpc_port}"},
            }
        }
    }


def forwarded_spans(receiver: Receiver) -> dict[str, Any]:
    spans = {}
    for message in receiver.messages():
        for resource_spans in getattr(message, "resource_spans", []):
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    spans[span.name] = (resource_spans.resource, scope_spans.scope, span)
    return spans


def record_trace(exporter: SpanExporter) -> tuple[int, int, int]:
    """Export a parent and a child span through ``exporter``; return their ids."""
    provider = TracerProvider(resource=RESOURCE)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("interop.scope", "1.2.3")
    with tracer.start_as_current_span("parent", kind=SpanKind.SERVER) as parent:
        parent.set_attributes({"s": "v", "i": 7, "f": 1.5, "b": True, "arr": [1, 2]})
        with tracer.start_as_current_span("child", kind=SpanKind.CLIENT) as child:
            child.add_event("evt", {"k": "v"})
            child.set_status(Status(StatusCode.ERROR, "boom"))
    provider.shutdown()
    context = parent.get_span_context()
    return context.trace_id, context.span_id, child.get_span_context().span_id


def check_trace(receiver: Receiver, ids: tuple[int, int, int]) -> None:
    trace_id, parent_id, child_id = ids
    wait_for(lambda: {"parent", "child"} <= set(forwarded_spans(receiver)))
    spans = forwarded_spans(receiver)
    resource, scope, parent = spans["parent"]
    _, _, child = spans["child"]
    attributes = {kv.key: kv.value for kv in resource.attributes}
    assert attributes["service.name"].string_value == "collector-interop"
    assert (scope.name, scope.version) == ("interop.scope", "1.2.3")
    assert int.from_bytes(parent.trace_id, "big") == trace_id
    assert int.from_bytes(parent.span_id, "big") == parent_id
    assert int.from_bytes(child.span_id, "big") == child_id
    assert child.parent_span_id == parent.span_id
    assert parent.kind == 2 and child.kind == 3  # SERVER, CLIENT
    values = {kv.key: kv.value for kv in parent.attributes}
    assert values["s"].string_value == "v"
    assert values["i"].int_value == 7
    assert values["f"].double_value == 1.5
    assert values["b"].bool_value is True
    assert [v.int_value for v in values["arr"].array_value.values] == [1, 2]
    assert [e.name for e in child.events] == ["evt"]
    assert child.status.code == 2 and child.status.message == "boom"
    assert child.end_time_unix_nano >= child.start_time_unix_nano > 0


@pytest.mark.parametrize(
    ("transport", "compression"),
    [("http/protobuf", None), ("http/json", None), ("http/protobuf", "gzip"), ("grpc", None)],
)
def test_otlp_spans_reach_the_collector_intact(
    transport: str, compression: str | None, forwarded: Receiver, tmp_path: Path
) -> None:
    http_port, grpc_port = free_port(), free_port()
    config = forwarding_config(otlp_receiver_config(http_port, grpc_port), forwarded.base)
    with running_collector(config, [http_port, grpc_port], tmp_path):
        exporter: SpanExporter
        if transport == "grpc":
            from otel.exporter.otlp.proto.grpc.trace_exporter import (
                OTLPSpanExporter as GrpcSpanExporter,
            )

            exporter = GrpcSpanExporter(endpoint=f"127.0.0.1:{grpc_port}", insecure=True)
        else:
            from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter(
                endpoint=f"http://127.0.0.1:{http_port}/v1/traces",
                compression=Compression.Gzip if compression else None,
                protocol=transport,
            )
        ids = record_trace(exporter)
        check_trace(forwarded, ids)


def _metric_exporter(transport: str, http_port: int, grpc_port: int) -> Any:
    if transport == "grpc":
        from otel.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as Grpc

        return Grpc(endpoint=f"127.0.0.1:{grpc_port}", insecure=True)
    from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

    return OTLPMetricExporter(
        endpoint=f"http://127.0.0.1:{http_port}/v1/metrics", protocol=transport
    )


def forwarded_metrics(receiver: Receiver) -> dict[str, Any]:
    return {
        metric.name: metric
        for message in receiver.messages()
        for resource_metrics in getattr(message, "resource_metrics", [])
        for scope_metrics in resource_metrics.scope_metrics
        for metric in scope_metrics.metrics
    }


@pytest.mark.parametrize("transport", ["http/protobuf", "http/json", "grpc"])
def test_otlp_metrics_reach_the_collector_intact(
    transport: str, forwarded: Receiver, tmp_path: Path
) -> None:
    from otel.sdk.metrics.export import PeriodicExportingMetricReader

    http_port, grpc_port = free_port(), free_port()
    receivers = otlp_receiver_config(http_port, grpc_port)
    config = forwarding_config(receivers, forwarded.base, signals=("metrics",))
    with running_collector(config, [http_port, grpc_port], tmp_path):
        exporter = _metric_exporter(transport, http_port, grpc_port)
        reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
        provider = MeterProvider(metric_readers=[reader], resource=RESOURCE)
        meter = provider.get_meter("interop.metrics", "1.0")
        meter.create_counter("orders", unit="{order}").add(3, {"country": "FR"})
        meter.create_histogram("latency", unit="ms").record(12.5, {"route": "/a"})
        meter.create_up_down_counter("queue").add(-2)
        provider.shutdown()
        wait_for(lambda: {"orders", "latency", "queue"} <= set(forwarded_metrics(forwarded)))
    metrics = forwarded_metrics(forwarded)
    orders = metrics["orders"].sum
    assert orders.is_monotonic and orders.aggregation_temporality == 2
    (point,) = orders.data_points
    assert point.as_int == 3
    assert {kv.key: kv.value.string_value for kv in point.attributes} == {"country": "FR"}
    assert metrics["orders"].unit == "{order}"
    (histogram,) = metrics["latency"].histogram.data_points
    assert histogram.count == 1 and histogram.sum == 12.5
    assert sum(histogram.bucket_counts) == 1
    (queue,) = metrics["queue"].sum.data_points
    assert not metrics["queue"].sum.is_monotonic and queue.as_int == -2


@pytest.mark.parametrize("transport", ["http/protobuf", "http/json", "grpc"])
def test_otlp_logs_reach_the_collector_intact(
    transport: str, forwarded: Receiver, tmp_path: Path
) -> None:

    http_port, grpc_port = free_port(), free_port()
    receivers = otlp_receiver_config(http_port, grpc_port)
    config = forwarding_config(receivers, forwarded.base, signals=("logs",))
    with running_collector(config, [http_port, grpc_port], tmp_path):
        exporter: Any
        if transport == "grpc":
            from otel.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as Grpc

            exporter = Grpc(endpoint=f"127.0.0.1:{grpc_port}", insecure=True)
        else:
            from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter

            exporter = OTLPLogExporter(
                endpoint=f"http://127.0.0.1:{http_port}/v1/logs", protocol=transport
            )
        provider = LoggerProvider(resource=RESOURCE)
        provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
        tracer_provider = TracerProvider(resource=RESOURCE)
        logger = provider.get_logger("interop.logs")
        from otel._logs import LogRecord, SeverityNumber

        with tracer_provider.get_tracer("t").start_as_current_span("request") as span:
            logger.emit(
                LogRecord(
                    body="payment failed",
                    severity_number=SeverityNumber.ERROR,
                    severity_text="ERROR",
                    attributes={"order.id": 42},
                )
            )
        provider.shutdown()

        def records() -> list[Any]:
            return [
                record
                for message in forwarded.messages()
                for resource_logs in getattr(message, "resource_logs", [])
                for scope_logs in resource_logs.scope_logs
                for record in scope_logs.log_records
            ]

        wait_for(lambda: bool(records()))
    (record,) = records()
    assert record.body.string_value == "payment failed"
    assert record.severity_number == 17 and record.severity_text == "ERROR"
    assert {kv.key: kv.value.int_value for kv in record.attributes} == {"order.id": 42}
    assert int.from_bytes(record.trace_id, "big") == span.get_span_context().trace_id
    assert int.from_bytes(record.span_id, "big") == span.get_span_context().span_id
