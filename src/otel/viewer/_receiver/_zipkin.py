"""Zipkin v2 JSON receiver: ``POST /api/v2/spans`` (a JSON array of spans), gzip allowed.

Mapped to the span model by the OpenTelemetry spec's Zipkin mapping in reverse:
``localEndpoint.serviceName`` is the service, microseconds become nanoseconds, 64-bit trace ids
are left-padded, annotations become events, ``remoteEndpoint`` becomes ``peer.service`` /
``net.peer.ip`` / ``net.peer.port``, status and scope come back from their tags. Answers 202
once stored (Zipkin's code), 400 with a reason for a malformed body, 413/415/503 as the OTLP
receiver does.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from otel.exporter.otlp._json_decode import loads
from otel.exporter.otlp._proto._decode_request import Decoded, InvalidItem, collect
from otel.exporter.otlp._proto._model import Event, Resource, Scope, Span
from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._http import Handler, HttpError, Server
from otel.viewer._receiver._limits import apply_limits
from otel.viewer._receiver._tags import apply_otel_tags
from otel.viewer._store._interface import Store, StoreError

_KINDS = {"SERVER": 2, "CLIENT": 3, "PRODUCER": 4, "CONSUMER": 5}


def _hex(value: Any, size: int, what: str, required: bool = True) -> bytes:
    if value is None or value == "":
        if required:
            raise InvalidItem(f"{what} is missing")
        return b""
    if not isinstance(value, str) or len(value) > size * 2 or len(value) % 16:
        raise InvalidItem(f"{what} must be 16 or {size * 2} hex digits")
    try:
        data = bytes.fromhex(value.rjust(size * 2, "0"))
    except ValueError:
        raise InvalidItem(f"{what} is not hex") from None
    if data == bytes(size):
        if required:
            raise InvalidItem(f"{what} is all zeros")
        return b""
    return data


def _micros(value: Any, what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidItem(f"{what} must be a number of microseconds")
    return int(value) * 1000


def _event(annotation: Any) -> Event:
    if not isinstance(annotation, dict):
        raise InvalidItem("an annotation must be an object")
    value = str(annotation.get("value", ""))
    attributes: dict[str, Any] = {}
    name = value
    # events with attributes: {"name": {...}} or, as the spec words it, "name": {...}
    text = value if value.startswith("{") else "{" + value + "}" if value.startswith('"') else ""
    if text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and len(parsed) == 1:
            ((name, attrs),) = parsed.items()
            attributes = attrs if isinstance(attrs, dict) else {}
    return Event(_micros(annotation.get("timestamp"), "annotation timestamp"), name, attributes)


class ZipkinDecoder:
    """Zipkin v2 JSON -> spans; resources are shared per service name within a request."""

    def __init__(self) -> None:
        self._resources: dict[str, Resource] = {}
        self._scopes: dict[tuple[str, str], Scope] = {}

    def span(self, obj: Any) -> Span:
        if not isinstance(obj, dict):
            raise InvalidItem("a span must be a JSON object")
        local = obj.get("localEndpoint") or {}
        service = local.get("serviceName") if isinstance(local, dict) else None
        service = service if isinstance(service, str) and service else "unknown_service"
        resource = self._resources.get(service)
        if resource is None:
            resource = self._resources[service] = Resource({"service.name": service})
        span = Span(resource, Scope())
        span.trace_id = _hex(obj.get("traceId"), 16, "traceId")
        span.span_id = _hex(obj.get("id"), 8, "id")
        span.parent_span_id = _hex(obj.get("parentId"), 8, "parentId", required=False)
        span.name = str(obj.get("name") or "")
        span.kind = _KINDS.get(str(obj.get("kind", "")).upper(), 1)
        span.start_time_unix_nano = _micros(obj.get("timestamp"), "timestamp")
        span.end_time_unix_nano = span.start_time_unix_nano + _micros(
            obj.get("duration"), "duration"
        )
        span.flags = 1 if obj.get("debug") else 0
        tags = obj.get("tags") or {}
        if not isinstance(tags, dict):
            raise InvalidItem("tags must be an object")
        tags = {str(k): v for k, v in tags.items()}
        remote = obj.get("remoteEndpoint")
        if isinstance(remote, dict):
            for field, key in (
                ("serviceName", "peer.service"),
                ("ipv4", "net.peer.ip"),
                ("ipv6", "net.peer.ip"),
                ("port", "net.peer.port"),
            ):
                if remote.get(field) not in (None, ""):
                    tags.setdefault(key, remote[field])
        scope = apply_otel_tags(span, tags)
        if scope != ("", ""):
            found = self._scopes.get(scope)
            if found is None:
                found = self._scopes[scope] = Scope(*scope)
            span.scope = found
        annotations = obj.get("annotations") or []
        if not isinstance(annotations, list):
            raise InvalidItem("annotations must be an array")
        span.events = [_event(a) for a in annotations]
        return span

    def request(self, body: bytes) -> Decoded:
        spans = loads(body) if body.strip() else []
        if not isinstance(spans, list):
            raise DecodeError("a Zipkin v2 body is a JSON array of spans")
        return collect([partial(self.span, obj) for obj in spans])


class ZipkinHandler(Handler):
    def do_OPTIONS(self) -> None:
        headers = {
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": self.headers.get(
                "Access-Control-Request-Headers", "Content-Type, Content-Encoding"
            ),
        }
        self.send(204, b"", "text/plain", headers)

    def do_POST(self) -> None:
        store: Store = self.server.context["store"]
        path = self.path.split("?", 1)[0].rstrip("/")
        try:
            if path != "/api/v2/spans":
                self.discard_body()
                raise HttpError(404, f"no Zipkin endpoint at {path} (use /api/v2/spans)")
            content_type = self.headers.get("Content-Type", "application/json").split(";")[0]
            if content_type.strip().lower() not in ("application/json", ""):
                self.discard_body()
                raise HttpError(415, f"unsupported Content-Type {content_type!r} (JSON v2 only)")
            body = self.read_body()
            try:
                decoded = ZipkinDecoder().request(body)
            except (DecodeError, RecursionError) as exc:
                raise HttpError(400, f"malformed Zipkin spans: {exc}") from None
            items, rejected, message = apply_limits(decoded)
            if rejected and not items:
                raise HttpError(400, f"no usable span: {message}")
            try:
                store.ingest(spans=items)
            except StoreError as exc:
                raise HttpError(503, str(exc), {"Retry-After": "2"}) from None
        except HttpError as err:
            self.send(err.status, err.reason.encode(), "text/plain; charset=utf-8", err.headers)
            return
        self.send(202, b"", "text/plain", {"Access-Control-Allow-Origin": "*"})


def zipkin_server(host: str, port: int, store: Store) -> Server:
    return Server((host, port), ZipkinHandler, store=store)
