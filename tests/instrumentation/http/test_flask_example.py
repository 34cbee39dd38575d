"""examples/flask_example.py run as a user runs it, exporting to a real OTLP receiver."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
from typing import Any

from _support.wait import wait_http, wait_until

from .conftest import REPO, clean_env, free_port, peer

EXAMPLE = REPO / "examples" / "flask_example.py"


def spans_of(receiver: Any) -> list[Any]:
    return [
        span
        for request in receiver.requests
        if request.path == "/v1/traces"
        for resource_spans in request.message.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
    ]


def test_root_url_makes_one_trace_server_client_server(otlp_receiver: Any) -> None:
    peer("flask")
    peer("requests")
    port = free_port()
    env = clean_env()
    env["FLASK_EXAMPLE_PORT"] = str(port)
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp_receiver.base
    env["OTEL_BSP_SCHEDULE_DELAY"] = "100"
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLE)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/backend", process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.read().startswith(b"hello")
        # The server ends its span just after the client has the answer: wait for it.
        wait_until(lambda: any(s.name == "GET /" for s in spans_of(otlp_receiver)), 10)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert "Traceback" not in stderr.replace("KeyboardInterrupt", ""), stderr
    spans = spans_of(otlp_receiver)
    root = [s for s in spans if s.name == "GET /"]
    assert len(root) == 1, [s.name for s in spans]
    (root,) = root
    trace = [s for s in spans if s.trace_id == root.trace_id]
    kinds = {s.name: s for s in trace}
    assert sorted(kinds) == ["GET", "GET /", "GET /backend"]
    client, backend = kinds["GET"], kinds["GET /backend"]
    assert root.parent_span_id == b""
    assert root.kind == 2  # SERVER
    assert client.kind == 3 and client.parent_span_id == root.span_id  # CLIENT
    assert backend.kind == 2 and backend.parent_span_id == client.span_id
