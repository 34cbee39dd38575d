"""SDK behaviour behind official names found by tests/interop/test_api_compat.py."""

from __future__ import annotations

from otel.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.sdk.trace.id_generator import IdGenerator, RandomIdGenerator
from otel.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    AlwaysRecordSampler,
    Decision,
    TraceIdRatioBased,
)


class _FixedIds(IdGenerator):
    def __init__(self, random: bool) -> None:
        self._random = random

    def generate_span_id(self) -> int:
        return 0x1234

    def generate_trace_id(self) -> int:
        return 0xABCD

    def is_trace_id_random(self) -> bool:
        return self._random


def _root_flags(id_generator: IdGenerator) -> int:
    provider = TracerProvider(id_generator=id_generator, shutdown_on_exit=False)
    span = provider.get_tracer("t").start_span("root")
    flags = int(span.get_span_context().trace_flags)
    span.end()
    provider.shutdown()
    return flags


def test_is_trace_id_random_is_a_method_as_officially() -> None:
    assert RandomIdGenerator().is_trace_id_random() is True


def test_custom_generator_saying_not_random_gets_no_random_flag() -> None:
    assert _root_flags(_FixedIds(random=False)) & 0x02 == 0


def test_custom_generator_saying_random_gets_the_random_flag() -> None:
    assert _root_flags(_FixedIds(random=True)) & 0x02 == 0x02


def test_default_generator_sets_the_random_flag() -> None:
    assert _root_flags(RandomIdGenerator()) & 0x02 == 0x02


def test_in_memory_exporter_max_spans_keeps_the_newest() -> None:
    exporter = InMemorySpanExporter(max_spans=2)
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("t")
    for name in ("a", "b", "c"):
        tracer.start_span(name).end()
    assert [span.name for span in exporter.get_finished_spans()] == ["b", "c"]
    exporter.clear()
    assert exporter.get_finished_spans() == ()


def test_in_memory_exporter_is_unbounded_by_default() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    for index in range(300):
        provider.get_tracer("t").start_span(str(index)).end()
    assert len(exporter.get_finished_spans()) == 300


def test_event_keeps_at_most_128_attributes_by_default() -> None:
    event = Event("e", {f"k{i}": i for i in range(130)})
    assert len(event.attributes) == 128
    assert event.dropped_attributes == 2


def test_event_limit_none_keeps_every_attribute() -> None:
    assert len(Event("e", {f"k{i}": i for i in range(130)}, limit=None).attributes) == 130


class _Seen(SpanProcessor):
    def __init__(self) -> None:
        self.ended: list[ReadableSpan] = []

    def on_end(self, span: ReadableSpan) -> None:
        self.ended.append(span)


def test_always_record_turns_drop_into_record_only() -> None:
    result = AlwaysRecordSampler(ALWAYS_OFF).should_sample(None, 1, "s")
    assert result.decision is Decision.RECORD_ONLY


def test_always_record_keeps_a_sampled_decision() -> None:
    result = AlwaysRecordSampler(ALWAYS_ON).should_sample(None, 1, "s")
    assert result.decision is Decision.RECORD_AND_SAMPLE


def test_always_record_spans_reach_processors_but_not_exporters() -> None:
    seen = _Seen()
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=AlwaysRecordSampler(ALWAYS_OFF), shutdown_on_exit=False)
    provider.add_span_processor(seen)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    span = provider.get_tracer("t").start_span("dropped-by-root")
    assert span.is_recording()
    assert not span.get_span_context().trace_flags.sampled
    span.end()
    assert [s.name for s in seen.ended] == ["dropped-by-root"]
    assert exporter.get_finished_spans() == ()


def test_always_record_description_names_its_root() -> None:
    description = AlwaysRecordSampler(TraceIdRatioBased(0.5)).get_description()
    assert description == "AlwaysRecordSampler{TraceIdRatioBased{0.5}}"
