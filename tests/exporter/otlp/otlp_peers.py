"""Real peers for the OTLP exporter tests (used by conftest.py fixtures).

``otlp_receiver``: a stdlib HTTP server on 127.0.0.1 that decodes every body with
opentelemetry-proto (protobuf bodies with ``FromString``, JSON bodies with
``google.protobuf.json_format.Parse``), and answers from a script of responses.
``silent_endpoint``: a listening socket that never answers.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import http.server
import json
import ssl
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

REQUEST_TYPES: dict[str, Any] = {
    "/v1/traces": trace_service_pb2.ExportTraceServiceRequest,
    "/v1/metrics": metrics_service_pb2.ExportMetricsServiceRequest,
    "/v1/logs": logs_service_pb2.ExportLogsServiceRequest,
}
_HEX_ID_KEYS = {"traceId", "spanId", "parentSpanId"}


def hex_ids_to_base64(node: Any) -> Any:
    """OTLP/JSON ids are hex; the protobuf JSON mapping wants base64. Convert for Parse."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _HEX_ID_KEYS and isinstance(value, str):
                out[key] = base64.b64encode(bytes.fromhex(value)).decode()
            else:
                out[key] = hex_ids_to_base64(value)
        return out
    if isinstance(node, list):
        return [hex_ids_to_base64(v) for v in node]
    return node


def decode_body(path: str, content_type: str, body: bytes) -> Any:
    message_type = REQUEST_TYPES[path]
    if content_type == "application/x-protobuf":
        return message_type.FromString(body)
    if content_type == "application/json":
        doc = json.loads(body)
        return json_format.Parse(json.dumps(hex_ids_to_base64(doc)), message_type())
    raise AssertionError(f"unexpected content type {content_type!r}")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes  # as sent on the wire (possibly compressed)
    body: bytes  # decompressed
    message: Any  # the opentelemetry-proto message
    json: Any = None  # parsed JSON document for JSON bodies


@dataclass
class Receiver:
    port: int
    requests: list[Received] = field(default_factory=list)
    # each: (status, headers dict, body bytes); when exhausted, 200 with empty body
    script: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    connections: set[tuple[str, int]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, signal: str = "traces") -> str:
        return f"http://127.0.0.1:{self.port}/v1/{signal}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def respond(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.script.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, body))

    def messages(self) -> list[Any]:
        return [r.message for r in self.requests]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    receiver: Receiver

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        receiver = self.server.receiver  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(raw)
        elif encoding == "deflate":
            body = zlib.decompress(raw)
        else:
            body = raw
        ctype = self.headers.get("Content-Type", "")
        message = decode_body(self.path, ctype, body)
        doc = json.loads(body) if ctype == "application/json" else None
        with receiver.lock:
            receiver.requests.append(
                Received(self.path, dict(self.headers.items()), raw, body, message, doc)
            )
            receiver.connections.add(self.client_address)
            status, headers, reply = receiver.script.pop(0) if receiver.script else (200, {}, b"")
        self.send_response(status)
        headers.setdefault("Content-Type", ctype or "application/x-protobuf")
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


@contextlib.contextmanager
def serving(context: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    """The OTLP/HTTP receiver on a loopback port (behind TLS when ``context`` is given)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver = Receiver(port=server.server_address[1])
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
