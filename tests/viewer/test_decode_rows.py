"""The protobuf-to-rows decoder (the receivers' hot path) stores exactly what the model
decoder plus ``prepare_spans`` and the limits store, for plain and unusual spans alike."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from viewer_protos import any_value, pb_trace, put_attributes, trace_request

from otel.exporter.otlp._proto._decode_request import decode_trace_request
from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._receiver._limits import MAX_VALUE_LENGTH, apply_limits
from otel.viewer._receiver._otlp_rows import decode_trace_rows
from otel.viewer._store._rows import PreparedSpans, prepare_spans

pytestmark = pytest.mark.interop


def _stored(prepared: PreparedSpans) -> Any:
    groups = [(g.resource_key, g.service, g.scope_key, g.rows, g.hashes) for g in prepared.groups]
    traces = {t: a.row() for t, a in prepared.traces.items()}
    return groups, traces


def _assert_same(body: bytes) -> None:
    try:
        model = apply_limits(decode_trace_request(body))
    except DecodeError:
        with pytest.raises(DecodeError):
            decode_trace_rows(body)
        return
    rows = decode_trace_rows(body)
    assert isinstance(rows.items, PreparedSpans)
    assert (rows.rejected, rows.error_message) == (model.rejected, model.error_message)
    assert _stored(rows.items) == _stored(prepare_spans(model.items))


def test_the_viewer_test_request_is_stored_the_same() -> None:
    _assert_same(trace_request().SerializeToString())


scalars = st.one_of(
    st.text(max_size=12), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.floats()
)
attribute_lists = st.lists(
    st.tuples(st.sampled_from(["a", "b", "http.route", "\u00e9"]), scalars | st.lists(scalars)),
    max_size=6,
    unique_by=lambda pair: pair[0],
)
# mostly valid: all-zero, empty and wrong-sized ids are rejected spans
ids = st.sampled_from([b"\x01" * 8, b"\x07" * 8, b"\x09" * 8, b"", b"\x00" * 8, b"\x02" * 7])
trace_ids = st.sampled_from([b"\x03" * 16, b"\x08" * 16, b"\x00" * 16, b"\x04" * 15, b""])


@st.composite
def requests(draw: Any) -> bytes:
    req = pb_trace.ExportTraceServiceRequest()
    for _ in range(draw(st.integers(1, 2))):
        rs = req.resource_spans.add()
        put_attributes(rs.resource.attributes, {"service.name": draw(st.sampled_from("xy"))})
        ss = rs.scope_spans.add()
        ss.scope.name = "lib"
        for _ in range(draw(st.integers(0, 3))):
            span = ss.spans.add(
                trace_id=draw(trace_ids),
                span_id=draw(ids),
                parent_span_id=draw(ids),
                name=draw(st.text(max_size=8)),
                kind=draw(st.integers(0, 6)),
                start_time_unix_nano=draw(st.integers(0, 2**64 - 1)),
                end_time_unix_nano=draw(st.integers(0, 2**64 - 1)),
            )
            for key, value in draw(attribute_lists):
                span.attributes.add(key=key, value=any_value(value))
            if draw(st.integers(0, 4)) == 0:  # a repeated key: the last value wins
                span.attributes.add(key="a", value=any_value(draw(scalars)))
            if draw(st.booleans()):
                span.status.code = draw(st.integers(0, 2))
                span.status.message = draw(st.sampled_from(["", "boom"]))
            if draw(st.integers(0, 4)) == 0:
                span.events.add(time_unix_nano=5, name="ev").attributes.add(
                    key="k", value=any_value(1)
                )
            if draw(st.integers(0, 4)) == 0:
                span.links.add(trace_id=b"\x05" * 16, span_id=b"\x06" * 8, trace_state="t")
            if draw(st.integers(0, 4)) == 0:
                span.flags = draw(st.integers(0, 2**32 - 1))
                span.trace_state = draw(st.sampled_from(["", "a=b"]))
                span.dropped_attributes_count = draw(st.integers(0, 3))
    return bytes(req.SerializeToString())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=requests())
def test_generated_requests_are_stored_the_same_both_ways(body: bytes) -> None:
    _assert_same(body)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=requests(), cut=st.integers(0, 400), patch=st.binary(min_size=1, max_size=3))
def test_damaged_requests_fail_or_are_stored_the_same_both_ways(
    body: bytes, cut: int, patch: bytes
) -> None:
    at = cut % (len(body) + 1)
    _assert_same(body[:at] + patch + body[at + len(patch) :])
    _assert_same(body[:at])


def test_a_too_long_value_rejects_its_span_with_the_limits_reason() -> None:
    req = trace_request()
    spans = req.resource_spans[0].scope_spans[0].spans
    spans[0].attributes.add(key="big", value=any_value("x" * (MAX_VALUE_LENGTH + 1)))
    body = req.SerializeToString()
    rows = decode_trace_rows(body)
    assert rows.rejected == 1 and "big" in rows.error_message
    _assert_same(body)


def test_a_too_big_resource_rejects_all_its_spans() -> None:
    req = trace_request()
    put_attributes(req.resource_spans[0].resource.attributes, {"r": "x" * (MAX_VALUE_LENGTH + 1)})
    body = req.SerializeToString()
    assert decode_trace_rows(body).rejected == 2
    _assert_same(body)


def test_plain_spans_take_the_row_path_and_are_stored_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from otel.viewer._receiver import _otlp_rows

    req = pb_trace.ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    put_attributes(rs.resource.attributes, {"service.name": "shop"})
    ss = rs.scope_spans.add()
    values: list[Any] = ["GET", '\u00e9"\\', 200, -5, 2**63 - 1, 0.5, float("nan"), True, [1, "a"]]
    for n, value in enumerate(values):
        span = ss.spans.add(
            trace_id=bytes([n + 1]) * 16,
            span_id=b"\x01" * 8,
            parent_span_id=b"\x02" * 8 if n % 2 else b"",
            name=f"op {n}",
            kind=n % 6,
            start_time_unix_nano=1_000 + n,
            end_time_unix_nano=500 if n == 3 else 9_000,
        )
        put_attributes(span.attributes, {"v": value, "route": "/x", "n": n, "big": "y" * 300})
        span.status.code = n % 3
    body = req.SerializeToString()
    expected = prepare_spans(decode_trace_request(body).items)
    monkeypatch.setattr(_otlp_rows, "decode_span", None)  # the model path is not taken
    rows = decode_trace_rows(body)
    assert isinstance(rows.items, PreparedSpans) and rows.rejected == 0
    assert _stored(rows.items) == _stored(expected)
