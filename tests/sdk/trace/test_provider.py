from __future__ import annotations

import gc
import logging
import weakref

import pytest

from otel import trace
from otel.sdk.trace import (
    ConcurrentMultiSpanProcessor,
    SpanProcessor,
    SynchronousMultiSpanProcessor,
    TracerProvider,
)
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


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
