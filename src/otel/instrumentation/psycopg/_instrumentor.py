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

import functools
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from otel._log import get_logger
from otel.instrumentation.dbapi import DatabaseApiIntegration
from otel.instrumentation.instrumentor import BaseInstrumentor

if TYPE_CHECKING:  # psycopg is never imported by otel unless the application has it
    from psycopg import AsyncCursor, Cursor

    _CursorBase = Cursor[Any]
    _AsyncCursorBase = AsyncCursor[Any]
else:  # the mixins are always combined with the connection's own cursor class
    _CursorBase = _AsyncCursorBase = object

_logger = get_logger("otel.instrumentation.psycopg")

_NAME = "otel.instrumentation.psycopg"
_SYSTEM = "postgresql"
_ATTRIBUTES = {"database": "info.dbname", "host": "info.host", "port": "info.port"}
_ATTR = "_otel_integration"
_ORIGINAL = "_otel_original_factories"
_CONNECT = "connect"  # the classmethod replaced on Connection and AsyncConnection

_traced_classes: dict[type, type] = {}


def _integration(cursor: Any) -> DatabaseApiIntegration | None:
    return getattr(cursor.connection, _ATTR, None)


class _TracedCursor(_CursorBase):
    """Mixed in before a psycopg cursor class: ``execute``/``executemany`` make spans."""

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


class _AsyncTracedCursor(_AsyncCursorBase):
    """Mixed in before a psycopg async cursor class: ``execute``/``executemany`` make spans."""

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


def _traced_class(base: type, is_async: bool) -> type:
    if getattr(base, "_otel_traced", False):
        return base
    traced = _traced_classes.get(base)
    if traced is None:
        name = f"Traced{base.__name__}"
        mixin = _AsyncTracedCursor if is_async else _TracedCursor
        namespace = {"__module__": base.__module__, "__qualname__": name, "_otel_traced": True}
        traced = _traced_classes[base] = type(name, (mixin, base), namespace)
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

        sync_original = psycopg.Connection.__dict__[_CONNECT]
        async_original = psycopg.AsyncConnection.__dict__[_CONNECT]

        @functools.wraps(sync_original.__func__)
        def connect(cls: type, *args: Any, **connect_kwargs: Any) -> Any:
            connection = sync_original.__func__(cls, *args, **connect_kwargs)
            _safely_instrument(connection, kwargs)
            return connection

        @functools.wraps(async_original.__func__)
        async def connect_async(cls: type, *args: Any, **connect_kwargs: Any) -> Any:
            connection = await async_original.__func__(cls, *args, **connect_kwargs)
            _safely_instrument(connection, kwargs)
            return connection

        self._originals = (sync_original, async_original, psycopg.connect)
        setattr(psycopg.Connection, _CONNECT, classmethod(connect))
        setattr(psycopg.AsyncConnection, _CONNECT, classmethod(connect_async))
        psycopg.connect = psycopg.Connection.connect

    def _uninstrument(self, **kwargs: Any) -> None:
        import psycopg

        sync_original, async_original, module_connect = self._originals
        setattr(psycopg.Connection, _CONNECT, sync_original)
        setattr(psycopg.AsyncConnection, _CONNECT, async_original)
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
