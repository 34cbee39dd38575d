"""The UI port: the JSON API (``/api/...``), the SSE stream ``/api/live``, the static UI with
its single-page-app fallback, ``POST /api/import`` and ``GET /api/traces/{id}/export``."""

from __future__ import annotations

import json
import mimetypes
import os
import time
from pathlib import Path

from otel.exporter.otlp._proto._wire import DecodeError
from otel.viewer import _query
from otel.viewer._http import Handler, HttpError, Server
from otel.viewer._live import PING_SECONDS, LiveHub
from otel.viewer._store._interface import Store, StoreError
from otel.viewer._transfer import export_otlp_json, import_otlp_json

STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"
    ),
    "X-Content-Type-Options": "nosniff",
}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}


class WebHandler(Handler):
    def _store(self) -> Store:
        store: Store = self.server.context["store"]
        return store

    def send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        super().send(status, body, content_type, {**SECURITY_HEADERS, **(headers or {})})

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            if path == "/api/live":
                self._live()
                return
            if path.startswith("/api/traces/") and path.endswith("/export"):
                trace_hex = path[len("/api/traces/") : -len("/export")]
                try:
                    trace_id = _query.parse_id(trace_hex.lower(), 16, "trace id")
                except _query.BadRequest as exc:
                    self.send_json(400, {"error": str(exc)})
                    return
                spans = self._store().get_trace(trace_id)
                if not spans:
                    self.send_json(404, {"error": f"trace {trace_hex} not found"})
                    return
                self.send_json(
                    200,
                    export_otlp_json(spans),
                    {"Content-Disposition": f'attachment; filename="trace-{trace_hex}.json"'},
                )
                return
            if path == "/api" or path.startswith("/api/"):
                status, obj = _query.handle_get(self._store(), path, query)
                self.send_json(status, obj)
                return
            self._static(path)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def do_POST(self) -> None:
        path = self.path.partition("?")[0]
        if path != "/api/import":
            self.discard_body()
            self.send_json(404, {"error": f"no POST endpoint at {path}"})
            return
        try:
            body = self.read_body()
            counts = import_otlp_json(self._store(), body)
        except HttpError as err:
            self.send_json(err.status, {"error": err.reason}, err.headers)
            return
        except DecodeError as exc:
            self.send_json(400, {"error": f"not OTLP/JSON: {exc}"})
            return
        except StoreError as exc:
            self.send_json(503, {"error": str(exc)}, {"Retry-After": "2"})
            return
        self.send_json(200, counts)

    def _static(self, path: str) -> None:
        root = STATIC_DIR.resolve()
        relative = path.lstrip("/") or "index.html"
        target = (root / relative).resolve()
        if not (target.is_file() and (target == root or root in target.parents)):
            target = root / "index.html"  # single-page app: the UI routes the rest
        try:
            data = target.read_bytes()
        except OSError:
            self.send(404, b"UI not found", "text/plain")
            return
        content_type = _TYPES.get(target.suffix) or (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        cache = "no-cache" if target.name == "index.html" else "max-age=300"
        self.send(200, data, content_type, {"Cache-Control": cache})

    def _live(self) -> None:
        hub: LiveHub = self.server.context["hub"]
        version = hub.current()  # before the client can see it is connected: no change missed
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        self.wfile.write(b": connected\n\n")
        self.wfile.flush()
        last_ping = time.monotonic()
        while not hub.closed:
            version, summaries = hub.wait_events(version, 1.0)
            out = b""
            for summary in summaries:
                out += b"event: trace\ndata: " + json.dumps(summary).encode() + b"\n\n"
            if time.monotonic() - last_ping >= PING_SECONDS:
                out += b": ping\n\n"
                last_ping = time.monotonic()
            if out:
                self.wfile.write(out)
                self.wfile.flush()


def web_server(host: str, port: int, store: Store, hub: LiveHub) -> Server:
    """Bind the UI/API port (raises ``OSError`` when taken)."""
    return Server((host, port), WebHandler, store=store, hub=hub)


def has_ui() -> bool:
    return os.path.isfile(STATIC_DIR / "index.html")
