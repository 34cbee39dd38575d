"""``SQLite3Instrumentor``: the stdlib ``sqlite3`` module traced through DB-API.

``instrument()`` replaces ``sqlite3.connect`` and ``sqlite3.dbapi2.connect``; connections
made afterwards are traced proxies (``db.system.name = "sqlite"``, ``db.namespace`` = the
database argument of ``connect``). ``instrument_connection(conn)`` traces one existing
connection. ``uninstrument()`` restores both functions; connections already made stay
traced until ``uninstrument_connection``. ``from sqlite3 import connect`` done before
``instrument()`` keeps the original function.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from otel.instrumentation.dbapi import (
    DatabaseApiIntegration,
    instrument_connection,
    uninstrument_connection,
    unwrap_connect,
    wrap_connect,
)
from otel.instrumentation.instrumentor import BaseInstrumentor
from otel.semconv.attributes.db_attributes import DB_NAMESPACE

_NAME = "otel.instrumentation.sqlite3"
_SYSTEM = "sqlite"


class _SQLiteIntegration(DatabaseApiIntegration):
    """sqlite3 connections do not expose their file: it comes from ``connect``'s arguments."""

    def get_connection_attributes(self, connection: object) -> None:
        self.set_attributes({})

    def connect_arguments(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
        database = args[0] if args else kwargs.get("database")
        if isinstance(database, bytes):
            database = database.decode("utf-8", "replace")
        if database is not None:
            self.set_attributes({DB_NAMESPACE: str(database)})


class SQLite3Instrumentor(BaseInstrumentor):
    """Traces ``sqlite3`` (official: ``opentelemetry.instrumentation.sqlite3``).

    ``instrument(tracer_provider=None, meter_provider=None)``.
    """

    def instrumentation_dependencies(self) -> Collection[str]:
        return ()  # stdlib

    def _instrument(self, **kwargs: Any) -> None:
        import sqlite3
        import sqlite3.dbapi2

        for module in (sqlite3, sqlite3.dbapi2):
            wrap_connect(
                _NAME,
                module,
                "connect",
                _SYSTEM,
                tracer_provider=kwargs.get("tracer_provider"),
                meter_provider=kwargs.get("meter_provider"),
                db_api_integration_factory=_SQLiteIntegration,
            )

    def _uninstrument(self, **kwargs: Any) -> None:
        import sqlite3
        import sqlite3.dbapi2

        for module in (sqlite3, sqlite3.dbapi2):
            unwrap_connect(module, "connect")

    @staticmethod
    def instrument_connection(
        connection: Any,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        database: str | None = None,
    ) -> Any:
        """A traced proxy of one ``sqlite3.Connection`` (``database``: its ``db.namespace``)."""
        proxy = instrument_connection(
            _NAME,
            connection,
            _SYSTEM,
            tracer_provider=tracer_provider,
            meter_provider=meter_provider,
            db_api_integration_factory=_SQLiteIntegration,
            is_async=False,
        )
        if database is not None:
            proxy._self_integration.connect_arguments((database,), {})
        return proxy

    @staticmethod
    def uninstrument_connection(connection: Any) -> Any:
        """The original connection behind a traced proxy."""
        return uninstrument_connection(connection)
