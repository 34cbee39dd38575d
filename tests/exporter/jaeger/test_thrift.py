"""The Thrift codec, both ways, checked against the ``thrift`` package and Jaeger's IDL types."""

from __future__ import annotations

from typing import Any

import idl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otel.exporter.jaeger import _thrift
from otel.exporter.jaeger._model import (
    Batch,
    ClientStats,
    Log,
    Process,
    Span,
    SpanRef,
    SpanRefType,
    Tag,
    TagType,
)

TAGS = [
    Tag("s", TagType.STRING, vStr="héllo"),
    Tag("d", TagType.DOUBLE, vDouble=-1.5),
    Tag("t", TagType.BOOL, vBool=True),
    Tag("f", TagType.BOOL, vBool=False),
    Tag("l", TagType.LONG, vLong=-(2**63)),
    Tag("x", TagType.BINARY, vBinary=b"\x00\xff"),
]


def _batch(n: int = 20) -> Batch:
    full = Span(
        traceIdLow=-5,
        traceIdHigh=2**62,
        spanId=-1,
        parentSpanId=77,
        operationName="GET /x",
        references=[SpanRef(SpanRefType.FOLLOWS_FROM, 1, 2, 3)],
        flags=1,
        startTime=1_700_000_000_000_000,
        duration=55,
        tags=TAGS * 3,
        logs=[Log(17, TAGS)],
    )
    bare = Span(operationName="bare", logs=[Log(1, [])])
    spans = [full, bare] * (n // 2)
    return Batch(Process("svc", TAGS[:2]), spans, seqNo=7, stats=ClientStats(1, 2, 3))


def _thrift_tag(t: Any) -> tuple[Any, ...]:
    return (t.key, t.vType, t.vStr, t.vDouble, t.vBool, t.vLong, t.vBinary)


def _ours_tag(t: Tag) -> tuple[Any, ...]:
    return (t.key, t.vType, t.vStr, t.vDouble, t.vBool, t.vLong, t.vBinary)


def _check_against(ours: Batch, theirs: Any) -> None:
    assert theirs.process.serviceName == ours.process.serviceName
    assert [_thrift_tag(t) for t in theirs.process.tags] == [
        _ours_tag(t) for t in ours.process.tags or []
    ]
    assert len(theirs.spans) == len(ours.spans)
    for a, b in zip(ours.spans, theirs.spans, strict=True):
        for name in ("traceIdLow", "traceIdHigh", "spanId", "parentSpanId", "operationName"):
            assert getattr(a, name) == getattr(b, name), name
        for name in ("flags", "startTime", "duration"):
            assert getattr(a, name) == getattr(b, name), name
        assert [(r.refType, r.traceIdLow, r.traceIdHigh, r.spanId) for r in b.references or []] == [
            (r.refType, r.traceIdLow, r.traceIdHigh, r.spanId) for r in a.references or []
        ]
        assert [_thrift_tag(t) for t in b.tags or []] == [_ours_tag(t) for t in a.tags or []]
        assert [(log.timestamp, [_thrift_tag(t) for t in log.fields]) for log in b.logs or []] == [
            (log.timestamp, [_ours_tag(t) for t in log.fields]) for log in a.logs or []
        ]


def test_emit_batch_message_decodes_with_the_thrift_package() -> None:
    from thrift.protocol import TCompactProtocol
    from thrift.transport import TTransport

    _, agent = idl.jaeger_types()
    batch = _batch()
    protocol = TCompactProtocol.TCompactProtocol(
        TTransport.TMemoryBuffer(_thrift.encode_emit_batch(batch, 5))
    )
    assert protocol.readMessageBegin() == ("emitBatch", 4, 5)  # ONEWAY
    args = agent.emitBatch_args()
    args.read(protocol)
    _check_against(batch, args.batch)


def test_binary_batch_decodes_with_the_thrift_package() -> None:
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TTransport

    ttypes, _ = idl.jaeger_types()
    batch = _batch()
    theirs = ttypes.Batch()
    theirs.read(
        TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(_thrift.binary_batch(batch)))
    )
    _check_against(batch, theirs)


def test_decode_emit_batch_reads_what_the_thrift_package_writes() -> None:
    from thrift.protocol import TCompactProtocol
    from thrift.transport import TTransport

    ttypes, agent = idl.jaeger_types()
    batch = _batch()
    theirs = ttypes.Batch()
    theirs.read(
        TCompactProtocol.TCompactProtocol(
            TTransport.TMemoryBuffer(_thrift.encode_emit_batch(batch)[14:-1])
        )
    )
    buffer = TTransport.TMemoryBuffer()
    protocol = TCompactProtocol.TCompactProtocol(buffer)
    protocol.writeMessageBegin("emitBatch", 4, 1)
    agent.emitBatch_args(batch=theirs).write(protocol)
    protocol.writeMessageEnd()
    _check_against(_thrift.decode_emit_batch(buffer.getvalue()), theirs)


def test_decoders_round_trip_our_encoders() -> None:
    batch = _batch()
    for decoded in (
        _thrift.decode_emit_batch(_thrift.encode_emit_batch(batch)),
        _thrift.decode_batch_binary(_thrift.binary_batch(batch)),
    ):
        assert decoded.seqNo == 7
        assert decoded.stats is not None and decoded.stats.tooLargeDroppedSpans == 2
        assert [t.value for t in decoded.spans[0].tags or []] == [t.value for t in TAGS * 3]
        assert decoded.spans[0].trace_id == (2**62 << 64) | (2**64 - 5)
        assert decoded.spans[0].span_id_unsigned == 2**64 - 1
        assert decoded.spans[1].tags is None
        assert [(log.timestamp, log.fields) for log in decoded.spans[1].logs or []] == [(1, [])]


def test_a_message_for_another_method_is_rejected_clearly() -> None:
    message = _thrift.encode_emit_batch(_batch(2)).replace(b"\x09emitBatch", b"\x09emitXatch")
    with pytest.raises(_thrift.ThriftError, match="emitXatch"):
        _thrift.decode_emit_batch(message)


@pytest.mark.parametrize("cut", [1, 2, 5, 14, 40, -2, -1])
def test_a_truncated_datagram_raises_thrift_error(cut: int) -> None:
    message = _thrift.encode_emit_batch(_batch(2))
    with pytest.raises(_thrift.ThriftError):
        _thrift.decode_emit_batch(message[:cut])


def test_a_list_longer_than_the_datagram_is_rejected_without_allocating() -> None:
    message = b"\x82\x81\x00\x09emitBatch\x1c\x1c\x18\x01s\x00\x19\xfc\xff\xff\xff\x0f"
    with pytest.raises(_thrift.ThriftError, match="elements"):
        _thrift.decode_emit_batch(message)


@given(st.binary(max_size=300))
def test_random_bytes_raise_only_thrift_error(data: bytes) -> None:
    try:
        _thrift.decode_emit_batch(b"\x82\x81\x00\x09emitBatch" + data)
        _thrift.decode_batch_binary(data)
    except _thrift.ThriftError:
        pass


@given(st.integers(0, 4000), st.binary(min_size=1, max_size=4))
def test_mutated_datagrams_raise_only_thrift_error(offset: int, patch: bytes) -> None:
    message = bytearray(_thrift.encode_emit_batch(_batch(4)))
    offset %= len(message)
    message[offset : offset + len(patch)] = patch
    try:
        _thrift.decode_emit_batch(bytes(message))
    except _thrift.ThriftError:
        pass
