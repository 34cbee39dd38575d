"""Jaeger agent receiver: Thrift compact ``emitBatch`` datagrams over UDP (port 6831).

The datagram is decoded by the Jaeger exporter's Thrift codec
(``otel.exporter.jaeger._thrift_read.decode_emit_batch``: one codec per wire format, shared
with the exporter); this module maps the Jaeger model to the span model by the OpenTelemetry
spec's Jaeger mapping in reverse. It reads the model only through the attribute names of
``jaeger.thrift`` (``traceIdLow``, ``operationName``, ``vType``...). UDP has no answer: a
datagram that does not decode, or that arrives while the store is behind, is dropped and
counted (``dropped_datagrams``).
"""

from __future__ import annotations

import base64
import importlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import Any

from otel.exporter.otlp._proto._decode_request import Decoded
from otel.exporter.otlp._proto._model import Event, Link, Resource, Scope, Span
from otel.viewer._receiver._limits import apply_limits
from otel.viewer._receiver._tags import apply_otel_tags
from otel.viewer._store._interface import Store, StoreError

_log = logging.getLogger("otel.viewer")
_U64 = 0xFFFFFFFFFFFFFFFF
_FOLLOWS_FROM = 1
MAX_DATAGRAM = 65_535


def load_codec() -> Callable[[bytes], Any]:
    """The Jaeger exporter's ``decode_emit_batch``; ImportError when not in this build."""
    module = importlib.import_module("otel.exporter.jaeger._thrift_read")
    decode: Callable[[bytes], Any] = module.decode_emit_batch
    return decode


def _tag_value(tag: Any) -> Any:
    value = (tag.vStr, tag.vDouble, tag.vBool, tag.vLong, tag.vBinary)[tag.vType]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _tags(tags: Any) -> dict[str, Any]:
    return {str(t.key): _tag_value(t) for t in tags or ()}


def _id128(high: int, low: int) -> bytes:
    return (((high & _U64) << 64) | (low & _U64)).to_bytes(16, "big")


def _id64(value: int) -> bytes:
    return (value & _U64).to_bytes(8, "big")


def map_batch(batch: Any) -> list[Span]:
    """A Jaeger ``Batch`` (process + spans) as spans of the model."""
    process = batch.process
    resource_attributes = _tags(getattr(process, "tags", None))
    resource_attributes["service.name"] = process.serviceName or "unknown_service"
    resource = Resource(resource_attributes)
    scopes: dict[tuple[str, str], Scope] = {}
    out = []
    for js in batch.spans or ():
        span = Span(resource, Scope())
        span.trace_id = _id128(js.traceIdHigh, js.traceIdLow)
        span.span_id = _id64(js.spanId)
        span.parent_span_id = _id64(js.parentSpanId) if js.parentSpanId else b""
        span.name = js.operationName or ""
        span.kind = 1
        span.flags = (js.flags or 0) & 0xFF
        span.start_time_unix_nano = (js.startTime or 0) * 1000
        span.end_time_unix_nano = span.start_time_unix_nano + (js.duration or 0) * 1000
        scope_key = apply_otel_tags(span, _tags(js.tags))
        if scope_key != ("", ""):
            scope = scopes.get(scope_key)
            if scope is None:
                scope = scopes[scope_key] = Scope(*scope_key)
            span.scope = scope
        for log in js.logs or ():
            fields = _tags(log.fields)
            name = fields.pop("event", None)
            span.events.append(Event((log.timestamp or 0) * 1000, str(name or "log"), fields))
        for ref in js.references or ():
            ref_trace = _id128(ref.traceIdHigh, ref.traceIdLow)
            ref_span = _id64(ref.spanId)
            if ref.refType != _FOLLOWS_FROM and ref_trace == span.trace_id:
                if not span.parent_span_id:
                    span.parent_span_id = ref_span
                if span.parent_span_id == ref_span:
                    continue
            span.links.append(Link(ref_trace, ref_span))
        if span.trace_id != bytes(16) and span.span_id != bytes(8):
            out.append(span)
    return out


class JaegerUdpReceiver:
    """A UDP socket and its reading thread; ``stop`` is bounded (the socket wakes up every
    0.2 s)."""

    def __init__(self, host: str, port: int, store: Store) -> None:
        self._decode = load_codec()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError:
            self._sock.close()
            raise
        self._sock.settimeout(0.2)
        self.port = int(self._sock.getsockname()[1])
        self._store = store
        self._stopped = threading.Event()
        self.dropped_datagrams = 0
        self._thread = threading.Thread(target=self._run, name="otel-view-jaeger", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                datagram = self._sock.recv(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                if self._stopped.is_set():
                    return
                continue
            self.handle(datagram)

    def handle(self, datagram: bytes) -> None:
        try:
            spans = map_batch(self._decode(datagram))
        except Exception as exc:
            self.dropped_datagrams += 1
            _log.debug("otel view: Jaeger datagram dropped: %s", exc)
            return
        items = apply_limits(Decoded(spans, 0, "")).items
        try:
            self._store.ingest(spans=items)
        except StoreError:
            self.dropped_datagrams += 1

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(2)
        self._sock.close()
