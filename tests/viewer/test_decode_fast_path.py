"""The receiver's one-regex span path (``_span_pattern.SPAN``) stores exactly what the model
decoder stores, for the layout every SDK writes and for every shape it must hand over to
the general path. Bodies come from opentelemetry-proto (the reference encoder), our own
exporter, and by hand where no encoder writes the shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_decode_rows import _assert_same, _stored
from viewer_protos import any_value, pb_trace, put_attributes

from otel.exporter.otlp._proto._decode_request import decode_trace_request
from otel.exporter.otlp._proto._wire import DecodeError, length_delimited
from otel.viewer._receiver import _otlp_rows
from otel.viewer._receiver._otlp_rows import decode_trace_rows
from otel.viewer._receiver._span_pattern import SLOTS, SPAN
from otel.viewer._store._rows import prepare_spans

pytestmark = pytest.mark.interop

TRACE = b"\x11" * 16
SPAN_ID = b"\x22" * 8
PARENT = b"\x33" * 8


def _request(**fields: Any) -> Any:
    """A request with one resource, one scope and one span built from ``fields``."""
    attributes = fields.pop("attributes", {"http.method": "GET", "n": 7, "ok": True})
    status = fields.pop("status", None)
    req = pb_trace.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    put_attributes(rs.resource.attributes, {"service.name": "shop"})
    ss = rs.scope_spans.add()
    ss.scope.name = "lib"
    span_fields = {
        "trace_id": TRACE,
        "span_id": SPAN_ID,
        "parent_span_id": PARENT,
        "name": "GET /cart",
        "kind": 2,
        "start_time_unix_nano": 1_000,
        "end_time_unix_nano": 9_000,
        **fields,
    }
    span = ss.spans.add(**span_fields)
    put_attributes(span.attributes, attributes)
    if status is not None:
        span.status.code, span.status.message = status
    return req


def _body(**fields: Any) -> bytes:
    return bytes(_request(**fields).SerializeToString())


def _span_bytes(body: bytes) -> bytes:
    """The one span of a ``_request`` body, as its bytes."""
    req = pb_trace.ExportTraceServiceRequest.FromString(body)
    return bytes(req.resource_spans[0].scope_spans[0].spans[0].SerializeToString())


def _with_span(body: bytes, span: bytes) -> bytes:
    """``body`` (one resource, one scope, one span) with the span's bytes replaced."""
    req = pb_trace.ExportTraceServiceRequest.FromString(body)
    scope = req.resource_spans[0].scope_spans[0]
    scope_bytes = length_delimited(b"\x0a", scope.scope.SerializeToString())
    group = scope_bytes + length_delimited(b"\x12", span)
    resource = length_delimited(b"\x0a", req.resource_spans[0].resource.SerializeToString())
    return length_delimited(b"\x0a", resource + length_delimited(b"\x12", group))


def _fast(monkeypatch: pytest.MonkeyPatch, body: bytes) -> None:
    """``body``'s spans are all read by ``SPAN`` (the general path is not taken) and stored
    as the model path stores them."""
    expected = prepare_spans(decode_trace_request(body).items)

    def general(*args: Any) -> None:
        raise AssertionError("the span took the general path")

    monkeypatch.setattr(_otlp_rows, "_general_row", general)
    assert _stored(decode_trace_rows(body).items) == _stored(expected)


def general_items(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The span bytes ``_general_row`` is given from now on."""
    seen: list[bytes] = []
    original = _otlp_rows._general_row

    def spy(item: bytes, *args: Any) -> Any:
        seen.append(item)
        return original(item, *args)

    monkeypatch.setattr(_otlp_rows, "_general_row", spy)
    return seen


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"parent_span_id": b""},
        {"parent_span_id": b"\x00" * 8},
        {"name": ""},
        {"kind": 0},
        {"attributes": {}},
        {"status": (1, "")},
        {"status": (2, "")},
        {"flags": 0x301},
        {"attributes": {f"k{n}": n for n in range(SLOTS)}},
        {"attributes": {f"k{n}": n for n in range(SLOTS + 1)}},
        {"attributes": {f"k{n}": f"v{n}" for n in range(3 * SLOTS)}},
        {"attributes": {"ratio": 0.5, "list": [1, "a"], "map": {"k": 1}, "raw": b"\x00\xff"}},
        {"name": "\u00e9\u4e2d" * 20, "attributes": {"\u00e9": '\u4e2d"\\'}},
        {"end_time_unix_nano": 500},  # ends before it starts: duration 0
        {"attributes": {"k": "v" * 200, "n": 1}},  # from the long one on: after the slots
        {"attributes": {"k" * 130: 1}},
        {"attributes": {"big": "x" * 20_000}},  # the span's own length takes 3 bytes
        {"status": (2, ""), "flags": 0x100},
        {"start_time_unix_nano": 2**63 - 1, "end_time_unix_nano": 2**63 - 1},
    ],
)
def test_the_usual_layout_takes_the_fast_path_and_is_stored_the_same(
    monkeypatch: pytest.MonkeyPatch, fields: dict[str, Any]
) -> None:
    _fast(monkeypatch, _body(**fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "n" * 200},  # a length of two varint bytes
        {"status": (2, "boom")},
        {"status": (0, "only a message")},
        {"status": (7, "")},  # a code no SDK writes
        {"trace_state": "k=v"},
        {"dropped_attributes_count": 2},
        {"dropped_events_count": 1},
        {"dropped_links_count": 1},
        {"kind": 300},
        {"start_time_unix_nano": 2**63},
        {"end_time_unix_nano": 2**64 - 1},
        {"trace_id": b"\x00" * 16},
        {"trace_id": b""},
        {"span_id": b"\x00" * 8},
        {"span_id": b"\x01" * 7},
        {"parent_span_id": b"\x01" * 9},
    ],
)
def test_other_shapes_take_the_general_path_and_are_stored_the_same(
    monkeypatch: pytest.MonkeyPatch, fields: dict[str, Any]
) -> None:
    body = _body(**fields)
    general = general_items(monkeypatch)
    _assert_same(body)
    assert general == [_span_bytes(body)]


def test_a_span_with_events_and_links_is_stored_the_same() -> None:
    req = _request()
    span = req.resource_spans[0].scope_spans[0].spans[0]
    event = span.events.add(time_unix_nano=5, name="exception")
    put_attributes(event.attributes, {"exception.type": "ValueError"})
    span.links.add(trace_id=b"\x05" * 16, span_id=b"\x06" * 8, trace_state="t")
    _assert_same(req.SerializeToString())


@pytest.mark.parametrize(
    "attributes",
    [
        [("a", 1), ("a", 2)],  # in the slots
        [(f"k{n}", n) for n in range(SLOTS)] + [("k0", "again")],  # after them
    ],
)
def test_a_repeated_key_keeps_the_last_value_as_the_model_path_does(
    attributes: list[tuple[str, Any]],
) -> None:
    req = _request(attributes={})
    span = req.resource_spans[0].scope_spans[0].spans[0]
    for key, value in attributes:
        span.attributes.add(key=key, value=any_value(value))
    body = req.SerializeToString()
    _assert_same(body)
    attrs = decode_trace_rows(body).items.groups[0].rows[0][10]
    assert ('"a":2' in attrs) or ('"k0":"again"' in attrs)


@pytest.mark.parametrize(
    "statuses", [b"\x7a\x02\x18\x02\x7a\x00", b"\x7a\x00\x7a\x02\x18\x01", b"\x7a\x00\x7a\x00"]
)
def test_repeated_status_fields_merge_as_the_model_path_merges_them(statuses: bytes) -> None:
    span = _span_bytes(_body()) + statuses
    _assert_same(_with_span(_body(), span))


def test_fields_out_of_number_order_are_stored_the_same() -> None:
    span = _span_bytes(_body())
    name = length_delimited(b"\x2a", b"moved")
    reordered = name + span  # name first, then the usual fields (the last name wins)
    body = _with_span(_body(), reordered)
    assert SPAN.match(reordered) is None
    _assert_same(body)
    assert decode_trace_rows(body).items.groups[0].rows[0][4] == "GET /cart"


@pytest.mark.parametrize(
    "extra",
    [
        b"\x98\x01\x05",  # field 19, varint
        length_delimited(b"\xa2\x01", b"future"),  # field 20, bytes
        b"\xad\x01\x01\x02\x03\x04",  # field 21, fixed32
    ],
)
def test_unknown_span_fields_are_skipped_as_the_model_path_skips_them(extra: bytes) -> None:
    body = _with_span(_body(), _span_bytes(_body()) + extra)
    _assert_same(body)
    assert decode_trace_rows(body).items.count == 1


def test_a_scope_after_its_spans_and_unknown_scope_fields_are_read_the_same() -> None:
    body = _body()
    req = pb_trace.ExportTraceServiceRequest.FromString(body)
    scope = req.resource_spans[0].scope_spans[0]
    span = length_delimited(b"\x12", _span_bytes(body))
    group = (
        span
        + b"\x20\x07"  # field 4, varint: unknown
        + length_delimited(b"\x0a", scope.scope.SerializeToString())
        + span
        + length_delimited(b"\x1a", b"https://schema")
    )
    resource = length_delimited(b"\x0a", req.resource_spans[0].resource.SerializeToString())
    request = length_delimited(b"\x0a", resource + length_delimited(b"\x12", group))
    _assert_same(request)
    rows = decode_trace_rows(request).items
    assert rows.count == 2 and '"https://schema"' in rows.groups[0].scope_key


@pytest.mark.parametrize(
    "group_tail",
    [
        b"\x02\x00",  # field number 0
        b"\x12\x05\x0a",  # truncated span
        b"\x12",  # truncated length
        b"\x12\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",  # a varint too long
        b"\x13",  # wire type 3 (groups): not supported
    ],
)
def test_a_malformed_scope_group_is_a_decode_error_both_ways(group_tail: bytes) -> None:
    body = _body()
    span = length_delimited(b"\x12", _span_bytes(body))
    request = length_delimited(b"\x0a", length_delimited(b"\x12", span + group_tail))
    with pytest.raises(DecodeError):
        decode_trace_request(request)
    with pytest.raises(DecodeError):
        decode_trace_rows(request)


@pytest.mark.parametrize("where", ["name", "key", "value"])
def test_text_that_is_not_utf8_is_a_decode_error_both_ways(where: str) -> None:
    body = _body(name="NAME", attributes={"KEY": "VALUE"})
    broken = body.replace(where.upper().encode(), b"\xff\xfe" + b"x" * (len(where) - 2))
    with pytest.raises(DecodeError):
        decode_trace_request(broken)
    with pytest.raises(DecodeError):
        decode_trace_rows(broken)


def test_spans_our_own_exporter_writes_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otel.exporter.otlp._proto._encode_trace import encode_spans
    from otel.testing import capture_spans
    from otel.trace import SpanKind, Status, StatusCode, get_tracer

    with capture_spans() as captured:
        tracer = get_tracer("shop")
        with tracer.start_as_current_span("GET /cart", kind=SpanKind.SERVER) as root:
            root.set_attributes({"http.method": "GET", "http.status_code": 500, "ok": False})
            root.set_status(Status(StatusCode.ERROR))
            with tracer.start_as_current_span("SELECT") as child:
                child.set_attribute("db.system", "sqlite")
    body = encode_spans(captured.spans)
    _fast(monkeypatch, body)
    _assert_same(body)


values = st.one_of(
    st.text(max_size=140),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(),
    st.lists(st.integers(0, 3), max_size=2),
)


@st.composite
def spans(draw: Any) -> bytes:
    req = pb_trace.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    put_attributes(rs.resource.attributes, {"service.name": "s"})
    ss = rs.scope_spans.add()
    for _ in range(draw(st.integers(1, 3))):
        span = ss.spans.add(
            trace_id=draw(st.sampled_from([TRACE, b"\x00" * 16])),
            span_id=SPAN_ID,
            parent_span_id=draw(st.sampled_from([b"", PARENT, b"\x00" * 8])),
            name=draw(st.text(max_size=140)),
            kind=draw(st.integers(0, 5)),
            start_time_unix_nano=draw(st.integers(0, 2**64 - 1)),
            end_time_unix_nano=draw(st.integers(0, 2**64 - 1)),
            flags=draw(st.sampled_from([0, 0x100, 0x301])),
        )
        keys = draw(st.lists(st.sampled_from("abcdefghijkl"), max_size=3 * SLOTS))
        for key in keys:  # repeated keys too
            span.attributes.add(key=key, value=any_value(draw(values)))
        if draw(st.booleans()):
            span.status.code = draw(st.integers(0, 2))
            span.status.message = draw(st.sampled_from(["", "boom"]))
    return bytes(req.SerializeToString())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(body=spans())
def test_generated_spans_with_long_text_and_many_attributes_are_stored_the_same(
    body: bytes,
) -> None:
    _assert_same(body)
