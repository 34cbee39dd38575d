"""``start_viewer``: the store, the receivers and the UI/API server wired together.

Each listener runs on its own daemon thread. Port ``0`` disables a listener; a port that is
taken is reported (``Viewer.problems``, one line each) and the other listeners still start.
``Viewer.stop`` stops accepting, lets the store commit what it acknowledged, and is bounded
by its timeout.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from otel.viewer._live import LiveHub
from otel.viewer._receiver._otlp_http import otlp_http_server
from otel.viewer._store._interface import Retention, Store
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._sqlite import SQLiteStore
from otel.viewer._store._sqlite_process import SQLiteProcessStore
from otel.viewer._web import web_server


class _Listener(Protocol):
    def shutdown(self) -> None: ...
    def server_close(self) -> None: ...


def default_db_path() -> str:
    """``$XDG_DATA_HOME/otel/view.sqlite3`` (``~/.local/share/otel/view.sqlite3``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return os.path.join(base, "otel", "view.sqlite3")


def open_store(db: str, retention: Retention | None = None, writer_process: bool = True) -> Store:
    """``MemoryStore`` for ``":memory:"``, else the SQLite store at path ``db``: its writer
    in a child process (``SQLiteProcessStore``, the default) or on a thread of this one."""
    if db == ":memory:":
        return MemoryStore(retention)
    if writer_process:
        return SQLiteProcessStore(db, retention)
    return SQLiteStore(db, retention)


class Viewer:
    """A running viewer. Thread-safe ``stop``; usable as a context manager."""

    def __init__(self, host: str, store: Store) -> None:
        self.host = host
        self.store = store
        self.ports: dict[str, int] = {}
        self.problems: list[str] = []
        self._stoppers: list[Callable[[], None]] = []
        self._threads: list[threading.Thread] = []
        self._stopped = False
        self._lock = threading.Lock()
        self.hub = LiveHub(store)

    @property
    def ui_url(self) -> str | None:
        port = self.ports.get("ui")
        if port is None:
            return None
        host = self.host if ":" not in self.host else f"[{self.host}]"
        if host in ("0.0.0.0", "[::]"):
            host = "localhost"
        return f"http://{host}:{port}/"

    def serve(self, name: str, server: Any, port: int) -> None:
        """Run an HTTP ``server`` on a daemon thread; stopped by ``stop``."""
        self.ports[name] = port
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"otel-view-{name}",
            daemon=True,
        )
        thread.start()
        self._threads.append(thread)

        def stop() -> None:
            server.shutdown()
            server.server_close()

        self._stoppers.append(stop)

    def add_stopper(self, name: str, port: int, stop: Callable[[], None]) -> None:
        self.ports[name] = port
        self._stoppers.append(stop)

    def stop(self, timeout_millis: float = 10_000) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        deadline = time.monotonic() + timeout_millis / 1000
        self.hub.close()
        for stop in self._stoppers:
            try:
                stop()
            except Exception:
                pass
        self.store.close(max(0.0, deadline - time.monotonic()) * 1000)

    def __enter__(self) -> Viewer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _try_bind(viewer: Viewer, name: str, port: int, what: str, make: Callable[[int], Any]) -> Any:
    if not port:
        return None
    try:
        return make(port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        viewer.problems.append(f"{what} not started: port {port} on {viewer.host}: {reason}")
        return None


def start_viewer(
    *,
    host: str = "127.0.0.1",
    ui_port: int = 16686,
    otlp_http_port: int = 4318,
    otlp_grpc_port: int = 4317,
    jaeger_udp_port: int = 6831,
    zipkin_port: int = 9411,
    db: str = ":memory:",
    retention: Retention | None = None,
    store: Store | None = None,
) -> Viewer:
    """Open the store and start every enabled listener; returns at once with them serving.

    ``db`` is a SQLite file path or ``":memory:"``; ``store`` (a ready ``Store``) overrides it.
    """
    viewer = Viewer(host, store if store is not None else open_store(db, retention))
    hub = viewer.hub
    server = _try_bind(
        viewer, "ui", ui_port, "UI", lambda p: web_server(host, p, viewer.store, hub)
    )
    if server is not None:
        viewer.serve("ui", server, server.server_address[1])
    server = _try_bind(
        viewer,
        "otlp_http",
        otlp_http_port,
        "OTLP/HTTP receiver",
        lambda p: otlp_http_server(host, p, viewer.store),
    )
    if server is not None:
        viewer.serve("otlp_http", server, server.server_address[1])
    _start_optional(viewer, host, otlp_grpc_port, jaeger_udp_port, zipkin_port)
    return viewer


def _start_optional(
    viewer: Viewer, host: str, grpc_port: int, jaeger_port: int, zipkin_port: int
) -> None:
    """The receivers beyond OTLP/HTTP, each only when its module is available."""
    try:
        from otel.viewer._receiver import _extra
    except ImportError:
        return
    _extra.start(viewer, host, grpc_port, jaeger_port, zipkin_port, _try_bind)
