"""SDK spans to Zipkin v2 spans, per the OpenTelemetry specification's Zipkin mapping.

- ids as lowercase hex (trace 32, span 16 characters), ``parentId`` only when there is one;
- ``kind`` CLIENT/SERVER/PRODUCER/CONSUMER (absent for INTERNAL);
- ``timestamp``/``duration`` in whole microseconds (``duration`` at least 1, as Zipkin wants);
- ``localEndpoint.serviceName`` from the resource's ``service.name`` (plus the exporter's
  ``local_node_*``); ``remoteEndpoint`` for CLIENT and PRODUCER spans from the first of the
  specification's ranked peer attributes (``peer.service``, ``server.address``, ...), an IP
  literal going to ``ipv4``/``ipv6`` with the paired port;
- ``tags``: attributes as strings (``true``/``false``, arrays as JSON lists),
  ``otel.status_code`` (OK/ERROR), ``error`` (the description, ``""`` without one) only for
  ERROR (an ``error`` attribute is dropped otherwise), ``otel.scope.name``/``.version``,
  ``otel.dropped_*_count`` when non-zero, and the other resource attributes are not repeated;
- ``annotations`` from events: the name, or ``"name": {attributes as JSON}``;
- ``shared`` when a SERVER span contributes to a span another tracer started, that is when
  it carries the same span id as its remote parent (B3 "joined" spans); OpenTelemetry SDKs
  give every span its own id, so otel's own spans are never shared.

Pure (no I/O); thread-safe. ``ZipkinSpan`` is the intermediate the protobuf encoder reads;
the JSON encoder (``_json``) writes the same mapping straight from SDK spans and calls back
here for its rare cases.
"""

from __future__ import annotations

import ipaddress
import json
import json.encoder
from collections.abc import Mapping
from typing import Any

from otel.sdk.trace import ReadableSpan, Span
from otel.trace import SpanKind, StatusCode


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


_KINDS = {
    SpanKind.CLIENT: "CLIENT",
    SpanKind.SERVER: "SERVER",
    SpanKind.PRODUCER: "PRODUCER",
    SpanKind.CONSUMER: "CONSUMER",
}
_KINDS_BY_NAME = {kind.name: name for kind, name in _KINDS.items()}
# keyed by id(): an Enum's __hash__ is Python code, id() is not
_KINDS_BY_ID = {id(kind): name for kind, name in _KINDS.items()}
_INTERNAL_ID = id(SpanKind.INTERNAL)
_OK, _ERROR, _UNSET = StatusCode.OK, StatusCode.ERROR, StatusCode.UNSET
_dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
_quote = json.encoder.encode_basestring  # C: a str as a JSON string literal
_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_dict = (
    _c_encoder(None, _json_default, _quote, None, ": ", ", ", False, False, True)
    if _c_encoder is not None
    else None
)


def dict_json(attributes: Any) -> str:
    """``attributes`` as a JSON object (the C encoder called directly when there is one)."""
    if _encode_dict is not None:
        return "".join(_encode_dict(dict(attributes), 0))
    return _dumps(dict(attributes))


# (attribute, paired port attribute) in the specification's rank order
_REMOTE_RANKING = (
    ("peer.service", None),
    ("server.address", "server.port"),
    ("net.peer.name", "net.peer.port"),
    ("network.peer.address", "network.peer.port"),
    ("server.socket.domain", None),
    ("server.socket.address", "server.socket.port"),
    ("net.sock.peer.name", None),
    ("net.sock.peer.addr", "net.sock.peer.port"),
    ("peer.hostname", None),
    ("peer.address", None),
    ("db.name", None),
)


class _Settings:
    """``SpanSettings``' two fields, for ``PublicSpan``."""

    __slots__ = ("instrumentation_scope", "resource")

    def __init__(self, resource: Any, instrumentation_scope: Any) -> None:
        self.resource = resource
        self.instrumentation_scope = instrumentation_scope


class PublicSpan:
    """Another SDK's span (or a test double) read through its public properties into the
    layout of otel's ``ReadableSpan._export_fields``, which the encoders read."""

    __slots__ = ("_span",)

    def __init__(self, span: Any) -> None:
        self._span = span

    def _export_fields(self) -> tuple[Any, ...]:
        s = self._span
        context = s.context
        parent = s.parent
        return (
            _Settings(s.resource, s.instrumentation_scope),
            (context.trace_id, context.span_id, context.is_remote, context.trace_flags),
            None if parent is None else (parent.trace_id, parent.span_id, parent.is_remote),
            s.name,
            s.kind,
            s.start_time,
            s.end_time,
            s.attributes,
            s.events,
            s.status,
            s.dropped_attributes,
            s.dropped_events,
            s.dropped_links,
        )


# otel's own spans, read through ``_export_fields``; exactly these types: a subclass may
# override the properties
SDK_SPANS = frozenset({ReadableSpan, Span})


class Endpoint:
    """Zipkin ``Endpoint``: any field may be None (absent)."""

    __slots__ = ("ipv4", "ipv6", "port", "service_name")

    def __init__(
        self,
        service_name: str | None = None,
        ipv4: str | None = None,
        ipv6: str | None = None,
        port: int | None = None,
    ) -> None:
        self.service_name = service_name
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.port = port


class ZipkinSpan:
    """One Zipkin v2 span, ready for either wire encoding."""

    __slots__ = (
        "annotations",
        "duration",
        "id",
        "kind",
        "local_endpoint",
        "name",
        "parent_id",
        "remote_endpoint",
        "shared",
        "tags",
        "timestamp",
        "trace_id",
    )

    def __init__(
        self,
        trace_id: int,
        id: int,
        parent_id: int | None,
        name: str,
        kind: str | None,
        timestamp: int,
        duration: int,
        local_endpoint: Endpoint,
        remote_endpoint: Endpoint | None,
        annotations: list[tuple[int, str]],
        tags: dict[str, str],
        shared: bool,
    ) -> None:
        self.trace_id = trace_id
        self.id = id
        self.parent_id = parent_id
        self.name = name
        self.kind = kind
        self.timestamp = timestamp
        self.duration = duration
        self.local_endpoint = local_endpoint
        self.remote_endpoint = remote_endpoint
        self.annotations = annotations
        self.tags = tags
        self.shared = shared


def tag_value(value: Any, max_length: int | None = None) -> str:
    """An attribute value as a Zipkin tag string."""
    t = type(value)
    text: str
    if t is str:
        text = value
    elif t is bool:
        text = "true" if value else "false"
    elif t is int or t is float:
        text = repr(value)
    elif isinstance(value, (list, tuple)):
        text = json.dumps(list(value), default=_json_default, ensure_ascii=False)
    elif isinstance(value, bytes):
        text = value.decode("utf-8", "replace")
    else:
        text = str(value)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length]
    return text


def _ip(text: str) -> tuple[str | None, str | None]:
    """``(ipv4, ipv6)`` when ``text`` is an IP literal, else ``(None, None)``."""
    if not text or not (text[0].isdigit() or ":" in text):
        return None, None
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None, None
    if address.version == 4:
        return str(address), None
    mapped = getattr(address, "ipv4_mapped", None)
    return (str(mapped), None) if mapped is not None else (None, str(address))


def remote_endpoint(attributes: Mapping[str, Any]) -> Endpoint | None:
    """The remote endpoint from the best-ranked peer attribute, or None."""
    for name, port_name in _REMOTE_RANKING:
        value = attributes.get(name)
        if value is None or value == "":
            continue
        text = str(value)
        ipv4, ipv6 = _ip(text)
        endpoint = Endpoint(None if (ipv4 or ipv6) else text, ipv4, ipv6)
        port = attributes.get(port_name) if port_name else None
        if type(port) is int and 0 < port < 65536:
            endpoint.port = port
        return endpoint
    return None


def local_endpoint(
    resource: Any,
    ipv4: str | None = None,
    ipv6: str | None = None,
    port: int | None = None,
) -> Endpoint:
    attributes = getattr(resource, "attributes", None) or {}
    service = attributes.get("service.name")
    return Endpoint(str(service) if service else "unknown_service", ipv4, ipv6, port)


def kind_of(sdk_kind: Any) -> str | None:
    """CLIENT, SERVER, PRODUCER, CONSUMER, or None for INTERNAL."""
    kind = _KINDS_BY_ID.get(id(sdk_kind))
    if kind is None and id(sdk_kind) != _INTERNAL_ID:  # another SpanKind enum, same names
        kind = _KINDS_BY_NAME.get(getattr(sdk_kind, "name", ""))
    return kind


_SCOPE_TAGS: dict[int, tuple[Any, list[tuple[str, str]]]] = {}


def scope_tags(scope: Any) -> list[tuple[str, str]]:
    cached = _SCOPE_TAGS.get(id(scope))
    if cached is None or cached[0] is not scope:
        pairs = [("otel.scope.name", str(scope.name))]
        if scope.version:
            pairs.append(("otel.scope.version", str(scope.version)))
        if len(_SCOPE_TAGS) > 256:
            _SCOPE_TAGS.clear()
        cached = _SCOPE_TAGS[id(scope)] = (scope, pairs)
    return cached[1]


def extra_tags(sdk_span: Any) -> list[tuple[str, str]]:
    """The tags that do not come from attributes: status, scope, dropped counts."""
    status = sdk_span.status
    code = status.status_code
    if code is not _UNSET and code is not _ERROR and code is not _OK:  # another enum
        code = {"ERROR": _ERROR, "OK": _OK}.get(getattr(code, "name", ""))
    scope = sdk_span.instrumentation_scope
    extra = scope_tags(scope) if scope is not None else []
    if code is _ERROR:
        extra = [("otel.status_code", "ERROR"), ("error", str(status.description or "")), *extra]
    elif code is _OK:
        extra = [("otel.status_code", "OK"), *extra]
    if sdk_span.dropped_attributes or sdk_span.dropped_events or sdk_span.dropped_links:
        extra = list(extra)
        for key, count in (
            ("otel.dropped_attributes_count", sdk_span.dropped_attributes),
            ("otel.dropped_events_count", sdk_span.dropped_events),
            ("otel.dropped_links_count", sdk_span.dropped_links),
        ):
            if count:
                extra.append((key, str(count)))
    return extra


def tags_of(
    attributes: Mapping[str, Any], extra: list[tuple[str, str]], max_length: int | None
) -> dict[str, str]:
    """All tags: attributes as strings (an ``error`` attribute dropped), then ``extra``."""
    if not attributes:
        tags: dict[str, str] = {}
    elif max_length is None:
        tags = {k: v if type(v) is str else tag_value(v) for k, v in attributes.items()}
    else:
        tags = {k: tag_value(v, max_length) for k, v in attributes.items()}
    if "error" in tags:
        del tags["error"]  # only an ERROR status marks the span as failed (added by extra)
    tags.update(extra)
    return tags


def annotations_of(events: Any) -> list[tuple[int, str]]:
    """Events as (µs timestamp, value): the name, or ``"name": {attributes as JSON}``."""
    annotations = []
    for event in events:
        name, timestamp, attributes = event.name, event.timestamp, event.attributes
        value = f"{_quote(str(name))}: {dict_json(attributes)}" if attributes else name
        annotations.append((timestamp // 1000, value))
    return annotations


def is_shared(kind: str | None, parent: Any, context: Any) -> bool:
    """A SERVER span that carries its remote parent's span id (B3 joined spans); ``parent``
    and ``context`` indexed in ``SpanContext``'s layout."""
    return kind == "SERVER" and parent is not None and parent[2] and parent[1] == context[1]


def span(sdk_span: Any, local: Endpoint, max_length: int | None = None) -> ZipkinSpan:
    """The Zipkin span of one finished SDK span; ``local`` is its resource's endpoint."""
    s = sdk_span if type(sdk_span) in SDK_SPANS else PublicSpan(sdk_span)
    _, context, parent, name, sdk_kind, start, end, attributes, events = s._export_fields()[:9]
    kind = kind_of(sdk_kind)
    start = start or 0
    end = end or start
    remote = remote_endpoint(attributes) if kind in ("CLIENT", "PRODUCER") and attributes else None
    shared = is_shared(kind, parent, context)
    return ZipkinSpan(
        context[0],
        context[1],
        parent[1] if parent is not None and not shared else None,
        name,
        kind,
        start // 1000,
        max(1, (end - start) // 1000),
        local,
        remote,
        annotations_of(events),
        tags_of(attributes, extra_tags(sdk_span), max_length),
        shared,
    )
