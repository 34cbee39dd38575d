"""``Span.set_attribute`` stores scalar values with their key unchecked (and ``start_span``
a name that is not a ``str`` as given); the checks
run when the attributes are read. Every reader must see what checking each call at once
gave: these tests hold the deferred checks to that eager model."""

from __future__ import annotations

import logging
import random
from typing import Any

import pytest

from otel.attributes import clean_attribute_value
from otel.sdk.trace import SpanLimits, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.testing import reset_globals


def _tracer(limits: SpanLimits | None = None) -> tuple[Any, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(span_limits=limits, shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("t"), exporter


def _eager(calls: list[tuple[Any, Any]], limit: int) -> tuple[dict[str, Any], int]:
    """What checking every ``set_attribute`` call at once keeps: the eager model."""
    kept: dict[str, Any] = {}
    dropped = 0
    for key, value in calls:
        if type(key) is not str or not key:
            continue
        cleaned = clean_attribute_value(key, value)
        if cleaned is None:
            continue
        if len(kept) < limit or key in kept:
            kept[key] = cleaned
        else:
            dropped += 1
    return kept, dropped


_KEYS: list[Any] = ["a", "b", "c", "d", "e", "", 7, None, 2.5, ("t",), b"a"]
_VALUES: list[Any] = ["v", "", 1, -(2**63), 2**63, 2**70, 0.5, True, [1, 2], ["x", 1], {}, None]


@pytest.mark.parametrize("seed", range(40))
def test_every_reader_sees_what_eager_checks_keep(seed: int) -> None:
    rng = random.Random(seed)
    limit = rng.choice([0, 1, 2, 3, 5, 128])
    tracer, exporter = _tracer(SpanLimits(max_span_attributes=limit))
    calls = [(rng.choice(_KEYS), rng.choice(_VALUES)) for _ in range(rng.randint(0, 14))]
    span = tracer.start_span("s")
    for key, value in calls:
        span.set_attribute(key, value)
    expected, dropped = _eager(calls, limit)
    assert dict(span.attributes) == expected
    assert list(span.attributes) == list(expected)  # the order too
    span.end()
    exported = exporter.get_finished_spans()[0]
    assert dict(exported.attributes) == expected
    assert list(exported._export_fields()[7]) == list(expected)
    assert exported.dropped_attributes == dropped


def test_a_bad_key_is_logged_when_the_attributes_are_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reset_globals()
    tracer, exporter = _tracer()
    with caplog.at_level(logging.WARNING, logger="otel.attributes"):
        with tracer.start_as_current_span("s") as span:
            span.set_attribute("", "v")
            span.set_attribute(42, "v")  # type: ignore[arg-type]
            span.set_attribute("ok", "v")
        assert dict(exporter.get_finished_spans()[0].attributes) == {"ok": "v"}
    assert "Attribute '' dropped" in caplog.text
    assert "Attribute 42 dropped" in caplog.text


def test_bad_keys_take_no_room_from_valid_ones() -> None:
    tracer, exporter = _tracer(SpanLimits(max_span_attributes=2))
    span = tracer.start_span("s")
    span.set_attribute("", 1)
    span.set_attribute(5, 1)  # type: ignore[arg-type]
    span.set_attribute("a", 1)
    span.set_attribute("b", 2)
    span.set_attribute("c", 3)
    span.end()
    exported = exporter.get_finished_spans()[0]
    assert dict(exported.attributes) == {"a": 1, "b": 2}
    assert exported.dropped_attributes == 1


def test_an_unhashable_key_is_dropped_without_raising() -> None:
    tracer, _ = _tracer()
    span = tracer.start_span("s")
    span.set_attribute(["k"], "v")  # type: ignore[arg-type]
    span.set_attribute({"k": 1}, 1)  # type: ignore[arg-type]
    assert dict(span.attributes) == {}


def test_an_out_of_range_int_does_not_replace_a_valid_value() -> None:
    tracer, _ = _tracer()
    span = tracer.start_span("s")
    span.set_attribute("n", 1)
    span.set_attribute("n", 2**64)
    assert dict(span.attributes) == {"n": 1}


def test_an_ended_span_is_checked_once() -> None:
    tracer, _ = _tracer(SpanLimits(max_span_attribute_length=2))
    span = tracer.start_span("s")
    span.set_attribute("k", "long")
    span.set_attribute(3, "x")  # type: ignore[arg-type]
    span.end()
    first = span._read_attributes()
    assert first == {"k": "lo"}
    assert span._read_attributes() is first


def test_reading_a_recording_span_leaves_its_stored_attributes() -> None:
    tracer, _ = _tracer(SpanLimits(max_span_attribute_length=2))
    span = tracer.start_span("s")
    span.set_attribute("k", "long")
    assert dict(span.attributes) == {"k": "lo"}
    span.set_attribute("j", "abc")
    assert dict(span.attributes) == {"k": "lo", "j": "ab"}


def test_a_hand_built_readable_span_keeps_its_attributes_as_given() -> None:
    from otel.sdk.trace import ReadableSpan

    span = ReadableSpan("s", attributes={"k": "v" * 10})
    assert dict(span.attributes) == {"k": "v" * 10}


class _Named:
    def __str__(self) -> str:
        return "from-str"


def test_a_name_that_is_not_a_str_is_read_as_its_str() -> None:
    tracer, exporter = _tracer()
    with tracer.start_as_current_span(_Named()) as span:  # type: ignore[arg-type]
        assert span.name == "from-str"
    tracer.start_span(None).end()  # type: ignore[arg-type]
    first, second = exporter.get_finished_spans()
    assert first._export_fields()[3] == "from-str"
    assert '"name": "from-str"' in first.to_json()
    assert second.name == ""


def test_a_sampler_gets_a_name_that_is_a_str() -> None:
    from otel.sdk.trace.sampling import Decision, Sampler, SamplingResult

    seen: list[object] = []

    class Recording(Sampler):
        def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
            seen.append(args[2])
            return SamplingResult(Decision.RECORD_AND_SAMPLE)

        def get_description(self) -> str:
            return "recording"

    provider = TracerProvider(sampler=Recording(), shutdown_on_exit=False)
    provider.get_tracer("t").start_span(_Named()).end()  # type: ignore[arg-type]
    assert seen == ["from-str"]
