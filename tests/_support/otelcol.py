"""Start the real OpenTelemetry Collector (built by scripts/build-peers.sh) for a test.

``peer_binary(name)`` finds a binary built by scripts/build-peers.sh (building it when
missing); under ``CI=true`` a missing binary fails the test, elsewhere it skips.
``running_collector(config, ...)`` writes the YAML config, starts the process on 127.0.0.1,
waits (bounded) until every listed TCP port accepts connections, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _support.peers import ROOT, peer_missing

BUILD_SCRIPT = ROOT / "scripts" / "build-peers.sh"
BIN_DIR = ROOT / "tests" / "peers" / ".bin"


def peer_binary(name: str) -> Path:
    """The path of a peer built by scripts/build-peers.sh (built now if missing)."""
    path = BIN_DIR / name
    if not path.exists() and BUILD_SCRIPT.exists():
        subprocess.run(["bash", str(BUILD_SCRIPT)], capture_output=True, timeout=1800)
    if not path.exists():
        peer_missing(f"the {name} test peer is not built ({path}; see scripts/build-peers.sh)")
    return path


def _udp_bound(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True  # somebody (the peer) holds it
    return False


def wait_for_udp_port(port: int, timeout_s: float = 30.0) -> None:
    """Wait (bounded) until a process binds UDP ``port`` on 127.0.0.1."""
    deadline = time.monotonic() + timeout_s
    while not _udp_bound(port):
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing bound UDP port {port} within {timeout_s} s")
        time.sleep(0.05)


def wait_for_ports(ports: list[int], process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    pending = list(ports)
    while pending:
        if process.poll() is not None:
            raise AssertionError(f"peer exited early with code {process.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"peer did not open ports {pending} within {timeout_s} s")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", pending[0])) == 0:
                pending.pop(0)
                continue
        time.sleep(0.05)


@contextlib.contextmanager
def running_peer(
    argv: list[str], tcp_ports: list[int], log_path: Path, *, startup_timeout_s: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``argv`` until the block ends; its output goes to ``log_path`` (shown on failure)."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_ports(tcp_ports, process, startup_timeout_s)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{log_path.read_text(errors='replace')[-4000:]}") from None
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextlib.contextmanager
def running_collector(
    config: dict[str, Any], tcp_ports: list[int], tmp_path: Path, *, binary: str = "otelcol"
) -> Iterator[subprocess.Popen[bytes]]:
    """A Collector build (``otelcol``, or ``jaeger``, itself a Collector distribution) with
    ``config`` (JSON is valid YAML), ready on ``tcp_ports``."""
    path = peer_binary(binary)
    config_path = tmp_path / f"{binary}.yaml"
    config_path.write_text(json.dumps(config, indent=2))
    argv = [str(path), "--config", str(config_path)]
    with running_peer(argv, tcp_ports, tmp_path / f"{binary}.log") as process:
        yield process


def otlphttp_exporter(endpoint: str) -> dict[str, Any]:
    """The Collector's OTLP/HTTP exporter to ``endpoint``: protobuf, no compression or retry."""
    return {
        "endpoint": endpoint,
        "encoding": "proto",
        "compression": "none",
        "retry_on_failure": {"enabled": False},
    }


def forwarding_config(
    receivers: dict[str, Any],
    forward_to: str,
    signals: tuple[str, ...] = ("traces",),
    *,
    exporters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A config whose pipelines take ``receivers`` and forward over OTLP/HTTP protobuf to
    ``forward_to`` (or through ``exporters``, when given)."""
    exporters = exporters or {"otlphttp": otlphttp_exporter(forward_to)}
    return {
        "receivers": receivers,
        "processors": {"batch": {"timeout": "50ms"}},
        "exporters": exporters,
        "service": {
            "telemetry": {"metrics": {"level": "none"}, "logs": {"level": "warn"}},
            "pipelines": {
                signal: {
                    "receivers": list(receivers),
                    "processors": ["batch"],
                    "exporters": list(exporters),
                }
                for signal in signals
            },
        },
    }
