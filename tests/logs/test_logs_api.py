from __future__ import annotations

import logging

import pytest

import otel._logs
import otel._logs.severity
import otel.logs
from otel.logs import (
    LoggerProvider,
    LogRecord,
    NoOpLogger,
    NoOpLoggerProvider,
    ProxyLogger,
    SeverityNumber,
    get_logger,
    get_logger_provider,
    set_logger_provider,
)
from otel.sdk.logs import LoggerProvider as SDKLoggerProvider
from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor


def _sdk_provider() -> tuple[SDKLoggerProvider, InMemoryLogExporter]:
    exporter = InMemoryLogExporter()
    provider = SDKLoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    return provider, exporter


def test_official_module_paths_are_aliases() -> None:
    assert otel._logs.get_logger is otel.logs.get_logger
    assert otel._logs.SeverityNumber is SeverityNumber
    assert otel._logs.severity.std_to_otel is otel.logs.std_to_otel


def test_without_sdk_get_logger_returns_a_proxy_that_drops() -> None:
    logger = get_logger("lib")
    assert isinstance(logger, ProxyLogger)
    assert not logger.enabled()
    logger.emit(body="nobody listens")  # no error, nothing happens


def test_proxy_logger_binds_when_sdk_provider_is_set() -> None:
    logger = get_logger("lib", "1.2")
    provider, exporter = _sdk_provider()
    set_logger_provider(provider)
    assert logger.enabled()
    logger.emit(body="now recorded", severity_number=SeverityNumber.INFO)
    (data,) = exporter.get_finished_logs()
    assert data.log_record.body == "now recorded"
    assert data.instrumentation_scope.name == "lib"
    assert data.instrumentation_scope.version == "1.2"


def test_get_logger_after_set_returns_sdk_logger_directly() -> None:
    provider, _ = _sdk_provider()
    set_logger_provider(provider)
    assert get_logger_provider() is provider
    assert not isinstance(get_logger("lib"), ProxyLogger)


def test_second_set_logger_provider_is_ignored_with_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, _ = _sdk_provider()
    second, _ = _sdk_provider()
    set_logger_provider(first)
    with caplog.at_level(logging.WARNING, logger="otel.logs"):
        set_logger_provider(second)
    assert get_logger_provider() is first
    assert "already set" in caplog.text


def test_reset_unbinds_proxies() -> None:
    logger = get_logger("lib")
    provider, exporter = _sdk_provider()
    set_logger_provider(provider)
    otel.logs._reset_logger_provider()
    logger.emit(body="dropped")
    assert exporter.get_finished_logs() == ()


def test_get_logger_with_explicit_provider() -> None:
    provider, exporter = _sdk_provider()
    get_logger("lib", logger_provider=provider).emit(body="x")
    assert len(exporter.get_finished_logs()) == 1


def test_noop_provider_and_logger() -> None:
    logger = NoOpLoggerProvider().get_logger("lib")
    assert isinstance(logger, NoOpLogger)
    assert not logger.enabled()
    logger.emit(LogRecord(body="x"))


def test_api_log_record_holds_every_field() -> None:
    record = LogRecord(
        timestamp=1,
        observed_timestamp=2,
        severity_text="WARN",
        severity_number=SeverityNumber.WARN,
        body={"k": [1, 2]},
        attributes={"a": 1},
        event_name="app.started",
    )
    assert (record.timestamp, record.observed_timestamp) == (1, 2)
    assert record.body == {"k": [1, 2]}
    assert record.event_name == "app.started"
    assert not hasattr(record, "__dict__")


def test_custom_provider_subclass_works_with_get_logger() -> None:
    class Mine(LoggerProvider):
        def get_logger(self, name, version=None, schema_url=None, attributes=None):  # type: ignore[no-untyped-def]
            return NoOpLogger(name)

    assert isinstance(get_logger("x", logger_provider=Mine()), NoOpLogger)
