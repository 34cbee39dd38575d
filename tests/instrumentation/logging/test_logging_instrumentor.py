from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from otel.instrumentation.logging import DEFAULT_LOGGING_FORMAT, LoggingInstrumentor
from otel.trace import (
    INVALID_SPAN_CONTEXT,
    NonRecordingSpan,
    Span,
    SpanContext,
    TraceFlags,
    set_tracer_provider,
    use_span,
)

_SAMPLED = NonRecordingSpan(
    SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, False, TraceFlags(1))
)
_UNSAMPLED = NonRecordingSpan(SpanContext(0xABC, 0xDEF, False, TraceFlags(0)))


@pytest.fixture(autouse=True)
def _uninstrumented() -> Iterator[None]:
    LoggingInstrumentor().uninstrument()
    original = logging.getLogRecordFactory()
    yield
    LoggingInstrumentor().uninstrument()
    logging.setLogRecordFactory(original)


@pytest.fixture
def stream_logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter(
            "%(message)s trace=%(otelTraceID)s span=%(otelSpanID)s "
            "sampled=%(otelTraceSampled)s service=%(otelServiceName)s"
        )
    )
    logger = logging.getLogger("tests.correlation")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_format_string_gets_ids_inside_a_span(
    stream_logger: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = stream_logger
    LoggingInstrumentor().instrument()
    with use_span(_SAMPLED):
        logger.info("hello")
    assert stream.getvalue().strip() == (
        "hello trace=0af7651916cd43dd8448eb211c80319c span=b7ad6b7169203331 sampled=True service="
    )


def test_outside_a_span_ids_are_zero(stream_logger: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = stream_logger
    LoggingInstrumentor().instrument()
    logger.info("plain")
    assert stream.getvalue().strip() == "plain trace=0 span=0 sampled=False service="


def test_unsampled_span_reports_sampled_false() -> None:
    LoggingInstrumentor().instrument()
    with use_span(_UNSAMPLED):
        record = logging.getLogger("x").makeRecord("x", logging.INFO, "f", 1, "m", (), None)
    assert record.otelTraceSampled is False
    assert record.otelSpanID == "0000000000000def"


def test_service_name_comes_from_tracer_provider_resource() -> None:
    class Resource:
        attributes = {"service.name": "checkout"}

    class Provider:
        resource = Resource()

    LoggingInstrumentor().instrument(tracer_provider=Provider())
    record = logging.LogRecord("x", logging.INFO, "f", 1, "m", (), None)
    record = logging.getLogRecordFactory()("x", logging.INFO, "f", 1, "m", (), None)
    assert record.otelServiceName == "checkout"


def test_service_name_follows_global_tracer_provider() -> None:
    import otel.sdk.resources as resources
    import otel.sdk.trace as sdk_trace

    LoggingInstrumentor().instrument()
    set_tracer_provider(
        sdk_trace.TracerProvider(resource=resources.Resource({"service.name": "global-svc"}))
    )
    record = logging.getLogRecordFactory()("x", logging.INFO, "f", 1, "m", (), None)
    assert record.otelServiceName == "global-svc"


def test_uninstrument_restores_the_previous_factory() -> None:
    before = logging.getLogRecordFactory()
    LoggingInstrumentor().instrument()
    assert logging.getLogRecordFactory() is not before
    LoggingInstrumentor().uninstrument()
    assert logging.getLogRecordFactory() is before
    record = before("x", logging.INFO, "f", 1, "m", (), None)
    assert not hasattr(record, "otelTraceID")


def test_uninstrument_under_another_factory_turns_ours_into_pass_through() -> None:
    LoggingInstrumentor().instrument()
    ours = logging.getLogRecordFactory()

    def theirs(*args: object, **kwargs: object) -> logging.LogRecord:
        return ours(*args, **kwargs)

    logging.setLogRecordFactory(theirs)
    LoggingInstrumentor().uninstrument()
    assert logging.getLogRecordFactory() is theirs
    assert not hasattr(theirs("x", logging.INFO, "f", 1, "m", (), None), "otelTraceID")


def test_instrumentor_is_a_singleton_and_instrument_is_idempotent() -> None:
    assert LoggingInstrumentor() is LoggingInstrumentor()
    LoggingInstrumentor().instrument()
    factory = logging.getLogRecordFactory()
    LoggingInstrumentor().instrument()
    assert logging.getLogRecordFactory() is factory
    assert LoggingInstrumentor().is_instrumented_by_opentelemetry


def test_log_hook_sees_span_and_record() -> None:
    seen: list[tuple[Span, logging.LogRecord]] = []

    def hook(span: Span, record: logging.LogRecord) -> None:
        seen.append((span, record))
        record.custom = "hooked"  # type: ignore[attr-defined]

    LoggingInstrumentor().instrument(log_hook=hook)
    with use_span(_SAMPLED):
        record = logging.getLogRecordFactory()("x", logging.INFO, "f", 1, "m", (), None)
    assert seen[0][0] is _SAMPLED
    assert record.custom == "hooked"  # type: ignore[attr-defined]


def test_failing_log_hook_does_not_break_logging() -> None:
    def hook(span: Span, record: logging.LogRecord) -> None:
        raise RuntimeError("bad hook")

    LoggingInstrumentor().instrument(log_hook=hook)
    with use_span(_SAMPLED):
        record = logging.getLogRecordFactory()("x", logging.INFO, "f", 1, "m", (), None)
    assert record.otelSpanID == "b7ad6b7169203331"


def test_set_logging_format_configures_basic_config(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kw: calls.append(kw))
    LoggingInstrumentor().instrument(set_logging_format=True, log_level=logging.DEBUG)
    assert calls == [{"format": DEFAULT_LOGGING_FORMAT, "level": logging.DEBUG}]


def test_environment_switches_on_correlation_format(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kw: calls.append(kw))
    monkeypatch.setenv("OTEL_PYTHON_LOG_CORRELATION", "true")
    monkeypatch.setenv("OTEL_PYTHON_LOG_FORMAT", "%(otelTraceID)s %(message)s")
    monkeypatch.setenv("OTEL_PYTHON_LOG_LEVEL", "error")
    LoggingInstrumentor().instrument()
    assert calls == [{"format": "%(otelTraceID)s %(message)s", "level": logging.ERROR}]


def test_without_switch_basic_config_is_not_called(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kw: calls.append(kw))
    monkeypatch.delenv("OTEL_PYTHON_LOG_CORRELATION", raising=False)
    LoggingInstrumentor().instrument()
    assert calls == []


def test_default_format_renders_with_correlation_fields() -> None:
    LoggingInstrumentor().instrument()
    with use_span(_SAMPLED):
        record = logging.getLogRecordFactory()("app", logging.INFO, "f.py", 3, "m", (), None)
    text = logging.Formatter(DEFAULT_LOGGING_FORMAT).format(record)
    assert "trace_id=0af7651916cd43dd8448eb211c80319c" in text
    assert "span_id=b7ad6b7169203331" in text


def test_correlation_fields_do_not_become_otel_attributes() -> None:
    from otel.sdk.logs import LoggerProvider, LoggingHandler
    from otel.sdk.logs.export import InMemoryLogExporter, SimpleLogRecordProcessor

    exporter = InMemoryLogExporter()
    provider = LoggerProvider(shutdown_on_exit=False)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    LoggingInstrumentor().instrument()
    record = logging.getLogRecordFactory()("app", logging.INFO, "f.py", 3, "m", (), None)
    LoggingHandler(logger_provider=provider, log_code_attributes=False).handle(record)
    assert dict(exporter.get_finished_logs()[0].log_record.attributes) == {}


# --- A failure while correlating a record is reported once per record, never recursively, (formerly
# test_robustness_correlation.py)
# and the record still carries the correlation fields (zeros) its format string expects.


class _BrokenSpan(NonRecordingSpan):
    def get_span_context(self) -> SpanContext:
        raise RuntimeError("broken span")


@pytest.fixture
def _instrumented() -> Iterator[None]:
    original = logging.getLogRecordFactory()
    LoggingInstrumentor().uninstrument()
    LoggingInstrumentor().instrument()
    yield
    LoggingInstrumentor().uninstrument()
    logging.setLogRecordFactory(original)


@pytest.mark.usefixtures("_instrumented")
def test_failing_correlation_does_not_recurse_and_keeps_the_record() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s trace=%(otelTraceID)s"))
    logger = logging.getLogger("tests.robustness.correlation")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with use_span(_BrokenSpan(INVALID_SPAN_CONTEXT)):
            logger.warning("still logged")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert stream.getvalue() == "still logged trace=0\n"


@pytest.mark.usefixtures("_instrumented")
def test_failing_correlation_is_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.robustness.correlation.once")
    with (
        caplog.at_level(logging.ERROR, logger="otel.instrumentation.logging"),
        use_span(_BrokenSpan(INVALID_SPAN_CONTEXT)),
    ):
        for _ in range(3):
            logger.warning("again")
    reports = [r for r in caplog.records if r.name == "otel.instrumentation.logging"]
    assert len(reports) == 1
