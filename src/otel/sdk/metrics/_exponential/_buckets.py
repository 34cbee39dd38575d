"""Dense bucket ranges: the slow-path operations behind the accumulator.

A range is a pair ``(offset, counts)``: ``counts[j]`` is the count of bucket index
``offset + j``. The accumulator keeps every range *tight*: empty, or with a non-zero count
at both ends, so ``len(counts)`` is the number of buckets the range spans. The hot path
(``counts[index - offset] += 1`` when the index is inside) lives in the accumulator; these
functions run only when a range must grow or change scale.
"""

from __future__ import annotations

__all__ = ["add_count", "downscale", "shift_to_fit"]


def shift_to_fit(low: int, high: int, max_size: int) -> int:
    """Smallest ``d >= 0`` such that indexes ``low..high`` fit ``max_size`` buckets at
    the scale ``d`` below theirs (where an index ``i`` becomes ``i >> d``)."""
    shift = 0
    while (high >> shift) - (low >> shift) >= max_size:
        shift += 1
    return shift


def downscale(offset: int, counts: list[int], shift: int) -> tuple[int, list[int]]:
    """The range at a scale ``shift`` lower: buckets ``i`` merge into ``i >> shift``.

    Exact by the "perfect subsetting" of base-2 exponential buckets. A tight range stays
    tight. Returns a new list (or ``counts`` itself when ``shift`` is 0 or it is empty).
    """
    if shift == 0 or not counts:
        return offset, counts
    new_offset = offset >> shift
    new_counts = [0] * (((offset + len(counts) - 1) >> shift) - new_offset + 1)
    for j, c in enumerate(counts):
        if c:
            new_counts[((offset + j) >> shift) - new_offset] += c
    return new_offset, new_counts


def add_count(offset: int, counts: list[int], index: int, n: int) -> int:
    """Add ``n`` to bucket ``index``, growing ``counts`` in place; returns the new offset.

    The caller has checked that the grown range fits its size limit.
    """
    if not counts:
        counts.append(n)
        return index
    j = index - offset
    if j < 0:
        counts[0:0] = [0] * -j
        counts[0] = n
        return index
    if j >= len(counts):
        counts.extend([0] * (j - len(counts)))
        counts.append(n)
    else:
        counts[j] += n
    return offset
