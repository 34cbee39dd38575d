"""Readers and exporters: pull API, periodic export, console JSON, shutdown under hangs."""

from __future__ import annotations

import atexit
import gc
import io
import json
import math
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from otel.sdk import _atexit
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import (
    ConsoleMetricExporter,
    InMemoryMetricReader,
    MetricExporter,
    MetricExportResult,
    MetricReader,
    MetricsData,
    PeriodicExportingMetricReader,
)
from otel.sdk.metrics.view import ExponentialBucketHistogramAggregation, View


class _ListExporter(MetricExporter):
    def __init__(self, hang: threading.Event | None = None) -> None:
        super().__init__()
        self.exported: list[MetricsData] = []
        self.hang = hang
        self.shut = False
        self.entered = threading.Event()  # set when an export has started

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kw: Any) -> Any:
        self.entered.set()
        if self.hang is not None:
            self.hang.wait(5)
        self.exported.append(metrics_data)
        return MetricExportResult.SUCCESS

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return True

    def shutdown(self, timeout_millis: float = 30_000, **kw: Any) -> None:
        self.shut = True


class _PullReader(MetricReader):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[MetricsData] = []

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kw: Any
    ) -> None:
        self.received.append(metrics_data)

    def shutdown(self, timeout_millis: float = 30_000, **kw: Any) -> None:
        pass


def test_pull_reader_collect_delivers_metrics_data() -> None:
    reader = _PullReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("c").add(1)
    reader.collect()
    assert reader.received[0].resource_metrics[0].scope_metrics[0].metrics[0].name == "c"


def test_unregistered_reader_collect_is_harmless() -> None:
    reader = _PullReader()
    reader.collect()
    assert reader.received == []


def test_reader_cannot_join_two_providers() -> None:
    reader = InMemoryMetricReader()
    MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    second = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    assert second._readers == []


def test_periodic_reader_exports_on_interval_and_at_shutdown() -> None:
    exporter = _ListExporter()
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=50)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("c").add(1)
    deadline = time.monotonic() + 5
    while not exporter.exported and time.monotonic() < deadline:
        time.sleep(0.01)
    assert exporter.exported
    provider.shutdown()
    assert exporter.shut
    count = len(exporter.exported)
    time.sleep(0.15)
    assert len(exporter.exported) == count  # the thread stopped


def test_interval_and_timeout_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_METRIC_EXPORT_INTERVAL", "1234")
    monkeypatch.setenv("OTEL_METRIC_EXPORT_TIMEOUT", "567")
    reader = PeriodicExportingMetricReader(_ListExporter())
    assert (reader._export_interval_millis, reader._export_timeout_millis) == (1234, 567)
    reader.shutdown()


def test_shutdown_returns_within_timeout_when_the_exporter_hangs() -> None:
    hang = threading.Event()
    exporter = _ListExporter(hang)
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=10)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("c").add(1)
    assert exporter.entered.wait(5)  # the thread is now stuck in export
    start = time.monotonic()
    provider.shutdown(timeout_millis=200)
    assert time.monotonic() - start < 1.0
    hang.set()


def test_force_flush_exports_now() -> None:
    exporter = _ListExporter()
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=float("inf"))
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("c").add(1)
    assert provider.force_flush()
    assert len(exporter.exported) == 1
    provider.shutdown()


def test_console_exporter_writes_one_json_document_per_collection() -> None:
    out = io.StringIO()
    reader = PeriodicExportingMetricReader(
        ConsoleMetricExporter(out=out), export_interval_millis=float("inf")
    )
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_counter("requests").add(2, {"environment": "staging"})
    provider.force_flush()
    document = json.loads(out.getvalue())
    metric = document["resource_metrics"][0]["scope_metrics"][0]["metrics"][0]
    assert metric["name"] == "requests"
    assert metric["data"]["data_points"][0]["attributes"] == {"environment": "staging"}
    assert metric["data"]["data_points"][0]["value"] == 2
    provider.shutdown()


def test_shutdown_twice_warns_and_meters_become_no_op() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    assert provider.shutdown() is True
    assert provider.shutdown() is False
    from otel.metrics import NoOpMeter

    assert isinstance(provider.get_meter("x"), NoOpMeter)
    assert reader.get_metrics_data() is None


def test_metrics_data_to_json_round_trips() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t", "1").create_histogram("h").record(1, {"a": [1, 2]})
    data = reader.get_metrics_data()
    assert data is not None
    parsed = json.loads(data.to_json(indent=None))
    point = parsed["resource_metrics"][0]["scope_metrics"][0]["metrics"][0]["data"]["data_points"][
        0
    ]
    assert point["attributes"] == {"a": [1, 2]} and point["count"] == 1


def _collected(kind: str) -> Any:
    reader = InMemoryMetricReader()
    views = [View(instrument_name="e", aggregation=ExponentialBucketHistogramAggregation())]
    provider = MeterProvider(metric_readers=[reader], views=views, shutdown_on_exit=False)
    meter = provider.get_meter("t")
    if kind == "sum":
        meter.create_counter("c").add(2, {"k": "v"})
    elif kind == "gauge":
        meter.create_gauge("g").set(2, {"k": "v"})
    elif kind == "histogram":
        meter.create_histogram("h").record(2, {"k": "v"})
    else:
        meter.create_histogram("e").record(2, {"k": "v"})
    data = reader.get_metrics_data()
    assert data is not None
    return data.resource_metrics[0].scope_metrics[0].metrics[0].data


@pytest.mark.parametrize("kind", ["sum", "gauge", "histogram", "exponential"])
def test_metric_data_to_json_lists_its_points(kind: str) -> None:
    parsed = json.loads(_collected(kind).to_json())
    assert parsed["data_points"][0]["attributes"] == {"k": "v"}


@pytest.mark.parametrize("kind", ["sum", "gauge", "histogram", "exponential"])
def test_data_point_to_json_holds_its_fields(kind: str) -> None:
    point = _collected(kind).data_points[0]
    parsed = json.loads(point.to_json())
    assert parsed["attributes"] == {"k": "v"}
    assert parsed["time_unix_nano"] == point.time_unix_nano


def test_to_json_indents_by_four_spaces_by_default() -> None:
    text = _collected("sum").to_json()
    assert text.splitlines()[1].startswith('    "data_points"')


def test_to_json_without_indent_is_one_line() -> None:
    assert "\n" not in _collected("histogram").to_json(indent=None)


def test_sum_to_json_gives_temporality_and_monotonicity() -> None:
    parsed = json.loads(_collected("sum").to_json())
    assert parsed["aggregation_temporality"] == 2 and parsed["is_monotonic"] is True


# --- MeterProvider registers its exit-time shutdown through otel.sdk._atexit. (formerly
# test_robustness_atexit.py)


def test_provider_uses_the_shared_weak_atexit_helper() -> None:
    provider = MeterProvider()
    handler = provider._atexit
    assert handler is not None
    assert handler.__module__ == _atexit.__name__
    provider.shutdown()


def test_provider_is_collectable_despite_exit_registration() -> None:
    provider = MeterProvider()
    ref = weakref.ref(provider)
    del provider
    gc.collect()
    assert ref() is None


def test_shutdown_unregisters_the_exit_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    unregistered: list[Any] = []
    monkeypatch.setattr(atexit, "unregister", unregistered.append)
    provider = MeterProvider()
    handler = provider._atexit
    provider.shutdown()
    assert unregistered == [handler]


# --- PeriodicExportingMetricReader: force_flush and shutdown end within their timeouts. (formerly
# test_robustness_reader_timeouts.py)


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
