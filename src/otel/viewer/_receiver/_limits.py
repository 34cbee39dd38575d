"""Per-item limits every receiver applies before storing: an item with too many attributes, a
too long attribute value or a number the store cannot hold (a time or count beyond a signed
64-bit integer: after the year 2262) is rejected (reported through partial success), never
stored."""

from __future__ import annotations

from typing import Any

from otel.exporter.otlp._proto._decode_request import Decoded

MAX_ATTRIBUTES = 1024
MAX_VALUE_LENGTH = 256 * 1024
#: SQLite's INTEGER is a signed 64-bit integer; OTLP times are unsigned (fixed64)
INT64_MAX = (1 << 63) - 1
#: the integer fields each kind of item stores in a column, by the item's class name
_COLUMNS = {
    "Span": ("start_time_unix_nano", "end_time_unix_nano", "kind", "status_code", "flags"),
    "LogRecord": ("time_unix_nano", "observed_time_unix_nano", "severity_number", "flags"),
    "MetricPoint": ("start_time_unix_nano", "time_unix_nano", "flags"),
}


def out_of_range(item: Any) -> str | None:
    """Which integer column of ``item`` a signed 64-bit integer cannot hold, or None."""
    for name in _COLUMNS.get(type(item).__name__, ()):
        value = getattr(item, name)
        if not -INT64_MAX - 1 <= value <= INT64_MAX:
            return f"{name} {value} is beyond a signed 64-bit integer"
    value = getattr(item, "value", None)  # a metric point's number (OTLP/JSON: any size)
    if type(value) is int and not -INT64_MAX - 1 <= value <= INT64_MAX:
        return f"value {value} is beyond a signed 64-bit integer"
    return None


def _too_big(attributes: dict[str, Any]) -> str | None:
    if len(attributes) > MAX_ATTRIBUTES:
        return f"more than {MAX_ATTRIBUTES} attributes"
    for value in attributes.values():
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            break
    else:
        return None
    key = next(k for k, v in attributes.items() if isinstance(v, str) and len(v) > MAX_VALUE_LENGTH)
    return f"attribute {key!r:.64} longer than {MAX_VALUE_LENGTH} characters"


def item_problem(item: Any, resources: dict[int, str | None] | None = None) -> str | None:
    """Why ``item`` (a span, log record or metric) breaks the limits, or None. ``resources``
    remembers the verdict per resource object (a request's items share a few)."""
    resource = item.resource
    if resources is None:
        problem = _too_big(resource.attributes)
    elif id(resource) in resources:
        problem = resources[id(resource)]
    else:
        problem = resources[id(resource)] = _too_big(resource.attributes)
    if problem is None and hasattr(item, "attributes"):
        problem = _too_big(item.attributes)
    if problem is None:
        problem = out_of_range(item)
    if problem is None and hasattr(item, "points"):
        for point in item.points:
            problem = _too_big(point.attributes) or out_of_range(point)
            if problem:
                break
    if problem is None and hasattr(item, "events"):
        for event in item.events:
            problem = _too_big(event.attributes)
            if problem:
                break
    body = getattr(item, "body", None)
    if problem is None and isinstance(body, str) and len(body) > MAX_VALUE_LENGTH:
        problem = f"log body longer than {MAX_VALUE_LENGTH} characters"
    return problem


def apply_limits(decoded: Decoded) -> Decoded:
    kept = []
    rejected = decoded.rejected
    message = decoded.error_message
    resources: dict[int, str | None] = {}  # the items hold their resources: ids stay unique
    for item in decoded.items:
        problem = item_problem(item, resources)
        if problem is None:
            kept.append(item)
        else:
            rejected += 1
            message = message or problem
    return Decoded(kept, rejected, message)
