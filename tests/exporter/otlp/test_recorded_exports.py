"""OTLP exporters on the recording transport: what they send and how they read answers."""

from __future__ import annotations

import logging

import otlp_testkit as k
import pytest
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from otel.exporter._transport import RecordingTransport, Response
from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.logs.export import LogExportResult
from otel.sdk.metrics.export import MetricExportResult
from otel.sdk.trace.export import SpanExportResult

PROTOBUF = {"content-type": "application/x-protobuf"}
JSON = {"content-type": "application/json"}


def exporter(*answers: object, **kw: object) -> tuple[OTLPSpanExporter, RecordingTransport]:
    transport = RecordingTransport(answers)  # type: ignore[arg-type]
    return OTLPSpanExporter(_transport=transport, **kw), transport  # type: ignore[arg-type]


def test_spans_are_posted_as_protobuf_to_the_traces_url() -> None:
    exp, transport = exporter()
    assert exp.export([k.full_span()]) is SpanExportResult.SUCCESS
    (sent,) = transport.sent
    assert sent.request.url == "http://localhost:4318/v1/traces"
    assert sent.headers["content-type"] == "application/x-protobuf"
    message = ExportTraceServiceRequest.FromString(sent.body)
    assert message.resource_spans[0].scope_spans[0].spans[0].name == "GET /users/{id}"


def test_the_constructor_timeout_bounds_every_request() -> None:
    exp, transport = exporter(timeout=2)
    exp.export([k.full_span()])
    assert 1.5 < transport.sent[0].remaining_s <= 2.0


def test_metrics_and_logs_exporters_take_a_transport() -> None:
    transport = RecordingTransport()
    metrics = OTLPMetricExporter(_transport=transport)
    logs = OTLPLogExporter(_transport=transport)
    assert metrics.export(k.metrics_data()) is MetricExportResult.SUCCESS
    assert logs.export([k.log_data()]) is LogExportResult.SUCCESS
    assert [s.request.url.rsplit("/", 1)[1] for s in transport.sent] == ["metrics", "logs"]


def test_a_400_with_a_status_body_is_not_retried_and_logs_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    status = status_pb2.Status(code=3, message="span name must not be empty")
    exp, transport = exporter(Response(400, "", PROTOBUF, status.SerializeToString()))
    with caplog.at_level(logging.ERROR, logger="otel.exporter.otlp"):
        assert exp.export([k.full_span()]) is SpanExportResult.FAILURE
    assert len(transport.sent) == 1
    (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "400" in error.getMessage()
    assert "span name must not be empty" in error.getMessage()
    assert "not retried" in error.getMessage()


def test_a_plain_text_error_body_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    exp, _ = exporter(Response(401, "", {"content-type": "text/plain"}, b"token expired"))
    assert exp.export([k.full_span()]) is SpanExportResult.FAILURE
    assert "token expired" in caplog.text


def test_partial_success_is_logged_with_its_counts(caplog: pytest.LogCaptureFixture) -> None:
    response = ExportTraceServiceResponse()
    response.partial_success.rejected_spans = 2
    response.partial_success.error_message = "2 spans had no name"
    exp, _ = exporter(Response(200, "", PROTOBUF, response.SerializeToString()))
    with caplog.at_level(logging.WARNING, logger="otel.exporter.otlp"):
        assert exp.export([k.full_span()]) is SpanExportResult.SUCCESS
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "2 rejected" in record.getMessage()
    assert "2 spans had no name" in record.getMessage()


def test_an_empty_partial_success_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    exp, _ = exporter(Response(200, "", PROTOBUF, ExportTraceServiceResponse().SerializeToString()))
    with caplog.at_level(logging.WARNING, logger="otel.exporter.otlp"):
        assert exp.export([k.full_span()]) is SpanExportResult.SUCCESS
    assert not caplog.records


def test_json_answers_are_understood(caplog: pytest.LogCaptureFixture) -> None:
    exp, transport = exporter(
        Response(200, "", JSON, b'{"partialSuccess":{"rejectedSpans":"5","errorMessage":"dup"}}'),
        Response(400, "", JSON, b'{"code":3,"message":"bad json field"}'),
        protocol="http/json",
    )
    assert exp.export([k.full_span()]) is SpanExportResult.SUCCESS
    assert exp.export([k.full_span()]) is SpanExportResult.FAILURE
    assert "5 rejected; dup" in caplog.text
    assert "bad json field" in caplog.text
    assert transport.sent[0].headers["content-type"] == "application/json"


def test_shutdown_closes_the_transport_and_later_exports_send_nothing() -> None:
    exp, transport = exporter()
    exp.shutdown()
    assert transport.closed
    assert exp.export([k.full_span()]) is SpanExportResult.FAILURE
    assert transport.sent == []
