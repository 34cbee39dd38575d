"""The OpenTelemetry spec's Jaeger and Zipkin mappings, in reverse: the tags those formats use
for what OTLP has fields for (kind, status, scope) go back into the span's fields."""

from __future__ import annotations

from typing import Any

from otel.exporter.otlp._proto._model import Span

KINDS = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}
_STATUS = {"OK": 1, "ERROR": 2, "UNSET": 0}


def apply_otel_tags(span: Span, tags: dict[str, Any]) -> tuple[str, str]:
    """Move the special tags out of ``tags`` onto ``span`` (kind, status); the rest become
    the span's attributes. Returns the instrumentation scope ``(name, version)`` they named."""
    kind = tags.pop("span.kind", None)
    if isinstance(kind, str) and kind.lower() in KINDS:
        span.kind = KINDS[kind.lower()]
    code = tags.pop("otel.status_code", None)
    message = tags.pop("otel.status_description", None)
    error = tags.pop("error", None)
    if isinstance(code, str) and code.upper() in _STATUS:
        span.status_code = _STATUS[code.upper()]
    elif error is not None and error is not False and str(error).lower() != "false":
        span.status_code = 2
    if isinstance(error, str) and error and error.lower() not in ("true", "false"):
        message = message or error  # Zipkin carries the description in the "error" tag
    if span.status_code == 2 and isinstance(message, str):
        span.status_message = message
    scope_name = tags.pop("otel.scope.name", None) or tags.pop("otel.library.name", None) or ""
    scope_version = (
        tags.pop("otel.scope.version", None) or tags.pop("otel.library.version", None) or ""
    )
    tags.pop("otel.library.name", None)
    tags.pop("otel.library.version", None)
    span.attributes = tags
    return str(scope_name), str(scope_version)
