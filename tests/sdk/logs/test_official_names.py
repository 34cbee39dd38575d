"""Logs SDK names found by tests/interop/test_api_compat.py."""

from __future__ import annotations

import warnings

from otel.sdk._logs import (
    LogDroppedAttributesWarning,
    LoggerProvider,
    LogRecordDroppedAttributesWarning,
)
from otel.sdk._logs.export import BatchLogRecordProcessor, InMemoryLogExporter


def test_dropped_attributes_warning_can_be_filtered() -> None:
    assert issubclass(LogRecordDroppedAttributesWarning, UserWarning)
    assert LogDroppedAttributesWarning is LogRecordDroppedAttributesWarning
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=LogDroppedAttributesWarning)


def test_batch_force_flush_without_argument_exports_queued_records() -> None:
    exporter = InMemoryLogExporter()
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=60_000)
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(processor)
    provider.get_logger("t").emit(body="hello")
    assert processor.force_flush() is True
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["hello"]
    provider.shutdown()
