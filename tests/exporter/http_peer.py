"""A real HTTP collector on 127.0.0.1 that records each POST and answers scripted statuses."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple


class Received(NamedTuple):
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        server: Any = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server.received.append(Received(self.path, dict(self.headers), body))
        status = server.statuses.pop(0) if server.statuses else 202
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class Collector:
    def __init__(self, server: Any) -> None:
        self._server = server
        self.received: list[Received] = server.received
        self.statuses: list[int] = server.statuses

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"


@contextlib.contextmanager
def collector() -> Iterator[Collector]:
    server: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.received = []
    server.statuses = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Collector(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
