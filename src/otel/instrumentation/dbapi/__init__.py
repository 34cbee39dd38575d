"""DB-API 2.0 (PEP 249) tracing for any driver (official: ``opentelemetry.instrumentation.dbapi``).

``trace_integration(module, "connect", "postgresql")`` traces every connection a driver's
``connect`` returns; ``instrument_connection(name, conn, "sqlite")`` one connection.
Each ``execute``/``executemany``/``callproc`` becomes a CLIENT span named
``{db.operation.name} {db.collection.name}`` (or the operation alone, or the system) with
``db.system.name``, ``db.namespace``, ``db.operation.name``, ``db.collection.name``,
``db.query.text`` (never the parameters), ``server.address``/``server.port``, and one
``db.client.operation.duration`` measurement (seconds). Failures set ``error.type`` and
status ERROR and record the exception. Async drivers (awaited cursors) are supported.
API only: imports no SDK and no driver.
"""

from otel.instrumentation.dbapi._integration import DatabaseApiIntegration
from otel.instrumentation.dbapi._proxy import (
    AsyncTracedConnectionProxy,
    AsyncTracedCursorProxy,
    TracedConnectionProxy,
    TracedCursorProxy,
)
from otel.instrumentation.dbapi._wrap import (
    instrument_connection,
    trace_integration,
    uninstrument_connection,
    unwrap_connect,
    wrap_connect,
)

__all__ = [
    "AsyncTracedConnectionProxy",
    "AsyncTracedCursorProxy",
    "DatabaseApiIntegration",
    "TracedConnectionProxy",
    "TracedCursorProxy",
    "instrument_connection",
    "trace_integration",
    "uninstrument_connection",
    "unwrap_connect",
    "wrap_connect",
]
