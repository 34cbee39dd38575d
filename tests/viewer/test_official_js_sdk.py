"""Acceptance: the official OpenTelemetry JavaScript SDK (tests/peers/js, Node.js) sends traces
over OTLP/HTTP JSON and protobuf; the query API returns them intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from viewer_kit import Client

from otel.viewer import Viewer

pytestmark = pytest.mark.interop
HERE = Path(__file__).resolve().parent
PEER = (
    HERE.parent / "peers" / "js" / "node_modules" / "@opentelemetry" / "exporter-trace-otlp-proto"
)


def _node() -> str:
    node = shutil.which("node")
    if node is None or not PEER.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Node.js or the official JS SDK (tests/peers/js, scripts/setup.sh) is missing"
            )
        pytest.skip("Node.js or the official JS SDK (tests/peers/js) is not installed")
    return node


@pytest.mark.parametrize("protocol", ["json", "proto"])
def test_official_js_sdk_traces_arrive_intact(sqlite_viewer: Viewer, protocol: str) -> None:
    node = _node()
    endpoint = f"http://127.0.0.1:{sqlite_viewer.ports['otlp_http']}"
    proc = subprocess.run(
        [node, str(HERE / "js_sender.cjs"), endpoint, protocol, "jsvc"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    trace_id = json.loads(proc.stdout.strip().splitlines()[-1])["trace_id"]
    spans = Client(sqlite_viewer).ok(f"/api/traces/{trace_id}")["spans"]
    by_name = {s["name"]: s for s in spans}
    root, child = by_name["GET /js"], by_name["js-child"]
    assert (root["parent_span_id"], child["parent_span_id"]) == (None, root["span_id"])
    assert (root["kind"], child["kind"]) == ("SERVER", "CLIENT")
    assert root["attributes"] == {
        "http.status_code": 201,
        "ratio": 0.25,
        "ok": True,
        "tags": ["p", "q"],
    }
    assert child["status"] == {"code": "ERROR", "message": "js failure"}
    assert [(e["name"], e["attributes"]) for e in child["events"]] == [("tick", {"n": 3})]
    assert root["resource"]["attributes"] == {"service.name": "jsvc", "js.peer": True}
    assert root["scope"] == {"name": "js.tracer", "version": "9.9.9"}
