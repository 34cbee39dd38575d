"""A WSGI app that configures otel from OTEL_* at import (as ``otel run`` does) and, per
request, records one span, one counter increment and one log record, each carrying the
serving process's pid, and answers with that pid. Used under gunicorn and uwsgi."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from otel import metrics, trace
from otel.sdk._configuration import configure_sdk

configure_sdk()
tracer = trace.get_tracer("prefork")
requests = metrics.get_meter("prefork").create_counter("prefork.requests")
logger = logging.getLogger("prefork")
logger.setLevel(logging.INFO)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    pid = os.getpid()
    with tracer.start_as_current_span("request", attributes={"worker.pid": pid}):
        requests.add(1, {"worker.pid": pid})
        logger.info("served-by %d", pid)
        time.sleep(0.02)  # long enough for concurrent requests to spread over workers
    body = str(pid).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
