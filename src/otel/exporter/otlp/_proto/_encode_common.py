"""Encoders for common.proto and resource.proto: AnyValue, KeyValue, Resource, Scope.

Every function returns finished wire bytes. ``KeyValue`` encodings of string (and int/bool)
attributes are memoised: the same ``http.method=GET`` is encoded once per process, not once
per span. The memo is bounded (cleared when full), lock-free (dict operations are atomic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from otel.exporter.otlp._proto._wire import (
    VARINTS,
    int64_in_range,
    pack_double,
    varint,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_TABLE = len(VARINTS)
_U64 = 0xFFFFFFFFFFFFFFFF
_MAX_CACHE = 8192
# Only values up to this many characters are memoized: repeated values are short (methods,
# routes, status codes), and long unique ones (stack traces, SQL) must not be pinned.
MAX_MEMO_LEN = 256

_key_cache: dict[str, bytes] = {}


def _len(n: int) -> bytes:
    return VARINTS[n] if n < _TABLE else varint(n)


def _str_bytes(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def encode_string(tag: bytes, text: str) -> bytes:
    data = _str_bytes(text)
    return tag + _len(len(data)) + data


def any_value(value: object) -> bytes:
    """The body of an ``AnyValue`` message holding ``value``."""
    # Exact-type tests (a bool is not an int here); written inline where the branch needs
    # ``value`` narrowed for the type checker.
    if type(value) is str:
        data = _str_bytes(value)
        return b"\x0a" + _len(len(data)) + data
    t = type(value)
    if t is bool:
        return b"\x10\x01" if value else b"\x10\x00"
    if t is float:
        return b"\x21" + pack_double(value)
    if type(value) is int:
        if int64_in_range(value):
            return b"\x18" + varint(value)
        data = str(value).encode()
        return b"\x0a" + _len(len(data)) + data
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return b"\x3a" + _len(len(data)) + data
    if isinstance(value, str):
        return any_value(str(value))
    if isinstance(value, bool):
        return any_value(bool(value))
    if isinstance(value, int):
        return any_value(int(value))
    if isinstance(value, float):
        return any_value(float(value))
    if isinstance(value, Mapping):
        body = b"".join([b"\x0a" + key_value(str(k), v) for k, v in value.items()])
        return b"\x32" + _len(len(body)) + body
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = []
        for item in value:
            inner = any_value(item)
            parts.append(b"\x0a" + _len(len(inner)) + inner)
        body = b"".join(parts)
        return b"\x2a" + _len(len(body)) + body
    return any_value(str(value))


def _key(key: str) -> bytes:
    kb = _key_cache.get(key)
    if kb is None:
        data = _str_bytes(key)
        kb = b"\x0a" + _len(len(data)) + data
        if len(_key_cache) >= _MAX_CACHE:
            _key_cache.clear()
        _key_cache[key] = kb
    return kb


def key_value(key: str, value: object) -> bytes:
    """``len + KeyValue`` (ready to follow a field tag)."""
    av = any_value(value)
    body = _key(key) + b"\x12" + _len(len(av)) + av
    return _len(len(body)) + body


# Per field tag: ({(key, str value): tag+len+KeyValue}, {(key, int value): ...}). Separate
# dicts because (k, 1) == (k, True) == (k, 1.0) as dict keys; bools and floats aren't cached.
# Typed by what a lookup may pass: any attribute value (only str/int ones are stored).
KeyValueMemo = dict[tuple[str, object], bytes]
_tagged: dict[bytes, tuple[KeyValueMemo, KeyValueMemo]] = {}


def attribute_caches(tag: bytes) -> tuple[KeyValueMemo, KeyValueMemo]:
    """The memo of encoded ``tag + KeyValue`` entries for one attributes field."""
    caches = _tagged.get(tag)
    if caches is None:
        caches = _tagged[tag] = ({}, {})
    return caches


def encode_keyvalue_cached(
    tag: bytes,
    key: str,
    value: object,
    str_cache: KeyValueMemo,
    int_cache: KeyValueMemo,
) -> bytes:
    """``tag + len + KeyValue``, remembered when the value is a str or a plain int."""
    out = tag + key_value(key, value)
    if type(value) is str:
        if len(value) > MAX_MEMO_LEN:
            return out
        if len(str_cache) >= _MAX_CACHE:
            str_cache.clear()
        str_cache[(key, value)] = out
    elif type(value) is int:
        if len(int_cache) >= _MAX_CACHE:
            int_cache.clear()
        int_cache[(key, value)] = out
    return out


def encode_attributes(tag: bytes, attributes: Mapping[str, object] | None) -> bytes:
    """``repeated KeyValue`` under ``tag`` (empty bytes when there are none)."""
    if not attributes:
        return b""
    str_cache, int_cache = attribute_caches(tag)
    parts: list[bytes] = []
    append = parts.append
    for k, v in attributes.items():
        t = type(v)
        if t is str:
            cached = str_cache.get((k, v))
        elif t is int:
            cached = int_cache.get((k, v))
        else:
            cached = None
        if cached is None:
            cached = encode_keyvalue_cached(tag, k, v, str_cache, int_cache)
        append(cached)
    return b"".join(parts)


def encode_resource(resource: Any) -> bytes:
    """The body of a ``Resource`` message."""
    if resource is None:
        return b""
    body = encode_attributes(b"\x0a", getattr(resource, "attributes", None))
    dropped = getattr(resource, "dropped_attributes", 0) or 0
    if dropped:
        body += b"\x10" + varint(dropped)
    return body


def encode_scope(scope: Any) -> bytes:
    """The body of an ``InstrumentationScope`` message."""
    if scope is None:
        return b""
    parts = []
    name = getattr(scope, "name", None)
    if name:
        parts.append(encode_string(b"\x0a", name))
    version = getattr(scope, "version", None)
    if version:
        parts.append(encode_string(b"\x12", version))
    parts.append(encode_attributes(b"\x1a", getattr(scope, "attributes", None)))
    dropped = getattr(scope, "dropped_attributes", 0) or 0
    if dropped:
        parts.append(b"\x20" + varint(dropped))
    return b"".join(parts)


def schema_url_of(obj: Any) -> str:
    url = getattr(obj, "schema_url", None) if obj is not None else None
    return url or ""


def field(tag: bytes, body: bytes | bytearray) -> bytes:
    """``tag + len + body``."""
    return tag + _len(len(body)) + body


def group_by_resource_scope(
    triples: Iterable[tuple[Any, Any, Any]],
) -> list[tuple[Any, list[tuple[Any, list[Any]]]]]:
    """``(resource, scope, item)`` triples as ``[(resource, [(scope, [item, ...]), ...]), ...]``.

    The request nesting of every OTLP signal; first-seen order, resources and scopes compared
    by identity (the SDK hands the same objects to every item of a provider and a tracer).
    """
    groups: dict[int, tuple[Any, dict[int, tuple[Any, list[Any]]]]] = {}
    for resource, scope, item in triples:
        group = groups.get(id(resource))
        if group is None:
            group = groups[id(resource)] = (resource, {})
        found = group[1].get(id(scope))
        if found is None:
            found = group[1][id(scope)] = (scope, [])
        found[1].append(item)
    return [(res, list(scopes.values())) for res, scopes in groups.values()]
