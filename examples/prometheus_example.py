"""Getting started with Prometheus: metrics served on port 8000 for a Prometheus server.

Run: python examples/prometheus_example.py   (then point Prometheus at localhost:8000)
Environment (for tests): PROMETHEUS_EXAMPLE_PORT (8000), PROMETHEUS_EXAMPLE_REQUESTS (how
many requests to simulate; unset = forever), PROMETHEUS_EXAMPLE_SECONDS (how long to keep
serving; unset = until Ctrl-C).
"""

import os
import time

from otel import metrics
from otel.exporter.prometheus import PrometheusMetricReader, start_http_server
from otel.sdk.metrics import MeterProvider
from otel.sdk.resources import SERVICE_NAME, Resource

# Serve the metrics on http://localhost:8000/metrics (a daemon thread; returns at once).
port = int(os.environ.get("PROMETHEUS_EXAMPLE_PORT", "8000"))
start_http_server(port=port, addr="localhost")

# The Prometheus reader collects whenever the endpoint is scraped.
reader = PrometheusMetricReader()
provider = MeterProvider(
    metric_readers=[reader], resource=Resource.create({SERVICE_NAME: "prometheus-example"})
)
metrics.set_meter_provider(provider)

meter = metrics.get_meter("my.meter.name", "0.1.0")

# A counter of requests, tagged with the environment: exposed as requests_total.
requests_counter = meter.create_counter("requests", description="number of requests")
# Request durations in seconds: request_duration_seconds_bucket/_sum/_count.
duration = meter.create_histogram(
    "request.duration",
    unit="s",
    description="time taken to handle a request",
    explicit_bucket_boundaries_advisory=[0.05, 0.1, 0.25, 0.5, 1.0],
)

requests = os.environ.get("PROMETHEUS_EXAMPLE_REQUESTS")
seconds = os.environ.get("PROMETHEUS_EXAMPLE_SECONDS")
deadline = time.monotonic() + float(seconds) if seconds else None
print(f"serving metrics on http://localhost:{port}/metrics", flush=True)
done = 0
while deadline is None or time.monotonic() < deadline:
    if requests is None or done < int(requests):
        # A "request": 25 units of work taking 0.03 s to 0.3 s.
        requests_counter.add(25, {"environment": "staging"})
        duration.record(0.03 + 0.27 * (done % 10) / 9, {"environment": "staging"})
        done += 1
    time.sleep(0.05)
