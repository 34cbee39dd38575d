"""A component that fails on every span is reported once, not with a traceback per span
(logging a traceback per span is I/O on the request path and floods the log)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from otel.sdk.trace import SpanProcessor, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from otel.sdk.trace.sampling import Sampler


class _FailingProcessor(SpanProcessor):
    def on_start(self, span: Any, parent_context: Any = None) -> None:
        raise RuntimeError("on_start is broken")

    def on_end(self, span: Any) -> None:
        raise RuntimeError("on_end is broken")


class _FailingSampler(Sampler):
    def should_sample(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("sampler is broken")

    def get_description(self) -> str:
        return "failing"


class _FailingExporter(SpanExporter):
    def export(self, spans: Any) -> SpanExportResult:
        raise RuntimeError("exporter is broken")


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def _run(provider: TracerProvider, use_scope: bool) -> None:
    tracer = provider.get_tracer("t")
    for _ in range(5):
        if use_scope:
            with tracer.start_as_current_span("s"):
                pass
        else:
            tracer.start_span("s").end()


@pytest.mark.parametrize("use_scope", [False, True], ids=["start_span", "start_as_current_span"])
@pytest.mark.parametrize("count", [1, 2], ids=["one-processor", "two-processors"])
def test_failing_processor_is_reported_once_per_hook(
    caplog: pytest.LogCaptureFixture, use_scope: bool, count: int
) -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    for _ in range(count):
        provider.add_span_processor(_FailingProcessor())
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        _run(provider, use_scope)
    messages = [r.getMessage() for r in _errors(caplog)]
    assert sum("on_start" in m for m in messages) == 1
    assert sum("on_end" in m for m in messages) == 1


def test_failing_sampler_is_reported_once(caplog: pytest.LogCaptureFixture) -> None:
    provider = TracerProvider(sampler=_FailingSampler(), shutdown_on_exit=False)
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        _run(provider, use_scope=False)
    assert len(_errors(caplog)) == 1


def test_failing_exporter_behind_simple_processor_is_reported_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(_FailingExporter()))
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        _run(provider, use_scope=False)
    assert len(_errors(caplog)) == 1


class _ExporterFailingAtShutdown(SpanExporter):
    def export(self, spans: Any) -> SpanExportResult:
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        raise RuntimeError("shutdown is broken")


def test_simple_processor_shutdown_does_not_raise_an_exporter_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    processor = SimpleSpanProcessor(_ExporterFailingAtShutdown())
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        processor.shutdown()
    assert "shutdown is broken" in caplog.text
