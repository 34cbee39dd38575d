"""Test helpers, public API: capture what your code emits, reset otel's globals.

- ``capture_spans()``: the global TracerProvider records into memory for the block.
- ``capture_metrics()``: a MeterProvider with an in-memory reader, collected on demand.
- ``capture_logs()``: log records (stdlib ``logging`` included) captured for the block.
- ``metrics_by_name()``, ``data_points()``, ``point_values()``: find metrics and their
  points in a collection (or an in-memory reader) without walking ``resource_metrics``.
- ``no_internal_errors()``: fail the block if otel logged an ERROR (an internal failure).
- ``reset_globals()``: forget global providers and propagators.
- ``free_port()``: a free loopback port for a server a test starts.

With pytest, the same helpers are fixtures (``capture_spans``, ``capture_metrics``,
``capture_logs``), registered by the ``otel`` pytest plugin that installing otel enables.
"""

from otel.testing._errors import no_internal_errors
from otel.testing._globals import reset_globals
from otel.testing._logs import CapturedLogs, capture_logs
from otel.testing._metrics import (
    CapturedMetrics,
    capture_metrics,
    data_points,
    metrics_by_name,
    point_values,
)
from otel.testing._net import free_port
from otel.testing._spans import CapturedSpans, capture_spans

__all__ = [
    "CapturedLogs",
    "CapturedMetrics",
    "CapturedSpans",
    "capture_logs",
    "capture_metrics",
    "capture_spans",
    "data_points",
    "free_port",
    "metrics_by_name",
    "no_internal_errors",
    "point_values",
    "reset_globals",
]
