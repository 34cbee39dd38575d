"""examples/logs_example.py prints correlated JSON log records and text logs with ids."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_example_prints_records_correlated_with_the_span() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "logs_example.py")],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    bodies = [r["body"] for r in records]
    assert bodies == ["service starting", "cart has 3 items", "payment failed"]
    outside, inside, failed = records
    assert outside["trace_id"] is None
    assert inside["trace_id"] and inside["trace_id"] == failed["trace_id"]
    assert inside["span_id"] == failed["span_id"]
    assert inside["attributes"]["cart.id"] == "c-42"
    assert failed["severity_text"] == "ERROR" and failed["severity_number"] == 17
    assert failed["attributes"]["exception.type"] == "ValueError"
    assert inside["resource"]["attributes"]["service.name"] == "logs-example"
    # The text handler shows the same trace id through %(otelTraceID)s.
    assert f"trace_id={inside['trace_id'][2:]} cart has 3 items" in result.stderr
    assert "trace_id=0 service starting" in result.stderr
