"""Our ExportTraceServiceRequest bytes, decoded by opentelemetry-proto."""

from __future__ import annotations

import otlp_testkit as k
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1 import trace_pb2

from otel.exporter.otlp._proto import _encode_common, _encode_trace
from otel.exporter.otlp._proto._encode_trace import encode_spans


def decode(spans: list[object]) -> ExportTraceServiceRequest:
    return ExportTraceServiceRequest.FromString(encode_spans(spans))


def only_span(spans: list[object]) -> trace_pb2.Span:
    request = decode(spans)
    return request.resource_spans[0].scope_spans[0].spans[0]


def test_ids_and_parent_are_big_endian_bytes() -> None:
    span = only_span([k.full_span()])
    assert span.trace_id == k.TRACE_ID.to_bytes(16, "big")
    assert span.span_id == k.SPAN_ID.to_bytes(8, "big")
    assert span.parent_span_id == k.PARENT_ID.to_bytes(8, "big")


def test_root_span_has_no_parent_span_id() -> None:
    assert only_span([k.span()]).parent_span_id == b""


def test_name_kind_and_times() -> None:
    span = only_span([k.full_span()])
    assert span.name == "GET /users/{id}"
    assert span.kind == trace_pb2.Span.SPAN_KIND_SERVER
    assert span.start_time_unix_nano == 1_700_000_000_000_000_000
    assert span.end_time_unix_nano == 1_700_000_001_000_000_000


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (k.SpanKind.INTERNAL, trace_pb2.Span.SPAN_KIND_INTERNAL),
        (k.SpanKind.SERVER, trace_pb2.Span.SPAN_KIND_SERVER),
        (k.SpanKind.CLIENT, trace_pb2.Span.SPAN_KIND_CLIENT),
        (k.SpanKind.PRODUCER, trace_pb2.Span.SPAN_KIND_PRODUCER),
        (k.SpanKind.CONSUMER, trace_pb2.Span.SPAN_KIND_CONSUMER),
    ],
)
def test_every_span_kind_maps_to_the_wire_enum(kind: k.SpanKind, expected: int) -> None:
    assert only_span([k.span(kind=kind)]).kind == expected


def test_trace_state_is_the_w3c_header() -> None:
    assert only_span([k.full_span()]).trace_state == "vendor=abc,other=1"


def test_flags_carry_trace_flags_and_parent_remoteness() -> None:
    span = only_span([k.full_span()])
    assert span.flags & 0xFF == 1
    assert span.flags & trace_pb2.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK
    assert span.flags & trace_pb2.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK


def test_local_parent_is_not_flagged_remote() -> None:
    span = only_span([k.span(parent=k.context(span_id=5, is_remote=False))])
    assert span.flags & trace_pb2.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK
    assert not span.flags & trace_pb2.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK


def test_attributes_of_every_primitive_type() -> None:
    span = only_span([k.full_span()])
    got = {kv.key: kv.value for kv in span.attributes}
    assert got["http.method"].string_value == "GET"
    assert got["http.status_code"].int_value == 200
    assert got["ok"].bool_value is True
    assert got["r"].double_value == 0.25


def test_array_attributes_and_negative_and_extreme_ints() -> None:
    attrs = {
        "ints": [1, -2, 2**63 - 1, -(2**63)],
        "strs": ["a", "é", ""],
        "bools": (True, False),
        "floats": [1.5, -0.0],
        "neg": -1,
    }
    span = only_span([k.span(attributes=attrs)])
    got = {kv.key: kv.value for kv in span.attributes}
    assert [v.int_value for v in got["ints"].array_value.values] == attrs["ints"]
    assert [v.string_value for v in got["strs"].array_value.values] == ["a", "é", ""]
    assert [v.bool_value for v in got["bools"].array_value.values] == [True, False]
    assert [v.double_value for v in got["floats"].array_value.values] == [1.5, -0.0]
    assert got["neg"].int_value == -1


def test_unicode_and_long_strings_survive() -> None:
    text = "ü" * 20000 + "🙂"
    span = only_span([k.span(name=text, attributes={"k": text})])
    assert span.name == text
    assert span.attributes[0].value.string_value == text


def test_same_string_attribute_in_many_spans_stays_correct() -> None:
    spans = [k.span(attributes={"a": "x", "b": 1}), k.span(attributes={"a": "x", "b": True})]
    request = decode(spans)
    decoded = request.resource_spans[0].scope_spans[0].spans
    assert decoded[0].attributes[1].value.int_value == 1
    assert decoded[1].attributes[1].value.bool_value is True


def test_dropped_counts() -> None:
    span = only_span([k.full_span()])
    assert span.dropped_attributes_count == 1
    assert span.dropped_events_count == 2
    assert span.dropped_links_count == 3


def test_events() -> None:
    (event,) = only_span([k.full_span()]).events
    assert event.name == "exception"
    assert event.time_unix_nano == 1_700_000_000_500_000_000
    assert event.attributes[0].key == "exception.type"
    assert event.attributes[0].value.string_value == "ValueError"


def test_links() -> None:
    (link,) = only_span([k.full_span()]).links
    assert link.trace_id == k.TRACE_ID.to_bytes(16, "big")
    assert link.span_id == (0x1111).to_bytes(8, "big")
    assert link.attributes[0].value.string_value == "batch"
    assert link.dropped_attributes_count == 2
    assert link.flags & trace_pb2.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK
    assert link.flags & 0xFF == 1


def test_link_trace_state() -> None:
    ctx = k.context(span_id=7, trace_state=k.TraceState(x="y"))
    (link,) = only_span([k.span(links=[k.link(ctx)])]).links
    assert link.trace_state == "x=y"


def test_error_status_with_message() -> None:
    status = only_span([k.full_span()]).status
    assert status.code == trace_pb2.Status.STATUS_CODE_ERROR
    assert status.message == "boom"


def test_ok_status() -> None:
    status = only_span([k.span(status=k.status(k.StatusCode.OK))]).status
    assert status.code == trace_pb2.Status.STATUS_CODE_OK


def test_unset_status_is_omitted() -> None:
    assert not only_span([k.span()]).HasField("status")


def test_resource_and_scope() -> None:
    resource = k.resource({"service.name": "shop", "host.cores": 8}, "https://schema/res")
    scope = k.scope("my.lib", "2.0", schema_url="https://schema/scope", attributes={"a": "b"})
    request = decode([k.span(resource=resource, instrumentation_scope=scope)])
    (rs,) = request.resource_spans
    assert {kv.key for kv in rs.resource.attributes} == {"service.name", "host.cores"}
    assert rs.schema_url == "https://schema/res"
    (ss,) = rs.scope_spans
    assert ss.scope.name == "my.lib"
    assert ss.scope.version == "2.0"
    assert ss.scope.attributes[0].key == "a"
    assert ss.schema_url == "https://schema/scope"


def test_spans_grouped_by_resource_then_scope() -> None:
    r1, r2 = k.resource({"service.name": "a"}), k.resource({"service.name": "b"})
    s1, s2 = k.scope("one"), k.scope("two")
    spans = [
        k.span(name="1", resource=r1, instrumentation_scope=s1),
        k.span(name="2", resource=r2, instrumentation_scope=s1),
        k.span(name="3", resource=r1, instrumentation_scope=s2),
        k.span(name="4", resource=r1, instrumentation_scope=s1),
    ]
    request = decode(spans)
    layout = [
        (rs.resource.attributes[0].value.string_value, ss.scope.name, [s.name for s in ss.spans])
        for rs in request.resource_spans
        for ss in rs.scope_spans
    ]
    assert layout == [("a", "one", ["1", "4"]), ("a", "two", ["3"]), ("b", "one", ["2"])]


def test_empty_batch_is_an_empty_request() -> None:
    assert encode_spans([]) == b""


def test_attribute_values_beyond_int64_are_sent_as_strings() -> None:
    span = only_span([k.span(attributes={"big": 2**64})])
    assert span.attributes[0].value.string_value == str(2**64)


# --- The encoder's memo of repeated attributes holds small values only: a stream of large,
# (formerly
# test_robustness_cache.py)
# unique values (stack traces, SQL, URLs) must not pin megabytes between exports.


def _largest_memo_entry() -> int:
    sizes = [
        len(encoded)
        for str_cache, int_cache in _encode_common._tagged.values()
        for encoded in (*str_cache.values(), *int_cache.values())
    ]
    return max(sizes, default=0)


def test_large_attribute_values_are_not_memoized() -> None:
    big = "x" * 100_000
    encode_spans(
        [
            k.span(
                attributes={"db.statement": big + "1"},
                events=[k.event(attributes={"exception.stacktrace": big + "2"})],
            )
        ]
    )
    assert _largest_memo_entry() < 1024


def test_large_span_names_are_not_memoized() -> None:
    name = "n" * 100_000
    encode_spans([k.span(name=name)])
    assert name not in _encode_trace._name_cache


def test_small_values_are_still_memoized() -> None:
    encode_spans([k.span(attributes={"http.method": "GET"})])
    assert any(
        ("http.method", "GET") in str_cache for str_cache, _ in _encode_common._tagged.values()
    )
