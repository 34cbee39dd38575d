"""``otel view``: an OTLP/Jaeger/Zipkin receiver, an embedded store and a query API.

``start_viewer(...)`` starts it in-process (tests, ``otel demo``); ``otel view`` from a shell.
"""

from otel.viewer._app import Viewer, start_viewer
from otel.viewer._store._interface import Retention, Store

__all__ = ["Retention", "Store", "Viewer", "start_viewer"]
