"""What the OTLP log exporters share (apart from ``_signals``, so that a span exporter
does not load the logs SDK)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from otel.exporter.otlp._proto._encode_logs import encode_logs
from otel.exporter.otlp._signals import _Common
from otel.sdk.logs.export import LogExporter, LogExportResult


class LogExporterBase(_Common, LogExporter):
    def export(self, batch: Sequence[Any]) -> LogExportResult:
        """Send a batch of LogData; SUCCESS or FAILURE, never an exception."""
        ok = self._deliver_batch(batch, "encode_logs", encode_logs, "log records")
        return LogExportResult.SUCCESS if ok else LogExportResult.FAILURE

    def force_flush(self, timeout_millis: int = 10_000) -> bool:
        return True
