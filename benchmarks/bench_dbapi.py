"""DB-API instrumentation side by side: what tracing adds to one sqlite3 ``execute``.

Both implementations run the same query on an in-memory sqlite3 database, instrumented
with their ``SQLite3Instrumentor`` under a TracerProvider with a BatchSpanProcessor and a
no-op exporter, and a MeterProvider with a reader (otel records
``db.client.operation.duration`` on every query; the official dbapi 0.66b1 records no
metric, so otel does strictly more work here). The "added" cases subtract the cost of
the same call on an uninstrumented connection, measured in the same process.

Run: ``.venv/bin/python benchmarks/_harness.py dbapi``. The official side runs in
``benchmarks/.venv-official-contrib`` (``scripts/setup.sh`` creates it from
``requirements-official-contrib.txt``: the official instrumentation 0.66b1 needs SDK 1.45.1).

Target (issue 11): added cost per ``execute`` <= 1/5 of the official added cost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from _harness import Case, _time_callable

OFFICIAL_VENV = ".venv-official-contrib"

QUERY = "SELECT id, name FROM items WHERE id = ?"
_CONNECT = sqlite3.connect  # the original, before any instrumentor replaces it


def _providers(impl: str) -> tuple[Any, Any]:
    if impl == "otel":
        from otel.sdk.metrics import MeterProvider
        from otel.sdk.metrics.export import InMemoryMetricReader
        from otel.sdk.trace import TracerProvider, export
    else:
        from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics.export import (  # type: ignore[no-redef]
            InMemoryMetricReader,
        )
        from opentelemetry.sdk.trace import (  # type: ignore[no-redef]
            TracerProvider,
            export,
        )

    class NoOpExporter(export.SpanExporter):  # type: ignore[misc, name-defined]
        def export(self, spans: Any) -> Any:
            return export.SpanExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    tracer_provider = TracerProvider(shutdown_on_exit=False)
    tracer_provider.add_span_processor(export.BatchSpanProcessor(NoOpExporter()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)
    return tracer_provider, meter_provider


def _database(connection: Any) -> Any:
    connection.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO items VALUES (?, ?)", [(i, f"n{i}") for i in range(100)])
    return connection


def _instrumented_connection(impl: str) -> Any:
    tracer_provider, meter_provider = _providers(impl)
    if impl == "otel":
        from otel.instrumentation.sqlite3 import SQLite3Instrumentor
    else:
        from opentelemetry.instrumentation.sqlite3 import (  # type: ignore[no-redef]
            SQLite3Instrumentor,
        )
    SQLite3Instrumentor().instrument(tracer_provider=tracer_provider, meter_provider=meter_provider)
    return _database(sqlite3.connect(":memory:"))


def _execute(connection: Any) -> Callable[[], object]:
    cursor = connection.cursor()
    params = (42,)

    def run() -> None:
        cursor.execute(QUERY, params)

    return run


def plain(impl: str) -> Callable[[], object]:
    return _execute(_database(_CONNECT(":memory:")))


def instrumented(impl: str) -> Callable[[], object]:
    return _execute(_instrumented_connection(impl))


def added(impl: str) -> float:
    """ns the instrumentation adds to one execute (instrumented minus plain, best of 7)."""
    base = _time_callable(plain(impl), 7, 0.2)
    traced = _time_callable(instrumented(impl), 7, 0.2)
    return max(traced - base, 0.0)


CASES = [
    Case("sqlite3 execute, not instrumented", lambda: plain("otel"), lambda: plain("official")),
    Case(
        "sqlite3 execute, instrumented",
        lambda: instrumented("otel"),
        lambda: instrumented("official"),
    ),
    Case(
        "added by instrumentation per execute",
        lambda: added("otel"),
        lambda: added("official"),
        kind="value",
        unit="ns",
        notes="goal <= 1/5 of official",
    ),
]
