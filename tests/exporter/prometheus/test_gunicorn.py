"""gunicorn with 3 workers: one scrape of any worker shows every worker's counts.

Through a real Prometheus scraping the app's own ``/metrics`` (each scrape lands on
whichever worker accepts it), with and without ``--preload``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prom_peers import free_port, http_get, prometheus_server, wait_for_port

pytestmark = pytest.mark.interop

HERE = Path(__file__).resolve().parent
REQUESTS = 60


def _gunicorn(port: int, directory: str, preload: bool) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers=3",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={HERE}",
        "--log-level=warning",
        *(["--preload"] if preload else []),
        "prom_gunicorn_app:app",
    ]
    env = {
        **os.environ,
        "OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR": directory,
        "OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS": "200",
    }
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)


@pytest.fixture(params=[False, True], ids=["fork-then-import", "preload"])
def gunicorn_port(request: pytest.FixtureRequest) -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="otel-multiproc-") as directory:
        server = _gunicorn(port, directory, preload=request.param)
        try:
            wait_for_port(port, timeout=30)
            yield port
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _work(port: int, times: int) -> set[int]:
    pids = set()
    for _ in range(times):
        _, body = http_get(f"http://127.0.0.1:{port}/work", {"Connection": "close"})
        pids.add(int(body))
    return pids


def test_one_scrape_through_prometheus_sums_every_workers_counter(gunicorn_port: int) -> None:
    pids = _work(gunicorn_port, REQUESTS)
    with prometheus_server(gunicorn_port) as prometheus:
        prometheus.wait_target_up()
        (series,) = prometheus.wait_value("handled_total", REQUESTS)
        assert "pid" not in series["metric"]
        prometheus.wait_value("work_duration_seconds_count", REQUESTS)
        prometheus.wait_value('work_duration_seconds_bucket{le="5.0"}', REQUESTS)
        # Gauges stay per worker, one series per live process holding the reader.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            gauges = prometheus.query("worker_up")
            if len({g["metric"]["pid"] for g in gauges}) >= 3:
                break
            time.sleep(0.3)
        assert len({g["metric"]["pid"] for g in gauges}) >= 3, gauges
        assert pids <= {int(g["metric"]["pid"]) for g in gauges}


def test_a_recycled_workers_counts_are_kept(gunicorn_port: int) -> None:
    pids = _work(gunicorn_port, REQUESTS)
    sent = REQUESTS
    victim = next(iter(pids))
    time.sleep(0.5)  # let the victim's snapshot catch up
    os.kill(victim, signal.SIGTERM)  # gunicorn starts a new worker in its place
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        sent += 1
        if victim not in _work(gunicorn_port, 1):
            break
        time.sleep(0.2)
    with prometheus_server(gunicorn_port) as prometheus:
        prometheus.wait_target_up()
        prometheus.wait_value("handled_total", sent)
        _work(gunicorn_port, 10)
        prometheus.wait_value("handled_total", sent + 10)
