from __future__ import annotations

import gc
import logging
import weakref
from typing import Any

import pytest

from otel import trace
from otel.sdk.trace import (
    ConcurrentMultiSpanProcessor,
    SpanProcessor,
    SynchronousMultiSpanProcessor,
    TracerProvider,
)
from otel.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.sdk.trace.sampling import Sampler


def test_tracer_is_cached_per_scope() -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    assert provider.get_tracer("a") is provider.get_tracer("a")
    assert provider.get_tracer("a", "1") is provider.get_tracer("a", "1")
    assert provider.get_tracer("a", "1") is not provider.get_tracer("a", "2")
    assert provider.get_tracer("a", None, "s1") is not provider.get_tracer("a", None, "s2")
    assert provider.get_tracer("a", attributes={"x": 1}) is provider.get_tracer(
        "a", attributes={"x": 1}
    )
    assert provider.get_tracer("a", attributes={"x": 1}) is not provider.get_tracer(
        "a", attributes={"x": 2}
    )


def test_empty_tracer_name_logs_and_works(caplog: pytest.LogCaptureFixture) -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    with caplog.at_level(logging.ERROR):
        tracer = provider.get_tracer("")
    assert tracer.start_span("s").is_recording()
    assert "invalid" in caplog.text


def test_sdk_disabled_hands_out_no_op_tracers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    provider = TracerProvider(shutdown_on_exit=False)
    tracer = provider.get_tracer("t")
    assert isinstance(tracer, trace.NoOpTracer)
    assert not tracer.start_span("s").is_recording()


def test_global_provider_binds_proxy_tracers() -> None:
    proxy = trace.get_tracer("early")
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    with proxy.start_as_current_span("s"):
        pass
    assert [s.name for s in exporter.get_finished_spans()] == ["s"]


def test_processor_added_later_sees_spans_of_existing_tracers() -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    tracer = provider.get_tracer("t")
    tracer.start_span("before").end()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer.start_span("after").end()
    assert [s.name for s in exporter.get_finished_spans()] == ["after"]


def test_several_processors_each_get_the_span() -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    first, second = InMemorySpanExporter(), InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(first))
    provider.add_span_processor(SimpleSpanProcessor(second))
    provider.get_tracer("t").start_span("s").end()
    assert len(first.get_finished_spans()) == len(second.get_finished_spans()) == 1


class Counting(SpanProcessor):
    def __init__(self, flush_result: bool = True) -> None:
        self.shutdowns = 0
        self.flushes = 0
        self.flush_result = flush_result

    def shutdown(self) -> None:
        self.shutdowns += 1

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        self.flushes += 1
        return self.flush_result


def test_shutdown_once(caplog: pytest.LogCaptureFixture) -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    processor = Counting()
    provider.add_span_processor(processor)
    provider.shutdown()
    with caplog.at_level(logging.WARNING):
        provider.shutdown()
    assert processor.shutdowns == 1
    assert "once" in caplog.text


def test_force_flush_reports_failure() -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    ok, failing = Counting(), Counting(flush_result=False)
    provider.add_span_processor(ok)
    provider.add_span_processor(failing)
    assert provider.force_flush() is False
    assert ok.flushes == failing.flushes == 1


@pytest.mark.parametrize("cls", [SynchronousMultiSpanProcessor, ConcurrentMultiSpanProcessor])
def test_multi_processors_flush_and_shutdown_all(cls) -> None:  # type: ignore[no-untyped-def]
    multi = cls()
    processors = [Counting(), Counting()]
    for p in processors:
        multi.add_span_processor(p)
    assert multi.force_flush(1000) is True
    multi.shutdown()
    assert [(p.flushes, p.shutdowns) for p in processors] == [(1, 1), (1, 1)]


def test_provider_with_shutdown_on_exit_can_be_collected() -> None:
    provider = TracerProvider(shutdown_on_exit=True)
    ref = weakref.ref(provider)
    del provider
    gc.collect()
    assert ref() is None


def test_explicit_active_span_processor() -> None:
    multi = SynchronousMultiSpanProcessor()
    exporter = InMemorySpanExporter()
    multi.add_span_processor(SimpleSpanProcessor(exporter))
    provider = TracerProvider(active_span_processor=multi, shutdown_on_exit=False)
    provider.get_tracer("t").start_span("s").end()
    assert len(exporter.get_finished_spans()) == 1


# --- A component that fails on every span is reported once, not with a traceback per span (formerly
# test_robustness_reporting.py)
# (logging a traceback per span is I/O on the request path and floods the log).


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
