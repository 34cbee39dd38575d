"""A real Prometheus server scrapes the guide's example every second.

Prometheus 2.x negotiates OpenMetrics, so this also checks the OpenMetrics output
(``# EOF``, ``_created``, exemplars) against the real parser.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from prom_peers import ROOT, PrometheusServer, free_port, prometheus_server, wait_for_port

from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader, start_http_server
from otel.sdk.metrics import MeterProvider
from otel.sdk.trace import TracerProvider

pytestmark = pytest.mark.interop

REQUESTS = 40


@pytest.fixture(scope="module")
def scraped_example() -> Iterator[PrometheusServer]:
    port = free_port()
    env = {
        **os.environ,
        "PROMETHEUS_EXAMPLE_PORT": str(port),
        "PROMETHEUS_EXAMPLE_REQUESTS": str(REQUESTS),
        "PROMETHEUS_EXAMPLE_SECONDS": "120",
    }
    with prometheus_server(port) as prometheus:
        app = subprocess.Popen(
            [sys.executable, str(ROOT / "examples" / "prometheus_example.py")],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port)
            prometheus.wait_target_up()
            yield prometheus
        finally:
            app.terminate()
            app.wait(timeout=10)


def test_prometheus_sees_the_counter_value(scraped_example: PrometheusServer) -> None:
    scraped_example.wait_value("requests_total", 25 * REQUESTS)


def test_prometheus_sees_the_labels(scraped_example: PrometheusServer) -> None:
    (series,) = scraped_example.wait_value("requests_total", 25 * REQUESTS)
    labels = series["metric"]
    assert labels["environment"] == "staging"
    assert labels["otel_scope_name"] == "my.meter.name"
    assert labels["otel_scope_version"] == "0.1.0"
    assert labels["job"] == "my-app"


def test_prometheus_sees_target_info_from_the_resource(
    scraped_example: PrometheusServer,
) -> None:
    (series,) = scraped_example.wait_value("target_info", 1)
    assert series["metric"]["service_name"] == "prometheus-example"


def test_histogram_quantile_gives_a_sane_median(scraped_example: PrometheusServer) -> None:
    scraped_example.wait_value("request_duration_seconds_count", REQUESTS)
    (bucket,) = scraped_example.query('request_duration_seconds_bucket{le="0.1"}')
    # Durations cycle over 0.03 + 0.27 * k / 9 (k = 0..9): 0.03, 0.06, 0.09 are <= 0.1.
    assert float(bucket["value"][1]) == 3 * REQUESTS / 10
    (median,) = scraped_example.query("histogram_quantile(0.5, request_duration_seconds_bucket)")
    assert 0.1 <= float(median["value"][1]) <= 0.25


def test_prometheus_stores_the_counter_created_time_as_a_sample(
    scraped_example: PrometheusServer,
) -> None:
    (created,) = scraped_example.query("requests_created")
    assert float(created["value"][1]) > 1_600_000_000


def test_prometheus_stores_exemplars_with_the_trace_and_span_ids() -> None:
    registry = CollectorRegistry()
    reader = PrometheusMetricReader(registry=registry)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("shop")
    orders = meter.create_counter("orders", description="Orders")
    latency = meter.create_histogram("checkout.latency", unit="s", description="Latency")
    tracer = TracerProvider().get_tracer("shop")
    server, thread = start_http_server(0, "127.0.0.1", registry=registry)
    try:
        with prometheus_server(server.server_address[1]) as prometheus:
            prometheus.wait_target_up()
            with tracer.start_as_current_span("checkout") as span:
                orders.add(1)
                latency.record(0.3)
            context = span.get_span_context()
            expected = {
                "trace_id": format(context.trace_id, "032x"),
                "span_id": format(context.span_id, "016x"),
            }
            for query in ("orders_total", "checkout_latency_seconds_bucket"):
                exemplars = _wait_exemplars(prometheus, query)
                labels = exemplars[0]["exemplars"][0]["labels"]
                assert labels == expected, exemplars
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        provider.shutdown()


def _wait_exemplars(prometheus: PrometheusServer, query: str) -> list[Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = time.time()
        found: list[Any] = prometheus.api(
            "query_exemplars", query=query, start=str(now - 600), end=str(now + 60)
        )
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no exemplar stored for {query}")
