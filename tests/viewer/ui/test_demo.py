"""``otel demo`` end to end: it starts, its traffic reaches the viewer through the real OTLP
exporter, traces span both services with the cross-service parent link, the UI shows them,
and SIGINT stops it cleanly. Also makes the README's screenshot (OTEL_UPDATE_SCREENSHOTS=1
writes it to docs/images/trace-view.png).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from otel.testing import free_port

README_IMAGE = Path(__file__).parents[3] / "docs" / "images" / "trace-view.png"


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


class DemoProcess:
    def __init__(self, ui_port: int, otlp_port: int) -> None:
        self.ui = f"http://127.0.0.1:{ui_port}"
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "otel", "demo", "--no-browser"),
                *("--ui-port", str(ui_port), "--otlp-http-port", str(otlp_port)),
                *("--requests", "40", "--duration", "6"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if text in line:
                return line
        stderr = (
            self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        )
        raise AssertionError(f"demo never printed {text!r}: {''.join(self.output)}{stderr}")


@pytest.fixture
def demo() -> Iterator[DemoProcess]:
    process = DemoProcess(free_port(), free_port())
    try:
        yield process
    finally:
        if process.proc.poll() is None:
            process.proc.kill()
        process.proc.wait(10)
        process.reader.join(5)
        for pipe in (process.proc.stdout, process.proc.stderr):
            if pipe is not None:
                pipe.close()


def _checkout_trace(ui: str) -> dict[str, Any]:
    """A declined checkout trace with both services, once its spans have all arrived."""
    deadline = time.monotonic() + 20
    while True:
        found = _get(f"{ui}/api/traces?service=payments&errors=true&limit=20")["traces"]
        for summary in found:
            trace = _get(f"{ui}/api/traces/{summary['trace_id']}")
            if {s["service"] for s in trace["spans"]} == {"shop", "payments"}:
                return trace
        assert time.monotonic() < deadline, "no cross-service trace reached the viewer"
        time.sleep(0.5)


def test_demo_sends_linked_two_service_traces_and_stops_on_sigint(
    demo: DemoProcess, browser: Any, tmp_path: Path
) -> None:
    demo.wait_for("viewer UI at", 60)
    demo.wait_for("traffic done", 60)
    assert set(_get(f"{demo.ui}/api/services")["services"]) >= {"shop", "payments"}
    trace = _checkout_trace(demo.ui)
    spans = {s["span_id"]: s for s in trace["spans"]}
    pay = next(s for s in spans.values() if s["service"] == "payments" and s["kind"] == "SERVER")
    caller = spans[pay["parent_span_id"]]
    assert caller["service"] == "shop" and caller["kind"] == "CLIENT"
    # traced by otel's own Flask and requests instrumentations
    assert pay["scope"]["name"] == "otel.instrumentation.flask"
    assert caller["scope"]["name"].startswith("otel.instrumentation.")
    edges = _get(f"{demo.ui}/api/dependencies")["edges"]
    assert any(e["parent"] == "shop" and e["child"] == "payments" for e in edges)
    assert _get(f"{demo.ui}/api/logs?service=shop&limit=5")["logs"]
    assert any(m["name"] == "shop.orders" for m in _get(f"{demo.ui}/api/metrics")["metrics"])

    context = browser.new_context(viewport={"width": 1440, "height": 760})
    try:
        page = context.new_page()
        page.goto(f"{demo.ui}/trace/{trace['trace_id']}?span={pay['span_id']}")
        expect(page.locator(".wf-row")).to_have_count(len(spans))
        expect(page.locator(".details .span-logs")).to_contain_text("card declined")
        page.screenshot(path=str(tmp_path / "demo-trace.png"))
        if os.environ.get("OTEL_UPDATE_SCREENSHOTS") == "1":
            README_IMAGE.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(README_IMAGE))
        orders = _get(f"{demo.ui}/api/traces?span_name=GET%20/orders&limit=1")["traces"]
        page.goto(f"{demo.ui}/trace/{orders[0]['trace_id']}")
        expect(page.locator(".findings .finding")).to_contain_text("FROM order_items")
    finally:
        context.close()

    demo.proc.send_signal(signal.SIGINT)
    assert demo.proc.wait(20) == 0
    assert demo.proc.stderr is not None
    stderr = demo.proc.stderr.read()
    assert "Traceback" not in stderr, stderr
    assert any("stopping" in line for line in demo.output)
