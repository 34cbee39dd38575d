"""OTLP exporters. This short path gives the OTLP/HTTP ones (standard library only).

``from otel.exporter.otlp import OTLPSpanExporter`` is the same class as
``otel.exporter.otlp.proto.http.trace_exporter.OTLPSpanExporter``. The gRPC exporters are in
``otel.exporter.otlp.proto.grpc`` (extra ``otel[grpc]``).

The exporter classes are loaded on first access, so that the codecs in this package
(``_proto``, ``_json``) can be imported without the SDK.
"""

from __future__ import annotations

from otel.exporter.otlp._config import Compression

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

    from otel.exporter.otlp._http_exporters import OTLPSpanExporter
    from otel.exporter.otlp._http_log_exporter import OTLPLogExporter
    from otel.exporter.otlp._http_metric_exporter import OTLPMetricExporter

__all__ = ["Compression", "OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]

_LAZY = {
    "OTLPLogExporter": "otel.exporter.otlp._http_log_exporter",
    "OTLPMetricExporter": "otel.exporter.otlp._http_metric_exporter",
    "OTLPSpanExporter": "otel.exporter.otlp._http_exporters",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = __import__(_LAZY[name], fromlist=[name])
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
