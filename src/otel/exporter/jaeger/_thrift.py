"""Thrift encoding of the Jaeger model, both ways, standard library only.

Encode: *compact* protocol (the agent's UDP port 6831 takes ``Agent.emitBatch`` oneway
messages) and *binary* protocol (the collector's ``POST /api/traces`` takes one ``Batch``
struct, ``Content-Type: application/x-thrift``). The compact encoder works per span
(``compact_span`` -> bytes) so that the exporter can size and split batches into datagrams
without re-encoding (``emit_batch_message`` assembles the pieces).

Decode: ``decode_emit_batch(data) -> Batch`` reads one ``emitBatch`` datagram as an agent
would; ``decode_batch_compact`` / ``decode_batch_binary`` read a bare ``Batch`` struct (the
collector's HTTP body is the binary one). The result is the ``_model`` classes, whose field
names are jaeger.thrift's::

    Batch(process: Process, spans: list[Span], seqNo: int | None, stats: ClientStats | None)
    Process(serviceName: str, tags: list[Tag] | None)
    Span(traceIdLow, traceIdHigh, spanId, parentSpanId: int (signed 64-bit),
         operationName: str, references: list[SpanRef] | None, flags: int,
         startTime: int (µs since epoch), duration: int (µs),
         tags: list[Tag] | None, logs: list[Log] | None)
    Tag(key: str, vType: TagType, vStr | vDouble | vBool | vLong | vBinary)  (``.value``)
    Log(timestamp: int (µs), fields: list[Tag])
    SpanRef(refType: SpanRefType (CHILD_OF=0, FOLLOWS_FROM=1), traceIdLow, traceIdHigh, spanId)

Decoding is for untrusted input: any malformed, truncated or hostile datagram raises
``ThriftError`` (a ``ValueError``) and nothing else; unknown fields are skipped, nesting and
list sizes are bounded by the input's length. Strings with invalid UTF-8 are decoded with
replacement characters. All functions are pure (no I/O, no shared state): thread-safe.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence

from otel.exporter.jaeger._model import (
    Batch,
    ClientStats,
    Log,
    Process,
    Span,
    SpanRef,
    Tag,
    TagType,
)
from otel.exporter.jaeger._thrift_read import (
    ThriftError,
    decode_batch_binary,
    decode_batch_compact,
    decode_emit_batch,
)
from otel.exporter.otlp._proto._wire import VARINTS, varint

__all__ = [
    "ThriftError",
    "binary_batch",
    "compact_process",
    "compact_span",
    "compact_tags",
    "decode_batch_binary",
    "decode_batch_compact",
    "decode_emit_batch",
    "emit_batch_message",
    "encode_emit_batch",
]


# ------------------------------------------------------------------ compact: encoding

_pack_double_le = struct.Struct("<d").pack
_STOP = b"\x00"
_MAX_I64 = (1 << 63) - 1


_CHUNKS: list[bytes] = []  # 14 bits as two varint bytes with continuation bits, built lazily


def _big_varint(z: int) -> bytes:
    chunks = _CHUNKS
    if not chunks:
        chunks.extend(bytes(((n & 0x7F) | 0x80, (n >> 7) | 0x80)) for n in range(1 << 14))
    parts = []
    while z >= 16384:
        parts.append(chunks[z & 0x3FFF])
        z >>= 14
    parts.append(VARINTS[z])
    return b"".join(parts)


def _zz(n: int) -> bytes:
    """A signed 64-bit int as the compact protocol's zigzag varint."""
    if n > _MAX_I64 or n < -_MAX_I64 - 1:
        n = ((n + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)  # wrap like an int64
    z = (n << 1) ^ (n >> 63)
    return VARINTS[z] if z < 16384 else _big_varint(z)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")
    except AttributeError:
        return _utf8(str(text))


def _cbin(data: bytes) -> bytes:
    return varint(len(data)) + data


def _clist_header(size: int, ctype: int) -> bytes:
    if size < 15:
        return bytes(((size << 4) | ctype,))
    return bytes((0xF0 | ctype,)) + varint(size)


_CT_STRUCT = 12


def _compact_tag(tag: Tag) -> bytes:
    key = _cbin(_utf8(tag.key))
    vtype = tag.vType
    if vtype == TagType.STRING:
        return b"\x18" + key + b"\x15\x00\x18" + _cbin(_utf8(tag.vStr or "")) + _STOP
    if vtype == TagType.LONG:
        return b"\x18" + key + b"\x15\x06\x46" + _zz(tag.vLong or 0) + _STOP
    if vtype == TagType.BOOL:
        return b"\x18" + key + (b"\x15\x04\x31\x00" if tag.vBool else b"\x15\x04\x32\x00")
    if vtype == TagType.DOUBLE:
        return b"\x18" + key + b"\x15\x02\x27" + _pack_double_le(tag.vDouble or 0.0) + _STOP
    return b"\x18" + key + b"\x15\x08\x58" + _cbin(bytes(tag.vBinary or b"")) + _STOP


# encoded tags of recurring (key, type, value) triples ("http.request.method"="GET"), bounded
_TAGS: dict[tuple[str, int, object], bytes] = {}
_TAGS_MAX = 4096


def compact_tag(tag: Tag) -> bytes:
    """One ``Tag`` struct (compact); short string and scalar tags are memoised."""
    vtype = tag.vType
    value: object = (
        (tag.vStr, tag.vDouble, tag.vBool, tag.vLong, None)[vtype] if vtype < 4 else None
    )
    if value is None or (isinstance(value, str) and len(value) > 64):
        return _compact_tag(tag)
    memo_key = (tag.key, vtype, value)
    data = _TAGS.get(memo_key)
    if data is None:
        data = _compact_tag(tag)
        if len(_TAGS) >= _TAGS_MAX:
            _TAGS.clear()
        _TAGS[memo_key] = data
    return data


def compact_tags(tags: Sequence[Tag]) -> bytes:
    """A ``list<Tag>`` body: list header and the tags."""
    return _clist_header(len(tags), _CT_STRUCT) + b"".join([compact_tag(t) for t in tags])


def _compact_log(log: Log) -> bytes:
    return b"\x16" + _zz(log.timestamp) + b"\x19" + compact_tags(log.fields) + _STOP


def _compact_ref(ref: SpanRef) -> bytes:
    return (
        b"\x15"
        + _zz(ref.refType)
        + b"\x16"
        + _zz(ref.traceIdLow)
        + b"\x16"
        + _zz(ref.traceIdHigh)
        + b"\x16"
        + _zz(ref.spanId)
        + _STOP
    )


def compact_span(span: Span) -> bytes:
    """One ``Span`` struct (compact), self-contained: spans concatenate into a list."""
    parts = [
        b"\x16",
        _zz(span.traceIdLow),
        b"\x16",
        _zz(span.traceIdHigh),
        b"\x16",
        _zz(span.spanId),
        b"\x16",
        _zz(span.parentSpanId),
        b"\x18",
        _cbin(_utf8(span.operationName)),
    ]
    refs = span.references
    if refs is not None:
        parts.append(b"\x19")
        parts.append(_clist_header(len(refs), _CT_STRUCT))
        parts.extend([_compact_ref(r) for r in refs])
        parts.append(b"\x15")  # flags: field 7, delta 1
    else:
        parts.append(b"\x25")  # flags: field 7, delta 2
    parts += (_zz(span.flags), b"\x16", _zz(span.startTime), b"\x16", _zz(span.duration))
    tags = span.tags
    if tags is not None:
        parts.append(b"\x19")
        parts.append(compact_tags(tags))
        if span.logs is not None:
            parts.append(b"\x19")
    elif span.logs is not None:
        parts.append(b"\x29")
    if span.logs is not None:
        parts.append(_clist_header(len(span.logs), _CT_STRUCT))
        parts.extend([_compact_log(log) for log in span.logs])
    parts.append(_STOP)
    return b"".join(parts)


def compact_process(process: Process) -> bytes:
    """One ``Process`` struct (compact)."""
    head = b"\x18" + _cbin(_utf8(process.serviceName))
    if process.tags is None:
        return head + _STOP
    return head + b"\x19" + compact_tags(process.tags) + _STOP


def _compact_stats(stats: ClientStats) -> bytes:
    return (
        b"\x16"
        + _zz(stats.fullQueueDroppedSpans)
        + b"\x16"
        + _zz(stats.tooLargeDroppedSpans)
        + b"\x16"
        + _zz(stats.failedToEmitSpans)
        + _STOP
    )


#: Bytes of an ``emitBatch`` message around the spans, beyond process and span bytes:
#: message header (<= 5 + 10 + 5), list header (<= 6), seqNo (<= 11), stats (<= 35), stops.
EMIT_BATCH_OVERHEAD = 80


def emit_batch_message(
    process: bytes,
    spans: Sequence[bytes],
    seq_id: int = 0,
    seq_no: int | None = None,
    stats: ClientStats | None = None,
) -> bytes:
    """An ``Agent.emitBatch`` oneway message (compact) from already encoded pieces.

    Its length is at most ``len(process) + sum(map(len, spans)) + EMIT_BATCH_OVERHEAD``.
    """
    parts = [
        b"\x82\x81",  # protocol id; version 1 | ONEWAY << 5
        varint(seq_id & 0x7FFFFFFF),
        b"\x09emitBatch",
        b"\x1c",  # args field 1: struct Batch
        b"\x1c",  # Batch field 1: struct Process
        process,
        b"\x19",
        _clist_header(len(spans), _CT_STRUCT),
        *spans,
    ]
    delta = 1
    if seq_no is not None:
        parts += (b"\x16", _zz(seq_no))
    else:
        delta = 2
    if stats is not None:
        parts += (bytes(((delta << 4) | _CT_STRUCT,)), _compact_stats(stats))
    parts.append(b"\x00\x00")  # end of Batch, end of args
    return b"".join(parts)


def encode_emit_batch(batch: Batch, seq_id: int = 0) -> bytes:
    """``batch`` as one ``emitBatch`` message (compact), however large."""
    return emit_batch_message(
        compact_process(batch.process),
        [compact_span(s) for s in batch.spans],
        seq_id,
        batch.seqNo,
        batch.stats,
    )


# ------------------------------------------------------------------ binary: encoding

_T_BOOL, _T_DOUBLE, _T_I32, _T_I64, _T_STRING, _T_STRUCT, _T_LIST = 2, 4, 8, 10, 11, 12, 15
_pack_field = struct.Struct(">bh").pack
_pack_i32 = struct.Struct(">i").pack
_pack_i64 = struct.Struct(">q").pack
_pack_double_be = struct.Struct(">d").pack


def _b_i64(n: int) -> bytes:
    if n > _MAX_I64 or n < -_MAX_I64 - 1:
        n = ((n + (1 << 63)) & 0xFFFFFFFFFFFFFFFF) - (1 << 63)
    return _pack_i64(n)


def _b_field(ttype: int, fid: int, value: bytes) -> bytes:
    return _pack_field(ttype, fid) + value


def _b_bin(data: bytes) -> bytes:
    return _pack_i32(len(data)) + data


def _b_list(items: Iterable[bytes], count: int) -> bytes:
    return bytes((_T_STRUCT,)) + _pack_i32(count) + b"".join(items)


def _b_tag(tag: Tag) -> bytes:
    out = _b_field(_T_STRING, 1, _b_bin(_utf8(tag.key))) + _b_field(_T_I32, 2, _pack_i32(tag.vType))
    v = tag.vType
    if v == TagType.STRING:
        out += _b_field(_T_STRING, 3, _b_bin(_utf8(tag.vStr or "")))
    elif v == TagType.DOUBLE:
        out += _b_field(_T_DOUBLE, 4, _pack_double_be(tag.vDouble or 0.0))
    elif v == TagType.BOOL:
        out += _b_field(_T_BOOL, 5, b"\x01" if tag.vBool else b"\x00")
    elif v == TagType.LONG:
        out += _b_field(_T_I64, 6, _b_i64(tag.vLong or 0))
    else:
        out += _b_field(_T_STRING, 7, _b_bin(bytes(tag.vBinary or b"")))
    return out + _STOP


def _b_tags(fid: int, tags: Sequence[Tag] | None) -> bytes:
    if tags is None:
        return b""
    return _b_field(_T_LIST, fid, _b_list([_b_tag(t) for t in tags], len(tags)))


def _b_span(span: Span) -> bytes:
    out = [
        _b_field(_T_I64, 1, _b_i64(span.traceIdLow)),
        _b_field(_T_I64, 2, _b_i64(span.traceIdHigh)),
        _b_field(_T_I64, 3, _b_i64(span.spanId)),
        _b_field(_T_I64, 4, _b_i64(span.parentSpanId)),
        _b_field(_T_STRING, 5, _b_bin(_utf8(span.operationName))),
    ]
    if span.references is not None:
        refs = [
            _b_field(_T_I32, 1, _pack_i32(r.refType))
            + _b_field(_T_I64, 2, _b_i64(r.traceIdLow))
            + _b_field(_T_I64, 3, _b_i64(r.traceIdHigh))
            + _b_field(_T_I64, 4, _b_i64(r.spanId))
            + _STOP
            for r in span.references
        ]
        out.append(_b_field(_T_LIST, 6, _b_list(refs, len(refs))))
    out += (
        _b_field(_T_I32, 7, _pack_i32(span.flags)),
        _b_field(_T_I64, 8, _b_i64(span.startTime)),
        _b_field(_T_I64, 9, _b_i64(span.duration)),
        _b_tags(10, span.tags),
    )
    if span.logs is not None:
        logs = [
            _b_field(_T_I64, 1, _b_i64(log.timestamp)) + _b_tags(2, log.fields) + _STOP
            for log in span.logs
        ]
        out.append(_b_field(_T_LIST, 11, _b_list(logs, len(logs))))
    out.append(_STOP)
    return b"".join(out)


def binary_batch(batch: Batch) -> bytes:
    """One ``Batch`` struct in the binary protocol (the collector's HTTP body)."""
    process = (
        _b_field(_T_STRING, 1, _b_bin(_utf8(batch.process.serviceName)))
        + _b_tags(2, batch.process.tags)
        + _STOP
    )
    out = [
        _b_field(_T_STRUCT, 1, process),
        _b_field(_T_LIST, 2, _b_list([_b_span(s) for s in batch.spans], len(batch.spans))),
    ]
    if batch.seqNo is not None:
        out.append(_b_field(_T_I64, 3, _b_i64(batch.seqNo)))
    if batch.stats is not None:
        s = batch.stats
        out.append(
            _b_field(
                _T_STRUCT,
                4,
                _b_field(_T_I64, 1, _b_i64(s.fullQueueDroppedSpans))
                + _b_field(_T_I64, 2, _b_i64(s.tooLargeDroppedSpans))
                + _b_field(_T_I64, 3, _b_i64(s.failedToEmitSpans))
                + _STOP,
            )
        )
    out.append(_STOP)
    return b"".join(out)
