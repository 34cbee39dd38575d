"""Our LogData is what the OTLP encoder expects: decoded by the real opentelemetry-proto."""

from __future__ import annotations

import logging

import pytest

from _support.peers import import_peer
from otel.exporter.otlp._proto import _encode_logs as encode
from otel.logs import SeverityNumber
from otel.sdk.logs import LoggerProvider, LoggingHandler
from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor
from otel.sdk.resources import Resource
from otel.trace import NonRecordingSpan, SpanContext, TraceFlags, use_span

logs_service = import_peer("opentelemetry.proto.collector.logs.v1.logs_service_pb2")

pytestmark = pytest.mark.interop


def test_handler_and_api_records_decode_with_opentelemetry_proto() -> None:
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(
        resource=Resource({"service.name": "contract"}), shutdown_on_exit=False
    )
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    handler = LoggingHandler(logger_provider=provider, log_code_attributes=False)
    span = NonRecordingSpan(SpanContext(0xAB, 0xCD, False, TraceFlags(1)))
    with use_span(span):
        handler.handle(
            logging.makeLogRecord(
                {
                    "name": "enc",
                    "msg": "hi %s",
                    "args": ("there",),
                    "levelno": 30,
                    "levelname": "WARNING",
                    "k": [1, 2],
                }
            )
        )
    provider.get_logger("api", "1.0").emit(
        body={"m": [1, "x", {"n": True}]},
        severity_number=SeverityNumber.ERROR,
        event_name="order.failed",
    )

    request = logs_service.ExportLogsServiceRequest.FromString(
        encode.encode_logs(exporter.get_finished_logs())
    )

    (resource_logs,) = request.resource_logs
    assert {kv.key: kv.value.string_value for kv in resource_logs.resource.attributes}[
        "service.name"
    ] == "contract"
    first, second = resource_logs.scope_logs
    (warning,) = first.log_records
    assert first.scope.name == "enc"
    assert warning.severity_number == 13 and warning.severity_text == "WARNING"
    assert warning.body.string_value == "hi there"
    assert warning.trace_id == (0xAB).to_bytes(16, "big")
    assert warning.span_id == (0xCD).to_bytes(8, "big")
    assert warning.flags == 1
    assert [a.key for a in warning.attributes] == ["k"]
    assert warning.time_unix_nano > 0 and warning.observed_time_unix_nano > 0
    (error,) = second.log_records
    assert (second.scope.name, second.scope.version) == ("api", "1.0")
    assert error.event_name == "order.failed"
    structured = error.body.kvlist_value.values[0]
    assert structured.key == "m"
    assert [v.WhichOneof("value") for v in structured.value.array_value.values] == [
        "int_value",
        "string_value",
        "kvlist_value",
    ]
