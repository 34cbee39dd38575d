"""Scale/index arithmetic of base-2 exponential histograms (OTel metrics data model).

At scale ``s`` the histogram base is ``2 ** (2 ** -s)`` and bucket ``i`` holds the
magnitudes in ``(base ** i, base ** (i + 1)]``: upper-inclusive, so an exact power of
two ends a bucket rather than starting one. Zero is not in any bucket (it has its own
count); negative values use the bucket of their magnitude in a separate range.

How an index is computed (``math.frexp(v) -> (m, e)`` with ``v == m * 2**e``,
``0.5 <= m < 1``, exact for every finite double including subnormals):

* the base-2 exponent of ``v`` in the ``1.f * 2**x`` form is ``x = e - 1``; its
  scale-0 index is ``x`` for non-powers of two and ``x - 1`` for powers of two
  (``m == 0.5``), because ``2**x`` is the upper, inclusive end of bucket ``x - 1``;
* at a scale ``s <= 0`` one bucket spans ``2 ** -s`` scale-0 buckets, so the index is the
  scale-0 index shifted right by ``-s`` (an arithmetic shift floors negative indexes too);
* at a scale ``s > 0`` there are ``2 ** s`` buckets per power of two and the index is
  ``ceil(log2(v) * 2 ** s) - 1`` (the specification's logarithm method; multiplying by
  ``2 ** s`` is exact). When the product comes out integral, ``v`` is a power of two or
  sits next to a boundary, and ``index_on_boundary`` decides from ``frexp``: exactly
  ``((e - 1) << s) - 1`` for a power of two, and ``((e - 1) << s) + floor(log2(2 * m) *
  2 ** s)`` otherwise (``2 * m`` in ``(1, 2)`` keeps that logarithm's error tiny). So
  powers of two and their neighbouring floats are always exact. Elsewhere the one
  rounding of ``log2`` (under 2**-42 absolute, as ``|log2(v)| < 1075``) can put a value
  within about one part in 10**13 of an (irrational, unrepresentable) boundary into the
  neighbouring bucket, which the specification allows; it keeps ``record`` to one
  ``log2`` call. Away from boundaries the index is exact, subnormals included.

Every index of a finite double at a scale in ``[MIN_SCALE, MAX_SCALE]`` fits a signed
32-bit integer, as the specification asks producers to ensure.
"""

from __future__ import annotations

import math

__all__ = [
    "MAX_SCALE",
    "MIN_SCALE",
    "index_on_boundary",
    "lower_boundary",
    "map_to_index",
]

#: Largest supported scale: ``1024 * 2**20`` buckets cover the positive doubles, so the
#: indexes still fit a signed 32-bit integer.
MAX_SCALE = 20

#: Smallest supported scale. At scale -11 every positive finite double falls into bucket
#: -1 (``<= 1``) or bucket 0 (``> 1``), so any data fits two buckets per range.
MIN_SCALE = -11

_ceil = math.ceil
_frexp = math.frexp
_log2 = math.log2
_ldexp = math.ldexp


def map_to_index(value: float, scale: int) -> int:
    """Index of the bucket that holds the magnitude ``value`` at ``scale``.

    ``value`` must be finite and strictly positive (pass ``abs(v)`` for negatives).
    """
    if scale > 0:
        x = _log2(value) * (1 << scale)
        c = _ceil(x)
        if c != x:
            return c - 1
        return index_on_boundary(value, scale)
    m, e = _frexp(value)
    return (e - 2 if m == 0.5 else e - 1) >> -scale


def index_on_boundary(value: float, scale: int) -> int:
    """Index at a positive ``scale`` when ``log2(value) * 2**scale`` came out integral.

    That happens for powers of two, and for values so close to a bucket boundary that the
    logarithm rounded onto it. Splitting ``value = m * 2**e`` decides exactly for powers of
    two and their neighbours, and takes the logarithm of ``2 * m`` (in ``(1, 2)``), whose
    rounding error is a thousand times smaller than that of ``log2(value)`` for large
    exponents.
    """
    m, e = _frexp(value)
    if m == 0.5:
        return ((e - 1) << scale) - 1
    return ((e - 1) << scale) + int(_log2(m + m) * (1 << scale))


def lower_boundary(index: int, scale: int) -> float:
    """``base ** index`` at ``scale``: the exclusive lower end of bucket ``index``.

    The upper, inclusive end of the bucket is ``lower_boundary(index + 1, scale)``.
    Boundaries above the largest double give ``math.inf``; those below the smallest
    subnormal give ``0.0``. At scales ``<= 0`` the result is exact; at positive scales it
    is within about one unit in the last place.
    """
    if scale > 0:
        # index = q * 2**scale + r with 0 <= r < 2**scale: base**index = 2**q * 2**(r/2**s).
        q = index >> scale
        r = index & ((1 << scale) - 1)
        mantissa = 2.0 ** (r / (1 << scale))
    else:
        q = index << -scale
        mantissa = 1.0
    if q > 1024:
        return math.inf
    if q < -1100:
        return 0.0
    try:
        return _ldexp(mantissa, q)
    except OverflowError:
        return math.inf
