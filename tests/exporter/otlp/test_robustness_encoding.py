"""One item the encoder cannot handle costs that item, not the whole batch."""

from __future__ import annotations

import logging
from typing import Any

import otlp_testkit as k
import pytest
from otlp_peers import Receiver

from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.logs.export import LogExportResult
from otel.sdk.trace.export import SpanExportResult


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
