"""No exception escapes the public API, even from objects built to break it.

Hostile objects (issue 18 item 3): mappings whose ``items()``, ``__len__``, ``__bool__``
or ``__iter__`` raise, values whose ``__str__``/``__repr__``/``__hash__``/``__eq__`` raise,
span contexts with ids that are not ints. Hypothesis picks the object and the API call;
every span is exported (console and in-memory), metrics are collected, and any
"--- Logging error ---" (a diagnostic that failed to format) counts as an escape too.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otel import baggage, propagate, trace
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace import Link, NonRecordingSpan, SpanContext, TraceFlags


class Hostile(Exception):
    """Raised by the hostile objects; must never reach the caller."""


def _boom(*_args: object, **_kwargs: object) -> Any:
    raise Hostile("hostile object")


class ItemsRaises(dict):  # type: ignore[type-arg]
    items = _boom  # type: ignore[assignment]


class LenRaises(dict):  # type: ignore[type-arg]
    __len__ = _boom


class BoolRaises(dict):  # type: ignore[type-arg]
    __bool__ = _boom


class IterRaises(dict):  # type: ignore[type-arg]
    __iter__ = _boom


class GetRaises(dict):  # type: ignore[type-arg]
    get = _boom  # type: ignore[assignment]
    __getitem__ = _boom


class StrRaises:
    __str__ = _boom
    __repr__ = _boom
    __format__ = _boom


class HashRaises:
    __hash__ = _boom  # type: ignore[assignment]
    __eq__ = _boom  # type: ignore[assignment]
    __repr__ = _boom


class SequenceRaises(list):  # type: ignore[type-arg]
    __iter__ = _boom
    __len__ = _boom


class EverythingRaises:
    __bool__ = _boom
    __len__ = _boom
    __str__ = _boom
    __repr__ = _boom
    __iter__ = _boom


class EqRaises(str):
    __eq__ = _boom  # type: ignore[assignment]
    __hash__ = str.__hash__


BAD_CONTEXT = SpanContext(StrRaises(), StrRaises(), False, TraceFlags(1))  # type: ignore[arg-type]
FLOAT_IDS = SpanContext("abc", 1.5, False)  # type: ignore[arg-type]

HOSTILE: list[Callable[[], object]] = [
    lambda: ItemsRaises(a=1),
    lambda: LenRaises(a=1),
    lambda: BoolRaises(a=1),
    lambda: IterRaises(a=1),
    lambda: GetRaises(a=1),
    StrRaises,
    HashRaises,
    lambda: SequenceRaises([1]),
    EverythingRaises,
    lambda: EqRaises("key"),
    lambda: {"k": StrRaises()},
    lambda: {StrRaises(): 1},
    lambda: {"k": SequenceRaises([1])},
    lambda: {"k": [StrRaises()]},
    lambda: {"k": EverythingRaises()},
    lambda: [1],
    lambda: Link(BAD_CONTEXT, ItemsRaises(a=1)),
    lambda: Link(FLOAT_IDS, {"a": 1}),
    lambda: [Link(FLOAT_IDS), Link(BAD_CONTEXT)],
    lambda: NonRecordingSpan(BAD_CONTEXT),
]
hostile = st.sampled_from(HOSTILE).map(lambda make: make())


@pytest.fixture(scope="module")
def sdk() -> Any:
    exported = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exported))
    tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=io.StringIO())))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    meter = meter_provider.get_meter("hostile")
    yield (
        tracer_provider,
        tracer_provider.get_tracer("hostile"),
        meter_provider,
        meter.create_counter("c"),
        meter.create_histogram("h"),
        reader,
    )
    tracer_provider.shutdown()
    meter_provider.shutdown()


def _enter_and_exit(scope: Any) -> None:
    with scope:
        pass


def _calls(sdk: Any, bad: Any) -> list[Callable[[], object]]:
    tracer_provider, tracer, meter_provider, counter, histogram, reader = sdk

    def on_span(operation: Callable[[Any], object]) -> Callable[[], object]:
        def call() -> None:
            span = tracer.start_span("s")
            operation(span)
            span.end()

        return call

    return [
        lambda: baggage.set_baggage(bad, "v"),
        lambda: baggage.set_baggage("k", bad),
        lambda: baggage.get_baggage(bad),
        lambda: baggage.remove_baggage(bad),
        lambda: baggage.get_all(bad),
        lambda: baggage.get_baggage("k", bad),
        lambda: tracer.start_span("s", attributes=bad).end(),
        lambda: tracer.start_span("s", links=bad).end(),
        lambda: tracer.start_span("s", links=[bad]).end(),
        lambda: tracer.start_span("s", links=[Link(FLOAT_IDS, bad)]).end(),
        lambda: tracer.start_span("s", context=bad).end(),
        lambda: tracer.start_span("s", context=trace.set_span_in_context(bad)).end(),
        lambda: _enter_and_exit(tracer.start_as_current_span("s", attributes=bad)),
        on_span(lambda span: span.set_attributes(bad)),
        on_span(lambda span: span.set_attribute("k", bad)),
        on_span(lambda span: span.set_attribute(bad, 1)),
        on_span(lambda span: span.add_event("e", bad)),
        on_span(lambda span: span.add_link(FLOAT_IDS, bad)),
        on_span(lambda span: span.add_link(bad)),
        on_span(lambda span: span.set_status(trace.StatusCode.ERROR, bad)),
        on_span(lambda span: span.record_exception(ValueError("x"), bad)),
        lambda: propagate.inject(bad),
        lambda: propagate.extract(bad),
        lambda: propagate.inject({}, context=trace.set_span_in_context(bad)),
        lambda: counter.add(1, bad),
        lambda: histogram.record(1.0, bad),
        lambda: tracer_provider.get_tracer(bad, bad, bad, bad),
        lambda: meter_provider.get_meter(bad, bad, bad, bad),
        lambda: repr(bad),  # only our own objects are expected not to raise here
        reader.get_metrics_data,
    ]


CALLS = 30


class _LoggingErrors(logging.Handler):
    """Counts diagnostics that failed to format (what prints "--- Logging error ---")."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record.getMessage()
        except Exception as exc:
            self.failures.append(f"{record.name}: {record.msg!r}: {exc!r}")


@settings(max_examples=300)
@given(bad=hostile, which=st.integers(0, CALLS - 1))
def test_no_exception_escapes_for_hostile_objects(sdk: Any, bad: Any, which: int) -> None:
    call = _calls(sdk, bad)[which]
    if which == CALLS - 2 and not isinstance(bad, (Link, NonRecordingSpan)):
        return  # repr of the user's own hostile object raises, as it should
    errors = _LoggingErrors()
    otel_logger = logging.getLogger("otel")
    otel_logger.addHandler(errors)
    try:
        call()
    finally:
        otel_logger.removeHandler(errors)
    assert errors.failures == []


def test_the_hostile_calls_list_is_complete(sdk: Any) -> None:
    assert len(_calls(sdk, None)) == CALLS


def test_repr_of_a_link_with_ids_that_are_not_ints_names_them() -> None:
    assert repr(Link(FLOAT_IDS)).startswith("Link(SpanContext(trace_id='abc', span_id=1.5")


def test_unhashable_baggage_name_is_ignored_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    context = baggage.set_baggage("kept", "1")
    with caplog.at_level(logging.WARNING, "otel.baggage"):
        assert baggage.set_baggage(["x"], "v", context) is context  # type: ignore[arg-type]
        assert baggage.remove_baggage(["x"], context) is context  # type: ignore[arg-type]
        assert baggage.get_baggage(["x"], context) is None  # type: ignore[arg-type]
    assert "not hashable" in caplog.text


def test_span_keeps_the_good_links_around_a_hostile_one() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    good = SpanContext(1, 2, False)
    hostile_link = Link(good, LenRaises(a=1))
    provider.get_tracer("t").start_span("s", links=[Link(good), hostile_link, Link(good)]).end()
    (span,) = exporter.get_finished_spans()
    assert len(span.links) == 3
    assert dict(span.links[1].attributes) == {}


def test_diagnostic_about_an_object_whose_repr_raises_is_still_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = TracerProvider()
    with caplog.at_level(logging.WARNING, "otel"):
        provider.get_tracer("t").start_span("s", context=StrRaises()).end()  # type: ignore[arg-type]
    assert "StrRaises object (repr failed)" in caplog.text
