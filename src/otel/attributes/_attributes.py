"""The one attribute validator shared by spans, events, links, metrics, logs and resources.

Valid values are ``str``, ``bool``, ``int`` (signed 64-bit), ``float`` and homogeneous
sequences of one of those (``None`` elements are kept). Anything else is dropped and
logged once per key; nothing here raises into user code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from otel._log import get_logger
from otel._once import FirstSeen

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import TypeAlias

_logger = get_logger("otel.attributes")

AttributeValue: TypeAlias = (
    str
    | bool
    | int
    | float
    | Sequence[str]
    | Sequence[bool]
    | Sequence[int]
    | Sequence[float]
    | Sequence[str | None]
    | Sequence[bool | None]
    | Sequence[int | None]
    | Sequence[float | None]
)
Attributes: TypeAlias = Mapping[str, AttributeValue] | None

_PRIMITIVES = (str, bool, int, float)
_NO_LIMIT = 2**63  # max_count None: no attribute map is that large
_PLAIN = frozenset((str, bool, float))  # the types valid as they are, whatever the value
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

_warned = FirstSeen(1024)


def _warn_once(key: object, reason: str) -> None:
    try:
        skey = repr(key)
    except Exception:  # a key object with a broken __repr__
        skey = f"<{type(key).__name__} object>"
    if _warned.first(skey):
        _logger.warning("Attribute %s dropped: %s (this is logged once per key)", skey, reason)


def _reset_warnings() -> None:
    """Forget which keys were warned about (used by ``otel.testing.reset_globals``)."""
    _warned.clear()


def _truncate(value: object, max_len: int | None) -> object:
    if max_len is not None and type(value) is str and len(value) > max_len:
        return value[:max_len]
    return value


def clean_attribute_value(
    key: object, value: object, max_len: int | None = None
) -> AttributeValue | None:
    """Return ``value`` made valid (sequences become tuples, strings truncated), or None.

    None means "drop this attribute"; the reason is logged once per key. Never raises,
    even for a value whose iteration, ``__len__`` or ``__str__`` raises.
    """
    try:
        return _clean_value(key, value, max_len)
    except Exception:
        _warn_once(key, "the value could not be read")
        return None


def _clean_value(key: object, value: object, max_len: int | None) -> AttributeValue | None:
    if not isinstance(key, str) or not key:
        _warn_once(key, "the key must be a non-empty str")
        return None
    vtype = type(value)
    if vtype is str:
        return _truncate(value, max_len)  # type: ignore[return-value]
    if vtype is bool or vtype is float:
        return value  # type: ignore[return-value]
    if vtype is int:
        if _INT64_MIN <= value <= _INT64_MAX:  # type: ignore[operator]
            return value  # type: ignore[return-value]
        _warn_once(key, "int out of the signed 64-bit range")
        return None
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Sequence):
        if isinstance(value, _PRIMITIVES):  # subclasses of the primitives (IntEnum, str enums)
            return _clean_primitive_subclass(key, value, max_len)
        _warn_once(key, f"invalid type {vtype.__name__}")
        return None
    return _clean_sequence(key, value, max_len)


def _clean_primitive_subclass(key: object, value: object, max_len: int | None) -> AttributeValue:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return _truncate(str(value), max_len)  # type: ignore[return-value]


def _clean_sequence(
    key: object, value: Sequence[object], max_len: int | None
) -> AttributeValue | None:
    element_type: type | None = None
    out: list[object] = []
    for element in value:
        if element is None:
            out.append(None)
            continue
        etype = type(element)
        if etype not in _PRIMITIVES:
            _warn_once(key, f"sequence element of invalid type {etype.__name__}")
            return None
        if element_type is None:
            element_type = etype
        elif etype is not element_type:
            _warn_once(key, "sequence elements must all have the same type")
            return None
        if etype is int and not _INT64_MIN <= element <= _INT64_MAX:  # type: ignore[operator]
            _warn_once(key, "int out of the signed 64-bit range")
            return None
        out.append(_truncate(element, max_len))
    return tuple(out)  # type: ignore[return-value]


def clean_attributes(
    attributes: Mapping[str, object] | None,
    max_count: int | None = None,
    max_value_len: int | None = None,
) -> tuple[dict[str, AttributeValue], int]:
    """Validate a whole mapping: return ``(valid attributes, dropped count)``.

    Invalid entries are dropped (logged once per key) and are not counted as dropped by
    the limit; entries past ``max_count`` are dropped and counted, first ones kept. Never
    raises: a mapping whose ``__bool__``, ``__len__`` or ``items()`` raises is dropped
    whole (what was read before the error is kept).
    """
    result: dict[str, AttributeValue] = {}
    try:
        if not attributes:
            return result, 0
        items = attributes.items()
    except AttributeError:
        _warn_once(f"<{type(attributes).__name__}>", "attributes must be a mapping")
        return result, 0
    except Exception:
        _warn_once(f"<{type(attributes).__name__}>", "the attributes could not be read")
        return result, 0
    try:
        dropped = _clean_items(items, result, max_count, max_value_len)
    except Exception:
        _warn_once(f"<{type(attributes).__name__}>", "the attributes could not be read")
        return result, 0
    return result, dropped


def _clean_items(
    items: Iterable[tuple[object, object]],
    result: dict[str, AttributeValue],
    max_count: int | None,
    max_value_len: int | None,
) -> int:
    dropped = 0
    limit = _NO_LIMIT if max_count is None else max_count
    for key, value in items:
        # the common case in one test, as Span.set_attribute has it: a non-empty str key,
        # a str / bool / float value or an int within 64 bits; a str cut here, no call
        vtype = type(value)
        if (
            type(key) is str
            and key
            and (vtype in _PLAIN or (vtype is int and _INT64_MIN <= value <= _INT64_MAX))  # type: ignore[operator]
        ):
            if max_value_len is not None and vtype is str and len(value) > max_value_len:  # type: ignore[arg-type]
                value = value[:max_value_len]  # type: ignore[index]
            cleaned: AttributeValue = value  # type: ignore[assignment]
        else:
            maybe = clean_attribute_value(key, value, max_value_len)
            if maybe is None:
                continue
            cleaned = maybe
        if len(result) >= limit and key not in result:
            dropped += 1
            continue
        result[key] = cleaned  # type: ignore[index]
    return dropped


class CheckedAttributes(Mapping[str, AttributeValue]):
    """A read-only mapping of attributes validated once, when it is built (what
    ``clean_attributes`` keeps, without a count or length limit). For attributes that an
    instrumentation passes to many spans: a span started with one copies it without
    checking each value again (its limits still apply). Immutable, so thread-safe.

    ``cache_key`` is an object unique to this mapping, hashed and compared by identity:
    the SDK's metric streams find the series of a measurement recorded with it by that
    key, without building and hashing a key from the items each time.
    """

    __slots__ = ("_items", "cache_key")

    def __init__(self, attributes: Mapping[str, object] | None = None) -> None:
        self._items = clean_attributes(attributes)[0]
        self.cache_key = object()

    def __getitem__(self, key: str) -> AttributeValue:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"CheckedAttributes({self._items!r})"

    def copy(self) -> dict[str, AttributeValue]:
        """A new dict of the attributes."""
        return self._items.copy()
