"""Zipkin v2 protobuf encoding of ``ZipkinSpan`` (``application/x-protobuf``, zipkin.proto's
``ListOfSpans``, written with otel's own protobuf primitives). Pure functions; thread-safe.
The JSON encoding (``_json``) writes SDK spans directly.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Sequence

from otel.exporter.otlp._proto._wire import length_delimited, string_field, varint
from otel.exporter.zipkin._translate import Endpoint, ZipkinSpan

# ------------------------------------------------------------------ protobuf (zipkin.proto3)

_KIND_NUMBER = {"CLIENT": 1, "SERVER": 2, "PRODUCER": 3, "CONSUMER": 4}
_pack_fixed64 = struct.Struct("<Q").pack
_pack_id = struct.Struct(">Q").pack


# the whole tags entry of recurring short tags ("http.request.method": "GET"), bounded
_TAG_ENTRIES: dict[tuple[str, str], bytes] = {}
_MEMO_MAX = 4096


def _tag_entry(kv: tuple[str, str]) -> bytes:
    entry = length_delimited(b"\x5a", string_field(b"\x0a", kv[0]) + string_field(b"\x12", kv[1]))
    if len(kv[1]) <= 64 and len(kv[0]) <= 128:
        if len(_TAG_ENTRIES) >= _MEMO_MAX:
            _TAG_ENTRIES.clear()
        _TAG_ENTRIES[kv] = entry
    return entry


def _endpoint_proto(endpoint: Endpoint) -> bytes:
    out = b""
    if endpoint.service_name:
        out += string_field(b"\x0a", endpoint.service_name)
    if endpoint.ipv4:
        out += length_delimited(b"\x12", ipaddress.IPv4Address(endpoint.ipv4).packed)
    if endpoint.ipv6:
        out += length_delimited(b"\x1a", ipaddress.IPv6Address(endpoint.ipv6).packed)
    if endpoint.port:
        out += b"\x20" + varint(endpoint.port)
    return out


def span_proto(span: ZipkinSpan, local: bytes | None = None) -> bytes:
    """One ``zipkin.proto3.Span`` message body."""
    parts = [
        b"\x0a\x10",
        span.trace_id.to_bytes(16, "big"),
    ]
    if span.parent_id is not None:
        parts += (b"\x12\x08", _pack_id(span.parent_id))
    parts += (b"\x1a\x08", _pack_id(span.id))
    if span.kind is not None:
        parts += (b"\x20", varint(_KIND_NUMBER[span.kind]))
    if span.name:
        parts.append(string_field(b"\x2a", span.name))
    parts += (
        b"\x31",
        _pack_fixed64(span.timestamp),
        b"\x38",
        varint(span.duration),
        length_delimited(
            b"\x42", local if local is not None else _endpoint_proto(span.local_endpoint)
        ),
    )
    if span.remote_endpoint is not None:
        parts.append(length_delimited(b"\x4a", _endpoint_proto(span.remote_endpoint)))
    for timestamp, value in span.annotations:
        body = b"\x09" + _pack_fixed64(timestamp) + string_field(b"\x12", value)
        parts.append(length_delimited(b"\x52", body))
    if span.tags:
        memo = _TAG_ENTRIES
        parts += [memo.get(kv) or _tag_entry(kv) for kv in span.tags.items()]
    if span.shared:
        parts.append(b"\x68\x01")
    return b"".join(parts)


def encode_proto(spans: Sequence[ZipkinSpan]) -> bytes:
    """A ``zipkin.proto3.ListOfSpans`` message."""
    locals_: dict[int, bytes] = {}
    out = []
    for span in spans:
        endpoint = span.local_endpoint
        local = locals_.get(id(endpoint))
        if local is None:
            local = locals_[id(endpoint)] = _endpoint_proto(endpoint)
        out.append(length_delimited(b"\x0a", span_proto(span, local)))
    return b"".join(out)
