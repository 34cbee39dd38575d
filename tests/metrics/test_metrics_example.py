"""examples/metrics_example.py prints the counter with its attribute."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _documents(text: str) -> list[dict[str, object]]:
    decoder = json.JSONDecoder()
    documents, index = [], 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        document, index = decoder.raw_decode(text, index)
        documents.append(document)
    return documents


def test_example_prints_the_requests_counter() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "metrics_example.py")],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    documents = _documents(result.stdout)
    assert len(documents) >= 2  # periodic exports, then the last one at shutdown
    last = documents[-1]
    metric = last["resource_metrics"][0]["scope_metrics"][0]["metrics"][0]  # type: ignore[index]
    assert metric["name"] == "requests"
    assert metric["unit"] == "1"
    (point,) = metric["data"]["data_points"]
    assert point["attributes"] == {"environment": "staging"}
    assert point["value"] == 8
    assert metric["data"]["is_monotonic"] is True
    scope = last["resource_metrics"][0]["scope_metrics"][0]["scope"]  # type: ignore[index]
    assert scope["name"] == "my.meter.name"
