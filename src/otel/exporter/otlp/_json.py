"""OTLP/JSON encoding (the protobuf JSON mapping with OTLP's deviations).

Per the OTLP specification: trace and span ids are lowercase hex (not base64), keys are
lowerCamelCase, enums are integers, 64-bit integers are decimal strings, other ``bytes`` are
base64, and non-finite doubles are the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from otel.exporter.otlp._proto._decode import PartialSuccess, RpcStatus
from otel.exporter.otlp._proto._encode_common import group_by_resource_scope
from otel.exporter.otlp._proto._encode_logs import group_logs

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

JSONDict = dict[str, Any]


def _double(value: float) -> float | str:
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def any_value(value: object) -> JSONDict:
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        if _INT64_MIN <= value <= _INT64_MAX:
            return {"intValue": str(value)}
        return {"stringValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": _double(value)}
    if value is None:
        return {}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytesValue": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {"kvlistValue": {"values": attributes(value)}}
    if isinstance(value, (list, tuple, set, frozenset)):
        return {"arrayValue": {"values": [any_value(v) for v in value]}}
    return {"stringValue": str(value)}


def attributes(mapping: Mapping[str, object] | None) -> list[JSONDict]:
    if not mapping:
        return []
    return [{"key": str(k), "value": any_value(v)} for k, v in mapping.items()]


def _put_attributes(out: JSONDict, key: str, mapping: Mapping[str, object] | None) -> None:
    encoded = attributes(mapping)
    if encoded:
        out[key] = encoded


def _put_count(out: JSONDict, key: str, value: Any) -> None:
    if value:
        out[key] = int(value)


def resource(res: Any) -> JSONDict:
    out: JSONDict = {}
    if res is not None:
        _put_attributes(out, "attributes", getattr(res, "attributes", None))
        _put_count(out, "droppedAttributesCount", getattr(res, "dropped_attributes", 0))
    return out


def scope(sc: Any) -> JSONDict:
    out: JSONDict = {}
    if sc is None:
        return out
    if getattr(sc, "name", None):
        out["name"] = sc.name
    if getattr(sc, "version", None):
        out["version"] = sc.version
    _put_attributes(out, "attributes", getattr(sc, "attributes", None))
    _put_count(out, "droppedAttributesCount", getattr(sc, "dropped_attributes", 0))
    return out


def _schema(out: JSONDict, obj: Any) -> None:
    url = getattr(obj, "schema_url", None) if obj is not None else None
    if url:
        out["schemaUrl"] = url


def trace_id_hex(value: int) -> str:
    return format(value, "032x")


def span_id_hex(value: int) -> str:
    return format(value, "016x")


def _trace_state(ts: Any) -> str:
    if not ts:
        return ""
    return str(ts.to_header() if hasattr(ts, "to_header") else ts)


def _nanos(value: Any) -> str:
    """A fixed64 time as its decimal string; a value that is no time raises (the caller
    then drops only the item that carries it)."""
    if value is None:
        return "0"
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**64:
        return str(int(value))
    raise TypeError(f"a time must be int nanoseconds since the epoch, got {value!r}")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError(f"a name must be a str, got {type(value).__name__}")


def _enum(value: Any) -> int:
    return int(getattr(value, "value", value) or 0)


def span(sp: Any) -> JSONDict:
    ctx = sp.context
    out: JSONDict = {"traceId": trace_id_hex(ctx.trace_id), "spanId": span_id_hex(ctx.span_id)}
    ts = _trace_state(ctx.trace_state)
    if ts:
        out["traceState"] = ts
    parent = sp.parent
    flags = (int(ctx.trace_flags) & 0xFF) | 0x100
    if parent is not None:
        out["parentSpanId"] = span_id_hex(parent.span_id)
        if parent.is_remote:
            flags |= 0x200
    out["flags"] = flags
    out["name"] = _text(sp.name)
    out["kind"] = _enum(sp.kind) + 1
    out["startTimeUnixNano"] = _nanos(sp.start_time)
    out["endTimeUnixNano"] = _nanos(sp.end_time)
    _put_attributes(out, "attributes", sp.attributes)
    _put_count(out, "droppedAttributesCount", sp.dropped_attributes)
    events = []
    for ev in sp.events:
        e: JSONDict = {"timeUnixNano": _nanos(ev.timestamp), "name": _text(ev.name)}
        _put_attributes(e, "attributes", ev.attributes)
        _put_count(e, "droppedAttributesCount", ev.dropped_attributes)
        events.append(e)
    if events:
        out["events"] = events
    _put_count(out, "droppedEventsCount", sp.dropped_events)
    links = []
    for ln in sp.links:
        lctx = ln.context
        lk: JSONDict = {
            "traceId": trace_id_hex(lctx.trace_id),
            "spanId": span_id_hex(lctx.span_id),
        }
        lts = _trace_state(lctx.trace_state)
        if lts:
            lk["traceState"] = lts
        _put_attributes(lk, "attributes", ln.attributes)
        _put_count(lk, "droppedAttributesCount", ln.dropped_attributes)
        lk["flags"] = (int(lctx.trace_flags) & 0xFF) | 0x100 | (0x200 if lctx.is_remote else 0)
        links.append(lk)
    if links:
        out["links"] = links
    _put_count(out, "droppedLinksCount", sp.dropped_links)
    status = sp.status
    if status is not None:
        st: JSONDict = {}
        if status.description:
            st["message"] = status.description
        code = _enum(status.status_code)
        if code:
            st["code"] = code
        if st:
            out["status"] = st
    return out


def _dumps(obj: JSONDict) -> bytes:
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: replaced, as the protobuf encoder does
        return text.encode("utf-8", "replace")


def _encode_request(
    groups: list[tuple[Any, list[tuple[Any, list[Any]]]]],
    names: tuple[str, str, str],
    encode_item: Callable[[Any], JSONDict],
) -> bytes:
    """An Export*ServiceRequest from grouped items; ``names`` are the request's
    resource-level, scope-level and item list keys (``resourceSpans``, ``scopeSpans``,
    ``spans``)."""
    resources_key, scopes_key, items_key = names
    resource_list = []
    for res, scopes in groups:
        scope_list = []
        for sc, items in scopes:
            out: JSONDict = {"scope": scope(sc), items_key: [encode_item(i) for i in items]}
            _schema(out, sc)
            scope_list.append(out)
        rout: JSONDict = {"resource": resource(res), scopes_key: scope_list}
        _schema(rout, res)
        resource_list.append(rout)
    return _dumps({resources_key: resource_list})


def encode_spans(spans: Sequence[Any]) -> bytes:
    """An ``ExportTraceServiceRequest`` as OTLP/JSON bytes."""
    groups = group_by_resource_scope((s.resource, s.instrumentation_scope, s) for s in spans)
    return _encode_request(groups, ("resourceSpans", "scopeSpans", "spans"), span)


# --------------------------------------------------------------------------- metrics


def _number_value(out: JSONDict, value: Any) -> None:
    if isinstance(value, int) and _INT64_MIN <= value <= _INT64_MAX:
        out["asInt"] = str(int(value))
    else:
        out["asDouble"] = _double(float(value))


def _put_id(out: JSONDict, key: str, value: Any, size: int) -> None:
    """An optional trace/span id (int or bytes) as hex; absent or zero: no key."""
    if value is None or value == 0:
        return
    text = format(value, f"0{size * 2}x") if isinstance(value, int) else bytes(value).hex()
    if text:
        out[key] = text


def exemplar(ex: Any) -> JSONDict:
    out: JSONDict = {}
    _put_attributes(out, "filteredAttributes", getattr(ex, "filtered_attributes", None))
    out["timeUnixNano"] = str(ex.time_unix_nano or 0)
    _number_value(out, ex.value)
    _put_id(out, "spanId", getattr(ex, "span_id", None), 8)
    _put_id(out, "traceId", getattr(ex, "trace_id", None), 16)
    return out


def _point_common(point: Any) -> JSONDict:
    out: JSONDict = {}
    _put_attributes(out, "attributes", point.attributes)
    if point.start_time_unix_nano:
        out["startTimeUnixNano"] = str(point.start_time_unix_nano)
    out["timeUnixNano"] = str(point.time_unix_nano or 0)
    return out


def _point_tail(out: JSONDict, point: Any) -> JSONDict:
    exemplars = getattr(point, "exemplars", None)
    if exemplars:
        out["exemplars"] = [exemplar(e) for e in exemplars]
    _put_count(out, "flags", getattr(point, "flags", 0))
    return out


def _min_max(out: JSONDict, point: Any) -> None:
    for name in ("min", "max"):
        value = getattr(point, name, None)
        if value is None or (not point.count and isinstance(value, float) and math.isinf(value)):
            continue
        out[name] = _double(float(value))


def number_point(point: Any) -> JSONDict:
    out = _point_common(point)
    _number_value(out, point.value)
    return _point_tail(out, point)


def histogram_point(point: Any) -> JSONDict:
    out = _point_common(point)
    out["count"] = str(int(point.count or 0))
    if point.sum is not None:
        out["sum"] = _double(float(point.sum))
    out["bucketCounts"] = [str(int(c)) for c in point.bucket_counts or ()]
    out["explicitBounds"] = [_double(float(b)) for b in point.explicit_bounds or ()]
    _min_max(out, point)
    return _point_tail(out, point)


def _buckets(b: Any) -> JSONDict:
    out: JSONDict = {}
    if b is None:
        return out
    if getattr(b, "offset", 0):
        out["offset"] = int(b.offset)
    out["bucketCounts"] = [str(int(c)) for c in getattr(b, "bucket_counts", ()) or ()]
    return out


def exponential_point(point: Any) -> JSONDict:
    out = _point_common(point)
    out["count"] = str(int(point.count or 0))
    if point.sum is not None:
        out["sum"] = _double(float(point.sum))
    out["scale"] = int(point.scale or 0)
    out["zeroCount"] = str(int(point.zero_count or 0))
    out["positive"] = _buckets(point.positive)
    out["negative"] = _buckets(point.negative)
    _min_max(out, point)
    zt = getattr(point, "zero_threshold", 0.0) or 0.0
    if zt:
        out["zeroThreshold"] = _double(float(zt))
    return _point_tail(out, point)


def summary_point(point: Any) -> JSONDict:
    out = _point_common(point)
    out["count"] = str(int(point.count or 0))
    out["sum"] = _double(float(point.sum or 0.0))
    out["quantileValues"] = [
        {"quantile": _double(float(q.quantile)), "value": _double(float(q.value))}
        for q in getattr(point, "quantile_values", ()) or ()
    ]
    _put_count(out, "flags", getattr(point, "flags", 0))
    return out


def metric(m: Any) -> JSONDict:
    out: JSONDict = {"name": m.name}
    if m.description:
        out["description"] = m.description
    if m.unit:
        out["unit"] = m.unit
    data = m.data
    kind = type(data).__name__
    temporality = _enum(getattr(data, "aggregation_temporality", 0))
    if kind == "Sum":
        body: JSONDict = {"dataPoints": [number_point(p) for p in data.data_points]}
        if temporality:
            body["aggregationTemporality"] = temporality
        if getattr(data, "is_monotonic", False):
            body["isMonotonic"] = True
        out["sum"] = body
    elif kind == "Gauge":
        out["gauge"] = {"dataPoints": [number_point(p) for p in data.data_points]}
    elif kind == "Histogram":
        body = {"dataPoints": [histogram_point(p) for p in data.data_points]}
        if temporality:
            body["aggregationTemporality"] = temporality
        out["histogram"] = body
    elif kind == "ExponentialHistogram":
        body = {"dataPoints": [exponential_point(p) for p in data.data_points]}
        if temporality:
            body["aggregationTemporality"] = temporality
        out["exponentialHistogram"] = body
    elif kind == "Summary":
        out["summary"] = {"dataPoints": [summary_point(p) for p in data.data_points]}
    else:
        raise TypeError(f"unsupported metric data type {kind}")
    return out


def encode_metrics(metrics_data: Any) -> bytes:
    """An ``ExportMetricsServiceRequest`` as OTLP/JSON bytes."""
    resource_metrics = []
    for rm in metrics_data.resource_metrics:
        scope_metrics = []
        for sm in rm.scope_metrics:
            out: JSONDict = {"scope": scope(sm.scope), "metrics": [metric(m) for m in sm.metrics]}
            url = getattr(sm, "schema_url", None) or getattr(sm.scope, "schema_url", None)
            if url:
                out["schemaUrl"] = url
            scope_metrics.append(out)
        rout: JSONDict = {"resource": resource(rm.resource), "scopeMetrics": scope_metrics}
        url = getattr(rm, "schema_url", None) or getattr(rm.resource, "schema_url", None)
        if url:
            rout["schemaUrl"] = url
        resource_metrics.append(rout)
    return _dumps({"resourceMetrics": resource_metrics})


# --------------------------------------------------------------------------- logs


def log_record(record: Any) -> JSONDict:
    out: JSONDict = {}
    ts = getattr(record, "timestamp", None)
    if ts:
        out["timeUnixNano"] = _nanos(ts)
    observed = getattr(record, "observed_timestamp", None)
    if observed:
        out["observedTimeUnixNano"] = _nanos(observed)
    severity = getattr(record, "severity_number", None)
    if severity is not None and _enum(severity):
        out["severityNumber"] = _enum(severity)
    if getattr(record, "severity_text", None):
        out["severityText"] = record.severity_text
    body = getattr(record, "body", None)
    if body is not None:
        out["body"] = any_value(body)
    _put_attributes(out, "attributes", getattr(record, "attributes", None))
    _put_count(out, "droppedAttributesCount", getattr(record, "dropped_attributes", 0))
    flags = int(getattr(record, "trace_flags", 0) or 0) & 0xFF
    if flags:
        out["flags"] = flags
    _put_id(out, "traceId", getattr(record, "trace_id", None), 16)
    _put_id(out, "spanId", getattr(record, "span_id", None), 8)
    if getattr(record, "event_name", None):
        out["eventName"] = record.event_name
    return out


def encode_logs(batch: Sequence[Any]) -> bytes:
    """An ``ExportLogsServiceRequest`` as OTLP/JSON bytes."""
    return _encode_request(
        group_logs(batch), ("resourceLogs", "scopeLogs", "logRecords"), log_record
    )


# --------------------------------------------------------------------------- responses


def decode_partial_success(body: bytes) -> PartialSuccess | None:
    """``partialSuccess`` of a JSON ``Export*ServiceResponse`` (None when absent)."""
    doc = json.loads(body.decode("utf-8", "replace") or "{}")
    if not isinstance(doc, dict):
        return None
    ps = doc.get("partialSuccess") or doc.get("partial_success")
    if not isinstance(ps, dict):
        return None
    rejected = 0
    for key in ("rejectedSpans", "rejectedDataPoints", "rejectedLogRecords"):
        if key in ps:
            rejected = int(ps[key])
    return PartialSuccess(rejected, str(ps.get("errorMessage", "") or ""))


def decode_status(body: bytes) -> RpcStatus:
    """A JSON ``google.rpc.Status`` (code, message; RetryInfo detail when present)."""
    doc = json.loads(body.decode("utf-8", "replace") or "{}")
    if not isinstance(doc, dict):
        return RpcStatus(0, str(doc), None)
    delay = None
    for detail in doc.get("details") or ():
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            raw = str(detail.get("retryDelay", "0s")).rstrip("s")
            try:
                delay = max(0.0, float(raw))
            except ValueError:
                delay = None
    return RpcStatus(int(doc.get("code", 0) or 0), str(doc.get("message", "") or ""), delay)
