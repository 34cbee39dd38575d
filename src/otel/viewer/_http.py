"""HTTP plumbing the viewer's listeners share: a threading server and a request handler base
with bounded body reading (Content-Length or chunked, gzip with a decompressed-size cap).

Every request runs on its own daemon thread; a handler never holds the store's lock while
parsing. Errors raised as ``HttpError`` become one response with a reason; the server keeps
serving.
"""

from __future__ import annotations

import json
import logging
import socket
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_log = logging.getLogger("otel.viewer")

MAX_BODY_BYTES = 16 << 20
MAX_DECOMPRESSED_BYTES = 64 << 20


class RawJSON(str):
    """JSON text an answer carries already encoded (``send_json`` does not encode it again)."""

    __slots__ = ()


class HttpError(Exception):
    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], **context: Any
    ) -> None:
        self.context = context
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # allow_reuse_address lets a second process bind a port in TIME_WAIT, never a live one
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().server_bind()

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("otel view: connection from %s failed", client_address, exc_info=True)


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip ``data``, refusing more than ``limit`` bytes of output (no gzip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise HttpError(413, f"decompressed body larger than {limit} bytes")
        out += inflater.flush()
    except zlib.error as exc:
        raise HttpError(400, f"invalid gzip body: {exc}") from None
    if not inflater.eof:
        raise HttpError(400, "invalid gzip body: truncated")
    if len(out) > limit:
        raise HttpError(413, f"decompressed body larger than {limit} bytes")
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server
    timeout = 60
    max_body_bytes = MAX_BODY_BYTES
    max_decompressed_bytes = MAX_DECOMPRESSED_BYTES

    def log_message(self, format: str, *args: Any) -> None:
        # called for every request (``log_request``): format only when someone listens
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("otel view: %s %s", self.address_string(), format % args)

    def read_body(self) -> bytes:
        """The request body, decompressed; raises ``HttpError`` (413 beyond the limits, 400
        for a broken body, 415 for an unknown Content-Encoding)."""
        limit = self.max_body_bytes
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = self._read_chunked(limit)
        else:
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                raise HttpError(400, "invalid Content-Length") from None
            if length < 0:
                raise HttpError(400, "invalid Content-Length")
            if length > limit:
                self._drain(length)
                raise HttpError(413, f"body larger than {limit} bytes")
            body = self.rfile.read(length)
            if len(body) != length:
                self.close_connection = True
                raise HttpError(400, "body shorter than its Content-Length")
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding == "gzip":
            return gunzip(body, self.max_decompressed_bytes)
        if encoding not in ("", "identity"):
            raise HttpError(415, f"unsupported Content-Encoding {encoding!r}")
        return body

    def _read_chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise HttpError(400, "invalid chunk size") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > limit:
                self.close_connection = True
                raise HttpError(413, f"body larger than {limit} bytes")
            chunk = self.rfile.read(size)
            if len(chunk) != size:
                self.close_connection = True
                raise HttpError(400, "truncated chunk")
            parts.append(chunk)
            self.rfile.readline(16)

    def _drain(self, length: int) -> None:
        """Read and drop an oversized body (up to 4x the limit) so the client sees our answer
        rather than a reset connection; beyond that, close the connection."""
        self.close_connection = True
        if length > 4 * self.max_body_bytes:
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 20))
            if not chunk:
                return
            length -= len(chunk)

    def discard_body(self) -> None:
        """Skip an unread body so the connection can carry the next request."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = 0
        if length > 0:
            self._drain(length)
        elif "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        """Send ``obj`` as JSON (a ``RawJSON`` is JSON text already and is sent as it is)."""
        if isinstance(obj, RawJSON):
            body = obj.encode("utf-8")
        else:
            body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.send(status, body, "application/json", headers)
