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

Pure (no I/O); thread-safe. ``ZipkinSpan`` is the intermediate both wire encoders read.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from typing import Any

from otel.trace import SpanKind, StatusCode

_KINDS = {
    SpanKind.CLIENT: "CLIENT",
    SpanKind.SERVER: "SERVER",
    SpanKind.PRODUCER: "PRODUCER",
    SpanKind.CONSUMER: "CONSUMER",
}
_KINDS_BY_NAME = {kind.name: name for kind, name in _KINDS.items()}
_OK, _ERROR = StatusCode.OK, StatusCode.ERROR
_dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
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


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


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


def span(sdk_span: Any, local: Endpoint, max_length: int | None = None) -> ZipkinSpan:
    """The Zipkin span of one finished SDK span; ``local`` is its resource's endpoint."""
    context = sdk_span.context
    parent = sdk_span.parent
    kind = _KINDS.get(sdk_span.kind)
    if kind is None:  # another SpanKind enum with the same names
        kind = _KINDS_BY_NAME.get(getattr(sdk_span.kind, "name", ""))
    attributes = sdk_span.attributes
    if not attributes:
        tags = {}
    elif max_length is None:
        tags = {k: v if type(v) is str else tag_value(v) for k, v in attributes.items()}
    else:
        tags = {k: tag_value(v, max_length) for k, v in attributes.items()}
    status = sdk_span.status
    code = status.status_code
    if code is not _ERROR and code is not _OK:
        code = {"ERROR": _ERROR, "OK": _OK}.get(getattr(code, "name", ""))
    if code is _ERROR:
        tags["otel.status_code"] = "ERROR"
        tags["error"] = str(status.description or "")
    else:
        if "error" in tags:
            del tags["error"]  # only an ERROR status may mark the span as failed
        if code is _OK:
            tags["otel.status_code"] = "OK"
    scope = sdk_span.instrumentation_scope
    if scope is not None:
        tags["otel.scope.name"] = scope.name
        if scope.version:
            tags["otel.scope.version"] = scope.version
    if sdk_span.dropped_attributes:
        tags["otel.dropped_attributes_count"] = str(sdk_span.dropped_attributes)
    if sdk_span.dropped_events:
        tags["otel.dropped_events_count"] = str(sdk_span.dropped_events)
    if sdk_span.dropped_links:
        tags["otel.dropped_links_count"] = str(sdk_span.dropped_links)
    annotations = []
    for event in sdk_span.events:
        event_attributes = event.attributes
        if event_attributes:
            value = f"{_dumps(event.name)}: {_dumps(dict(event_attributes))}"
        else:
            value = event.name
        annotations.append((event.timestamp // 1000, value))
    start = sdk_span.start_time or 0
    end = sdk_span.end_time or start
    remote = remote_endpoint(attributes) if kind in ("CLIENT", "PRODUCER") and attributes else None
    shared = (
        kind == "SERVER"
        and parent is not None
        and parent.is_remote
        and parent.span_id == context.span_id
    )
    return ZipkinSpan(
        context.trace_id,
        context.span_id,
        parent.span_id if parent is not None and not shared else None,
        sdk_span.name,
        kind,
        start // 1000,
        max(1, (end - start) // 1000),
        local,
        remote,
        annotations,
        tags,
        shared,
    )
