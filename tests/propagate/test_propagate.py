"""Global propagation: inject/extract through the global propagator, OTEL_PROPAGATORS."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from otel import baggage, propagate
from otel.baggage.propagation import W3CBaggagePropagator
from otel.context import Context
from otel.propagators.b3 import B3MultiFormat, B3SingleFormat
from otel.propagators.composite import CompositePropagator
from otel.propagators.jaeger import JaegerPropagator
from otel.propagators.textmap import TextMapPropagator
from otel.trace import (
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)
from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator


@pytest.fixture(autouse=True)
def fresh_global(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("OTEL_PROPAGATORS", raising=False)
    propagate._reset_global_textmap()
    yield
    propagate._reset_global_textmap()


def kinds(propagator: TextMapPropagator) -> list[type]:
    assert isinstance(propagator, CompositePropagator)
    return [type(p) for p in propagator._propagators]


def sample_context() -> Context:
    span_context = SpanContext(0xABC, 0xDEF, False, TraceFlags.SAMPLED)
    context = set_span_in_context(NonRecordingSpan(span_context), Context())
    return baggage.set_baggage("user", "alice", context)


def test_default_is_tracecontext_then_baggage() -> None:
    assert kinds(propagate.get_global_textmap()) == [
        TraceContextTextMapPropagator,
        W3CBaggagePropagator,
    ]


def test_inject_and_extract_use_the_default_propagators() -> None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier, sample_context())
    assert set(carrier) == {"traceparent", "baggage"}
    context = propagate.extract(carrier)
    assert get_current_span(context).get_span_context().trace_id == 0xABC
    assert baggage.get_baggage("user", context) == "alice"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tracecontext", [TraceContextTextMapPropagator]),
        ("baggage", [W3CBaggagePropagator]),
        ("b3", [B3SingleFormat]),
        ("b3multi", [B3MultiFormat]),
        ("jaeger", [JaegerPropagator]),
        (
            "tracecontext,baggage,b3",
            [TraceContextTextMapPropagator, W3CBaggagePropagator, B3SingleFormat],
        ),
        (" B3Multi , Jaeger ", [B3MultiFormat, JaegerPropagator]),
        ("b3,b3", [B3SingleFormat]),
        ("none", []),
        ("", [TraceContextTextMapPropagator, W3CBaggagePropagator]),
        (" , ", [TraceContextTextMapPropagator, W3CBaggagePropagator]),
    ],
)
def test_otel_propagators_selects_propagators(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[type]
) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", value)
    assert kinds(propagate.get_global_textmap()) == expected


def test_unknown_propagator_is_logged_and_skipped(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", "tracecontext,xray,baggage")
    with caplog.at_level(logging.ERROR, logger="otel.propagate"):
        textmap = propagate.get_global_textmap()
    assert kinds(textmap) == [TraceContextTextMapPropagator, W3CBaggagePropagator]
    assert "xray" in caplog.text


def test_none_mixed_with_others_is_ignored_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", "none,b3")
    with caplog.at_level(logging.WARNING, logger="otel.propagate"):
        assert kinds(propagate.get_global_textmap()) == [B3SingleFormat]
    assert "none" in caplog.text


def test_none_injects_and_extracts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", "none")
    carrier: dict[str, str] = {}
    propagate.inject(carrier, sample_context())
    assert carrier == {}
    assert propagate.extract({"traceparent": f"00-{1:032x}-{2:016x}-01"}) == Context()


def test_environment_is_read_at_first_use_not_at_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", "jaeger")
    assert kinds(propagate.get_global_textmap()) == [JaegerPropagator]


def test_environment_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = propagate.get_global_textmap()
    monkeypatch.setenv("OTEL_PROPAGATORS", "jaeger")
    assert propagate.get_global_textmap() is first


def test_reset_makes_the_next_use_read_the_environment_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    propagate.get_global_textmap()
    monkeypatch.setenv("OTEL_PROPAGATORS", "b3multi")
    propagate._reset_global_textmap()
    assert kinds(propagate.get_global_textmap()) == [B3MultiFormat]


def test_set_global_textmap_replaces_the_propagator() -> None:
    b3 = B3MultiFormat()
    propagate.set_global_textmap(b3)
    assert propagate.get_global_textmap() is b3
    carrier: dict[str, str] = {}
    propagate.inject(carrier, sample_context())
    assert set(carrier) == {"x-b3-traceid", "x-b3-spanid", "x-b3-sampled"}


def test_set_global_textmap_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PROPAGATORS", "jaeger")
    b3 = B3SingleFormat()
    propagate.set_global_textmap(b3)
    assert propagate.get_global_textmap() is b3


def test_inject_uses_the_current_context_by_default() -> None:
    from otel.context import attach, detach

    token = attach(sample_context())
    try:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
    finally:
        detach(token)
    assert carrier["traceparent"] == f"00-{0xABC:032x}-{0xDEF:016x}-01"


def test_extract_with_a_given_context_builds_on_it() -> None:
    from otel.context import create_key, get_value, set_value

    key = create_key("mine")
    base = set_value(key, "kept", Context())
    context = propagate.extract({"traceparent": f"00-{1:032x}-{2:016x}-01"}, base)
    assert get_value(key, context) == "kept"
    assert get_current_span(context).get_span_context().is_valid


def test_broken_global_propagator_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(TextMapPropagator):
        def extract(self, carrier, context=None, getter=None):  # type: ignore[no-untyped-def,override]
            raise RuntimeError("boom")

        def inject(self, carrier, context=None, setter=None):  # type: ignore[no-untyped-def,override]
            raise RuntimeError("boom")

        @property
        def fields(self) -> set[str]:
            return set()

    propagate.set_global_textmap(Broken())
    base = Context()
    with caplog.at_level(logging.ERROR, logger="otel.propagate"):
        propagate.inject({}, base)
        assert propagate.extract({}, base) is base
        assert propagate.extract({}) == Context()


def test_importing_otel_propagate_does_not_read_the_environment() -> None:
    import subprocess
    import sys

    code = (
        "import os\n"
        "class Env(dict):\n"
        "    def get(self, key, default=None):\n"
        "        if key == 'OTEL_PROPAGATORS': raise SystemExit('read at import')\n"
        "        return super().get(key, default)\n"
        "os.environ = Env(os.environ)\n"
        "import otel.propagate\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
