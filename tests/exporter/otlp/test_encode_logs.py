"""Our ExportLogsServiceRequest bytes, decoded by opentelemetry-proto."""

from __future__ import annotations

import otlp_testkit as k
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from otel.exporter.otlp._proto._encode_logs import encode_logs


def decode(batch: list[object]) -> ExportLogsServiceRequest:
    return ExportLogsServiceRequest.FromString(encode_logs(batch))


def test_every_log_record_field() -> None:
    request = decode([k.log_data()])
    (rl,) = request.resource_logs
    assert rl.resource.attributes[0].key == "service.name"
    (sl,) = rl.scope_logs
    assert sl.scope.name == "lib"
    (r,) = sl.log_records
    assert r.time_unix_nano == 1_700_000_000_000_000_001
    assert r.observed_time_unix_nano == 1_700_000_000_000_000_002
    assert r.severity_number == 13
    assert r.severity_text == "WARN"
    assert r.body.string_value == "disk almost full"
    assert {kv.key: kv.value for kv in r.attributes}["free.pct"].double_value == 3.5
    assert r.dropped_attributes_count == 2
    assert r.flags == 1
    assert r.trace_id == k.TRACE_ID.to_bytes(16, "big")
    assert r.span_id == k.SPAN_ID.to_bytes(8, "big")
    assert r.event_name == "disk.warning"


def test_structured_body() -> None:
    body = {"msg": "hi", "n": [1, 2], "nested": {"ok": True}, "raw": b"\x00\x01"}
    (r,) = decode([k.log_data(k.log_record(body=body))]).resource_logs[0].scope_logs[0].log_records
    kv = {x.key: x.value for x in r.body.kvlist_value.values}
    assert kv["msg"].string_value == "hi"
    assert [v.int_value for v in kv["n"].array_value.values] == [1, 2]
    assert kv["nested"].kvlist_value.values[0].value.bool_value is True
    assert kv["raw"].bytes_value == b"\x00\x01"


def test_record_without_trace_context_or_body() -> None:
    record = k.log_record(trace_id=0, span_id=0, trace_flags=0, body=None, event_name=None)
    (r,) = decode([k.log_data(record)]).resource_logs[0].scope_logs[0].log_records
    assert r.trace_id == b""
    assert r.span_id == b""
    assert not r.HasField("body")
    assert r.event_name == ""


def test_severity_enum_is_sent_as_its_number() -> None:
    import enum

    class Severity(enum.IntEnum):
        ERROR = 17

    record = k.log_record(severity_number=Severity.ERROR)
    (r,) = decode([k.log_data(record)]).resource_logs[0].scope_logs[0].log_records
    assert r.severity_number == 17


def test_records_grouped_by_resource_and_scope() -> None:
    other_res = k.resource({"service.name": "other"})
    other_scope = k.scope("other.lib")
    batch = [
        k.log_data(k.log_record(body="1")),
        k.log_data(k.log_record(body="2", resource=other_res)),
        k.log_data(k.log_record(body="3"), other_scope),
        k.log_data(k.log_record(body="4")),
    ]
    request = decode(batch)
    layout = [
        (ss.scope.name, [r.body.string_value for r in ss.log_records])
        for rl in request.resource_logs
        for ss in rl.scope_logs
    ]
    assert layout == [("lib", ["1", "4"]), ("other.lib", ["3"]), ("lib", ["2"])]
