"""Decoded OTLP telemetry: what the request decoders (protobuf, OTLP/JSON) produce.

Plain ``__slots__`` records, not the SDK's objects: a receiver holds telemetry that some other
process made, so nothing here runs SDK logic. Ids are ``bytes`` (16 for a trace, 8 for a span,
``b""`` when absent); times are unix nanoseconds; attribute values are JSON natives (``bytes``
values become base64 text). Enum fields keep their OTLP wire numbers.
"""

from __future__ import annotations

from typing import Any

Attributes = dict[str, Any]


class Resource:
    __slots__ = ("attributes", "dropped_attributes_count", "schema_url")

    def __init__(
        self, attributes: Attributes, dropped_attributes_count: int = 0, schema_url: str = ""
    ) -> None:
        self.attributes = attributes
        self.dropped_attributes_count = dropped_attributes_count
        self.schema_url = schema_url

    @property
    def service(self) -> str:
        name = self.attributes.get("service.name")
        return name if isinstance(name, str) and name else "unknown_service"


class Scope:
    __slots__ = ("attributes", "dropped_attributes_count", "name", "schema_url", "version")

    def __init__(
        self,
        name: str = "",
        version: str = "",
        attributes: Attributes | None = None,
        dropped_attributes_count: int = 0,
        schema_url: str = "",
    ) -> None:
        self.name = name
        self.version = version
        self.attributes: Attributes = attributes if attributes is not None else {}
        self.dropped_attributes_count = dropped_attributes_count
        self.schema_url = schema_url


class Event:
    __slots__ = ("attributes", "dropped_attributes_count", "name", "time_unix_nano")

    def __init__(
        self, time_unix_nano: int, name: str, attributes: Attributes, dropped: int = 0
    ) -> None:
        self.time_unix_nano = time_unix_nano
        self.name = name
        self.attributes = attributes
        self.dropped_attributes_count = dropped


class Link:
    __slots__ = (
        "attributes",
        "dropped_attributes_count",
        "flags",
        "span_id",
        "trace_id",
        "trace_state",
    )

    def __init__(
        self,
        trace_id: bytes,
        span_id: bytes,
        trace_state: str = "",
        attributes: Attributes | None = None,
        dropped: int = 0,
        flags: int = 0,
    ) -> None:
        self.trace_id = trace_id
        self.span_id = span_id
        self.trace_state = trace_state
        self.attributes: Attributes = attributes if attributes is not None else {}
        self.dropped_attributes_count = dropped
        self.flags = flags


class Span:
    """One span. ``kind`` is the OTLP number (0 unspecified, 1 internal ... 5 consumer);
    ``status_code`` 0 unset, 1 ok, 2 error."""

    __slots__ = (
        "attributes",
        "dropped_attributes_count",
        "dropped_events_count",
        "dropped_links_count",
        "end_time_unix_nano",
        "events",
        "flags",
        "kind",
        "links",
        "name",
        "parent_span_id",
        "resource",
        "scope",
        "span_id",
        "start_time_unix_nano",
        "status_code",
        "status_message",
        "trace_id",
        "trace_state",
    )

    def __init__(self, resource: Resource, scope: Scope) -> None:
        self.trace_id = b""
        self.span_id = b""
        self.parent_span_id = b""
        self.trace_state = ""
        self.flags = 0
        self.name = ""
        self.kind = 0
        self.start_time_unix_nano = 0
        self.end_time_unix_nano = 0
        self.attributes: Attributes = {}
        self.dropped_attributes_count = 0
        self.events: list[Event] = []
        self.dropped_events_count = 0
        self.links: list[Link] = []
        self.dropped_links_count = 0
        self.status_code = 0
        self.status_message = ""
        self.resource = resource
        self.scope = scope


class LogRecord:
    __slots__ = (
        "attributes",
        "body",
        "dropped_attributes_count",
        "event_name",
        "flags",
        "observed_time_unix_nano",
        "resource",
        "scope",
        "severity_number",
        "severity_text",
        "span_id",
        "time_unix_nano",
        "trace_id",
    )

    def __init__(self, resource: Resource, scope: Scope) -> None:
        self.time_unix_nano = 0
        self.observed_time_unix_nano = 0
        self.severity_number = 0
        self.severity_text = ""
        self.body: Any = None
        self.attributes: Attributes = {}
        self.dropped_attributes_count = 0
        self.flags = 0
        self.trace_id = b""
        self.span_id = b""
        self.event_name = ""
        self.resource = resource
        self.scope = scope


#: Metric.type values
GAUGE = "gauge"
SUM = "sum"
HISTOGRAM = "histogram"
EXPONENTIAL_HISTOGRAM = "exponential_histogram"
SUMMARY = "summary"


class MetricPoint:
    """One data point. ``value`` is set for gauge/sum points; ``data`` holds the rest of the
    point for the other types (``count``, ``sum``, ``min``, ``max``, ``bounds``,
    ``bucket_counts``; ``scale``, ``zero_count``, ``positive``/``negative`` as
    ``[offset, counts]``; ``quantiles`` as ``[[q, v], ...]``)."""

    __slots__ = ("attributes", "data", "flags", "start_time_unix_nano", "time_unix_nano", "value")

    def __init__(self) -> None:
        self.attributes: Attributes = {}
        self.start_time_unix_nano = 0
        self.time_unix_nano = 0
        self.value: float | int | None = None
        self.data: dict[str, Any] | None = None
        self.flags = 0


class Metric:
    """One metric with its points. ``temporality``: 0 unspecified, 1 delta, 2 cumulative."""

    __slots__ = (
        "description",
        "is_monotonic",
        "name",
        "points",
        "resource",
        "scope",
        "temporality",
        "type",
        "unit",
    )

    def __init__(self, resource: Resource, scope: Scope) -> None:
        self.name = ""
        self.description = ""
        self.unit = ""
        self.type = ""
        self.is_monotonic = False
        self.temporality = 0
        self.points: list[MetricPoint] = []
        self.resource = resource
        self.scope = scope
