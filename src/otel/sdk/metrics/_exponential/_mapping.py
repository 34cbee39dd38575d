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
* at a scale ``s > 0`` there are ``2 ** s`` buckets per power of two. Powers of two are
  exact: ``((e - 1) << s) - 1``. Otherwise the index is
  ``((e - 1) << s) + floor(log2(2 * m) * 2 ** s)``: ``2 * m`` lies in ``(1, 2)`` so the
  logarithm is taken of a number near 1, where its absolute error (a fraction of a unit
  in the last place of a number below 1) stays tiny; multiplying by ``2 ** s`` is exact.
  A value within about one part in ``2 ** (52 - s)`` of a bucket boundary may land in the
  neighbouring bucket, which the specification allows (the boundaries themselves are
  irrational and not representable).

Every index of a finite double at a scale in ``[MIN_SCALE, MAX_SCALE]`` fits a signed
32-bit integer, as the specification asks producers to ensure.
"""

from __future__ import annotations

import math

__all__ = [
    "MAX_SCALE",
    "MIN_SCALE",
    "lower_boundary",
    "map_to_index",
]

#: Largest supported scale: ``1024 * 2**20`` buckets cover the positive doubles, so the
#: indexes still fit a signed 32-bit integer.
MAX_SCALE = 20

#: Smallest supported scale. At scale -11 every positive finite double falls into bucket
#: -1 (``<= 1``) or bucket 0 (``> 1``), so any data fits two buckets per range.
MIN_SCALE = -11

_frexp = math.frexp
_log2 = math.log2
_ldexp = math.ldexp


def map_to_index(value: float, scale: int) -> int:
    """Index of the bucket that holds the magnitude ``value`` at ``scale``.

    ``value`` must be finite and strictly positive (pass ``abs(v)`` for negatives).
    """
    m, e = _frexp(value)
    if scale > 0:
        if m == 0.5:
            return ((e - 1) << scale) - 1
        return ((e - 1) << scale) + int(_log2(m + m) * (1 << scale))
    if m == 0.5:
        return (e - 2) >> -scale
    return (e - 1) >> -scale


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
