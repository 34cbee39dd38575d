"""A forked child does not inherit a logs-SDK lock that another thread held at fork time."""

from __future__ import annotations

import os

import pytest

from _support.fork import child_finishes_while_held
from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import BatchLogRecordProcessor, InMemoryLogExporter

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),  # 3.12+: threads + fork
]


def test_child_can_get_loggers_and_shut_down_when_the_provider_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.get_logger("made.in.child").emit(body="x")
        provider.shutdown()

    assert child_finishes_while_held(provider._lock, work)


def test_child_can_add_processors_when_the_multi_processor_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.add_log_record_processor(BatchLogRecordProcessor(InMemoryLogExporter()))

    assert child_finishes_while_held(provider._multi._lock, work)


def test_child_can_shut_down_a_batch_processor_whose_shutdown_lock_was_held() -> None:
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    try:
        assert child_finishes_while_held(processor._shutdown_lock, lambda: processor.shutdown(1000))
    finally:
        processor.shutdown(1000)


def test_child_can_export_to_memory_when_the_exporter_lock_was_held() -> None:
    exporter = InMemoryLogExporter()
    assert child_finishes_while_held(exporter._lock, exporter.get_finished_logs)


def test_child_can_report_a_failure_when_the_report_once_lock_was_held() -> None:
    import logging

    from otel import _once
    from otel.sdk.logs import _guard

    def work() -> None:
        try:
            raise RuntimeError("in child")
        except RuntimeError:
            _guard.report_once(logging.getLogger("otel.test"), ("child", object()), "failed")

    assert child_finishes_while_held(_once._REPORTED._lock, work)
