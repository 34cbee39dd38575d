"""SpanContext, TraceFlags and TraceState: the propagated part of a span (W3C Trace Context).

All three are immutable and safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter

from otel._log import get_logger, safe_repr

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

_logger = get_logger("otel.trace")

INVALID_TRACE_ID = 0
INVALID_SPAN_ID = 0
_TRACE_ID_MAX = 2**128 - 1
_SPAN_ID_MAX = 2**64 - 1


class TraceFlags(int):
    """The 8-bit trace-flags of W3C Trace Context: bit 0 *sampled*, bit 1 *random* (Level 2)."""

    __slots__ = ()

    DEFAULT = 0x00
    SAMPLED = 0x01
    RANDOM = 0x02
    RANDOM_TRACE_ID = 0x02  # the official 1.x name of RANDOM

    @classmethod
    def get_default(cls) -> TraceFlags:
        return _FLAGS[0]

    @property
    def sampled(self) -> bool:
        return bool(self & TraceFlags.SAMPLED)

    @property
    def random(self) -> bool:
        """True when the trace id's rightmost 7 bytes are random (W3C Level 2)."""
        return bool(self & TraceFlags.RANDOM)

    @property
    def random_trace_id(self) -> bool:
        """Official 1.x name of :attr:`random`."""
        return bool(self & TraceFlags.RANDOM)

    def __repr__(self) -> str:
        return f"TraceFlags(0x{int(self):02x})"


_FLAGS: tuple[TraceFlags, ...] = tuple(TraceFlags(i) for i in range(256))
DEFAULT_TRACE_OPTIONS = _FLAGS[0]


def trace_flags(value: int) -> TraceFlags:
    """The shared TraceFlags instance for ``value`` (only the low 8 bits count)."""
    return _FLAGS[value & 0xFF]


# W3C Trace Context Level 2, "tracestate Header Field Values":
#   key = ( lcalpha / DIGIT ) 0*255( keychar ), keychar = lcalpha / DIGIT / _ - * / @
# (a superset of Level 1's simple-key and tenant@system multi-tenant key).
_KEY_PATTERN = r"[a-z0-9][a-z0-9_\-*/@]{0,255}\Z"
_VALUE_PATTERN = r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]\Z"
_MEMBER_DELIMITER_PATTERN = r"[ \t]*,[ \t]*"
_MAX_MEMBERS = 32

# (key, value, member delimiter), compiled on first use: ``re`` stays off the import path
# of the API until a tracestate is validated or parsed.
_patterns: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = None


def _regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    global _patterns
    patterns = _patterns
    if patterns is None:
        import re

        patterns = _patterns = (
            re.compile(_KEY_PATTERN),
            re.compile(_VALUE_PATTERN),
            re.compile(_MEMBER_DELIMITER_PATTERN),
        )
    return patterns


def _valid_key(key: object) -> bool:
    return isinstance(key, str) and _regexes()[0].match(key) is not None


def _valid_value(value: object) -> bool:
    return isinstance(value, str) and _regexes()[1].match(value) is not None


class TraceState(Mapping[str, str]):
    """Immutable, ordered vendor key/value list (W3C ``tracestate``), at most 32 entries.

    ``add``/``update``/``delete`` return a new TraceState; invalid input is logged and the
    unchanged state returned, never raised.
    """

    __slots__ = ("_entries",)

    _entries: dict[str, str]

    def __init__(self, entries: Sequence[tuple[str, str]] | None = None) -> None:
        self._entries = {}
        if not entries:
            return
        for key, value in entries:
            if not (_valid_key(key) and _valid_value(value)):
                _logger.warning("Invalid tracestate entry %r=%r dropped", key, value)
                continue
            if key in self._entries:
                _logger.warning("Duplicate tracestate key %r dropped", key)
                continue
            if len(self._entries) >= _MAX_MEMBERS:
                _logger.warning("tracestate has more than %d entries; rest dropped", _MAX_MEMBERS)
                break
            self._entries[key] = value

    @classmethod
    def get_default(cls) -> TraceState:
        """An empty TraceState."""
        return cls()

    @classmethod
    def _from_valid(cls, entries: dict[str, str]) -> TraceState:
        state = cls.__new__(cls)
        state._entries = entries
        return state

    def __getitem__(self, key: str) -> str:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TraceState):
            return list(self._entries.items()) == list(other._entries.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._entries.items()))

    def __repr__(self) -> str:
        return f"TraceState({list(self._entries.items())!r})"

    def add(self, key: str, value: str) -> TraceState:
        """A new state with ``key=value`` first; an existing key or invalid pair is refused."""
        if key in self._entries:
            _logger.warning("tracestate key %r already present; use update()", key)
            return self
        if not (_valid_key(key) and _valid_value(value)):
            _logger.warning("Invalid tracestate entry %r=%r not added", key, value)
            return self
        if len(self._entries) >= _MAX_MEMBERS:
            _logger.warning("tracestate is full (%d entries); %r not added", _MAX_MEMBERS, key)
            return self
        entries = {key: value}
        entries.update(self._entries)
        return TraceState._from_valid(entries)

    def update(self, key: str, value: str) -> TraceState:
        """A new state with ``key`` set to ``value`` and moved first; the key must exist."""
        if key not in self._entries:
            _logger.warning("tracestate key %r not present; use add()", key)
            return self
        if not _valid_value(value):
            _logger.warning("Invalid tracestate value %r for %r not set", value, key)
            return self
        entries = {key: value}
        entries.update((k, v) for k, v in self._entries.items() if k != key)
        return TraceState._from_valid(entries)

    def delete(self, key: str) -> TraceState:
        """A new state without ``key``; a missing key is logged and the state returned."""
        if key not in self._entries:
            _logger.warning("tracestate key %r not present; nothing deleted", key)
            return self
        return TraceState._from_valid({k: v for k, v in self._entries.items() if k != key})

    def to_header(self) -> str:
        """The ``tracestate`` header value: ``k1=v1,k2=v2``."""
        return ",".join(f"{k}={v}" for k, v in self._entries.items())

    @classmethod
    def from_header(cls, header_list: Sequence[str]) -> TraceState:
        """Parse one or more ``tracestate`` header values (joined as by HTTP).

        Per W3C, an invalid member or more than 32 members make the whole header unusable:
        the result is then an empty TraceState. Empty members are skipped; of duplicated
        keys the first is kept (the W3C test suite accepts keeping one of them).
        """
        entries: dict[str, str] = {}
        for header in header_list:
            for member in _regexes()[2].split(header.strip(" \t")):
                if not member:
                    continue
                key, sep, value = member.partition("=")
                if not sep or not _valid_key(key) or not _valid_value(value):
                    return DEFAULT_TRACE_STATE
                if key in entries:
                    continue
                entries[key] = value
                if len(entries) > _MAX_MEMBERS:
                    return DEFAULT_TRACE_STATE
        return cls._from_valid(entries) if entries else DEFAULT_TRACE_STATE

    def keys(self):  # type: ignore[no-untyped-def]
        return self._entries.keys()

    def items(self):  # type: ignore[no-untyped-def]
        return self._entries.items()

    def values(self):  # type: ignore[no-untyped-def]
        return self._entries.values()


DEFAULT_TRACE_STATE = TraceState()


class SpanContext(tuple):  # type: ignore[type-arg]
    """The immutable, propagated identity of a span.

    ``is_valid`` is computed once: both ids non-zero and within 128/64 bits. An invalid
    SpanContext is not an error, it just means "no parent".
    """

    __slots__ = ()

    def __new__(
        cls,
        trace_id: int,
        span_id: int,
        is_remote: bool,
        trace_flags: int | None = DEFAULT_TRACE_OPTIONS,
        trace_state: TraceState | None = DEFAULT_TRACE_STATE,
    ) -> SpanContext:
        if type(trace_flags) is not TraceFlags:
            trace_flags = _FLAGS[trace_flags & 0xFF] if isinstance(trace_flags, int) else _FLAGS[0]
        if trace_state is None:
            trace_state = DEFAULT_TRACE_STATE
        is_valid = (
            type(trace_id) is int
            and type(span_id) is int
            and 0 < trace_id <= _TRACE_ID_MAX
            and 0 < span_id <= _SPAN_ID_MAX
        )
        return tuple.__new__(
            cls, (trace_id, span_id, is_remote, trace_flags, trace_state, is_valid)
        )

    def __getnewargs__(self) -> tuple[int, int, bool, TraceFlags, TraceState]:
        return (self[0], self[1], self[2], self[3], self[4])

    trace_id: int = property(itemgetter(0))  # type: ignore[assignment]
    span_id: int = property(itemgetter(1))  # type: ignore[assignment]
    is_remote: bool = property(itemgetter(2))  # type: ignore[assignment]
    trace_flags: TraceFlags = property(itemgetter(3))  # type: ignore[assignment]
    trace_state: TraceState = property(itemgetter(4))  # type: ignore[assignment]
    is_valid: bool = property(itemgetter(5))  # type: ignore[assignment]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("SpanContext is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("SpanContext is immutable")

    def __repr__(self) -> str:
        # never raises: a context built by hand may hold ids that are not ints
        return (
            f"SpanContext(trace_id={_hex_id(self[0], 32)}, "
            f"span_id={_hex_id(self[1], 16)}, trace_flags={_hex_id(self[3], 2)}, "
            f"trace_state={safe_repr(self[4])}, is_remote={safe_repr(self[2])})"
        )


_tuple_new = tuple.__new__


def _new_valid_span_context(
    trace_id: int, span_id: int, flags: TraceFlags, trace_state: TraceState
) -> SpanContext:
    """Fast path for the SDK: ids already known valid, no checks."""
    return _tuple_new(SpanContext, (trace_id, span_id, False, flags, trace_state, True))


INVALID_SPAN_CONTEXT = SpanContext(INVALID_TRACE_ID, INVALID_SPAN_ID, False)


def _hex_id(value: object, digits: int) -> str:
    if isinstance(value, int):
        return f"0x{int(value):0{digits}x}"
    return safe_repr(value)


def format_trace_id(trace_id: int) -> str:
    """The trace id as 32 lowercase hex digits."""
    return format(trace_id, "032x")


def format_span_id(span_id: int) -> str:
    """The span id as 16 lowercase hex digits."""
    return format(span_id, "016x")
