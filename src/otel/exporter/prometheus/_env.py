"""``OTEL_METRICS_EXPORTER=prometheus``: a reader and its HTTP server from the environment."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from otel._log import get_logger
from otel.exporter.prometheus._reader import PrometheusMetricReader
from otel.exporter.prometheus._server import start_http_server
from otel.sdk.config import env_int, env_str

_logger = get_logger("otel.exporter.prometheus")

OTEL_EXPORTER_PROMETHEUS_HOST = "OTEL_EXPORTER_PROMETHEUS_HOST"
OTEL_EXPORTER_PROMETHEUS_PORT = "OTEL_EXPORTER_PROMETHEUS_PORT"
DEFAULT_HOST = "localhost"
DEFAULT_PORT = 9464

_SERVERS: dict[tuple[str, int], ThreadingHTTPServer] = {}
_SERVERS_LOCK = threading.Lock()


def reader_from_env() -> PrometheusMetricReader:
    """A ``PrometheusMetricReader`` whose endpoint serves on the configured address.

    What ``OTEL_METRICS_EXPORTER=prometheus`` builds: the server listens on
    ``OTEL_EXPORTER_PROMETHEUS_HOST`` (``localhost``) : ``OTEL_EXPORTER_PROMETHEUS_PORT``
    (9464) on a daemon thread, started once per process and address. A port that cannot be
    bound is logged as an error (the application goes on; the reader still collects and
    other endpoints such as ``make_wsgi_app`` still serve it). Pass the result to
    ``MeterProvider(metric_readers=[...])``.
    """
    return _AutoPrometheusMetricReader()


def _serve_from_env() -> None:
    host = env_str(OTEL_EXPORTER_PROMETHEUS_HOST, DEFAULT_HOST) or DEFAULT_HOST
    port = env_int(OTEL_EXPORTER_PROMETHEUS_PORT, DEFAULT_PORT, minimum=0)
    with _SERVERS_LOCK:
        if (host, port) not in _SERVERS:
            try:
                _SERVERS[(host, port)], _ = start_http_server(port, host)
            except OSError as error:
                _logger.error(
                    "Prometheus: cannot serve metrics on %s:%s (%s); set %s/%s",
                    host,
                    port,
                    error,
                    OTEL_EXPORTER_PROMETHEUS_HOST,
                    OTEL_EXPORTER_PROMETHEUS_PORT,
                )


class _AutoPrometheusMetricReader(PrometheusMetricReader):
    """The official entry point's name: a ``PrometheusMetricReader`` whose construction
    also starts the server configured by the environment (see :func:`reader_from_env`)."""

    def __init__(self) -> None:
        super().__init__()
        _serve_from_env()
