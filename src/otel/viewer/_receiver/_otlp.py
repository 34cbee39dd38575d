"""What OTLP/HTTP and OTLP/gRPC receivers share: decoding a request of one signal and
storing it, and the answers (partial success, google.rpc.Status) in both encodings."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from otel.exporter.otlp import _json_decode
from otel.exporter.otlp._proto import _decode_request
from otel.exporter.otlp._proto._decode_request import Decoded
from otel.exporter.otlp._proto._wire import DecodeError, string_field, varint
from otel.viewer._receiver._limits import apply_limits
from otel.viewer._receiver._otlp_rows import decode_trace_rows
from otel.viewer._store._interface import Store
from otel.viewer._store._rows import PreparedSpans


@dataclass(frozen=True)
class Signal:
    name: str  # "traces", "metrics", "logs"
    decode_proto: Callable[[bytes], Decoded]
    decode_json: Callable[[Any], Decoded]
    rejected_field: str  # partialSuccess key in OTLP/JSON


SIGNALS: dict[str, Signal] = {
    "traces": Signal(
        "traces",
        decode_trace_rows,
        _json_decode.decode_trace_request,
        "rejectedSpans",
    ),
    "metrics": Signal(
        "metrics",
        _decode_request.decode_metrics_request,
        _json_decode.decode_metrics_request,
        "rejectedDataPoints",
    ),
    "logs": Signal(
        "logs",
        _decode_request.decode_logs_request,
        _json_decode.decode_logs_request,
        "rejectedLogRecords",
    ),
}


def decode(signal: Signal, body: bytes, is_json: bool) -> Decoded:
    """Decode a request body; raises ``DecodeError`` with the reason."""
    if is_json:
        if not body.strip():
            return Decoded([], 0, "")
        return signal.decode_json(_json_decode.loads(body))
    return signal.decode_proto(body)


def store_decoded(store: Store, signal: Signal, decoded: Decoded) -> Decoded:
    """Apply the item limits and commit; returns what was rejected. Raises the store's
    ``StoreBusy``/``StoreError``. (Protobuf spans come as ``PreparedSpans``, limits applied.)"""
    if isinstance(decoded.items, PreparedSpans):
        store.ingest(spans=decoded.items)
        return decoded
    items, rejected, message = apply_limits(decoded)
    if signal.name == "traces":
        store.ingest(spans=items)
    elif signal.name == "metrics":
        store.ingest(metrics=items)
    else:
        store.ingest(logs=items)
    return Decoded(items, rejected, message)


def proto_response(decoded: Decoded) -> bytes:
    """``Export*ServiceResponse`` with ``partial_success`` when something was rejected."""
    if not decoded.rejected and not decoded.error_message:
        return b""
    inner = b"\x08" + varint(decoded.rejected)
    if decoded.error_message:
        inner += string_field(b"\x12", decoded.error_message)
    return b"\x0a" + varint(len(inner)) + inner


def json_response(signal: Signal, decoded: Decoded) -> bytes:
    if not decoded.rejected and not decoded.error_message:
        return b"{}"
    partial = {signal.rejected_field: str(decoded.rejected), "errorMessage": decoded.error_message}
    return json.dumps({"partialSuccess": partial}).encode()


GRPC_INVALID_ARGUMENT = 3
GRPC_RESOURCE_EXHAUSTED = 8
GRPC_UNAVAILABLE = 14


def status_proto(code: int, message: str) -> bytes:
    """A ``google.rpc.Status`` message."""
    return b"\x08" + varint(code) + string_field(b"\x12", message)


def status_json(code: int, message: str) -> bytes:
    return json.dumps({"code": code, "message": message}).encode()


__all__ = ["SIGNALS", "DecodeError", "Signal", "decode", "store_decoded"]
