"""DB-API tracing with an in-memory driver: spans, metrics, proxies, sync and async."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Iterator
from typing import Any

import pytest

from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, attach, detach, set_value
from otel.instrumentation import dbapi
from otel.testing import CapturedMetrics, CapturedSpans, capture_metrics
from otel.trace import SpanKind, StatusCode


class DriverError(Exception):
    sqlstate = "42P01"


class Cursor:
    def __init__(self) -> None:
        self.rows = [(1,), (2,)]
        self.arraysize = 1
        self.closed = False

    def execute(self, query: str, params: object = None) -> Cursor:
        if "missing" in query:
            raise DriverError("relation does not exist")
        return self

    def executemany(self, query: str, seq: object) -> None:
        return None

    def callproc(self, name: str, params: object = ()) -> object:
        return params

    def fetchall(self) -> list[tuple[int]]:
        return self.rows

    def __iter__(self) -> Iterator[tuple[int]]:
        return iter(self.rows)

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True


class Connection:
    database = "shop"
    host = "db.internal"
    port = 5433

    def cursor(self) -> Cursor:
        return Cursor()

    def commit(self) -> None:
        pass


class AsyncCursor:
    def __init__(self) -> None:
        self.rows = [(1,), (2,)]

    async def execute(self, query: str, params: object = None) -> AsyncCursor:
        if "missing" in query:
            raise DriverError("relation does not exist")
        return self

    async def executemany(self, query: str, seq: object) -> None:
        return None

    async def fetchall(self) -> list[tuple[int]]:
        return self.rows

    async def __aenter__(self) -> AsyncCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __aiter__(self) -> Any:
        async def rows() -> Any:
            for row in self.rows:
                yield row

        return rows()


class AsyncConnection:
    database = "shop"
    host = "db.internal"
    port = 5433

    def cursor(self) -> AsyncCursor:
        return AsyncCursor()

    async def commit(self) -> None:
        pass


@pytest.fixture
def metrics() -> Iterator[CapturedMetrics]:
    with capture_metrics() as captured:
        yield captured


@pytest.fixture
def driver() -> Iterator[types.SimpleNamespace]:
    module = types.SimpleNamespace(connect=lambda *args, **kwargs: Connection())
    dbapi.trace_integration(module, "connect", "postgresql")
    yield module
    dbapi.unwrap_connect(module, "connect")


def test_execute_makes_a_client_span_named_operation_and_collection(
    driver: Any, spans: CapturedSpans
) -> None:
    driver.connect().cursor().execute("SELECT * FROM users WHERE id = %s", (7,))
    (span,) = spans.spans
    assert span.name == "SELECT users"
    assert span.kind is SpanKind.CLIENT
    assert dict(span.attributes) == {
        "db.system.name": "postgresql",
        "db.namespace": "shop",
        "server.address": "db.internal",
        "server.port": 5433,
        "db.operation.name": "SELECT",
        "db.collection.name": "users",
        "db.query.text": "SELECT * FROM users WHERE id = %s",
    }


def test_parameters_are_never_recorded(driver: Any, spans: CapturedSpans) -> None:
    module = types.SimpleNamespace(connect=lambda: Connection())
    dbapi.trace_integration(module, "connect", "postgresql", capture_parameters=True)
    module.connect().cursor().execute("SELECT * FROM users WHERE name = %s", ("secret",))
    assert "secret" not in repr(dict(spans.spans[0].attributes))


def test_span_name_falls_back_to_operation_then_system(driver: Any, spans: CapturedSpans) -> None:
    cursor = driver.connect().cursor()
    cursor.execute("SELECT 1")
    cursor.execute("42")
    assert spans.names() == ["SELECT", "postgresql"]


def test_failed_execute_records_exception_and_error_status(
    driver: Any, spans: CapturedSpans, metrics: CapturedMetrics
) -> None:
    cursor = driver.connect().cursor()
    with pytest.raises(DriverError):
        cursor.execute("SELECT * FROM missing")
    (span,) = spans.spans
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"].endswith("DriverError")
    assert span.attributes["db.response.status_code"] == "42P01"
    assert span.events[0].name == "exception"
    (point,) = metrics.points("db.client.operation.duration")
    assert point.attributes["error.type"].endswith("DriverError")


def test_duration_histogram_in_seconds_with_low_cardinality_attributes(
    driver: Any, metrics: CapturedMetrics
) -> None:
    cursor = driver.connect().cursor()
    cursor.execute("SELECT * FROM users WHERE id = 1")
    cursor.execute("SELECT * FROM users WHERE id = 2")
    metric = metrics.metrics()["db.client.operation.duration"]
    assert metric.unit == "s"
    points = list(metric.data.data_points)
    assert len(points) == 1
    assert points[0].count == 2
    assert points[0].sum < 1.0
    assert "db.query.text" not in points[0].attributes
    assert points[0].attributes["db.operation.name"] == "SELECT"
    assert list(points[0].explicit_bounds)[:3] == [0.001, 0.005, 0.01]


def test_suppressed_context_records_nothing(driver: Any, spans: CapturedSpans) -> None:
    cursor = driver.connect().cursor()
    token = attach(set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
    try:
        assert cursor.execute("SELECT 1").fetchall() == [(1,), (2,)]
    finally:
        detach(token)
    assert spans.spans == []


def test_executemany_is_a_batch_with_its_size(driver: Any, spans: CapturedSpans) -> None:
    driver.connect().cursor().executemany("INSERT INTO users VALUES (%s)", [(1,), (2,), (3,)])
    (span,) = spans.spans
    assert span.name == "BATCH INSERT users"
    assert span.attributes["db.operation.batch.size"] == 3


def test_callproc_names_the_procedure(driver: Any, spans: CapturedSpans) -> None:
    assert driver.connect().cursor().callproc("refresh_stats", (1,)) == (1,)
    (span,) = spans.spans
    assert span.name == "CALL refresh_stats"
    assert span.attributes["db.stored_procedure.name"] == "refresh_stats"


def test_proxied_cursor_behaves_like_the_original(driver: Any, spans: CapturedSpans) -> None:
    connection = driver.connect()
    with connection.cursor() as cursor:
        assert cursor.execute("SELECT 1") is cursor
        assert list(cursor) == [(1,), (2,)]
        assert cursor.arraysize == 1
        cursor.arraysize = 5
        assert cursor.__wrapped__.arraysize == 5
    assert cursor.closed is True
    assert connection.database == "shop"


def test_unwrap_connect_restores_the_original(spans: CapturedSpans) -> None:
    original = lambda: Connection()  # noqa: E731
    module = types.SimpleNamespace(connect=original)
    dbapi.wrap_connect("test", module, "connect", "postgresql")
    dbapi.wrap_connect("test", module, "connect", "postgresql")  # second call: no-op
    assert module.connect.__wrapped__ is original
    dbapi.unwrap_connect(module, "connect")
    assert module.connect is original


def test_instrument_connection_and_uninstrument_connection(spans: CapturedSpans) -> None:
    original = Connection()
    traced = dbapi.instrument_connection("test", original, "mysql")
    assert dbapi.instrument_connection("test", traced, "mysql") is traced
    traced.cursor().execute("UPDATE stock SET n = 1")
    assert spans.names() == ["UPDATE stock"]
    assert dbapi.uninstrument_connection(traced) is original


def test_dotted_connection_attributes_are_read(spans: CapturedSpans) -> None:
    connection = Connection()
    connection.info = types.SimpleNamespace(dbname="inventory")  # type: ignore[attr-defined]
    traced = dbapi.instrument_connection(
        "test", connection, "postgresql", connection_attributes={"database": "info.dbname"}
    )
    traced.cursor().execute("SELECT 1")
    assert spans.spans[0].attributes["db.namespace"] == "inventory"


def test_async_connection_is_traced(spans: CapturedSpans) -> None:
    async def connect() -> AsyncConnection:
        return AsyncConnection()

    module = types.SimpleNamespace(connect=connect)
    dbapi.trace_integration(module, "connect", "postgresql")

    async def main() -> list[Any]:
        connection = await module.connect()
        async with connection.cursor() as cursor:
            assert await cursor.execute("SELECT * FROM users") is cursor
            rows = [row async for row in cursor]
            with pytest.raises(DriverError):
                await cursor.execute("DELETE FROM missing")
            await cursor.executemany("INSERT INTO t VALUES (%s)", [(1,), (2,)])
        return rows

    assert asyncio.run(main()) == [(1,), (2,)]
    assert spans.names() == ["SELECT users", "DELETE missing", "BATCH INSERT t"]
    assert spans.spans[1].status.status_code is StatusCode.ERROR


def test_instrument_connection_detects_async_connections(spans: CapturedSpans) -> None:
    traced = dbapi.instrument_connection("test", AsyncConnection(), "postgresql")
    assert isinstance(traced, dbapi.AsyncTracedConnectionProxy)


def test_a_broken_tracer_never_breaks_the_query(driver: Any) -> None:
    class Broken:
        def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
            return self

        def start_span(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("tracer bug")

    traced = dbapi.instrument_connection(
        "test", Connection(), "postgresql", tracer_provider=Broken()
    )
    assert traced.cursor().execute("SELECT 1").fetchall() == [(1,), (2,)]
