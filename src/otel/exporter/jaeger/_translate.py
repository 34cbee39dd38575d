"""SDK spans to the Jaeger model, per the OpenTelemetry specification's Jaeger mapping.

- ids: the 128-bit trace id split into ``traceIdHigh``/``traceIdLow``, signed 64-bit;
  ``parentSpanId`` from the parent, plus a ``CHILD_OF`` reference to it; links become
  ``FOLLOWS_FROM`` references;
- times in microseconds (``startTime``, ``duration``); ``flags`` 1 when sampled;
- tags from attributes, typed (string, bool, long, double, binary; arrays as JSON strings);
  ``span.kind`` (client/server/producer/consumer; none for internal), ``otel.status_code``
  (OK/ERROR), ``otel.status_description`` and ``error=true`` for ERROR, ``otel.scope.name`` /
  ``otel.scope.version``, ``otel.dropped_{attributes,events,links}_count`` when non-zero;
- events become logs (µs timestamp, the ``event`` field holding the name, then the event's
  attributes); the resource becomes the ``Process`` (``service.name`` -> ``serviceName``,
  the other attributes -> process tags).

Pure functions (no I/O, no shared state); ``max_tag_value_length`` truncates string and
binary values. An item that cannot be mapped raises; the exporter drops it alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from otel.exporter.jaeger._model import Log, Process, Span, SpanRef, Tag, TagType
from otel.trace import SpanKind, StatusCode

_U63 = 1 << 63
_U64 = 1 << 64
_MASK64 = _U64 - 1

_KIND_TAG = {
    SpanKind.CLIENT: Tag("span.kind", TagType.STRING, "client"),
    SpanKind.SERVER: Tag("span.kind", TagType.STRING, "server"),
    SpanKind.PRODUCER: Tag("span.kind", TagType.STRING, "producer"),
    SpanKind.CONSUMER: Tag("span.kind", TagType.STRING, "consumer"),
}
_KIND_TAG_BY_NAME = {kind.name: tag for kind, tag in _KIND_TAG.items()}
_OK, _ERROR_CODE = StatusCode.OK, StatusCode.ERROR
_STATUS_OK = Tag("otel.status_code", TagType.STRING, "OK")
_STATUS_ERROR = Tag("otel.status_code", TagType.STRING, "ERROR")
_ERROR = Tag("error", TagType.BOOL, None, None, True)
_STRING, _DOUBLE, _BOOL, _LONG, _BINARY = 0, 1, 2, 3, 4


def signed64(value: int) -> int:
    """An unsigned 64-bit id as Thrift's signed ``i64``."""
    value &= _MASK64
    return value - _U64 if value >= _U63 else value


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def tag(key: str, value: Any, max_length: int | None = None) -> Tag:
    """One typed tag; sequences become JSON arrays in a string tag."""
    t = type(value)
    if t is str:
        if max_length is not None and len(value) > max_length:
            value = value[:max_length]
        return Tag(key, _STRING, value)
    if t is bool:
        return Tag(key, _BOOL, None, None, value)
    if t is int:
        return Tag(key, _LONG, None, None, None, value)
    if t is float:
        return Tag(key, _DOUBLE, None, value)
    if t is bytes:
        if max_length is not None and len(value) > max_length:
            value = value[:max_length]
        return Tag(key, _BINARY, None, None, None, None, value)
    if isinstance(value, (list, tuple)):
        text = json.dumps(list(value), default=_json_default, ensure_ascii=False)
    else:
        text = str(value)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
    return Tag(key, _STRING, text)


def tags(attributes: Mapping[str, Any], max_length: int | None = None) -> list[Tag]:
    return [tag(k, v, max_length) for k, v in attributes.items()]


def process(resource: Any) -> Process:
    """The ``Process`` of a resource: ``service.name`` and the other attributes as tags."""
    attributes = dict(getattr(resource, "attributes", None) or {})
    service = attributes.pop("service.name", None)
    return Process(str(service) if service else "unknown_service", tags(attributes))


def span(sdk_span: Any, max_length: int | None = None) -> Span:
    """The Jaeger ``Span`` of one finished SDK span."""
    context = sdk_span.context
    trace_id = context.trace_id
    high = signed64(trace_id >> 64)
    low = signed64(trace_id)
    parent = sdk_span.parent
    parent_id = signed64(parent.span_id) if parent is not None else 0
    refs: list[SpanRef] | None = None
    if parent is not None:
        refs = [SpanRef(0, signed64(parent.trace_id), signed64(parent.trace_id >> 64), parent_id)]
    links = sdk_span.links
    if links:
        if refs is None:
            refs = []
        for link in links:
            c = link.context
            trace = c.trace_id
            refs.append(SpanRef(1, signed64(trace), signed64(trace >> 64), signed64(c.span_id)))
    attributes = sdk_span.attributes
    span_tags = [tag(k, v, max_length) for k, v in attributes.items()] if attributes else []
    kind = sdk_span.kind
    kind_tag = _KIND_TAG.get(kind) or _KIND_TAG_BY_NAME.get(getattr(kind, "name", ""))
    if kind_tag is not None:
        span_tags.append(kind_tag)
    status = sdk_span.status
    code = status.status_code
    if code is not _ERROR_CODE and code is not _OK:  # another StatusCode enum
        code = {"ERROR": _ERROR_CODE, "OK": _OK}.get(getattr(code, "name", ""))
    if code is _ERROR_CODE:
        span_tags.append(_STATUS_ERROR)
        if status.description:
            span_tags.append(Tag("otel.status_description", _STRING, str(status.description)))
        span_tags.append(_ERROR)
    elif code is _OK:
        span_tags.append(_STATUS_OK)
    scope = sdk_span.instrumentation_scope
    if scope is not None:
        span_tags.append(Tag("otel.scope.name", _STRING, scope.name))
        if scope.version:
            span_tags.append(Tag("otel.scope.version", _STRING, scope.version))
    if sdk_span.dropped_attributes:
        span_tags.append(_count_tag("otel.dropped_attributes_count", sdk_span.dropped_attributes))
    if sdk_span.dropped_events:
        span_tags.append(_count_tag("otel.dropped_events_count", sdk_span.dropped_events))
    if sdk_span.dropped_links:
        span_tags.append(_count_tag("otel.dropped_links_count", sdk_span.dropped_links))
    logs: list[Log] | None = None
    events = sdk_span.events
    if events:
        logs = [_log(event, max_length) for event in events]
    start = sdk_span.start_time or 0
    end = sdk_span.end_time or start
    return Span(
        low,
        high,
        signed64(context.span_id),
        parent_id,
        sdk_span.name,
        refs,
        1 if int(context.trace_flags) & 1 else 0,
        start // 1000,
        max(0, end - start) // 1000,
        span_tags,
        logs,
    )


def _count_tag(key: str, count: int) -> Tag:
    return Tag(key, _LONG, None, None, None, count)


def _log(event: Any, max_length: int | None) -> Log:
    attributes = event.attributes
    fields = [Tag("event", _STRING, event.name)]
    if attributes:
        if "event" in attributes:  # the attribute wins over the name
            fields = []
        fields.extend(tag(k, v, max_length) for k, v in attributes.items())
    return Log(event.timestamp // 1000, fields)


def truncated(jaeger_span: Span, max_length: int) -> Span:
    """A copy with every string/binary value cut to ``max_length`` (to fit a datagram)."""

    def cut(items: Sequence[Tag] | None) -> list[Tag] | None:
        if items is None:
            return None
        out = []
        for t in items:
            if t.vStr is not None and len(t.vStr) > max_length:
                t = Tag(t.key, t.vType, t.vStr[:max_length])
            elif t.vBinary is not None and len(t.vBinary) > max_length:
                t = Tag(t.key, t.vType, vBinary=t.vBinary[:max_length])
            out.append(t)
        return out

    copy = Span(*(getattr(jaeger_span, name) for name in _SPAN_FIELDS))
    copy.operationName = copy.operationName[:max_length]
    copy.tags = cut(copy.tags)
    if copy.logs is not None:
        copy.logs = [Log(log.timestamp, cut(log.fields) or []) for log in copy.logs]
    return copy


_SPAN_FIELDS = (
    "traceIdLow",
    "traceIdHigh",
    "spanId",
    "parentSpanId",
    "operationName",
    "references",
    "flags",
    "startTime",
    "duration",
    "tags",
    "logs",
)
