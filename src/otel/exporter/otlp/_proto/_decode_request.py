"""Decoders for the three OTLP export requests (what a receiver reads).

``decode_trace_request``, ``decode_metrics_request`` and ``decode_logs_request`` turn the
protobuf bytes of ``Export{Trace,Metrics,Logs}ServiceRequest`` into the records of
``_model``. Unknown fields are skipped (forward compatible); malformed bytes raise
``DecodeError`` with a reason. Packed and unpacked repeated scalars are both accepted, as the
protobuf rules require. Pure functions, safe from any thread.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, NamedTuple, TypeVar

from otel.exporter.otlp._proto._model import (
    EXPONENTIAL_HISTOGRAM,
    GAUGE,
    HISTOGRAM,
    SUM,
    SUMMARY,
    Attributes,
    Event,
    Link,
    LogRecord,
    Metric,
    MetricPoint,
    Resource,
    Scope,
    Span,
)
from otel.exporter.otlp._proto._wire import (
    WIRE_FIXED32,
    WIRE_FIXED64,
    WIRE_LEN,
    WIRE_VARINT,
    DecodeError,
    as_signed64,
    iter_fields,
    read_varint,
)

_unpack_double = struct.Struct("<d").unpack


class InvalidItem(DecodeError):
    """One span/record/metric is unusable (bad ids, no name): it is rejected, the rest kept."""


class Decoded(NamedTuple):
    """What a request held: the usable items, how many were rejected and why (the first
    reason), as OTLP's partial success reports them."""

    items: list[Any]
    rejected: int
    error_message: str


def collect(makers: Iterable[Callable[[], Any]]) -> Decoded:
    """Run each item decoder, keeping items and counting ``InvalidItem`` rejections."""
    items = []
    rejected = 0
    message = ""
    for make in makers:
        try:
            items.append(make())
        except InvalidItem as exc:
            rejected += 1
            message = message or str(exc)
    return Decoded(items, rejected, message)


def _double(bits: int) -> float:
    return float(_unpack_double(bits.to_bytes(8, "little"))[0])


def _sfixed64(bits: int) -> int:
    return bits - (1 << 64) if bits & (1 << 63) else bits


def _text(value: int | bytes) -> str:
    if not isinstance(value, bytes):
        raise DecodeError("string field with a non length-delimited wire type")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError("string field is not valid UTF-8") from None


def _int(value: int | bytes) -> int:
    if isinstance(value, bytes):
        raise DecodeError("integer field with a length-delimited wire type")
    return value


def _bytes(value: int | bytes) -> bytes:
    if not isinstance(value, bytes):
        raise DecodeError("message field with a non length-delimited wire type")
    return value


def _id(value: int | bytes, size: int, what: str) -> bytes:
    data = _bytes(value)
    if data and len(data) != size:
        raise InvalidItem(f"{what} must be {size} bytes, got {len(data)}")
    if data == bytes(size):
        return b""  # all-zero ids mean "absent"
    return data


# ------------------------------------------------------------------ AnyValue / attributes


def any_value(data: bytes) -> Any:
    """An ``AnyValue`` message as a JSON native (bytes become base64 text, empty is None)."""
    result: Any = None
    for number, wire, value in iter_fields(data):
        if number == 1:
            result = _text(value)
        elif number == 2:
            result = bool(_int(value))
        elif number == 3:
            result = as_signed64(_int(value))
        elif number == 4:
            if wire != WIRE_FIXED64:
                raise DecodeError("double_value with a wrong wire type")
            result = _double(_int(value))
        elif number == 5:
            result = [any_value(_bytes(v)) for n, _, v in iter_fields(_bytes(value)) if n == 1]
        elif number == 6:
            result = _attributes_into({}, _bytes(value), 1)
        elif number == 7:
            result = base64.b64encode(_bytes(value)).decode("ascii")
    return result


_kv_cache: dict[bytes, tuple[str, Any]] = {}
_KV_CACHE_MAX = 8192
_KV_CACHE_VALUE_MAX = 256


def key_value(data: bytes) -> tuple[str, Any]:
    """A ``KeyValue`` message as ``(key, native value)``; scalar pairs are memoised."""
    hit = _kv_cache.get(data)
    if hit is not None:
        return hit
    key = ""
    value: Any = None
    for number, _, field in iter_fields(data):
        if number == 1:
            key = _text(field)
        elif number == 2:
            value = any_value(_bytes(field))
    pair = (key, value)
    if len(data) <= _KV_CACHE_VALUE_MAX and not isinstance(value, (list, dict)):
        if len(_kv_cache) >= _KV_CACHE_MAX:
            _kv_cache.clear()
        _kv_cache[data] = pair
    return pair


def _attributes_into(out: Attributes, data: bytes, field: int) -> Attributes:
    for number, _, value in iter_fields(data):
        if number == field:
            k, v = key_value(_bytes(value))
            out[k] = v
    return out


# A message is read through a table: field number -> how that field sets the record.
_Setter = Callable[[Any, "int | bytes"], None]
_T = TypeVar("_T")


def _fill(obj: _T, data: bytes, fields: dict[int, _Setter]) -> _T:
    for number, _, value in iter_fields(data):
        setter = fields.get(number)
        if setter is not None:
            setter(obj, value)
    return obj


def _set(attr: str, convert: Callable[[int | bytes], Any]) -> _Setter:
    def setter(obj: Any, value: int | bytes) -> None:
        setattr(obj, attr, convert(value))

    return setter


def _add_attribute(obj: Any, value: int | bytes) -> None:
    k, v = key_value(_bytes(value))
    obj.attributes[k] = v


def _set_id(attr: str, size: int, what: str) -> _Setter:
    return _set(attr, lambda value: _id(value, size, what))


_RESOURCE = {1: _add_attribute, 2: _set("dropped_attributes_count", _int)}
_SCOPE = {
    1: _set("name", _text),
    2: _set("version", _text),
    3: _add_attribute,
    4: _set("dropped_attributes_count", _int),
}


def decode_resource(data: bytes, schema_url: str = "") -> Resource:
    return _fill(Resource({}, 0, schema_url), data, _RESOURCE)


def decode_scope(data: bytes, schema_url: str = "") -> Scope:
    return _fill(Scope(schema_url=schema_url), data, _SCOPE)


def resource_groups(data: bytes) -> Iterator[tuple[Resource, list[bytes]]]:
    """Each resource group of an ``Export*Request`` (field 1): its Resource (field 1, with
    the schema url of field 3) and the bytes of its scope groups (field 2)."""
    for number, _, group in iter_fields(data):
        if number != 1:
            continue
        resource_bytes = b""
        schema_url = ""
        scope_groups: list[bytes] = []
        for inner, _, value in iter_fields(_bytes(group)):
            if inner == 1:
                resource_bytes = _bytes(value)
            elif inner == 2:
                scope_groups.append(_bytes(value))
            elif inner == 3:
                schema_url = _text(value)
        yield decode_resource(resource_bytes, schema_url), scope_groups


def _groups(data: bytes, items_field: int) -> list[tuple[Resource, Scope, list[bytes]]]:
    """Walk ``Export*Request -> Resource* -> Scope*`` and collect each scope's item bytes.

    The layout is the same for the three signals: request field 1 is the resource group,
    whose field 1 is the Resource, 2 the scope groups and 3 the schema url; a scope group has
    the scope in field 1, its items in ``items_field`` and its schema url in field 3.
    """
    out: list[tuple[Resource, Scope, list[bytes]]] = []
    for resource, scope_groups in resource_groups(data):
        for scope_group in scope_groups:
            scope_bytes = b""
            scope_schema = ""
            items: list[bytes] = []
            for inner, _, value in iter_fields(scope_group):
                if inner == 1:
                    scope_bytes = _bytes(value)
                elif inner == items_field:
                    items.append(_bytes(value))
                elif inner == 3:
                    scope_schema = _text(value)
            out.append((resource, decode_scope(scope_bytes, scope_schema), items))
    return out


def _decode_items(data: bytes, decode_item: Callable[[bytes, Resource, Scope], Any]) -> Decoded:
    """Every item of a request (field 2 of each scope group), each decoded with its
    resource and scope; rejected items counted."""
    return collect(
        partial(decode_item, item, resource, scope)
        for resource, scope, items in _groups(data, 2)
        for item in items
    )


# ------------------------------------------------------------------ traces


_EVENT = {
    1: _set("time_unix_nano", _int),
    2: _set("name", _text),
    3: _add_attribute,
    4: _set("dropped_attributes_count", _int),
}
_LINK = {
    1: _set_id("trace_id", 16, "link trace_id"),
    2: _set_id("span_id", 8, "link span_id"),
    3: _set("trace_state", _text),
    4: _add_attribute,
    5: _set("dropped_attributes_count", _int),
    6: _set("flags", _int),
}


def _event(data: bytes) -> Event:
    return _fill(Event(0, "", {}), data, _EVENT)


def _link(data: bytes) -> Link:
    return _fill(Link(b"", b""), data, _LINK)


_unpack_fixed64 = struct.Struct("<Q").unpack_from
_unpack_fixed32 = struct.Struct("<I").unpack_from


def decode_span(data: bytes, resource: Resource, scope: Scope) -> Span:
    """One ``Span`` message. The hot path of a receiver: keys and lengths are read inline
    (one byte in the common case), attribute pairs come from the ``key_value`` memo."""
    span = Span(resource, scope)
    attributes = span.attributes
    kv_cache = _kv_cache
    pos = 0
    end = len(data)
    while pos < end:
        key = data[pos]
        pos += 1
        if key & 0x80:
            key, pos = read_varint(data, pos - 1)
        wire = key & 7
        if wire == WIRE_LEN:
            size = data[pos] if pos < end else 0x80
            pos += 1
            if size & 0x80:
                size, pos = read_varint(data, pos - 1)
            stop = pos + size
            if stop > end:
                raise DecodeError("truncated length-delimited field")
            value = data[pos:stop]
            pos = stop
            if key == 0x4A:  # 9: attributes
                pair = kv_cache.get(value)
                k, v = pair if pair is not None else key_value(value)
                attributes[k] = v
            elif key == 0x0A:
                span.trace_id = _id(value, 16, "trace_id")
            elif key == 0x12:
                span.span_id = _id(value, 8, "span_id")
            elif key == 0x22:
                span.parent_span_id = _id(value, 8, "parent_span_id")
            elif key == 0x2A:
                span.name = _text(value)
            elif key == 0x5A:  # 11: events
                span.events.append(_event(value))
            elif key == 0x7A:  # 15: status
                for inner, _, field in iter_fields(value):
                    if inner == 2:
                        span.status_message = _text(field)
                    elif inner == 3:
                        span.status_code = _int(field)
            elif key == 0x1A:
                span.trace_state = _text(value)
            elif key == 0x6A:  # 13: links
                span.links.append(_link(value))
        elif wire == WIRE_FIXED64:
            if pos + 8 > end:
                raise DecodeError("truncated fixed64")
            number = _unpack_fixed64(data, pos)[0]
            pos += 8
            if key == 0x39:
                span.start_time_unix_nano = number
            elif key == 0x41:
                span.end_time_unix_nano = number
        elif wire == WIRE_VARINT:
            number, pos = read_varint(data, pos)
            field_number = key >> 3
            if field_number == 6:
                span.kind = number
            elif field_number == 10:
                span.dropped_attributes_count = number
            elif field_number == 12:
                span.dropped_events_count = number
            elif field_number == 14:
                span.dropped_links_count = number
        elif wire == WIRE_FIXED32:
            if pos + 4 > end:
                raise DecodeError("truncated fixed32")
            if key >> 3 == 16:
                span.flags = _unpack_fixed32(data, pos)[0]
            pos += 4
        else:
            raise DecodeError(f"unsupported wire type {wire}")
        if key >> 3 == 0:
            raise DecodeError("field number 0")
    if not span.trace_id or not span.span_id:
        raise InvalidItem("span without a valid trace_id or span_id")
    return span


def decode_trace_request(data: bytes) -> Decoded:
    """``ExportTraceServiceRequest`` bytes -> spans; raises ``DecodeError``."""
    return _decode_items(data, decode_span)


# ------------------------------------------------------------------ logs


_LOG_RECORD = {
    1: _set("time_unix_nano", _int),
    11: _set("observed_time_unix_nano", _int),
    2: _set("severity_number", lambda value: as_signed64(_int(value))),
    3: _set("severity_text", _text),
    5: _set("body", lambda value: any_value(_bytes(value))),
    6: _add_attribute,
    7: _set("dropped_attributes_count", _int),
    8: _set("flags", _int),
    9: _set_id("trace_id", 16, "log trace_id"),
    10: _set_id("span_id", 8, "log span_id"),
    12: _set("event_name", _text),
}


def decode_log_record(data: bytes, resource: Resource, scope: Scope) -> LogRecord:
    return _fill(LogRecord(resource, scope), data, _LOG_RECORD)


def decode_logs_request(data: bytes) -> Decoded:
    """``ExportLogsServiceRequest`` bytes -> log records; raises ``DecodeError``."""
    return _decode_items(data, decode_log_record)


# ------------------------------------------------------------------ metrics


def _packed(wire: int, value: int | bytes, width: int) -> list[int]:
    """A repeated fixed64 (width 8) or varint (width 0) field, packed or one element."""
    if wire != WIRE_LEN:
        return [_int(value)]
    data = _bytes(value)
    if width == 8:
        if len(data) % 8:
            raise DecodeError("packed fixed64 field of a wrong length")
        return list(struct.unpack(f"<{len(data) // 8}Q", data))
    out = []
    pos = 0
    while pos < len(data):
        item, pos = read_varint(data, pos)
        out.append(item)
    return out


def _packed_doubles(wire: int, value: int | bytes) -> list[float]:
    if wire == WIRE_FIXED64:
        return [_double(_int(value))]
    data = _bytes(value)
    if len(data) % 8:
        raise DecodeError("packed double field of a wrong length")
    return list(struct.unpack(f"<{len(data) // 8}d", data))


def _zigzag32(value: int) -> int:
    value &= 0xFFFFFFFF
    return (value >> 1) ^ -(value & 1)


def _buckets(data: bytes) -> list[Any]:
    offset = 0
    counts: list[int] = []
    for number, wire, value in iter_fields(data):
        if number == 1:
            offset = _zigzag32(_int(value))
        elif number == 2:
            counts.extend(_packed(wire, value, 0))
    return [offset, counts]


_NUMBER_POINT = {
    7: _add_attribute,
    2: _set("start_time_unix_nano", _int),
    3: _set("time_unix_nano", _int),
    4: _set("value", lambda value: _double(_int(value))),
    6: _set("value", lambda value: _sfixed64(_int(value))),
    8: _set("flags", _int),
}


def _point(data: bytes, kind: str) -> MetricPoint:
    point = MetricPoint()
    if kind in (GAUGE, SUM):
        return _fill(point, data, _NUMBER_POINT)
    extra: dict[str, Any] = {}
    point.data = extra
    attr_field = 1 if kind == EXPONENTIAL_HISTOGRAM else (9 if kind == HISTOGRAM else 7)
    for number, wire, value in iter_fields(data):
        if number == attr_field:
            k, v = key_value(_bytes(value))
            point.attributes[k] = v
        elif number == 2:
            point.start_time_unix_nano = _int(value)
        elif number == 3:
            point.time_unix_nano = _int(value)
        elif number == 4:
            extra["count"] = _int(value)
        elif number == 5:
            extra["sum"] = _double(_int(value))
        elif kind == HISTOGRAM:
            if number == 6:
                extra.setdefault("bucket_counts", []).extend(_packed(wire, value, 8))
            elif number == 7:
                extra.setdefault("bounds", []).extend(_packed_doubles(wire, value))
            elif number == 10:
                point.flags = _int(value)
            elif number == 11:
                extra["min"] = _double(_int(value))
            elif number == 12:
                extra["max"] = _double(_int(value))
        elif kind == EXPONENTIAL_HISTOGRAM:
            if number == 6:
                extra["scale"] = _zigzag32(_int(value))
            elif number == 7:
                extra["zero_count"] = _int(value)
            elif number == 8:
                extra["positive"] = _buckets(_bytes(value))
            elif number == 9:
                extra["negative"] = _buckets(_bytes(value))
            elif number == 10:
                point.flags = _int(value)
            elif number == 12:
                extra["min"] = _double(_int(value))
            elif number == 13:
                extra["max"] = _double(_int(value))
            elif number == 14:
                extra["zero_threshold"] = _double(_int(value))
        elif number == 6:  # summary quantile_values
            q = v = 0.0
            for inner, _, field in iter_fields(_bytes(value)):
                if inner == 1:
                    q = _double(_int(field))
                elif inner == 2:
                    v = _double(_int(field))
            extra.setdefault("quantiles", []).append([q, v])
        elif number == 8:
            point.flags = _int(value)
    if kind == HISTOGRAM:
        extra.setdefault("bounds", [])
        extra.setdefault("bucket_counts", [])
    return point


_DATA_FIELDS = {5: GAUGE, 7: SUM, 9: HISTOGRAM, 10: EXPONENTIAL_HISTOGRAM, 11: SUMMARY}


def decode_metric(data: bytes, resource: Resource, scope: Scope) -> Metric:
    metric = Metric(resource, scope)
    for number, _, value in iter_fields(data):
        if number == 1:
            metric.name = _text(value)
        elif number == 2:
            metric.description = _text(value)
        elif number == 3:
            metric.unit = _text(value)
        elif number in _DATA_FIELDS:
            kind = metric.type = _DATA_FIELDS[number]
            for inner, _, field in iter_fields(_bytes(value)):
                if inner == 1:
                    metric.points.append(_point(_bytes(field), kind))
                elif inner == 2 and kind != GAUGE and kind != SUMMARY:
                    metric.temporality = _int(field)
                elif inner == 3 and kind == SUM:
                    metric.is_monotonic = bool(_int(field))
    if not metric.name:
        raise InvalidItem("metric without a name")
    return metric


def decode_metrics_request(data: bytes) -> Decoded:
    """``ExportMetricsServiceRequest`` bytes -> metrics (one per item, its points counted as
    the items of partial success); raises ``DecodeError``."""
    return _decode_items(data, decode_metric)
