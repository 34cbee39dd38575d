"""``PsycopgInstrumentor``: psycopg 3 traced through the shared DB-API span logic.

psycopg connections keep their own class (pools, ``isinstance`` checks and type hints see
a real ``psycopg.Connection``): instead of a proxy, an instrumented connection gets a
``cursor_factory`` (and ``server_cursor_factory``) that subclasses the one it had and
traces ``execute``/``executemany``. ``Connection.execute`` creates its cursor through the
factory, so it is traced too, and so is every connection a ``psycopg_pool`` pool opens
(pools call ``connection_class.connect``, which ``instrument()`` replaces on
``psycopg.Connection`` and ``psycopg.AsyncConnection``). The per-connection
:class:`DatabaseApiIntegration` lives in the connection's ``_otel_integration`` attribute.
``uninstrument()`` restores ``connect``; ``uninstrument_connection`` restores one
connection's factories. Cursor ``stream()`` and ``copy()`` are not traced.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from otel._log import get_logger
from otel.instrumentation.dbapi import DatabaseApiIntegration
from otel.instrumentation.instrumentor import BaseInstrumentor

_logger = get_logger("otel.instrumentation.psycopg")

_NAME = "otel.instrumentation.psycopg"
_SYSTEM = "postgresql"
_ATTRIBUTES = {"database": "info.dbname", "host": "info.host", "port": "info.port"}
_ATTR = "_otel_integration"
_ORIGINAL = "_otel_original_factories"

_traced_classes: dict[type, type] = {}


def _integration(cursor: Any) -> DatabaseApiIntegration | None:
    return getattr(cursor.connection, _ATTR, None)


def _traced_sync(base: type) -> type:
    class TracedCursor(base):  # type: ignore[misc]
        """A psycopg cursor whose ``execute``/``executemany`` make spans."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            integration = _integration(self)
            if integration is None:
                return super().execute(query, params, **kwargs)
            return integration.traced_call(super().execute, query, (params,), kwargs)

        def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> Any:
            integration = _integration(self)
            if integration is None:
                return super().executemany(query, params_seq, **kwargs)
            return integration.traced_call(
                super().executemany, query, (params_seq,), kwargs, batch=params_seq
            )

    return TracedCursor


def _traced_async(base: type) -> type:
    class AsyncTracedCursor(base):  # type: ignore[misc]
        """A psycopg async cursor whose ``execute``/``executemany`` make spans."""

        async def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            integration = _integration(self)
            if integration is None:
                return await super().execute(query, params, **kwargs)
            return await integration.traced_call_async(super().execute, query, (params,), kwargs)

        async def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> Any:
            integration = _integration(self)
            if integration is None:
                return await super().executemany(query, params_seq, **kwargs)
            return await integration.traced_call_async(
                super().executemany, query, (params_seq,), kwargs, batch=params_seq
            )

    return AsyncTracedCursor


def _traced_class(base: type, is_async: bool) -> type:
    if getattr(base, "_otel_traced", False):
        return base
    traced = _traced_classes.get(base)
    if traced is None:
        traced = (_traced_async if is_async else _traced_sync)(base)
        traced.__name__ = traced.__qualname__ = f"Traced{base.__name__}"
        traced.__module__ = base.__module__
        traced._otel_traced = True  # type: ignore[attr-defined]
        _traced_classes[base] = traced
    return traced


def _is_async(connection: Any) -> bool:
    import psycopg

    return isinstance(connection, psycopg.AsyncConnection)


def _instrument_connection(
    connection: Any, tracer_provider: Any = None, meter_provider: Any = None
) -> Any:
    if getattr(connection, _ATTR, None) is not None:
        return connection
    integration = DatabaseApiIntegration(
        _NAME,
        _SYSTEM,
        connection_attributes=_ATTRIBUTES,
        tracer_provider=tracer_provider,
        meter_provider=meter_provider,
    )
    integration.get_connection_attributes(connection)
    is_async = _is_async(connection)
    originals = (connection.cursor_factory, connection.server_cursor_factory)
    setattr(connection, _ATTR, integration)
    setattr(connection, _ORIGINAL, originals)
    connection.cursor_factory = _traced_class(originals[0], is_async)
    connection.server_cursor_factory = _traced_class(originals[1], is_async)
    return connection


def _safely_instrument(connection: Any, kwargs: dict[str, Any]) -> None:
    try:
        _instrument_connection(
            connection, kwargs.get("tracer_provider"), kwargs.get("meter_provider")
        )
    except Exception:
        _logger.exception("Could not instrument a psycopg connection; it stays untraced")


class PsycopgInstrumentor(BaseInstrumentor):
    """Traces psycopg 3 (official: ``opentelemetry.instrumentation.psycopg``).

    ``instrument(tracer_provider=None, meter_provider=None)``: every connection opened
    afterwards (``psycopg.connect``, ``Connection.connect``, ``AsyncConnection.connect``,
    ``psycopg_pool`` pools) is traced.
    """

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("psycopg >= 3.1.0",)

    def _instrument(self, **kwargs: Any) -> None:
        import psycopg

        sync_original = psycopg.Connection.__dict__["connect"]
        async_original = psycopg.AsyncConnection.__dict__["connect"]

        def connect(cls: type, *args: Any, **connect_kwargs: Any) -> Any:
            connection = sync_original.__func__(cls, *args, **connect_kwargs)
            _safely_instrument(connection, kwargs)
            return connection

        async def connect_async(cls: type, *args: Any, **connect_kwargs: Any) -> Any:
            connection = await async_original.__func__(cls, *args, **connect_kwargs)
            _safely_instrument(connection, kwargs)
            return connection

        connect.__wrapped__ = sync_original.__func__  # type: ignore[attr-defined]
        connect_async.__wrapped__ = async_original.__func__  # type: ignore[attr-defined]
        self._originals = (sync_original, async_original, psycopg.connect)
        psycopg.Connection.connect = classmethod(connect)  # type: ignore[assignment,method-assign]
        psycopg.AsyncConnection.connect = classmethod(connect_async)  # type: ignore[assignment,method-assign]
        psycopg.connect = psycopg.Connection.connect

    def _uninstrument(self, **kwargs: Any) -> None:
        import psycopg

        sync_original, async_original, module_connect = self._originals
        psycopg.Connection.connect = sync_original  # type: ignore[method-assign]
        psycopg.AsyncConnection.connect = async_original  # type: ignore[method-assign]
        psycopg.connect = module_connect

    @staticmethod
    def instrument_connection(
        connection: Any, tracer_provider: Any = None, meter_provider: Any = None
    ) -> Any:
        """Trace one existing connection (sync or async); returns the same object."""
        return _instrument_connection(connection, tracer_provider, meter_provider)

    @staticmethod
    def uninstrument_connection(connection: Any) -> Any:
        """Stop tracing one connection (its original cursor factories come back)."""
        originals = getattr(connection, _ORIGINAL, None)
        if originals is not None:
            connection.cursor_factory, connection.server_cursor_factory = originals
            setattr(connection, _ATTR, None)
            setattr(connection, _ORIGINAL, None)
        return connection
