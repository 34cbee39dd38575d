"""Exemplars: filters, reservoirs, link to the active span."""

from __future__ import annotations

import functools
import threading
from typing import Any

import pytest

from otel import context, trace
from otel.sdk.metrics import (
    AlwaysOffExemplarFilter,
    AlwaysOnExemplarFilter,
    MeterProvider,
    SimpleFixedSizeExemplarReservoir,
    TraceBasedExemplarFilter,
)
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.metrics.view import View
from otel.testing import metrics_by_name

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
SPAN_ID = 0xB7AD6B7169203331


def _span_context(sampled: bool) -> Any:
    return context.attach(
        trace.set_span_in_context(
            trace.NonRecordingSpan(
                trace.SpanContext(TRACE_ID, SPAN_ID, False, trace.TraceFlags(int(sampled)))
            )
        )
    )


def _setup(exemplar_filter: Any = None, views: Any = ()) -> tuple[Any, InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    provider = MeterProvider(
        metric_readers=[reader],
        exemplar_filter=exemplar_filter,
        views=views,
        shutdown_on_exit=False,
    )
    return provider.get_meter("t"), reader


def _point(reader: InMemoryMetricReader) -> Any:
    """The first data point of the one metric the test made."""
    (metric,) = metrics_by_name(reader).values()
    return metric.data.data_points[0]


def test_measurement_in_a_sampled_span_carries_its_ids() -> None:
    meter, reader = _setup()
    counter = meter.create_counter("c")
    token = _span_context(sampled=True)
    try:
        counter.add(3, {"k": "v"})
    finally:
        context.detach(token)
    (exemplar,) = _point(reader).exemplars
    assert exemplar.trace_id == TRACE_ID and exemplar.span_id == SPAN_ID
    assert exemplar.value == 3 and exemplar.time_unix_nano > 0
    assert exemplar.filtered_attributes == {}


def test_span_from_the_sdk_tracer_links_the_exemplar() -> None:
    from otel.sdk.trace import TracerProvider

    tracer = TracerProvider().get_tracer("t")
    meter, reader = _setup()
    histogram = meter.create_histogram("h")
    with tracer.start_as_current_span("op") as span:
        histogram.record(12.5)
        span_context = span.get_span_context()
    (exemplar,) = _point(reader).exemplars
    assert (exemplar.trace_id, exemplar.span_id) == (span_context.trace_id, span_context.span_id)


def test_trace_based_filter_ignores_unsampled_spans_and_no_span() -> None:
    meter, reader = _setup(TraceBasedExemplarFilter())
    counter = meter.create_counter("c")
    counter.add(1)
    token = _span_context(sampled=False)
    try:
        counter.add(1)
    finally:
        context.detach(token)
    assert _point(reader).exemplars == []


def test_always_on_samples_without_a_span() -> None:
    meter, reader = _setup(AlwaysOnExemplarFilter())
    meter.create_counter("c").add(1)
    (exemplar,) = _point(reader).exemplars
    assert exemplar.trace_id is None and exemplar.span_id is None


def test_always_off_samples_nothing() -> None:
    meter, reader = _setup(AlwaysOffExemplarFilter())
    token = _span_context(sampled=True)
    try:
        meter.create_counter("c").add(1)
    finally:
        context.detach(token)
    assert _point(reader).exemplars == []


def test_histogram_keeps_one_exemplar_per_bucket() -> None:
    meter, reader = _setup(AlwaysOnExemplarFilter())
    histogram = meter.create_histogram("h", explicit_bucket_boundaries_advisory=[10])
    for value in (1, 2, 20):
        histogram.record(value)
    assert sorted(e.value for e in _point(reader).exemplars) == [2, 20]


def test_filtered_attributes_hold_what_the_view_dropped() -> None:
    view = View(instrument_name="c", attribute_keys={"route"})
    meter, reader = _setup(AlwaysOnExemplarFilter(), [view])
    meter.create_counter("c").add(1, {"route": "/a", "user": "u1"})
    (exemplar,) = _point(reader).exemplars
    assert exemplar.filtered_attributes == {"user": "u1"}


def test_exemplars_are_from_the_last_interval_only() -> None:
    meter, reader = _setup(AlwaysOnExemplarFilter())
    counter = meter.create_counter("c")
    counter.add(1)
    assert len(_point(reader).exemplars) == 1
    assert _point(reader).exemplars == []


def test_simple_fixed_size_reservoir_keeps_at_most_size() -> None:
    reservoir = SimpleFixedSizeExemplarReservoir(size=4)
    for i in range(100):
        reservoir.offer(i, i, {"a": 1}, None)
    exemplars = reservoir.collect({"a": 1})
    assert len(exemplars) == 4
    assert all(e.filtered_attributes == {} for e in exemplars)
    assert reservoir.collect(None) == []


def test_custom_reservoir_factory_from_the_view() -> None:
    def factory(aggregation_type: type) -> Any:
        return lambda **kwargs: SimpleFixedSizeExemplarReservoir(size=3)

    view = View(instrument_name="c", exemplar_reservoir_factory=factory)
    meter, reader = _setup(AlwaysOnExemplarFilter(), [view])
    counter = meter.create_counter("c")
    for i in range(10):
        counter.add(i)
    assert len(_point(reader).exemplars) == 3


def test_exemplar_filter_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("OTEL_METRICS_EXEMPLAR_FILTER", "always_on")
    meter, reader = _setup()
    meter.create_counter("c").add(1)
    assert len(_point(reader).exemplars) == 1


def test_a_raising_reservoir_never_reaches_the_caller() -> None:
    class Broken(SimpleFixedSizeExemplarReservoir):
        def offer(self, *args: Any) -> None:
            raise RuntimeError("broken reservoir")

    view = View(instrument_name="c", exemplar_reservoir_factory=lambda agg: Broken)
    meter, reader = _setup(AlwaysOnExemplarFilter(), [view])
    counter = meter.create_counter("c")
    counter.add(1)
    counter.add(2)
    assert _point(reader).value == 3


# --- Exemplar offers inside sampled spans take no stream-wide lock and lose nothing. (formerly
# test_robustness_exemplar_contention.py)


CONTENTION_THREADS = 8
CONTENTION_PER_THREAD = 8


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
    size = CONTENTION_THREADS * CONTENTION_PER_THREAD
    view = View(
        instrument_name="c",
        exemplar_reservoir_factory=lambda aggregation: (
            lambda **kwargs: SimpleFixedSizeExemplarReservoir(size=size)
        ),
    )
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], views=[view], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    start = threading.Barrier(CONTENTION_THREADS)

    def offer(thread_index: int) -> None:
        token = _in_span(1000 + thread_index)
        try:
            start.wait()
            for i in range(CONTENTION_PER_THREAD):
                counter.add(thread_index * 1000 + i, {"k": "v"})
        finally:
            context.detach(token)

    threads = [threading.Thread(target=offer, args=(n,)) for n in range(CONTENTION_THREADS)]
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
        n * 1000 + i for n in range(CONTENTION_THREADS) for i in range(CONTENTION_PER_THREAD)
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

    collect_during(collect_once, [functools.partial(offer, n) for n in range(CONTENTION_THREADS)])
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


def test_sampled_span_exemplar_with_a_view_keeps_what_it_dropped() -> None:
    view = View(instrument_name="h", attribute_keys={"route"})
    meter, reader = _setup(views=[view])
    attributes = {"route": "/a", "user": "u1"}
    token = _span_context(sampled=True)
    try:
        meter.create_histogram("h").record(5, attributes)
    finally:
        context.detach(token)
    attributes["user"] = "changed later"  # the exemplar holds its own copy
    (exemplar,) = _point(reader).exemplars
    assert exemplar.filtered_attributes == {"user": "u1"}
    assert (exemplar.trace_id, exemplar.span_id) == (TRACE_ID, SPAN_ID)


def test_sampled_span_exemplar_on_the_overflow_series_keeps_every_attribute() -> None:
    view = View(instrument_name="h", aggregation_cardinality_limit=2)
    meter, reader = _setup(views=[view])
    histogram = meter.create_histogram("h")
    token = _span_context(sampled=True)
    try:
        histogram.record(1, {"user": "u1"})
        histogram.record(2, {"user": "u2"})  # past the limit: the overflow series
    finally:
        context.detach(token)
    (metric,) = metrics_by_name(reader).values()
    overflow = next(
        point
        for point in metric.data.data_points
        if point.attributes.get("otel.metric.overflow") is True
    )
    (exemplar,) = overflow.exemplars
    assert exemplar.filtered_attributes == {"user": "u2"}
    assert exemplar.trace_id == TRACE_ID
