from __future__ import annotations

import logging
from typing import Any

import pytest

from otel import trace
from otel.sdk.resources import Resource
from otel.sdk.trace import Event, ReadableSpan, Span, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.sdk.util.instrumentation import InstrumentationScope
from otel.trace import INVALID_SPAN_CONTEXT, SpanContext, SpanKind, Status, StatusCode


def test_span_is_sdk_span_and_readable(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    assert isinstance(span, Span) and isinstance(span, ReadableSpan)
    span.end()
    assert exporter.get_finished_spans()[0] is span  # no copy at end


def test_root_span_has_new_ids_random_and_sampled_flags(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    context = span.get_span_context()
    assert context.is_valid and not context.is_remote
    assert context.trace_flags.sampled and context.trace_flags.random
    assert span.parent is None


def test_child_inherits_trace_and_points_to_parent(tracer) -> None:  # type: ignore[no-untyped-def]
    with tracer.start_as_current_span("parent") as parent:
        child = tracer.start_span("child")
    assert child.context.trace_id == parent.context.trace_id
    assert child.context.span_id != parent.context.span_id
    assert child.parent == parent.get_span_context()


def test_explicit_context_wins_over_current(tracer) -> None:  # type: ignore[no-untyped-def]
    remote = trace.SpanContext(0xAB, 0xCD, True, trace.TraceFlags(1))
    ctx = trace.set_span_in_context(trace.NonRecordingSpan(remote))
    with tracer.start_as_current_span("ignored"):
        child = tracer.start_span("child", context=ctx)
    assert child.context.trace_id == 0xAB
    assert child.parent == remote
    assert not child.context.trace_flags.random  # inherited from the remote parent


def test_start_time_and_end_time(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s", start_time=1000)
    span.end(end_time=2000)
    assert (span.start_time, span.end_time) == (1000, 2000)


def test_kind_and_name(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s", kind=SpanKind.SERVER)
    span.update_name("renamed")
    assert span.kind is SpanKind.SERVER and span.name == "renamed"


def test_resource_and_scope(exporter) -> None:  # type: ignore[no-untyped-def]
    provider = TracerProvider(resource=Resource({"service.name": "svc"}), shutdown_on_exit=False)
    tracer = provider.get_tracer("lib", "1.2", "https://schema", {"scope.attr": 1})
    span = tracer.start_span("s")
    assert span.resource.attributes["service.name"] == "svc"
    assert span.instrumentation_scope == InstrumentationScope(
        "lib", "1.2", "https://schema", {"scope.attr": 1}
    )


def test_attributes_valid_types_and_sequences(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s", attributes={"init": "x"})
    span.set_attribute("s", "v")
    span.set_attribute("b", False)
    span.set_attribute("i", 3)
    span.set_attribute("f", 1.5)
    span.set_attribute("seq", [1, 2])
    span.set_attributes({"m1": 1, "m2": "two"})
    assert dict(span.attributes) == {
        "init": "x",
        "s": "v",
        "b": False,
        "i": 3,
        "f": 1.5,
        "seq": (1, 2),
        "m1": 1,
        "m2": "two",
    }


def test_invalid_attributes_are_dropped_not_raised(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_attribute("obj", object())
    span.set_attribute("big", 2**70)
    span.set_attribute("", 1)
    span.set_attribute(None, 1)  # type: ignore[arg-type]
    span.set_attribute("mixed", [1, "a"])
    assert dict(span.attributes) == {}
    assert span.dropped_attributes == 0  # invalid values are not limit drops


def test_attributes_view_is_read_only(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_attribute("a", 1)
    with pytest.raises(TypeError):
        span.attributes["a"] = 2


def test_ended_span_ignores_changes_and_logs(tracer, caplog) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.end()
    with caplog.at_level(logging.WARNING):
        span.set_attribute("a", 1)
        span.add_event("e")
        span.set_status(StatusCode.ERROR)
        span.update_name("x")
        span.end()
    assert dict(span.attributes) == {} and span.events == () and span.name == "s"
    assert span.status.status_code is StatusCode.UNSET
    assert not span.is_recording()
    assert "ended span" in caplog.text


def test_end_twice_exports_once(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.end()
    span.end()
    assert len(exporter.get_finished_spans()) == 1


def test_events(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.add_event("first", {"k": "v"}, timestamp=123)
    span.add_event("second")
    first, second = span.events
    assert (first.name, dict(first.attributes), first.timestamp) == ("first", {"k": "v"}, 123)
    assert second.timestamp > 0 and dict(second.attributes) == {}


def test_event_class_standalone() -> None:
    event = Event("e", {"a": 1, "b": 2}, timestamp=5, limit=1)
    assert dict(event.attributes) == {"a": 1} and event.dropped_attributes == 1


def test_links_at_start_and_later(tracer) -> None:  # type: ignore[no-untyped-def]
    linked = trace.SpanContext(7, 8, True)
    span = tracer.start_span("s", links=[trace.Link(linked, {"why": "batch"})])
    span.add_link(trace.SpanContext(9, 10, False))
    assert [link.context.span_id for link in span.links] == [8, 10]
    assert dict(span.links[0].attributes) == {"why": "batch"}


def test_invalid_link_without_data_is_dropped(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.add_link(trace.INVALID_SPAN_CONTEXT)
    span.add_link(trace.INVALID_SPAN_CONTEXT, {"kept": True})
    assert len(span.links) == 1


# --- status rules ---------------------------------------------------------------------


def test_status_error_with_description(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(StatusCode.ERROR, "boom")
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "boom"


def test_status_unset_does_not_override(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(StatusCode.ERROR)
    span.set_status(StatusCode.UNSET)
    assert span.status.status_code is StatusCode.ERROR


def test_status_ok_is_final(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(Status(StatusCode.OK))
    span.set_status(StatusCode.ERROR, "later")
    assert span.status.status_code is StatusCode.OK


def test_status_ok_overrides_error(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(StatusCode.ERROR)
    span.set_status(StatusCode.OK)
    assert span.status.status_code is StatusCode.OK


def test_status_description_ignored_for_ok(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(StatusCode.OK, "ignored")
    assert span.status.description is None


def test_status_object_with_extra_description_keeps_object(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.set_status(Status(StatusCode.ERROR, "inner"), "outer")
    assert span.status.description == "inner"


# --- exceptions -----------------------------------------------------------------------


class CustomError(Exception):
    pass


def test_record_exception_attributes(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    try:
        raise ValueError("bad value")
    except ValueError as exc:
        span.record_exception(exc, {"extra": 1})
    (event,) = span.events
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "ValueError"
    assert event.attributes["exception.message"] == "bad value"
    assert "Traceback" in event.attributes["exception.stacktrace"]
    assert "ValueError: bad value" in event.attributes["exception.stacktrace"]
    assert event.attributes["exception.escaped"] is False
    assert event.attributes["extra"] == 1


def test_record_exception_type_is_fully_qualified(tracer) -> None:  # type: ignore[no-untyped-def]
    span = tracer.start_span("s")
    span.record_exception(CustomError("x"))
    assert span.events[0].attributes["exception.type"].endswith(".CustomError")


def test_exception_escaping_current_span_is_recorded(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError), tracer.start_as_current_span("s"):
        raise KeyError("k")
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "KeyError: 'k'"
    assert span.events[0].attributes["exception.escaped"] is True


def test_exception_recording_can_be_switched_off(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    with (
        pytest.raises(KeyError),
        tracer.start_as_current_span("s", record_exception=False, set_status_on_exception=False),
    ):
        raise KeyError("k")
    (span,) = exporter.get_finished_spans()
    assert span.events == () and span.status.status_code is StatusCode.UNSET


def test_span_as_context_manager_records_exception(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), tracer.start_span("s"):
        raise RuntimeError("x")
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.events[0].name == "exception"


def test_start_as_current_span_end_on_exit_false(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    with tracer.start_as_current_span("s", end_on_exit=False) as span:
        pass
    assert span.is_recording() and exporter.get_finished_spans() == ()
    span.end()


def test_current_span_restored_after_block(tracer) -> None:  # type: ignore[no-untyped-def]
    with tracer.start_as_current_span("outer") as outer:
        with tracer.start_as_current_span("inner") as inner:
            assert trace.get_current_span() is inner
        assert trace.get_current_span() is outer
    assert trace.get_current_span() is trace.INVALID_SPAN


def test_decorator_on_sync_function(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    @tracer.start_as_current_span("work")
    def work(x: int) -> int:
        return trace.get_current_span().name, x  # type: ignore[return-value, attr-defined]

    assert work(1) == ("work", 1)
    assert work(2) == ("work", 2)
    assert [s.name for s in exporter.get_finished_spans()] == ["work", "work"]


def test_readable_span_can_be_built_directly() -> None:
    context = trace.SpanContext(1, 2, False)
    span = ReadableSpan(
        "manual",
        context=context,
        attributes={"a": 1},
        start_time=10,
        end_time=20,
        resource=Resource({"r": 1}),
        instrumentation_scope=InstrumentationScope("s"),
    )
    assert span.name == "manual" and span.context is context
    assert span.resource.attributes["r"] == 1 and span.instrumentation_scope.name == "s"
    assert span.dropped_attributes == 0 and span.events == () and span.links == ()


def test_on_start_and_on_end_hooks_get_the_span() -> None:
    from otel.sdk.trace import SpanProcessor

    seen: list[tuple[str, str]] = []

    class Hooks(SpanProcessor):
        def on_start(self, span, parent_context=None):  # type: ignore[no-untyped-def]
            seen.append(("start", span.name))

        def on_end(self, span):  # type: ignore[no-untyped-def]
            seen.append(("end", span.name))

    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(Hooks())
    provider.get_tracer("t").start_span("s").end()
    assert seen == [("start", "s"), ("end", "s")]


def test_failing_processor_does_not_reach_user_code(caplog) -> None:  # type: ignore[no-untyped-def]
    from otel.sdk.trace import SpanProcessor

    class Broken(SpanProcessor):
        def on_start(self, span, parent_context=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("start")

        def on_end(self, span):  # type: ignore[no-untyped-def]
            raise RuntimeError("end")

    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(Broken())
    with caplog.at_level(logging.ERROR):
        with provider.get_tracer("t").start_as_current_span("s"):
            pass
        provider.get_tracer("t").start_span("s2").end()
    assert "on_end" in caplog.text and "on_start" in caplog.text


def test_non_sampled_spans_are_not_exported(exporter) -> None:  # type: ignore[no-untyped-def]
    from otel.sdk.trace.sampling import Decision, StaticSampler

    provider = TracerProvider(sampler=StaticSampler(Decision.RECORD_ONLY), shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.get_tracer("t").start_span("s").end()
    assert exporter.get_finished_spans() == ()


def test_many_spans_get_distinct_ids(tracer) -> None:  # type: ignore[no-untyped-def]
    ids = {tracer.start_span("s").context.span_id for _ in range(2000)}
    assert len(ids) == 2000


def test_custom_id_generator_is_used_without_random_flag() -> None:
    from otel.sdk.trace.id_generator import IdGenerator

    class Fixed(IdGenerator):
        def generate_span_id(self) -> int:
            return 0x42

        def generate_trace_id(self) -> int:
            return 0x4242

    tracer = TracerProvider(id_generator=Fixed(), shutdown_on_exit=False).get_tracer("t")
    context = tracer.start_span("s").get_span_context()
    assert (context.trace_id, context.span_id) == (0x4242, 0x42)
    assert not context.trace_flags.random


def test_random_id_generator_ids_are_nonzero_and_in_range() -> None:
    from otel.sdk.trace.id_generator import RandomIdGenerator

    generator = RandomIdGenerator()
    for _ in range(100):
        assert 0 < generator.generate_trace_id() < 2**128
        assert 0 < generator.generate_span_id() < 2**64


def test_forked_child_generates_different_ids() -> None:
    import os

    from otel.sdk.trace.id_generator import RandomIdGenerator

    if not hasattr(os, "fork"):
        pytest.skip("needs os.fork")
    generator = RandomIdGenerator()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write_fd, str(generator.generate_trace_id()).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        child_id = int(pipe.read())
    os.waitpid(pid, 0)
    assert child_id != generator.generate_trace_id()


# --- Bad input to the SDK span and tracer API is logged and dropped, never raised. (formerly
# test_robustness_span_api.py)


class _UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("__str__ is broken")


def test_span_context_manager_keeps_the_user_exception_when_its_str_fails(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(_UnprintableError), tracer.start_span("work"):
        raise _UnprintableError()
    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR


def test_add_event_with_non_mapping_attributes_keeps_the_event(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    span.add_event("e", [1, 2])  # type: ignore[arg-type]
    span.end()
    (event,) = exporter.get_finished_spans()[0].events
    assert event.name == "e"
    assert dict(event.attributes) == {}


def test_add_link_with_non_mapping_attributes_keeps_the_link(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    target = SpanContext(7, 8, False)
    span.add_link(target, [1, 2])  # type: ignore[arg-type]
    span.add_link(INVALID_SPAN_CONTEXT, [1, 2])  # type: ignore[arg-type] - no data: dropped
    span.end()
    (link,) = exporter.get_finished_spans()[0].links
    assert link.context == target
    assert dict(link.attributes) == {}


def test_record_exception_with_non_mapping_attributes_keeps_the_event(
    tracer: Any, exporter: InMemorySpanExporter
) -> None:
    span = tracer.start_span("s")
    span.record_exception(ValueError("x"), attributes=[1])  # type: ignore[arg-type]
    span.end()
    (event,) = exporter.get_finished_spans()[0].events
    assert event.attributes["exception.type"] == "ValueError"


def test_get_tracer_with_non_mapping_attributes_still_gives_a_tracer(
    provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    tracer = provider.get_tracer("lib", attributes=[1, 2])  # type: ignore[arg-type]
    span = tracer.start_span("s")
    assert span.is_recording()  # a real SDK tracer, not a no-op one
    span.end()
    assert [s.name for s in exporter.get_finished_spans()] == ["s"]
    assert exporter.get_finished_spans()[0].instrumentation_scope.name == "lib"


class _RaisingIdGenerator:
    is_trace_id_random = False

    def generate_trace_id(self) -> int:
        raise RuntimeError("no ids today")

    def generate_span_id(self) -> int:
        raise RuntimeError("no ids today")


def test_raising_id_generator_does_not_reach_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = TracerProvider(id_generator=_RaisingIdGenerator(), shutdown_on_exit=False)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="otel.sdk.trace"):
        span = provider.get_tracer("lib").start_span("s")
        span.end()
    context = span.get_span_context()
    assert context.is_valid
    assert "no ids today" in caplog.text
