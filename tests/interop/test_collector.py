"""otel's exporters -> the real OpenTelemetry Collector -> OTLP/HTTP -> a receiver that
decodes with opentelemetry-proto. The Collector is built from its Go modules by
scripts/build-peers.sh (tests/peers/collector/); each test runs its own on free ports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from interop_kit import (
    RESOURCE,
    check_trace,
    otlp_receiver_config,
    record_trace,
    wait_for,
)
from otlp_peers import Receiver

from _support.otelcol import forwarding_config, running_collector
from otel.exporter.otlp.proto.http import Compression
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import SimpleLogRecordProcessor
from otel.sdk.metrics import MeterProvider
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SpanExporter
from otel.testing import free_port

pytestmark = pytest.mark.interop


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
