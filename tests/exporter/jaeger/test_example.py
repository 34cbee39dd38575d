"""examples/jaeger_example.py, run as a user would run it, to a real UDP agent socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import idl

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "jaeger_example.py"


def test_the_guide_example_sends_its_trace_to_the_agent_port() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as agent:
        agent.bind(("127.0.0.1", 0))
        agent.settimeout(10)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        env["OTEL_EXPORTER_JAEGER_AGENT_HOST"] = "127.0.0.1"
        env["OTEL_EXPORTER_JAEGER_AGENT_PORT"] = str(agent.getsockname()[1])
        done = subprocess.run(
            [sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "Hello world from otel" in done.stdout
        batch = idl.decode_emit_batch(agent.recv(65_535))
    assert batch.process.serviceName == "my-helloworld-service"
    spans = {s.operationName: s for s in batch.spans}
    assert set(spans) == {"foo", "bar", "baz"}
    assert spans["baz"].parentSpanId == spans["bar"].spanId
    assert spans["bar"].parentSpanId == spans["foo"].spanId
    assert len({(s.traceIdHigh, s.traceIdLow) for s in batch.spans}) == 1
