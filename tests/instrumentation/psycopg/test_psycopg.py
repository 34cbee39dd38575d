"""PsycopgInstrumentor against a real PostgreSQL server (see conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import psycopg_pool
import pytest

from otel.instrumentation.psycopg import PsycopgInstrumentor
from otel.testing import CapturedSpans, capture_metrics
from otel.trace import SpanKind, StatusCode


@pytest.fixture
def instrumented() -> Iterator[None]:
    PsycopgInstrumentor().instrument()
    yield
    PsycopgInstrumentor().uninstrument()


def test_sync_queries_become_client_spans_with_server_attributes(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    with psycopg.connect(postgres.conninfo) as connection:
        assert isinstance(connection, psycopg.Connection)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE pets (id int, name text)")
            cursor.executemany("INSERT INTO pets VALUES (%s, %s)", [(1, "rex"), (2, "tom")])
            cursor.execute("SELECT name FROM pets WHERE id = %s", (2,))
            assert cursor.fetchall() == [("tom",)]
    assert spans.names() == ["CREATE pets", "BATCH INSERT pets", "SELECT pets"]
    select = spans.spans[-1]
    assert select.kind is SpanKind.CLIENT
    assert dict(select.attributes) == {
        "db.system.name": "postgresql",
        "db.namespace": "postgres",
        "server.address": "127.0.0.1",
        "server.port": postgres.port,
        "db.operation.name": "SELECT",
        "db.collection.name": "pets",
        "db.query.text": "SELECT name FROM pets WHERE id = %s",
    }


def test_connection_execute_is_traced(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    with psycopg.Connection.connect(postgres.conninfo) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
    assert spans.names() == ["SELECT"]


def test_server_error_records_sqlstate_and_error_status(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    with (
        psycopg.connect(postgres.conninfo) as connection,
        pytest.raises(psycopg.errors.UndefinedTable),
    ):
        connection.execute("SELECT * FROM no_such_table")
    (span,) = spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["db.response.status_code"] == "42P01"
    assert span.attributes["error.type"] == "psycopg.errors.UndefinedTable"


def test_async_connection_is_traced(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    async def main() -> list[tuple[int]]:
        connection = await psycopg.AsyncConnection.connect(postgres.conninfo)
        async with connection, connection.cursor() as cursor:
            await cursor.execute("SELECT generate_series(1, 3)")
            return await cursor.fetchall()

    assert asyncio.run(main()) == [(1,), (2,), (3,)]
    assert spans.names() == ["SELECT"]


def test_pool_connections_are_traced(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    with psycopg_pool.ConnectionPool(postgres.conninfo, min_size=1, max_size=2) as pool:
        with pool.connection() as connection:
            connection.execute("SELECT 2")
        with pool.connection() as connection:
            connection.execute("SELECT 3")
    assert spans.names() == ["SELECT", "SELECT"]


def test_async_pool_connections_are_traced(
    postgres: Any, instrumented: None, spans: CapturedSpans
) -> None:
    async def main() -> None:
        async with (
            psycopg_pool.AsyncConnectionPool(
                postgres.conninfo, min_size=1, max_size=1, open=False
            ) as pool,
            pool.connection() as connection,
        ):
            await connection.execute("SELECT 4")

    asyncio.run(main())
    assert spans.names() == ["SELECT"]


def test_duration_metric_reaches_the_meter(postgres: Any, instrumented: None) -> None:
    with capture_metrics() as metrics:
        with psycopg.connect(postgres.conninfo) as connection:
            connection.execute("SELECT 1")
        (point,) = metrics.points("db.client.operation.duration")
    assert point.attributes["db.system.name"] == "postgresql"
    assert point.attributes["server.port"] == postgres.port


def test_instrument_connection_and_uninstrument_connection(
    postgres: Any, spans: CapturedSpans
) -> None:
    with psycopg.connect(postgres.conninfo) as connection:
        assert PsycopgInstrumentor.instrument_connection(connection) is connection
        connection.execute("SELECT 1")
        PsycopgInstrumentor.uninstrument_connection(connection)
        connection.execute("SELECT 2")
    assert spans.names() == ["SELECT"]


def test_uninstrument_restores_connect(postgres: Any, spans: CapturedSpans) -> None:
    original = psycopg.connect
    PsycopgInstrumentor().instrument()
    PsycopgInstrumentor().uninstrument()
    assert psycopg.connect == original
    with psycopg.connect(postgres.conninfo) as connection:
        connection.execute("SELECT 1")
    assert spans.spans == []
