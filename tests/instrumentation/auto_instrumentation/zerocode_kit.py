"""Helpers of the zero-code tests: run programs under ``otel run``, read what the OTLP
receiver (``tests/exporter/otlp/otlp_peers.py``, decoding with opentelemetry-proto) got."""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

_peers = str(Path(__file__).parents[2] / "exporter" / "otlp")
if _peers not in sys.path:
    sys.path.insert(0, _peers)

from otlp_peers import Receiver, _Handler  # noqa: E402

APPS = Path(__file__).parent / "apps"
BIN = Path(sys.executable).parent


def serve_receiver() -> tuple[Receiver, Callable[[], None]]:
    """An OTLP/HTTP receiver on a loopback port and the function that stops it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    found = Receiver(port=server.server_address[1])
    server.receiver = found  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()

    def stop_serving() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return found, stop_serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def otel_env(receiver: Receiver, **extra: str) -> dict[str, str]:
    """The environment for a program under ``otel run`` exporting to ``receiver`` quickly."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OTEL_")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{receiver.port}",
        OTEL_BSP_SCHEDULE_DELAY="100",
        OTEL_BLRP_SCHEDULE_DELAY="100",
        OTEL_METRIC_EXPORT_INTERVAL="300",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def spans_of(receiver: Receiver) -> list[tuple[dict[str, Any], Any]]:
    """Every received span with its resource attributes, as (resource, span)."""
    found = []
    for message in receiver.messages():
        for resource_spans in getattr(message, "resource_spans", ()):
            resource = {kv.key: _value(kv.value) for kv in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    found.append((resource, span))
    return found


def metric_names(receiver: Receiver) -> set[str]:
    names = set()
    for message in receiver.messages():
        for resource_metrics in getattr(message, "resource_metrics", ()):
            for scope_metrics in resource_metrics.scope_metrics:
                names.update(metric.name for metric in scope_metrics.metrics)
    return names


def log_records(receiver: Receiver) -> list[Any]:
    found = []
    for message in receiver.messages():
        for resource_logs in getattr(message, "resource_logs", ()):
            for scope_logs in resource_logs.scope_logs:
                found.extend(scope_logs.log_records)
    return found


def attributes(item: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in item.attributes}


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def wait_for(predicate: Callable[[], object], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def get(port: int, path: str = "/", timeout: float = 5.0) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return str(response.read().decode())


def wait_listening(port: int, process: subprocess.Popen[Any], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"server exited with {process.returncode}: {out}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port} after {timeout}s")


def stop(process: subprocess.Popen[Any], timeout: float = 15.0) -> str:
    """SIGTERM, bounded wait (then SIGKILL); the combined output."""
    if process.poll() is None:
        process.terminate()
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)  # its own session: workers too
        out, _ = process.communicate(timeout=5)
    return str(out or "")


def popen(args: list[str], env: dict[str, str], cwd: Path = APPS) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
