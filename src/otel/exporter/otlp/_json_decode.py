"""OTLP/JSON request decoding (what a receiver reads), into the records of ``_proto._model``.

The OTLP/JSON rules: trace and span ids are hex (case-insensitive), field names may be
lowerCamelCase or the proto's snake_case, 64-bit integers come as decimal strings or numbers,
enums as integers or their names, ``bytesValue`` is base64, doubles may be ``"NaN"``,
``"Infinity"``, ``"-Infinity"``; unknown fields are ignored. Malformed input raises
``DecodeError`` with a reason. Pure functions, safe from any thread.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from otel.exporter.otlp._proto._decode_request import Decoded, InvalidItem, collect
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
from otel.exporter.otlp._proto._wire import DecodeError

_T = TypeVar("_T")
_snake_cache: dict[str, str] = {}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    out = _snake_cache.get(name)
    if out is None:
        out = _snake_cache[name] = _CAMEL.sub("_", name).lower()
    return out


def _get(obj: dict[str, Any], name: str) -> Any:
    value = obj.get(name)
    if value is None:
        value = obj.get(_snake(name))
    return value


def _obj(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DecodeError(f"{what} must be a JSON object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DecodeError(f"{what} must be a JSON array")
    return value


def _int(value: Any, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        raise DecodeError(f"{what} must be an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise DecodeError(f"{what} must be an integer, got {value!r:.40}")


def _double(value: Any, what: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)  # also "NaN", "Infinity", "-Infinity"
        except ValueError:
            pass
    raise DecodeError(f"{what} must be a number, got {value!r:.40}")


def _str(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DecodeError(f"{what} must be a string")
    return value


def _enum(value: Any, names: dict[str, int], what: str) -> int:
    if isinstance(value, str) and value in names:
        return names[value]
    return _int(value, what)


def _hex_id(value: Any, size: int, what: str) -> bytes:
    text = _str(value, what)
    if not text:
        return b""
    try:
        data = bytes.fromhex(text)
    except ValueError:
        raise InvalidItem(f"{what} is not hex: {text!r:.40}") from None
    if len(data) != size:
        raise InvalidItem(f"{what} must be {size * 2} hex digits")
    return b"" if data == bytes(size) else data


def any_value(obj: Any) -> Any:
    """An OTLP/JSON ``AnyValue`` object as a JSON native."""
    value = _obj(obj, "AnyValue")
    for key, item in value.items():
        if key in ("stringValue", "string_value"):
            return _str(item, "stringValue")
        if key in ("boolValue", "bool_value"):
            if not isinstance(item, bool):
                raise DecodeError("boolValue must be true or false")
            return item
        if key in ("intValue", "int_value"):
            return _int(item, "intValue")
        if key in ("doubleValue", "double_value"):
            return _double(item, "doubleValue")
        if key in ("arrayValue", "array_value"):
            return [any_value(v) for v in _list(_obj(item, "arrayValue").get("values"), "values")]
        if key in ("kvlistValue", "kvlist_value"):
            return attributes(_obj(item, "kvlistValue").get("values"))
        if key in ("bytesValue", "bytes_value"):
            try:
                raw = base64.b64decode(_str(item, "bytesValue"), validate=True)
            except (binascii.Error, ValueError):
                raise DecodeError("bytesValue is not base64") from None
            return base64.b64encode(raw).decode("ascii")
    return None


def attributes(items: Any) -> Attributes:
    out: Attributes = {}
    for kv in _list(items, "attributes"):
        kv = _obj(kv, "KeyValue")
        out[_str(kv.get("key"), "key")] = any_value(kv.get("value"))
    return out


def _resource(obj: Any, schema_url: str) -> Resource:
    res = _obj(obj, "resource")
    return Resource(
        attributes(res.get("attributes")),
        _int(_get(res, "droppedAttributesCount"), "droppedAttributesCount"),
        schema_url,
    )


def _scope(obj: Any, schema_url: str) -> Scope:
    sc = _obj(obj, "scope")
    return Scope(
        _str(sc.get("name"), "scope name"),
        _str(sc.get("version"), "scope version"),
        attributes(sc.get("attributes")),
        _int(_get(sc, "droppedAttributesCount"), "droppedAttributesCount"),
        schema_url,
    )


def _walk(
    request: Any, groups: str, scopes: str, items: str, make: Callable[[Any, Resource, Scope], _T]
) -> Decoded:
    out: list[Callable[[], _T]] = []
    for group in _list(_get(_obj(request, "request"), groups), groups):
        group = _obj(group, groups)
        resource = _resource(group.get("resource"), _str(_get(group, "schemaUrl"), "schemaUrl"))
        for scope_group in _list(_get(group, scopes), scopes):
            scope_group = _obj(scope_group, scopes)
            scope = _scope(
                scope_group.get("scope"), _str(_get(scope_group, "schemaUrl"), "schemaUrl")
            )
            for item in _list(_get(scope_group, items), items):
                out.append(partial(make, _obj(item, items), resource, scope))
    return collect(out)


_KINDS = {
    "SPAN_KIND_UNSPECIFIED": 0,
    "SPAN_KIND_INTERNAL": 1,
    "SPAN_KIND_SERVER": 2,
    "SPAN_KIND_CLIENT": 3,
    "SPAN_KIND_PRODUCER": 4,
    "SPAN_KIND_CONSUMER": 5,
}
_STATUS = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}


def _span(obj: dict[str, Any], resource: Resource, scope: Scope) -> Span:
    span = Span(resource, scope)
    span.trace_id = _hex_id(_get(obj, "traceId"), 16, "traceId")
    span.span_id = _hex_id(_get(obj, "spanId"), 8, "spanId")
    if not span.trace_id or not span.span_id:
        raise InvalidItem("span without a valid traceId or spanId")
    span.parent_span_id = _hex_id(_get(obj, "parentSpanId"), 8, "parentSpanId")
    span.trace_state = _str(_get(obj, "traceState"), "traceState")
    span.flags = _int(obj.get("flags"), "flags")
    span.name = _str(obj.get("name"), "name")
    span.kind = _enum(obj.get("kind"), _KINDS, "kind")
    span.start_time_unix_nano = _int(_get(obj, "startTimeUnixNano"), "startTimeUnixNano")
    span.end_time_unix_nano = _int(_get(obj, "endTimeUnixNano"), "endTimeUnixNano")
    span.attributes = attributes(obj.get("attributes"))
    span.dropped_attributes_count = _int(_get(obj, "droppedAttributesCount"), "dropped")
    for ev in _list(obj.get("events"), "events"):
        ev = _obj(ev, "event")
        span.events.append(
            Event(
                _int(_get(ev, "timeUnixNano"), "timeUnixNano"),
                _str(ev.get("name"), "event name"),
                attributes(ev.get("attributes")),
                _int(_get(ev, "droppedAttributesCount"), "dropped"),
            )
        )
    span.dropped_events_count = _int(_get(obj, "droppedEventsCount"), "droppedEventsCount")
    for ln in _list(obj.get("links"), "links"):
        ln = _obj(ln, "link")
        span.links.append(
            Link(
                _hex_id(_get(ln, "traceId"), 16, "link traceId"),
                _hex_id(_get(ln, "spanId"), 8, "link spanId"),
                _str(_get(ln, "traceState"), "traceState"),
                attributes(ln.get("attributes")),
                _int(_get(ln, "droppedAttributesCount"), "dropped"),
                _int(ln.get("flags"), "flags"),
            )
        )
    span.dropped_links_count = _int(_get(obj, "droppedLinksCount"), "droppedLinksCount")
    status = _obj(obj.get("status"), "status")
    span.status_code = _enum(status.get("code"), _STATUS, "status code")
    span.status_message = _str(status.get("message"), "status message")
    return span


_SEVERITIES = {
    f"SEVERITY_NUMBER_{name}": n
    for n, name in enumerate(
        ["UNSPECIFIED"]
        + [
            f"{level}{i if i > 1 else ''}"
            for level in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
            for i in range(1, 5)
        ]
    )
}


def _log(obj: dict[str, Any], resource: Resource, scope: Scope) -> LogRecord:
    record = LogRecord(resource, scope)
    record.time_unix_nano = _int(_get(obj, "timeUnixNano"), "timeUnixNano")
    record.observed_time_unix_nano = _int(_get(obj, "observedTimeUnixNano"), "observedTimeUnixNano")
    record.severity_number = _enum(_get(obj, "severityNumber"), _SEVERITIES, "severityNumber")
    record.severity_text = _str(_get(obj, "severityText"), "severityText")
    record.body = any_value(obj["body"]) if obj.get("body") is not None else None
    record.attributes = attributes(obj.get("attributes"))
    record.dropped_attributes_count = _int(_get(obj, "droppedAttributesCount"), "dropped")
    record.flags = _int(obj.get("flags"), "flags")
    record.trace_id = _hex_id(_get(obj, "traceId"), 16, "traceId")
    record.span_id = _hex_id(_get(obj, "spanId"), 8, "spanId")
    record.event_name = _str(_get(obj, "eventName"), "eventName")
    return record


_TYPES = (
    ("gauge", GAUGE),
    ("sum", SUM),
    ("histogram", HISTOGRAM),
    ("exponentialHistogram", EXPONENTIAL_HISTOGRAM),
    ("summary", SUMMARY),
)
_TEMPORALITY = {
    "AGGREGATION_TEMPORALITY_UNSPECIFIED": 0,
    "AGGREGATION_TEMPORALITY_DELTA": 1,
    "AGGREGATION_TEMPORALITY_CUMULATIVE": 2,
}


def _buckets(obj: Any) -> list[Any]:
    b = _obj(obj, "buckets")
    counts = [_int(c, "bucketCounts") for c in _list(_get(b, "bucketCounts"), "bucketCounts")]
    return [_int(b.get("offset"), "offset"), counts]


def _point(obj: Any, kind: str) -> MetricPoint:
    p = _obj(obj, "dataPoint")
    point = MetricPoint()
    point.attributes = attributes(p.get("attributes"))
    point.start_time_unix_nano = _int(_get(p, "startTimeUnixNano"), "startTimeUnixNano")
    point.time_unix_nano = _int(_get(p, "timeUnixNano"), "timeUnixNano")
    point.flags = _int(p.get("flags"), "flags")
    if kind in (GAUGE, SUM):
        if _get(p, "asInt") is not None:
            point.value = _int(_get(p, "asInt"), "asInt")
        elif _get(p, "asDouble") is not None:
            point.value = _double(_get(p, "asDouble"), "asDouble")
        return point
    data: dict[str, Any] = {"count": _int(p.get("count"), "count")}
    for key in ("sum", "min", "max"):
        if p.get(key) is not None:
            data[key] = _double(p[key], key)
    if kind == HISTOGRAM:
        data["bounds"] = [
            _double(b, "explicitBounds") for b in _list(_get(p, "explicitBounds"), "bounds")
        ]
        data["bucket_counts"] = [
            _int(c, "bucketCounts") for c in _list(_get(p, "bucketCounts"), "bucketCounts")
        ]
    elif kind == EXPONENTIAL_HISTOGRAM:
        data["scale"] = _int(p.get("scale"), "scale")
        data["zero_count"] = _int(_get(p, "zeroCount"), "zeroCount")
        if _get(p, "zeroThreshold") is not None:
            data["zero_threshold"] = _double(_get(p, "zeroThreshold"), "zeroThreshold")
        for side in ("positive", "negative"):
            if p.get(side) is not None:
                data[side] = _buckets(p[side])
    else:
        data["quantiles"] = [
            [_double(q.get("quantile", 0), "quantile"), _double(q.get("value", 0), "value")]
            for q in map(
                lambda q: _obj(q, "quantileValues"),
                _list(_get(p, "quantileValues"), "quantileValues"),
            )
        ]
    point.data = data
    return point


def _metric(obj: dict[str, Any], resource: Resource, scope: Scope) -> Metric:
    metric = Metric(resource, scope)
    metric.name = _str(obj.get("name"), "metric name")
    if not metric.name:
        raise InvalidItem("metric without a name")
    metric.description = _str(obj.get("description"), "description")
    metric.unit = _str(obj.get("unit"), "unit")
    for key, kind in _TYPES:
        body = _get(obj, key)
        if body is None:
            continue
        body = _obj(body, key)
        metric.type = kind
        metric.points = [_point(p, kind) for p in _list(_get(body, "dataPoints"), "dataPoints")]
        metric.temporality = _enum(
            _get(body, "aggregationTemporality"), _TEMPORALITY, "aggregationTemporality"
        )
        monotonic = _get(body, "isMonotonic")
        metric.is_monotonic = bool(monotonic) if isinstance(monotonic, bool) else False
        break
    return metric


def loads(body: bytes | str) -> Any:
    """Parse JSON text, raising ``DecodeError`` (not ``ValueError``) with the reason."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise DecodeError(f"invalid JSON: {exc}") from None


def decode_trace_request(request: Any) -> Decoded:
    """A parsed ``ExportTraceServiceRequest`` object -> spans."""
    return _walk(request, "resourceSpans", "scopeSpans", "spans", _span)


def decode_logs_request(request: Any) -> Decoded:
    """A parsed ``ExportLogsServiceRequest`` object -> log records."""
    return _walk(request, "resourceLogs", "scopeLogs", "logRecords", _log)


def decode_metrics_request(request: Any) -> Decoded:
    """A parsed ``ExportMetricsServiceRequest`` object -> metrics."""
    return _walk(request, "resourceMetrics", "scopeMetrics", "metrics", _metric)
