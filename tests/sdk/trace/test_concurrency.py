from __future__ import annotations

import asyncio
import threading
import time

from otel import trace
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def test_eight_threads_all_exported_without_parent_cross_talk() -> None:
    exporter = InMemorySpanExporter()
    processor = BatchSpanProcessor(exporter, max_queue_size=20_000, schedule_delay_millis=50)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    tracer = provider.get_tracer("t")
    per_thread = 200
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        for i in range(per_thread):
            with (
                tracer.start_as_current_span(f"root-{n}", attributes={"thread": n}),
                tracer.start_as_current_span(f"child-{n}", attributes={"thread": n}),
            ):
                if i % 50 == 0:
                    time.sleep(0)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert processor.force_flush(10_000)
    spans = exporter.get_finished_spans()
    assert len(spans) == 8 * per_thread * 2
    assert processor.dropped_spans == 0
    by_id = {s.context.span_id: s for s in spans}
    for span in spans:
        if span.name.startswith("child-"):
            parent = by_id[span.parent.span_id]  # type: ignore[union-attr]
            assert parent.name == span.name.replace("child-", "root-")
            assert parent.attributes["thread"] == span.attributes["thread"]
            assert parent.context.trace_id == span.context.trace_id
        else:
            assert span.parent is None
    processor.shutdown()


def test_asyncio_tasks_keep_their_own_current_span(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    async def task(name: str) -> tuple[str, str]:
        with tracer.start_as_current_span(name):
            await asyncio.sleep(0.01)
            with tracer.start_as_current_span(f"{name}-child"):
                await asyncio.sleep(0.01)
                inner = trace.get_current_span().name  # type: ignore[attr-defined]
            outer = trace.get_current_span().name  # type: ignore[attr-defined]
        return outer, inner

    async def main() -> list[tuple[str, str]]:
        return await asyncio.gather(*(task(f"task{i}") for i in range(5)))

    results = asyncio.run(main())
    assert results == [(f"task{i}", f"task{i}-child") for i in range(5)]
    spans = {s.name: s for s in exporter.get_finished_spans()}
    for i in range(5):
        assert spans[f"task{i}-child"].parent.span_id == spans[f"task{i}"].context.span_id  # type: ignore[union-attr]


def test_decorator_on_async_def_records_the_awaited_duration(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    @tracer.start_as_current_span("slow")
    async def slow() -> str:
        await asyncio.sleep(0.05)
        return trace.get_current_span().name  # type: ignore[attr-defined, no-any-return]

    assert asyncio.run(slow()) == "slow"
    (span,) = exporter.get_finished_spans()
    assert span.end_time - span.start_time >= 45_000_000  # type: ignore[operator]


def test_decorated_async_calls_get_separate_spans(tracer, exporter) -> None:  # type: ignore[no-untyped-def]
    @tracer.start_as_current_span("op")
    async def op(i: int) -> int:
        await asyncio.sleep(0.001 * i)
        return trace.get_current_span().get_span_context().span_id

    async def main() -> list[int]:
        return await asyncio.gather(*(op(i) for i in range(4)))

    ids = asyncio.run(main())
    assert len(set(ids)) == 4
    assert {s.context.span_id for s in exporter.get_finished_spans()} == set(ids)
