"""The Jaeger data model of ``jaeger.thrift`` as plain ``__slots__`` classes.

Field names are the IDL's, verbatim (``traceIdLow``, ``vType``...), so code reading Jaeger
documentation reads these objects. ``i64`` fields hold *signed* 64-bit ints as Thrift sends them;
``Span.trace_id``/``span_id_unsigned`` helpers give the unsigned values.

Plain data: no validation, no I/O, not thread-safe (build one per thread or do not share).
"""

from __future__ import annotations

_U64 = 0xFFFFFFFFFFFFFFFF


class TagType:
    """``enum TagType`` of jaeger.thrift."""

    STRING = 0
    DOUBLE = 1
    BOOL = 2
    LONG = 3
    BINARY = 4


class SpanRefType:
    """``enum SpanRefType`` of jaeger.thrift."""

    CHILD_OF = 0
    FOLLOWS_FROM = 1


class Tag:
    """``struct Tag``: ``key``, ``vType`` and the one ``v*`` field that ``vType`` names."""

    __slots__ = ("key", "vBinary", "vBool", "vDouble", "vLong", "vStr", "vType")

    def __init__(
        self,
        key: str = "",
        vType: int = TagType.STRING,
        vStr: str | None = None,
        vDouble: float | None = None,
        vBool: bool | None = None,
        vLong: int | None = None,
        vBinary: bytes | None = None,
    ) -> None:
        self.key = key
        self.vType = vType
        self.vStr = vStr
        self.vDouble = vDouble
        self.vBool = vBool
        self.vLong = vLong
        self.vBinary = vBinary

    @property
    def value(self) -> str | float | bool | int | bytes | None:
        """The value ``vType`` selects."""
        return (self.vStr, self.vDouble, self.vBool, self.vLong, self.vBinary)[self.vType]

    def __repr__(self) -> str:
        return f"Tag({self.key!r}, {self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tag) and all(
            getattr(self, n) == getattr(other, n) for n in Tag.__slots__
        )

    __hash__ = None  # type: ignore[assignment]


class Log:
    """``struct Log``: ``timestamp`` (µs since the epoch) and ``fields`` (tags)."""

    __slots__ = ("fields", "timestamp")

    def __init__(self, timestamp: int = 0, fields: list[Tag] | None = None) -> None:
        self.timestamp = timestamp
        self.fields: list[Tag] = fields if fields is not None else []

    def __repr__(self) -> str:
        return f"Log({self.timestamp}, {self.fields!r})"


class SpanRef:
    """``struct SpanRef``: a CHILD_OF or FOLLOWS_FROM reference to another span."""

    __slots__ = ("refType", "spanId", "traceIdHigh", "traceIdLow")

    def __init__(
        self,
        refType: int = SpanRefType.CHILD_OF,
        traceIdLow: int = 0,
        traceIdHigh: int = 0,
        spanId: int = 0,
    ) -> None:
        self.refType = refType
        self.traceIdLow = traceIdLow
        self.traceIdHigh = traceIdHigh
        self.spanId = spanId

    def __repr__(self) -> str:
        return f"SpanRef({self.refType}, {self.traceIdHigh}, {self.traceIdLow}, {self.spanId})"


class Span:
    """``struct Span``; times in microseconds; ids signed 64-bit as on the wire."""

    __slots__ = (
        "duration",
        "flags",
        "logs",
        "operationName",
        "parentSpanId",
        "references",
        "spanId",
        "startTime",
        "tags",
        "traceIdHigh",
        "traceIdLow",
    )

    def __init__(
        self,
        traceIdLow: int = 0,
        traceIdHigh: int = 0,
        spanId: int = 0,
        parentSpanId: int = 0,
        operationName: str = "",
        references: list[SpanRef] | None = None,
        flags: int = 0,
        startTime: int = 0,
        duration: int = 0,
        tags: list[Tag] | None = None,
        logs: list[Log] | None = None,
    ) -> None:
        self.traceIdLow = traceIdLow
        self.traceIdHigh = traceIdHigh
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.operationName = operationName
        self.references = references
        self.flags = flags
        self.startTime = startTime
        self.duration = duration
        self.tags = tags
        self.logs = logs

    @property
    def trace_id(self) -> int:
        """The 128-bit trace id, unsigned."""
        return ((self.traceIdHigh & _U64) << 64) | (self.traceIdLow & _U64)

    @property
    def span_id_unsigned(self) -> int:
        return self.spanId & _U64

    @property
    def parent_span_id_unsigned(self) -> int:
        return self.parentSpanId & _U64

    def __repr__(self) -> str:
        return f"Span({self.operationName!r}, trace={self.trace_id:032x}, span={self.spanId})"


class Process:
    """``struct Process``: the service name and the process (resource) tags."""

    __slots__ = ("serviceName", "tags")

    def __init__(self, serviceName: str = "", tags: list[Tag] | None = None) -> None:
        self.serviceName = serviceName
        self.tags = tags

    def __repr__(self) -> str:
        return f"Process({self.serviceName!r}, {self.tags!r})"


class ClientStats:
    """``struct ClientStats``: the client's drop counters."""

    __slots__ = ("failedToEmitSpans", "fullQueueDroppedSpans", "tooLargeDroppedSpans")

    def __init__(
        self,
        fullQueueDroppedSpans: int = 0,
        tooLargeDroppedSpans: int = 0,
        failedToEmitSpans: int = 0,
    ) -> None:
        self.fullQueueDroppedSpans = fullQueueDroppedSpans
        self.tooLargeDroppedSpans = tooLargeDroppedSpans
        self.failedToEmitSpans = failedToEmitSpans


class Batch:
    """``struct Batch``: one process and its spans (``seqNo``/``stats`` optional)."""

    __slots__ = ("process", "seqNo", "spans", "stats")

    def __init__(
        self,
        process: Process | None = None,
        spans: list[Span] | None = None,
        seqNo: int | None = None,
        stats: ClientStats | None = None,
    ) -> None:
        self.process = process if process is not None else Process()
        self.spans: list[Span] = spans if spans is not None else []
        self.seqNo = seqNo
        self.stats = stats

    def __repr__(self) -> str:
        return f"Batch({self.process!r}, {len(self.spans)} spans)"
