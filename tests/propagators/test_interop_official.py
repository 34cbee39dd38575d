"""Interop with the official OpenTelemetry Python propagators (the real peer).

Headers injected by the official implementation (run in benchmarks/.venv-official)
are extracted by otel and vice versa, for every format both implement. Skipped when
that environment (or its B3/Jaeger propagator packages) is not installed.
"""

from __future__ import annotations

import json
import random
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from _support.peers import peer_missing, require_official_python
from otel import baggage
from otel.baggage.propagation import W3CBaggagePropagator
from otel.context import Context
from otel.propagators.b3 import B3MultiFormat, B3SingleFormat
from otel.propagators.jaeger import JaegerPropagator
from otel.propagators.textmap import TextMapPropagator
from otel.trace import (
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    TraceState,
    get_current_span,
    set_span_in_context,
)
from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

pytestmark = pytest.mark.interop

OFFICIAL_PYTHON = (
    Path(__file__).resolve().parents[2] / "benchmarks" / ".venv-official" / "bin" / "python"
)

OURS: dict[str, TextMapPropagator] = {
    "tracecontext": TraceContextTextMapPropagator(),
    "baggage": W3CBaggagePropagator(),
    "b3multi": B3MultiFormat(),
    "b3single": B3SingleFormat(),
    "jaeger": JaegerPropagator(),
}

PEER = r"""
import json, sys
from opentelemetry import baggage, trace
from opentelemetry.context import Context
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.baggage.propagation import W3CBaggagePropagator
from opentelemetry.propagators.b3 import B3MultiFormat, B3SingleFormat
from opentelemetry.propagators.jaeger import JaegerPropagator

P = {
    "tracecontext": TraceContextTextMapPropagator(),
    "baggage": W3CBaggagePropagator(),
    "b3multi": B3MultiFormat(),
    "b3single": B3SingleFormat(),
    "jaeger": JaegerPropagator(),
}
out = []
for case in json.load(sys.stdin):
    p = P[case["format"]]
    if case["op"] == "inject":
        sc = SpanContext(case["trace_id"], case["span_id"], False, TraceFlags(case["flags"]),
                         TraceState(case["trace_state"]))
        ctx = trace.set_span_in_context(NonRecordingSpan(sc), Context())
        for k, v in case["baggage"].items():
            ctx = baggage.set_baggage(k, v, ctx)
        carrier = {}
        p.inject(carrier, ctx)
        out.append(carrier)
    else:
        ctx = p.extract(case["carrier"], Context())
        sc = trace.get_current_span(ctx).get_span_context()
        out.append({"trace_id": sc.trace_id, "span_id": sc.span_id,
                    "sampled": sc.trace_flags.sampled, "is_valid": sc.is_valid,
                    "trace_state": list(sc.trace_state.items()),
                    "baggage": {k: str(v) for k, v in baggage.get_all(ctx).items()}})
json.dump(out, sys.stdout)
"""


def run_peer(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = subprocess.run(
        [require_official_python(), "-c", PEER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if "ModuleNotFoundError" in result.stderr:
        peer_missing(
            f"official propagator packages missing: {result.stderr.strip().splitlines()[-1]}"
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def span_cases(seed: int, count: int) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    cases = [(1, 1, 0), (2**128 - 1, 2**64 - 1, 1), (0xFFFFFFFFFFFFFFFF, 0x1, 1)]
    while len(cases) < count:
        trace_id = rng.getrandbits(rng.choice([64, 128])) or 1
        cases.append((trace_id, rng.getrandbits(64) or 1, rng.getrandbits(1)))
    return cases


STATES = [[], [("congo", "t61rcWkgMzE")], [("rojo", "00f067aa0ba902b7"), ("congo", "ucfJifl5GOE")]]
# Values without spaces: the official propagator encodes a space as "+" (form encoding),
# which W3C baggage defines as a literal plus; see docs/propagation.md.
BAGGAGE_TO_US = [{}, {"userId": "alice"}, {"k": "Amélie,50%;x=y", "n": "1", "é": "ü"}]
BAGGAGE_TO_PEER = [*BAGGAGE_TO_US, {"server node": "DF 28", "plus": "a+b"}]


def context_of(
    trace_id: int, span_id: int, flags: int, state: list[Any], bag: dict[str, str]
) -> Context:
    sc = SpanContext(trace_id, span_id, False, TraceFlags(flags), TraceState(state))
    context = set_span_in_context(NonRecordingSpan(sc), Context())
    for name, value in bag.items():
        context = baggage.set_baggage(name, value, context)
    return context


@pytest.mark.parametrize("fmt", ["tracecontext", "b3multi", "b3single", "jaeger"])
def test_official_inject_is_extracted_by_otel(fmt: str) -> None:
    spans = span_cases(seed=zlib.crc32(fmt.encode()), count=40)
    cases = [
        {
            "op": "inject",
            "format": fmt,
            "trace_id": t,
            "span_id": s,
            "flags": f,
            "trace_state": STATES[i % 3] if fmt == "tracecontext" else [],
            "baggage": {},
        }
        for i, (t, s, f) in enumerate(spans)
    ]
    for case, carrier in zip(cases, run_peer(cases), strict=True):
        got = get_current_span(OURS[fmt].extract(carrier)).get_span_context()
        assert (got.trace_id, got.span_id, got.trace_flags.sampled) == (
            case["trace_id"],
            case["span_id"],
            bool(case["flags"]),
        ), carrier
        assert list(got.trace_state.items()) == [tuple(kv) for kv in case["trace_state"]]


@pytest.mark.parametrize("fmt", ["tracecontext", "b3multi", "b3single", "jaeger"])
def test_otel_inject_is_extracted_by_official(fmt: str) -> None:
    spans = span_cases(seed=zlib.crc32(fmt.encode()) + 1, count=40)
    cases = []
    expected = []
    for i, (t, s, f) in enumerate(spans):
        state = STATES[i % 3] if fmt == "tracecontext" else []
        carrier: dict[str, str] = {}
        OURS[fmt].inject(carrier, context_of(t, s, f, state, {}))
        cases.append({"op": "extract", "format": fmt, "carrier": carrier})
        expected.append((t, s, bool(f), [list(kv) for kv in state]))
    for want, got in zip(expected, run_peer(cases), strict=True):
        assert got["is_valid"]
        assert (got["trace_id"], got["span_id"], got["sampled"], got["trace_state"]) == want


def test_official_baggage_is_extracted_by_otel() -> None:
    cases = [
        {"op": "inject", "format": "baggage", "trace_id": 1, "span_id": 1, "flags": 1,
         "trace_state": [], "baggage": bag}
        for bag in BAGGAGE_TO_US
    ]  # fmt: skip
    for bag, carrier in zip(BAGGAGE_TO_US, run_peer(cases), strict=True):
        context = OURS["baggage"].extract(carrier, Context())
        assert dict(baggage.get_all(context)) == bag, carrier


def test_otel_baggage_is_extracted_by_official() -> None:
    cases = []
    for bag in BAGGAGE_TO_PEER:
        carrier: dict[str, str] = {}
        OURS["baggage"].inject(carrier, context_of(1, 1, 1, [], bag))
        cases.append({"op": "extract", "format": "baggage", "carrier": carrier})
    for bag, got in zip(BAGGAGE_TO_PEER, run_peer(cases), strict=True):
        assert got["baggage"] == bag


def test_official_jaeger_baggage_is_extracted_by_otel() -> None:
    bag = {"user": "alice", "k": "a b,c"}
    cases = [
        {"op": "inject", "format": "jaeger", "trace_id": 5, "span_id": 6, "flags": 1,
         "trace_state": [], "baggage": bag}
    ]  # fmt: skip
    carrier = run_peer(cases)[0]
    assert dict(baggage.get_all(OURS["jaeger"].extract(carrier))) == bag


def test_otel_jaeger_baggage_is_extracted_by_official() -> None:
    bag = {"user": "alice", "k": "a b,c"}
    carrier: dict[str, str] = {}
    OURS["jaeger"].inject(carrier, context_of(5, 6, 1, [], bag))
    got = run_peer([{"op": "extract", "format": "jaeger", "carrier": carrier}])[0]
    assert got["baggage"] == bag
