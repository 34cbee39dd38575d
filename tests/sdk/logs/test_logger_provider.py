from __future__ import annotations

import atexit
import logging

import pytest

from otel.context import Context
from otel.logs import LogRecord as APILogRecord
from otel.logs import NoOpLogger, SeverityNumber
from otel.sdk.logs import (
    ConcurrentMultiLogRecordProcessor,
    LogData,
    LoggerProvider,
    LogLimits,
    LogRecord,
    LogRecordProcessor,
)
from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor
from otel.sdk.resources import Resource
from otel.trace import NonRecordingSpan, SpanContext, TraceFlags, set_span_in_context, use_span

_SPAN = NonRecordingSpan(SpanContext(0x1234, 0x5678, False, TraceFlags(1)))


def _provider(**kwargs: object) -> tuple[LoggerProvider, InMemoryLogExporter]:
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False, **kwargs)  # type: ignore[arg-type]
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    return provider, exporter


def test_get_logger_is_cached_per_scope() -> None:
    provider, _ = _provider()
    assert provider.get_logger("a") is provider.get_logger("a")
    assert provider.get_logger("a") is not provider.get_logger("a", "2.0")
    with_attrs = provider.get_logger("a", attributes={"k": "v"})
    assert with_attrs is provider.get_logger("a", attributes={"k": "v"})


def test_emit_keywords_build_a_full_record() -> None:
    provider, exporter = _provider(resource=Resource({"service.name": "shop"}))
    logger = provider.get_logger("lib", "1.0", "https://schema")
    logger.emit(
        timestamp=10,
        observed_timestamp=20,
        context=set_span_in_context(_SPAN),
        severity_number=SeverityNumber.WARN,
        severity_text="WARN",
        body={"order": 7, "items": ["a", "b"]},
        attributes={"k": "v"},
        event_name="order.placed",
    )
    (data,) = exporter.get_finished_logs()
    record = data.log_record
    assert (record.timestamp, record.observed_timestamp) == (10, 20)
    assert (record.trace_id, record.span_id, record.trace_flags) == (0x1234, 0x5678, 1)
    assert record.severity_number is SeverityNumber.WARN
    assert record.body == {"order": 7, "items": ["a", "b"]}
    assert dict(record.attributes) == {"k": "v"}
    assert record.event_name == "order.placed"
    assert record.resource.attributes["service.name"] == "shop"
    assert data.instrumentation_scope.schema_url == "https://schema"


def test_emit_uses_current_context_by_default() -> None:
    provider, exporter = _provider()
    with use_span(_SPAN):
        provider.get_logger("lib").emit(body="inside")
    assert exporter.get_finished_logs()[0].log_record.span_id == 0x5678


def test_emit_accepts_an_api_log_record() -> None:
    provider, exporter = _provider()
    provider.get_logger("lib").emit(
        APILogRecord(body=[1, 2], severity_number=SeverityNumber.DEBUG, trace_id=5, span_id=6)
    )
    record = exporter.get_finished_logs()[0].log_record
    assert isinstance(record, LogRecord)
    assert record.body == [1, 2]
    assert (record.trace_id, record.span_id) == (5, 6)
    assert record.resource is provider.resource


def test_emit_accepts_an_sdk_log_record_and_sets_missing_resource() -> None:
    provider, exporter = _provider()
    mine = LogRecord(body="sdk", context=Context())
    provider.get_logger("lib").emit(mine)
    record = exporter.get_finished_logs()[0].log_record
    assert record is mine
    assert record.resource is provider.resource


def test_provider_limits_apply_to_emitted_records() -> None:
    provider, exporter = _provider(log_record_limits=LogLimits(max_attributes=1))
    provider.get_logger("lib").emit(body="x", attributes={"a": 1, "b": 2})
    record = exporter.get_finished_logs()[0].log_record
    assert len(record.attributes) == 1 and record.dropped_attributes == 1


def test_failing_processor_does_not_stop_others_or_raise(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(LogRecordProcessor):
        def on_emit(self, log_data: LogData) -> None:
            raise RuntimeError("boom")

    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(Broken())
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    with caplog.at_level(logging.ERROR, logger="otel.sdk.logs"):
        provider.get_logger("lib").emit(body="x")
    assert len(exporter.get_finished_logs()) == 1
    assert "boom" in caplog.text


def test_processor_written_with_legacy_emit_name_is_called() -> None:
    seen: list[LogData] = []

    class Legacy(LogRecordProcessor):
        def emit(self, log_data: LogData) -> None:
            seen.append(log_data)

    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(Legacy())
    provider.get_logger("lib").emit(body="x")
    assert len(seen) == 1


def test_sdk_disabled_hands_out_noop_loggers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert isinstance(LoggerProvider(shutdown_on_exit=False).get_logger("lib"), NoOpLogger)


def test_logger_enabled_only_with_processors() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)
    logger = provider.get_logger("lib")
    assert not logger.enabled()
    provider.add_log_record_processor(SimpleLogRecordProcessor(InMemoryLogExporter()))
    assert logger.enabled()


def test_shutdown_runs_once_and_unregisters_atexit(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[object] = []
    unregistered: list[object] = []
    monkeypatch.setattr(atexit, "register", registered.append)
    monkeypatch.setattr(atexit, "unregister", unregistered.append)
    calls: list[str] = []

    class Counting(LogRecordProcessor):
        def shutdown(self) -> None:
            calls.append("shutdown")

    provider = LoggerProvider()
    provider.add_log_record_processor(Counting())
    provider.shutdown()
    provider.shutdown()
    assert calls == ["shutdown"]
    assert registered == unregistered and len(registered) == 1


def test_force_flush_reports_processor_results() -> None:
    class Slow(LogRecordProcessor):
        def force_flush(self, timeout_millis: int = 30000) -> bool:
            return False

    provider, _ = _provider()
    assert provider.force_flush()
    provider.add_log_record_processor(Slow())
    assert not provider.force_flush(100)


def test_concurrent_multi_processor_flushes_all() -> None:
    flushed: list[int] = []

    class Flushing(LogRecordProcessor):
        def force_flush(self, timeout_millis: int = 30000) -> bool:
            flushed.append(1)
            return True

    multi = ConcurrentMultiLogRecordProcessor()
    provider = LoggerProvider(shutdown_on_exit=False, multi_log_record_processor=multi)
    provider.add_log_record_processor(Flushing())
    provider.add_log_record_processor(Flushing())
    assert provider.force_flush(1000)
    assert len(flushed) == 2


def test_default_resource_comes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-env")
    provider = LoggerProvider(shutdown_on_exit=False)
    assert provider.resource.attributes["service.name"] == "from-env"


def _raised() -> ValueError:
    try:
        raise ValueError("no stock")
    except ValueError as exc:
        return exc


def test_emit_exception_keyword_adds_exception_attributes() -> None:
    provider, exporter = _provider()
    provider.get_logger("lib").emit(body="failed", exception=_raised())
    attributes = exporter.get_finished_logs()[0].log_record.attributes
    assert attributes["exception.type"] == "ValueError"
    assert attributes["exception.message"] == "no stock"
    assert "raise ValueError" in str(attributes["exception.stacktrace"])


def test_given_attributes_win_over_exception_attributes() -> None:
    provider, exporter = _provider()
    provider.get_logger("lib").emit(
        APILogRecord(exception=_raised(), attributes={"exception.message": "mine"})
    )
    attributes = exporter.get_finished_logs()[0].log_record.attributes
    assert attributes["exception.message"] == "mine"
    assert attributes["exception.type"] == "ValueError"


def test_log_data_reads_like_readable_log_record() -> None:
    provider, exporter = _provider(log_record_limits=LogLimits(max_attributes=0))
    provider.get_logger("lib").emit(body="x", attributes={"a": 1})
    data = exporter.get_finished_logs()[0]
    assert data.resource is provider.resource
    assert data.dropped_attributes == 1
    assert data.limits.max_attributes == 0


def test_processor_can_add_attributes_without_affecting_other_records() -> None:
    class Enriching(LogRecordProcessor):
        def on_emit(self, log_data: LogData) -> None:
            log_data.log_record.attributes["enriched"] = True  # type: ignore[index]

    provider, exporter = _provider()
    provider.add_log_record_processor(Enriching())
    logger = provider.get_logger("lib")
    logger.emit(body="first")
    logger.emit(body="second")
    LogRecord(body="standalone")
    first, second = (d.log_record for d in exporter.get_finished_logs())
    assert first.attributes is not second.attributes
    assert dict(LogRecord(body="fresh").attributes) == {}


def test_get_logger_after_shutdown_returns_noop_logger() -> None:
    provider, _ = _provider()
    provider.shutdown()
    assert isinstance(provider.get_logger("late"), NoOpLogger)
