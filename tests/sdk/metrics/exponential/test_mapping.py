"""Bucket index mapping and lower boundaries of base-2 exponential histograms.

Expected indexes are worked out by hand in the comments (bucket ``i`` at scale ``s`` is
``(base**i, base**(i+1)]`` with ``base = 2**(2**-s)``), and cross-checked against exact
rational arithmetic (``fractions``) or 80-digit ``decimal`` logarithms, never against the
implementation under test.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otel.sdk.metrics._exponential import MAX_SCALE, MIN_SCALE, lower_boundary, map_to_index

MIN_SUBNORMAL = 5e-324  # 2**-1074
MIN_NORMAL = 2.2250738585072014e-308  # 2**-1022
MAX_SUBNORMAL = 2.225073858507201e-308  # (1 - 2**-52) * 2**-1022
MAX_FLOAT = 1.7976931348623157e308  # (2 - 2**-52) * 2**1023


# -- independent oracles ---------------------------------------------------------------


def _largest_power_below(x: Fraction) -> int:
    """Largest integer t with 2**t < x, by exact rational comparison."""
    t = x.numerator.bit_length() - x.denominator.bit_length()
    two = Fraction(2)
    while two**t >= x:
        t -= 1
    while two ** (t + 1) < x:
        t += 1
    return t


def exact_index(value: float, scale: int) -> int:
    """Largest i with base**i < value, exactly.

    For s <= 0: base**i = 2**(i * 2**-s) < v  <=>  i * 2**-s <= t (t = largest integer with
    2**t < v), so i = floor(t / 2**-s). For s > 0: base**i < v  <=>  2**i < v**(2**s).
    """
    f = Fraction(value)
    if scale <= 0:
        return _largest_power_below(f) // (1 << -scale)
    if scale <= 8:
        return _largest_power_below(f ** (1 << scale))
    return decimal_index(value, scale)


def decimal_index(value: float, scale: int) -> int:
    """ceil(log2(v) * 2**s) - 1 with 80-digit logarithms (exact powers of two special-cased
    by rational arithmetic, where a decimal logarithm cannot decide the ceiling)."""
    f = Fraction(value)
    if f.numerator & (f.numerator - 1) == 0 and f.denominator & (f.denominator - 1) == 0:
        k = f.numerator.bit_length() - f.denominator.bit_length()
        return k * 2**scale - 1 if scale >= 0 else math.ceil(Fraction(k, 2**-scale)) - 1
    with localcontext() as ctx:
        ctx.prec = 80
        x = Decimal(value).ln() / Decimal(2).ln() * (Decimal(2) ** scale)
        return int(x.to_integral_value(rounding="ROUND_CEILING")) - 1


def decimal_boundary(index: int, scale: int) -> Decimal:
    """2 ** (index / 2**scale) to 80 digits."""
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(2).ln() * Decimal(index) / Decimal(2) ** scale).exp()


def _float_from_bits(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


# -- hand-computed indexes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, -1),  # (0.5, 1]: 1 = 2**0 closes bucket -1
        (1.5, 0),  # (1, 2]
        (2.0, 0),
        (2.5, 1),  # (2, 4]
        (3.0, 1),
        (4.0, 1),
        (4.000000000000001, 2),
        (0.75, -1),
        (0.5, -2),  # (0.25, 0.5]
        (1000.0, 9),  # 512 < 1000 <= 1024
        (0.001, -10),  # 2**-10 = 0.0009765625 < 0.001 <= 2**-9
    ],
)
def test_scale_0_index_is_the_base_2_exponent(value: float, expected: int) -> None:
    assert map_to_index(value, 0) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, -1),  # (2**-0.5, 1]
        (0.8, -1),  # 0.7071 < 0.8 <= 1
        (0.7, -2),  # 0.5 < 0.7 <= 0.7071
        (1.2, 0),  # 1 < 1.2 <= 1.4142
        (1.5, 1),  # 1.4142 < 1.5 <= 2
        (2.0, 1),
        (3.0, 3),  # 2**1.5 = 2.828 < 3 <= 4; log2(3) * 2 = 3.1699
        (10.0, 6),  # log2(10) * 2 = 6.6439
        (0.1, -7),  # log2(0.1) * 2 = -6.6439
    ],
)
def test_scale_1_index_splits_each_octave_in_two(value: float, expected: int) -> None:
    assert map_to_index(value, 1) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The data model's scale-3 table: lower boundaries 1, 1.09051, 1.18921, 1.29684,
        # 1.41421, 1.54221, 1.68179, 1.83401 for indexes 0..7.
        (1.05, 0),
        (1.1, 1),
        (1.3, 3),
        (1.5, 4),
        (1.9, 7),
        (2.0, 7),
        (2.1, 8),  # 2 < 2.1 <= 2 * 1.09051
        (0.9, -2),  # 0.9 = 1.8 / 2 and 1.68179 < 1.8 <= 1.83401: 6 - 8
        (3.0, 12),  # log2(3) * 8 = 12.6797
        (10.0, 26),  # log2(10) * 8 = 26.5754
        (0.1, -27),  # log2(0.1) * 8 = -26.5754
    ],
)
def test_scale_3_index_matches_the_data_model_table(value: float, expected: int) -> None:
    assert map_to_index(value, 3) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, -1),  # base 4: (0.25, 1]
        (0.3, -1),
        (0.25, -2),  # (1/16, 1/4]
        (3.0, 0),  # (1, 4]
        (4.0, 0),
        (5.0, 1),  # (4, 16]
        (16.0, 1),
        (17.0, 2),
    ],
)
def test_scale_minus_1_index_uses_base_4(value: float, expected: int) -> None:
    assert map_to_index(value, -1) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, -1),  # base 65536: (2**-16, 1]
        (0.5, -1),
        (2.0**-16, -2),  # (2**-32, 2**-16]
        (65536.0, 0),  # (1, 2**16]
        (65537.0, 1),  # (2**16, 2**32]
        (2.0**32, 1),
        (2.0**32 + 1, 2),
        (MIN_NORMAL, -64),  # scale 0 index -1023, >> 4 = -64 (floor(-1023 / 16))
    ],
)
def test_scale_minus_4_index_uses_base_65536(value: float, expected: int) -> None:
    assert map_to_index(value, -4) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, -1),
        (2.0, 2**20 - 1),
        (1.0000001, 0),  # log2(1.0000001) * 2**20 = 0.1513
        (3.0, 1661953),  # log2(3) * 2**20 = 1661953.639
        (10.0, 3483294),  # log2(10) * 2**20 = 3483294.074
        (0.1, -3483295),  # -3483294.074
        (1e300, 1044988222),  # log2(1e300) * 2**20 = 1044988222.207
        (1e-300, -1044988223),  # -1044988222.207
    ],
)
def test_scale_20_index(value: float, expected: int) -> None:
    assert map_to_index(value, 20) == expected


# -- powers of two: upper-inclusive at every scale ------------------------------------


@pytest.mark.parametrize("scale", range(1, MAX_SCALE + 1))
def test_every_power_of_two_closes_a_bucket_at_positive_scales(scale: int) -> None:
    for k in range(-1074, 1024):
        value = math.ldexp(1.0, k)
        # 2**k = base**(k * 2**scale) is the inclusive upper end of bucket k*2**scale - 1.
        assert map_to_index(value, scale) == (k << scale) - 1, value


@pytest.mark.parametrize("scale", range(MIN_SCALE, 1))
def test_every_power_of_two_closes_a_bucket_at_non_positive_scales(scale: int) -> None:
    for k in range(-1074, 1024):
        value = math.ldexp(1.0, k)
        # At scale s <= 0 bucket i ends at 2**((i + 1) * 2**-s): 2**k ends a bucket only
        # when k is a multiple of 2**-s; otherwise it is inside bucket floor(k / 2**-s).
        width = 1 << -scale
        expected = k // width - 1 if k % width == 0 else k // width
        assert map_to_index(value, scale) == expected, value


@pytest.mark.parametrize("scale", [-4, -1, 0, 1, 3, 8, 20])
def test_next_float_above_a_power_of_two_opens_the_next_bucket(scale: int) -> None:
    for k in (-1000, -1, 0, 1, 10, 1000):
        power = math.ldexp(1.0, k)
        above = math.nextafter(power, math.inf)
        assert map_to_index(above, scale) == exact_index(above, scale)
        below = math.nextafter(power, 0.0)
        assert map_to_index(below, scale) == exact_index(below, scale)


@pytest.mark.parametrize("scale", range(MIN_SCALE, 1))
def test_neighbours_of_powers_of_two_are_exact_at_non_positive_scales(scale: int) -> None:
    for k in range(-1074, 1024, 7):
        power = math.ldexp(1.0, k)
        for value in (math.nextafter(power, 0.0), power, math.nextafter(power, math.inf)):
            if value > 0.0:
                assert map_to_index(value, scale) == exact_index(value, scale), value


# -- subnormal and extreme values ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        # 5e-324 = 2**-1074: a power of two, closes bucket -1075 at scale 0.
        (MIN_SUBNORMAL, 0, -1075),
        (MIN_SUBNORMAL, 1, -2149),  # -1074 * 2 - 1
        (MIN_SUBNORMAL, 3, -8593),  # -1074 * 8 - 1
        (MIN_SUBNORMAL, 20, -1074 * 2**20 - 1),
        (MIN_SUBNORMAL, -1, -538),  # floor(-1075 / 2)
        (MIN_SUBNORMAL, -4, -68),  # floor(-1075 / 16)
        (MIN_SUBNORMAL, -11, -1),
        (2 * MIN_SUBNORMAL, 0, -1074),  # 2**-1073
        (3 * MIN_SUBNORMAL, 0, -1073),  # 2**-1073 < 3 * 2**-1074 <= 2**-1072
        (MIN_NORMAL, 0, -1023),  # 2**-1022 closes bucket -1023
        (MAX_SUBNORMAL, 0, -1023),  # in (2**-1023, 2**-1022]
        (math.nextafter(MIN_NORMAL, 1.0), 0, -1022),
        (MIN_NORMAL / 2, 0, -1024),  # 2**-1023, a subnormal power of two
        (MAX_SUBNORMAL, 20, -1022 * 2**20 - 1),  # just below 2**-1022 at 2**20 per octave
        (MIN_NORMAL, 20, -1022 * 2**20 - 1),
    ],
)
def test_subnormal_values_get_their_exact_bucket(value: float, scale: int, expected: int) -> None:
    assert map_to_index(value, scale) == expected
    assert exact_index(value, scale) == expected


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (0, 1023),  # (2**1023, 2**1024]
        (1, 2047),
        (3, 8191),
        (20, 2**30 - 1),
        (-1, 511),
        (-4, 63),
        (-11, 0),
    ],
)
def test_largest_float_is_in_the_last_bucket_below_2_to_1024(scale: int, expected: int) -> None:
    assert map_to_index(MAX_FLOAT, scale) == expected
    assert exact_index(MAX_FLOAT, scale) == expected


def test_all_indexes_fit_int32_at_the_extreme_scales() -> None:
    for scale in (MIN_SCALE, MAX_SCALE):
        for value in (MIN_SUBNORMAL, MAX_FLOAT):
            assert -(2**31) <= map_to_index(value, scale) < 2**31


# -- lower boundaries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "scale", "expected"),
    [
        (0, 0, 1.0),
        (1, 0, 2.0),
        (-1, 0, 0.5),
        (1, -1, 4.0),
        (1, -4, 65536.0),
        (-64, -4, 2.0**-1024),  # the spec's example: the bucket holding 0x1p-1022
        (-1075, 0, 2.0**-1075),  # underflows to 0.0
        (1023, 0, 2.0**1023),
        (1024, 0, math.inf),
        (4, 3, 2**0.5),
        (8, 3, 2.0),
        (-8, 3, 0.5),
    ],
)
def test_lower_boundary_known_values(index: int, scale: int, expected: float) -> None:
    assert lower_boundary(index, scale) == expected


@pytest.mark.parametrize("scale", [1, 2, 3, 8, 20])
def test_lower_boundary_matches_80_digit_exponentials(scale: int) -> None:
    indexes = [1, 3, 5, 7, 1000, -1000]
    indexes += [(k << scale) + r for k in (-1000, -3, 500, 1022) for r in (1, (1 << scale) - 1)]
    for index in indexes:
        expected = decimal_boundary(index, scale)
        got = lower_boundary(index, scale)
        assert abs(Decimal(got) - expected) <= expected * Decimal(2.0**-51), (index, got)


@pytest.mark.parametrize("scale", [1, 3, 20])
def test_lower_boundary_of_the_top_bucket_is_finite_and_below_max(scale: int) -> None:
    top = map_to_index(MAX_FLOAT, scale)
    assert lower_boundary(top, scale) < MAX_FLOAT
    assert lower_boundary(top + 1, scale) == math.inf  # 2**1024


@pytest.mark.parametrize("scale", [1, 3, 20])
def test_lower_boundary_of_the_bottom_buckets_is_subnormal_or_zero(scale: int) -> None:
    bottom = map_to_index(MIN_SUBNORMAL, scale)
    assert lower_boundary(bottom + 1, scale) == MIN_SUBNORMAL  # exactly 2**-1074
    assert lower_boundary(bottom, scale) <= MIN_SUBNORMAL
    assert lower_boundary(bottom - (1 << scale), scale) == 0.0


# -- properties against the oracles ----------------------------------------------------

positive_floats = st.floats(min_value=MIN_SUBNORMAL, max_value=MAX_FLOAT, allow_subnormal=True)


@settings(max_examples=300, deadline=None)
@given(positive_floats, st.integers(min_value=MIN_SCALE, max_value=0))
def test_non_positive_scales_are_exact(value: float, scale: int) -> None:
    assert map_to_index(value, scale) == exact_index(value, scale)


@settings(max_examples=300, deadline=None)
@given(positive_floats, st.integers(min_value=1, max_value=8))
def test_positive_scales_agree_with_exact_rationals(value: float, scale: int) -> None:
    got = map_to_index(value, scale)
    exact = exact_index(value, scale)
    if got != exact:
        # Allowed by the spec only for a value next to the boundary between the two.
        assert abs(got - exact) == 1
        boundary = decimal_boundary(max(got, exact), scale)
        assert abs(Decimal(value) - boundary) <= boundary * Decimal("1e-12")


@settings(max_examples=200, deadline=None)
@given(positive_floats, st.sampled_from([9, 12, 16, 20]))
def test_high_scales_agree_with_decimal_logarithms(value: float, scale: int) -> None:
    got = map_to_index(value, scale)
    exact = decimal_index(value, scale)
    if got != exact:
        assert abs(got - exact) == 1
        boundary = decimal_boundary(max(got, exact), scale)
        assert abs(Decimal(value) - boundary) <= boundary * Decimal("1e-12")


def test_random_bit_patterns_map_exactly_at_small_positive_scales() -> None:
    # Uniform over the bit patterns, not the values: covers every binade equally.
    import random

    rng = random.Random(20240601)
    for scale in (1, 2, 3, 5):
        for _ in range(400):
            value = _float_from_bits(rng.getrandbits(63))
            if 0.0 < value < math.inf:
                assert map_to_index(value, scale) == exact_index(value, scale), value


@settings(max_examples=300, deadline=None)
@given(positive_floats, st.integers(min_value=MIN_SCALE, max_value=MAX_SCALE))
def test_value_lies_within_its_bucket_bounds(value: float, scale: int) -> None:
    index = map_to_index(value, scale)
    low = lower_boundary(index, scale)
    high = lower_boundary(index + 1, scale)
    # Boundaries are rounded to floats; a value next to one may sit on either side.
    assert low * (1 - 1e-12) <= value <= high * (1 + 1e-12) or (value <= high and low == 0.0)


@settings(max_examples=200, deadline=None)
@given(positive_floats, st.integers(min_value=MIN_SCALE + 1, max_value=MAX_SCALE))
def test_lowering_the_scale_by_one_halves_the_index(value: float, scale: int) -> None:
    # Perfect subsetting: bucket i at scale s lies inside bucket i >> 1 at scale s - 1.
    assert map_to_index(value, scale - 1) in (
        map_to_index(value, scale) >> 1,
        (map_to_index(value, scale) >> 1) + 1,
        (map_to_index(value, scale) >> 1) - 1,
    )
    if scale <= 0:
        assert map_to_index(value, scale - 1) == map_to_index(value, scale) >> 1
