"""Dense bucket-range helpers used on the accumulator's slow path."""

from __future__ import annotations

from otel.sdk.metrics._exponential._buckets import add_count, downscale, shift_to_fit


def test_shift_to_fit_is_zero_when_the_range_already_fits() -> None:
    assert shift_to_fit(-1, 2, 4) == 0


def test_shift_to_fit_finds_the_smallest_shift() -> None:
    # -1..99: >> 5 gives -1..3 (5 buckets), >> 6 gives -1..1 (3 buckets).
    assert shift_to_fit(-1, 99, 4) == 6
    assert shift_to_fit(-1, 99, 5) == 5


def test_downscale_merges_neighbouring_buckets() -> None:
    # Indexes -3..4 at one scale lower: -3 -> -2, -2/-1 -> -1, 0/1 -> 0, 2/3 -> 1, 4 -> 2.
    assert downscale(-3, [1, 2, 3, 4, 5, 6, 7, 8], 1) == (-2, [1, 5, 9, 13, 8])


def test_downscale_by_zero_is_the_identity() -> None:
    counts = [1, 2]
    assert downscale(5, counts, 0) == (5, counts)


def test_add_count_grows_at_both_ends() -> None:
    counts: list[int] = []
    offset = add_count(0, counts, 10, 1)
    offset = add_count(offset, counts, 13, 2)
    offset = add_count(offset, counts, 8, 3)
    offset = add_count(offset, counts, 10, 4)
    assert (offset, counts) == (8, [3, 0, 5, 0, 0, 2])
