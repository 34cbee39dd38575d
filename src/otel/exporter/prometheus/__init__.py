"""Prometheus exporter: a pull reader and the endpoint Prometheus scrapes.

```python
from otel.exporter.prometheus import PrometheusMetricReader, start_http_server
from otel.sdk.metrics import MeterProvider

start_http_server(port=8000, addr="localhost")
provider = MeterProvider(metric_readers=[PrometheusMetricReader()])
```

Prometheus text 0.0.4 and OpenMetrics 1.0 (chosen by the scrape's ``Accept`` header),
translated per the OpenTelemetry Prometheus compatibility specification. Mount the
endpoint in an existing app with ``make_wsgi_app()`` / ``make_asgi_app()``. Under prefork
servers set ``OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR``. See docs/exporter-prometheus.md.
"""

from otel.exporter.prometheus._env import (
    OTEL_EXPORTER_PROMETHEUS_HOST,
    OTEL_EXPORTER_PROMETHEUS_PORT,
    _AutoPrometheusMetricReader,
    reader_from_env,
)
from otel.exporter.prometheus._multiproc import MULTIPROC_DIR_ENV, MULTIPROC_INTERVAL_ENV
from otel.exporter.prometheus._reader import (
    REGISTRY,
    CollectorRegistry,
    PrometheusMetricReader,
    wants_openmetrics,
)
from otel.exporter.prometheus._server import make_asgi_app, make_wsgi_app, start_http_server

__all__ = [
    "MULTIPROC_DIR_ENV",
    "MULTIPROC_INTERVAL_ENV",
    "OTEL_EXPORTER_PROMETHEUS_HOST",
    "OTEL_EXPORTER_PROMETHEUS_PORT",
    "REGISTRY",
    "CollectorRegistry",
    "PrometheusMetricReader",
    "_AutoPrometheusMetricReader",
    "make_asgi_app",
    "make_wsgi_app",
    "reader_from_env",
    "start_http_server",
    "wants_openmetrics",
]
