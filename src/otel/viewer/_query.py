"""The JSON query API: validates parameters, asks the ``Store``, shapes the answers.

``handle(store, method, path, query_string, body)`` returns ``(status, json_object)``; every
bad parameter is a 400 ``{"error": reason}``. No SQL here: the store builds its queries with
parameters only. Thread-safe (stateless).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from otel.exporter.otlp._proto._model import LogRecord, MetricPoint, Span
from otel.viewer._http import RawJSON
from otel.viewer._store._common import KINDS, STATUS
from otel.viewer._store._interface import LogQuery, Store, TraceQuery

TEMPORALITY = (None, "delta", "cumulative")
MAX_LIMIT = 10_000
_HEX = re.compile(r"^[0-9a-fA-F]+$")

Answer = tuple[int, Any]


class BadRequest(Exception):
    pass


class Params:
    """Query-string parameters with validation (``BadRequest`` names the parameter)."""

    def __init__(self, query_string: str) -> None:
        self.pairs = parse_qsl(query_string, keep_blank_values=True)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def text(self, name: str) -> str | None:
        values = self.all(name)
        return values[-1] if values and values[-1] != "" else None

    def integer(self, name: str, low: int = 0, high: int | None = None) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            value = int(text)
        except ValueError:
            raise BadRequest(f"{name} must be an integer, got {text!r:.40}") from None
        if value < low or (high is not None and value > high):
            raise BadRequest(f"{name} out of range")
        return value

    def millis_as_nanos(self, name: str) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            value = float(text)
        except ValueError:
            raise BadRequest(f"{name} must be a number of milliseconds") from None
        if not math.isfinite(value) or value < 0:
            raise BadRequest(f"{name} out of range")
        return int(value * 1_000_000)

    def boolean(self, name: str) -> bool:
        text = self.text(name)
        if text is None:
            return False
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise BadRequest(f"{name} must be true or false")

    def attributes(self) -> list[tuple[str, str]]:
        out = []
        for item in self.all("attr"):
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise BadRequest(f"attr must be key=value, got {item!r:.60}")
            out.append((key, value))
        return out

    def hex_id(self, name: str, size: int) -> bytes | None:
        text = self.text(name)
        if text is None:
            return None
        return parse_id(text, size, name)


def parse_id(text: str, size: int, what: str) -> bytes:
    if len(text) != size * 2 or not _HEX.match(text):
        raise BadRequest(f"{what} must be {size * 2} hex digits")
    return bytes.fromhex(text)


# ------------------------------------------------------------------ JSON shapes


def span_json(span: Span) -> dict[str, Any]:
    return {
        "trace_id": span.trace_id.hex(),
        "span_id": span.span_id.hex(),
        "parent_span_id": span.parent_span_id.hex() if span.parent_span_id else None,
        "name": span.name,
        "kind": KINDS[span.kind] if 0 <= span.kind < len(KINDS) else "UNSPECIFIED",
        "service": span.resource.service,
        "start_unix_nano": span.start_time_unix_nano,
        "end_unix_nano": span.end_time_unix_nano,
        "status": {
            "code": STATUS[span.status_code] if 0 <= span.status_code < 3 else "UNSET",
            "message": span.status_message,
        },
        "attributes": span.attributes,
        "events": [
            {"name": e.name, "time_unix_nano": e.time_unix_nano, "attributes": e.attributes}
            for e in span.events
        ],
        "links": [
            {
                "trace_id": ln.trace_id.hex(),
                "span_id": ln.span_id.hex(),
                "attributes": ln.attributes,
            }
            for ln in span.links
        ],
        "resource": {"attributes": span.resource.attributes},
        "scope": {"name": span.scope.name, "version": span.scope.version},
        "flags": span.flags,
        "trace_state": span.trace_state,
        "dropped_attributes_count": span.dropped_attributes_count,
        "dropped_events_count": span.dropped_events_count,
        "dropped_links_count": span.dropped_links_count,
    }


def log_json(rec: LogRecord) -> dict[str, Any]:
    return {
        "time_unix_nano": rec.time_unix_nano,
        "observed_time_unix_nano": rec.observed_time_unix_nano,
        "severity_number": rec.severity_number,
        "severity_text": rec.severity_text,
        "body": rec.body,
        "attributes": rec.attributes,
        "service": rec.resource.service,
        "trace_id": rec.trace_id.hex() if rec.trace_id else None,
        "span_id": rec.span_id.hex() if rec.span_id else None,
        "event_name": rec.event_name,
        "resource": {"attributes": rec.resource.attributes},
        "scope": {"name": rec.scope.name, "version": rec.scope.version},
    }


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def histogram_quantile(
    bounds: list[float], counts: list[int], q: float, lo: Any, hi: Any
) -> float | None:
    """Estimate the ``q`` quantile from explicit-bucket counts (linear inside a bucket;
    the open-ended buckets are closed by the point's min/max when known)."""
    total = sum(counts)
    if total <= 0:
        return None
    rank = q * total
    seen = 0
    for i, count in enumerate(counts):
        if count and seen + count >= rank:
            lower = (
                bounds[i - 1]
                if i > 0
                else (lo if lo is not None else (bounds[0] if bounds else 0.0))
            )
            upper = bounds[i] if i < len(bounds) else (hi if hi is not None else lower)
            if lo is not None:
                lower = max(lower, lo)
            if hi is not None:
                upper = min(upper, hi)
            fraction = (rank - seen) / count
            return float(lower + (upper - lower) * fraction)
        seen += count
    return float(hi) if hi is not None else (bounds[-1] if bounds else None)


def _exponential_buckets(data: dict[str, Any]) -> tuple[list[float], list[int]]:
    """An exponential histogram as explicit upper bounds and counts, ascending (bucket ``k``
    covers ``(base**k, base**(k+1)]``, mirrored for negative values)."""
    base = 2.0 ** (2.0 ** -data.get("scale", 0))
    bounds: list[float] = []
    counts: list[int] = []
    neg_offset, neg_counts = data.get("negative", [0, []])
    for i in range(len(neg_counts) - 1, -1, -1):
        bounds.append(-(base ** (neg_offset + i)))
        counts.append(neg_counts[i])
    bounds.append(0.0)
    counts.append(data.get("zero_count", 0))
    pos_offset, pos_counts = data.get("positive", [0, []])
    if pos_counts:
        bounds.append(base**pos_offset)
        counts.append(0)
    for i, count in enumerate(pos_counts):
        bounds.append(base ** (pos_offset + i + 1))
        counts.append(count)
    counts.append(0)
    return bounds, counts


def point_json(
    kind: str, p: MetricPoint, previous: MetricPoint | None, cumulative: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "time_unix_nano": p.time_unix_nano,
        "start_unix_nano": p.start_time_unix_nano,
    }
    if kind in ("sum", "gauge"):
        out["value"] = _finite(p.value)
        if kind == "sum":
            rate = None
            if previous is not None and previous.value is not None and p.value is not None:
                dt = (p.time_unix_nano - previous.time_unix_nano) / 1e9
                if dt > 0:
                    delta = p.value - previous.value if cumulative else p.value
                    rate = delta / dt if delta >= 0 or not cumulative else None
            out["rate"] = _finite(rate)
        return out
    data = dict(p.data or {})
    for key in ("sum", "min", "max"):
        if key in data:
            data[key] = _finite(data[key])
    out.update(data)
    if kind == "histogram":
        bounds, counts = data.get("bounds", []), data.get("bucket_counts", [])
    elif kind == "exponential_histogram":
        bounds, counts = _exponential_buckets(data)
    else:
        return out
    for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
        out[name] = _finite(histogram_quantile(bounds, counts, q, data.get("min"), data.get("max")))
    return out


# ------------------------------------------------------------------ endpoints


def _services(store: Store, params: Params) -> Answer:
    return 200, {"services": store.services()}


def _traces(store: Store, params: Params) -> Answer:
    min_d = params.millis_as_nanos("min_duration_ms")
    max_d = params.millis_as_nanos("max_duration_ms")
    query = TraceQuery(
        service=params.text("service"),
        span_name=params.text("span_name"),
        attributes=params.attributes(),
        min_duration_nano=min_d,
        max_duration_nano=max_d,
        since_unix_nano=params.millis_as_nanos("since"),
        until_unix_nano=params.millis_as_nanos("until"),
        errors=params.boolean("errors"),
        limit=params.integer("limit", 1, MAX_LIMIT) or 20,
    )
    return 200, {"traces": store.find_traces(query)}


def trace_answer(store: Store, trace_id_text: str) -> Answer:
    trace_id = parse_id(trace_id_text.lower(), 16, "trace id")
    as_json = getattr(store, "trace_json", None)
    if as_json is not None:  # the SQLite store splices its stored JSON: no shaping here
        text = as_json(trace_id)
        if text is None:
            return 404, {"error": f"trace {trace_id.hex()} not found"}
        return 200, RawJSON(text)
    spans = store.get_trace(trace_id)
    if not spans:
        return 404, {"error": f"trace {trace_id.hex()} not found"}
    return 200, {"trace_id": trace_id.hex(), "spans": [span_json(s) for s in spans]}


def _logs(store: Store, params: Params) -> Answer:
    query = LogQuery(
        service=params.text("service"),
        trace_id=params.hex_id("trace_id", 16),
        span_id=params.hex_id("span_id", 8),
        severity_min=params.integer("severity_min", 0, 24),
        text=params.text("q"),
        since_unix_nano=params.millis_as_nanos("since"),
        until_unix_nano=params.millis_as_nanos("until"),
        limit=params.integer("limit", 1, MAX_LIMIT) or 100,
    )
    return 200, {"logs": [log_json(r) for r in store.find_logs(query)]}


def _metrics(store: Store, params: Params) -> Answer:
    return 200, {
        "metrics": [
            {
                "name": m.name,
                "type": m.type,
                "unit": m.unit,
                "description": m.description,
                "services": m.services,
                "is_monotonic": m.is_monotonic,
                "temporality": TEMPORALITY[m.temporality] if 0 <= m.temporality < 3 else None,
            }
            for m in store.metrics()
        ]
    }


def metric_answer(store: Store, name: str, params: Params) -> Answer:
    found = store.metric_series(
        name,
        params.text("service"),
        params.millis_as_nanos("since"),
        params.millis_as_nanos("until"),
        params.attributes(),
    )
    if found is None:
        return 404, {"error": f"metric {name!r} not found"}
    info, series = found
    cumulative = info.temporality == 2
    out = []
    for s in series:
        points = []
        previous = None
        for p in s.points:
            points.append(point_json(info.type, p, previous, cumulative))
            previous = p
        out.append({"service": s.service, "attributes": s.attributes, "points": points})
    return 200, {
        "name": info.name,
        "type": info.type,
        "unit": info.unit,
        "description": info.description,
        "series": out,
    }


def _dependencies(store: Store, params: Params) -> Answer:
    edges = store.dependencies(params.millis_as_nanos("since"), params.millis_as_nanos("until"))
    return 200, {
        "edges": [
            {
                "parent": e.parent,
                "child": e.child,
                "call_count": e.call_count,
                "error_count": e.error_count,
            }
            for e in edges
        ]
    }


_GET: dict[str, Callable[[Store, Params], Answer]] = {
    "/api/services": _services,
    "/api/traces": _traces,
    "/api/logs": _logs,
    "/api/metrics": _metrics,
    "/api/dependencies": _dependencies,
}


def handle_get(store: Store, path: str, query_string: str) -> Answer:
    """Answer a ``GET /api/...``: ``(status, JSON object)``."""
    try:
        params = Params(query_string)
        endpoint = _GET.get(path.rstrip("/"))
        if endpoint is not None:
            return endpoint(store, params)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[:2] == ["api", "traces"]:
            return trace_answer(store, parts[2])
        if len(parts) == 3 and parts[:2] == ["api", "metrics"]:
            return metric_answer(store, unquote(parts[2]), params)
        return 404, {"error": f"no API endpoint at {path}"}
    except BadRequest as exc:
        return 400, {"error": str(exc)}
