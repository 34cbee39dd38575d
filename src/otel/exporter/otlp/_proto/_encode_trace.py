"""ExportTraceServiceRequest encoder (opentelemetry/proto/trace/v1/trace.proto).

Built for throughput: field keys are constants, ids and timestamps are packed with one
``struct`` call each, attribute pairs come from the memo in ``_encode_common``, resource and
scope are encoded once per batch (resources once per process while they live).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from otel.exporter.otlp._proto._encode_common import (
    MAX_MEMO_LEN,
    attribute_caches,
    encode_attributes,
    encode_keyvalue_cached,
    encode_resource,
    encode_scope,
    schema_url_of,
)
from otel.exporter.otlp._proto._wire import VARINTS, string_field, varint

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_TABLE = len(VARINTS)
_M64 = 0xFFFFFFFFFFFFFFFF

# Span: trace_id=1 (0x0a, len 16), span_id=2 (0x12, len 8)
_pack_ids = struct.Struct(">HQQHQ").pack
# parent_span_id=4 (0x22, len 8)
_pack_parent = struct.Struct(">HQ").pack
# start_time_unix_nano=7 (0x39 fixed64), end_time_unix_nano=8 (0x41 fixed64)
_pack_times = struct.Struct("<BQBQ").pack
# Event.time_unix_nano=1 (0x09 fixed64)
_pack_tag_fixed64 = struct.Struct("<BQ").pack
# Span.flags=16 (fixed32, key 0x85 0x01)
_pack_flags = struct.Struct("<2sI").pack
# Link.flags=6 (fixed32, key 0x35)
_pack_link_flags = struct.Struct("<BI").pack

_HAS_IS_REMOTE = 0x100
_IS_REMOTE = 0x200

_SENTINEL = object()
_kind_cache: dict[int, bytes] = {}
_resource_cache: dict[int, tuple[Any, bytes]] = {}
_MAX_RESOURCES = 64


def _len(n: int) -> bytes:
    return VARINTS[n] if n < _TABLE else varint(n)


def _kind(kind: Any) -> bytes:
    # keyed by id(): enum members live forever, and hashing an Enum runs Python code
    cached = _kind_cache.get(id(kind))
    if cached is None:
        value = getattr(kind, "value", kind)
        # SpanKind.INTERNAL=0 in the API, SPAN_KIND_INTERNAL=1 on the wire
        cached = b"\x30" + varint(int(value) + 1)
        _kind_cache[id(kind)] = cached
    return cached


def resource_bytes(resource: Any) -> bytes:
    """``Resource`` body, memoised per live resource object."""
    key = id(resource)
    hit = _resource_cache.get(key)
    if hit is not None and hit[0] is resource:
        return hit[1]
    body = encode_resource(resource)
    if len(_resource_cache) >= _MAX_RESOURCES:
        _resource_cache.clear()
    _resource_cache[key] = (resource, body)
    return body


def _trace_state(tag: bytes, trace_state: Any) -> bytes:
    if not trace_state:
        return b""
    header = trace_state.to_header() if hasattr(trace_state, "to_header") else str(trace_state)
    return string_field(tag, header) if header else b""


_SPAN_STR_CACHE, _SPAN_INT_CACHE = attribute_caches(b"\x4a")
_EVENT_STR_CACHE, _EVENT_INT_CACHE = attribute_caches(b"\x1a")
_name_cache: dict[str, bytes] = {}
_event_name_cache: dict[str, bytes] = {}
_MAX_NAMES = 4096


def _cached_str(cache: dict[str, bytes], tag: bytes, text: str) -> bytes:
    out = cache.get(text)
    if out is None:
        out = string_field(tag, text)
        if len(text) > MAX_MEMO_LEN:
            return out
        if len(cache) >= _MAX_NAMES:
            cache.clear()
        cache[text] = out
    return out


_ts_cache: dict[int, tuple[Any, bytes]] = {}


def _remember_trace_state(ts: Any) -> bytes:
    # TraceState objects are immutable and shared by the spans of a trace
    encoded = _trace_state(b"\x1a", ts)
    if len(_ts_cache) >= _MAX_NAMES:
        _ts_cache.clear()
    _ts_cache[id(ts)] = (ts, encoded)
    return encoded


_status_cache: dict[int, int] = {}


def _status_code(code: Any) -> int:
    value = _status_cache.get(id(code))
    if value is None:
        value = _status_cache[id(code)] = int(getattr(code, "value", code))
    return value


def encode_span(span: Any) -> bytes:
    """The body of one ``Span`` message."""
    ctx = span.context
    tid = ctx.trace_id
    parts = [_pack_ids(0x0A10, tid >> 64, tid & _M64, 0x1208, ctx.span_id)]
    append = parts.append
    ts = ctx.trace_state
    if ts is not None:
        hit = _ts_cache.get(id(ts))
        if hit is not None and hit[0] is ts:
            if hit[1]:
                append(hit[1])
        else:
            append(_remember_trace_state(ts))
    parent = span.parent
    flags = (int(ctx.trace_flags) & 0xFF) | _HAS_IS_REMOTE
    if parent is not None:
        append(_pack_parent(0x2208, parent.span_id))
        if parent.is_remote:
            flags |= _IS_REMOTE
    name = span.name
    encoded = _name_cache.get(name)
    append(encoded if encoded is not None else _cached_str(_name_cache, b"\x2a", name))
    kind = span.kind
    encoded = _kind_cache.get(id(kind))
    append(encoded if encoded is not None else _kind(kind))
    append(_pack_times(0x39, span.start_time or 0, 0x41, span.end_time or 0))
    attributes = span.attributes
    if attributes:
        str_cache = _SPAN_STR_CACHE
        int_cache = _SPAN_INT_CACHE
        for k, v in attributes.items():
            t = type(v)
            if t is str:
                kv = str_cache.get((k, v))
            elif t is int:
                kv = int_cache.get((k, v))
            else:
                kv = None
            append(
                kv
                if kv is not None
                else encode_keyvalue_cached(b"\x4a", k, v, str_cache, int_cache)
            )
    dropped = span.dropped_attributes
    if dropped:
        append(b"\x50" + varint(dropped))
    events = span.events
    if events:
        ev_str_cache = _EVENT_STR_CACHE
        ev_int_cache = _EVENT_INT_CACHE
        for event in events:
            name = event.name
            encoded = _event_name_cache.get(name)
            ev = [
                _pack_tag_fixed64(0x09, event.timestamp or 0),
                encoded if encoded is not None else _cached_str(_event_name_cache, b"\x12", name),
            ]
            ev_attributes = event.attributes
            if ev_attributes:
                for k, v in ev_attributes.items():
                    t = type(v)
                    if t is str:
                        kv = ev_str_cache.get((k, v))
                    elif t is int:
                        kv = ev_int_cache.get((k, v))
                    else:
                        kv = None
                    ev.append(
                        kv
                        if kv is not None
                        else encode_keyvalue_cached(b"\x1a", k, v, ev_str_cache, ev_int_cache)
                    )
            dropped = event.dropped_attributes
            if dropped:
                ev.append(b"\x20" + varint(dropped))
            n = sum(map(len, ev))
            append(_EVENT_PREFIX[n] if n < _TABLE else b"\x5a" + varint(n))
            parts.extend(ev)
    dropped = span.dropped_events
    if dropped:
        append(b"\x60" + varint(dropped))
    for link in span.links:
        lctx = link.context
        ltid = lctx.trace_id
        body = _pack_ids(0x0A10, ltid >> 64, ltid & _M64, 0x1208, lctx.span_id)
        if lctx.trace_state:
            body += _trace_state(b"\x1a", lctx.trace_state)
        if link.attributes:
            body += encode_attributes(b"\x22", link.attributes)
        dropped = link.dropped_attributes
        if dropped:
            body += b"\x28" + varint(dropped)
        lflags = (int(lctx.trace_flags) & 0xFF) | _HAS_IS_REMOTE
        if lctx.is_remote:
            lflags |= _IS_REMOTE
        body += _pack_link_flags(0x35, lflags)
        append(b"\x6a" + _len(len(body)) + body)
    dropped = span.dropped_links
    if dropped:
        append(b"\x70" + varint(dropped))
    status = span.status
    if status is not None:
        code = _status_code(status.status_code)
        description = status.description
        if code or description:
            body = string_field(b"\x12", description) if description else b""
            if code:
                body += b"\x18" + VARINTS[code]
            append(b"\x7a" + _len(len(body)) + body)
    append(_pack_flags(b"\x85\x01", flags))
    return b"".join(parts)


def encode_spans(spans: Sequence[Any]) -> bytes:
    """A serialized ``ExportTraceServiceRequest`` holding ``spans``."""
    # id(resource) -> (resource, {id(scope): (scope, [prefix, span body, prefix, ...])})
    groups: dict[int, tuple[Any, dict[int, tuple[Any, list[bytes]]]]] = {}
    last_resource: Any = _SENTINEL
    last_scope: Any = _SENTINEL
    append: Any = None
    for span in spans:
        resource = span.resource
        scope = span.instrumentation_scope
        if resource is not last_resource or scope is not last_scope:
            group = groups.get(id(resource))
            if group is None:
                group = groups[id(resource)] = (resource, {})
            by_scope = group[1]
            found = by_scope.get(id(scope))
            if found is None:
                found = by_scope[id(scope)] = (scope, [])
            append = found[1].append
            last_resource = resource
            last_scope = scope
        body = encode_span(span)
        n = len(body)
        append(_SPAN_PREFIX[n] if n < _TABLE else b"\x12" + varint(n))
        append(body)
    # Every length is known from its parts, so the whole request is joined once.
    out: list[bytes] = []
    for resource, by_scope in groups.values():
        res_body = resource_bytes(resource)
        rs: list[bytes] = [b"\x0a" + _len(len(res_body)) + res_body]
        for scope, encoded in by_scope.values():
            scope_body = encode_scope(scope)
            head = b"\x0a" + _len(len(scope_body)) + scope_body
            url = schema_url_of(scope)
            tail = string_field(b"\x1a", url) if url else b""
            size = len(head) + sum(map(len, encoded)) + len(tail)
            rs.append(b"\x12" + _len(size))
            rs.append(head)
            rs.extend(encoded)
            rs.append(tail)
        url = schema_url_of(resource)
        if url:
            rs.append(string_field(b"\x1a", url))
        out.append(b"\x0a" + _len(sum(map(len, rs))))
        out.extend(rs)
    return b"".join(out)


_SPAN_PREFIX = tuple(b"\x12" + v for v in VARINTS)
_EVENT_PREFIX = tuple(b"\x5a" + v for v in VARINTS)
