from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence

import pytest

from otel.logs import SeverityNumber, get_logger_provider, set_logger_provider
from otel.sdk.logs import LogData, LoggerProvider, LoggingHandler
from otel.sdk.logs.export import (
    BatchLogRecordProcessor,
    InMemoryLogExporter,
    LogExporter,
    LogExportResult,
    SimpleLogRecordProcessor,
)
from otel.trace import NonRecordingSpan, SpanContext, TraceFlags, use_span


@pytest.fixture
def exporter() -> InMemoryLogExporter:
    return InMemoryLogExporter()


@pytest.fixture
def provider(exporter: InMemoryLogExporter) -> LoggerProvider:
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    return provider


@pytest.fixture
def app_logger(provider: LoggerProvider) -> Iterator[logging.Logger]:
    logger = logging.getLogger("tests.app")
    handler = LoggingHandler(logger_provider=provider)
    logger.addHandler(handler)
    logger.setLevel(1)
    logger.propagate = False
    yield logger
    logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True


def _rec(**fields: object) -> logging.LogRecord:
    """A LogRecord as ``logging`` would create it, with some fields overridden."""
    values: dict[str, object] = {"name": "tests.app", "levelno": 20, "levelname": "INFO"}
    values.update(fields)
    return logging.makeLogRecord(values)


def _only(exporter: InMemoryLogExporter) -> LogData:
    (data,) = exporter.get_finished_logs()
    return data


@pytest.mark.parametrize(
    ("level", "number", "text"),
    [
        (logging.DEBUG, SeverityNumber.DEBUG, "DEBUG"),
        (logging.INFO, SeverityNumber.INFO, "INFO"),
        (logging.WARNING, SeverityNumber.WARN, "WARNING"),
        (logging.ERROR, SeverityNumber.ERROR, "ERROR"),
        (logging.CRITICAL, SeverityNumber.FATAL, "CRITICAL"),
        (25, SeverityNumber.INFO4, "Level 25"),
        (5, SeverityNumber.TRACE, None),  # "Level 5", or "TRACE" once uvicorn was imported
    ],
)
def test_level_maps_to_severity_number_and_text(
    app_logger: logging.Logger,
    exporter: InMemoryLogExporter,
    level: int,
    number: SeverityNumber,
    text: str | None,
) -> None:
    app_logger.log(level, "msg")
    record = _only(exporter).log_record
    assert record.severity_number is number
    # the stdlib's level name; a library may have named a custom level (uvicorn: 5 "TRACE")
    assert record.severity_text == logging.getLevelName(level)
    if text is not None:
        assert record.severity_text == text


def test_formatted_message_is_the_body(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("user %s bought %d items", "ann", 3)
    assert _only(exporter).log_record.body == "user ann bought 3 items"


def test_handler_formatter_formats_the_body(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider)
    handler.setFormatter(logging.Formatter("%(levelname)s:%(message)s"))
    handler.handle(_rec(msg="hi %s", args=("x",), levelno=20))
    assert _only(exporter).log_record.body == "INFO:hi x"


def test_non_string_message_is_kept_as_structured_body(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info({"event": "login", "user": 7, "roles": ["a"]})
    assert _only(exporter).log_record.body == {"event": "login", "user": 7, "roles": ["a"]}


def test_bad_format_args_still_produce_a_record(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    LoggingHandler(logger_provider=provider).handle(_rec(msg="%d apples", args=("many",)))
    assert "apples" in _only(exporter).log_record.body


def test_timestamp_is_the_record_creation_time(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("x")
    record = _only(exporter).log_record
    assert record.timestamp is not None
    assert abs(record.timestamp - record.observed_timestamp) < 10**9


def test_exception_record_carries_type_message_and_stacktrace(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    try:
        raise ValueError("bad input")
    except ValueError:
        app_logger.exception("failed")
    record = _only(exporter).log_record
    assert record.body == "failed"
    assert record.severity_number is SeverityNumber.ERROR
    assert record.attributes["exception.type"] == "ValueError"
    assert record.attributes["exception.message"] == "bad input"
    stack = record.attributes["exception.stacktrace"]
    assert isinstance(stack, str)
    assert "Traceback" in stack and "raise ValueError" in stack


def test_non_builtin_exception_type_is_qualified(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    import json

    try:
        json.loads("{")
    except json.JSONDecodeError:
        app_logger.error("parse", exc_info=True)
    assert _only(exporter).log_record.attributes["exception.type"] == "json.decoder.JSONDecodeError"


def test_extra_fields_become_attributes_and_invalid_ones_are_dropped(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info(
        "order",
        extra={"order_id": 42, "tags": ["a", "b"], "ok": True, "obj": object(), "nested": {"x": 1}},
    )
    attributes = _only(exporter).log_record.attributes
    assert attributes["order_id"] == 42
    assert attributes["tags"] == ("a", "b")
    assert attributes["ok"] is True
    assert "obj" not in attributes and "nested" not in attributes


def test_standard_record_fields_are_not_attributes(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("x")
    attributes = _only(exporter).log_record.attributes
    assert set(attributes) == {"code.file.path", "code.function.name", "code.line.number"}


def test_code_attributes_point_at_the_call_site(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("x")
    line = test_code_attributes_point_at_the_call_site.__code__.co_firstlineno + 3
    attributes = _only(exporter).log_record.attributes
    assert attributes["code.file.path"] == __file__
    assert attributes["code.function.name"] == "test_code_attributes_point_at_the_call_site"
    assert attributes["code.line.number"] == line


def test_legacy_code_attributes_on_request(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider, legacy_code_attributes=True)
    handler.handle(_rec(msg="x", pathname="/a.py", lineno=3))
    attributes = _only(exporter).log_record.attributes
    assert attributes["code.filepath"] == "/a.py"
    assert attributes["code.lineno"] == 3
    assert attributes["code.file.path"] == "/a.py"


def test_code_attributes_can_be_switched_off(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider, log_code_attributes=False)
    handler.handle(_rec(msg="x"))
    assert dict(_only(exporter).log_record.attributes) == {}


def test_stack_info_becomes_code_stacktrace(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("x", stack_info=True)
    assert (
        "Stack (most recent call last)" in _only(exporter).log_record.attributes["code.stacktrace"]
    )


def test_record_inside_span_carries_its_ids(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    span = NonRecordingSpan(SpanContext(0xA1B2, 0xC3D4, False, TraceFlags(1)))
    with use_span(span):
        app_logger.warning("inside")
    app_logger.warning("outside")
    inside, outside = (d.log_record for d in exporter.get_finished_logs())
    assert (inside.trace_id, inside.span_id, inside.trace_flags) == (0xA1B2, 0xC3D4, 1)
    assert (outside.trace_id, outside.span_id, outside.trace_flags) == (0, 0, 0)


def test_record_inside_sdk_span_carries_its_ids(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    import otel.sdk.trace as sdk_trace

    tracer = sdk_trace.TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("op") as span:
        app_logger.info("inside")
    context = span.get_span_context()
    record = _only(exporter).log_record
    assert (record.trace_id, record.span_id) == (context.trace_id, context.span_id)
    assert record.trace_flags == int(context.trace_flags)


def test_records_from_the_otel_hierarchy_are_ignored(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider)
    for name in ("otel", "otel.sdk.logs", "otel.exporter.otlp"):
        handler.handle(_rec(msg="internal", name=name))
    handler.handle(_rec(msg="user", name="otelx"))
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["user"]


class _FailingLoudExporter(LogExporter):
    """Logs about its failure, through otel's logger and a third-party one, then raises."""

    def __init__(self) -> None:
        self.calls = 0

    def export(self, batch: Sequence[LogData]) -> LogExportResult:
        self.calls += 1
        logging.getLogger("otel.exporter.test").error("export failed")
        logging.getLogger("urllib3.connectionpool").warning("connection refused")
        raise ConnectionError("collector down")


def test_no_recursion_when_exporter_fails_and_logs_simple(caplog: pytest.LogCaptureFixture) -> None:
    exporter = _FailingLoudExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    root = logging.getLogger()
    handler = LoggingHandler(logger_provider=provider)
    root.addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            logging.getLogger("tests.app").warning("one record")
    finally:
        root.removeHandler(handler)
    assert exporter.calls == 1
    assert "export failed" in caplog.text  # the diagnostics still reach other handlers


def test_no_recursion_when_exporter_fails_and_logs_batch() -> None:
    exporter = _FailingLoudExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    processor = BatchLogRecordProcessor(exporter, schedule_delay_millis=10_000)
    provider.add_log_record_processor(processor)
    root = logging.getLogger()
    handler = LoggingHandler(logger_provider=provider)
    root.addHandler(handler)
    try:
        logging.getLogger("tests.app").warning("one record")
        assert processor.force_flush(2000)
        assert processor.force_flush(2000)  # nothing new was queued by the failure
    finally:
        root.removeHandler(handler)
        processor.shutdown(2000)
    assert exporter.calls == 1


def test_records_from_8_threads_are_all_exported() -> None:
    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    processor = BatchLogRecordProcessor(
        exporter, max_queue_size=8 * 500, max_export_batch_size=128, schedule_delay_millis=50
    )
    provider.add_log_record_processor(processor)
    logger = logging.getLogger("tests.threads")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = LoggingHandler(logger_provider=provider)
    logger.addHandler(handler)

    def work(n: int) -> None:
        for i in range(500):
            logger.info("t%d-%d", n, i)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert processor.force_flush(5000)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        processor.shutdown(2000)
    bodies = {d.log_record.body for d in exporter.get_finished_logs()}
    assert len(bodies) == 8 * 500
    assert processor.dropped == 0


def test_handler_with_global_proxy_binds_later(exporter: InMemoryLogExporter) -> None:
    handler = LoggingHandler()  # global provider not set yet
    handler.handle(_rec(msg="before", name="tests.app"))
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    set_logger_provider(provider)
    assert get_logger_provider() is provider
    handler.handle(_rec(msg="after", name="tests.app"))
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["after"]


def test_handler_never_raises_into_the_application(
    provider: LoggerProvider, exporter: InMemoryLogExporter, caplog: pytest.LogCaptureFixture
) -> None:
    class Exploding(LogExporter):
        def export(self, batch: Sequence[LogData]) -> LogExportResult:
            raise RuntimeError("boom")

    provider.add_log_record_processor(SimpleLogRecordProcessor(Exploding()))
    handler = LoggingHandler(logger_provider=provider)
    with caplog.at_level(logging.WARNING, "otel"):
        handler.handle(_rec(msg="x"))  # must not raise
        handler.handle(_rec(msg="y"))
    # the other processor still got both records, and the failure was reported once
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["x", "y"]
    reports = [r for r in caplog.records if "Exploding failed to export" in r.getMessage()]
    assert len(reports) == 1


def test_flush_flushes_the_provider(provider: LoggerProvider) -> None:
    flushed: list[int] = []

    class Flushing(SimpleLogRecordProcessor):
        def force_flush(self, timeout_millis: int = 30000) -> bool:
            flushed.append(timeout_millis)
            return True

    provider.add_log_record_processor(Flushing(InMemoryLogExporter()))
    handler = LoggingHandler(logger_provider=provider)
    handler.flush_timeout_millis = 1234
    handler.flush()
    assert len(flushed) == 1 and 1000 < flushed[0] <= 1234


def test_handle_does_not_take_the_handler_lock(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider)
    handler.acquire()  # another thread holding the lock must not block emitting
    try:
        result: list[object] = []
        t = threading.Thread(target=lambda: result.append(handler.handle(_rec(msg="x"))))
        t.start()
        t.join(2)
        assert not t.is_alive()
    finally:
        handler.release()
    assert len(exporter.get_finished_logs()) == 1


def test_filtered_records_are_not_emitted(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    handler = LoggingHandler(logger_provider=provider)
    handler.addFilter(lambda record: record.getMessage() != "secret")
    handler.handle(_rec(msg="secret"))
    handler.handle(_rec(msg="public"))
    assert [d.log_record.body for d in exporter.get_finished_logs()] == ["public"]


def test_custom_multi_processor_still_sees_handler_records() -> None:
    from otel.sdk.logs import SynchronousMultiLogRecordProcessor

    seen: list[LogData] = []

    class Recording(SynchronousMultiLogRecordProcessor):
        def on_emit(self, log_data: LogData) -> None:
            seen.append(log_data)
            super().on_emit(log_data)

    multi = Recording()
    provider = LoggerProvider(shutdown_on_exit=False, multi_log_record_processor=multi)
    exporter = InMemoryLogExporter()
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    LoggingHandler(logger_provider=provider).handle(_rec(msg="x"))
    assert len(seen) == 1 and len(exporter.get_finished_logs()) == 1


def test_extra_attributes_keep_the_callers_order(
    app_logger: logging.Logger, exporter: InMemoryLogExporter
) -> None:
    app_logger.info("x", extra={"z": 1, "a": 2, "m": 3})
    keys = [k for k in _only(exporter).log_record.attributes if not k.startswith("code.")]
    assert keys == ["z", "a", "m"]


def test_extras_found_after_another_handler_formatted_the_record(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    record = _rec(msg="x", user="ann")
    logging.Formatter("%(asctime)s %(message)s").format(record)  # adds message, asctime
    LoggingHandler(logger_provider=provider, log_code_attributes=False).handle(record)
    assert dict(_only(exporter).log_record.attributes) == {"user": "ann"}


def test_exception_instance_as_exc_info_is_understood(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    LoggingHandler(logger_provider=provider).handle(_rec(msg="x", exc_info=KeyError("k")))
    assert _only(exporter).log_record.attributes["exception.type"] == "KeyError"


def test_exc_info_true_without_exception_is_ignored(
    provider: LoggerProvider, exporter: InMemoryLogExporter
) -> None:
    LoggingHandler(logger_provider=provider).handle(_rec(msg="x", exc_info=True))
    assert "exception.type" not in _only(exporter).log_record.attributes


def test_non_sdk_provider_receives_api_log_records() -> None:
    from otel.logs import Logger as APILogger
    from otel.logs import LoggerProvider as APILoggerProvider
    from otel.logs import LogRecord as APILogRecord

    received: list[APILogRecord] = []

    class ListLogger(APILogger):
        def emit(self, record=None, **kwargs):  # type: ignore[no-untyped-def,override]
            received.append(record)

    class ListProvider(APILoggerProvider):
        def get_logger(self, name, version=None, schema_url=None, attributes=None):  # type: ignore[no-untyped-def]
            return ListLogger(name)

    span = NonRecordingSpan(SpanContext(7, 8, False, TraceFlags(1)))
    with use_span(span):
        LoggingHandler(logger_provider=ListProvider()).handle(_rec(msg="hi", levelno=40))
    (record,) = received
    assert record.body == "hi"
    assert record.severity_number is SeverityNumber.ERROR
    assert (record.trace_id, record.span_id) == (7, 8)


def test_handle_returns_like_the_stdlib(provider: LoggerProvider) -> None:
    handler = LoggingHandler(logger_provider=provider)
    assert handler.handle(_rec(msg="kept"))
    handler.addFilter(lambda record: False)
    assert not handler.handle(_rec(msg="filtered"))


def test_disabled_sdk_handler_builds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    provider = LoggerProvider(shutdown_on_exit=False)
    handler = LoggingHandler(logger_provider=provider)
    monkeypatch.setattr(handler, "_translate", lambda record: pytest.fail("translated"))
    handler.handle(_rec(msg="x"))


def test_a_component_failing_on_every_record_is_reported_once(
    provider: LoggerProvider, caplog: pytest.LogCaptureFixture
) -> None:
    class Exploding(LogExporter):
        def export(self, batch: Sequence[LogData]) -> LogExportResult:
            raise RuntimeError("still broken")

    provider.add_log_record_processor(SimpleLogRecordProcessor(Exploding()))
    handler = LoggingHandler(logger_provider=provider)
    with caplog.at_level(logging.ERROR, logger="otel"):
        for _ in range(5):
            handler.handle(_rec(msg="x"))
    assert len([r for r in caplog.records if "failed to export" in r.getMessage()]) == 1


def test_flush_of_a_handler_made_before_the_provider_flushes_the_global_one() -> None:
    flushed: list[int] = []

    class Flushing(SimpleLogRecordProcessor):
        def force_flush(self, timeout_millis: int = 30000) -> bool:
            flushed.append(timeout_millis)
            return True

    handler = LoggingHandler()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(Flushing(InMemoryLogExporter()))
    set_logger_provider(provider)
    handler.flush()
    assert len(flushed) == 1


def test_provider_limits_apply_to_handler_records() -> None:
    from otel.sdk.logs import LogLimits

    exporter = InMemoryLogExporter()
    provider = LoggerProvider(
        shutdown_on_exit=False,
        log_record_limits=LogLimits(max_attributes=2, max_attribute_length=3),
    )
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    handler = LoggingHandler(logger_provider=provider)
    handler.handle(_rec(msg="x", pathname="/long/path.py", funcName="handler_fn"))
    record = _only(exporter).log_record
    assert dict(record.attributes) == {"code.file.path": "/lo", "code.function.name": "han"}
    assert record.dropped_attributes == 1
