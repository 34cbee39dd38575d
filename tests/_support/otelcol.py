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
    config: dict[str, Any], tcp_ports: list[int], tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The Collector with ``config`` (JSON is valid YAML), ready on ``tcp_ports``."""
    binary = peer_binary("otelcol")
    config_path = tmp_path / "otelcol.yaml"
    config_path.write_text(json.dumps(config, indent=2))
    argv = [str(binary), "--config", str(config_path)]
    with running_peer(argv, tcp_ports, tmp_path / "otelcol.log") as process:
        yield process


def forwarding_config(
    receivers: dict[str, Any], forward_to: str, signals: tuple[str, ...] = ("traces",)
) -> dict[str, Any]:
    """A config whose pipelines take ``receivers`` and forward over OTLP/HTTP protobuf."""
    return {
        "receivers": receivers,
        "processors": {"batch": {"timeout": "50ms"}},
        "exporters": {
            "otlphttp": {
                "endpoint": forward_to,
                "encoding": "proto",
                "compression": "none",
                "retry_on_failure": {"enabled": False},
            }
        },
        "service": {
            "telemetry": {"metrics": {"level": "none"}, "logs": {"level": "warn"}},
            "pipelines": {
                signal: {
                    "receivers": list(receivers),
                    "processors": ["batch"],
                    "exporters": ["otlphttp"],
                }
                for signal in signals
            },
        },
    }
