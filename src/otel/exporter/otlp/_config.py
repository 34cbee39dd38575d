"""OTEL_EXPORTER_OTLP_* configuration with the specification's precedence rules.

Order for every option: constructor argument, then the per-signal variable
(``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``), then the generic one (``OTEL_EXPORTER_OTLP_ENDPOINT``),
then the default. For OTLP/HTTP a *generic* endpoint is a base URL to which ``v1/traces``,
``v1/metrics`` or ``v1/logs`` is appended; a per-signal endpoint (or a constructor argument) is
used exactly as given. Timeouts in variables are milliseconds (the spec's unit); constructor
``timeout`` arguments are seconds, as in the official Python exporters.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from otel._log import get_logger
from otel.sdk.config import env_bool, env_float, env_str, parse_key_value_list

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_logger = get_logger("otel.exporter.otlp")

TRACES = "traces"
METRICS = "metrics"
LOGS = "logs"
#: what one exported item of each signal is called in log lines
ITEMS = {TRACES: "spans", METRICS: "metric data points", LOGS: "log records"}

DEFAULT_HTTP_BASE = "http://localhost:4318/"
DEFAULT_GRPC_ENDPOINT = "http://localhost:4317"
DEFAULT_TIMEOUT_S = 10.0

PROTOCOL_GRPC = "grpc"
PROTOCOL_HTTP_PROTOBUF = "http/protobuf"
PROTOCOL_HTTP_JSON = "http/json"
_PROTOCOLS = (PROTOCOL_GRPC, PROTOCOL_HTTP_PROTOBUF, PROTOCOL_HTTP_JSON)


class Compression(enum.Enum):
    """Body compression for OTLP exporters (``OTEL_EXPORTER_OTLP_COMPRESSION``)."""

    NoCompression = "none"
    Deflate = "deflate"
    Gzip = "gzip"


def _var(signal: str, option: str) -> str:
    return f"OTEL_EXPORTER_OTLP_{signal.upper()}_{option}"


def _generic(option: str) -> str:
    return f"OTEL_EXPORTER_OTLP_{option}"


def signal_env(signal: str, option: str) -> str | None:
    """The per-signal value of ``option``, else the generic one, else None."""
    value = env_str(_var(signal, option))
    if value is None:
        value = env_str(_generic(option))
    return value


def http_endpoint(signal: str, endpoint: str | None = None) -> str:
    """The full URL an OTLP/HTTP exporter for ``signal`` posts to."""
    if endpoint:
        return endpoint
    value = env_str(_var(signal, "ENDPOINT"))
    if value:
        return value
    base = env_str(_generic("ENDPOINT")) or DEFAULT_HTTP_BASE
    return append_signal_path(base, signal)


def append_signal_path(base: str, signal: str) -> str:
    """``base`` + ``v1/<signal>``, with exactly one slash between them."""
    if not base.endswith("/"):
        base += "/"
    return f"{base}v1/{signal}"


def grpc_endpoint(signal: str, endpoint: str | None = None) -> str:
    """The gRPC endpoint (``host:port`` or a URL whose scheme picks TLS)."""
    if endpoint:
        return endpoint
    return signal_env(signal, "ENDPOINT") or DEFAULT_GRPC_ENDPOINT


def headers(signal: str, given: Mapping[str, str] | str | None = None) -> dict[str, str]:
    """Headers from the argument (a dict or ``k=v,k2=v2``), else per-signal, else generic."""
    if given is not None:
        if isinstance(given, str):
            return parse_key_value_list(given, source="headers")
        return {str(k): str(v) for k, v in given.items()}
    per_signal = env_str(_var(signal, "HEADERS"))
    if per_signal is not None:
        return parse_key_value_list(per_signal, source=_var(signal, "HEADERS"))
    generic = env_str(_generic("HEADERS"))
    if generic is not None:
        return parse_key_value_list(generic, source=_generic("HEADERS"))
    return {}


def compression(signal: str, given: Any = None) -> Compression:
    """Compression from the argument (enum, string, grpc.Compression) or the environment."""
    if given is not None:
        return _to_compression(given, "compression argument")
    value = signal_env(signal, "COMPRESSION")
    if value is None:
        return Compression.NoCompression
    return _to_compression(value, "OTEL_EXPORTER_OTLP_COMPRESSION")


def _to_compression(value: Any, source: str) -> Compression:
    if isinstance(value, Compression):
        return value
    name = str(getattr(value, "name", value)).strip().lower()
    if name in ("gzip",):
        return Compression.Gzip
    if name in ("deflate",):
        return Compression.Deflate
    if name in ("none", "nocompression", "", "identity"):
        return Compression.NoCompression
    _logger.warning("Unknown compression %r in %s; sending uncompressed", value, source)
    return Compression.NoCompression


def timeout_seconds(signal: str, given: float | None = None) -> float:
    """Export timeout in seconds: argument (seconds), else variables (milliseconds), else 10."""
    if given is not None:
        try:
            value = float(given)
        except (TypeError, ValueError):
            _logger.warning("Invalid timeout %r; using %s s", given, DEFAULT_TIMEOUT_S)
            return DEFAULT_TIMEOUT_S
        return value if value > 0 else DEFAULT_TIMEOUT_S
    for name in (_var(signal, "TIMEOUT"), _generic("TIMEOUT")):
        if env_str(name) is not None:
            millis = env_float(name, DEFAULT_TIMEOUT_S * 1000.0, minimum=0.0)
            return millis / 1000.0 if millis > 0 else DEFAULT_TIMEOUT_S
    return DEFAULT_TIMEOUT_S


def protocol(signal: str, given: str | None = None) -> str:
    """``grpc``, ``http/protobuf`` (default) or ``http/json``."""
    value = given or signal_env(signal, "PROTOCOL") or PROTOCOL_HTTP_PROTOBUF
    value = value.strip().lower()
    if value not in _PROTOCOLS:
        _logger.warning("Unknown OTLP protocol %r; using %s", value, PROTOCOL_HTTP_PROTOBUF)
        return PROTOCOL_HTTP_PROTOBUF
    return value


def file_option(signal: str, option: str, given: str | None = None) -> str | None:
    """A file path option (CERTIFICATE, CLIENT_KEY, CLIENT_CERTIFICATE)."""
    if given:
        return given
    return signal_env(signal, option)


def insecure(signal: str, given: bool | None = None) -> bool:
    """gRPC only: plaintext when the endpoint has no scheme."""
    if given is not None:
        return bool(given)
    per_signal = env_str(_var(signal, "INSECURE"))
    if per_signal is not None:
        return env_bool(_var(signal, "INSECURE"), False)
    return env_bool(_generic("INSECURE"), False)


# --------------------------------------------------------------------------- metrics

TEMPORALITY_ENV = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
HISTOGRAM_AGGREGATION_ENV = "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION"


def temporality_preference_name() -> str:
    """``cumulative`` (default), ``delta`` or ``lowmemory``."""
    value = (env_str(TEMPORALITY_ENV) or "cumulative").lower()
    if value not in ("cumulative", "delta", "lowmemory"):
        _logger.warning("Unknown %s=%r; using cumulative", TEMPORALITY_ENV, value)
        return "cumulative"
    return value


def histogram_aggregation_name() -> str:
    """``explicit_bucket_histogram`` (default) or ``base2_exponential_bucket_histogram``."""
    value = (env_str(HISTOGRAM_AGGREGATION_ENV) or "explicit_bucket_histogram").lower()
    if value not in ("explicit_bucket_histogram", "base2_exponential_bucket_histogram"):
        _logger.warning(
            "Unknown %s=%r; using explicit_bucket_histogram", HISTOGRAM_AGGREGATION_ENV, value
        )
        return "explicit_bucket_histogram"
    return value


_INSTRUMENT_KINDS = (
    "Counter",
    "ObservableCounter",
    "Histogram",
    "UpDownCounter",
    "ObservableUpDownCounter",
    "ObservableGauge",
    "Gauge",
)
# The instrument kinds exported as delta under each temporality preference (the exporter
# spec's table); every other kind, and every kind under "cumulative", is cumulative.
_DELTA_KINDS = {
    "delta": frozenset({"Counter", "ObservableCounter", "Histogram"}),
    "lowmemory": frozenset({"Counter", "Histogram"}),
}


def temporality_plan(preference: str) -> dict[str, str]:
    """Instrument kind name -> ``"delta"``/``"cumulative"`` per the exporter spec's table."""
    delta_kinds = _DELTA_KINDS.get(preference, frozenset())
    return {kind: "delta" if kind in delta_kinds else "cumulative" for kind in _INSTRUMENT_KINDS}
