"""A WSGI app for the prefork tests: ``/work`` counts a request, ``/metrics`` is the endpoint.

Run by gunicorn with several workers and ``OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR`` set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from otel import metrics as api
from otel.exporter.prometheus import PrometheusMetricReader, make_wsgi_app
from otel.sdk.metrics import MeterProvider

provider = MeterProvider(metric_readers=[PrometheusMetricReader()])
meter = provider.get_meter("gunicorn.app")
handled = meter.create_counter("handled", description="Requests handled")
durations = meter.create_histogram("work.duration", unit="s", description="Work durations")
meter.create_observable_gauge(
    "worker.up",
    callbacks=[lambda options: [api.Observation(1)]],
    description="1 in every live worker",
)
metrics_app = make_wsgi_app()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/metrics":
        return metrics_app(environ, start_response)
    handled.add(1, {"path": "/work"})
    durations.record(0.2)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
