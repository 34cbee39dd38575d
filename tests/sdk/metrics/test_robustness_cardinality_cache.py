"""Past the attribute-set cache's cap, known series and overflow take no stream lock."""

from __future__ import annotations

import threading
from typing import Any

from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader

LIMIT = 10


def _setup() -> tuple[MeterProvider, InMemoryMetricReader, Any, Any]:
    reader = InMemoryMetricReader(cardinality_limit=LIMIT)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("t").create_counter("c")
    (registration,) = next(iter(provider._registrations.values()))
    stream = registration.stream
    for i in range(stream._cache_max + 50):  # fill the cache, mostly with overflow sets
        counter.add(1, {"id": i})
    assert len(stream._cache) >= stream._cache_max
    return provider, reader, counter, stream


def _finishes_while_lock_held(stream: Any, call: Any) -> bool:
    finished = threading.Event()

    def run() -> None:
        call()
        finished.set()

    with stream._lock:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        done = finished.wait(2)
    thread.join(5)
    return done


def _values(reader: InMemoryMetricReader) -> dict[Any, Any]:
    data = reader.get_metrics_data()
    assert data is not None
    points = data.resource_metrics[0].scope_metrics[0].metrics[0].data.data_points
    return {tuple(sorted(p.attributes.items())): p.value for p in points}  # type: ignore[union-attr]


def test_overflow_beyond_the_cache_cap_takes_no_stream_lock() -> None:
    _, reader, counter, stream = _setup()
    before = _values(reader)[(("otel.metric.overflow", True),)]
    assert _finishes_while_lock_held(stream, lambda: counter.add(5, {"id": "new"}))
    assert _values(reader)[(("otel.metric.overflow", True),)] == before + 5


def test_known_series_not_in_the_cache_takes_no_stream_lock() -> None:
    _, reader, counter, stream = _setup()
    reader.get_metrics_data()
    # {"id": 0} is a series; this dict is uncached but canonicalises to it
    attributes: dict[str, Any] = {"id": 0, "dropped": None}
    assert tuple(attributes.items()) not in stream._cache
    assert _finishes_while_lock_held(stream, lambda: counter.add(7, attributes))
    assert _values(reader)[(("id", 0),)] == 8


def test_totals_stay_exact_past_the_cache_cap() -> None:
    _, reader, _counter, stream = _setup()
    values = _values(reader)
    assert sum(values.values()) == stream._cache_max + 50
    assert len(values) == LIMIT
