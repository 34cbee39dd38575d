from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence

import pytest

from _support.fork import child_finishes_while_held
from otel import context, trace
from otel.context import Context
from otel.trace import (
    INVALID_SPAN,
    Link,
    NonRecordingSpan,
    Span,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    Tracer,
    TracerProvider,
    get_current_span,
    set_span_in_context,
    use_span,
)

# --- a tiny recording tracer, to test the API in isolation from the SDK ---


_ids = itertools.count(1)


class FakeSpan(Span):
    def __init__(self, name: str, parent: SpanContext | None) -> None:
        self.name = name
        self.parent = parent
        trace_id = parent.trace_id if parent is not None and parent.is_valid else next(_ids)
        self.context = SpanContext(trace_id, next(_ids), False, 1)
        self.ended = 0
        self.exceptions: list[tuple[BaseException, bool]] = []
        self.status = Status()

    def end(self, end_time: int | None = None) -> None:
        self.ended += 1

    def get_span_context(self) -> SpanContext:
        return self.context

    def set_attributes(self, attributes: Mapping[str, object]) -> None:  # type: ignore[override]
        pass

    def set_attribute(self, key: str, value: object) -> None:  # type: ignore[override]
        pass

    def add_event(self, name: str, attributes: object = None, timestamp: int | None = None) -> None:  # type: ignore[override]
        pass

    def update_name(self, name: str) -> None:
        self.name = name

    def is_recording(self) -> bool:
        return self.ended == 0

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        self.status = status if isinstance(status, Status) else Status(status, description)

    def record_exception(  # type: ignore[override]
        self,
        exception: BaseException,
        attributes: object = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        self.exceptions.append((exception, escaped))


class FakeTracer(Tracer):
    def __init__(self) -> None:
        self.spans: list[FakeSpan] = []

    def start_span(  # type: ignore[override]
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: object = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        parent = get_current_span(context).get_span_context()
        span = FakeSpan(name, parent if parent.is_valid else None)
        self.spans.append(span)
        return span


class FakeProvider(TracerProvider):
    def __init__(self) -> None:
        self.tracer = FakeTracer()
        self.requested: list[tuple[object, ...]] = []

    def get_tracer(  # type: ignore[override]
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: object = None,
    ) -> Tracer:
        self.requested.append(
            (instrumenting_module_name, instrumenting_library_version, schema_url, attributes)
        )
        return self.tracer


REMOTE = SpanContext(0xABC, 0xDEF, True, TraceFlags(1))


@pytest.fixture
def provider() -> FakeProvider:
    fake = FakeProvider()
    trace.set_tracer_provider(fake)
    return fake


def test_without_sdk_start_span_without_parent_is_invalid_span() -> None:
    span = trace.get_tracer("t").start_span("x")
    assert span is INVALID_SPAN
    assert not span.is_recording()


def test_without_sdk_span_carries_parent_span_context() -> None:
    ctx = set_span_in_context(NonRecordingSpan(REMOTE))
    span = trace.get_tracer("t").start_span("x", context=ctx)
    assert span.get_span_context() == REMOTE
    assert not span.is_recording()


def test_without_sdk_current_span_inside_block_keeps_remote_parent() -> None:
    token = context.attach(set_span_in_context(NonRecordingSpan(REMOTE)))
    try:
        with trace.get_tracer("t").start_as_current_span("x") as span:
            assert get_current_span().get_span_context() == REMOTE
            assert span.get_span_context() == REMOTE
    finally:
        context.detach(token)


def test_without_sdk_explicit_context_becomes_current_in_block() -> None:
    ctx = set_span_in_context(NonRecordingSpan(REMOTE))
    with trace.get_tracer("t").start_as_current_span("x", context=ctx):
        assert get_current_span().get_span_context() == REMOTE
    assert get_current_span() is INVALID_SPAN


def test_proxy_tracer_binds_when_provider_is_set_later() -> None:
    tracer = trace.get_tracer("lib", "1.0", schema_url="https://s", attributes={"a": 1})
    assert tracer.start_span("before") is INVALID_SPAN
    fake = FakeProvider()
    trace.set_tracer_provider(fake)
    span = tracer.start_span("after")
    assert isinstance(span, FakeSpan) and span.name == "after"
    assert fake.requested == [("lib", "1.0", "https://s", {"a": 1})]


def test_get_tracer_after_set_returns_real_tracer(provider: FakeProvider) -> None:
    assert trace.get_tracer("t") is provider.tracer
    assert trace.get_tracer_provider() is provider


def test_second_set_tracer_provider_warns_and_is_ignored(
    provider: FakeProvider, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="otel.trace"):
        trace.set_tracer_provider(FakeProvider())
    assert trace.get_tracer_provider() is provider
    assert "already set" in caplog.text


def test_start_as_current_span_sets_and_restores_current(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")
    with tracer.start_as_current_span("outer") as outer:
        assert get_current_span() is outer
        with tracer.start_as_current_span("inner") as inner:
            assert get_current_span() is inner
            assert inner.parent == outer.get_span_context()  # type: ignore[attr-defined]
        assert get_current_span() is outer
    assert get_current_span() is INVALID_SPAN
    assert [s.ended for s in provider.tracer.spans] == [1, 1]


def test_exception_in_block_is_recorded_with_error_status(provider: FakeProvider) -> None:
    with pytest.raises(ValueError), trace.get_tracer("t").start_as_current_span("x"):
        raise ValueError("boom")
    span = provider.tracer.spans[0]
    assert span.exceptions[0][1] is True  # escaped
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "ValueError: boom"
    assert span.ended == 1


def test_exception_recording_can_be_switched_off(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")
    with (
        pytest.raises(ValueError),
        tracer.start_as_current_span("x", record_exception=False, set_status_on_exception=False),
    ):
        raise ValueError("boom")
    span = provider.tracer.spans[0]
    assert span.exceptions == []
    assert span.status.status_code is StatusCode.UNSET


def test_end_on_exit_false_leaves_span_open(provider: FakeProvider) -> None:
    with trace.get_tracer("t").start_as_current_span("x", end_on_exit=False):
        pass
    assert provider.tracer.spans[0].ended == 0


def test_use_span_does_not_end_span_by_default(provider: FakeProvider) -> None:
    span = trace.get_tracer("t").start_span("x")
    with use_span(span):
        assert get_current_span() is span
    assert get_current_span() is INVALID_SPAN
    assert provider.tracer.spans[0].ended == 0
    with use_span(span, end_on_exit=True):
        pass
    assert provider.tracer.spans[0].ended == 1


def test_span_as_context_manager_ends_it(provider: FakeProvider) -> None:
    with trace.get_tracer("t").start_span("x"):
        pass
    assert provider.tracer.spans[0].ended == 1


def test_decorated_function_runs_in_new_span_per_call(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("work")
    def work(x: int) -> tuple[int, object]:
        return x * 2, get_current_span()

    first = work(2)
    second = work(3)
    assert first[0] == 4 and second[0] == 6
    assert first[1] is provider.tracer.spans[0] and second[1] is provider.tracer.spans[1]
    assert work.__name__ == "work"


def test_decorator_made_before_provider_records_after_it_is_set() -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("work")
    def work() -> object:
        return get_current_span()

    assert work() is INVALID_SPAN
    fake = FakeProvider()
    trace.set_tracer_provider(fake)
    assert work() is fake.tracer.spans[0]


def test_decorated_coroutine_span_covers_awaited_work(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")
    observed: list[object] = []

    @tracer.start_as_current_span("co")
    async def co() -> None:
        observed.append(get_current_span())
        await asyncio.sleep(0.01)
        observed.append(get_current_span())
        observed.append(provider.tracer.spans[0].ended)

    asyncio.run(co())
    span = provider.tracer.spans[0]
    assert observed == [span, span, 0]
    assert span.ended == 1


def test_concurrent_tasks_each_keep_their_own_current_span(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    async def task(name: str) -> list[str]:
        seen = []
        with tracer.start_as_current_span(name):
            for _ in range(5):
                await asyncio.sleep(0)
                seen.append(get_current_span().name)  # type: ignore[attr-defined]
        return seen

    async def main() -> list[list[str]]:
        return await asyncio.gather(task("a"), task("b"), task("c"))

    assert asyncio.run(main()) == [["a"] * 5, ["b"] * 5, ["c"] * 5]


def test_decorated_generator_span_is_current_only_while_body_runs(
    provider: FakeProvider,
) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("gen")
    def gen() -> Iterator[object]:
        yield get_current_span()
        yield get_current_span()

    iterator = gen()
    first = next(iterator)
    assert get_current_span() is INVALID_SPAN  # not leaked to the consumer
    second = next(iterator)
    span = provider.tracer.spans[0]
    assert first is span and second is span
    assert span.ended == 0
    assert list(iterator) == []
    assert span.ended == 1


def test_decorated_generator_supports_send_and_return_value(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("gen")
    def echo() -> Iterator[object]:
        received = yield "ready"
        yield received
        return "done"  # type: ignore[misc]

    iterator = echo()
    assert next(iterator) == "ready"
    assert iterator.send("hello") == "hello"
    with pytest.raises(StopIteration) as stop:
        next(iterator)
    assert stop.value.value == "done"


def test_decorated_generator_closed_early_ends_span_without_error(
    provider: FakeProvider,
) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("gen")
    def gen() -> Iterator[int]:
        yield 1
        yield 2

    iterator = gen()
    next(iterator)
    iterator.close()  # type: ignore[attr-defined]
    span = provider.tracer.spans[0]
    assert span.ended == 1
    assert span.status.status_code is StatusCode.UNSET


def test_exception_thrown_into_decorated_generator_is_recorded(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("gen")
    def gen() -> Iterator[int]:
        yield 1

    iterator = gen()
    next(iterator)
    with pytest.raises(KeyError):
        iterator.throw(KeyError("k"))  # type: ignore[attr-defined]
    span = provider.tracer.spans[0]
    assert span.status.status_code is StatusCode.ERROR
    assert span.ended == 1


def test_decorated_async_generator_span_covers_iteration(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    @tracer.start_as_current_span("agen")
    async def agen() -> AsyncIterator[object]:
        yield get_current_span()
        await asyncio.sleep(0)
        yield get_current_span()

    async def main() -> list[object]:
        seen = []
        async for item in agen():
            seen.append(item)
            seen.append(get_current_span())
        return seen

    seen = asyncio.run(main())
    span = provider.tracer.spans[0]
    assert seen == [span, INVALID_SPAN, span, INVALID_SPAN]
    assert span.ended == 1


def test_threads_have_independent_current_spans(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        with tracer.start_as_current_span(f"root-{i}") as root:
            barrier.wait()
            for _ in range(50):
                with tracer.start_as_current_span(f"child-{i}") as child:
                    if child.parent != root.get_span_context():  # type: ignore[attr-defined]
                        errors.append(f"wrong parent in thread {i}")
                    if get_current_span() is not child:
                        errors.append(f"wrong current span in thread {i}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(provider.tracer.spans) == 8 * 51


def test_generator_exit_is_not_recorded_as_error(provider: FakeProvider) -> None:
    tracer = trace.get_tracer("t")

    def gen() -> Iterator[int]:
        with tracer.start_as_current_span("inside"):
            yield 1

    iterator = gen()
    next(iterator)
    iterator.close()  # type: ignore[attr-defined]
    assert provider.tracer.spans[0].status.status_code is StatusCode.UNSET


# --- A forked child does not inherit the API's global-provider locks held by another thread.
# (formerly test_robustness_fork.py)


def test_child_can_get_a_tracer_when_the_global_provider_lock_was_held() -> None:
    from otel import trace
    from otel.trace import _tracer

    assert child_finishes_while_held(_tracer._LOCK, lambda: trace.get_tracer("child"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_get_a_logger_when_the_global_logger_provider_lock_was_held() -> None:
    from otel import logs
    from otel.logs import _logs

    assert child_finishes_while_held(
        _logs._LOCK, lambda: logs.set_logger_provider(logs.NoOpLoggerProvider())
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_child_can_build_the_global_propagator_when_its_lock_was_held() -> None:
    from otel import propagate
    from otel.propagate import _propagate

    _propagate._reset_global_textmap()
    assert child_finishes_while_held(_propagate._lock, propagate.get_global_textmap)
