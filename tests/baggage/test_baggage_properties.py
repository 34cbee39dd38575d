"""Property tests: W3C baggage survives inject/extract; random input never raises."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from otel import baggage
from otel.baggage.propagation import W3CBaggagePropagator
from otel.context import Context
from otel.testing._errors import no_internal_errors

PROPAGATOR = W3CBaggagePropagator()

# Any text without lone surrogates (which have no UTF-8 encoding).
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
tokens = st.from_regex(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,10}", fullmatch=True)
octets = st.from_regex(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,10}", fullmatch=True)
properties = st.lists(
    st.one_of(tokens, st.builds(lambda k, v: f"{k}={v}", tokens, octets)), min_size=1, max_size=3
).map(";".join)


@given(st.dictionaries(names, st.tuples(texts, st.none() | properties), max_size=10))
def test_extract_of_inject_gives_the_same_baggage(
    entries: dict[str, tuple[str, str | None]],
) -> None:
    context = Context()
    for name, (value, metadata) in entries.items():
        context = baggage.set_baggage(name, value, context, metadata=metadata)
    carrier: dict[str, str] = {}
    with no_internal_errors():
        PROPAGATOR.inject(carrier, context)
        got = PROPAGATOR.extract(carrier, Context())
    assert dict(baggage.get_all(got)) == {name: value for name, (value, _) in entries.items()}
    for name, (_, metadata) in entries.items():
        assert baggage.get_baggage_metadata(name, got) == metadata


header_text = st.one_of(
    st.text(),
    st.text(alphabet='ab%=;, \t"\\3F', max_size=60),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.lists(st.builds(lambda k, v: f"{k}={v}", st.text(max_size=8), st.text(max_size=8))).map(
        ",".join
    ),
)
header_values = st.one_of(header_text, st.lists(header_text, max_size=3), st.binary())


@given(st.dictionaries(st.sampled_from(["baggage", "Baggage", "other"]), header_values, max_size=3))
def test_random_headers_never_raise(headers: dict[str, object]) -> None:
    with no_internal_errors():
        context = PROPAGATOR.extract(headers, Context())
        carrier: dict[str, str] = {}
        PROPAGATOR.inject(carrier, context)
    # Whatever was accepted is sent again and reads back the same.
    again = PROPAGATOR.extract(carrier, Context())
    assert dict(baggage.get_all(again)) == dict(baggage.get_all(context))


def test_value_with_lone_surrogate_does_not_spoil_the_other_entries() -> None:
    context = baggage.set_baggage("a", "1", Context())
    context = baggage.set_baggage("bad", "\ud800", context)
    carrier: dict[str, str] = {}
    PROPAGATOR.inject(carrier, context)
    assert baggage.get_baggage("a", PROPAGATOR.extract(carrier, Context())) == "1"
