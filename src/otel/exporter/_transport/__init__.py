"""The transport seam every otel exporter is built on (codec + transport + timeout).

``Transport`` sends one ``Request`` and returns a ``Response`` or raises ``TransportError``,
by a deadline: ``HttpTransport`` (http.client, kept-alive, TLS, fork-safe), ``UdpTransport``
(one datagram per request) and ``RecordingTransport``, the in-memory double that every
exporter accepts as ``_transport=`` in tests. ``ExportCore`` adds the retry loop, the export
deadline, shutdown and logging; ``ExportOutcome`` says how an export ended.
"""

from otel.exporter._transport._core import (
    ExportCore,
    HttpSender,
    Sender,
    check_http_url,
    encode_keeping_good,
)
from otel.exporter._transport._http import HttpTransport, compress, make_ssl_context
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
