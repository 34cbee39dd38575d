"""Bloom filters over 64-bit ``attr_hash`` values: one per ``span_blocks`` row.

A filter is ``bytes`` of a power-of-two number of bits, about ``BITS_PER_VALUE`` per distinct
value, each value setting ``PROBES`` bits (double hashing of its two 32-bit halves): about 1
false "maybe" in 70 for a value not in the block, never a false "no". Pure functions, any
thread.
"""

from __future__ import annotations

from collections.abc import Iterable

BITS_PER_VALUE = 12
PROBES = 4
_MIN_BITS = 64
_MASK64 = (1 << 64) - 1


def build(hashes: Iterable[int], count: int) -> bytes:
    """The filter of ``hashes`` (``count`` of them, distinct, signed or unsigned 64-bit)."""
    bits = _MIN_BITS
    while bits < count * BITS_PER_VALUE:
        bits <<= 1
    top = bits - 1
    out = bytearray(bits >> 3)
    for h in hashes:
        h &= _MASK64
        a = h & 0xFFFFFFFF
        b = (h >> 32) | 1
        p = a & top
        out[p >> 3] |= 1 << (p & 7)
        p = (a + b) & top
        out[p >> 3] |= 1 << (p & 7)
        p = (a + 2 * b) & top
        out[p >> 3] |= 1 << (p & 7)
        p = (a + 3 * b) & top
        out[p >> 3] |= 1 << (p & 7)
    return bytes(out)


def probe(h: int) -> tuple[int, int]:
    """What ``may_contain`` needs of one value, computed once per search."""
    h &= _MASK64
    return h & 0xFFFFFFFF, (h >> 32) | 1


def may_contain(bloom: bytes, probes: Iterable[tuple[int, int]]) -> bool:
    """False when some value of ``probes`` is certainly not in the filter."""
    top = len(bloom) * 8 - 1
    for a, b in probes:
        for i in range(PROBES):
            p = (a + i * b) & top
            if not bloom[p >> 3] & (1 << (p & 7)):
                return False
    return True
