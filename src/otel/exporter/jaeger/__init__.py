"""Jaeger exporter: Thrift compact over UDP to an agent, Thrift binary over HTTP to a collector.

``otel.exporter.jaeger.JaegerExporter`` is ``otel.exporter.jaeger.thrift.JaegerExporter`` (the
official package's path), loaded on first access so that the Thrift codec (``_thrift``:
encode and decode, no ``thrift`` package needed) can be imported without the SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otel.exporter.jaeger._exporter import JaegerExporter

__all__ = ["JaegerExporter"]


def __getattr__(name: str) -> Any:
    if name == "JaegerExporter":
        value = importlib.import_module("otel.exporter.jaeger._exporter").JaegerExporter
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
