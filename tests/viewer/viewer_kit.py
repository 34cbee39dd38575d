"""Viewer test kit: peer checks and an HTTP client for the viewer's ports."""

from __future__ import annotations

import gzip
import http.client
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from otel.viewer import Viewer


def require(module: str) -> Any:
    """Import a test peer; a missing one skips the test, or fails it under CI=true."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"test peer {module} is not installed (scripts/setup.sh)", pytrace=False)
        pytest.skip(f"test peer {module} is not installed", allow_module_level=True)


def now_ns() -> int:
    return time.time_ns()


class Client:
    """Small HTTP client for the viewer's two ports."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def request(
        self,
        port_name: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.viewer.ports[port_name], timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def post_otlp(
        self,
        signal: str,
        body: bytes,
        content_type: str = "application/x-protobuf",
        gzipped: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": content_type}
        if gzipped:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return self.request("otlp_http", "POST", f"/v1/{signal}", body, headers)

    def api(self, path: str) -> tuple[int, Any]:
        status, _, body = self.request("ui", "GET", path)
        return status, json.loads(body)

    def ok(self, path: str) -> Any:
        status, obj = self.api(path)
        assert status == 200, obj
        return obj


def start_cli(*args: str, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "otel", "view", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def read_until(proc: subprocess.Popen[str], marker: str, timeout: float = 30) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} not printed; got {lines}")
