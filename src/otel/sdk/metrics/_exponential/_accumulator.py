"""The base-2 exponential histogram accumulator (see the package docstring for the API)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from otel.sdk.metrics._exponential._buckets import add_count, downscale, shift_to_fit
from otel.sdk.metrics._exponential._mapping import MAX_SCALE, MIN_SCALE

__all__ = ["ExponentialHistogramAccumulator", "ExponentialHistogramSnapshot"]

_INF = math.inf
_ceil = math.ceil
_frexp = math.frexp
_log2 = math.log2


@dataclass(frozen=True, slots=True)
class ExponentialHistogramSnapshot:
    """One immutable reading of an accumulator, shaped like an OTLP exponential point.

    ``positive_bucket_counts[j]`` counts the positive values whose bucket index at
    ``scale`` is ``positive_offset + j``; likewise for the negative range, by magnitude.
    Both ranges are tight (empty, or non-zero at both ends); an empty range has offset 0.
    ``min``/``max`` are ``None`` when nothing was recorded or min/max recording is off.
    The lists belong to the snapshot: the accumulator never touches them again, and
    readers must not mutate them.
    """

    count: int
    sum: float
    scale: int
    zero_count: int
    zero_threshold: float
    positive_offset: int
    positive_bucket_counts: list[int]
    negative_offset: int
    negative_bucket_counts: list[int]
    min: float | None
    max: float | None

    @property
    def has_min_max(self) -> bool:
        """Whether ``min`` and ``max`` are set."""
        return self.min is not None


class ExponentialHistogramAccumulator:
    """Base-2 exponential bucket histogram of one stream. Not thread-safe: the caller
    serialises ``record``, ``snapshot``, ``reset`` and ``merge`` (e.g. under its lock)."""

    __slots__ = (
        "_count",
        "_factor",
        "_max",
        "_max_scale",
        "_max_size",
        "_min",
        "_neg",
        "_neg_offset",
        "_pos",
        "_pos_offset",
        "_record_min_max",
        "_scale",
        "_sum",
        "_zero_count",
    )

    _count: int
    _factor: float
    _max: float
    _max_scale: int
    _max_size: int
    _min: float
    _neg: list[int]
    _neg_offset: int
    _pos: list[int]
    _pos_offset: int
    _record_min_max: bool
    _scale: int
    _sum: float
    _zero_count: int

    def __init__(
        self, max_size: int = 160, max_scale: int = 20, record_min_max: bool = True
    ) -> None:
        if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size < 2:
            raise ValueError(f"max_size must be an integer >= 2, got {max_size!r}")
        if (
            not isinstance(max_scale, int)
            or isinstance(max_scale, bool)
            or not MIN_SCALE <= max_scale <= MAX_SCALE
        ):
            raise ValueError(
                f"max_scale must be an integer in [{MIN_SCALE}, {MAX_SCALE}], got {max_scale!r}"
            )
        self._max_size = max_size
        self._max_scale = max_scale
        self._record_min_max = bool(record_min_max)
        self._clear()

    def _clear(self) -> None:
        self._set_scale(self._max_scale)
        self._count = 0
        self._sum = 0.0
        self._min = _INF
        self._max = -_INF
        self._zero_count = 0
        self._pos_offset = 0
        self._pos = []
        self._neg_offset = 0
        self._neg = []

    def _set_scale(self, scale: int) -> None:
        self._scale = scale
        self._factor = float(1 << scale) if scale > 0 else 0.0

    # -- configuration and state ---------------------------------------------------------

    @property
    def max_size(self) -> int:
        """Maximum number of buckets in each of the positive and negative ranges."""
        return self._max_size

    @property
    def max_scale(self) -> int:
        """The scale used while the data allows it (and after ``reset``)."""
        return self._max_scale

    @property
    def record_min_max(self) -> bool:
        """Whether min and max are tracked."""
        return self._record_min_max

    @property
    def scale(self) -> int:
        """The current scale."""
        return self._scale

    @property
    def count(self) -> int:
        """Number of values recorded (or merged) since creation or the last reset."""
        return self._count

    # -- hot path ------------------------------------------------------------------------

    def record(self, value: float) -> None:
        """Count one measurement. NaN and infinities are ignored.

        ``value`` is a float (an int or other real within the float range also works).
        A non-number raises ``TypeError`` and an int beyond the float range raises
        ``OverflowError``, in both cases before any state changes.
        """
        if 0.0 < value < _INF:
            counts = self._pos
            offset = self._pos_offset
            magnitude = value
        elif -_INF < value < 0.0:
            counts = self._neg
            offset = self._neg_offset
            magnitude = -value
        elif value == 0.0:
            self._zero_count += 1
            self._count += 1
            if value < self._min:
                self._min = value
            if value > self._max:
                self._max = value
            return
        else:  # NaN or an infinity
            return
        # The same formulas as _mapping.map_to_index, inlined for speed.
        scale = self._scale
        if scale > 0:
            x = _log2(magnitude) * self._factor
            index = _ceil(x)
            if index != x:
                index -= 1
            else:  # a power of two, or a hair from a boundary: index_on_boundary, inlined
                m, e = _frexp(magnitude)
                if m == 0.5:
                    index = ((e - 1) << scale) - 1
                else:
                    index = ((e - 1) << scale) + int(_log2(m + m) * self._factor)
        else:
            m, e = _frexp(magnitude)
            index = (e - 2 if m == 0.5 else e - 1) >> -scale
        # Sum first: it is what raises for a number outside the float range, and
        # nothing may have changed when it does.
        self._sum += value
        j = index - offset
        if 0 <= j < len(counts):
            counts[j] += 1
        else:
            self._grow(value > 0.0, index)
        self._count += 1
        # Tracked even when record_min_max is off (cheaper than testing the flag);
        # snapshots then leave them out.
        if value < self._min:
            self._min = value
        if value > self._max:
            self._max = value

    def _grow(self, positive: bool, index: int) -> None:
        """Slow path of ``record``: ``index`` is outside its range's current buckets."""
        if positive:
            offset, counts = self._pos_offset, self._pos
        else:
            offset, counts = self._neg_offset, self._neg
        if counts:
            low = min(offset, index)
            high = max(offset + len(counts) - 1, index)
            if high - low >= self._max_size:
                shift = shift_to_fit(low, high, self._max_size)
                self._downscale(shift)
                index >>= shift
                if positive:
                    offset, counts = self._pos_offset, self._pos
                else:
                    offset, counts = self._neg_offset, self._neg
        offset = add_count(offset, counts, index, 1)
        if positive:
            self._pos_offset = offset
        else:
            self._neg_offset = offset

    def _downscale(self, shift: int) -> None:
        if shift <= 0:
            return
        self._pos_offset, self._pos = downscale(self._pos_offset, self._pos, shift)
        self._neg_offset, self._neg = downscale(self._neg_offset, self._neg, shift)
        self._set_scale(self._scale - shift)

    # -- collection ----------------------------------------------------------------------

    def snapshot(self) -> ExponentialHistogramSnapshot:
        """The current state as an immutable value (bucket lists are copied)."""
        return self._snapshot(list(self._pos), list(self._neg))

    def snapshot_and_reset(self) -> ExponentialHistogramSnapshot:
        """``snapshot()`` then ``reset()``, handing the bucket lists over without copying."""
        snap = self._snapshot(self._pos, self._neg)
        self._clear()
        return snap

    def _snapshot(self, pos: list[int], neg: list[int]) -> ExponentialHistogramSnapshot:
        has_min_max = self._record_min_max and self._min <= self._max
        return ExponentialHistogramSnapshot(
            count=self._count,
            sum=self._sum,
            scale=self._scale,
            zero_count=self._zero_count,
            zero_threshold=0.0,
            positive_offset=self._pos_offset if pos else 0,
            positive_bucket_counts=pos,
            negative_offset=self._neg_offset if neg else 0,
            negative_bucket_counts=neg,
            min=float(self._min) if has_min_max else None,
            max=float(self._max) if has_min_max else None,
        )

    def reset(self) -> None:
        """Forget everything recorded, for the next delta interval.

        The scale returns to ``max_scale``: a delta point describes only its own interval,
        and the specification asks for the maximum scale while a range holds at most one
        value and for the best resolution the data allows; keeping a scale narrowed by
        earlier intervals would lose resolution for good after one outlier.
        """
        self._clear()

    def merge(self, other: ExponentialHistogramSnapshot) -> None:
        """Add a snapshot's contents (e.g. a delta interval into a cumulative total).

        The result takes the lower of the two scales, lowered further when the union of
        the bucket ranges needs more than ``max_size`` buckets; counts, sum, zero count
        and min/max combine. ``other`` may come from an accumulator of any configuration.
        """
        other_pos = other.positive_bucket_counts
        other_neg = other.negative_bucket_counts
        if other.count == 0 and not other_pos and not other_neg:
            return
        if other_pos or other_neg:
            target = min(self._scale, other.scale)
            mine = self._scale - target
            theirs = other.scale - target
            shift = 0
            for offset, counts, o_offset, o_counts in (
                (self._pos_offset, self._pos, other.positive_offset, other_pos),
                (self._neg_offset, self._neg, other.negative_offset, other_neg),
            ):
                if not o_counts:
                    continue
                low = o_offset >> theirs
                high = (o_offset + len(o_counts) - 1) >> theirs
                if counts:
                    low = min(low, offset >> mine)
                    high = max(high, (offset + len(counts) - 1) >> mine)
                shift = max(shift, shift_to_fit(low, high, self._max_size))
            self._downscale(mine + shift)
            theirs += shift
            for j, c in enumerate(other_pos):
                if c:
                    self._pos_offset = add_count(
                        self._pos_offset, self._pos, (other.positive_offset + j) >> theirs, c
                    )
            for j, c in enumerate(other_neg):
                if c:
                    self._neg_offset = add_count(
                        self._neg_offset, self._neg, (other.negative_offset + j) >> theirs, c
                    )
        self._count += other.count
        self._sum += other.sum
        self._zero_count += other.zero_count
        if other.min is not None and other.max is not None:
            if other.min < self._min:
                self._min = other.min
            if other.max > self._max:
                self._max = other.max
