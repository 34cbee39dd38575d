"""How the demo's services are instrumented: with otel's instrumentations when they are
installed (``otel.instrumentation.flask`` / ``requests`` / ``sqlite3``), otherwise with the
small hand-written fallbacks in ``_manual`` (same span shapes, API only).

Each function picks one of the two; the apps never know which is in use.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from typing import Any

from otel.demo import _manual
from otel.demo._telemetry import ServiceTelemetry

#: POST json to url, return (status code, decoded JSON body or None)
PostJson = Callable[[str, Any], "tuple[int, Any]"]


def _real(library: str) -> Any:
    """otel's instrumentation package for ``library`` (ImportError when not installed)."""
    return importlib.import_module(f"otel.instrumentation.{library}")


def instrument_flask_app(app: Any, tel: ServiceTelemetry) -> str:
    """Trace every request of ``app``; returns which instrumentation is used."""
    try:
        module = _real("flask")
    except ImportError:
        _manual.trace_flask_app(app, tel.tracer)
        return "manual"
    module.FlaskInstrumentor().instrument_app(
        app, tracer_provider=tel.tracer_provider, meter_provider=tel.meter_provider
    )
    return "otel.instrumentation.flask"


def http_client(tel: ServiceTelemetry) -> tuple[PostJson, Callable[[], None]]:
    """A traced ``post_json`` for outgoing calls, and a function undoing the instrumentation."""
    import requests

    session = requests.Session()

    def post_json(url: str, body: Any) -> tuple[int, Any]:
        response = session.post(url, json=body, timeout=5)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    try:
        module = _real("requests")
    except ImportError:
        return _manual.traced_post(post_json, tel.tracer), session.close
    instrumentor = module.RequestsInstrumentor()
    instrumentor.instrument(tracer_provider=tel.tracer_provider, meter_provider=tel.meter_provider)

    def undo() -> None:
        session.close()
        instrumentor.uninstrument()

    return post_json, undo


def connect(path: str, tel: ServiceTelemetry) -> Any:
    """A sqlite3 connection whose cursors' ``execute`` calls are traced."""
    connection = sqlite3.connect(path, timeout=5)
    try:
        module = _real("sqlite3")
    except ImportError:
        return _manual.TracedConnection(connection, tel.tracer, path)
    return module.SQLite3Instrumentor.instrument_connection(
        connection, tracer_provider=tel.tracer_provider, meter_provider=tel.meter_provider
    )
