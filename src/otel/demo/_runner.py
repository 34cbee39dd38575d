"""The demo as an object: ``Demo(options).start()`` starts the viewer, the two services and
the traffic; ``stop()`` undoes everything (bounded; safe to call twice).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from typing import Any

from otel.demo._apps import create_database, make_payments, make_shop
from otel.demo._instrument import http_client
from otel.demo._telemetry import ServiceTelemetry
from otel.demo._traffic import TrafficStats, drive


@dataclass
class DemoOptions:
    host: str = "127.0.0.1"
    ui_port: int = 16686
    otlp_http_port: int = 4318
    otlp_grpc_port: int = 0
    jaeger_udp_port: int = 0
    zipkin_port: int = 0
    db: str = ":memory:"
    shop_port: int = 0
    payments_port: int = 0
    requests: int = 300
    duration_s: float = 60.0


class DemoError(Exception):
    """The demo could not start (a port taken, Flask or requests missing)."""


class _Server:
    """A werkzeug server for one app on its own thread, without request logging."""

    def __init__(self, host: str, port: int, app: Any) -> None:
        from werkzeug.serving import WSGIRequestHandler, make_server

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        self.server = make_server(host, port, app, threaded=True, request_handler=Quiet)
        self.port = int(self.server.server_port)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


class Demo:
    """Viewer + shop + payments + traffic. Not thread-safe: start and stop from one thread."""

    def __init__(self, options: DemoOptions) -> None:
        self.options = options
        self.viewer: Any = None
        self.stats = TrafficStats()
        self.instrumentation = ""
        self._stop = threading.Event()
        self._servers: list[_Server] = []
        self._telemetry: list[ServiceTelemetry] = []
        self._undo: list[Any] = []
        self._tmp = ""
        self._traffic: threading.Thread | None = None
        self.shop_url = ""
        self.payments_url = ""

    @property
    def ui_url(self) -> str:
        return str(self.viewer.ui_url) if self.viewer is not None else ""

    def start(self) -> Demo:
        """Start everything; raises DemoError (after cleaning up) when something cannot."""
        try:
            import flask  # noqa: F401
            import requests  # noqa: F401
        except ImportError as exc:
            raise DemoError(
                f"otel demo needs Flask and requests ({exc.name} is missing): "
                "pip install flask requests  (make setup installs them)"
            ) from None
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        from otel.viewer._app import start_viewer

        o = self.options
        self.viewer = start_viewer(
            host=o.host,
            ui_port=o.ui_port,
            otlp_http_port=o.otlp_http_port,
            otlp_grpc_port=o.otlp_grpc_port,
            jaeger_udp_port=o.jaeger_udp_port,
            zipkin_port=o.zipkin_port,
            db=o.db,
        )
        missing = [name for name in ("ui", "otlp_http") if name not in self.viewer.ports]
        if missing:
            problems = "; ".join(getattr(self.viewer, "problems", [])) or ", ".join(missing)
            raise DemoError(
                f"the viewer could not start: {problems} (is `otel view` or another demo "
                "running? pick free ports with --ui-port and --otlp-http-port)"
            )
        endpoint = f"http://{o.host}:{self.viewer.ports['otlp_http']}"
        shop_tel = ServiceTelemetry("shop", endpoint)
        payments_tel = ServiceTelemetry("payments", endpoint)
        self._telemetry = [shop_tel, payments_tel]
        self._tmp = tempfile.mkdtemp(prefix="otel-demo-")
        db_path = os.path.join(self._tmp, "shop.sqlite3")
        create_database(db_path)
        payments = _Server(o.host, o.payments_port, make_payments(payments_tel))
        self._servers.append(payments)
        self.payments_url = f"http://{o.host}:{payments.port}"
        post_json, undo = http_client(shop_tel)
        self._undo.append(undo)
        shop = _Server(
            o.host, o.shop_port, make_shop(shop_tel, db_path, post_json, f"{self.payments_url}/pay")
        )
        self._servers.append(shop)
        self.shop_url = f"http://{o.host}:{shop.port}"
        self._traffic = threading.Thread(
            target=drive,
            args=(self.shop_url, o.requests, o.duration_s, self._stop, self.stats),
            name="otel-demo-traffic",
            daemon=True,
        )
        self._traffic.start()

    def traffic_done(self, timeout_s: float | None = None) -> bool:
        """Wait (up to ``timeout_s``) for the traffic to finish; True when it has."""
        if self._traffic is None:
            return True
        self._traffic.join(timeout_s)
        return not self._traffic.is_alive()

    def stop(self, timeout_millis: float = 10_000) -> None:
        """Stop traffic, services (flushing their telemetry) and the viewer, in that order."""
        self._stop.set()
        if self._traffic is not None:
            self._traffic.join(5)
        for server in reversed(self._servers):
            server.stop()
        self._servers.clear()
        for undo in self._undo:
            undo()
        self._undo.clear()
        for tel in self._telemetry:
            tel.shutdown(timeout_millis / 4)
        self._telemetry.clear()
        if self.viewer is not None:
            self.viewer.stop(timeout_millis=timeout_millis / 2)
            self.viewer = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = ""
