"""A span attribute's first sight (``_receiver._members``): a string, integer or boolean
``KeyValue`` in the usual layout is read in place and gives the member the general
``key_value`` reading gives; every other shape is left to ``key_value``. ``KeyValue``
bytes come from opentelemetry-proto, or by hand where no encoder writes the shape."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from viewer_protos import any_value, common

from otel.exporter.otlp._proto._decode_request import key_value
from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._receiver import _members
from otel.viewer._receiver._members import _scalar, member
from otel.viewer._store._common import dumps
from otel.viewer._store._rows import attribute_hash

pytestmark = pytest.mark.interop


def _kv(key: str, value: Any) -> bytes:
    message = common.KeyValue(key=key)
    if value is None:
        message.value.SetInParent()  # an empty AnyValue
    else:
        message.value.CopyFrom(any_value(value))
    return bytes(message.SerializeToString())


def _general_member(data: bytes) -> tuple[str, str, int | None]:
    key, value = key_value(data)
    return key, dumps(key) + ":" + dumps(value), attribute_hash(key, value)


def _fresh_member(data: bytes) -> Any:
    _members.members.pop(data, None)
    return member(data)


@pytest.mark.parametrize(
    "value",
    ["GET", "", 'é中"\\\n', 0, 1, -1, 2**63 - 1, -(2**63), 200, True, False, None],
)
def test_a_scalar_value_is_read_in_place_as_the_general_reading_reads_it(value: Any) -> None:
    data = _kv("http.method", value)
    assert _scalar(data) is not None
    assert _fresh_member(data) == _general_member(data)


@given(
    key=st.text(max_size=40),
    value=st.one_of(st.text(max_size=100), st.integers(-(2**63), 2**63 - 1), st.booleans()),
)
def test_generated_scalars_give_the_member_of_the_general_reading(key: str, value: Any) -> None:
    data = _kv(key, value)
    assert _fresh_member(data) == _general_member(data)


@pytest.mark.parametrize(
    "data",
    [
        _kv("ratio", 0.5),  # double
        _kv("raw", b"\x00\xff"),  # bytes
        _kv("list", [1, "a"]),
        _kv("map", {"k": 1}),
        _kv("k" * 130, 1),  # a key of two length bytes
        _kv("long", "v" * 130),  # a value of two length bytes
        _kv("n", 5) + b"\x18\x07",  # an unknown field after the value
        b"\x12\x02\x18\x05\x0a\x01n",  # value before key
        b"\x0a\x01n\x12\x03\x18\x05\x18",  # a second int field inside the value
        b"\x0a\x01n\x12\x02\x10\x02",  # a boolean written as 2
        b"\x0a\x01n\x12\x02\x18\x85",  # a truncated varint
        b"\x0a\x01n\x12\x01\x0a",  # a string value without its length
        b"\x0a\x01n",  # no value field
    ],
)
def test_other_shapes_are_left_to_the_general_reading(data: bytes) -> None:
    assert _scalar(data) is None
    try:
        expected = _general_member(data)
    except DecodeError:
        with pytest.raises(DecodeError):
            _fresh_member(data)
        return
    assert _fresh_member(data) == expected


@pytest.mark.parametrize("where", ["key", "value"])
def test_text_that_is_not_utf8_is_a_decode_error(where: str) -> None:
    data = _kv("KEY", "VALUE").replace(
        where.upper().encode(), b"\xff\xfe" + b"x" * (len(where) - 2)
    )
    with pytest.raises(DecodeError):
        _fresh_member(data)
