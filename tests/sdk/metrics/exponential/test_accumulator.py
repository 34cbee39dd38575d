"""ExponentialHistogramAccumulator: recording, automatic downscaling, snapshots, reset, merge."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otel.sdk.metrics._exponential import (
    ExponentialHistogramAccumulator,
    ExponentialHistogramSnapshot,
    lower_boundary,
    map_to_index,
)

MIN_SUBNORMAL = 5e-324
MAX_FLOAT = 1.7976931348623157e308


def _record_all(values: list[float], **kwargs: int) -> ExponentialHistogramAccumulator:
    acc = ExponentialHistogramAccumulator(**kwargs)  # type: ignore[arg-type]
    for v in values:
        acc.record(v)
    return acc


def _buckets(offset: int, counts: list[int]) -> dict[int, int]:
    return {offset + j: c for j, c in enumerate(counts) if c}


# -- basics ----------------------------------------------------------------------------


def test_new_accumulator_snapshot_is_empty() -> None:
    snap = ExponentialHistogramAccumulator().snapshot()
    assert snap == ExponentialHistogramSnapshot(
        count=0,
        sum=0.0,
        scale=20,
        zero_count=0,
        zero_threshold=0.0,
        positive_offset=0,
        positive_bucket_counts=[],
        negative_offset=0,
        negative_bucket_counts=[],
        min=None,
        max=None,
    )
    assert not snap.has_min_max


def test_defaults_follow_the_sdk_specification() -> None:
    acc = ExponentialHistogramAccumulator()
    assert (acc.max_size, acc.max_scale, acc.record_min_max) == (160, 20, True)


def test_single_value_uses_the_maximum_scale() -> None:
    snap = _record_all([3.0]).snapshot()
    # log2(3) * 2**20 = 1661953.64 -> bucket 1661953
    assert (snap.scale, snap.positive_offset, snap.positive_bucket_counts) == (20, 1661953, [1])


def test_configured_max_scale_is_the_starting_scale() -> None:
    snap = _record_all([3.0], max_scale=3).snapshot()
    assert (snap.scale, snap.positive_offset, snap.positive_bucket_counts) == (3, 12, [1])


def test_count_sum_min_max_cover_all_ranges() -> None:
    snap = _record_all([2.5, -7.0, 0.0, 12.0, 0.25]).snapshot()
    assert snap.count == 5
    assert snap.sum == 7.75
    assert (snap.min, snap.max) == (-7.0, 12.0)
    assert snap.has_min_max


def test_zeros_go_to_the_zero_count() -> None:
    snap = _record_all([0.0, -0.0, 0]).snapshot()
    assert (snap.count, snap.zero_count, snap.sum) == (3, 3, 0.0)
    assert snap.positive_bucket_counts == snap.negative_bucket_counts == []
    assert (snap.min, snap.max) == (0.0, 0.0)
    assert snap.zero_threshold == 0.0


def test_negative_values_are_bucketed_by_magnitude() -> None:
    snap = _record_all([-3.0, -3.0, -1.0]).snapshot()
    # scale 20: |-1| -> -1, |-3| -> 1661953; far apart, so the scale drops. At scale 0,
    # 1 -> -1 and 3 -> 1; the highest scale fitting 160 buckets is 6: 1 -> -1,
    # log2(3) * 64 = 101.44 -> 101, span 103.
    assert snap.scale == 6
    assert snap.positive_bucket_counts == []
    assert _buckets(snap.negative_offset, snap.negative_bucket_counts) == {-1: 1, 101: 2}
    assert (snap.min, snap.max, snap.sum) == (-3.0, -1.0, -7.0)


def test_positive_and_negative_values_share_one_scale() -> None:
    snap = _record_all([1.0, 2.0**100, -3.0]).snapshot()
    # The positive range forces the scale down; the negative one follows.
    assert snap.scale < 20
    assert snap.negative_bucket_counts == [1]
    assert snap.negative_offset == map_to_index(3.0, snap.scale)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, -math.nan])
def test_nan_and_infinities_are_ignored(bad: float) -> None:
    acc = _record_all([1.5])
    acc.record(bad)
    snap = acc.snapshot()
    assert (snap.count, snap.sum, snap.min, snap.max) == (1, 1.5, 1.5, 1.5)
    assert sum(snap.positive_bucket_counts) == 1


def test_min_max_are_unset_when_recording_them_is_off() -> None:
    snap = _record_all([1.0, -2.0, 0.0], record_min_max=False).snapshot()
    assert (snap.min, snap.max, snap.has_min_max) == (None, None, False)
    assert snap.count == 3


def test_integer_values_are_accepted() -> None:
    snap = _record_all([1, 2, 3]).snapshot()
    assert (snap.count, snap.sum, snap.min, snap.max) == (3, 6.0, 1.0, 3.0)
    assert isinstance(snap.min, float)


def test_a_non_number_raises_type_error_and_changes_nothing() -> None:
    acc = _record_all([1.5])
    before = acc.snapshot()
    with pytest.raises(TypeError):
        acc.record("12")  # type: ignore[arg-type]
    assert acc.snapshot() == before


@pytest.mark.parametrize("max_scale", [20, 0])
def test_an_int_beyond_the_float_range_raises_overflow_and_changes_nothing(
    max_scale: int,
) -> None:
    acc = _record_all([1.5], max_scale=max_scale)
    before = acc.snapshot()
    for huge in (10**400, -(10**400), 2**1024):
        with pytest.raises(OverflowError):
            acc.record(huge)
    assert acc.snapshot() == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_size": 1},
        {"max_size": 0},
        {"max_size": 2.5},
        {"max_scale": 21},
        {"max_scale": -12},
        {"max_scale": True},
    ],
)
def test_invalid_configuration_is_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ExponentialHistogramAccumulator(**kwargs)  # type: ignore[arg-type]


# -- downscaling as the range grows ----------------------------------------------------


def test_range_growth_downscales_to_fit_max_size() -> None:
    snap = _record_all([1.0, 2.0**100], max_size=4).snapshot()
    # At scale s <= 0 the scale-0 indexes (1 -> -1, 2**100 -> 99) shift right by -s:
    # 99 >> 5 = 3 spans -1..3 (5 buckets), 99 >> 6 = 1 spans -1..1 (3 buckets) -> scale -6,
    # base 2**64: 1 in (2**-64, 1], 2**100 in (2**64, 2**128].
    assert snap.scale == -6
    assert (snap.positive_offset, snap.positive_bucket_counts) == (-1, [1, 0, 1])
    assert (snap.count, snap.sum, snap.min, snap.max) == (2, 1.0 + 2.0**100, 1.0, 2.0**100)


def test_downscale_merges_buckets_exactly() -> None:
    acc = _record_all([1.5, 1.7, 3.0, 5.0], max_size=4)
    # scale 0: 1.5, 1.7 -> 0; 3 -> 1; 5 -> 2: span 3 fits 4, scale 1 would need
    # 1.5 -> 1 (1.414 < 1.5 <= 2), 5 -> 4 (4 < 5 <= 5.66): span 4, fits too; scale 2
    # needs 1.5 -> 2, 5 -> 9: span 8. So scale 1: 1.7 -> 1, 3 -> 3.
    snap = acc.snapshot()
    assert snap.scale == 1
    assert (snap.positive_offset, snap.positive_bucket_counts) == (1, [2, 0, 1, 1])


@pytest.mark.parametrize(
    ("low", "high", "scale"),
    [
        # The SDK specification's table of ideal scales for 160 buckets.
        (0.001, 0.004, 6),
        (0.001, 0.020, 5),
        (0.001, 1.0, 4),
        (0.001, 100.0, 3),
        (0.000001, 10.0, 2),
    ],
)
def test_default_size_reaches_the_specified_ideal_scale(
    low: float, high: float, scale: int
) -> None:
    assert _record_all([low, high]).snapshot().scale == scale


def test_two_buckets_hold_the_extremes_of_the_float_range() -> None:
    snap = _record_all([MIN_SUBNORMAL, MAX_FLOAT], max_size=2).snapshot()
    # Scale -11: scale-0 indexes -1075 and 1023 shift to -1 and 0.
    assert snap.scale == -11
    assert (snap.positive_offset, snap.positive_bucket_counts) == (-1, [1, 1])


def test_default_size_holds_subnormal_and_huge_values() -> None:
    snap = _record_all([MIN_SUBNORMAL, 2.2250738585072014e-308, MAX_FLOAT, -MAX_FLOAT]).snapshot()
    # Scale-0 indexes -1075, -1023, 1023: at scale -4 they are -68, -64, 63 (132 buckets);
    # at scale -3 they would be -135..127 (263 > 160).
    assert snap.scale == -4
    assert _buckets(snap.positive_offset, snap.positive_bucket_counts) == {-68: 1, -64: 1, 63: 1}
    assert _buckets(snap.negative_offset, snap.negative_bucket_counts) == {63: 1}
    assert (snap.min, snap.max) == (-MAX_FLOAT, MAX_FLOAT)


def test_values_in_one_bucket_keep_the_maximum_scale() -> None:
    snap = _record_all([3.0] * 1000).snapshot()
    assert (snap.scale, snap.positive_bucket_counts) == (20, [1000])


def test_range_can_grow_downwards_without_rescaling() -> None:
    snap = _record_all([4.0, 3.0, 2.5], max_scale=2).snapshot()
    # scale 2 (base 2**0.25 = 1.189): 4 -> 7, 3 -> floor(1.585 * 4) = 6, 2.5 -> 5 (5.29)
    assert snap.scale == 2
    assert (snap.positive_offset, snap.positive_bucket_counts) == (5, [1, 1, 1])


# -- snapshots and reset ---------------------------------------------------------------


def test_snapshot_is_frozen() -> None:
    snap = _record_all([1.0]).snapshot()
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.count = 5  # type: ignore[misc]


def test_snapshot_does_not_change_with_later_records() -> None:
    acc = _record_all([3.0])
    snap = acc.snapshot()
    acc.record(3.0)
    acc.record(-3.0)
    assert snap.count == 1
    assert snap.positive_bucket_counts == [1]
    assert snap.negative_bucket_counts == []


def test_snapshot_and_reset_returns_the_data_and_empties() -> None:
    acc = _record_all([3.0, -1.0, 0.0])
    snap = acc.snapshot_and_reset()
    assert (snap.count, snap.zero_count) == (3, 1)
    acc.record(3.0)
    assert snap.positive_bucket_counts == [1]  # handed over, not shared afterwards
    assert acc.snapshot().count == 1


def test_reset_returns_to_the_maximum_scale() -> None:
    acc = _record_all([1.0, 2.0**100], max_size=4)
    assert acc.scale == -6
    acc.reset()
    assert acc.scale == 20
    assert acc.snapshot() == ExponentialHistogramAccumulator(max_size=4).snapshot()
    acc.record(3.0)
    assert acc.snapshot().scale == 20


# -- merge -----------------------------------------------------------------------------


def test_merge_at_different_scales_takes_the_lower_scale() -> None:
    cumulative = _record_all([1.0, 2.0**100], max_size=4)  # scale -6: {-1: 1, 1: 1}
    cumulative.merge(_record_all([3.0]).snapshot())  # scale 20: {1661953: 1}
    snap = cumulative.snapshot()
    # 3 at scale -6 is in (1, 2**64], bucket 0 (1661953 >> 26 == 0).
    assert snap.scale == -6
    assert (snap.positive_offset, snap.positive_bucket_counts) == (-1, [1, 1, 1])
    assert (snap.count, snap.min, snap.max) == (3, 1.0, 2.0**100)
    assert snap.sum == 1.0 + 2.0**100 + 3.0


def test_merge_downscales_further_when_the_union_does_not_fit() -> None:
    acc = _record_all([1.0, 2.0], max_size=4)
    # 1 -> -1 and 2 -> 2**20 - 1 at scale 20; they fit 4 buckets at scale 1 (-1, 1).
    assert acc.scale == 1
    acc.merge(_record_all([1024.0]).snapshot())
    snap = acc.snapshot()
    # At scale 1, 1024 -> 19: -1..19 needs 21 buckets; shifting by 2 gives -1..4 (6),
    # by 3 gives -1..2 (4), so scale -2 (base 16): 1 in (1/16, 1] (-1), 2 in (1, 16] (0),
    # 1024 in (16**2, 16**3] (2).
    assert snap.scale == -2
    assert (snap.positive_offset, snap.positive_bucket_counts) == (-1, [1, 1, 0, 1])
    assert snap.count == 3


def test_merge_into_an_empty_accumulator_adopts_the_snapshot() -> None:
    source = _record_all([1.0, 2.0**100, -5.0, 0.0], max_size=4).snapshot()
    target = ExponentialHistogramAccumulator(max_size=4)
    target.merge(source)
    assert target.snapshot() == source


def test_merging_an_empty_snapshot_changes_nothing() -> None:
    acc = _record_all([3.0, -2.0])
    before = acc.snapshot()
    acc.merge(ExponentialHistogramAccumulator(max_scale=-5).snapshot())
    assert acc.snapshot() == before


def test_merge_combines_zero_counts_negatives_and_min_max() -> None:
    acc = _record_all([0.0, -1.0, 4.0])
    acc.merge(_record_all([0.0, 0.0, -8.0, 2.0]).snapshot())
    snap = acc.snapshot()
    assert (snap.count, snap.zero_count, snap.sum) == (7, 3, -3.0)
    assert (snap.min, snap.max) == (-8.0, 4.0)
    assert sum(snap.negative_bucket_counts) == 2
    assert sum(snap.positive_bucket_counts) == 2


def test_merge_ignores_a_snapshot_without_min_max() -> None:
    acc = _record_all([2.0])
    acc.merge(_record_all([-8.0], record_min_max=False).snapshot())
    assert (acc.snapshot().min, acc.snapshot().max) == (2.0, 2.0)


def test_merge_into_an_accumulator_without_min_max_keeps_them_unset() -> None:
    acc = ExponentialHistogramAccumulator(record_min_max=False)
    acc.merge(_record_all([2.0]).snapshot())
    assert acc.snapshot().min is None


# -- properties ------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True)
values_lists = st.lists(finite, max_size=60)
sizes = st.integers(min_value=2, max_value=24)


def _check_invariants(
    acc: ExponentialHistogramAccumulator, values: list[float], best_scale: bool = True
) -> None:
    snap = acc.snapshot()
    pos, neg = snap.positive_bucket_counts, snap.negative_bucket_counts
    # Every value is counted exactly once.
    assert snap.zero_count + sum(pos) + sum(neg) == snap.count == len(values)
    assert snap.zero_count == sum(1 for v in values if v == 0.0)
    # Ranges are tight and fit the size limit.
    for counts in (pos, neg):
        assert len(counts) <= acc.max_size
        if counts:
            assert counts[0] > 0 and counts[-1] > 0
    # The buckets are those of the values at the final scale.
    expected_pos = Counter(map_to_index(v, snap.scale) for v in values if v > 0)
    expected_neg = Counter(map_to_index(-v, snap.scale) for v in values if v < 0)
    assert _buckets(snap.positive_offset, pos) == expected_pos
    assert _buckets(snap.negative_offset, neg) == expected_neg
    # Best resolution: one scale higher, some range would not fit (or it is the maximum).
    if best_scale and snap.scale < acc.max_scale:
        finer = snap.scale + 1
        spans = [
            max(idx) - min(idx) + 1
            for idx in (
                [map_to_index(v, finer) for v in values if v > 0],
                [map_to_index(-v, finer) for v in values if v < 0],
            )
            if idx
        ]
        assert max(spans) > acc.max_size
    # Exact statistics.
    if values:
        assert (snap.min, snap.max) == (min(values), max(values))
        if all(abs(v) < 1e300 for v in values):
            magnitude = math.fsum(abs(v) for v in values)
            assert abs(snap.sum - math.fsum(values)) <= 1e-12 * magnitude


@settings(max_examples=300, deadline=None)
@given(values_lists, sizes)
def test_recording_keeps_all_invariants(values: list[float], max_size: int) -> None:
    _check_invariants(_record_all(values, max_size=max_size), values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=1e-6, max_value=1e6), min_size=1, max_size=60), sizes)
def test_every_value_lies_within_its_bucket_bounds(values: list[float], max_size: int) -> None:
    snap = _record_all(values, max_size=max_size).snapshot()
    for v in values:
        index = map_to_index(v, snap.scale)
        j = index - snap.positive_offset
        assert 0 <= j < len(snap.positive_bucket_counts)
        assert snap.positive_bucket_counts[j] > 0
        # Checked with exact rationals against base**index < v <= base**(index+1):
        # base**i < v  <=>  2**i < v**(2**s) for s >= 0, and similarly for s < 0.
        low, high = lower_boundary(index, snap.scale), lower_boundary(index + 1, snap.scale)
        assert low * (1 - 1e-12) <= v <= high * (1 + 1e-12)
        if 0 <= snap.scale <= 8:
            power = Fraction(v) ** (1 << snap.scale)
            assert Fraction(2) ** index < power <= Fraction(2) ** (index + 1)
        elif snap.scale < 0:
            width = 1 << -snap.scale
            assert Fraction(2) ** (index * width) < v <= Fraction(2) ** ((index + 1) * width)


@settings(max_examples=200, deadline=None)
@given(st.lists(values_lists, max_size=6), sizes)
def test_merged_deltas_equal_one_cumulative_recording(
    chunks: list[list[float]], max_size: int
) -> None:
    delta = ExponentialHistogramAccumulator(max_size=max_size)
    cumulative = ExponentialHistogramAccumulator(max_size=max_size)
    for chunk in chunks:
        for v in chunk:
            delta.record(v)
        cumulative.merge(delta.snapshot_and_reset())
    everything = [v for chunk in chunks for v in chunk]
    direct = _record_all(everything, max_size=max_size).snapshot()
    merged = cumulative.snapshot()
    assert dataclasses.replace(merged, sum=0.0) == dataclasses.replace(direct, sum=0.0)
    _check_invariants(cumulative, everything)


@settings(max_examples=100, deadline=None)
@given(values_lists, values_lists, sizes, sizes)
def test_merge_across_sizes_keeps_all_invariants(
    a: list[float], b: list[float], size_a: int, size_b: int
) -> None:
    acc = _record_all(a, max_size=size_a)
    acc.merge(_record_all(b, max_size=size_b).snapshot())
    # A snapshot from a smaller accumulator may arrive at a lower scale than this one
    # needs; merging cannot recover the resolution it lost, so no best-scale check.
    _check_invariants(acc, a + b, best_scale=size_b >= size_a)
