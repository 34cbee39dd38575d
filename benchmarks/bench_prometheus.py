"""Prometheus scrape: 10,000 series collected, translated and rendered as exposition text.

Both sides build a MeterProvider with a Prometheus reader holding 10,000 data points
(5,000 counter series, 3,000 up-down counter series, 2,000 histogram series with the
default 16 buckets), then time one scrape's work: collect + translate + encode. Ours is
``CollectorRegistry.generate_latest()``; theirs is ``prometheus_client.generate_latest``
(text 0.0.4) or ``prometheus_client.openmetrics.exposition.generate_latest`` over the
registry ``opentelemetry-exporter-prometheus`` registers with. Issue 13 target: >= 5x.

Prefork mode (``OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR``, otel only): what a measurement costs
with it on (the record path is unchanged: compare with the official counter.add), what one
periodic snapshot costs (collect + JSON file), and a scrape merging this process with three
other workers' files of 10,000 series each.

Run: ``.venv/bin/python benchmarks/_harness.py prometheus``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

from _harness import Case

COUNTERS, UP_DOWN, HISTOGRAMS = 5_000, 3_000, 2_000


def _scrape(prefix: str, openmetrics: bool) -> Callable[[], object]:
    return _build(prefix, openmetrics)[0]


def _build(prefix: str, openmetrics: bool) -> tuple[Callable[[], object], Any]:
    """The scrape function and the registry it renders (10,000 series recorded)."""
    provider: Any
    registry: Any
    if prefix == "otel":
        from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader
        from otel.sdk.metrics import Counter, Histogram, MeterProvider, UpDownCounter

        registry = CollectorRegistry()
        limits = {Counter: 20_000, UpDownCounter: 20_000, Histogram: 20_000}
        reader = PrometheusMetricReader(registry=registry, cardinality_limits=limits)
        provider = MeterProvider(metric_readers=[reader])

        def scrape() -> object:
            return registry.generate_latest(openmetrics)

    else:
        import prometheus_client
        from opentelemetry.exporter.prometheus import (  # type: ignore[import-not-found]
            PrometheusMetricReader as OfficialReader,
        )
        from opentelemetry.sdk.metrics import (  # type: ignore[import-not-found]
            Counter as OCounter,
        )
        from opentelemetry.sdk.metrics import Histogram as OHistogram
        from opentelemetry.sdk.metrics import MeterProvider as OProvider
        from opentelemetry.sdk.metrics import UpDownCounter as OUpDown
        from prometheus_client.openmetrics import exposition as om

        registry = prometheus_client.CollectorRegistry()
        limits = {OCounter: 20_000, OUpDown: 20_000, OHistogram: 20_000}
        reader = OfficialReader(registry=registry, cardinality_limits=limits)
        provider = OProvider(metric_readers=[reader])
        generate = om.generate_latest if openmetrics else prometheus_client.generate_latest

        def scrape() -> object:
            return generate(registry)

    meter = provider.get_meter("bench.prometheus", "1.0")
    counter = meter.create_counter("http.requests", description="Requests")
    up_down = meter.create_up_down_counter("queue.items", description="Items queued")
    histogram = meter.create_histogram("http.duration", unit="s", description="Durations")
    for i in range(COUNTERS):
        counter.add(i + 1, {"route": f"/r/{i % 100}", "status": str(200 + i // 100)})
    for i in range(UP_DOWN):
        up_down.add(i, {"queue": f"q{i}", "shard": str(i % 7)})
    for i in range(HISTOGRAMS):
        histogram.record(i % 50 / 10, {"route": f"/h/{i}", "method": "GET"})
    body = scrape()
    assert len(body) > 500_000, len(body)  # type: ignore[arg-type]
    return scrape, registry


def _counter_add(prefix: str, prefork: bool) -> Callable[[], object]:
    if prefix == "otel":
        if prefork:
            os.environ["OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp()
        from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader
        from otel.sdk.metrics import MeterProvider

        reader: Any = PrometheusMetricReader(registry=CollectorRegistry())
        provider: Any = MeterProvider(metric_readers=[reader])
    else:
        import prometheus_client
        from opentelemetry.exporter.prometheus import (  # type: ignore[import-not-found]
            PrometheusMetricReader as OfficialReader,
        )
        from opentelemetry.sdk.metrics import (  # type: ignore[import-not-found]
            MeterProvider as OProvider,
        )

        reader = OfficialReader(registry=prometheus_client.CollectorRegistry())
        provider = OProvider(metric_readers=[reader])
    counter = provider.get_meter("bench").create_counter("hits")
    attributes = {"route": "/a", "status": "200"}
    counter.add(1, attributes)
    return lambda: counter.add(1, attributes)


def _prefork(what: str) -> Callable[[], object]:
    directory = tempfile.mkdtemp()
    os.environ["OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR"] = directory
    os.environ["OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS"] = "3600000"
    from otel.exporter.prometheus import CollectorRegistry

    scrape, registry = _build("otel", False)
    assert isinstance(registry, CollectorRegistry)
    if what == "snapshot":
        return registry._write_snapshot  # type: ignore[no-any-return]
    snapshot = registry.collect_own().to_json()
    for worker in (1, 2, 3):  # three other live "workers" (pid 1 always exists)
        with open(os.path.join(directory, f"1-worker{worker}.json"), "w") as file:
            json.dump(snapshot, file, separators=(",", ":"))
    body = registry.generate_latest(False)
    assert b'http_requests_total{route="/r/0",status="200"' in body
    return scrape


CASES = [
    Case(
        "Prometheus scrape, text 0.0.4: 10,000 series",
        lambda: _scrape("otel", False),
        lambda: _scrape("official", False),
        unit="ns/scrape",
        repeat=5,
        target_seconds=1.0,
    ),
    Case(
        "Prometheus scrape, OpenMetrics 1.0: 10,000 series",
        lambda: _scrape("otel", True),
        lambda: _scrape("official", True),
        unit="ns/scrape",
        repeat=5,
        target_seconds=1.0,
    ),
    Case(
        "Prometheus prefork mode on: counter.add (record path)",
        lambda: _counter_add("otel", True),
        lambda: _counter_add("official", False),
    ),
    Case(
        "Prometheus prefork: one periodic snapshot of 10,000 series (collect + file)",
        lambda: _prefork("snapshot"),
        unit="ns/snapshot",
        repeat=3,
        target_seconds=1.0,
    ),
    Case(
        "Prometheus prefork: scrape merging 4 processes x 10,000 series (text)",
        lambda: _prefork("scrape"),
        unit="ns/scrape",
        repeat=3,
        target_seconds=1.0,
    ),
]
