"""PeriodicExportingMetricReader keeps exporting in a forked child."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

import pytest

from _support.wait import wait_child, wait_until
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import (
    MetricExporter,
    MetricExportResult,
    MetricsData,
    PeriodicExportingMetricReader,
)


class _PipeExporter(MetricExporter):
    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd
        self.lines: list[str] = []  # what this process wrote (a child starts with a copy)

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kw: Any) -> Any:
        for scope_metrics in metrics_data.resource_metrics[0].scope_metrics:
            for metric in scope_metrics.metrics:
                value = metric.data.data_points[0].value  # type: ignore[union-attr]
                line = f"{os.getpid()}:{metric.name}={value}"
                os.write(self.fd, f"{line}\n".encode())
                self.lines.append(line)
        return MetricExportResult.SUCCESS

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return True

    def shutdown(self, timeout_millis: float = 30_000, **kw: Any) -> None:
        pass


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork")
def test_child_restarts_the_export_thread() -> None:
    read_fd, write_fd = os.pipe()
    exporter = _PipeExporter(write_fd)
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=20)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # child
        try:
            counter.add(7)
            # bounded wait on the condition itself: the child's own thread exported it
            exported = wait_until(lambda: f"{os.getpid()}:c=7" in exporter.lines, 10)
        finally:
            os._exit(0 if exported else 1)
    code = wait_child(pid, timeout=15)
    if code is None:
        pytest.fail("the child hung")
    assert code == 0, "the child's export thread did not export within 10 s"
    provider.shutdown()
    os.close(write_fd)
    output = b""
    while chunk := os.read(read_fd, 65536):
        output += chunk
    os.close(read_fd)
    assert f"{pid}:c=7".encode() in output


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="needs fork")
def test_child_never_inherits_a_held_lock() -> None:
    from otel.sdk.metrics.export import InMemoryMetricReader

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    stream = counter._record.__self__  # type: ignore[attr-defined]
    stream._lock.acquire()  # as if a parent thread were collecting at fork time
    stream._collect_lock.acquire()
    provider._lock.acquire()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # child: a new series takes the stream lock, collect takes the others
            code = 1
            try:
                counter.add(1, {"new": "series"})
                data = reader.get_metrics_data()
                code = 0 if data is not None else 2
            finally:
                os._exit(code)
    finally:
        stream._lock.release()
        stream._collect_lock.release()
        provider._lock.release()
    code = wait_child(pid, timeout=10)
    assert code is not None, "the child deadlocked on a lock held at fork time"
    assert code == 0
