"""The real SDKs -> our OTLP exporters -> real receivers decoding with opentelemetry-proto."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import otlp_testkit as k
import pytest
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.trace.v1 import trace_pb2
from otlp_grpc_peer import GrpcReceiver
from otlp_peers import Receiver

import otel.exporter.otlp
from otel import trace
from otel.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcLogExporter
from otel.exporter.otlp.proto.grpc.metric_exporter import (
    OTLPMetricExporter as GrpcMetricExporter,
)
from otel.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcSpanExporter
from otel.exporter.otlp.proto.http import Compression
from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.logs import LoggerProvider, LoggingHandler
from otel.sdk.logs.export import BatchLogRecordProcessor, LogExportResult
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import PeriodicExportingMetricReader
from otel.sdk.resources import Resource
from otel.sdk.trace import SpanLimits, TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExportResult

_OTLP_ENV = [
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_EXPORTER_OTLP_COMPRESSION",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TIMEOUT",
    "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
    "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
]

RESOURCE = Resource.create({"service.name": "checkout", "deployment.environment": "test"})


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _OTLP_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tracing() -> Iterator[list[TracerProvider]]:
    providers: list[TracerProvider] = []
    yield providers
    for provider in providers:
        provider.shutdown()


def make_tracer(exporter: Any, providers: list[TracerProvider]) -> tuple[Any, TracerProvider]:
    provider = TracerProvider(resource=RESOURCE, span_limits=SpanLimits(max_span_attributes=3))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    providers.append(provider)
    return provider.get_tracer(
        "shop.cart", "3.1.0", schema_url="https://opentelemetry.io/s/1"
    ), provider


def record_trace(tracer: Any) -> None:
    remote_parent = trace.NonRecordingSpan(
        trace.SpanContext(
            0x5B8EFFF798038103D269B633813FC60C,
            0xEEE19B7EC3C1B174,
            is_remote=True,
            trace_flags=trace.TraceFlags(1),
            trace_state=trace.TraceState([("vendor", "v1")]),
        )
    )
    linked = trace.SpanContext(0x1234, 0x5678, is_remote=True, trace_flags=trace.TraceFlags(0))
    ctx = trace.set_span_in_context(remote_parent)
    with tracer.start_as_current_span(
        "POST /cart",
        context=ctx,
        kind=trace.SpanKind.SERVER,
        links=[trace.Link(linked, {"reason": "retry"})],
        attributes={"http.request.method": "POST", "a": 1, "b": 2.5, "c": True, "d": "dropped"},
    ) as server:
        server.add_event("validated", {"items": 3})
        with tracer.start_as_current_span("db.query", kind=trace.SpanKind.CLIENT) as child:
            child.set_status(trace.Status(trace.StatusCode.ERROR, "deadlock"))


def check_trace(request: Any) -> None:
    (rs,) = request.resource_spans
    resource = {kv.key: kv.value.string_value for kv in rs.resource.attributes}
    assert resource["service.name"] == "checkout"
    (ss,) = rs.scope_spans
    assert (ss.scope.name, ss.scope.version) == ("shop.cart", "3.1.0")
    assert ss.schema_url == "https://opentelemetry.io/s/1"
    spans = {s.name: s for s in ss.spans}
    server, child = spans["POST /cart"], spans["db.query"]
    assert server.trace_id == (0x5B8EFFF798038103D269B633813FC60C).to_bytes(16, "big")
    assert server.parent_span_id == (0xEEE19B7EC3C1B174).to_bytes(8, "big")
    assert server.trace_state == "vendor=v1"
    assert server.kind == trace_pb2.Span.SPAN_KIND_SERVER
    assert server.flags & trace_pb2.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK
    assert server.flags & 0xFF == 1
    assert len(server.attributes) == 3
    assert server.dropped_attributes_count == 2
    assert server.events[0].name == "validated"
    assert server.events[0].attributes[0].value.int_value == 3
    assert server.links[0].span_id == (0x5678).to_bytes(8, "big")
    assert server.links[0].attributes[0].value.string_value == "retry"
    assert server.end_time_unix_nano >= server.start_time_unix_nano > 0
    assert child.parent_span_id == server.span_id
    assert child.kind == trace_pb2.Span.SPAN_KIND_CLIENT
    assert not child.flags & trace_pb2.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK
    assert child.status.code == trace_pb2.Status.STATUS_CODE_ERROR
    assert child.status.message == "deadlock"


def test_short_path_reexports_the_http_exporters() -> None:
    assert otel.exporter.otlp.OTLPSpanExporter is OTLPSpanExporter
    assert otel.exporter.otlp.OTLPMetricExporter is OTLPMetricExporter
    assert otel.exporter.otlp.OTLPLogExporter is OTLPLogExporter


def test_batch_processor_to_http_protobuf(otlp_receiver: Receiver, tracing: Any) -> None:
    tracer, provider = make_tracer(OTLPSpanExporter(endpoint=otlp_receiver.url()), tracing)
    record_trace(tracer)
    assert provider.force_flush(5000)
    (req,) = otlp_receiver.requests
    assert req.headers["Content-Type"] == "application/x-protobuf"
    check_trace(req.message)


def test_batch_processor_to_http_json(otlp_receiver: Receiver, tracing: Any) -> None:
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url(), protocol="http/json")
    tracer, provider = make_tracer(exporter, tracing)
    record_trace(tracer)
    assert provider.force_flush(5000)
    (req,) = otlp_receiver.requests
    assert req.headers["Content-Type"] == "application/json"
    check_trace(req.message)
    span = req.json["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    assert len(span["traceId"]) == 32


def test_environment_configures_the_exporter(
    otlp_receiver: Receiver, tracing: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", otlp_receiver.base)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%3Dt")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
    tracer, provider = make_tracer(OTLPSpanExporter(), tracing)
    record_trace(tracer)
    assert provider.force_flush(5000)
    (req,) = otlp_receiver.requests
    assert req.path == "/v1/traces"
    assert req.headers["api-key"] == "s3cr=t"
    assert req.headers["Content-Encoding"] == "gzip"
    assert req.headers["Content-Type"] == "application/json"
    check_trace(req.message)


def test_gzip_argument(otlp_receiver: Receiver, tracing: Any) -> None:
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url(), compression=Compression.Gzip)
    tracer, provider = make_tracer(exporter, tracing)
    record_trace(tracer)
    assert provider.force_flush(5000)
    assert otlp_receiver.requests[0].headers["Content-Encoding"] == "gzip"
    check_trace(otlp_receiver.requests[0].message)


def test_grpc_span_exporter(grpc_receiver: GrpcReceiver, tracing: Any) -> None:
    exporter = GrpcSpanExporter(endpoint=grpc_receiver.endpoint, compression="gzip")
    tracer, provider = make_tracer(exporter, tracing)
    record_trace(tracer)
    assert provider.force_flush(5000)
    (request,) = grpc_receiver.requests
    check_trace(request)


def test_export_failure_is_a_result_not_an_exception(closed_port: str) -> None:
    exporter = OTLPSpanExporter(endpoint=closed_port + "/v1/traces", timeout=0.3)
    provider = TracerProvider(resource=RESOURCE)
    from otel.sdk.trace.export import SimpleSpanProcessor
    from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    with provider.get_tracer("t").start_as_current_span("x"):
        pass
    start = time.monotonic()
    assert exporter.export(memory.get_finished_spans()) is SpanExportResult.FAILURE
    assert time.monotonic() - start < 1.0
    exporter.shutdown()
    provider.shutdown()


def test_export_after_shutdown_fails(otlp_receiver: Receiver) -> None:
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url())
    exporter.shutdown()
    from otlp_testkit import span

    assert exporter.export([span()]) is SpanExportResult.FAILURE
    assert otlp_receiver.requests == []


# --------------------------------------------------------------------------- metrics


def record_metrics(exporter: Any) -> None:
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    provider = MeterProvider(metric_readers=[reader], resource=RESOURCE)
    meter = provider.get_meter("shop.metrics", "1.0")
    counter = meter.create_counter("orders", unit="{order}", description="Orders placed")
    updown = meter.create_up_down_counter("carts.open")
    histogram = meter.create_histogram("checkout.duration", unit="ms")
    gauge = meter.create_gauge("cpu.temp")

    def observe(_options: Any) -> list[Any]:
        from otel.metrics import Observation

        return [Observation(7, {"pool": "a"})]

    meter.create_observable_counter("threads.created", callbacks=[observe])
    for value in (1, 2, 3):
        counter.add(value, {"country": "FR"})
        histogram.record(value * 10.5, {"country": "FR"})
    updown.add(5)
    updown.add(-2)
    gauge.set(61.5)
    provider.shutdown()


def metrics_by_name(request: Any) -> dict[str, Any]:
    return {
        m.name: m for rm in request.resource_metrics for sm in rm.scope_metrics for m in sm.metrics
    }


def test_metrics_cumulative_over_http(otlp_receiver: Receiver) -> None:
    record_metrics(OTLPMetricExporter(endpoint=otlp_receiver.url("metrics")))
    merged: dict[str, Any] = {}
    for req in otlp_receiver.requests:
        merged.update(metrics_by_name(req.message))
    cumulative = metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    orders = merged["orders"]
    assert orders.sum.is_monotonic
    assert orders.sum.aggregation_temporality == cumulative
    assert orders.sum.data_points[0].as_int == 6
    assert orders.unit == "{order}"
    assert merged["carts.open"].sum.data_points[0].as_int == 3
    assert not merged["carts.open"].sum.is_monotonic
    hist = merged["checkout.duration"].histogram
    assert hist.aggregation_temporality == cumulative
    point = hist.data_points[0]
    assert point.count == 3
    assert point.sum == pytest.approx(63.0)
    assert sum(point.bucket_counts) == 3
    assert len(point.bucket_counts) == len(point.explicit_bounds) + 1
    assert (point.min, point.max) == (10.5, 31.5)
    assert merged["cpu.temp"].gauge.data_points[0].as_double == 61.5
    assert merged["threads.created"].sum.data_points[0].as_int == 7
    rm = otlp_receiver.requests[0].message.resource_metrics[0]
    assert {kv.key for kv in rm.resource.attributes} >= {"service.name"}


def test_metrics_delta_preference_and_exponential_histograms(
    otlp_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta")
    monkeypatch.setenv(
        "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
        "base2_exponential_bucket_histogram",
    )
    record_metrics(OTLPMetricExporter(endpoint=otlp_receiver.url("metrics")))
    merged: dict[str, Any] = {}
    for req in otlp_receiver.requests:
        merged.update(metrics_by_name(req.message))
    delta = metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    assert merged["orders"].sum.aggregation_temporality == delta
    assert merged["carts.open"].sum.aggregation_temporality == (
        metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    )
    exp = merged["checkout.duration"].exponential_histogram
    assert exp.aggregation_temporality == delta
    point = exp.data_points[0]
    assert point.count == 3
    assert sum(point.positive.bucket_counts) == 3
    assert (point.min, point.max) == (10.5, 31.5)


def test_metrics_over_http_json(otlp_receiver: Receiver) -> None:
    record_metrics(OTLPMetricExporter(endpoint=otlp_receiver.url("metrics"), protocol="http/json"))
    assert otlp_receiver.requests[0].headers["Content-Type"] == "application/json"
    assert metrics_by_name(otlp_receiver.requests[0].message)["orders"].sum.data_points


def test_metrics_over_grpc_in_small_batches(grpc_receiver: GrpcReceiver) -> None:
    record_metrics(GrpcMetricExporter(endpoint=grpc_receiver.endpoint, max_export_batch_size=2))
    assert len(grpc_receiver.requests) >= 3
    merged: dict[str, Any] = {}
    for req in grpc_receiver.requests:
        points = sum(
            len(getattr(m, m.WhichOneof("data")).data_points) for m in metrics_by_name(req).values()
        )
        assert points <= 2
        merged.update(metrics_by_name(req))
    assert merged["orders"].sum.data_points[0].as_int == 6


# --------------------------------------------------------------------------- logs


def emit_logs(exporter: Any) -> None:
    provider = LoggerProvider(resource=RESOURCE)
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    logger = logging.getLogger("shop.e2e.checkout")
    logger.propagate = False
    handler = LoggingHandler(logger_provider=provider)
    logger.addHandler(handler)
    try:
        tracer_provider = TracerProvider(resource=RESOURCE)
        with tracer_provider.get_tracer("t").start_as_current_span("request"):
            logger.warning("stock low for %s", "sku-1", extra={"sku": "sku-1"})
        logger.error("payment failed")
        provider.force_flush(5000)
    finally:
        logger.removeHandler(handler)
        provider.shutdown()
        tracer_provider.shutdown()


def check_logs(request: Any) -> None:
    records = [r for rl in request.resource_logs for sl in rl.scope_logs for r in sl.log_records]
    bodies = {r.body.string_value: r for r in records}
    warning = bodies["stock low for sku-1"]
    assert warning.severity_number == 13
    assert warning.severity_text == "WARN" or warning.severity_text.startswith("WARN")
    assert len(warning.trace_id) == 16
    assert len(warning.span_id) == 8
    assert {kv.key: kv.value.string_value for kv in warning.attributes}["sku"] == "sku-1"
    error = bodies["payment failed"]
    assert error.severity_number == 17
    assert error.trace_id == b""
    assert error.time_unix_nano > 0
    resource = request.resource_logs[0].resource
    assert {kv.key for kv in resource.attributes} >= {"service.name"}


def test_logs_over_http(otlp_receiver: Receiver) -> None:
    emit_logs(OTLPLogExporter(endpoint=otlp_receiver.url("logs")))
    check_logs(otlp_receiver.requests[0].message)


def test_logs_over_http_json(otlp_receiver: Receiver) -> None:
    emit_logs(OTLPLogExporter(endpoint=otlp_receiver.url("logs"), protocol="http/json"))
    assert otlp_receiver.requests[0].headers["Content-Type"] == "application/json"
    check_logs(otlp_receiver.requests[0].message)


def test_logs_over_grpc(grpc_receiver: GrpcReceiver) -> None:
    emit_logs(GrpcLogExporter(endpoint=grpc_receiver.endpoint))
    check_logs(grpc_receiver.requests[0])


def test_exemplars_from_a_sampled_span_reach_the_receiver(otlp_receiver: Receiver) -> None:
    reader = PeriodicExportingMetricReader(
        OTLPMetricExporter(endpoint=otlp_receiver.url("metrics")),
        export_interval_millis=3_600_000,
    )
    meter_provider = MeterProvider(metric_readers=[reader], resource=RESOURCE)
    tracer_provider = TracerProvider(resource=RESOURCE)
    histogram = meter_provider.get_meter("m").create_histogram("latency", unit="ms")
    with tracer_provider.get_tracer("t").start_as_current_span("op") as span:
        histogram.record(12.5, {"route": "/a"})
        span_id = span.get_span_context().span_id
        trace_id = span.get_span_context().trace_id
    meter_provider.shutdown()
    tracer_provider.shutdown()
    (point,) = metrics_by_name(otlp_receiver.requests[0].message)["latency"].histogram.data_points
    (exemplar,) = point.exemplars
    assert exemplar.as_double == 12.5
    assert exemplar.span_id == span_id.to_bytes(8, "big")
    assert exemplar.trace_id == trace_id.to_bytes(16, "big")
    assert exemplar.time_unix_nano > 0


# --- One item the encoder cannot handle costs that item, not the whole batch. (formerly
# test_robustness_encoding.py)


def _span_names(receiver: Receiver) -> list[str]:
    return [
        span.name
        for req in receiver.requests
        for rs in req.message.resource_spans
        for ss in rs.scope_spans
        for span in ss.spans
    ]


@pytest.mark.parametrize("protocol", ["http/protobuf", "http/json"])
@pytest.mark.parametrize(
    "bad",
    [
        {"name": None},
        {"kind": "server"},
        {"start_time": 1.5},
        {"events": [k.event(timestamp="yesterday")]},
    ],
    ids=["name-none", "kind-str", "start-time-float", "event-timestamp-str"],
)
def test_span_batch_keeps_the_spans_that_encode(
    otlp_receiver: Receiver, protocol: str, bad: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url(), protocol=protocol)  # type: ignore[arg-type]
    try:
        with caplog.at_level(logging.ERROR, logger="otel.exporter.otlp"):
            result = exporter.export([k.span(name="first"), k.span(**bad), k.span(name="last")])
    finally:
        exporter.shutdown()
    assert result is SpanExportResult.SUCCESS
    assert _span_names(otlp_receiver) == ["first", "last"]
    assert "1 of 3 spans" in caplog.text


def test_json_span_name_with_lone_surrogate_is_sent(otlp_receiver: Receiver) -> None:
    exporter = OTLPSpanExporter(endpoint=otlp_receiver.url(), protocol="http/json")  # type: ignore[arg-type]
    try:
        result = exporter.export([k.span(name="bad \ud800 name")])
    finally:
        exporter.shutdown()
    assert result is SpanExportResult.SUCCESS
    assert _span_names(otlp_receiver) == ["bad ? name"]


@pytest.mark.parametrize("protocol", ["http/protobuf", "http/json"])
def test_log_batch_keeps_the_records_that_encode(otlp_receiver: Receiver, protocol: str) -> None:
    exporter = OTLPLogExporter(endpoint=otlp_receiver.url("logs"), protocol=protocol)  # type: ignore[arg-type]
    good = k.log_data(k.log_record(body="kept"))
    bad = k.log_data(k.log_record(timestamp="now"))
    try:
        result = exporter.export([good, bad])
    finally:
        exporter.shutdown()
    assert result is LogExportResult.SUCCESS
    bodies = [
        record.body.string_value
        for req in otlp_receiver.requests
        for rl in req.message.resource_logs
        for sl in rl.scope_logs
        for record in sl.log_records
    ]
    assert bodies == ["kept"]
