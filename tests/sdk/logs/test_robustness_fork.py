"""A forked child does not inherit a logs-SDK lock that another thread held at fork time."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest

from otel.sdk.logs import LoggerProvider
from otel.sdk.logs.export import BatchLogRecordProcessor, InMemoryLogExporter

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning"),  # 3.12+: threads + fork
]


def _child_finishes(lock: Any, work: Any) -> bool:
    """Hold ``lock`` in another thread, fork, run ``work`` in the child: did it finish?"""
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with lock:
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(5)
    try:
        pid = os.fork()
        if pid == 0:  # child
            try:
                work()
            finally:
                os._exit(0)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return True
            time.sleep(0.01)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        return False
    finally:
        release.set()
        holder.join(5)


def test_child_can_get_loggers_and_shut_down_when_the_provider_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.get_logger("made.in.child").emit(body="x")
        provider.shutdown()

    assert _child_finishes(provider._lock, work)


def test_child_can_add_processors_when_the_multi_processor_lock_was_held() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)

    def work() -> None:
        provider.add_log_record_processor(BatchLogRecordProcessor(InMemoryLogExporter()))

    assert _child_finishes(provider._multi._lock, work)


def test_child_can_shut_down_a_batch_processor_whose_shutdown_lock_was_held() -> None:
    processor = BatchLogRecordProcessor(InMemoryLogExporter())
    try:
        assert _child_finishes(processor._shutdown_lock, lambda: processor.shutdown(1000))
    finally:
        processor.shutdown(1000)


def test_child_can_export_to_memory_when_the_exporter_lock_was_held() -> None:
    exporter = InMemoryLogExporter()
    assert _child_finishes(exporter._lock, exporter.get_finished_logs)


def test_child_can_report_a_failure_when_the_report_once_lock_was_held() -> None:
    import logging

    from otel import _once
    from otel.sdk.logs import _guard

    def work() -> None:
        try:
            raise RuntimeError("in child")
        except RuntimeError:
            _guard.report_once(logging.getLogger("otel.test"), ("child", object()), "failed")

    assert _child_finishes(_once._REPORTED._lock, work)
