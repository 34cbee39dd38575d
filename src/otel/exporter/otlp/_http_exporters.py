"""OTLP/HTTP exporters (protobuf by default, JSON with ``protocol="http/json"``).

Each exporter is composed of the OTLP codec, an ``HttpSender`` on a ``Transport`` (the
shared ``HttpTransport`` unless a test passes ``_transport=``, e.g. a
``RecordingTransport``) and an ``ExportCore`` holding the timeout and the retry loop.
The span exporter is here; the log and metric exporters live in ``_http_log_exporter``
and ``_http_metric_exporter`` (re-exported lazily), so that importing the span exporter
never loads the logs or metrics SDK.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from otel._lazy import lazy_exports
from otel.exporter._transport import ExportCore, Transport
from otel.exporter.otlp import _config
from otel.exporter.otlp._http import CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF, otlp_http_sender
from otel.exporter.otlp._signals import SpanExporterBase

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]  # noqa: F822

_logger = logging.getLogger("otel.exporter.otlp")


def http_core(
    signal: str,
    endpoint: str | None,
    certificate_file: str | None,
    client_key_file: str | None,
    client_certificate_file: str | None,
    headers: Mapping[str, str] | str | None,
    timeout: float | None,
    compression: Any,
    session: object,
    protocol: str | None,
    transport: Transport | None,
) -> tuple[ExportCore, bool]:
    """``(core, is_json)`` for one signal; every argument not given comes from the env."""
    if session is not None:
        _logger.warning("OTLP/HTTP exporters use http.client; the session argument is ignored")
    json = _config.protocol(signal, protocol) == _config.PROTOCOL_HTTP_JSON
    sender = otlp_http_sender(
        signal,
        _config.http_endpoint(signal, endpoint),
        headers=_config.headers(signal, headers),
        content_type=CONTENT_TYPE_JSON if json else CONTENT_TYPE_PROTOBUF,
        compression=_config.compression(signal, compression),
        certificate_file=_config.file_option(signal, "CERTIFICATE", certificate_file),
        client_key_file=_config.file_option(signal, "CLIENT_KEY", client_key_file),
        client_certificate_file=_config.file_option(
            signal, "CLIENT_CERTIFICATE", client_certificate_file
        ),
        transport=transport,
    )
    core = ExportCore(
        _config.ITEMS[signal], sender, _config.timeout_seconds(signal, timeout), logger=_logger
    )
    return core, json


_HTTP_OPTIONS = (
    "endpoint",
    "certificate_file",
    "client_key_file",
    "client_certificate_file",
    "headers",
    "timeout",
    "compression",
    "session",
    "protocol",
    "_transport",
)


def compose_http(exporter: Any, signal: str, arguments: Mapping[str, Any]) -> None:
    """Build ``exporter`` (a span, log or metric exporter base) for ``signal`` from its
    constructor's arguments (its ``locals()``)."""
    core = http_core(signal, *(arguments[name] for name in _HTTP_OPTIONS))
    exporter._compose(
        *core, signal=signal, transport="http", meter_provider=arguments["meter_provider"]
    )


class OTLPSpanExporter(SpanExporterBase):
    """Spans over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    def __init__(
        self,
        endpoint: str | None = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        headers: Mapping[str, str] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        session: object = None,
        *,
        protocol: str | None = None,
        _transport: Transport | None = None,
        meter_provider: Any = None,
    ) -> None:
        compose_http(self, _config.TRACES, locals())


__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "OTLPLogExporter": "otel.exporter.otlp._http_log_exporter",
        "OTLPMetricExporter": "otel.exporter.otlp._http_metric_exporter",
    },
)
