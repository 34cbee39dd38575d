"""The guide's Jaeger example -> the real Jaeger v2 (built from its Go module by
scripts/build-peers.sh, in-memory storage) over UDP 6831's protocol -> Jaeger's query API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from interop_kit import wait_for

from _support.otelcol import running_collector, wait_for_udp_port
from _support.peers import ROOT
from otel.testing import free_port

pytestmark = pytest.mark.interop


def jaeger_config(udp_port: int, query_port: int, query_grpc_port: int) -> dict[str, Any]:
    store = "memstore"
    return {
        "service": {
            "extensions": ["jaeger_storage", "jaeger_query"],
            "pipelines": {
                "traces": {
                    "receivers": ["jaeger"],
                    "processors": ["batch"],
                    "exporters": ["jaeger_storage_exporter"],
                }
            },
            "telemetry": {"metrics": {"level": "none"}, "logs": {"level": "warn"}},
        },
        "extensions": {
            "jaeger_query": {
                "storage": {"traces": store},
                "http": {"endpoint": f"127.0.0.1:{query_port}"},
                "grpc": {"endpoint": f"127.0.0.1:{query_grpc_port}"},
            },
            "jaeger_storage": {"backends": {store: {"memory": {"max_traces": 1000}}}},
        },
        "receivers": {
            "jaeger": {"protocols": {"thrift_compact": {"endpoint": f"127.0.0.1:{udp_port}"}}}
        },
        "processors": {"batch": {"timeout": "50ms"}},
        "exporters": {"jaeger_storage_exporter": {"trace_storage": store}},
    }


def test_the_guide_jaeger_example_is_found_in_jaeger(tmp_path: Path) -> None:
    udp_port, query_port, query_grpc_port = free_port(), free_port(), free_port()
    config = jaeger_config(udp_port, query_port, query_grpc_port)
    with running_collector(config, [query_port], tmp_path, binary="jaeger"):
        wait_for_udp_port(udp_port)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        env["OTEL_EXPORTER_JAEGER_AGENT_HOST"] = "127.0.0.1"
        env["OTEL_EXPORTER_JAEGER_AGENT_PORT"] = str(udp_port)
        example = ROOT / "examples" / "jaeger_example.py"
        done = subprocess.run(
            [sys.executable, str(example)], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        url = f"http://127.0.0.1:{query_port}/api/traces?service=my-helloworld-service"

        def traces() -> list[Any]:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    return list(json.loads(answer.read()).get("data") or [])
            except OSError:
                return []

        wait_for(lambda: bool(traces()), timeout_s=30)
        (trace,) = traces()
    spans = {span["operationName"]: span for span in trace["spans"]}
    assert set(spans) == {"foo", "bar", "baz"}

    def parent_of(span: dict[str, Any]) -> str | None:
        for reference in span.get("references", []):
            if reference["refType"] == "CHILD_OF":
                return str(reference["spanID"])
        return None

    assert parent_of(spans["foo"]) is None
    assert parent_of(spans["bar"]) == spans["foo"]["spanID"]
    assert parent_of(spans["baz"]) == spans["bar"]["spanID"]
    (process,) = {json.dumps(p, sort_keys=True) for p in trace["processes"].values()}
    assert json.loads(process)["serviceName"] == "my-helloworld-service"
