"""PeriodicExportingMetricReader: force_flush and shutdown end within their timeouts."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import (
    MetricExporter,
    MetricExportResult,
    MetricsData,
    PeriodicExportingMetricReader,
)


class _Exporter(MetricExporter):
    """Each operation can hang (until ``release``), fail or raise."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.hang_export = False
        self.hang_flush = False
        self.hang_shutdown = False
        self.result = MetricExportResult.SUCCESS
        self.raise_export = False
        self.exported: list[MetricsData] = []

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kw: Any) -> Any:
        if self.hang_export:
            self.release.wait(10)
        if self.raise_export:
            raise RuntimeError("boom")
        self.exported.append(metrics_data)
        return self.result

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        if self.hang_flush:
            self.release.wait(10)
        return True

    def shutdown(self, timeout_millis: float = 30_000, **kw: Any) -> None:
        if self.hang_shutdown:
            self.release.wait(10)


@pytest.fixture
def exporter() -> Iterator[_Exporter]:
    exporter = _Exporter()
    yield exporter
    exporter.release.set()  # let abandoned daemon threads finish


def _provider(exporter: _Exporter, interval: float = 60_000) -> MeterProvider:
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=interval)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("c").add(1)
    return provider


def _timed(call: Any, *args: Any) -> tuple[Any, float]:
    start = time.monotonic()
    result = call(*args)
    return result, time.monotonic() - start


def test_force_flush_returns_true_after_a_successful_export(exporter: _Exporter) -> None:
    provider = _provider(exporter)
    assert provider.force_flush(5_000) is True
    assert len(exporter.exported) == 1


@pytest.mark.parametrize(
    ("hang", "interval"),
    [
        pytest.param("hang_export", 60_000, id="hung_export"),
        pytest.param("hang_flush", 60_000, id="hung_exporter_flush"),
        pytest.param("hang_export", math.inf, id="infinite_interval_and_hung_export"),
    ],
)
def test_force_flush_against_a_hung_exporter_returns_false_within_its_timeout(
    exporter: _Exporter, hang: str, interval: float
) -> None:
    setattr(exporter, hang, True)
    result, elapsed = _timed(_provider(exporter, interval=interval).force_flush, 300)
    assert result is False
    assert elapsed < 1.5


def test_force_flush_returns_false_when_the_export_fails(exporter: _Exporter) -> None:
    exporter.result = MetricExportResult.FAILURE
    assert _provider(exporter).force_flush(5_000) is False


def test_force_flush_returns_false_when_the_export_raises(exporter: _Exporter) -> None:
    exporter.raise_export = True
    assert _provider(exporter).force_flush(5_000) is False


def test_repeated_flushes_against_a_hung_exporter_do_not_pile_up_threads(
    exporter: _Exporter,
) -> None:
    exporter.hang_export = True
    provider = _provider(exporter)
    provider.force_flush(50)
    before = threading.active_count()
    for _ in range(5):
        assert provider.force_flush(50) is False
    assert threading.active_count() <= before + 1


def test_shutdown_with_a_hung_exporter_shutdown_ends_within_its_timeout(
    exporter: _Exporter,
) -> None:
    exporter.hang_shutdown = True
    _, elapsed = _timed(_provider(exporter).shutdown, 300)
    assert elapsed < 1.5


def test_shutdown_with_infinite_interval_and_hung_final_export_is_bounded(
    exporter: _Exporter,
) -> None:
    exporter.hang_export = True
    _, elapsed = _timed(_provider(exporter, interval=math.inf).shutdown, 300)
    assert elapsed < 1.5


def test_shutdown_still_exports_the_last_collection(exporter: _Exporter) -> None:
    provider = _provider(exporter, interval=math.inf)
    provider.shutdown(5_000)
    assert len(exporter.exported) == 1


def test_timed_out_flush_requests_do_not_accumulate(exporter: _Exporter) -> None:
    exporter.hang_export = True
    provider = _provider(exporter)
    reader = provider._readers[0]
    for _ in range(20):
        assert provider.force_flush(10) is False
    assert len(reader._requests) == 0  # type: ignore[attr-defined]
