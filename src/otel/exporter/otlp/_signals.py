"""What the OTLP span, metric and log exporters share, whatever the transport.

This module holds the common part and the span base; the metric and log bases are in
``_signals_metrics`` and ``_signals_logs``, so that a span exporter never loads the metrics
or logs SDK. The concrete classes are in ``_http_exporters`` (spans),
``_http_metric_exporter``, ``_http_log_exporter`` and ``_grpc_exporters``; constructor
parameters follow the official Python exporters and everything not given comes from
``OTEL_EXPORTER_OTLP_*`` (see ``_config``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from otel.exporter._transport import ExportCore, ExportOutcome, encode_keeping_good
from otel.exporter.otlp._proto._encode_trace import encode_spans
from otel.sdk._self_metrics import NO_EXPORT_COUNTS, ExportCounts, NoExportCounts, exporter_counts
from otel.sdk.trace.export import SpanExporter, SpanExportResult

_logger = logging.getLogger("otel.exporter.otlp")

T = TypeVar("T")


class _Common:
    """Codec choice + export core + self-metric counts, given by the concrete constructor."""

    # otel.sdk.exporter.<signal>.* counts (SDK self-metrics, issue 14)
    _self_metrics: ExportCounts | NoExportCounts = NO_EXPORT_COUNTS

    def _compose(
        self,
        core: ExportCore,
        json: bool,
        *,
        signal: str,
        transport: str,
        meter_provider: Any = None,
    ) -> None:
        self._core = core
        self._json = json
        if json:  # loaded here, never on the export thread (a fork could catch its lock)
            from otel.exporter.otlp import _json as json_codec

            self._json_codec: Any = json_codec
        self._signal = signal
        self._self_metrics_transport = "http_json" if json else transport
        self._self_metrics = exporter_counts(signal, self._self_metrics_transport, meter_provider)

    @property
    def _endpoint(self) -> str:
        return self._core.sender.endpoint

    @property
    def _timeout(self) -> float:
        return self._core.timeout_s

    def _deliver(self, encode: Callable[[], bytes], count: int, timeout_s: float | None) -> bool:
        counts = self._self_metrics
        counts.start(count)
        outcome: ExportOutcome | str = "unexpected_error"
        started = time.perf_counter()
        try:
            outcome = self._core.send(encode, count, timeout_s)
            return outcome is ExportOutcome.SUCCESS
        except Exception as exc:
            outcome = type(exc).__qualname__
            _logger.exception("OTLP %s export failed unexpectedly", self._core.signal)
            return False
        finally:
            ok = outcome is ExportOutcome.SUCCESS
            counts.done(count, None if ok else "export_failed")
            # the duration says how it failed: rejected, timed_out, abandoned, dropped
            reason = outcome.name.lower() if isinstance(outcome, ExportOutcome) else outcome
            counts.operation(time.perf_counter() - started, None if ok else reason)

    def _deliver_batch(
        self,
        items: Sequence[T],
        json_encoder: str,
        encode_proto: Callable[[Sequence[T]], bytes],
        what: str,
    ) -> bool:
        """Span or log batch: one request, items that cannot be encoded dropped alone.
        ``json_encoder`` names the function of ``_json`` used for OTLP/JSON (that module is
        imported only by exporters that send JSON, when they are built)."""
        if not items:
            return True
        if self._json:
            encode: Callable[[Sequence[T]], bytes] = getattr(self._json_codec, json_encoder)
        else:
            encode = encode_proto
        return self._deliver(
            lambda: encode_keeping_good(encode, items, what, _logger), len(items), None
        )

    def shutdown(self) -> None:
        self._core.shutdown()


# --------------------------------------------------------------------------- traces


class SpanExporterBase(_Common, SpanExporter):
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        """Send ``spans``; SUCCESS or FAILURE, never an exception."""
        ok = self._deliver_batch(spans, "encode_spans", encode_spans, "spans")
        return SpanExportResult.SUCCESS if ok else SpanExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered here
