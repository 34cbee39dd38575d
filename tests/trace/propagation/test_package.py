"""otel.trace.propagation became a package; its exports must not change."""

import otel.trace.propagation as propagation
from otel.trace import get_current_span, set_span_in_context
from otel.trace._context_helpers import _SPAN_KEY


def test_package_keeps_its_exports() -> None:
    assert propagation.__all__ == [
        "INVALID_SPAN",
        "SPAN_KEY",
        "_SPAN_KEY",
        "get_current_span",
        "set_span_in_context",
    ]
    assert propagation.get_current_span is get_current_span
    assert propagation.set_span_in_context is set_span_in_context
    assert propagation._SPAN_KEY == _SPAN_KEY


def test_tracecontext_module_exports_the_propagator() -> None:
    from otel.trace.propagation import tracecontext

    assert tracecontext.__all__ == ["TraceContextTextMapPropagator"]
