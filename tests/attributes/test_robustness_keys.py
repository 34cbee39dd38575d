"""A key whose repr() raises is dropped like any other invalid key, never raised."""

from __future__ import annotations

from otel.attributes import clean_attribute_value, clean_attributes


class _Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("repr is broken")


def test_invalid_key_with_a_broken_repr_is_dropped() -> None:
    assert clean_attribute_value(_Unprintable(), 1) is None


def test_mapping_with_a_broken_repr_key_keeps_the_valid_entries() -> None:
    cleaned, dropped = clean_attributes({_Unprintable(): 1, "ok": 2})  # type: ignore[dict-item]
    assert cleaned == {"ok": 2}
    assert dropped == 0


def test_non_mapping_attributes_are_dropped() -> None:
    assert clean_attributes([("k", 1)]) == ({}, 0)  # type: ignore[arg-type]
