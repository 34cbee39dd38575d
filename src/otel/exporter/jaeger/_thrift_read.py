"""Decoding Thrift compact and binary bytes into the Jaeger model (see ``_thrift``).

One set of struct readers works over either protocol through a small reader with generic
Thrift type ids. Every failure is a ``ThriftError``; unknown fields are skipped; a list may
not claim more elements than there are bytes left; nesting is bounded.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from operator import methodcaller
from typing import Any, TypeVar

from otel.exporter.jaeger._model import Batch, ClientStats, Log, Process, Span, SpanRef, Tag

__all__ = ["ThriftError", "decode_batch_binary", "decode_batch_compact", "decode_emit_batch"]


class ThriftError(ValueError):
    """The bytes are not a well-formed Thrift encoding of what was expected."""


# generic (binary protocol) type ids
STOP, BOOL, BYTE, DOUBLE, I16, I32, I64, STRING, STRUCT, MAP, SET, LIST = (
    0,
    2,
    3,
    4,
    6,
    8,
    10,
    11,
    12,
    13,
    14,
    15,
)
_MAX_DEPTH = 32
# compact type id -> generic type id
_FROM_COMPACT = {1: BOOL, 2: BOOL, 3: BYTE, 4: I16, 5: I32, 6: I64, 7: DOUBLE, 8: STRING}
_FROM_COMPACT.update({9: LIST, 10: SET, 11: MAP, 12: STRUCT})

_unpack_d_le = struct.Struct("<d").unpack_from
_unpack_d_be = struct.Struct(">d").unpack_from
_unpack_i16 = struct.Struct(">h").unpack_from
_unpack_i32 = struct.Struct(">i").unpack_from
_unpack_i64 = struct.Struct(">q").unpack_from


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        pos = self.pos
        end = pos + n
        if n < 0 or end > len(self.data):
            raise ThriftError(f"truncated: need {n} bytes at offset {pos}")
        self.pos = end
        return self.data[pos:end]

    def byte(self) -> int:
        pos = self.pos
        if pos >= len(self.data):
            raise ThriftError(f"truncated at offset {pos}")
        self.pos = pos + 1
        return self.data[pos]

    def left(self) -> int:
        return len(self.data) - self.pos

    def string(self) -> str:
        return self.binary().decode("utf-8", "replace")

    def check_count(self, count: int) -> int:
        if count < 0 or count > self.left():
            raise ThriftError(f"collection of {count} elements with {self.left()} bytes left")
        return count

    # protocol-specific
    def field(self, last: int) -> tuple[int, int]:
        raise NotImplementedError

    def binary(self) -> bytes:
        raise NotImplementedError

    def boolean(self) -> bool:
        raise NotImplementedError

    def i32(self) -> int:
        raise NotImplementedError

    def i64(self) -> int:
        raise NotImplementedError

    def double(self) -> float:
        raise NotImplementedError

    def list_begin(self) -> tuple[int, int]:
        raise NotImplementedError

    def map_begin(self) -> tuple[int, int, int]:
        raise NotImplementedError

    def skip(self, ttype: int, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise ThriftError("nesting too deep")
        if ttype == BOOL:
            self.boolean()
        elif ttype == BYTE:
            self.byte()
        elif ttype in (I16, I32, I64):
            self.i64()
        elif ttype == DOUBLE:
            self.double()
        elif ttype == STRING:
            self.binary()
        elif ttype == STRUCT:
            last = 0
            while True:
                last, t = self.field(last)
                if t == STOP:
                    return
                self.skip(t, depth + 1)
        elif ttype in (LIST, SET):
            elem, count = self.list_begin()
            for _ in range(count):
                self.skip(elem, depth + 1)
        elif ttype == MAP:
            kt, vt, count = self.map_begin()
            for _ in range(count):
                self.skip(kt, depth + 1)
                self.skip(vt, depth + 1)
        else:
            raise ThriftError(f"unknown Thrift type {ttype}")


class _Compact(_Reader):
    __slots__ = ("_bool",)

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self._bool: bool | None = None

    def uvarint(self) -> int:
        data = self.data
        pos = self.pos
        result = shift = 0
        while True:
            if pos >= len(data):
                raise ThriftError("truncated varint")
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            if b < 0x80:
                self.pos = pos
                return result
            shift += 7
            if shift > 63:
                raise ThriftError("varint too long")

    def i64(self) -> int:
        n = self.uvarint()
        return (n >> 1) ^ -(n & 1)

    i32 = i64

    def binary(self) -> bytes:
        return self.take(self.uvarint())

    def double(self) -> float:
        pos = self.pos
        self.take(8)
        return float(_unpack_d_le(self.data, pos)[0])

    def boolean(self) -> bool:
        pending = self._bool
        if pending is not None:
            self._bool = None
            return pending
        return self.byte() == 1

    def _type(self, ctype: int) -> int:
        try:
            return _FROM_COMPACT[ctype]
        except KeyError:
            raise ThriftError(f"unknown compact type {ctype}") from None

    def field(self, last: int) -> tuple[int, int]:
        b = self.byte()
        if b == 0:
            return last, STOP
        ctype = b & 0x0F
        delta = b >> 4
        if delta:
            fid = last + delta
        else:
            n = self.uvarint()
            fid = (n >> 1) ^ -(n & 1)
        if ctype in (1, 2):
            self._bool = ctype == 1
        return fid, self._type(ctype)

    def list_begin(self) -> tuple[int, int]:
        b = self.byte()
        size = b >> 4
        if size == 15:
            size = self.uvarint()
        return self._type(b & 0x0F), self.check_count(size)

    def map_begin(self) -> tuple[int, int, int]:
        size = self.uvarint()
        if size == 0:
            return STOP, STOP, 0
        kv = self.byte()
        return self._type(kv >> 4), self._type(kv & 0x0F), self.check_count(size)


class _Binary(_Reader):
    __slots__ = ()

    def _unpack(self, unpack: Any, n: int) -> Any:
        pos = self.pos
        self.take(n)
        return unpack(self.data, pos)[0]

    def field(self, last: int) -> tuple[int, int]:
        t = self.byte()
        if t == STOP:
            return last, STOP
        return int(self._unpack(_unpack_i16, 2)), t

    def binary(self) -> bytes:
        return self.take(int(self._unpack(_unpack_i32, 4)))

    def boolean(self) -> bool:
        return self.byte() != 0

    def i32(self) -> int:
        return int(self._unpack(_unpack_i32, 4))

    def i64(self) -> int:
        return int(self._unpack(_unpack_i64, 8))

    def double(self) -> float:
        return float(self._unpack(_unpack_d_be, 8))

    def skip(self, ttype: int, depth: int = 0) -> None:
        if ttype == I16:
            self.take(2)
        elif ttype == I32:
            self.take(4)
        else:
            super().skip(ttype, depth)

    def list_begin(self) -> tuple[int, int]:
        elem = self.byte()
        return elem, self.check_count(self.i32())

    def map_begin(self) -> tuple[int, int, int]:
        kt = self.byte()
        vt = self.byte()
        return kt, vt, self.check_count(self.i32())


# ------------------------------------------------------------------ struct readers


def _list(r: _Reader, read: Any) -> list[Any]:
    elem, count = r.list_begin()
    if elem != STRUCT:
        for _ in range(count):
            r.skip(elem, 1)
        return []
    return [read(r) for _ in range(count)]


# A struct is read through a table: field id -> (wire type, how to read the value, attribute).
_Fields = dict[int, tuple[int, Callable[[Any], Any], str]]
S = TypeVar("S")


def _struct(r: _Reader, obj: S, fields: _Fields) -> S:
    last = 0
    while True:
        last, t = r.field(last)
        if t == STOP:
            return obj
        spec = fields.get(last)
        if spec is not None and spec[0] == t:
            setattr(obj, spec[2], spec[1](r))
        else:
            r.skip(t)


def _tag_type(r: _Reader) -> int:
    v_type = r.i32()
    if not 0 <= v_type <= 4:
        raise ThriftError(f"unknown TagType {v_type}")
    return v_type


_str = methodcaller("string")
_i32 = methodcaller("i32")
_i64 = methodcaller("i64")


def _list_of(read: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    return lambda r: _list(r, read)


_TAG: _Fields = {
    1: (STRING, _str, "key"),
    2: (I32, _tag_type, "vType"),
    3: (STRING, _str, "vStr"),
    4: (DOUBLE, methodcaller("double"), "vDouble"),
    5: (BOOL, methodcaller("boolean"), "vBool"),
    6: (I64, _i64, "vLong"),
    7: (STRING, methodcaller("binary"), "vBinary"),
}


def _read_tag(r: _Reader) -> Tag:
    return _struct(r, Tag(), _TAG)


_LOG: _Fields = {1: (I64, _i64, "timestamp"), 2: (LIST, _list_of(_read_tag), "fields")}


def _read_log(r: _Reader) -> Log:
    return _struct(r, Log(), _LOG)


_REF: _Fields = {
    1: (I32, _i32, "refType"),
    2: (I64, _i64, "traceIdLow"),
    3: (I64, _i64, "traceIdHigh"),
    4: (I64, _i64, "spanId"),
}


def _read_ref(r: _Reader) -> SpanRef:
    return _struct(r, SpanRef(), _REF)


_SPAN: _Fields = {
    1: (I64, _i64, "traceIdLow"),
    2: (I64, _i64, "traceIdHigh"),
    3: (I64, _i64, "spanId"),
    4: (I64, _i64, "parentSpanId"),
    5: (STRING, _str, "operationName"),
    6: (LIST, _list_of(_read_ref), "references"),
    7: (I32, _i32, "flags"),
    8: (I64, _i64, "startTime"),
    9: (I64, _i64, "duration"),
    10: (LIST, _list_of(_read_tag), "tags"),
    11: (LIST, _list_of(_read_log), "logs"),
}


def _read_span(r: _Reader) -> Span:
    return _struct(r, Span(), _SPAN)


_PROCESS: _Fields = {1: (STRING, _str, "serviceName"), 2: (LIST, _list_of(_read_tag), "tags")}


def _read_process(r: _Reader) -> Process:
    return _struct(r, Process(), _PROCESS)


_STATS: _Fields = {
    1: (I64, _i64, "fullQueueDroppedSpans"),
    2: (I64, _i64, "tooLargeDroppedSpans"),
    3: (I64, _i64, "failedToEmitSpans"),
}


def _read_stats(r: _Reader) -> ClientStats:
    return _struct(r, ClientStats(), _STATS)


_BATCH: _Fields = {
    1: (STRUCT, _read_process, "process"),
    2: (LIST, _list_of(_read_span), "spans"),
    3: (I64, _i64, "seqNo"),
    4: (STRUCT, _read_stats, "stats"),
}


def _read_batch(r: _Reader) -> Batch:
    return _struct(r, Batch(), _BATCH)


class _EmitBatchArgs:
    __slots__ = ("batch",)

    def __init__(self) -> None:
        self.batch: Batch | None = None


_EMIT_BATCH_ARGS: _Fields = {1: (STRUCT, _read_batch, "batch")}


R = TypeVar("R", bound=_Reader)


def _guarded(read: Callable[[R], Batch], reader: R) -> Batch:
    try:
        return read(reader)
    except ThriftError:
        raise
    except (IndexError, struct.error, RecursionError, MemoryError, OverflowError) as exc:
        raise ThriftError(f"malformed Thrift data: {type(exc).__name__}") from None


def _as_bytes(data: bytes | bytearray | memoryview) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ThriftError(f"expected bytes, got {type(data).__name__}")
    return bytes(data)


def decode_batch_compact(data: bytes | bytearray | memoryview) -> Batch:
    """A bare ``Batch`` struct in the compact protocol."""
    return _guarded(_read_batch, _Compact(_as_bytes(data)))


def decode_batch_binary(data: bytes | bytearray | memoryview) -> Batch:
    """A bare ``Batch`` struct in the binary protocol (a collector's ``/api/traces`` body)."""
    return _guarded(_read_batch, _Binary(_as_bytes(data)))


def _read_emit_batch(r: _Compact) -> Batch:
    if r.byte() != 0x82:
        raise ThriftError("not a Thrift compact message (protocol id is not 0x82)")
    version_type = r.byte()
    if version_type & 0x1F != 1:
        raise ThriftError(f"unsupported compact protocol version {version_type & 0x1F}")
    if version_type >> 5 not in (1, 4):  # CALL or ONEWAY
        raise ThriftError(f"unexpected message type {version_type >> 5}")
    r.uvarint()  # sequence id
    name = r.binary()
    if name != b"emitBatch":
        raise ThriftError(f"unsupported method {name[:64]!r} (expected emitBatch)")
    batch = _struct(r, _EmitBatchArgs(), _EMIT_BATCH_ARGS).batch
    if batch is None:
        raise ThriftError("emitBatch message without a batch")
    return batch


def decode_emit_batch(data: bytes | bytearray | memoryview) -> Batch:
    """One ``Agent.emitBatch`` message (compact protocol, as sent to UDP port 6831).

    Returns the ``Batch`` (see the ``_thrift`` module docstring for its shape); raises
    ``ThriftError`` (a ``ValueError``) for anything else, never another exception.
    """
    return _guarded(_read_emit_batch, _Compact(_as_bytes(data)))
