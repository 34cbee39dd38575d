"""Zipkin exporter: v2 JSON (``otel.exporter.zipkin.json``) or v2 protobuf
(``otel.exporter.zipkin.proto.http``) over HTTP, standard library only.

``otel.exporter.zipkin.ZipkinExporter`` is the JSON one, loaded on first access.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otel.exporter.zipkin.json import ZipkinExporter

__all__ = ["ZipkinExporter"]


def __getattr__(name: str) -> Any:
    if name == "ZipkinExporter":
        value = importlib.import_module("otel.exporter.zipkin.json").ZipkinExporter
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
