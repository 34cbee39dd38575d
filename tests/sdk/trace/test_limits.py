from __future__ import annotations

import pytest

from otel import trace
from otel.sdk.trace import SpanLimits, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

ENV = [
    "OTEL_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_EVENT_COUNT_LIMIT",
    "OTEL_SPAN_LINK_COUNT_LIMIT",
    "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def finished(limits: SpanLimits, build):  # type: ignore[no-untyped-def]
    exporter = InMemorySpanExporter()
    provider = TracerProvider(span_limits=limits, shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    span = provider.get_tracer("t").start_span("s")
    build(span)
    span.end()
    return exporter.get_finished_spans()[0]


def test_defaults() -> None:
    limits = SpanLimits()
    assert limits.max_attributes == 128
    assert limits.max_span_attributes == 128
    assert limits.max_events == 128
    assert limits.max_links == 128
    assert limits.max_event_attributes == 128
    assert limits.max_link_attributes == 128
    assert limits.max_attribute_length is None
    assert limits.max_span_attribute_length is None


@pytest.mark.parametrize(
    ("env", "attribute"),
    [
        ("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "max_span_attributes"),
        ("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "max_span_attribute_length"),
        ("OTEL_SPAN_EVENT_COUNT_LIMIT", "max_events"),
        ("OTEL_SPAN_LINK_COUNT_LIMIT", "max_links"),
        ("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "max_event_attributes"),
        ("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "max_link_attributes"),
        ("OTEL_ATTRIBUTE_COUNT_LIMIT", "max_attributes"),
        ("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "max_attribute_length"),
    ],
)
def test_each_variable_sets_its_limit(
    monkeypatch: pytest.MonkeyPatch, env: str, attribute: str
) -> None:
    monkeypatch.setenv(env, "7")
    assert getattr(SpanLimits(), attribute) == 7


def test_general_limits_are_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_ATTRIBUTE_COUNT_LIMIT", "5")
    monkeypatch.setenv("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "9")
    limits = SpanLimits()
    assert limits.max_span_attributes == 5
    assert limits.max_event_attributes == 5
    assert limits.max_link_attributes == 5
    assert limits.max_span_attribute_length == 9


def test_specific_variable_beats_general(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_ATTRIBUTE_COUNT_LIMIT", "5")
    monkeypatch.setenv("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "2")
    assert SpanLimits().max_span_attributes == 2


def test_argument_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SPAN_EVENT_COUNT_LIMIT", "5")
    assert SpanLimits(max_events=3).max_events == 3


def test_unset_means_unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SPAN_EVENT_COUNT_LIMIT", "5")
    assert SpanLimits(max_events=SpanLimits.UNSET).max_events is None


def test_invalid_environment_value_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_SPAN_LINK_COUNT_LIMIT", "-4")
    monkeypatch.setenv("OTEL_SPAN_EVENT_COUNT_LIMIT", "many")
    limits = SpanLimits()
    assert limits.max_links == 128
    assert limits.max_events == 128


def test_negative_argument_raises() -> None:
    with pytest.raises(ValueError):
        SpanLimits(max_links=-5)


def test_span_attribute_count_limit_drops_and_counts() -> None:
    def build(span):  # type: ignore[no-untyped-def]
        for i in range(5):
            span.set_attribute(f"k{i}", i)
        span.set_attribute("k0", "updated")  # existing key: replaced, not dropped

    span = finished(SpanLimits(max_span_attributes=3), build)
    assert dict(span.attributes) == {"k0": "updated", "k1": 1, "k2": 2}
    assert span.dropped_attributes == 2


def test_initial_attributes_count_limit() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(span_limits=SpanLimits(max_span_attributes=2), shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.get_tracer("t").start_span("s", attributes={"a": 1, "b": 2, "c": 3}).end()
    span = exporter.get_finished_spans()[0]
    assert dict(span.attributes) == {"a": 1, "b": 2}
    assert span.dropped_attributes == 1


def test_span_attribute_length_limit_truncates_strings() -> None:
    def build(span):  # type: ignore[no-untyped-def]
        span.set_attribute("s", "abcdefgh")
        span.set_attribute("seq", ["abcdefgh", "xy"])
        span.set_attribute("n", 123456789)

    span = finished(SpanLimits(max_span_attribute_length=3), build)
    assert dict(span.attributes) == {"s": "abc", "seq": ("abc", "xy"), "n": 123456789}


def test_event_count_limit_drops_and_counts() -> None:
    def build(span):  # type: ignore[no-untyped-def]
        for i in range(4):
            span.add_event(f"e{i}")

    span = finished(SpanLimits(max_events=2), build)
    assert [e.name for e in span.events] == ["e0", "e1"]
    assert span.dropped_events == 2


def test_zero_event_limit() -> None:
    span = finished(SpanLimits(max_events=0), lambda s: s.add_event("e"))
    assert span.events == () and span.dropped_events == 1


def test_event_attribute_limit() -> None:
    span = finished(
        SpanLimits(max_event_attributes=1), lambda s: s.add_event("e", {"a": 1, "b": 2})
    )
    assert dict(span.events[0].attributes) == {"a": 1}
    assert span.events[0].dropped_attributes == 1


def test_link_count_limit_drops_and_counts() -> None:
    ctx = trace.SpanContext(1, 2, False)

    def build(span):  # type: ignore[no-untyped-def]
        for _ in range(3):
            span.add_link(ctx)

    span = finished(SpanLimits(max_links=1), build)
    assert len(span.links) == 1
    assert span.dropped_links == 2


def test_initial_links_limit_and_link_attribute_limit() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        span_limits=SpanLimits(max_links=2, max_link_attributes=1), shutdown_on_exit=False
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    links = [trace.Link(trace.SpanContext(1, i + 1, False), {"a": 1, "b": 2}) for i in range(3)]
    provider.get_tracer("t").start_span("s", links=links).end()
    span = exporter.get_finished_spans()[0]
    assert len(span.links) == 2
    assert span.dropped_links == 1
    assert dict(span.links[0].attributes) == {"a": 1}
    assert span.links[0].dropped_attributes == 1


def test_initial_span_attributes_are_truncated_to_the_length_limit() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        span_limits=SpanLimits(max_span_attribute_length=3), shutdown_on_exit=False
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    attributes = {"s": "abcdefgh", "seq": ["abcdefgh", "xy"]}
    provider.get_tracer("t").start_span("s", attributes=attributes).end()
    (span,) = exporter.get_finished_spans()
    assert dict(span.attributes) == {"s": "abc", "seq": ("abc", "xy")}


def test_event_attributes_are_truncated_to_the_length_limit() -> None:
    span = finished(
        SpanLimits(max_attribute_length=3),
        lambda s: s.add_event("e", {"s": "abcdefgh", "seq": ["abcdefgh"]}),
    )
    assert dict(span.events[0].attributes) == {"s": "abc", "seq": ("abc",)}


def test_added_link_attributes_are_truncated_to_the_length_limit() -> None:
    ctx = trace.SpanContext(1, 2, False)
    span = finished(
        SpanLimits(max_attribute_length=3), lambda s: s.add_link(ctx, {"s": "abcdefgh"})
    )
    assert dict(span.links[0].attributes) == {"s": "abc"}


def test_initial_link_attributes_are_truncated_to_the_length_limit() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(
        span_limits=SpanLimits(max_attribute_length=3), shutdown_on_exit=False
    )
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    link = trace.Link(trace.SpanContext(1, 2, False), {"s": "abcdefgh"})
    provider.get_tracer("t").start_span("s", links=[link]).end()
    (span,) = exporter.get_finished_spans()
    assert dict(span.links[0].attributes) == {"s": "abc"}


def test_length_limit_applies_to_every_reader_of_an_ended_span() -> None:
    # set_attribute stores str values uncut; every reader sees them cut to the limit
    def build(span):  # type: ignore[no-untyped-def]
        span.set_attribute("s", "abcdef")
        span.set_attribute("n", 7)
        span.set_attribute("t", ("abcdef", "x"))

    span = finished(SpanLimits(max_span_attribute_length=3), build)
    assert dict(span.attributes) == {"s": "abc", "n": 7, "t": ("abc", "x")}
    assert '"s": "abc"' in span.to_json()
    assert "abcdef" not in span.to_json()


def test_length_limit_applies_while_the_span_records() -> None:
    span = (
        TracerProvider(span_limits=SpanLimits(max_span_attribute_length=2), shutdown_on_exit=False)
        .get_tracer("t")
        .start_span("s")
    )
    span.set_attribute("s", "abc")
    assert span.attributes["s"] == "ab"  # type: ignore[attr-defined]


def test_values_within_the_length_limit_are_read_as_stored() -> None:
    def build(span):  # type: ignore[no-untyped-def]
        span.set_attribute("s", "ab")

    span = finished(SpanLimits(max_span_attribute_length=3), build)
    assert dict(span.attributes) == {"s": "ab"}
