"""The instrumentations ``otel run`` applies: name -> (instrumentor, library it needs).

The name is what ``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`` lists (the official entry-point
names). An entry is applied only when its target library can be found
(``importlib.util.find_spec``, nothing is imported to check) and its otel module exists;
otherwise it is skipped without a word.
"""

from __future__ import annotations

#: name -> ("module:Class", import name of the instrumented library)
INSTRUMENTATIONS: dict[str, tuple[str, str]] = {
    "logging": ("otel.instrumentation.logging:LoggingInstrumentor", "logging"),
    "sqlite3": ("otel.instrumentation.sqlite3:SQLite3Instrumentor", "sqlite3"),
    "psycopg": ("otel.instrumentation.psycopg:PsycopgInstrumentor", "psycopg"),
    "urllib": ("otel.instrumentation.urllib:URLLibInstrumentor", "urllib.request"),
    "http_client": ("otel.instrumentation.http_client:HTTPClientInstrumentor", "http.client"),
    "requests": ("otel.instrumentation.requests:RequestsInstrumentor", "requests"),
    "flask": ("otel.instrumentation.flask:FlaskInstrumentor", "flask"),
    "starlette": ("otel.instrumentation.starlette:StarletteInstrumentor", "starlette"),
}

__all__ = ["INSTRUMENTATIONS"]
