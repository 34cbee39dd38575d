"""Prometheus scrape: 10,000 series collected, translated and rendered as exposition text.

Both sides build a MeterProvider with a Prometheus reader holding 10,000 data points
(5,000 counter series, 3,000 up-down counter series, 2,000 histogram series with the
default 16 buckets), then time one scrape's work: collect + translate + encode. Ours is
``CollectorRegistry.generate_latest()``; theirs is ``prometheus_client.generate_latest``
(text 0.0.4) or ``prometheus_client.openmetrics.exposition.generate_latest`` over the
registry ``opentelemetry-exporter-prometheus`` registers with. Issue 13 target: >= 5x.

Run: ``.venv/bin/python benchmarks/_harness.py prometheus``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from _harness import Case

COUNTERS, UP_DOWN, HISTOGRAMS = 5_000, 3_000, 2_000


def _scrape(prefix: str, openmetrics: bool) -> Callable[[], object]:
    provider: Any
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
]
