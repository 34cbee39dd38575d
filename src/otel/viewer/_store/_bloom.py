"""Bloom filters over 64-bit ``attr_hash`` values: one per ``span_blocks`` row.

A filter is ``bytes`` of a power-of-two number of bits (64 to 65,536), about
``BITS_PER_VALUE`` per distinct value; a value sets the 4 bits its four 16-bit quarters
pick (the hash is BLAKE2b: the quarters are independent). About 1 false "maybe" in 150 for a
value not in the block (fewer bits per value, so more, past 5,000 values), never a false
"no". Bit ``p`` is ``0x80 >> (p % 8)`` of byte ``p // 8``. Pure functions, any thread.
"""

from __future__ import annotations

from collections.abc import Iterable

BITS_PER_VALUE = 12
_MIN_BITS = 64
_MAX_BITS = 1 << 16


def build(hashes: Iterable[int], count: int) -> bytes:
    """The filter of ``hashes`` (``count`` of them, distinct, signed 64-bit)."""
    bits = _MIN_BITS
    while bits < count * BITS_PER_VALUE and bits < _MAX_BITS:
        bits <<= 1
    top = bits - 1
    # one ASCII digit per bit, set in place, then packed by int(): ~3x faster than
    # or-ing bits into a bytearray one by one
    digits = bytearray(b"0" * bits)
    for h in hashes:
        digits[h & top] = 49
        digits[h >> 16 & top] = 49
        digits[h >> 32 & top] = 49
        digits[h >> 48 & top] = 49
    return int(digits, 2).to_bytes(bits >> 3, "big")


class Probe:
    """Tests filters for a set of values (all must be present), a filter given as the int
    of its bytes (big-endian) and its size in bits: one AND per filter, the mask of each
    size worked out once. One search's, one thread's."""

    __slots__ = ("_hashes", "_masks")

    def __init__(self, hashes: Iterable[int]) -> None:
        self._hashes = list(hashes)
        self._masks: dict[int, int] = {}

    def mask(self, bits: int) -> int:
        """The bits the values set in a filter of ``bits`` bits: all are set in a filter
        that may hold them all (``bloom & mask == mask``)."""
        mask = self._masks.get(bits)
        if mask is None:
            top = bits - 1
            mask = 0
            for h in self._hashes:
                for p in (h & top, h >> 16 & top, h >> 32 & top, h >> 48 & top):
                    mask |= 1 << (top - p)  # bit p counted from the first byte's 0x80
            self._masks[bits] = mask
        return mask

    def __call__(self, bloom: int, bits: int) -> bool:
        """False when some value is certainly not in the filter."""
        mask = self.mask(bits)
        return bloom & mask == mask

    def test_bytes(self, bloom: bytes) -> bool:
        """``self(...)`` for a filter as stored."""
        return self(int.from_bytes(bloom, "big"), len(bloom) * 8)
