"""Decoders for what collectors send back: partial success, google.rpc.Status, RetryInfo."""

from __future__ import annotations

from typing import NamedTuple

from otel.exporter.otlp._proto._wire import WIRE_LEN, WIRE_VARINT, as_signed64, iter_fields

_RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo"


class PartialSuccess(NamedTuple):
    rejected: int
    error_message: str


class RpcStatus(NamedTuple):
    code: int
    message: str
    retry_delay: float | None  # seconds, from a google.rpc.RetryInfo detail


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def decode_partial_success(body: bytes) -> PartialSuccess | None:
    """``Export*ServiceResponse.partial_success`` (field 1), or None when absent."""
    for number, wire, value in iter_fields(body):
        if number == 1 and wire == WIRE_LEN and isinstance(value, bytes):
            rejected = 0
            message = ""
            for inner, iwire, ivalue in iter_fields(value):
                if inner == 1 and iwire == WIRE_VARINT and isinstance(ivalue, int):
                    rejected = as_signed64(ivalue)
                elif inner == 2 and iwire == WIRE_LEN:
                    message = _text(ivalue)
            return PartialSuccess(rejected, message)
    return None


def _duration_seconds(body: bytes) -> float:
    seconds = 0
    nanos = 0
    for number, wire, value in iter_fields(body):
        if wire == WIRE_VARINT and isinstance(value, int):
            if number == 1:
                seconds = as_signed64(value)
            elif number == 2:
                nanos = as_signed64(value) & 0xFFFFFFFF
                if nanos >= 1 << 31:
                    nanos -= 1 << 32
    return max(0.0, seconds + nanos / 1e9)


def _retry_delay(any_body: bytes) -> float | None:
    type_url = ""
    payload = b""
    for number, wire, value in iter_fields(any_body):
        if wire != WIRE_LEN or not isinstance(value, bytes):
            continue
        if number == 1:
            type_url = _text(value)
        elif number == 2:
            payload = value
    if type_url != _RETRY_INFO_TYPE:
        return None
    for number, wire, value in iter_fields(payload):
        if number == 1 and wire == WIRE_LEN and isinstance(value, bytes):
            return _duration_seconds(value)
    return 0.0


def decode_status(body: bytes) -> RpcStatus:
    """A ``google.rpc.Status`` (code=1, message=2, details=3 Any)."""
    code = 0
    message = ""
    delay: float | None = None
    for number, wire, value in iter_fields(body):
        if number == 1 and wire == WIRE_VARINT and isinstance(value, int):
            code = as_signed64(value)
        elif number == 2 and wire == WIRE_LEN:
            message = _text(value)
        elif number == 3 and wire == WIRE_LEN and isinstance(value, bytes):
            found = _retry_delay(value)
            if found is not None:
                delay = found
    return RpcStatus(code, message, delay)
