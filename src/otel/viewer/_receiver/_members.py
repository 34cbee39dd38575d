"""A span attribute as the receiver stores it, memoised by its protobuf bytes.

A member is ``(key, '"key":value' JSON text, search hash or None)``: a span's stored
attribute JSON is a join of its members' texts, its search hashes their hashes. Attributes
repeat across spans, so each is worked out once per distinct ``KeyValue`` (``members``,
keyed by the message) or attribute field (``fields``, keyed by ``0x4a <len> <KeyValue>``).
A first sight of a scalar value (string, integer or boolean ``AnyValue``, one-byte
lengths, the layout every encoder writes) is read in place (``_scalar``) with the key's
JSON text memoised; anything else goes through the general ``key_value``. Pure; any
thread (bounded dicts, cleared when full).
"""

from __future__ import annotations

from typing import Any

from otel.exporter.otlp._proto._decode_request import _text, key_value
from otel.exporter.otlp._proto._wire import as_signed64, read_varint
from otel.viewer._receiver._limits import MAX_VALUE_LENGTH
from otel.viewer._store._common import dumps
from otel.viewer._store._rows import attribute_hash

#: (key, ``"key":value`` JSON text, search hash or None)
Member = tuple[str, str, "int | None"]
#: KeyValue bytes (up to ``_MEMBER_BYTES_MAX``) -> ``Member``
members: dict[bytes, Member] = {}
#: attribute field bytes (``0x4a <len> <KeyValue>``, under 130 bytes) -> ``Member``
fields: dict[bytes, Member] = {}
_MEMBERS_MAX = 32_768  # ~8 MB at most per dict
_MEMBER_BYTES_MAX = 256
#: key bytes -> (key, its JSON text and ":")
_keys: dict[bytes, tuple[str, str]] = {}
_BOOLS = {b"\x10\x00": False, b"\x10\x01": True, b"": None}


def _scalar(data: bytes) -> tuple[str, str, Any] | None:
    """``(key, '"key":', value)`` of a ``KeyValue`` holding a string, integer or boolean in
    the usual layout with one-byte lengths; None for any other (``key_value`` reads it)."""
    end = len(data)
    if end < 4 or data[0] != 0x0A or data[1] > 0x7F:
        return None
    at = 2 + data[1]  # the value field
    if at + 2 > end or data[at] != 0x12 or data[at + 1] != end - at - 2:
        return None
    key_bytes = data[2:at]
    key = _keys.get(key_bytes)
    if key is None:
        text = _text(key_bytes)
        if len(_keys) >= 4096:
            _keys.clear()
        key = _keys[key_bytes] = (text, dumps(text) + ":")
    value = data[at + 2 :]
    tag = value[:1]
    if tag == b"\x0a":  # string_value
        if len(value) < 2 or value[1] != len(value) - 2:
            return None
        return key[0], key[1], _text(value[2:])
    if tag == b"\x18":  # int_value: one varint to the end
        if len(value) < 2 or value[-1] & 0x80:
            return None
        number, stop = read_varint(value, 1)
        if stop != len(value) or number >> 64:
            return None
        return key[0], key[1], as_signed64(number)
    if value in _BOOLS:  # bool_value written as 0 or 1, or no value (None)
        return key[0], key[1], _BOOLS[value]
    return None


def member(data: bytes) -> Member | None:
    """One attribute as a member, memoised (None: a string value over the limit)."""
    scalar = _scalar(data)
    if scalar is not None:
        key, text, value = scalar
        member = (key, text + dumps(value), attribute_hash(key, value))
    else:
        key, value = key_value(data)
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            return None
        member = (key, dumps(key) + ":" + dumps(value), attribute_hash(key, value))
    if len(data) <= _MEMBER_BYTES_MAX:
        if len(members) >= _MEMBERS_MAX:
            members.clear()
        members[data] = member
    return member


def new_member(field: bytes) -> Member | None:
    """``member`` of an attribute field (``0x4a <len> <KeyValue>``), memoised by its bytes."""
    found = member(field[2:])
    if found is not None:
        if len(fields) >= _MEMBERS_MAX:
            fields.clear()
        fields[field] = found
    return found


def slot_members(slots: tuple[bytes, ...]) -> list[Member] | None:
    """The members of attribute fields (b"": an empty slot) when one is not memoised yet;
    None when a value is over the limit."""
    found = []
    for field in slots:
        if field:
            one = fields.get(field) or new_member(field)
            if one is None:
                return None
            found.append(one)
    return found


def distinct(keys: tuple[str, ...]) -> bool:
    """Whether ``keys`` holds no key twice; remembered when it does not (``distinct_keys``:
    the few key lists instrumentations write account for nearly every span)."""
    if len(set(keys)) != len(keys):
        return False
    if len(distinct_keys) >= 4096:
        distinct_keys.clear()
    distinct_keys.add(keys)
    return True


distinct_keys: set[tuple[str, ...]] = set()
