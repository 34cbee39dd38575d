"""Default getter and setter: HTTP-header carriers, read case-insensitively."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from otel.propagators.textmap import (
    DefaultGetter,
    DefaultSetter,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)

GETTER = DefaultGetter()


def test_default_instances_have_the_default_types() -> None:
    assert isinstance(default_getter, DefaultGetter)
    assert isinstance(default_setter, DefaultSetter)
    assert isinstance(default_getter, Getter)
    assert isinstance(default_setter, Setter)


def test_string_value_is_returned_as_a_list() -> None:
    assert GETTER.get({"traceparent": "x"}, "traceparent") == ["x"]


def test_list_value_is_returned_as_a_list() -> None:
    assert GETTER.get({"tracestate": ["a=1", "b=2"]}, "tracestate") == ["a=1", "b=2"]


def test_tuple_value_is_returned_as_a_list() -> None:
    assert GETTER.get({"k": ("a", "b")}, "k") == ["a", "b"]


def test_bytes_value_is_decoded_as_latin1() -> None:
    assert GETTER.get({"k": b"caf\xe9"}, "k") == ["café"]


def test_missing_key_is_none() -> None:
    assert GETTER.get({"other": "x"}, "traceparent") is None


@pytest.mark.parametrize("name", ["TRACEPARENT", "TraceParent", "traceParent"])
def test_lookup_is_case_insensitive(name: str) -> None:
    assert GETTER.get({name: "x"}, "traceparent") == ["x"]


def test_lookup_with_uppercase_key_finds_lowercase_header() -> None:
    assert GETTER.get({"x-b3-traceid": "x"}, "X-B3-TraceId") == ["x"]


def test_differently_cased_duplicates_are_all_returned() -> None:
    values = GETTER.get({"Baggage": "a=1", "BAGGAGE": "b=2"}, "baggage")
    assert sorted(values or []) == ["a=1", "b=2"]


def test_non_string_keys_are_ignored() -> None:
    assert GETTER.get({1: "x", "k": "y"}, "K") == ["y"]  # type: ignore[dict-item]


def test_values_of_unknown_types_are_ignored() -> None:
    assert GETTER.get({"k": 3}, "k") is None  # type: ignore[dict-item]


def test_non_mapping_carrier_gives_none() -> None:
    assert GETTER.get(None, "k") is None  # type: ignore[arg-type]
    assert GETTER.get("text", "k") is None  # type: ignore[arg-type]


def test_carrier_raising_on_access_gives_none() -> None:
    class Hostile(Mapping[str, str]):
        def __getitem__(self, key: str) -> str:
            raise RuntimeError("no")

        def __iter__(self) -> Iterator[str]:
            raise RuntimeError("no")

        def __len__(self) -> int:
            return 1

    assert GETTER.get(Hostile(), "k") is None
    assert GETTER.keys(Hostile()) == []


def test_keys_lists_the_header_names() -> None:
    assert GETTER.keys({"a": "1", "B": "2"}) == ["a", "B"]


def test_setter_sets_the_key() -> None:
    carrier: dict[str, str] = {}
    DefaultSetter().set(carrier, "traceparent", "x")
    assert carrier == {"traceparent": "x"}


def test_text_map_propagator_is_abstract() -> None:
    with pytest.raises(TypeError):
        TextMapPropagator()  # type: ignore[abstract]
