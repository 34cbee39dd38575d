"""CheckedAttributes: validated once when built, copied as they are by the spans they start."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from otel.attributes import CheckedAttributes
from otel.attributes._attributes import _reset_warnings
from otel.sdk.trace import SpanLimits
from otel.sdk.trace.sampling import Decision, Sampler, SamplingResult
from otel.testing import capture_spans


@pytest.fixture(autouse=True)
def _forget_warnings() -> None:
    _reset_warnings()


def test_invalid_values_are_dropped_with_a_warning_when_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="otel.attributes"):
        checked = CheckedAttributes({"ok": "v", "bad": object(), "n": 3, "list": [1, 2]})
    assert dict(checked) == {"ok": "v", "n": 3, "list": (1, 2)}
    assert "bad" in caplog.text


def test_it_is_a_read_only_mapping() -> None:
    checked = CheckedAttributes({"a": 1})
    assert checked["a"] == 1 and len(checked) == 1 and list(checked) == ["a"]
    with pytest.raises(TypeError):
        checked["b"] = 2  # type: ignore[index]
    with pytest.raises(AttributeError):
        checked.x = 1  # type: ignore[attr-defined]


def test_a_span_started_with_it_holds_its_own_copy() -> None:
    checked = CheckedAttributes({"a": 1})
    with capture_spans() as captured:
        span = captured.get_tracer().start_span("s", attributes=checked)
        span.set_attribute("b", 2)
        span.end()
    assert dict(captured.spans[0].attributes or {}) == {"a": 1, "b": 2}
    assert dict(checked) == {"a": 1}


def test_the_span_count_limit_still_applies() -> None:
    checked = CheckedAttributes({f"k{i}": i for i in range(5)})
    with capture_spans(span_limits=SpanLimits(max_span_attributes=3)) as captured:
        captured.get_tracer().start_span("s", attributes=checked).end()
    span = captured.spans[0]
    assert list(span.attributes or {}) == ["k0", "k1", "k2"]
    assert span.dropped_attributes == 2


def test_the_span_value_length_limit_still_applies() -> None:
    checked = CheckedAttributes({"url": "x" * 50})
    with capture_spans(span_limits=SpanLimits(max_span_attribute_length=10)) as captured:
        captured.get_tracer().start_span("s", attributes=checked).end()
    assert (captured.spans[0].attributes or {})["url"] == "x" * 10


class _AddingSampler(Sampler):
    def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
        return SamplingResult(Decision.RECORD_AND_SAMPLE, {"sampler": "yes"})

    def get_description(self) -> str:
        return "adding"


def test_attributes_a_sampler_adds_are_merged_in() -> None:
    checked = CheckedAttributes({"a": 1})
    with capture_spans(sampler=_AddingSampler()) as captured:
        captured.get_tracer().start_span("s", attributes=checked).end()
    assert dict(captured.spans[0].attributes or {}) == {"a": 1, "sampler": "yes"}


def _set_later(checked: CheckedAttributes, **provider: Any) -> Any:
    """A span started with ``first``, then given ``checked`` by ``set_attributes``."""
    with capture_spans(**provider) as captured:
        span = captured.get_tracer().start_span("s", attributes={"first": 0})
        span.set_attributes(checked)
        span.end()
    return captured.spans[0]


def test_set_attributes_with_it_adds_them_in_order() -> None:
    span = _set_later(CheckedAttributes({"a": 1, "first": "again", "b": (1, 2)}))
    assert list((span.attributes or {}).items()) == [("first", "again"), ("a", 1), ("b", (1, 2))]


def test_set_attributes_with_it_keeps_the_count_limit() -> None:
    checked = CheckedAttributes({f"k{i}": i for i in range(5)})
    span = _set_later(checked, span_limits=SpanLimits(max_span_attributes=3))
    assert list(span.attributes or {}) == ["first", "k0", "k1"]
    assert span.dropped_attributes == 3


def test_set_attributes_with_it_keeps_the_length_limit() -> None:
    checked = CheckedAttributes({"url": "x" * 50, "tags": ("y" * 50,)})
    span = _set_later(checked, span_limits=SpanLimits(max_span_attribute_length=10))
    assert (span.attributes or {})["url"] == "x" * 10
    assert (span.attributes or {})["tags"] == ("y" * 10,)


def test_set_attributes_with_it_on_an_ended_span_warns_and_keeps_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with capture_spans() as captured:
        span = captured.get_tracer().start_span("s")
        span.end()
        with caplog.at_level(logging.WARNING):
            span.set_attributes(CheckedAttributes({"late": 1}))
    assert "ended span" in caplog.text
    assert dict(captured.spans[0].attributes or {}) == {}
