"""Every aggregation, both temporalities, across several collections."""

from __future__ import annotations

from typing import Any

from otel.sdk.metrics import Counter, Histogram, MeterProvider, UpDownCounter
from otel.sdk.metrics._exponential import map_to_index
from otel.sdk.metrics.export import (
    AggregationTemporality,
    ExponentialHistogram,
    Gauge,
    InMemoryMetricReader,
    Sum,
)
from otel.sdk.metrics.export import (
    Histogram as HistogramData,
)
from otel.sdk.metrics.view import (
    ExplicitBucketHistogramAggregation,
    ExponentialBucketHistogramAggregation,
    LastValueAggregation,
    SumAggregation,
    View,
)
from otel.testing import metrics_by_name

DELTA = AggregationTemporality.DELTA
CUMULATIVE = AggregationTemporality.CUMULATIVE
ALL_DELTA = {Counter: DELTA, UpDownCounter: DELTA, Histogram: DELTA}


def _setup(temporality: dict[type, Any] | None = None, views: Any = ()) -> tuple[Any, Any]:
    reader = InMemoryMetricReader(preferred_temporality=temporality)
    provider = MeterProvider(metric_readers=[reader], views=views, shutdown_on_exit=False)
    return provider.get_meter("test"), reader


def _values(metric: Any) -> dict[tuple[tuple[str, Any], ...], Any]:
    return {tuple(sorted(p.attributes.items())): p.value for p in metric.data.data_points}


def test_counter_cumulative_keeps_growing_across_collections() -> None:
    meter, reader = _setup()
    counter = meter.create_counter("c")
    counter.add(2, {"k": "a"})
    first = metrics_by_name(reader).get("c")
    counter.add(3, {"k": "a"})
    counter.add(1, {"k": "b"})
    second = metrics_by_name(reader).get("c")
    third = metrics_by_name(reader).get("c")
    assert isinstance(first.data, Sum)
    assert first.data.is_monotonic and first.data.aggregation_temporality == CUMULATIVE
    assert _values(first) == {(("k", "a"),): 2}
    assert _values(second) == {(("k", "a"),): 5, (("k", "b"),): 1}
    assert _values(third) == _values(second)
    start_a = next(p for p in third.data.data_points if p.attributes == {"k": "a"})
    first_a = first.data.data_points[0]
    assert start_a.start_time_unix_nano == first_a.start_time_unix_nano
    assert start_a.time_unix_nano > first_a.time_unix_nano


def test_counter_delta_reports_only_the_interval() -> None:
    meter, reader = _setup(ALL_DELTA)
    counter = meter.create_counter("c")
    counter.add(2, {"k": "a"})
    first = metrics_by_name(reader).get("c")
    counter.add(3, {"k": "a"})
    second = metrics_by_name(reader).get("c")
    assert _values(first) == {(("k", "a"),): 2}
    assert _values(second) == {(("k", "a"),): 3}
    assert second.data.aggregation_temporality == DELTA
    assert metrics_by_name(reader).get("c") is None  # nothing recorded since
    p1, p2 = first.data.data_points[0], second.data.data_points[0]
    assert p2.start_time_unix_nano == p1.time_unix_nano


def test_up_down_counter_is_a_non_monotonic_sum() -> None:
    meter, reader = _setup()
    updown = meter.create_up_down_counter("u")
    updown.add(5)
    updown.add(-7)
    metric = metrics_by_name(reader).get("u")
    assert metric.data.is_monotonic is False
    assert metric.data.data_points[0].value == -2


def test_gauge_reports_the_last_value() -> None:
    meter, reader = _setup()
    gauge = meter.create_gauge("g")
    gauge.set(1.5, {"room": "a"})
    gauge.set(2.5, {"room": "a"})
    metric = metrics_by_name(reader).get("g")
    assert isinstance(metric.data, Gauge)
    assert _values(metric) == {(("room", "a"),): 2.5}


def test_histogram_default_buckets_and_min_max() -> None:
    meter, reader = _setup()
    histogram = meter.create_histogram("h", unit="ms")
    for value in (0, 5, 5.5, 12.5, 10_001):
        histogram.record(value, {"r": "/"})
    point = metrics_by_name(reader).get("h").data.data_points[0]
    assert point.explicit_bounds[:3] == (0.0, 5.0, 10.0)
    assert len(point.bucket_counts) == 16
    # bucket i holds (bounds[i-1], bounds[i]]: 0 -> [0], 5 -> [1], 5.5 -> [2], 12.5 -> [3]
    assert point.bucket_counts[:4] == [1, 1, 1, 1]
    assert point.bucket_counts[-1] == 1
    assert point.count == 5
    assert point.sum == 0 + 5 + 5.5 + 12.5 + 10_001
    assert (point.min, point.max) == (0, 10_001)


def test_histogram_advisory_boundaries_are_used() -> None:
    meter, reader = _setup()
    histogram = meter.create_histogram("h", explicit_bucket_boundaries_advisory=[1, 2])
    histogram.record(1.5)
    point = metrics_by_name(reader).get("h").data.data_points[0]
    assert point.explicit_bounds == (1.0, 2.0)
    assert point.bucket_counts == [0, 1, 0]


def test_histogram_delta_min_max_are_per_interval() -> None:
    meter, reader = _setup(ALL_DELTA)
    histogram = meter.create_histogram("h")
    histogram.record(100)
    histogram.record(1)
    first = metrics_by_name(reader).get("h").data.data_points[0]
    histogram.record(50)
    second = metrics_by_name(reader).get("h").data.data_points[0]
    assert (first.min, first.max, first.count) == (1, 100, 2)
    assert (second.min, second.max, second.count) == (50, 50, 1)


def test_histogram_cumulative_accumulates_buckets() -> None:
    meter, reader = _setup()
    histogram = meter.create_histogram("h")
    histogram.record(3)
    metrics_by_name(reader).get("h")
    histogram.record(7)
    point = metrics_by_name(reader).get("h").data.data_points[0]
    assert isinstance(metrics_by_name(reader).get("h").data, HistogramData)
    assert point.count == 2 and point.sum == 10
    assert point.bucket_counts[1] == 1 and point.bucket_counts[2] == 1


def test_view_aggregation_sum_on_histogram_and_last_value_on_counter() -> None:
    views = [
        View(instrument_name="h", aggregation=SumAggregation()),
        View(instrument_name="c", aggregation=LastValueAggregation()),
    ]
    meter, reader = _setup(views=views)
    meter.create_histogram("h").record(4)
    counter = meter.create_counter("c")
    counter.add(4)
    counter.add(9)
    data = reader.get_metrics_data()
    assert data is not None
    metrics = {m.name: m for m in data.resource_metrics[0].scope_metrics[0].metrics}
    assert isinstance(metrics["h"].data, Sum) and metrics["h"].data.data_points[0].value == 4
    assert isinstance(metrics["c"].data, Gauge) and metrics["c"].data.data_points[0].value == 9


def test_explicit_bucket_aggregation_without_min_max() -> None:
    view = View(
        instrument_name="h",
        aggregation=ExplicitBucketHistogramAggregation([10], record_min_max=False),
    )
    meter, reader = _setup(views=[view])
    meter.create_histogram("h").record(4)
    point = metrics_by_name(reader).get("h").data.data_points[0]
    assert point.bucket_counts == [1, 0] and point.min is None and point.max is None


def _exp_point(values: list[float], max_size: int = 160, temporality: Any = None) -> Any:
    view = View(
        instrument_name="e",
        aggregation=ExponentialBucketHistogramAggregation(max_size=max_size),
    )
    meter, reader = _setup(temporality, views=[view])
    gauge = meter.create_gauge("e")  # a gauge can carry negative values into the histogram
    for value in values:
        gauge.set(value)
    metric = metrics_by_name(reader).get("e")
    assert isinstance(metric.data, ExponentialHistogram)
    return metric.data.data_points[0]


def test_exponential_histogram_single_value_uses_max_scale() -> None:
    point = _exp_point([1.5])
    assert point.scale == 20
    assert point.positive.offset == map_to_index(1.5, 20)
    assert point.positive.bucket_counts == [1]
    assert (point.count, point.sum, point.min, point.max) == (1, 1.5, 1.5, 1.5)


def test_exponential_histogram_without_record_min_max_leaves_min_and_max_unset() -> None:
    view = View(
        instrument_name="e",
        aggregation=ExponentialBucketHistogramAggregation(record_min_max=False),
    )
    meter, reader = _setup(views=[view])
    histogram = meter.create_histogram("e")
    histogram.record(2.0)
    histogram.record(8.0)
    point = metrics_by_name(reader).get("e").data.data_points[0]
    assert (point.count, point.sum, point.min, point.max) == (2, 10.0, None, None)


def test_exponential_aggregation_takes_record_min_max_as_third_argument() -> None:
    aggregation = ExponentialBucketHistogramAggregation(40, 10, False)
    assert (aggregation.max_size, aggregation.max_scale, aggregation.record_min_max) == (
        40,
        10,
        False,
    )


def test_exponential_histogram_zero_and_negative_values() -> None:
    point = _exp_point([0.0, -4.0, 4.0])
    assert point.zero_count == 1
    assert sum(point.negative.bucket_counts) == 1
    assert sum(point.positive.bucket_counts) == 1
    assert point.negative.offset == point.positive.offset == map_to_index(4.0, point.scale)
    assert point.min == -4.0 and point.max == 4.0


def test_exponential_histogram_rescales_down_as_the_range_grows() -> None:
    point = _exp_point([1.0, 2.0**100], max_size=4)
    # 1.0 is in bucket -1 (upper-inclusive), 2**100 in bucket 100*2**s - 1: fits 4 buckets
    scale = point.scale
    assert scale < 20
    first = map_to_index(1.0, scale)
    last = map_to_index(2.0**100, scale)
    assert last - first + 1 <= 4
    assert point.positive.offset == first
    assert sum(point.positive.bucket_counts) == 2


def test_exponential_histogram_through_a_histogram_instrument_delta_and_cumulative() -> None:
    view = View(instrument_name="h", aggregation=ExponentialBucketHistogramAggregation())
    for temporality in (None, ALL_DELTA):
        meter, reader = _setup(temporality, views=[view])
        histogram = meter.create_histogram("h")
        histogram.record(3.0)
        metrics_by_name(reader).get("h")
        histogram.record(5.0)
        point = metrics_by_name(reader).get("h").data.data_points[0]
        assert point.count == (1 if temporality else 2)
        assert point.flags == 0 and point.zero_threshold == 0.0


def test_exponential_histogram_hand_computed_indexes_at_scale_zero() -> None:
    # max_size 2 with values 1..4 forces scale 0 where bucket i is (2**i, 2**(i+1)]:
    # 1.0 -> -1, 2.0 -> 0, 3.0 and 4.0 -> 1; three buckets do not fit in 2, so scale -1:
    # bucket i is (4**i, 4**(i+1)]: 1.0 -> -1, 2.0, 3.0, 4.0 -> 0.
    point = _exp_point([1.0, 2.0, 3.0, 4.0], max_size=2)
    assert point.scale == -1
    assert point.positive.offset == -1
    assert point.positive.bucket_counts == [1, 3]


def test_exponential_histogram_hand_computed_indexes_at_scale_one() -> None:
    # scale 1: base sqrt(2); 1.0 -> -1 (upper-inclusive), 1.5 -> 1 ((1.414, 2]), 2.0 -> 1
    point = _exp_point([1.0, 1.5, 2.0], max_size=3)
    assert point.scale == 1
    assert point.positive.offset == -1
    assert point.positive.bucket_counts == [1, 0, 2]


def test_exponential_histogram_subnormal_and_huge_values() -> None:
    tiny = 5e-324  # the smallest subnormal, 2**-1074
    huge = 1.7976931348623157e308  # the largest float
    point = _exp_point([tiny, huge])
    scale = point.scale
    assert point.count == 2 and point.min == tiny and point.max == huge
    assert point.positive.offset == map_to_index(tiny, scale)
    assert point.positive.offset + len(point.positive.bucket_counts) - 1 == map_to_index(
        huge, scale
    )
    assert len(point.positive.bucket_counts) <= 160
    # at scale 0 the index of 2**-1074 is -1075 (it is an exact power of two)
    assert map_to_index(tiny, 0) == -1075


def test_temporality_preference_keyed_by_the_api_class() -> None:
    from otel import metrics as api

    meter, reader = _setup({api.Counter: DELTA})
    counter = meter.create_counter("c")
    counter.add(1)
    metrics_by_name(reader).get("c")
    counter.add(1)
    metric = metrics_by_name(reader).get("c")
    assert metric.data.aggregation_temporality == DELTA
    assert metric.data.data_points[0].value == 1


def test_reader_preferred_aggregation() -> None:
    reader = InMemoryMetricReader(
        preferred_aggregation={Histogram: ExponentialBucketHistogramAggregation()}
    )
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("t").create_histogram("h").record(2.0)
    assert isinstance(metrics_by_name(reader).get("h").data, ExponentialHistogram)


def test_readers_with_different_aggregations_each_get_their_own_stream() -> None:
    explicit = InMemoryMetricReader()
    exponential = InMemoryMetricReader(
        preferred_aggregation={Histogram: ExponentialBucketHistogramAggregation()}
    )
    provider = MeterProvider(metric_readers=[explicit, exponential], shutdown_on_exit=False)
    provider.get_meter("t").create_histogram("h").record(2.0)
    assert isinstance(metrics_by_name(explicit).get("h").data, HistogramData)
    assert isinstance(metrics_by_name(exponential).get("h").data, ExponentialHistogram)
