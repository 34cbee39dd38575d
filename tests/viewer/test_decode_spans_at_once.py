"""The receiver reads a scope's run of usual spans with one ``SPANS.findall`` call and
stores exactly what the model decoder stores; where the run stops (another shape, a length
that disagrees, the schema url) the spans are read one at a time and the run resumes after
them. Bodies from opentelemetry-proto, changed by hand where no encoder writes the shape."""

from __future__ import annotations

from typing import Any

import pytest
from test_decode_fast_path import PARENT, SPAN_ID, TRACE, _body, _span_bytes, general_items
from test_decode_rows import _assert_same, _stored
from viewer_protos import pb_trace, put_attributes

from otel.exporter.otlp._proto._wire import length_delimited
from otel.viewer._receiver import _otlp_rows
from otel.viewer._receiver._otlp_rows import decode_trace_rows
from otel.viewer._receiver._span_pattern import SPANS

pytestmark = pytest.mark.interop


def _group_request(spans: list[bytes], schema_url: bytes = b"") -> bytes:
    """One resource, one scope holding ``spans`` (each a span's bytes, framed here)."""
    body = _body()
    req = pb_trace.ExportTraceServiceRequest.FromString(body)
    scope = req.resource_spans[0].scope_spans[0]
    group = length_delimited(b"\x0a", scope.scope.SerializeToString())
    group += b"".join(length_delimited(b"\x12", span) for span in spans)
    if schema_url:
        group += length_delimited(b"\x1a", schema_url)
    resource = length_delimited(b"\x0a", req.resource_spans[0].resource.SerializeToString())
    return length_delimited(b"\x0a", resource + length_delimited(b"\x12", group))


def _usual(n: int) -> bytes:
    """The bytes of a usual span, told apart by its name and one attribute."""
    return _span_bytes(_body(name=f"op{n}", attributes={"n": n, "http.method": "GET"}))


def _with_event(n: int) -> bytes:
    req = pb_trace.ExportTraceServiceRequest.FromString(_body(name=f"ev{n}"))
    span = req.resource_spans[0].scope_spans[0].spans[0]
    event = span.events.add(time_unix_nano=5, name="exception")
    put_attributes(event.attributes, {"exception.type": "ValueError"})
    return bytes(span.SerializeToString())


class _CountingSpans:
    """``SPANS`` with its ``findall`` calls counted."""

    def __init__(self) -> None:
        self.calls = 0

    def findall(self, data: bytes, pos: int) -> list[tuple[bytes, ...]]:
        self.calls += 1
        return SPANS.findall(data, pos)


def _counted(monkeypatch: pytest.MonkeyPatch) -> tuple[_CountingSpans, list[bytes]]:
    """``SPANS`` counting its ``findall`` calls, and the spans given to ``_general_row``."""
    counting = _CountingSpans()
    monkeypatch.setattr(_otlp_rows, "SPANS", counting)
    return counting, general_items(monkeypatch)


def test_a_run_of_usual_spans_is_read_by_one_findall_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting, general = _counted(monkeypatch)
    body = _group_request([_usual(n) for n in range(20)], b"https://schema")
    rows = decode_trace_rows(body).items
    assert counting.calls == 1
    assert [row[4] for row in rows.groups[0].rows] == [f"op{n}" for n in range(20)]
    assert general == []
    _assert_same(body)


def test_the_run_resumes_after_a_span_read_the_general_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting, general = _counted(monkeypatch)
    spans = [_usual(0), _usual(1), _with_event(2), _usual(3), _with_event(4), _with_event(5)]
    spans.append(_usual(6))
    body = _group_request(spans, b"https://schema")
    rows = decode_trace_rows(body).items
    assert [row[4] for row in rows.groups[0].rows] == [
        "op0",
        "op1",
        "ev2",
        "op3",
        "ev4",
        "ev5",
        "op6",
    ]
    assert general == [spans[2], spans[4], spans[5]]
    assert counting.calls == 4  # from op0, op3, ev5 (read nothing) and op6
    _assert_same(body)


def test_a_span_longer_than_its_usual_fields_is_read_on_its_own() -> None:
    # the unknown field after the status: SPANS reads the usual part, the length disagrees
    extra = _usual(1) + b"\x98\x01\x05"
    _assert_same(_group_request([_usual(0), extra, _usual(2)]))


@pytest.mark.parametrize(
    "length",
    [
        lambda n: bytes([n | 0x80, 0x00]),  # two bytes where one would do
        lambda n: bytes([n | 0x80, 0x80, 0x00]),  # three
        lambda n: bytes([n | 0x80, 0x80, 0x80, 0x00]),  # four
    ],
)
def test_a_span_length_written_in_more_bytes_than_needed_is_read_the_same(length: Any) -> None:
    span = _usual(0)
    assert len(span) < 0x80
    good = length_delimited(b"\x12", _usual(1))
    odd = b"\x12" + length(len(span)) + span
    body = _group_request([])
    req = pb_trace.ExportTraceServiceRequest.FromString(body)
    scope = length_delimited(
        b"\x0a", req.resource_spans[0].scope_spans[0].scope.SerializeToString()
    )
    resource = length_delimited(b"\x0a", req.resource_spans[0].resource.SerializeToString())
    group = scope + good + odd + good
    _assert_same(length_delimited(b"\x0a", resource + length_delimited(b"\x12", group)))
    request = length_delimited(b"\x0a", resource + length_delimited(b"\x12", group))
    assert decode_trace_rows(request).items.count == 3


def test_a_span_of_16_kib_or_more_is_read_without_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attributes = {f"key{n:03}": "v" * 100 for n in range(160)}
    big = _span_bytes(_body(attributes=attributes))
    assert len(big) >= 1 << 14  # a length of three varint bytes
    general = general_items(monkeypatch)
    body = _group_request([_usual(0), big, _usual(1)])
    _assert_same(body)
    assert general == []


def test_ids_and_parent_of_a_run_are_those_of_each_span() -> None:
    spans = [
        _span_bytes(_body(parent_span_id=b"")),
        _span_bytes(_body(parent_span_id=b"\x00" * 8)),
        _span_bytes(_body()),
    ]
    rows = decode_trace_rows(_group_request(spans)).items.groups[0].rows
    assert [(row[0], row[1], row[2]) for row in rows] == [
        (TRACE, SPAN_ID, None),
        (TRACE, SPAN_ID, None),
        (TRACE, SPAN_ID, PARENT),
    ]
    assert _stored(decode_trace_rows(_group_request(spans)).items)[0][0][3] == rows
