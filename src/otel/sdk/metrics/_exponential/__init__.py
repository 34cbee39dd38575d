"""Bucket math of the Base2 Exponential Bucket Histogram aggregation.

Written from the OpenTelemetry metrics data model ("ExponentialHistogram": exponential
scale, exponential buckets, zero count) and the metrics SDK specification ("Base2
Exponential Bucket Histogram Aggregation"). The aggregation in ``otel.sdk.metrics`` keeps
one accumulator per stream (attribute set) and turns snapshots into
``ExponentialHistogramDataPoint`` values.

Buckets
    At scale ``s`` the base is ``2 ** (2 ** -s)``; bucket ``i`` holds the magnitudes in
    ``(base ** i, base ** (i + 1)]`` (upper-inclusive: ``1.0`` is in bucket ``-1``, ``2.0``
    in bucket ``2 ** s - 1``). Positive values go to the positive range, negative values by
    magnitude to the negative range, zeros (``0.0`` and ``-0.0``) to ``zero_count``
    (``zero_threshold`` is always ``0.0``). Subnormal values get their exact buckets.
    Scales run from ``MIN_SCALE`` (-11) to ``MAX_SCALE`` (20); every index fits int32.

``ExponentialHistogramAccumulator(max_size=160, max_scale=20, record_min_max=True)``
    Raises ``ValueError`` unless ``max_size >= 2`` and ``MIN_SCALE <= max_scale <= 20``.
    **Not thread-safe**: the caller holds its own lock around every method.

    ``record(value)``
        The hot path. NaN, ``inf`` and ``-inf`` are ignored (not counted, not in sum,
        min or max). A non-number raises ``TypeError`` and an int beyond the float range
        ``OverflowError``, both before any state changes: the caller validates or catches.
        Starts at ``max_scale``; when a new value would make a range span more than
        ``max_size`` buckets, both ranges are downscaled (buckets merged, exactly) to the
        highest scale at which everything fits.
    ``snapshot() -> ExponentialHistogramSnapshot``
        Current state; bucket lists are copied.
    ``snapshot_and_reset() -> ExponentialHistogramSnapshot``
        Same, then ``reset()``; hands the lists over without copying (delta collection).
    ``reset()``
        Empties everything **and returns the scale to max_scale**: a delta point covers
        only its own interval, and the SDK specification asks for the maximum scale while
        a range holds at most one value and otherwise the best resolution that fits.
    ``merge(snapshot)``
        Adds a snapshot (of any accumulator configuration) into this one: the common scale
        is the lower of the two, lowered further if the union of ranges needs more than
        ``max_size`` buckets; count, sum, zero count add up; min/max combine. Use it to
        build cumulative points from deltas, or to fold streams together.
    Read-only properties: ``scale``, ``count``, ``max_size``, ``max_scale``,
    ``record_min_max``.

``ExponentialHistogramSnapshot`` (frozen, slotted dataclass)
    ``count: int``, ``sum: float``, ``scale: int``, ``zero_count: int``,
    ``zero_threshold: float`` (0.0), ``positive_offset: int``,
    ``positive_bucket_counts: list[int]``, ``negative_offset: int``,
    ``negative_bucket_counts: list[int]``, ``min: float | None``, ``max: float | None``,
    property ``has_min_max: bool``. ``bucket_counts[j]`` is the count of index
    ``offset + j``; ranges are tight (empty, or non-zero at both ends; empty has offset
    0). ``count == zero_count + sum(positive) + sum(negative)``. ``min``/``max`` are None
    when nothing was recorded or ``record_min_max`` is off. Maps one-to-one onto
    ``ExponentialHistogramDataPoint(count, sum, scale, zero_count,
    positive=Buckets(positive_offset, positive_bucket_counts), negative=Buckets(...),
    min, max, zero_threshold)``; don't mutate the lists.

Helpers: ``map_to_index(magnitude, scale) -> int`` (magnitude finite and > 0) and
``lower_boundary(index, scale) -> float`` (``base ** index``; ``inf``/``0.0`` when out of
the float range), e.g. for exporters that need bucket bounds.
"""

from otel.sdk.metrics._exponential._accumulator import (
    ExponentialHistogramAccumulator,
    ExponentialHistogramSnapshot,
)
from otel.sdk.metrics._exponential._mapping import (
    MAX_SCALE,
    MIN_SCALE,
    lower_boundary,
    map_to_index,
)

__all__ = [
    "MAX_SCALE",
    "MIN_SCALE",
    "ExponentialHistogramAccumulator",
    "ExponentialHistogramSnapshot",
    "lower_boundary",
    "map_to_index",
]
