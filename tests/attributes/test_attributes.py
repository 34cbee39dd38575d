from __future__ import annotations

import enum
import logging

import pytest

from _support.fork import child_finishes_while_held
from otel.attributes import _attributes, clean_attribute_value, clean_attributes
from otel.attributes._attributes import _reset_warnings


@pytest.fixture(autouse=True)
def _forget_warnings() -> None:
    _reset_warnings()


@pytest.mark.parametrize("value", ["s", True, 3, 2.5, ("a", "b"), (1, 2), (True,), (1.0, None)])
def test_valid_values_are_kept(value: object) -> None:
    assert clean_attribute_value("k", value) == value


def test_lists_become_tuples() -> None:
    assert clean_attribute_value("k", ["a", "b"]) == ("a", "b")


@pytest.mark.parametrize(
    "value", [None, {"a": 1}, b"bytes", object(), [1, "a"], [[1]], 2**63, [2**64], {1, 2}]
)
def test_invalid_values_are_dropped(value: object) -> None:
    assert clean_attribute_value("k", value) is None


@pytest.mark.parametrize("key", ["", None, 3])
def test_invalid_keys_are_dropped(key: object) -> None:
    assert clean_attribute_value(key, "v") is None


def test_invalid_value_warns_once_per_key(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="otel.attributes"):
        for _ in range(5):
            clean_attribute_value("bad", object())
        clean_attribute_value("other", object())
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "'bad'" in messages[0] and "'other'" in messages[1]


def test_strings_are_truncated_to_max_length() -> None:
    assert clean_attribute_value("k", "abcdef", max_len=3) == "abc"
    assert clean_attribute_value("k", ["abcdef", "xy"], max_len=3) == ("abc", "xy")


def test_primitive_subclasses_are_converted() -> None:
    class Color(enum.IntEnum):
        RED = 1

    value = clean_attribute_value("k", Color.RED)
    assert value == 1 and type(value) is int


def test_clean_attributes_counts_entries_over_limit_as_dropped() -> None:
    cleaned, dropped = clean_attributes({"a": 1, "b": 2, "c": 3}, max_count=2)
    assert cleaned == {"a": 1, "b": 2}
    assert dropped == 1


def test_clean_attributes_skips_invalid_without_counting_them() -> None:
    cleaned, dropped = clean_attributes({"a": 1, "bad": object(), "c": "x"})
    assert cleaned == {"a": 1, "c": "x"}
    assert dropped == 0


# --- A forked child does not inherit the attribute-warning lock held by another thread. (formerly
# test_robustness_fork.py)


def test_child_can_drop_an_invalid_attribute_when_the_warning_lock_was_held() -> None:
    assert child_finishes_while_held(
        _attributes._warned._lock,
        # a new key must be warned about in the child, which takes the lock
        lambda: clean_attribute_value("key.first.seen.in.child", object()),
    )


# --- A key whose repr() raises is dropped like any other invalid key, never raised. (formerly
# test_robustness_keys.py)


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


def test_the_signed_64_bit_bounds_are_inclusive() -> None:
    assert clean_attribute_value("k", 2**63 - 1) == 2**63 - 1
    assert clean_attribute_value("k", -(2**63)) == -(2**63)
    assert clean_attribute_value("k", 2**63) is None
    assert clean_attribute_value("k", -(2**63) - 1) is None
    assert clean_attribute_value("k", [2**63 - 1, -(2**63)]) == (2**63 - 1, -(2**63))
    assert clean_attribute_value("k", [1, 2**63]) is None


def test_none_elements_of_a_sequence_are_kept_in_place() -> None:
    assert clean_attribute_value("k", [None, "a", None, "b"]) == (None, "a", None, "b")
