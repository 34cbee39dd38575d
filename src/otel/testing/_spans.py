"""capture_spans(): record the spans code under test creates, synchronously, in memory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from otel import trace as trace_api
from otel.sdk.trace import ReadableSpan, TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from otel.trace._tracer import _swap_tracer_provider


class CapturedSpans:
    """A TracerProvider exporting every ended span to memory, with assertion helpers.

    ``spans`` is the list of finished spans in the order they ended (a child before its
    parent). ``provider`` is the TracerProvider, ``exporter`` the InMemorySpanExporter.
    """

    def __init__(self, **provider_kwargs: Any) -> None:
        provider_kwargs.setdefault("shutdown_on_exit", False)
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider(**provider_kwargs)
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))

    @property
    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def get_finished_spans(self) -> tuple[ReadableSpan, ...]:
        return self.exporter.get_finished_spans()

    def get_tracer(self, name: str = "test", version: str | None = None) -> trace_api.Tracer:
        return self.provider.get_tracer(name, version)

    def by_name(self, name: str) -> list[ReadableSpan]:
        """The finished spans called ``name``."""
        return [span for span in self.exporter.get_finished_spans() if span.name == name]

    def names(self) -> list[str]:
        """Names of the finished spans, in end order."""
        return [span.name for span in self.exporter.get_finished_spans()]

    def clear(self) -> None:
        self.exporter.clear()

    def __len__(self) -> int:
        return len(self.exporter.get_finished_spans())


@contextmanager
def capture_spans(**provider_kwargs: Any) -> Iterator[CapturedSpans]:
    """Within the block, the global TracerProvider records every span into memory.

    Yields a :class:`CapturedSpans`. Tracers obtained through ``otel.trace.get_tracer``
    (also before the block, through proxies) record into it. On exit the previous global
    provider is put back and the capturing provider shut down. Keyword arguments go to
    the TracerProvider (``resource``, ``sampler``, ``span_limits``, ...).
    """
    captured = CapturedSpans(**provider_kwargs)
    previous = _swap_tracer_provider(captured.provider)
    try:
        yield captured
    finally:
        _swap_tracer_provider(previous)
        captured.provider.shutdown()


def span_capture_fixture() -> Iterator[CapturedSpans]:
    """Generator for a pytest fixture: ``span_capture = pytest.fixture(span_capture_fixture)``."""
    with capture_spans() as captured:
        yield captured


def _reset_trace() -> None:
    """Forget the global TracerProvider and unbind proxy tracers (for ``reset_globals``)."""
    _swap_tracer_provider(None)
