"""Acceptance: the official Python SDK's exporters send to a running viewer; the query API
returns the telemetry intact (HTTP protobuf, OTLP/JSON, gRPC)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from viewer_kit import Client

from otel.testing import free_port
from otel.viewer import Viewer, start_viewer

pytestmark = pytest.mark.interop
ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_PYTHON = ROOT / "benchmarks" / ".venv-official" / "bin" / "python"
SENDER = Path(__file__).with_name("official_sender.py")


def _official_python() -> str:
    probe = (
        subprocess.run(
            [str(OFFICIAL_PYTHON), "-c", "import opentelemetry.exporter.otlp.proto.grpc"],
            capture_output=True,
            timeout=60,
        )
        if OFFICIAL_PYTHON.exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "benchmarks/.venv-official lacks the official OTLP exporters (scripts/setup.sh)"
            )
        pytest.skip("official SDK venv with OTLP exporters not installed")
    return str(OFFICIAL_PYTHON)


@pytest.fixture
def grpc_viewer(tmp_path: Path) -> Iterator[Viewer]:
    pytest.importorskip("grpc") if os.environ.get("CI") != "true" else __import__("grpc")
    viewer = start_viewer(
        ui_port=free_port(),
        otlp_http_port=free_port(),
        otlp_grpc_port=free_port(),
        jaeger_udp_port=0,
        zipkin_port=0,
        db=str(tmp_path / "v.db"),
    )
    try:
        yield viewer
    finally:
        viewer.stop()


@pytest.mark.parametrize("protocol", ["http/protobuf", "http/json", "grpc"])
def test_official_sdk_telemetry_arrives_intact(grpc_viewer: Viewer, protocol: str) -> None:
    python = _official_python()
    port = grpc_viewer.ports["otlp_grpc" if protocol == "grpc" else "otlp_http"]
    endpoint = f"http://127.0.0.1:{port}"
    proc = subprocess.run(
        [python, str(SENDER), protocol, endpoint, "shop"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    sent = json.loads(proc.stdout.strip().splitlines()[-1])
    assert all(
        r
        in (
            "SpanExportResult.SUCCESS",
            "MetricExportResult.SUCCESS",
            "LogRecordExportResult.SUCCESS",
            "LogExportResult.SUCCESS",
            "200",
        )
        for r in sent["results"]
    ), sent
    client = Client(grpc_viewer)

    trace = client.ok(f"/api/traces/{sent['trace_id']}")
    by_name = {s["name"]: s for s in trace["spans"]}
    root, child = by_name["GET /checkout"], by_name["charge"]
    assert child["parent_span_id"] == root["span_id"] and root["parent_span_id"] is None
    assert (root["kind"], child["kind"]) == ("SERVER", "CLIENT")
    assert root["attributes"] == {
        "http.status_code": 200,
        "ratio": 0.5,
        "cached": False,
        "tags": ["x", "y"],
    }
    assert child["status"] == {"code": "ERROR", "message": "card declined"}
    assert child["events"][0]["name"] == "retry" and child["events"][0]["attributes"] == {
        "attempt": 2
    }
    assert root["resource"]["attributes"]["deployment.environment"] == "test"
    assert root["scope"] == {"name": "interop.tracer", "version": "0.1"}
    assert root["service"] == "shop"

    (series,) = client.ok("/api/metrics/orders")["series"]
    assert series["attributes"] == {"region": "eu"} and series["points"][-1]["value"] == 5
    (hist,) = client.ok("/api/metrics/order.value")["series"]
    assert (hist["points"][-1]["count"], hist["points"][-1]["sum"]) == (1, 42.0)

    (log,) = client.ok("/api/logs?service=shop")["logs"]
    assert log["body"] == "payment failed for order-9"
    assert (log["severity_text"], log["trace_id"]) == ("WARN", sent["log_trace_id"])
