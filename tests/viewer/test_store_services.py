"""``services()`` of every store: every service of spans, logs and metrics, sorted, once."""

from __future__ import annotations

import pytest
from test_dependencies import BASE, make_span

from otel.exporter.otlp._proto._model import LogRecord, Metric, Resource, Scope
from otel.viewer._store._interface import Store


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


def test_an_empty_store_has_no_services(store: Store) -> None:
    assert store.services() == []


def test_services_of_spans_logs_and_metrics_sorted_once_each(
    store: Store,
) -> None:
    spans = [make_span(t, 1, 0, ("web", "db", "api")[t % 3], BASE + t) for t in range(1, 50)]
    log = LogRecord(Resource({"service.name": "worker"}), Scope())
    log.time_unix_nano = BASE
    metric = Metric(Resource({"service.name": "batch"}), Scope())
    metric.name = "jobs"
    store.ingest(spans=spans, logs=[log], metrics=[metric])
    assert store.services() == ["api", "batch", "db", "web", "worker"]
