"""A real Prometheus server scrapes the guide's example every second.

Prometheus 2.x negotiates OpenMetrics, so this also checks the OpenMetrics output
(``# EOF``, ``_created``, exemplars) against the real parser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from prom_peers import ROOT, PrometheusServer, free_port, prometheus_server, wait_for_port

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
