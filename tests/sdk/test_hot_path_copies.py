"""Hot-path copies bound to their originals (issue 16 item 3).

Where an inlined copy of another class's method is still worth its nanoseconds, this module
runs the copy and the original through the same cases and asserts they leave the same
state. Today: the SDK's ``start_as_current_span`` scope inlines ``Span.end`` in its
``__exit__``; ``BatchSpanProcessor.on_end`` inlines ``BatchWorker.emit``; ``Span.end`` and
that scope inline ``BatchSpanProcessor.on_end`` when it is the provider's only processor.
``Span.set_attribute`` defers its key checks to ``_as_set_attribute_keeps`` (run when
the attributes are read), which must keep what the shared validator keeps.
No copy any more, still checked: the metric instruments (the histogram and its
stream share ``HistogramRecord.record``, the counters and theirs ``SumRecord.add``; the
metrics cases below run instrument and stream through the same measurements).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otel._once import reset_reported
from otel.sdk import _batch
from otel.sdk.trace import SpanProcessor, TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


class _NoOpExporter(SpanExporter):
    def export(self, spans: Any) -> SpanExportResult:
        return SpanExportResult.SUCCESS


class _CountingEvent:
    def __init__(self) -> None:
        self.sets = 0

    def set(self) -> None:
        self.sets += 1


def _sampled_span() -> Any:
    return TracerProvider(shutdown_on_exit=False).get_tracer("t").start_span("s")


# queue length before the call, with max_queue_size=16, max_export_batch_size=4: the worker
# is woken from 3 items on, the high-water mark (yield the GIL) is 8, 16 is full.
QUEUED = [0, 2, 3, 5, 8, 9, 15, 16, "shut down"]


def _state_after(call: Callable[[Any, Any], None], queued: int | str, monkeypatch: Any) -> Any:
    yields: list[float] = []
    monkeypatch.setattr(_batch, "_yield_gil", yields.append)
    processor = BatchSpanProcessor(
        _NoOpExporter(), max_queue_size=16, max_export_batch_size=4, schedule_delay_millis=60_000
    )
    worker = processor._worker
    real_wake = worker._wake
    try:
        if queued == "shut down":
            worker.shutdown(1000)
        else:
            worker._wake = _CountingEvent()  # type: ignore[assignment]
            worker.queue.extend([object()] * int(queued))
        wake = worker._wake
        call(processor, _sampled_span())
        return {
            "queued": len(worker.queue),
            "dropped": worker.dropped,
            "signalled": worker._signalled,
            "wake_sets": getattr(wake, "sets", None),
            "yields": len(yields),
        }
    finally:
        worker.queue.clear()
        worker._wake = real_wake
        processor.shutdown(1000)


@pytest.mark.parametrize("queued", QUEUED)
def test_batch_span_processor_on_end_does_whatbatch_worker_emit_does(
    queued: int | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _state_after(lambda p, span: p._worker.emit(span), queued, monkeypatch)
    copy = _state_after(lambda p, span: p.on_end(span), queued, monkeypatch)
    assert copy == original


# --- Span.end and the SDK scope's __exit__ inline BatchSpanProcessor.on_end ------------------


def _end_with_sole_processor(processor: Any, scope: bool) -> None:
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(processor)
    assert provider._active_span_processor.batch_worker is processor._worker  # the fast path
    tracer = provider.get_tracer("copies")
    if scope:
        with tracer.start_as_current_span("s"):
            pass
    else:
        tracer.start_span("s").end()


@pytest.mark.parametrize("scope", [False, True])
@pytest.mark.parametrize("queued", QUEUED)
def test_ending_a_span_queues_it_as_batch_span_processor_on_end_does(
    queued: int | str, scope: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _state_after(lambda p, span: p.on_end(span), queued, monkeypatch)
    copy = _state_after(lambda p, _: _end_with_sole_processor(p, scope), queued, monkeypatch)
    assert copy == original


def test_a_subclass_on_end_and_a_second_processor_are_called_not_bypassed() -> None:
    ended: list[Any] = []

    class Counting(BatchSpanProcessor):
        def on_end(self, span: Any) -> None:
            ended.append(span)

    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(Counting(_NoOpExporter()))
    assert provider._active_span_processor.batch_worker is None
    tracer = provider.get_tracer("copies")
    tracer.start_span("a").end()
    with tracer.start_as_current_span("b"):
        pass
    batch = BatchSpanProcessor(_NoOpExporter(), schedule_delay_millis=60_000)
    provider.add_span_processor(batch)
    assert provider._active_span_processor.batch_worker is None
    tracer.start_span("c").end()
    assert [span.name for span in ended] == ["a", "b", "c"]
    assert [span.name for span in batch._worker.queue] == ["c"]
    provider.shutdown()


# --- metric instruments inline their stream's ``record`` -------------------------------------


def test_histogram_instrument_and_stream_share_one_record_definition() -> None:
    from otel.sdk.metrics._aggregation import HistogramRecord, HistogramStream
    from otel.sdk.metrics._instrument import Histogram

    assert Histogram.record is HistogramRecord.record
    assert HistogramStream.record is HistogramRecord.record


def test_counters_and_sum_stream_share_one_add_definition() -> None:
    from otel.sdk.metrics._aggregation import SumRecord, SumStream
    from otel.sdk.metrics._instrument import Counter, UpDownCounter

    assert Counter.add is UpDownCounter.add is SumRecord.add
    assert SumStream.record is SumRecord.add


_MEASUREMENTS = [
    (3, None),
    (2.5, {}),
    (7, {"route": "/a", "code": 200}),
    (0.125, {"route": "/a", "code": 200}),
    (11, {"tags": ["x", "y"]}),  # unhashable value: the slow path, every time
    (1, {"": "bad key", "ok": True}),
]


def _points(
    kind: str, measurements: list[Any], inline: bool, stream_locked: bool = False
) -> list[Any]:
    from otel.sdk.metrics import MeterProvider
    from otel.sdk.metrics.export import InMemoryMetricReader

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("copies")
    instrument: Any = {
        "counter": meter.create_counter,
        "up_down_counter": meter.create_up_down_counter,
        "histogram": meter.create_histogram,
    }[kind]("m")
    assert instrument._fast_cache is not None  # the inline path is on by default
    if not inline:
        instrument._fast_cache = None  # what remains is the stream's own record (via _record)
    if stream_locked:  # the stream as on a free-threaded build: its locked path
        (stream,) = provider._instrument_records[-1].groups.values()
        stream._fast_cache = None
    record = instrument.record if kind == "histogram" else instrument.add
    for value, attributes in measurements:
        record(value, attributes)
    data = reader.get_metrics_data()
    provider.shutdown()
    found = []
    for resource_metrics in data.resource_metrics:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                for point in metric.data.data_points:
                    fields = {
                        name: getattr(point, name)
                        for name in ("value", "count", "sum", "min", "max", "bucket_counts")
                        if hasattr(point, name)
                    }
                    found.append((sorted(point.attributes.items()), fields))
    return sorted(found, key=repr)


@pytest.mark.parametrize("kind", ["counter", "up_down_counter", "histogram"])
@pytest.mark.parametrize("count", range(1, len(_MEASUREMENTS) + 1))
def test_instrument_inline_record_does_what_the_stream_record_does(kind: str, count: int) -> None:
    measurements = _MEASUREMENTS[:count]
    assert _points(kind, measurements, inline=True) == _points(kind, measurements, inline=False)


@pytest.mark.parametrize("kind", ["counter", "up_down_counter", "histogram"])
@pytest.mark.parametrize("count", range(1, len(_MEASUREMENTS) + 1))
def test_stream_locked_path_records_what_the_lock_free_path_does(kind: str, count: int) -> None:
    measurements = _MEASUREMENTS[:count]
    locked = _points(kind, measurements, inline=False, stream_locked=True)
    assert locked == _points(kind, measurements, inline=True)


# --- the SDK scope's __exit__ inlines Span.end -----------------------------------------------


class _RecordingProcessor(SpanProcessor):
    def __init__(self, fail: bool) -> None:
        self.ended: list[Any] = []
        self.fail = fail

    def on_end(self, span: Any) -> None:
        self.ended.append(span)
        if self.fail:
            raise RuntimeError("processor broke")


@pytest.mark.parametrize("fail", [False, True])
@pytest.mark.parametrize("ended_before", [False, True])
def test_scope_exit_ends_a_span_as_span_end_does(
    fail: bool, ended_before: bool, caplog: pytest.LogCaptureFixture
) -> None:
    def state(end_with_scope: bool) -> dict[str, Any]:
        processor = _RecordingProcessor(fail)
        provider = TracerProvider(shutdown_on_exit=False)
        provider.add_span_processor(processor)
        tracer = provider.get_tracer("copies")
        caplog.clear()
        reset_reported()
        if end_with_scope:
            with tracer.start_as_current_span("s") as span:
                if ended_before:
                    span.end(end_time=5)
        else:
            span = tracer.start_span("s")
            if ended_before:
                span.end(end_time=5)
            span.end()
        return {
            "ended": [s is span for s in processor.ended],
            "end_time_set": span.end_time is not None,
            "end_time_kept": span.end_time == 5,
            "recording": span.is_recording(),
            "logged": sorted((r.levelname, r.getMessage()) for r in caplog.records),
        }

    assert state(end_with_scope=True) == state(end_with_scope=False)


_KEYS: list[Any] = ["k", "", 3, None, 1.5, ("t",), b"k"]
_VALUES: list[Any] = ["v", "long value", "", 0, -(2**63), 2**63 - 1, 0.25, True, False]


@pytest.mark.parametrize("max_len", [3, 2**63])
def test_deferred_key_checks_keep_what_the_validator_keeps(max_len: int) -> None:
    from otel.attributes import clean_attribute_value
    from otel.sdk.trace._span import _as_set_attribute_keeps

    for key in _KEYS:
        for value in _VALUES:
            kept = _as_set_attribute_keeps({key: value}, max_len)
            # set_attribute's slow path: only an exact non-empty str key reaches the validator
            cleaned = (
                clean_attribute_value(key, value, max_len) if type(key) is str and key else None
            )
            assert kept == ({} if cleaned is None else {key: cleaned}), (key, value)
