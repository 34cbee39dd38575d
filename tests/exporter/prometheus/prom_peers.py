"""Helpers for the Prometheus exporter tests: the real peers and a provider of every kind."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from otel import metrics as api
from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
from otel.sdk.resources import Resource

ROOT = Path(__file__).resolve().parents[3]


def require_binary(name: str) -> str:
    """The path of a peer binary; missing: FAIL under CI=true, skip otherwise."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package 'prometheus'; run scripts/setup.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(response.headers.items()), response.read()


class PrometheusServer:
    """A real Prometheus scraping ``targets`` every second (started by ``prometheus_server``)."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    def api(self, path: str, **params: str) -> Any:
        query = urllib.parse.urlencode(params)
        _, body = http_get(f"{self.url}/api/v1/{path}?{query}")
        answer = json.loads(body)
        assert answer["status"] == "success", answer
        return answer["data"]

    def wait_target_up(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                last = self.api("targets")["activeTargets"]
                if last and all(t["health"] == "up" for t in last):
                    return
            time.sleep(0.2)
        raise AssertionError(f"targets not up after {timeout} s: {last}")

    def query(self, expr: str) -> list[Any]:
        result: list[Any] = self.api("query", query=expr)["result"]
        return result

    def wait_value(self, expr: str, expected: float, timeout: float = 30.0) -> list[Any]:
        """Poll ``expr`` until its single result equals ``expected``; return the result."""
        deadline = time.monotonic() + timeout
        result: list[Any] = []
        while time.monotonic() < deadline:
            result = self.query(expr)
            if len(result) == 1 and float(result[0]["value"][1]) == expected:
                return result
            time.sleep(0.3)
        raise AssertionError(f"{expr} != {expected} after {timeout} s: {result}")


@contextlib.contextmanager
def prometheus_server(
    target_port: int, metrics_path: str = "/metrics"
) -> Iterator[PrometheusServer]:
    """A real Prometheus on a free loopback port scraping ``127.0.0.1:target_port`` each second."""
    binary = require_binary("prometheus")
    with tempfile.TemporaryDirectory(prefix="otel-prom-") as tmp:
        config = Path(tmp) / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
            "scrape_configs:\n- job_name: my-app\n"
            f"  metrics_path: {metrics_path}\n"
            f"  static_configs:\n  - targets: ['127.0.0.1:{target_port}']\n"
        )
        port = free_port()
        log = open(Path(tmp) / "prometheus.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--web.listen-address=127.0.0.1:{port}",
                f"--storage.tsdb.path={tmp}/data",
                "--enable-feature=exemplar-storage",
                "--log.level=warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, timeout=30)
            yield PrometheusServer(port)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            log.close()


def every_kind(
    registry: CollectorRegistry | None = None, **reader_options: Any
) -> tuple[MeterProvider, PrometheusMetricReader]:
    """A provider with one instrument of every kind, each with a measurement or two."""
    reader = PrometheusMetricReader(registry=registry or CollectorRegistry(), **reader_options)
    provider = MeterProvider(
        metric_readers=[reader],
        resource=Resource.create({"service.name": "every-kind"}),
        views=[
            View(
                instrument_name="exponential*", aggregation=ExponentialBucketHistogramAggregation()
            )
        ],
        shutdown_on_exit=False,
    )
    meter = provider.get_meter("test.meter", "1.2.3")
    labels = {"route": "/a", "odd": 'quote " back \\ nl \n'}
    meter.create_counter("requests", unit="{request}", description="Requests").add(3, labels)
    meter.create_up_down_counter("queue.length", description="Queue length").add(-2, labels)
    histogram = meter.create_histogram("request.duration", unit="s", description="Durations")
    for value in (0.004, 0.2, 7.0):
        histogram.record(value, labels)
    exponential = meter.create_histogram(
        "exponential.size", unit="By", description="Sizes, exponential buckets"
    )
    for value in (0, 1, 3, 100, 1000):
        exponential.record(value, labels)
    meter.create_gauge("temperature", unit="Cel", description="Temperature").set(21.5, labels)
    meter.create_observable_counter(
        "cpu.time",
        callbacks=[lambda options: [api.Observation(1.5, {"cpu": "0"})]],
        unit="s",
        description="CPU time",
    )
    meter.create_observable_up_down_counter(
        "threads",
        callbacks=[lambda options: [api.Observation(4, {"state": "idle"})]],
        description="Threads",
    )
    meter.create_observable_gauge(
        "memory.utilization",
        callbacks=[lambda options: [api.Observation(0.25)]],
        unit="1",
        description="Memory used",
    )
    return provider, reader
