"""OTLP/JSON files in and out: ``POST /api/import`` (what the Collector's file exporter
writes: one export request per line, or one JSON document) and ``GET /api/traces/{id}/export``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from otel.exporter.otlp import _json as otlp_json
from otel.exporter.otlp import _json_decode
from otel.exporter.otlp._proto._model import Span
from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer._store._interface import Store


def import_otlp_json(store: Store, body: bytes) -> dict[str, int]:
    """Store every request in ``body``; raises ``DecodeError`` (nothing stored then)."""
    text = body.decode("utf-8", "replace").strip()
    documents: list[Any] = []
    if text:
        try:
            documents = [json.loads(text)]
        except ValueError:
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    try:
                        documents.append(json.loads(line))
                    except ValueError as exc:
                        raise DecodeError(f"line {number}: invalid JSON: {exc}") from None
    spans: list[Any] = []
    metrics: list[Any] = []
    logs: list[Any] = []
    for doc in documents:
        if not isinstance(doc, dict):
            raise DecodeError("each line must be an OTLP/JSON export request object")
        spans.extend(_json_decode.decode_trace_request(doc).items)
        metrics.extend(_json_decode.decode_metrics_request(doc).items)
        logs.extend(_json_decode.decode_logs_request(doc).items)
    store.ingest(spans=spans, metrics=metrics, logs=logs)
    return {
        "spans": len(spans),
        "metric_points": sum(len(m.points) for m in metrics),
        "logs": len(logs),
    }


def _span(span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {
        "traceId": span.trace_id.hex(),
        "spanId": span.span_id.hex(),
        "name": span.name,
        "kind": span.kind,
        "startTimeUnixNano": str(span.start_time_unix_nano),
        "endTimeUnixNano": str(span.end_time_unix_nano),
        "attributes": otlp_json.attributes(span.attributes),
        "status": {"code": span.status_code},
    }
    if span.parent_span_id:
        out["parentSpanId"] = span.parent_span_id.hex()
    if span.trace_state:
        out["traceState"] = span.trace_state
    if span.flags:
        out["flags"] = span.flags
    if span.status_message:
        out["status"]["message"] = span.status_message
    if span.events:
        out["events"] = [
            {
                "timeUnixNano": str(e.time_unix_nano),
                "name": e.name,
                "attributes": otlp_json.attributes(e.attributes),
            }
            for e in span.events
        ]
    if span.links:
        out["links"] = [
            {
                "traceId": ln.trace_id.hex(),
                "spanId": ln.span_id.hex(),
                "attributes": otlp_json.attributes(ln.attributes),
            }
            for ln in span.links
        ]
    for key, value in (
        ("droppedAttributesCount", span.dropped_attributes_count),
        ("droppedEventsCount", span.dropped_events_count),
        ("droppedLinksCount", span.dropped_links_count),
    ):
        if value:
            out[key] = value
    return out


def export_otlp_json(spans: Sequence[Span]) -> dict[str, Any]:
    """An OTLP/JSON ``ExportTraceServiceRequest`` holding ``spans`` (grouped by resource and
    scope as they were received)."""
    groups: dict[int, tuple[Any, dict[int, tuple[Any, list[dict[str, Any]]]]]] = {}
    for span in spans:
        scopes = groups.setdefault(id(span.resource), (span.resource, {}))[1]
        scopes.setdefault(id(span.scope), (span.scope, []))[1].append(_span(span))
    resource_spans = []
    for resource, scopes in groups.values():
        scope_spans = []
        for scope, items in scopes.values():
            entry: dict[str, Any] = {
                "scope": {"name": scope.name, "version": scope.version},
                "spans": items,
            }
            if scope.attributes:
                entry["scope"]["attributes"] = otlp_json.attributes(scope.attributes)
            if scope.schema_url:
                entry["schemaUrl"] = scope.schema_url
            scope_spans.append(entry)
        group: dict[str, Any] = {
            "resource": {"attributes": otlp_json.attributes(resource.attributes)},
            "scopeSpans": scope_spans,
        }
        if resource.schema_url:
            group["schemaUrl"] = resource.schema_url
        resource_spans.append(group)
    return {"resourceSpans": resource_spans}
