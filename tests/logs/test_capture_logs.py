from __future__ import annotations

import logging

from otel.logs import SeverityNumber, get_logger, get_logger_provider, set_logger_provider
from otel.sdk.logs import LoggerProvider, LoggingHandler
from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor
from otel.testing._logs import CapturedLogs, capture_logs, captured_logs


def test_captures_stdlib_records_with_attributes() -> None:
    with capture_logs() as logs:
        logging.getLogger("shop").info("low stock", extra={"sku": "A1"})
    assert logs.bodies == ["low stock"]
    assert logs[0].log_record.attributes["sku"] == "A1"
    assert logs[0].log_record.severity_number is SeverityNumber.INFO
    assert logs[0].instrumentation_scope.name == "shop"


def test_captures_debug_records_by_default() -> None:
    with capture_logs() as logs:
        logging.getLogger("shop").debug("detail")
    assert logs.bodies == ["detail"]


def test_captures_api_emitted_records() -> None:
    logger = get_logger("lib")
    with capture_logs() as logs:
        logger.emit(body={"event": "x"}, event_name="lib.event")
    assert logs.records[0].event_name == "lib.event"
    assert logs.bodies == [{"event": "x"}]


def test_restores_global_state_and_stops_capturing_on_exit() -> None:
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    with capture_logs() as logs:
        pass
    logging.getLogger("shop").warning("after")
    get_logger("lib").emit(body="after")
    assert len(logs) == 0
    assert root.handlers == handlers_before
    assert root.level == level_before
    assert not isinstance(get_logger_provider(), LoggerProvider)


def test_uses_the_global_sdk_provider_when_one_is_set() -> None:
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    set_logger_provider(provider)
    with capture_logs() as logs:
        logging.getLogger("shop").warning("both see it")
    assert logs.logger_provider is provider
    assert logs.bodies == ["both see it"]
    assert len(exporter.get_finished_logs()) == 1
    logging.getLogger("shop").warning("only the real exporter")
    assert len(logs) == 1


def test_does_not_double_attach_when_handler_already_present() -> None:
    provider = LoggerProvider(shutdown_on_exit=False)
    root = logging.getLogger()
    handler = LoggingHandler(logger_provider=provider)
    root.addHandler(handler)
    try:
        with capture_logs(provider) as logs:
            logging.getLogger("shop").warning("once")
    finally:
        root.removeHandler(handler)
    assert logs.bodies == ["once"]


def test_named_logger_and_no_level_change() -> None:
    target = logging.getLogger("only.this")
    target.setLevel(logging.WARNING)
    try:
        with capture_logs(logger="only.this", level=None) as logs:
            target.info("filtered by level")
            target.error("kept")
            logging.getLogger("other").error("not attached")
    finally:
        target.setLevel(logging.NOTSET)
    assert logs.bodies == ["kept"]


def test_clear_and_sequence_protocol() -> None:
    with capture_logs() as logs:
        logging.getLogger("a").info("1")
        logging.getLogger("a").info("2")
        assert isinstance(logs, CapturedLogs)
        assert len(logs) == 2 and [d.log_record.body for d in logs] == ["1", "2"]
        assert logs[-1].log_record.body == "2"
        logs.clear()
        assert len(logs) == 0


def test_fixture_generator_yields_a_capture() -> None:
    generator = captured_logs()
    logs = next(generator)
    logging.getLogger("fx").warning("in fixture")
    generator.close()
    assert logs.bodies == ["in fixture"]


def test_handler_made_before_any_provider_is_not_doubled() -> None:
    root = logging.getLogger()
    early = LoggingHandler()  # bound to the proxy provider, follows the global one
    root.addHandler(early)
    try:
        with capture_logs() as logs:
            logging.getLogger("shop").warning("once only")
    finally:
        root.removeHandler(early)
    assert logs.bodies == ["once only"]
