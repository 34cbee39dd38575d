"""Prefork mode: processes sharing OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR show one total."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from prom_peers import require_binary
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om

from _support.wait import wait_child
from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader
from otel.sdk.metrics import MeterProvider

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork"
)


class App:
    """A registry, a reader and instruments, as a prefork app module would build them."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        reader = PrometheusMetricReader(registry=self.registry)
        self.provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
        meter = self.provider.get_meter("app")
        self.counter = meter.create_counter("jobs", description="Jobs")
        self.histogram = meter.create_histogram("took", unit="s", description="Took")
        self.updown = meter.create_up_down_counter("inflight", description="In flight")
        self.gauge = meter.create_gauge("level", description="Level")

    def work(self, jobs: int, level: float) -> None:
        self.counter.add(jobs)
        self.histogram.record(0.5)
        self.updown.add(1)
        self.gauge.set(level)

    def scrape(self) -> dict[str, list[tuple[dict[str, str], float]]]:
        text = self.registry.generate_latest(True).decode()
        return {
            family.name: [
                (s.labels, s.value) for s in family.samples if not s.name.endswith("_created")
            ]
            for family in parse_om(text)
        }


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv("OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS", "50")
    app = App()
    yield app
    app.provider.shutdown()


def _fork(work: object, stay_alive: float = 0.0) -> tuple[int, int]:
    """Fork a worker that runs ``work`` then waits ``stay_alive`` s; return pid and pipe."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(read_fd)
            work()  # type: ignore[operator]
            time.sleep(0.3)  # at least one periodic snapshot
            os.write(write_fd, b"ok")
            time.sleep(stay_alive)
        finally:
            os._exit(0)
    os.close(write_fd)
    assert os.read(read_fd, 2) == b"ok"
    os.close(read_fd)
    return pid, read_fd


def _value(samples: list[tuple[dict[str, str], float]], **labels: str) -> list[float]:
    return [v for got, v in samples if all(got.get(k) == w for k, w in labels.items())]


def test_counters_histograms_and_sums_of_live_workers_add_up(app: App) -> None:
    pid, _ = _fork(lambda: app.work(5, 7.0), stay_alive=5)
    try:
        app.work(2, 3.0)
        samples = app.scrape()
        assert _value(samples["jobs"]) == [7]
        assert sum(_value(samples["took_seconds"], le="+Inf")) == 2
        assert _value(samples["inflight"]) == [2]
        levels = {labels["pid"]: value for labels, value in samples["level"]}
        assert levels == {str(os.getpid()): 3.0, str(pid): 7.0}
    finally:
        os.kill(pid, 9)
        wait_child(pid, 10)


def test_a_dead_workers_counts_stay_and_its_gauges_go(app: App, tmp_path: Path) -> None:
    pid, _ = _fork(lambda: app.work(5, 7.0))
    assert wait_child(pid, 10) is not None
    app.work(1, 1.0)
    for _ in range(2):  # the second scrape reads the archive, not the dead file
        samples = app.scrape()
        assert _value(samples["jobs"]) == [6]
        assert [labels["pid"] for labels, _ in samples["level"]] == [str(os.getpid())]
    assert (tmp_path / "archive.json").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(f"{pid}-")]


def test_a_worker_exiting_normally_writes_its_last_snapshot(app: App) -> None:
    app.registry._at_exit()  # what atexit runs
    text = Path(app.registry._multiproc.path).read_text()  # type: ignore[union-attr]
    assert json.loads(text)[0][0] in ("jobs", "target")


def test_a_worker_shutting_its_provider_down_writes_its_last_counts(
    app: App, tmp_path: Path
) -> None:
    app.registry._stop.set()  # no periodic snapshot: only shutdown writes
    app.work(9, 1.0)
    app.provider.shutdown()
    text = Path(app.registry._multiproc.path).read_text()  # type: ignore[union-attr]
    jobs = next(f for f in json.loads(text) if f[0] == "jobs")
    assert [series[0] for series in jobs[4].values()] == [9]


def test_recording_touches_no_file(app: App, tmp_path: Path) -> None:
    app.registry._stop.set()  # no periodic snapshot during the check
    time.sleep(0.1)
    app.registry._write_snapshot()
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    for _ in range(1000):
        app.work(1, 1.0)
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert before == after


def test_a_missing_directory_is_logged_and_each_process_serves_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "missing"))
    registry = CollectorRegistry()
    reader = PrometheusMetricReader(registry=registry)
    assert "is not a directory" in caplog.text
    assert registry._multiproc is None
    reader.shutdown()


def test_promtool_finds_nothing_in_a_merged_scrape(app: App) -> None:
    promtool = require_binary("promtool")
    pid, _ = _fork(lambda: app.work(5, 7.0))
    wait_child(pid, 10)
    app.work(1, 1.0)
    text = app.registry.generate_latest(False).decode()
    proc = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), text


def test_a_process_forked_without_the_at_fork_hooks_takes_its_own_file(app: App) -> None:
    directory = app.registry._multiproc
    assert directory is not None
    directory.pid = 1  # as if this process had inherited another process's state
    app.scrape()
    assert directory.pid == os.getpid()
    assert directory.filename.startswith(f"{os.getpid()}-")


def test_a_file_otel_did_not_write_is_ignored_with_a_warning(
    app: App, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "1-foreign.json").write_text('{"not": "a snapshot"}')
    app.work(2, 1.0)
    samples = app.scrape()
    assert _value(samples["jobs"]) == [2]
    assert "1-foreign.json is not a snapshot otel wrote" in caplog.text


def test_a_multiprocessing_child_writes_its_counts_before_os_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS", "3600000")
    app = App()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
            child = multiprocessing.get_context("fork").Process(target=app.work, args=(4, 1.0))
            child.start()
        child.join(10)
        assert child.exitcode == 0
        assert _value(app.scrape()["jobs"]) == [4]
    finally:
        app.provider.shutdown()


def test_a_temporary_snapshot_left_by_a_dead_worker_is_removed(app: App, tmp_path: Path) -> None:
    pid, _ = _fork(lambda: None)
    assert wait_child(pid, 10) is not None
    # a worker killed between writing its snapshot and renaming it leaves such a file
    stale = tmp_path / f"{pid}-snapshot.json.0a1b2c3d.tmp"
    stale.write_text("[")
    writing = tmp_path / f"{os.getpid()}-snapshot.json.0a1b2c3d.tmp"  # a live writer's
    writing.write_text("[")
    app.scrape()
    assert not stale.exists()
    assert writing.exists()
