"""A span scope sets a light "span frame" instead of a new Context; the Context API must
not be able to tell (issue 17, otel.context._context)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator

import pytest

from otel import baggage, context, trace
from otel.context import _SUPPRESS_INSTRUMENTATION_KEY, Context
from otel.sdk.trace import TracerProvider
from otel.trace import Tracer


@pytest.fixture
def tracer() -> Iterator[Tracer]:
    provider = TracerProvider(shutdown_on_exit=False)
    yield provider.get_tracer("frames")
    provider.shutdown()


def test_get_current_in_a_span_scope_is_a_context_with_the_span_and_every_outer_entry(
    tracer: Tracer,
) -> None:
    key = context.create_key("k")
    outer = baggage.set_baggage("user", "u1", context.set_value(key, 7))
    token = context.attach(outer)
    try:
        with tracer.start_as_current_span("s") as span:
            current = context.get_current()
            assert type(current) is Context
            assert trace.get_current_span(current) is span
            assert current.get(key) == 7
            assert baggage.get_baggage("user", current) == "u1"
            assert len(current) == len(outer) + 1
    finally:
        context.detach(token)


def test_get_current_returns_the_same_context_for_one_scope(tracer: Tracer) -> None:
    with tracer.start_as_current_span("s"):
        assert context.get_current() is context.get_current()


def test_context_is_restored_after_the_scope(tracer: Tracer) -> None:
    before = context.get_current()
    with tracer.start_as_current_span("s"):
        pass
    assert context.get_current() is before
    assert trace.get_current_span() is trace.INVALID_SPAN


def test_nested_scopes_see_the_innermost_span_and_the_outer_entries(tracer: Tracer) -> None:
    token = context.attach(context.set_value(_SUPPRESS_INSTRUMENTATION_KEY, True))
    try:
        with tracer.start_as_current_span("outer") as outer:
            with tracer.start_as_current_span("inner") as inner:
                assert trace.get_current_span() is inner
                assert context.get_value(_SUPPRESS_INSTRUMENTATION_KEY) is True
                assert trace.get_current_span(context.get_current()) is inner
                assert inner.parent == outer.get_span_context()
            assert trace.get_current_span() is outer
            assert context.get_value(_SUPPRESS_INSTRUMENTATION_KEY) is True
    finally:
        context.detach(token)


def test_get_value_reads_through_a_span_scope_without_building_a_context(
    tracer: Tracer,
) -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, "v"))
    try:
        with tracer.start_as_current_span("s"):
            assert context.get_value(key) == "v"
            assert context.get_value(context.create_key("absent")) is None
    finally:
        context.detach(token)


def test_attach_and_detach_inside_a_span_scope(tracer: Tracer) -> None:
    key = context.create_key("k")
    with tracer.start_as_current_span("s") as span:
        token = context.attach(context.set_value(key, 1))
        assert context.get_value(key) == 1
        assert trace.get_current_span() is span
        context.detach(token)
        assert context.get_value(key) is None
        assert trace.get_current_span() is span


def test_set_span_in_context_inside_a_span_scope_keeps_the_other_entries(
    tracer: Tracer,
) -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, 1))
    try:
        with tracer.start_as_current_span("s"):
            other = trace.NonRecordingSpan(trace.INVALID_SPAN_CONTEXT)
            made = trace.set_span_in_context(other)
            assert trace.get_current_span(made) is other
            assert made.get(key) == 1
    finally:
        context.detach(token)


def test_explicit_context_is_the_base_of_the_scope(tracer: Tracer) -> None:
    key = context.create_key("k")
    base = context.set_value(key, "explicit")
    with tracer.start_as_current_span("s", context=base) as span:
        assert context.get_value(key) == "explicit"
        assert trace.get_current_span() is span


def test_use_span_sets_a_frame_that_reads_like_a_context(tracer: Tracer) -> None:
    span = tracer.start_span("s")
    with trace.use_span(span, end_on_exit=True):
        assert trace.get_current_span() is span
        assert trace.get_current_span(context.get_current()) is span
    assert trace.get_current_span() is trace.INVALID_SPAN


def test_a_copied_contextvars_context_carries_the_span(tracer: Tracer) -> None:
    with tracer.start_as_current_span("s") as span:
        copied = contextvars.copy_context()
    assert copied.run(trace.get_current_span) is span
    assert copied.run(lambda: trace.get_current_span(context.get_current())) is span


def test_propagation_inside_a_span_scope_injects_the_span(tracer: Tracer) -> None:
    from otel.propagate import inject

    with tracer.start_as_current_span("s") as span:
        carrier: dict[str, str] = {}
        inject(carrier)
    assert carrier["traceparent"].split("-")[2] == f"{span.get_span_context().span_id:016x}"


def test_deeply_nested_scopes_turn_into_a_context_without_recursion(tracer: Tracer) -> None:
    import sys

    depth = sys.getrecursionlimit() + 100
    scopes = [tracer.start_as_current_span(f"s{i}") for i in range(depth)]
    spans = [scope.__enter__() for scope in scopes]
    try:
        current = context.get_current()
        assert trace.get_current_span(current) is spans[-1]
        assert len(current) == 1
    finally:
        for scope in reversed(scopes):
            scope.__exit__(None, None, None)
    assert trace.get_current_span() is trace.INVALID_SPAN


def test_a_frame_already_turned_into_a_context_is_reused_by_inner_frames(
    tracer: Tracer,
) -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, 1))
    try:
        with tracer.start_as_current_span("outer") as outer:
            outer_context = context.get_current()
            with tracer.start_as_current_span("inner") as inner:
                inner_context = context.get_current()
            assert context.get_current() is outer_context
        assert trace.get_current_span(outer_context) is outer
        assert trace.get_current_span(inner_context) is inner
        assert inner_context.get(key) == 1
    finally:
        context.detach(token)
