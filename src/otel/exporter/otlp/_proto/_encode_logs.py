"""ExportLogsServiceRequest encoder (opentelemetry/proto/logs/v1/logs.proto)."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from otel.exporter.otlp._proto._encode_common import (
    any_value,
    encode_attributes,
    encode_scope,
    encode_string,
    field,
    group_by_resource_scope,
    schema_url_of,
)
from otel.exporter.otlp._proto._encode_trace import resource_bytes
from otel.exporter.otlp._proto._wire import varint

_pack_tag_fixed64 = struct.Struct("<BQ").pack
_pack_tag_fixed32 = struct.Struct("<BI").pack


def unpack_log(item: Any) -> tuple[Any, Any]:
    """``(log_record, instrumentation_scope)`` from a LogData (or a bare record)."""
    record = getattr(item, "log_record", None)
    if record is None:
        return item, getattr(item, "instrumentation_scope", None)
    return record, getattr(item, "instrumentation_scope", None)


def _int_id(value: Any) -> int:
    if not value:
        return 0
    if isinstance(value, int):
        return value
    return int.from_bytes(bytes(value), "big")


def encode_log_record(record: Any) -> bytes:
    parts = []
    ts = getattr(record, "timestamp", None)
    if ts:
        parts.append(_pack_tag_fixed64(0x09, ts))
    severity = getattr(record, "severity_number", None)
    if severity is not None:
        number = int(getattr(severity, "value", severity) or 0)
        if number:
            parts.append(b"\x10" + varint(number))
    text = getattr(record, "severity_text", None)
    if text:
        parts.append(encode_string(b"\x1a", text))
    body = getattr(record, "body", None)
    if body is not None:
        parts.append(field(b"\x2a", any_value(body)))
    parts.append(encode_attributes(b"\x32", getattr(record, "attributes", None)))
    dropped = getattr(record, "dropped_attributes", 0) or 0
    if dropped:
        parts.append(b"\x38" + varint(dropped))
    flags = int(getattr(record, "trace_flags", 0) or 0) & 0xFF
    if flags:
        parts.append(_pack_tag_fixed32(0x45, flags))
    trace_id = _int_id(getattr(record, "trace_id", 0))
    if trace_id:
        parts.append(b"\x4a\x10" + trace_id.to_bytes(16, "big"))
    span_id = _int_id(getattr(record, "span_id", 0))
    if span_id:
        parts.append(b"\x52\x08" + span_id.to_bytes(8, "big"))
    observed = getattr(record, "observed_timestamp", None)
    if observed:
        parts.append(_pack_tag_fixed64(0x59, observed))
    event_name = getattr(record, "event_name", None)
    if event_name:
        parts.append(encode_string(b"\x62", event_name))
    return b"".join(parts)


def group_logs(batch: Sequence[Any]) -> list[tuple[Any, list[tuple[Any, list[Any]]]]]:
    """``[(resource, [(scope, [record, ...]), ...]), ...]`` in first-seen order."""
    return group_by_resource_scope(
        (getattr(record, "resource", None), scope, record)
        for record, scope in map(unpack_log, batch)
    )


def encode_logs(batch: Sequence[Any]) -> bytes:
    """A serialized ``ExportLogsServiceRequest`` for a batch of LogData."""
    out = []
    for resource, scopes in group_logs(batch):
        rbody = [field(b"\x0a", resource_bytes(resource))]
        for scope, records in scopes:
            sbody = [field(b"\x0a", encode_scope(scope))]
            sbody.extend([field(b"\x12", encode_log_record(r)) for r in records])
            url = schema_url_of(scope)
            if url:
                sbody.append(encode_string(b"\x1a", url))
            rbody.append(field(b"\x12", b"".join(sbody)))
        url = schema_url_of(resource)
        if url:
            rbody.append(encode_string(b"\x1a", url))
        out.append(field(b"\x0a", b"".join(rbody)))
    return b"".join(out)
