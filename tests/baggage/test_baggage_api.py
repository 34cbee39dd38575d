"""Baggage API: immutable entries stored in a Context."""

from __future__ import annotations

import pytest

from otel import baggage
from otel.context import Context, attach, detach, get_current


def test_get_all_of_an_empty_context_is_empty() -> None:
    assert dict(baggage.get_all(Context())) == {}


def test_set_baggage_returns_a_new_context_and_leaves_the_old_one_alone() -> None:
    base = Context()
    new = baggage.set_baggage("user", "alice", base)
    assert baggage.get_baggage("user", new) == "alice"
    assert baggage.get_baggage("user", base) is None


def test_get_baggage_of_missing_name_is_none() -> None:
    assert baggage.get_baggage("missing", Context()) is None


def test_set_baggage_overwrites_the_value() -> None:
    context = baggage.set_baggage("k", "1", Context())
    context = baggage.set_baggage("k", "2", context)
    assert dict(baggage.get_all(context)) == {"k": "2"}


def test_get_all_is_read_only() -> None:
    entries = baggage.get_all(baggage.set_baggage("k", "v", Context()))
    with pytest.raises(TypeError):
        entries["x"] = "y"  # type: ignore[index]


def test_earlier_get_all_does_not_see_later_changes() -> None:
    first = baggage.set_baggage("a", "1", Context())
    snapshot = baggage.get_all(first)
    baggage.set_baggage("b", "2", first)
    assert dict(snapshot) == {"a": "1"}


def test_remove_baggage_removes_only_that_entry() -> None:
    context = baggage.set_baggage("b", "2", baggage.set_baggage("a", "1", Context()))
    removed = baggage.remove_baggage("a", context)
    assert dict(baggage.get_all(removed)) == {"b": "2"}
    assert dict(baggage.get_all(context)) == {"a": "1", "b": "2"}


def test_remove_baggage_of_missing_name_is_harmless() -> None:
    assert dict(baggage.get_all(baggage.remove_baggage("x", Context()))) == {}


def test_clear_removes_every_entry() -> None:
    context = baggage.set_baggage("a", "1", Context(), metadata="p")
    cleared = baggage.clear(context)
    assert dict(baggage.get_all(cleared)) == {}
    assert baggage.get_baggage_metadata("a", cleared) is None


def test_functions_default_to_the_current_context() -> None:
    token = attach(baggage.set_baggage("user", "bob"))
    try:
        assert baggage.get_baggage("user") == "bob"
        assert dict(baggage.get_all()) == {"user": "bob"}
        assert baggage.get_baggage("user", baggage.remove_baggage("user")) is None
        assert dict(baggage.get_all(baggage.clear())) == {}
    finally:
        detach(token)
    assert baggage.get_baggage("user", get_current()) is None


def test_set_baggage_keeps_other_context_values() -> None:
    from otel.context import create_key, get_value, set_value

    key = create_key("other")
    context = baggage.set_baggage("k", "v", set_value(key, 1, Context()))
    assert get_value(key, context) == 1


def test_values_of_any_type_are_stored_as_given() -> None:
    context = baggage.set_baggage("n", 3, Context())
    assert baggage.get_baggage("n", context) == 3


def test_metadata_is_stored_with_the_entry() -> None:
    context = baggage.set_baggage("k", "v", Context(), metadata="ttl=30;internal")
    assert baggage.get_baggage_metadata("k", context) == "ttl=30;internal"


def test_setting_an_entry_again_without_metadata_drops_it() -> None:
    context = baggage.set_baggage("k", "v", Context(), metadata="ttl=30")
    context = baggage.set_baggage("k", "w", context)
    assert baggage.get_baggage_metadata("k", context) is None


def test_remove_baggage_drops_the_metadata() -> None:
    context = baggage.set_baggage("k", "v", Context(), metadata="ttl=30")
    assert baggage.get_baggage_metadata("k", baggage.remove_baggage("k", context)) is None


def test_public_names() -> None:
    assert set(baggage.__all__) >= {
        "get_all",
        "get_baggage",
        "set_baggage",
        "remove_baggage",
        "clear",
    }


def test_unhashable_name_is_ignored_without_raising() -> None:
    base = baggage.set_baggage("k", "v", Context())
    bad: object = ["not", "hashable"]
    assert baggage.set_baggage(bad, "x", base) is base  # type: ignore[arg-type]
    assert baggage.remove_baggage(bad, base) is base  # type: ignore[arg-type]
    assert baggage.get_baggage(bad, base) is None  # type: ignore[arg-type]
    assert baggage.get_baggage_metadata(bad, base) is None  # type: ignore[arg-type]
