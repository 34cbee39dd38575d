"""Property tests: whatever attributes and names, opentelemetry-proto decodes what we meant."""

from __future__ import annotations

from typing import Any

import otlp_testkit as k
from hypothesis import given, settings
from hypothesis import strategies as st
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from otlp_peers import decode_body

from otel.exporter.otlp import _json
from otel.exporter.otlp._proto._encode_logs import encode_logs
from otel.exporter.otlp._proto._encode_trace import encode_spans
from otel.exporter.otlp._proto._wire import read_varint, varint

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=False)
TEXT = st.text(max_size=40)
PRIMITIVE = st.one_of(TEXT, st.booleans(), INT64, FLOATS)
VALUE = st.one_of(
    PRIMITIVE,
    st.lists(TEXT, max_size=4),
    st.lists(st.booleans(), max_size=4),
    st.lists(INT64, max_size=4),
    st.lists(FLOATS, max_size=4),
)
ATTRIBUTES = st.dictionaries(TEXT, VALUE, max_size=6)
IDS = st.integers(min_value=1, max_value=2**128 - 1)
SPAN_IDS = st.integers(min_value=1, max_value=2**64 - 1)
TIMES = st.integers(min_value=0, max_value=2**64 - 1)


def python_value(any_value: Any) -> Any:
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [python_value(v) for v in any_value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: python_value(kv.value) for kv in any_value.kvlist_value.values}
    return getattr(any_value, kind) if kind else None


def same(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[x], b[x]) for x in a)
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(ATTRIBUTES, TEXT, IDS, SPAN_IDS, TIMES, TIMES)
def test_span_fields_round_trip(
    attributes: dict[str, Any], name: str, trace_id: int, span_id: int, start: int, end: int
) -> None:
    span = k.span(
        name=name,
        context=k.context(trace_id=trace_id, span_id=span_id),
        attributes=attributes,
        start_time=start,
        end_time=end,
    )
    request = ExportTraceServiceRequest.FromString(encode_spans([span, span]))
    for decoded in request.resource_spans[0].scope_spans[0].spans:
        assert decoded.name == name
        assert int.from_bytes(decoded.trace_id, "big") == trace_id
        assert int.from_bytes(decoded.span_id, "big") == span_id
        assert (decoded.start_time_unix_nano, decoded.end_time_unix_nano) == (start, end)
        got = {kv.key: python_value(kv.value) for kv in decoded.attributes}
        expected = {key: list(v) if isinstance(v, list) else v for key, v in attributes.items()}
        assert same(got, expected)


@settings(max_examples=100, deadline=None)
@given(ATTRIBUTES, TEXT)
def test_json_and_protobuf_decode_to_the_same_message(
    attributes: dict[str, Any], name: str
) -> None:
    spans = [k.span(name=name, attributes=attributes, events=[k.event(attributes=attributes)])]
    from_proto = decode_body("/v1/traces", "application/x-protobuf", encode_spans(spans))
    from_json = decode_body("/v1/traces", "application/json", _json.encode_spans(spans))
    assert from_json == from_proto


BODIES = st.recursive(
    st.one_of(st.none(), PRIMITIVE, st.binary(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(BODIES)
def test_any_log_body_round_trips(body: Any) -> None:
    request = ExportLogsServiceRequest.FromString(
        encode_logs([k.log_data(k.log_record(body=body))])
    )
    record = request.resource_logs[0].scope_logs[0].log_records[0]
    if body is None:
        assert not record.HasField("body")
    else:
        assert same(python_value(record.body), body)


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_varint_round_trip(value: int) -> None:
    data = varint(value)
    assert read_varint(data, 0) == (value, len(data))
