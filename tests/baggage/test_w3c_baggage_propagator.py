"""W3C Baggage propagator against the examples of the W3C Baggage specification
(and the cases of its reference test suite, w3c/baggage test/test_baggage.py)."""

from __future__ import annotations

import logging
import urllib.parse

import pytest

from otel import baggage
from otel.baggage.propagation import W3CBaggagePropagator
from otel.context import Context
from otel.propagators.textmap import Getter

PROPAGATOR = W3CBaggagePropagator()


def extract(*headers: str, context: Context | None = None) -> Context:
    return PROPAGATOR.extract(
        {"baggage": list(headers)}, context if context is not None else Context()
    )


def entries(*headers: str) -> dict[str, object]:
    return dict(baggage.get_all(extract(*headers)))


def inject(context: Context) -> dict[str, str]:
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    return carrier


def context_of(**values: str) -> Context:
    context = Context()
    for name, value in values.items():
        context = baggage.set_baggage(name, value, context)
    return context


# --- the specification's examples -----------------------------------------------


def test_spec_example_single_header() -> None:
    assert entries("userId=alice,serverNode=DF%2028,isProduction=false") == {
        "userId": "alice",
        "serverNode": "DF 28",
        "isProduction": "false",
    }


def test_spec_example_percent_encoded_utf8() -> None:
    assert entries("userId=Am%C3%A9lie,serverNode=DF%2028,isProduction=false")["userId"] == (
        "Amélie"
    )


def test_spec_example_multiple_headers() -> None:
    assert entries("userId=alice", "serverNode=DF%2028,isProduction=false") == {
        "userId": "alice",
        "serverNode": "DF 28",
        "isProduction": "false",
    }


def test_spec_example_spaces_around_names_and_values() -> None:
    assert entries("userId =   alice", "serverNode = DF%2028, isProduction = false") == {
        "userId": "alice",
        "serverNode": "DF 28",
        "isProduction": "false",
    }


def test_spec_example_with_properties() -> None:
    context = extract(
        "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"
    )
    assert dict(baggage.get_all(context)) == {"key1": "value1", "key2": "value2", "key3": "value3"}
    assert baggage.get_baggage_metadata("key1", context) == "property1;property2"
    assert baggage.get_baggage_metadata("key2", context) is None
    assert baggage.get_baggage_metadata("key3", context) == "propertyKey=propertyValue"


def test_spec_example_is_injected_as_in_the_spec() -> None:
    context = context_of(userId="alice", serverNode="DF 28", isProduction="false")
    assert inject(context) == {"baggage": "userId=alice,serverNode=DF%2028,isProduction=false"}


def test_spec_example_utf8_is_injected_percent_encoded() -> None:
    assert inject(context_of(userId="Amélie")) == {"baggage": "userId=Am%C3%A9lie"}


# --- reference test suite ---------------------------------------------------------


def test_simple_entry() -> None:
    assert entries("SomeKey=SomeValue") == {"SomeKey": "SomeValue"}


def test_properties_with_optional_whitespace() -> None:
    context = extract(
        "SomeKey \t = \t SomeValue \t ; \t SomeProp \t , \t SomeKey2 \t = \t SomeValue2 "
        "\t ; \t ValueProp \t = \t PropVal"
    )
    assert dict(baggage.get_all(context)) == {"SomeKey": "SomeValue", "SomeKey2": "SomeValue2"}
    assert baggage.get_baggage_metadata("SomeKey", context) == "SomeProp"
    assert baggage.get_baggage_metadata("SomeKey2", context) == "ValueProp=PropVal"


def test_value_may_contain_equal_signs() -> None:
    assert entries("SomeKey=SomeValue=equals") == {"SomeKey": "SomeValue=equals"}


def test_percent_encoded_value_round_trips() -> None:
    value = "\t \"';=asdf!@#$%^&*()"
    context = extract(f"SomeKey={urllib.parse.quote(value)}")
    assert baggage.get_baggage("SomeKey", context) == value
    assert entries(inject(context)["baggage"]) == {"SomeKey": value}


def test_multiple_properties_with_the_same_name_are_kept() -> None:
    context = extract("SomeKey=SomeValue;SomeProp;SomeProp=PropValue;SomeProp=AnotherPropValue")
    assert baggage.get_baggage_metadata("SomeKey", context) == (
        "SomeProp;SomeProp=PropValue;SomeProp=AnotherPropValue"
    )


def test_properties_are_injected_again() -> None:
    context = extract("k=v;ttl = 30 ;internal")
    assert inject(context) == {"baggage": "k=v;ttl=30;internal"}


def test_metadata_set_through_the_api_is_injected() -> None:
    context = baggage.set_baggage("k", "v", Context(), metadata="ttl=30")
    assert inject(context) == {"baggage": "k=v;ttl=30"}


def test_malformed_metadata_is_not_injected() -> None:
    context = baggage.set_baggage("k", "v", Context(), metadata="bad value, really")
    assert inject(context) == {"baggage": "k=v"}


# --- decoding ----------------------------------------------------------------------


def test_plus_is_a_literal_plus_not_a_space() -> None:
    assert entries("k=a+b") == {"k": "a+b"}


def test_invalid_utf8_escape_decodes_to_replacement_character() -> None:
    assert entries("k=%FFok") == {"k": "\ufffdok"}


def test_empty_value_is_allowed() -> None:
    assert entries("k=") == {"k": ""}


def test_duplicate_names_keep_the_last_value() -> None:
    assert entries("k=1,k=2") == {"k": "2"}


def test_extract_merges_into_existing_baggage() -> None:
    base = context_of(a="1", b="old")
    context = extract("b=new,c=3", context=base)
    assert dict(baggage.get_all(context)) == {"a": "1", "b": "new", "c": "3"}


def test_extract_defaults_to_the_current_context() -> None:
    from otel.context import attach, detach

    token = attach(context_of(a="1"))
    try:
        context = PROPAGATOR.extract({"baggage": "b=2"})
    finally:
        detach(token)
    assert dict(baggage.get_all(context)) == {"a": "1", "b": "2"}


def test_missing_header_returns_the_context_unchanged() -> None:
    base = Context()
    assert PROPAGATOR.extract({}, base) is base


def test_header_name_is_case_insensitive() -> None:
    assert dict(baggage.get_all(PROPAGATOR.extract({"Baggage": "k=v"}, Context()))) == {"k": "v"}


# --- malformed entries: ignored one by one -------------------------------------------


@pytest.mark.parametrize(
    "member",
    [
        "novalue",
        "=value",
        "bad key=v",
        "k=v v",
        'k="quoted"',
        "k=back\\slash",
        "k=v;=p",
        "k=v;bad prop",
        "k=v;p=a b",
        "kéy=v",
        "k=vé",
        "k\x00=v",
    ],
)
def test_malformed_entry_is_ignored_and_others_kept(member: str) -> None:
    assert entries(f"good=1,{member},also=2") == {"good": "1", "also": "2"}


@pytest.mark.parametrize("header", ["", " ", ",", " , ,", "\t"])
def test_empty_headers_and_members_give_no_baggage(header: str) -> None:
    base = Context()
    assert extract(header, context=base) is base


def test_only_malformed_entries_returns_the_context_unchanged() -> None:
    base = Context()
    assert extract("garbage", context=base) is base


# --- the header is parsed when the baggage is first read -------------------------------


class ListGetter(Getter[dict[str, list[str]]]):
    """Hands over the carrier's own list, as a custom getter may."""

    def get(self, carrier: dict[str, list[str]], key: str) -> list[str] | None:
        return carrier.get(key)

    def keys(self, carrier: dict[str, list[str]]) -> list[str]:
        return list(carrier)


def test_baggage_read_after_extract_is_what_eager_parsing_gives() -> None:
    context = PROPAGATOR.extract({"baggage": "a=1;p=x,b=%20two"}, context_of(a="0", c="3"))
    assert baggage.get_baggage("b", context) == " two"
    assert dict(baggage.get_all(context)) == {"a": "1", "b": " two", "c": "3"}
    assert baggage.get_baggage_metadata("a", context) == "p=x"


def test_a_list_the_getter_changes_after_extract_does_not_change_the_baggage() -> None:
    headers = ["a=1"]
    context = PROPAGATOR.extract({"baggage": headers}, Context(), ListGetter())
    headers[0] = "a=2"
    assert baggage.get_baggage("a", context) == "1"


def test_a_header_that_fails_to_parse_reads_as_the_base_baggage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    base = context_of(kept="1")
    context = PROPAGATOR.extract({"baggage": [b"a=1", 5]}, base, ListGetter())  # type: ignore[list-item]
    with caplog.at_level(logging.ERROR, logger="otel.baggage"):
        assert dict(baggage.get_all(context)) == {"kept": "1"}
    assert "Failed to parse extracted baggage" in caplog.text


def test_extracted_baggage_is_injected_again_unchanged() -> None:
    context = PROPAGATOR.extract({"baggage": "k=v;ttl=30,other=%2C"}, Context())
    assert inject(context) == {"baggage": "k=v;ttl=30,other=%2C"}


def test_extracted_baggage_can_be_changed_through_the_api() -> None:
    context = PROPAGATOR.extract({"baggage": "a=1,b=2"}, Context())
    context = baggage.remove_baggage("a", baggage.set_baggage("c", "3", context))
    assert dict(baggage.get_all(context)) == {"b": "2", "c": "3"}


# --- limits ------------------------------------------------------------------------------


def test_more_than_180_entries_are_dropped_on_extract() -> None:
    header = ",".join(f"k{i}=v" for i in range(200))
    found = entries(header)
    assert len(found) == 180
    assert "k179" in found
    assert "k180" not in found


def test_entry_longer_than_4096_bytes_is_dropped_on_extract() -> None:
    found = entries("a=1,big=" + "x" * 4096 + ",b=2")
    assert found == {"a": "1", "b": "2"}


def test_entry_of_exactly_4096_bytes_is_kept() -> None:
    value = "x" * (4096 - len("big="))
    assert entries(f"big={value}") == {"big": value}


def test_entry_of_4097_bytes_is_dropped_on_extract() -> None:
    value = "x" * (4097 - len("big="))
    assert entries(f"a=1,big={value}") == {"a": "1"}


def test_entries_fill_exactly_8192_bytes_and_not_one_more() -> None:
    # "a=<4094>" is 4096 bytes, "," 1 byte: the second entry may take 8192 - 4097 bytes
    first = "a=" + "x" * 4094
    exact = "b=" + "y" * (8192 - 4097 - 2)
    assert set(entries(f"{first},{exact}")) == {"a", "b"}
    assert set(entries(f"{first},{exact}y")) == {"a"}


def test_entries_beyond_8192_bytes_are_dropped_on_extract() -> None:
    value = "x" * 4000
    found = entries(f"a={value},b={value},c={value},d=1")
    assert set(found) == {"a", "b", "d"}


def test_limits_apply_to_all_headers_together() -> None:
    value = "x" * 4000
    found = entries(f"a={value}", f"b={value}", f"c={value}")
    assert set(found) == {"a", "b"}


def test_more_than_180_entries_are_not_injected() -> None:
    context = Context()
    for i in range(200):
        context = baggage.set_baggage(f"k{i}", "v", context)
    assert len(inject(context)["baggage"].split(",")) == 180


def test_entry_longer_than_4096_bytes_is_not_injected() -> None:
    context = context_of(a="1", big="x" * 4100, b="2")
    assert inject(context) == {"baggage": "a=1,b=2"}


def test_injected_header_stays_within_8192_bytes() -> None:
    context = context_of(a="x" * 4000, b="x" * 4000, c="x" * 4000, d="1")
    header = inject(context)["baggage"]
    assert len(header) <= 8192
    assert set(entries(header)) == {"a", "b", "d"}


# --- inject ----------------------------------------------------------------------------------


def test_inject_of_no_baggage_injects_nothing() -> None:
    assert inject(Context()) == {}


def test_inject_encodes_reserved_characters() -> None:
    header = inject(context_of(k='a,b;c d%e+f"g\\h'))["baggage"]
    assert header == "k=a%2Cb%3Bc%20d%25e%2Bf%22g%5Ch"


def test_inject_encodes_names_that_are_not_tokens() -> None:
    context = baggage.set_baggage("user id", "1", Context())
    header = inject(context)["baggage"]
    assert header == "user%20id=1"
    assert entries(header) == {"user id": "1"}


def test_inject_converts_non_string_values() -> None:
    assert inject(baggage.set_baggage("n", 42, Context())) == {"baggage": "n=42"}


def test_fields() -> None:
    assert PROPAGATOR.fields == {"baggage"}


def test_dropped_entry_is_warned_about_once(caplog: pytest.LogCaptureFixture) -> None:
    from otel.propagators._warn import _reset_warnings

    _reset_warnings()
    context = context_of(huge="x" * 5000)
    with caplog.at_level(logging.WARNING, logger="otel.baggage.propagation"):
        for _ in range(3):
            inject(context)
    assert len(caplog.records) == 1
    assert "huge" in caplog.text


def test_entries_that_cannot_be_sent_are_skipped_and_the_rest_sent() -> None:
    class NoStr:
        def __str__(self) -> str:
            raise RuntimeError("no")

    context = baggage.set_baggage("ok", "1", Context())
    context = baggage.set_baggage(None, "x", context)  # type: ignore[arg-type]
    context = baggage.set_baggage("bad", NoStr(), context)
    assert inject(context) == {"baggage": "ok=1"}
