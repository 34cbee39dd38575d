"""The transport seam every otel exporter is built on (codec + transport + timeout).

``Transport`` sends one ``Request`` and returns a ``Response`` or raises ``TransportError``,
by a deadline: ``HttpTransport`` (http.client, kept-alive, TLS, fork-safe), ``UdpTransport``
(one datagram per request) and ``RecordingTransport``, the in-memory double that every
exporter accepts as ``_transport=`` in tests. ``ExportCore`` adds the retry loop, the export
deadline, shutdown and logging; ``ExportOutcome`` says how an export ended.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otel.exporter._transport._core import (
        ExportCore,
        HttpSender,
        Sender,
        check_http_url,
        compress,
        encode_keeping_good,
    )
    from otel.exporter._transport._http import HttpTransport, make_ssl_context
    from otel.exporter._transport._recording import RecordingTransport, Sent
    from otel.exporter._transport._types import (
        Attempt,
        ExportOutcome,
        Request,
        Response,
        Transport,
        TransportError,
    )
    from otel.exporter._transport._udp import MAX_UDP_PAYLOAD, UdpTransport

__all__ = [
    "MAX_UDP_PAYLOAD",
    "Attempt",
    "ExportCore",
    "ExportOutcome",
    "HttpSender",
    "HttpTransport",
    "RecordingTransport",
    "Request",
    "Response",
    "Sender",
    "Sent",
    "Transport",
    "TransportError",
    "UdpTransport",
    "check_http_url",
    "compress",
    "encode_keeping_good",
    "make_ssl_context",
]

# Loaded on first use, so that a UDP-only exporter does not import http.client and ssl.
_WHERE = {
    "ExportCore": "_core",
    "HttpSender": "_core",
    "Sender": "_core",
    "check_http_url": "_core",
    "encode_keeping_good": "_core",
    "compress": "_core",
    "HttpTransport": "_http",
    "make_ssl_context": "_http",
    "RecordingTransport": "_recording",
    "Sent": "_recording",
    "Attempt": "_types",
    "ExportOutcome": "_types",
    "Request": "_types",
    "Response": "_types",
    "Transport": "_types",
    "TransportError": "_types",
    "MAX_UDP_PAYLOAD": "_udp",
    "UdpTransport": "_udp",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
