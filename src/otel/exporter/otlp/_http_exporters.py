"""OTLP/HTTP exporters (protobuf by default, JSON with ``protocol="http/json"``).

Standard library only: ``http.client`` with a reused connection, gzip/deflate, TLS.
"""

from __future__ import annotations

from collections.abc import Mapping

from otel._lazy import lazy_exports
from otel._log import get_logger
from otel.exporter.otlp import _config
from otel.exporter.otlp._exporter import ExportCore
from otel.exporter.otlp._http import CONTENT_TYPE_JSON, CONTENT_TYPE_PROTOBUF, HttpSender
from otel.exporter.otlp._signals import SpanExporterBase
from otel.sdk._self_metrics import ExportCounts, NoExportCounts, exporter_counts

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

__all__ = ["OTLPLogExporter", "OTLPMetricExporter", "OTLPSpanExporter"]  # noqa: F822

_logger = get_logger("otel.exporter.otlp")


class _HttpExporter:
    """The official OTLP/HTTP span and log constructor, once; ``_signal`` picks the signal.

    Every argument not given comes from ``OTEL_EXPORTER_OTLP_[<SIGNAL>_]*``.
    """

    _signal: str
    _core: ExportCore
    _json: bool
    _self_metrics: ExportCounts | NoExportCounts

    def __init__(
        self,
        endpoint: str | None = None,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
        headers: Mapping[str, str] | str | None = None,
        timeout: float | None = None,
        compression: Any = None,
        session: object = None,
        *,
        protocol: str | None = None,
        meter_provider: Any = None,
    ) -> None:
        signal = self._signal
        if session is not None:
            _logger.warning("OTLP/HTTP exporters use http.client; the session argument is ignored")
        self._json = _config.protocol(signal, protocol) == _config.PROTOCOL_HTTP_JSON
        sender = HttpSender(
            _config.http_endpoint(signal, endpoint),
            headers=_config.headers(signal, headers),
            content_type=CONTENT_TYPE_JSON if self._json else CONTENT_TYPE_PROTOBUF,
            compression=_config.compression(signal, compression),
            certificate_file=_config.file_option(signal, "CERTIFICATE", certificate_file),
            client_key_file=_config.file_option(signal, "CLIENT_KEY", client_key_file),
            client_certificate_file=_config.file_option(
                signal, "CLIENT_CERTIFICATE", client_certificate_file
            ),
        )
        self._core = ExportCore(signal, sender, _config.timeout_seconds(signal, timeout))
        self._self_metrics_transport = "http_json" if self._json else "http"
        self._self_metrics = exporter_counts(signal, self._self_metrics_transport, meter_provider)


class OTLPSpanExporter(_HttpExporter, SpanExporterBase):
    """Spans over OTLP/HTTP (protobuf by default; ``protocol="http/json"`` for JSON)."""

    _signal = _config.TRACES


# The log and metric exporters live in their own modules, so that importing the span
# exporter does not load the logs and metrics SDKs; these names stay importable from here.
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "OTLPLogExporter": "otel.exporter.otlp._http_log_exporter",
        "OTLPMetricExporter": "otel.exporter.otlp._http_metric_exporter",
    },
)
