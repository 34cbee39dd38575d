"""Logs SDK names found by tests/interop/test_api_compat.py."""

from __future__ import annotations

import warnings

from otel.sdk._logs import (
    LogDroppedAttributesWarning,
    LoggerProvider,
    LogRecordDroppedAttributesWarning,
)
from otel.sdk._logs.export import (
    BatchLogRecordProcessor,
    InMemoryLogExporter,
    SimpleLogRecordProcessor,
)


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


def test_log_record_specific_limits_are_applied_to_records() -> None:
    from otel.sdk._logs import LogRecordLimits

    limits = LogRecordLimits(max_log_record_attributes=1, max_log_record_attribute_length=3)
    assert (limits.max_log_record_attributes, limits.max_log_record_attribute_length) == (1, 3)
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(log_record_limits=limits, shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    provider.get_logger("t").emit(body="b", attributes={"a": "abcdef", "b": "x"})
    (data,) = exporter.get_finished_logs()
    assert dict(data.log_record.attributes) == {"a": "abc"}
    assert data.log_record.dropped_attributes == 1
    provider.shutdown()


def test_log_record_specific_limit_wins_over_the_general_one() -> None:
    from otel.sdk._logs import LogRecordLimits

    assert LogRecordLimits(max_attributes=5, max_log_record_attributes=2).max_attributes == 2
