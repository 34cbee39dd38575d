"""What the OTLP span, metric and log exporters share, whatever the transport.

The concrete classes are in ``_http_exporters`` and ``_grpc_exporters``; constructor
parameters follow the official Python exporters and everything not given comes from
``OTEL_EXPORTER_OTLP_*`` (see ``_config``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from otel._lazy import lazy_exports
from otel._log import get_logger
from otel.exporter.otlp._exporter import ExportCore, encode_keeping_good
from otel.exporter.otlp._proto._encode_trace import encode_spans
from otel.sdk._self_metrics import NO_EXPORT_COUNTS, ExportCounts, NoExportCounts
from otel.sdk.trace.export import SpanExporter, SpanExportResult

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any, TypeVar

    T = TypeVar("T")

_logger = get_logger("otel.exporter.otlp")


class _Common:
    _core: ExportCore
    _json = False
    # otel.sdk.exporter.<signal>.* counts; the constructors set their own (self-metrics)
    _self_metrics: ExportCounts | NoExportCounts = NO_EXPORT_COUNTS
    _self_metrics_transport = "http"

    @property
    def _endpoint(self) -> str:
        return self._core.transport.endpoint

    @property
    def _timeout(self) -> float:
        return self._core.timeout_s

    def _deliver(self, encode: Callable[[], bytes], count: int, timeout_s: float | None) -> bool:
        counts = self._self_metrics
        counts.start(count)
        ok = False
        try:
            ok = self._core.send(encode, count, timeout_s)
            return ok
        except Exception:
            _logger.exception("OTLP %s export failed unexpectedly", self._core.signal)
            return False
        finally:
            counts.done(count, None if ok else "export_failed")

    def _deliver_batch(
        self,
        items: Sequence[T],
        encode_json: Callable[[Sequence[T]], bytes],
        encode_proto: Callable[[Sequence[T]], bytes],
        what: str,
    ) -> bool:
        """Span or log batch: one request, items that cannot be encoded dropped alone."""
        if not items:
            return True
        encode = encode_json if self._json else encode_proto
        return self._deliver(lambda: encode_keeping_good(encode, items, what), len(items), None)

    def shutdown(self) -> None:
        self._core.shutdown()


# --------------------------------------------------------------------------- traces


class SpanExporterBase(_Common, SpanExporter):
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        """Send ``spans``; SUCCESS or FAILURE, never an exception."""
        ok = self._deliver_batch(spans, _encode_spans_json, encode_spans, "spans")
        return SpanExportResult.SUCCESS if ok else SpanExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered here


def _encode_spans_json(spans: Sequence[Any]) -> bytes:
    from otel.exporter.otlp import _json  # OTLP/JSON only: not loaded for protobuf

    return _json.encode_spans(spans)


# The metric and log parts live in their own modules, so that a span exporter does not
# load the metrics and logs SDKs; these names stay importable from here.
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "metric_preferences": "otel.exporter.otlp._signals_metrics",
        "split_metrics_data": "otel.exporter.otlp._signals_metrics",
        "MetricExporterBase": "otel.exporter.otlp._signals_metrics",
        "LogExporterBase": "otel.exporter.otlp._signals_logs",
    },
)
