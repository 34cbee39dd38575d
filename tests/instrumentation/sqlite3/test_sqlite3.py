"""SQLite3Instrumentor against a real database file."""

from __future__ import annotations

import sqlite3
import sqlite3.dbapi2
from collections.abc import Iterator
from pathlib import Path

import pytest

from otel.instrumentation.sqlite3 import SQLite3Instrumentor
from otel.testing import CapturedSpans, capture_metrics
from otel.trace import StatusCode


@pytest.fixture
def instrumented() -> Iterator[None]:
    SQLite3Instrumentor().instrument()
    yield
    SQLite3Instrumentor().uninstrument()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "shop.db")


def test_instrument_patches_both_connect_functions_and_uninstrument_restores(
    db_path: str,
) -> None:
    original = sqlite3.connect
    SQLite3Instrumentor().instrument()
    try:
        assert sqlite3.connect is not original
        assert sqlite3.dbapi2.connect is not original
    finally:
        SQLite3Instrumentor().uninstrument()
    assert sqlite3.connect is original
    assert sqlite3.dbapi2.connect is original


def test_queries_on_a_database_file_become_spans(
    instrumented: None, spans: CapturedSpans, db_path: str
) -> None:
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("CREATE TABLE items (id INTEGER, name TEXT)")
        cursor = connection.cursor()
        cursor.executemany("INSERT INTO items VALUES (?, ?)", [(1, "a"), (2, "b")])
        connection.commit()
        assert cursor.execute("SELECT name FROM items ORDER BY id").fetchall() == [("a",), ("b",)]
    finally:
        connection.close()
    assert spans.names() == ["CREATE items", "BATCH INSERT items", "SELECT items"]
    select = spans.spans[-1]
    assert select.attributes["db.system.name"] == "sqlite"
    assert select.attributes["db.namespace"] == db_path
    assert select.attributes["db.query.text"] == "SELECT name FROM items ORDER BY id"


def test_dbapi2_connect_is_traced_too(
    instrumented: None, spans: CapturedSpans, db_path: str
) -> None:
    connection = sqlite3.dbapi2.connect(db_path)
    connection.execute("SELECT 1")
    connection.close()
    assert spans.names() == ["SELECT"]


def test_failing_query_records_error_and_still_raises(
    instrumented: None, spans: CapturedSpans, db_path: str
) -> None:
    connection = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.OperationalError):
            connection.execute("SELECT * FROM nowhere")
    finally:
        connection.close()
    (span,) = spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "sqlite3.OperationalError"


def test_traced_connection_behaves_like_sqlite3(instrumented: None, db_path: str) -> None:
    connection = sqlite3.connect(db_path)
    try:
        connection.row_factory = sqlite3.Row
        with connection:
            connection.executescript("CREATE TABLE t (x); INSERT INTO t VALUES (5);")
        row = connection.execute("SELECT x FROM t").fetchone()
        assert row["x"] == 5
        assert connection.total_changes == 1
        cursor = connection.cursor()
        assert [r["x"] for r in cursor.execute("SELECT x FROM t")] == [5]
        assert cursor.rowcount == -1
    finally:
        connection.close()


def test_duration_metric_is_recorded(instrumented: None, db_path: str) -> None:
    with capture_metrics() as metrics:
        connection = sqlite3.connect(db_path)
        connection.execute("SELECT 1")
        connection.close()
        (point,) = metrics.points("db.client.operation.duration")
    assert point.count == 1
    assert point.attributes["db.system.name"] == "sqlite"


def test_instrument_connection_traces_one_existing_connection(
    spans: CapturedSpans, db_path: str
) -> None:
    raw = sqlite3.connect(db_path)
    try:
        traced = SQLite3Instrumentor.instrument_connection(raw, database=db_path)
        traced.execute("SELECT 1")
        raw.execute("SELECT 2")  # the original stays untraced
        assert SQLite3Instrumentor.uninstrument_connection(traced) is raw
    finally:
        raw.close()
    (span,) = spans.spans
    assert span.attributes["db.namespace"] == db_path
