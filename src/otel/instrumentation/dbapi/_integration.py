"""The span and metric logic of one instrumented database connection (sync and async alike).

:class:`DatabaseApiIntegration` holds what is fixed per connection (tracer, duration
histogram, ``db.system.name``, ``db.namespace``, ``server.address``/``server.port``) and
turns one call (``execute``, ``executemany``, ``callproc``, ...) into a CLIENT span and one
``db.client.operation.duration`` measurement. ``begin(...)`` starts, ``finish(...)`` ends;
the sync and async proxies both call them, so there is one definition of the logic.

Contract: never raises into the caller (a failure of otel is logged once and the query
runs untraced); the database call itself is never changed, its exceptions propagate
unchanged after being recorded. The span is a leaf: it is not made current (nothing runs
inside a driver call that would be its child), which saves a context switch per query.
Parameter values are never recorded. Thread-safe: per-statement results are cached in
plain dicts (a racing insert is harmless).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sized
from time import time_ns
from typing import Any

from otel import metrics as metrics_api
from otel import trace as trace_api
from otel._log import get_logger
from otel._once import report_once
from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, get_current
from otel.instrumentation.dbapi._statement import parse, query_text
from otel.semconv.attributes.db_attributes import (
    DB_COLLECTION_NAME,
    DB_NAMESPACE,
    DB_OPERATION_BATCH_SIZE,
    DB_OPERATION_NAME,
    DB_QUERY_TEXT,
    DB_RESPONSE_STATUS_CODE,
    DB_STORED_PROCEDURE_NAME,
    DB_SYSTEM_NAME,
)
from otel.trace import SpanKind, Status, StatusCode

_logger = get_logger("otel.instrumentation.dbapi")

SERVER_ADDRESS = "server.address"
SERVER_PORT = "server.port"
ERROR_TYPE = "error.type"

#: The semantic conventions' advisory buckets for ``db.client.operation.duration`` (s).
DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0)

#: ``connection_attributes`` default: attribute kind -> attribute path on the connection.
DEFAULT_CONNECTION_ATTRIBUTES = {
    "database": "database",
    "port": "port",
    "host": "host",
    "user": "user",
}

_CACHE_SIZE = 512
_CLIENT = SpanKind.CLIENT


def error_type(exc: BaseException) -> str:
    """``error.type`` of an exception: its fully qualified class name."""
    cls = type(exc)
    module = cls.__module__
    if module in ("builtins", "__main__", None):
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def _lookup(obj: object, path: str) -> Any:
    """``obj.a.b`` for ``path = "a.b"``; None when any step is missing or raises."""
    for part in path.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:
            return None
        if callable(obj) and not isinstance(obj, type):
            try:
                obj = obj()
            except Exception:
                return None
        if obj is None:
            return None
    return obj


class _Statement:
    """Everything derived from one statement string: span name and attribute dicts."""

    __slots__ = ("attributes", "collection", "metric_attributes", "name", "operation")

    def __init__(
        self,
        name: str,
        attributes: dict[str, Any],
        metric_attributes: dict[str, Any],
        operation: str | None,
        collection: str | None,
    ) -> None:
        self.name = name
        self.attributes = attributes
        self.metric_attributes = metric_attributes
        self.operation = operation
        self.collection = collection


class DatabaseApiIntegration:
    """Traces the calls of one connection (official name; the constructor differs).

    ``name``: instrumentation scope; ``database_system``: ``db.system.name``;
    ``connection_attributes``: kind (``database``, ``host``, ``port``, ``user``) ->
    dotted attribute path read from the connection (a callable on the path is called);
    ``capture_parameters`` is accepted for compatibility and ignored: parameter values
    are never recorded.
    """

    def __init__(
        self,
        name: str,
        database_system: str,
        connection_attributes: Mapping[str, str] | None = None,
        version: str = "",
        tracer_provider: trace_api.TracerProvider | None = None,
        capture_parameters: bool = False,
        meter_provider: metrics_api.MeterProvider | None = None,
        **_ignored: Any,
    ) -> None:
        self.name = name
        self.database_system = database_system
        self.connection_attributes = (
            dict(connection_attributes)
            if connection_attributes is not None
            else dict(DEFAULT_CONNECTION_ATTRIBUTES)
        )
        self.version = version
        self.capture_parameters = False
        if capture_parameters:
            _logger.info("capture_parameters is ignored: otel never records query parameters")
        self._tracer = trace_api.get_tracer(name, version or None, tracer_provider)
        meter = metrics_api.get_meter(name, version, meter_provider)
        self._duration = meter.create_histogram(
            "db.client.operation.duration",
            unit="s",
            description="Duration of database client operations.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )
        self._base: dict[str, Any] = {DB_SYSTEM_NAME: database_system}
        self._statements: dict[object, _Statement] = {}

    # --- per connection ---------------------------------------------------------------

    def get_connection_attributes(self, connection: object) -> None:
        """Read ``db.namespace``, ``server.address``, ``server.port`` from the connection."""
        base: dict[str, Any] = {DB_SYSTEM_NAME: self.database_system}
        try:
            paths = self.connection_attributes
            database = _lookup(connection, paths["database"]) if "database" in paths else None
            if isinstance(database, bytes):
                database = database.decode("utf-8", "replace")
            if database:
                base[DB_NAMESPACE] = str(database)
            host = _lookup(connection, paths["host"]) if "host" in paths else None
            if host:
                base[SERVER_ADDRESS] = str(host)
            port = _lookup(connection, paths["port"]) if "port" in paths else None
            if port:
                try:
                    base[SERVER_PORT] = int(port)
                except (TypeError, ValueError):
                    pass
        except Exception:  # a connection without these attributes: keep what we have
            report_once(_logger, ("connection_attributes",), "Reading connection attributes failed")
        self._base = base
        self._statements = {}

    def connect_arguments(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        """Called with the arguments of the ``connect`` call that made the connection,
        after :meth:`get_connection_attributes`; drivers whose connections do not expose
        their database (sqlite3) read it here. The base class does nothing."""

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        """Set the per-connection attributes directly (drivers that know them better)."""
        base: dict[str, Any] = {DB_SYSTEM_NAME: self.database_system}
        base.update((key, value) for key, value in attributes.items() if value is not None)
        self._base = base
        self._statements = {}

    # --- per statement ----------------------------------------------------------------

    def _statement(self, query: object) -> _Statement:
        try:
            cached = self._statements.get(query)
        except TypeError:  # unhashable query object
            cached = None
        if cached is not None:
            return cached
        operation, collection = parse(query)
        base = self._base
        metric_attributes = dict(base)
        if operation:
            metric_attributes[DB_OPERATION_NAME] = operation
        if collection:
            metric_attributes[DB_COLLECTION_NAME] = collection
        attributes = dict(metric_attributes)
        text = query_text(query)
        if text is not None:
            attributes[DB_QUERY_TEXT] = text
        if operation and collection:
            name = f"{operation} {collection}"
        else:
            name = operation or collection or self.database_system
        statement = _Statement(name, attributes, metric_attributes, operation, collection)
        if isinstance(query, (str, bytes)):
            statements = self._statements
            if len(statements) >= _CACHE_SIZE:
                statements.clear()
            statements[query] = statement
        return statement

    def _batch(self, statement: _Statement, size: int) -> _Statement:
        operation = f"BATCH {statement.operation}" if statement.operation else "BATCH"
        metric_attributes = dict(statement.metric_attributes)
        metric_attributes[DB_OPERATION_NAME] = operation
        attributes = dict(statement.attributes)
        attributes[DB_OPERATION_NAME] = operation
        attributes[DB_OPERATION_BATCH_SIZE] = size
        name = f"{operation} {statement.collection}" if statement.collection else operation
        return _Statement(name, attributes, metric_attributes, operation, statement.collection)

    def _procedure(self, procedure: object) -> _Statement:
        name = str(procedure)
        metric_attributes = dict(self._base)
        metric_attributes[DB_OPERATION_NAME] = "CALL"
        metric_attributes[DB_STORED_PROCEDURE_NAME] = name
        return _Statement(f"CALL {name}", dict(metric_attributes), metric_attributes, "CALL", None)

    # --- per call ---------------------------------------------------------------------

    def begin(
        self, query: object, batch: object = None, procedure: bool = False
    ) -> tuple[Any, int, _Statement] | None:
        """Start the span of one call; None when instrumentation is suppressed (or failed).

        ``batch``: the parameter sequence of ``executemany`` (its length, when it has
        one, becomes ``db.operation.batch.size``); ``procedure``: ``query`` is the name
        of a stored procedure (``callproc``).
        """
        if get_current().get(_SUPPRESS_INSTRUMENTATION_KEY):
            return None
        try:
            statement = self._procedure(query) if procedure else self._statement(query)
            if batch is not None:
                try:
                    size = len(batch) if isinstance(batch, Sized) else 0
                except TypeError:  # a __len__ that does not answer an int
                    size = 0
                if size >= 2:
                    statement = self._batch(statement, size)
            start = time_ns()
            span = self._tracer.start_span(
                statement.name, None, _CLIENT, statement.attributes, start_time=start
            )
            return span, start, statement
        except Exception:
            report_once(_logger, ("begin",), "Starting a database span failed")
            return None

    def finish(self, started: tuple[Any, int, _Statement], exc: BaseException | None) -> None:
        """End the span and record the duration; ``exc`` is what the call raised."""
        span, start, statement = started
        try:
            end = time_ns()
            metric_attributes = statement.metric_attributes
            if exc is not None:
                kind = error_type(exc)
                metric_attributes = dict(metric_attributes)
                metric_attributes[ERROR_TYPE] = kind
                if span.is_recording():
                    span.set_attribute(ERROR_TYPE, kind)
                    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
                    if isinstance(code, str):
                        span.set_attribute(DB_RESPONSE_STATUS_CODE, code)
                    span.record_exception(exc)
                    span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
            span.end(end)
            self._duration.record((end - start) / 1e9, metric_attributes)
        except Exception:
            report_once(_logger, ("finish",), "Ending a database span failed")

    def traced_call(
        self,
        method: Callable[..., Any],
        query: object,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        batch: object = None,
        procedure: bool = False,
    ) -> Any:
        """``method(query, *args, **kwargs)`` inside a span (the sync path)."""
        started = self.begin(query, batch, procedure)
        if started is None:
            return method(query, *args, **kwargs)
        try:
            result = method(query, *args, **kwargs)
        except BaseException as exc:
            self.finish(started, exc)
            raise
        self.finish(started, None)
        return result

    async def traced_call_async(
        self,
        method: Callable[..., Any],
        query: object,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        batch: object = None,
        procedure: bool = False,
    ) -> Any:
        """``await method(query, *args, **kwargs)`` inside a span (the async path)."""
        started = self.begin(query, batch, procedure)
        if started is None:
            return await method(query, *args, **kwargs)
        try:
            result = await method(query, *args, **kwargs)
        except BaseException as exc:
            self.finish(started, exc)
            raise
        self.finish(started, None)
        return result
