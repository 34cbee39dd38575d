"""Protocol Buffers wire format, the parts OTLP needs, written for speed.

Encoding side: tags are precomputed ``bytes`` constants in the encoders; this module gives
varints (with a lookup table for the common small values), zigzag, length-delimited framing,
fixed-width little-endian scalars and packed repeated fields.

Decoding side: a small field iterator, enough to read the collector's answers
(``Export*ServiceResponse``, ``google.rpc.Status``, ``google.rpc.RetryInfo``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_LEN = 2
WIRE_FIXED32 = 5

_U64 = 0xFFFFFFFFFFFFFFFF
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def _build_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


_TABLE_SIZE = 1 << 14
#: ``VARINTS[n]`` is the encoding of ``n`` for ``0 <= n < 16384`` (one or two bytes).
VARINTS: tuple[bytes, ...] = tuple(_build_varint(n) for n in range(_TABLE_SIZE))


def varint(value: int) -> bytes:
    """Unsigned varint; a negative ``value`` is taken as its 64-bit two's complement."""
    if 0 <= value < _TABLE_SIZE:
        return VARINTS[value]
    if value < 0:
        value &= _U64
    return _build_varint(value)


def zigzag(value: int) -> int:
    """ZigZag mapping used by ``sint32``/``sint64``."""
    return (value << 1) ^ (value >> 63) if value < 0 else value << 1


def tag(field: int, wire_type: int) -> bytes:
    """The encoded key of ``field`` with ``wire_type``."""
    return varint((field << 3) | wire_type)


def length_delimited(tag_bytes: bytes, payload: bytes | bytearray) -> bytes:
    """``tag + len + payload`` (for a known tag)."""
    n = len(payload)
    return tag_bytes + (VARINTS[n] if n < _TABLE_SIZE else _build_varint(n)) + payload


def string_field(tag_bytes: bytes, text: str) -> bytes:
    """A ``string`` field (UTF-8; lone surrogates are replaced, never raised)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "replace")
    n = len(data)
    return tag_bytes + (VARINTS[n] if n < _TABLE_SIZE else _build_varint(n)) + data


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


utf8 = _utf8

pack_fixed64 = struct.Struct("<Q").pack
pack_sfixed64 = struct.Struct("<q").pack
pack_fixed32 = struct.Struct("<I").pack
pack_double = struct.Struct("<d").pack


def int64_in_range(value: int) -> bool:
    return _INT64_MIN <= value <= _INT64_MAX


def packed_fixed64(tag_bytes: bytes, values: Iterable[int]) -> bytes:
    """Packed ``repeated fixed64``; empty input gives no field at all."""
    seq = list(values)
    if not seq:
        return b""
    return length_delimited(tag_bytes, struct.pack(f"<{len(seq)}Q", *seq))


def packed_double(tag_bytes: bytes, values: Iterable[float]) -> bytes:
    """Packed ``repeated double``; empty input gives no field at all."""
    seq = list(values)
    if not seq:
        return b""
    return length_delimited(tag_bytes, struct.pack(f"<{len(seq)}d", *seq))


def packed_varint(tag_bytes: bytes, values: Iterable[int]) -> bytes:
    """Packed ``repeated uint64``/``int64``; empty input gives no field at all."""
    payload = b"".join([varint(v) for v in values])
    if not payload:
        return b""
    return length_delimited(tag_bytes, payload)


# --------------------------------------------------------------------------- decoding


class DecodeError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    end = len(data)
    while True:
        if pos >= end or shift > 63:
            raise DecodeError("truncated varint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def iter_fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Yield ``(field_number, wire_type, value)``; ``value`` is an int, or bytes for LEN."""
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = read_varint(data, pos)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise DecodeError("field number 0")
        value: int | bytes
        if wire == WIRE_VARINT:
            value, pos = read_varint(data, pos)
        elif wire == WIRE_FIXED64:
            if pos + 8 > end:
                raise DecodeError("truncated fixed64")
            value = int.from_bytes(data[pos : pos + 8], "little")
            pos += 8
        elif wire == WIRE_LEN:
            size, pos = read_varint(data, pos)
            if pos + size > end:
                raise DecodeError("truncated length-delimited field")
            value = bytes(data[pos : pos + size])
            pos += size
        elif wire == WIRE_FIXED32:
            if pos + 4 > end:
                raise DecodeError("truncated fixed32")
            value = int.from_bytes(data[pos : pos + 4], "little")
            pos += 4
        else:
            raise DecodeError(f"unsupported wire type {wire}")
        yield field, wire, value


def as_signed64(value: int) -> int:
    """Reinterpret a decoded varint as ``int64``/``int32``."""
    return value - (1 << 64) if value & (1 << 63) else value
