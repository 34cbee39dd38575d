"""The API with no SDK installed: what instrumented libraries cost when nobody listens.

Issue 2 targets: ``start_span().end()`` <= 0.3 us, ``with start_as_current_span`` <= 0.6 us.
"""

from __future__ import annotations

from collections.abc import Callable

from _harness import Case


def _tracer(prefix: str) -> object:
    if prefix == "otel":
        from otel import trace
    else:
        from opentelemetry import trace  # type: ignore[no-redef]
    return trace.get_tracer("bench")


def _start_end(prefix: str) -> Callable[[], object]:
    tracer = _tracer(prefix)

    def run() -> None:
        tracer.start_span("op").end()  # type: ignore[attr-defined]

    return run


def _with_current(prefix: str) -> Callable[[], object]:
    tracer = _tracer(prefix)

    def run() -> None:
        with tracer.start_as_current_span("op"):  # type: ignore[attr-defined]
            pass

    return run


def _nested_with_remote_parent(prefix: str) -> Callable[[], object]:
    if prefix == "otel":
        from otel import context, trace
    else:
        from opentelemetry import context, trace  # type: ignore[no-redef]
    tracer = trace.get_tracer("bench")
    parent = trace.NonRecordingSpan(trace.SpanContext(0xABC, 0xDEF, True, trace.TraceFlags(1)))
    context.attach(trace.set_span_in_context(parent))

    def run() -> None:
        with tracer.start_as_current_span("op"):
            pass

    return run


CASES = [
    Case("no SDK: start_span().end()", lambda: _start_end("otel"), lambda: _start_end("official")),
    Case(
        "no SDK: with start_as_current_span",
        lambda: _with_current("otel"),
        lambda: _with_current("official"),
    ),
    Case(
        "no SDK: with start_as_current_span, remote parent",
        lambda: _nested_with_remote_parent("otel"),
        lambda: _nested_with_remote_parent("official"),
    ),
]
