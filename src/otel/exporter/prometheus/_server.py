"""Serving a registry: a stdlib HTTP server on a daemon thread, a WSGI app, an ASGI app.

Every path answers with the metrics (Prometheus scrapes ``/metrics`` by default); the
format follows the ``Accept`` header, the body is gzipped when ``Accept-Encoding`` allows.
A failing scrape answers 500 and logs why; it never raises into the host application.
"""

from __future__ import annotations

import gzip
import socket
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from otel._log import get_logger
from otel.exporter.prometheus._reader import REGISTRY, CollectorRegistry

_logger = get_logger("otel.exporter.prometheus")
_GZIP_LEVEL = 6


def _accepts_gzip(accept_encoding: str | None) -> bool:
    if not accept_encoding:
        return False
    for part in accept_encoding.split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() == "gzip":
            params = params.strip().replace(" ", "")
            return params not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def scrape(
    registry: CollectorRegistry, accept: str | None, accept_encoding: str | None
) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and body of one scrape (never raises)."""
    try:
        body, content_type = registry.render(accept)
    except Exception:
        _logger.exception("Prometheus: the scrape failed")
        return "500 Internal Server Error", [("Content-Type", "text/plain")], b"scrape failed\n"
    headers = [("Content-Type", content_type), ("Vary", "Accept, Accept-Encoding")]
    if _accepts_gzip(accept_encoding):
        body = gzip.compress(body, compresslevel=_GZIP_LEVEL)
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(body))))
    return "200 OK", headers, body


class _Handler(BaseHTTPRequestHandler):
    registry: CollectorRegistry = REGISTRY
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        if self.path.startswith("/favicon.ico"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, headers, body = scrape(
            self.registry, self.headers.get("Accept"), self.headers.get("Accept-Encoding")
        )
        self.send_response(int(status.split()[0]))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged (a scrape every few seconds would flood the logs)."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def start_http_server(
    port: int, addr: str = "0.0.0.0", registry: CollectorRegistry = REGISTRY
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``registry`` on ``addr:port`` from a daemon thread; return server and thread.

    Same call as ``prometheus_client.start_http_server(port, addr)``, which the official
    examples use. Returns at once; ``server.shutdown()`` stops it. Raises ``OSError``
    when the address cannot be bound (port in use): the caller asked for that port.
    """
    infos = socket.getaddrinfo(addr, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family = infos[0][0] if infos else socket.AF_INET

    handler = type("_RegistryHandler", (_Handler,), {"registry": registry})

    class _FamilyServer(_Server):
        address_family = family

    server = _FamilyServer((addr, port), handler)
    thread = threading.Thread(target=server.serve_forever, name="otel-prometheus-http", daemon=True)
    thread.start()
    return server, thread


_WsgiStartResponse = Callable[[str, list[tuple[str, str]]], Any]


def make_wsgi_app(
    registry: CollectorRegistry = REGISTRY,
) -> Callable[[dict[str, Any], _WsgiStartResponse], Iterable[bytes]]:
    """A WSGI application serving ``registry`` (mount it at ``/metrics``)."""

    def prometheus_app(environ: dict[str, Any], start_response: _WsgiStartResponse) -> list[bytes]:
        status, headers, body = scrape(
            registry, environ.get("HTTP_ACCEPT"), environ.get("HTTP_ACCEPT_ENCODING")
        )
        start_response(status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [body]

    return prometheus_app


_Receive = Callable[[], Any]
_Send = Callable[[dict[str, Any]], Any]


def make_asgi_app(
    registry: CollectorRegistry = REGISTRY,
) -> Callable[[dict[str, Any], _Receive, _Send], Any]:
    """An ASGI application serving ``registry``; the scrape runs in a worker thread.

    Collecting and encoding are CPU work: they run in the event loop's default executor
    so the loop keeps serving other requests meanwhile.
    """
    import asyncio

    async def prometheus_app(scope: dict[str, Any], receive: _Receive, send: _Send) -> None:
        if scope.get("type") != "http":
            return
        headers = {
            bytes(k).decode("latin-1").lower(): bytes(v).decode("latin-1")
            for k, v in scope.get("headers") or []
        }
        loop = asyncio.get_running_loop()
        status, out_headers, body = await loop.run_in_executor(
            None, scrape, registry, headers.get("accept"), headers.get("accept-encoding")
        )
        await send(
            {
                "type": "http.response.start",
                "status": int(status.split()[0]),
                "headers": [(k.lower().encode(), v.encode()) for k, v in out_headers],
            }
        )
        send_body = scope.get("method") != "HEAD"
        await send({"type": "http.response.body", "body": body if send_body else b""})

    return prometheus_app
