"""Exemplar offers inside sampled spans take no stream-wide lock and lose nothing."""

from __future__ import annotations

import functools
import threading
from typing import Any

import pytest

from otel import context, trace
from otel.sdk.metrics import MeterProvider, SimpleFixedSizeExemplarReservoir
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.metrics.view import View
from otel.testing import metrics_by_name

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
THREADS = 8
PER_THREAD = 8


def _in_span(span_id: int) -> Any:
    span_context = trace.SpanContext(TRACE_ID, span_id, False, trace.TraceFlags(1))
    return context.attach(trace.set_span_in_context(trace.NonRecordingSpan(span_context)))


def _points(reader: InMemoryMetricReader) -> dict[str, Any]:
    return {name: m.data.data_points for name, m in metrics_by_name(reader).items()}


def _stream_of(provider: MeterProvider) -> Any:
    (registration,) = next(iter(provider._registrations.values()))
    return registration.stream


@pytest.mark.parametrize("kind", ["counter", "histogram"])
def test_offer_does_not_wait_for_the_stream_lock(kind: str) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    instrument = meter.create_counter("c") if kind == "counter" else meter.create_histogram("h")
    record = instrument.add if kind == "counter" else instrument.record  # type: ignore[attr-defined]
    token = _in_span(1)
    try:
        record(1, {"k": "v"})  # the series and its reservoir exist from here on
    finally:
        context.detach(token)
    stream = _stream_of(provider)
    finished = threading.Event()

    def offer() -> None:
        token = _in_span(2)
        try:
            record(2, {"k": "v"})
        finally:
            context.detach(token)
        finished.set()

    with stream._lock:  # as if a collection or a new series held it
        thread = threading.Thread(target=offer, daemon=True)
        thread.start()
        done_while_held = finished.wait(2)
    thread.join(5)
    assert done_while_held
    points = _points(reader)
    (exemplar,) = points["c" if kind == "counter" else "h"][0].exemplars
    assert exemplar.value in (1, 2)


def test_offers_from_eight_threads_are_all_kept_uncorrupted(tiny_switch_interval: None) -> None:
    size = THREADS * PER_THREAD
    view = View(
        instrument_name="c",
        exemplar_reservoir_factory=lambda aggregation: (
            lambda **kwargs: SimpleFixedSizeExemplarReservoir(size=size)
        ),
    )
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], views=[view], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    start = threading.Barrier(THREADS)

    def offer(thread_index: int) -> None:
        token = _in_span(1000 + thread_index)
        try:
            start.wait()
            for i in range(PER_THREAD):
                counter.add(thread_index * 1000 + i, {"k": "v"})
        finally:
            context.detach(token)

    threads = [threading.Thread(target=offer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (point,) = _points(reader)["c"]
    exemplars = point.exemplars
    assert len(exemplars) == size  # fewer offers than slots: every one is kept
    for exemplar in exemplars:  # each exemplar is one whole measurement
        assert exemplar.span_id == 1000 + exemplar.value // 1000
        assert exemplar.trace_id == TRACE_ID
    assert sorted(e.value for e in exemplars) == sorted(
        n * 1000 + i for n in range(THREADS) for i in range(PER_THREAD)
    )


def test_concurrent_offers_and_collections_stay_consistent(
    tiny_switch_interval: None, collect_during: Any
) -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    meter = provider.get_meter("t")
    counter = meter.create_counter("c")
    histogram = meter.create_histogram("h")
    seen: list[Any] = []

    def offer(thread_index: int) -> None:
        token = _in_span(1000 + thread_index)
        try:
            for i in range(2000):
                value = thread_index * 1000 + i % 1000
                counter.add(value, {"k": "v"})
                histogram.record(value, {"k": "v"})
        finally:
            context.detach(token)

    def collect_once() -> None:
        for points in _points(reader).values():
            for point in points:
                seen.extend(point.exemplars)

    collect_during(collect_once, [functools.partial(offer, n) for n in range(THREADS)])
    assert seen
    for exemplar in seen:
        assert exemplar.span_id == 1000 + exemplar.value // 1000


def test_a_custom_reservoir_is_still_offered_to_under_the_lock() -> None:
    held: list[bool] = []
    streams: list[Any] = []

    class Recording(SimpleFixedSizeExemplarReservoir):
        def offer(self, *args: Any) -> None:
            held.append(streams[0]._lock.locked())
            super().offer(*args)

    view = View(instrument_name="c", exemplar_reservoir_factory=lambda aggregation: Recording)
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], views=[view], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    streams.append(_stream_of(provider))
    token = _in_span(7)
    try:
        counter.add(1)
        counter.add(2)
    finally:
        context.detach(token)
    assert held == [True, True]
    assert len(_points(reader)["c"][0].exemplars) == 1
