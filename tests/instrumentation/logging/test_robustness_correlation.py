"""A failure while correlating a record is reported once per record, never recursively,
and the record still carries the correlation fields (zeros) its format string expects."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from otel.instrumentation.logging import LoggingInstrumentor
from otel.trace import INVALID_SPAN_CONTEXT, NonRecordingSpan, SpanContext, use_span


class _BrokenSpan(NonRecordingSpan):
    def get_span_context(self) -> SpanContext:
        raise RuntimeError("broken span")


@pytest.fixture(autouse=True)
def _instrumented() -> Iterator[None]:
    original = logging.getLogRecordFactory()
    LoggingInstrumentor().uninstrument()
    LoggingInstrumentor().instrument()
    yield
    LoggingInstrumentor().uninstrument()
    logging.setLogRecordFactory(original)


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
