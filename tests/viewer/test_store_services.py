"""``services()`` of both stores: every service of spans, logs and metrics, sorted, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dependencies import BASE, make_span

from otel.exporter.otlp._proto._model import LogRecord, Metric, Resource, Scope
from otel.viewer._store._memory import MemoryStore
from otel.viewer._store._sqlite import SQLiteStore


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLiteStore | MemoryStore]:
    s = SQLiteStore(str(tmp_path / "v.db")) if request.param == "sqlite" else MemoryStore()
    try:
        yield s
    finally:
        s.close()


def test_an_empty_store_has_no_services(store: SQLiteStore | MemoryStore) -> None:
    assert store.services() == []


def test_services_of_spans_logs_and_metrics_sorted_once_each(
    store: SQLiteStore | MemoryStore,
) -> None:
    spans = [make_span(t, 1, 0, ("web", "db", "api")[t % 3], BASE + t) for t in range(1, 50)]
    log = LogRecord(Resource({"service.name": "worker"}), Scope())
    log.time_unix_nano = BASE
    metric = Metric(Resource({"service.name": "batch"}), Scope())
    metric.name = "jobs"
    store.ingest(spans=spans, logs=[log], metrics=[metric])
    assert store.services() == ["api", "batch", "db", "web", "worker"]
