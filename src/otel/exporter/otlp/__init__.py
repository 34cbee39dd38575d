"""OTLP exporters. This short path gives the OTLP/HTTP ones (standard library only).

``from otel.exporter.otlp import OTLPSpanExporter`` is the same class as
``otel.exporter.otlp.proto.http.trace_exporter.OTLPSpanExporter``. The gRPC exporters are in
``otel.exporter.otlp.proto.grpc`` (extra ``otel[grpc]``).

The exporter classes are loaded on first access, so that the codecs in this package
(``_proto``, ``_json``) can be imported without the SDK.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from otel.exporter.otlp._config import Compression

if TYPE_CHECKING:
    from otel.exporter.otlp._http_exporters import (
        OTLPLogExporter,
        OTLPMetricExporter,
        OTLPSpanExporter,
    )

__all__ = ["Compression", "OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]

_LAZY = frozenset({"OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module("otel.exporter.otlp._http_exporters")
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
