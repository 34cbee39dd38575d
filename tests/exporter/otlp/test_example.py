"""examples/otcollector_example.py, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from otlp_peers import Receiver

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "otcollector_example.py"


def run_example(endpoint: str, timeout_ms: int = 2000) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PYTEST", "COV_"))}
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    env["OTEL_EXPORTER_OTLP_TIMEOUT"] = str(timeout_ms)
    return subprocess.run(
        [sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=60
    )


def test_example_sends_traces_and_metrics(otlp_receiver: Receiver) -> None:
    done = run_example(otlp_receiver.base)
    assert done.returncode == 0, done.stderr
    assert "Hello from the otcollector example" in done.stdout
    paths = {r.path for r in otlp_receiver.requests}
    assert paths == {"/v1/traces", "/v1/metrics"}
    spans = [
        s
        for r in otlp_receiver.requests
        if r.path == "/v1/traces"
        for rs in r.message.resource_spans
        for ss in rs.scope_spans
        for s in ss.spans
    ]
    assert sorted(s.name for s in spans) == ["batch"] + ["process-item"] * 3
    metric_names = {
        m.name
        for r in otlp_receiver.requests
        if r.path == "/v1/metrics"
        for rm in r.message.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
    }
    assert metric_names == {"work.items", "work.duration"}


def test_example_exits_cleanly_when_nothing_listens(closed_port: str) -> None:
    start = time.monotonic()
    done = run_example(closed_port, timeout_ms=500)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - start < 15
    assert "Failed to export" in done.stderr
    assert "Traceback" not in done.stderr
