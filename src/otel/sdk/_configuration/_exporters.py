"""Exporters by the names ``OTEL_{TRACES,METRICS,LOGS}_EXPORTER`` use, imported lazily.

``otlp`` (default; ``OTEL_EXPORTER_OTLP[_<SIGNAL>]_PROTOCOL`` picks ``http/protobuf``,
``http/json`` or ``grpc``), ``console``, ``jaeger``, ``zipkin`` (traces), ``prometheus``
(metrics: a pull reader, not an exporter), ``none``. A name whose module is not
installed gives :class:`ExporterUnavailable` with a one-line reason; an unknown name too.

Every exporter is wrapped in a :class:`Gate`: a pass-through that can be closed, after
which it reports success and sends nothing (the werkzeug reloader's parent closes it, so
only the serving child exports). The gate forwards every other attribute, so readers see
the wrapped exporter's preferred temporality and aggregation.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

SIGNALS = ("traces", "metrics", "logs")


class ExporterUnavailable(Exception):
    """An exporter name that cannot be used here; ``str()`` is the one-line reason."""


class Gate:
    """An exporter wrapper that sends while ``open`` and discards (reporting success) after
    :meth:`close`. Thread-safe: ``open`` is one attribute read per batch."""

    def __init__(self, exporter: Any, success: Any) -> None:
        self._exporter = exporter
        self._success = success
        self.open = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._exporter, name)

    def export(self, *args: Any, **kwargs: Any) -> Any:
        if not self.open:
            return self._success
        return self._exporter.export(*args, **kwargs)

    def close(self) -> None:
        """Stop sending: later exports are dropped silently."""
        self.open = False

    def shutdown(self, *args: Any, **kwargs: Any) -> Any:
        return self._exporter.shutdown(*args, **kwargs)

    def force_flush(self, *args: Any, **kwargs: Any) -> Any:
        flush = getattr(self._exporter, "force_flush", None)
        return True if flush is None else flush(*args, **kwargs)


def _import(candidates: tuple[str, ...], name: str, hint: str) -> Any:
    missing: list[str] = []
    for candidate in candidates:
        module_name, _, attribute = candidate.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            missing.append(module_name)
            continue
        found = getattr(module, attribute, None)
        if found is not None:
            return found
        missing.append(candidate)
    raise ExporterUnavailable(f"exporter {name!r} is not available ({hint}; tried {missing[0]})")


def _otlp_protocol(signal: str) -> str:
    value = (
        os.environ.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_PROTOCOL")
        or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    return value.strip().lower()


_OTLP = {
    "traces": ("trace_exporter", "OTLPSpanExporter"),
    "metrics": ("metric_exporter", "OTLPMetricExporter"),
    "logs": ("_log_exporter", "OTLPLogExporter"),
}

_CONSOLE = {
    "traces": "otel.sdk.trace.export:ConsoleSpanExporter",
    "metrics": "otel.sdk.metrics.export:ConsoleMetricExporter",
    "logs": "otel.sdk.logs.export:ConsoleLogExporter",
}

_OTHERS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("traces", "jaeger"): (
        ("otel.exporter.jaeger.thrift:JaegerExporter", "otel.exporter.jaeger:JaegerExporter"),
        "otel.exporter.jaeger is not installed",
    ),
    ("traces", "zipkin"): (
        ("otel.exporter.zipkin.json:ZipkinExporter", "otel.exporter.zipkin:ZipkinExporter"),
        "otel.exporter.zipkin is not installed",
    ),
}


def exporter_class(signal: str, name: str) -> Any:
    """The exporter class for ``name`` on ``signal`` (not ``prometheus``, not ``none``)."""
    if name == "otlp":
        module, cls = _OTLP[signal]
        if _otlp_protocol(signal) == "grpc":
            return _import(
                (f"otel.exporter.otlp.proto.grpc.{module}:{cls}",),
                name,
                "OTLP/gRPC needs grpcio: pip install 'otel[grpc]'",
            )
        return _import((f"otel.exporter.otlp.proto.http.{module}:{cls}",), name, "OTLP/HTTP")
    if name == "console":
        return _import((_CONSOLE[signal],), name, "console")
    other = _OTHERS.get((signal, name))
    if other is None:
        raise ExporterUnavailable(f"unknown {signal} exporter {name!r}")
    return _import(other[0], name, other[1])


def prometheus_reader() -> Any:
    """A Prometheus pull reader serving on ``OTEL_EXPORTER_PROMETHEUS_HOST``/``_PORT``
    (default ``localhost:9464``)."""
    module_name = "otel.exporter.prometheus"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ExporterUnavailable(
            f"exporter 'prometheus' is not available ({module_name} is not installed)"
        ) from exc
    host = os.environ.get("OTEL_EXPORTER_PROMETHEUS_HOST", "localhost")
    port = int(os.environ.get("OTEL_EXPORTER_PROMETHEUS_PORT", "9464") or 9464)
    auto = getattr(module, "_AutoPrometheusMetricReader", None)
    if auto is not None:
        return auto()
    reader_class = getattr(module, "PrometheusMetricReader", None)
    if reader_class is None:
        raise ExporterUnavailable("exporter 'prometheus': no PrometheusMetricReader found")
    reader = reader_class()
    serve = getattr(module, "start_http_server", None)
    if serve is not None:
        serve(port=port, addr=host)
    return reader
