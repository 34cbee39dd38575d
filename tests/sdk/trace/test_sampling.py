from __future__ import annotations

import logging

import pytest

from otel import trace
from otel.context import Context
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    DEFAULT_OFF,
    DEFAULT_ON,
    Decision,
    ParentBased,
    ParentBasedTraceIdRatio,
    Sampler,
    SamplingResult,
    StaticSampler,
    TraceIdRatioBased,
    _get_from_env_or_default,
)
from otel.trace import SpanContext, TraceFlags, TraceState

SAMPLED = TraceFlags(TraceFlags.SAMPLED)
NOT_SAMPLED = TraceFlags(TraceFlags.DEFAULT)
STATE = TraceState([("vendor", "value")])


def parent(remote: bool, sampled: bool) -> Context:
    span_context = SpanContext(0x1234, 0x5678, remote, SAMPLED if sampled else NOT_SAMPLED, STATE)
    return trace.set_span_in_context(trace.NonRecordingSpan(span_context))


def decide(sampler: Sampler, context: Context | None, trace_id: int = 0x1234) -> Decision:
    return sampler.should_sample(context, trace_id, "span").decision


def test_decision_predicates() -> None:
    assert not Decision.DROP.is_recording() and not Decision.DROP.is_sampled()
    assert Decision.RECORD_ONLY.is_recording() and not Decision.RECORD_ONLY.is_sampled()
    assert Decision.RECORD_AND_SAMPLE.is_recording() and Decision.RECORD_AND_SAMPLE.is_sampled()


@pytest.mark.parametrize(
    ("sampler", "expected"),
    [(ALWAYS_ON, Decision.RECORD_AND_SAMPLE), (ALWAYS_OFF, Decision.DROP)],
)
@pytest.mark.parametrize("context", [None, "remote-sampled", "local-unsampled"])
def test_static_samplers_ignore_the_parent(
    sampler: Sampler, expected: Decision, context: str | None
) -> None:
    ctx = None
    if context == "remote-sampled":
        ctx = parent(True, True)
    elif context == "local-unsampled":
        ctx = parent(False, False)
    assert decide(sampler, ctx) is expected


def test_static_sampler_keeps_parent_trace_state_and_attributes() -> None:
    result = ALWAYS_ON.should_sample(parent(True, True), 1, "s", attributes={"a": 1})
    assert result.trace_state == STATE
    assert dict(result.attributes) == {"a": 1}
    assert dict(ALWAYS_OFF.should_sample(None, 1, "s", attributes={"a": 1}).attributes) == {}


@pytest.mark.parametrize(
    ("rate", "trace_id", "expected"),
    [
        (0.0, 0, Decision.DROP),
        (0.0, 1, Decision.DROP),
        (1.0, 2**64 - 1, Decision.RECORD_AND_SAMPLE),
        (0.5, 2**63 - 1, Decision.RECORD_AND_SAMPLE),
        (0.5, 2**63, Decision.DROP),
        (0.5, (0xFFFF << 64) | (2**63 - 1), Decision.RECORD_AND_SAMPLE),  # high bits ignored
        (0.25, 2**62 - 1, Decision.RECORD_AND_SAMPLE),
        (0.25, 2**62, Decision.DROP),
    ],
)
def test_trace_id_ratio_decision_table(rate: float, trace_id: int, expected: Decision) -> None:
    assert decide(TraceIdRatioBased(rate), None, trace_id) is expected


def test_trace_id_ratio_samples_about_the_rate() -> None:
    import random

    sampler = TraceIdRatioBased(0.3)
    rng = random.Random(7)
    sampled = sum(decide(sampler, None, rng.getrandbits(128)).is_sampled() for _ in range(20000))
    assert 0.28 < sampled / 20000 < 0.32


def test_trace_id_ratio_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        TraceIdRatioBased(1.5)
    with pytest.raises(ValueError):
        TraceIdRatioBased(-0.1)


def test_trace_id_ratio_description_and_bound() -> None:
    sampler = TraceIdRatioBased(0.5)
    assert sampler.get_description() == "TraceIdRatioBased{0.5}"
    assert sampler.bound == 2**63
    assert sampler.rate == 0.5


class Recording(Sampler):
    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        self.calls = 0

    def should_sample(
        self,
        parent_context,
        trace_id,
        name,
        kind=None,
        attributes=None,
        links=None,
        trace_state=None,
    ) -> SamplingResult:  # type: ignore[no-untyped-def]
        self.calls += 1
        return SamplingResult(self.decision)

    def get_description(self) -> str:
        return f"Recording{{{self.decision.name}}}"


# (parent kind) -> which delegate decides
@pytest.mark.parametrize(
    ("context_kind", "delegate"),
    [
        ("none", "root"),
        ("remote_sampled", "remote_parent_sampled"),
        ("remote_not_sampled", "remote_parent_not_sampled"),
        ("local_sampled", "local_parent_sampled"),
        ("local_not_sampled", "local_parent_not_sampled"),
    ],
)
def test_parent_based_routes_to_each_delegate(context_kind: str, delegate: str) -> None:
    names = [
        "root",
        "remote_parent_sampled",
        "remote_parent_not_sampled",
        "local_parent_sampled",
        "local_parent_not_sampled",
    ]
    samplers = {name: Recording(Decision.RECORD_ONLY) for name in names}
    sampler = ParentBased(
        samplers["root"],
        samplers["remote_parent_sampled"],
        samplers["remote_parent_not_sampled"],
        samplers["local_parent_sampled"],
        samplers["local_parent_not_sampled"],
    )
    contexts = {
        "none": None,
        "remote_sampled": parent(True, True),
        "remote_not_sampled": parent(True, False),
        "local_sampled": parent(False, True),
        "local_not_sampled": parent(False, False),
    }
    assert decide(sampler, contexts[context_kind]) is Decision.RECORD_ONLY
    assert {name: s.calls for name, s in samplers.items()} == {
        name: int(name == delegate) for name in names
    }


@pytest.mark.parametrize(
    ("context_kind", "default_on", "default_off"),
    [
        ("none", Decision.RECORD_AND_SAMPLE, Decision.DROP),
        ("remote_sampled", Decision.RECORD_AND_SAMPLE, Decision.RECORD_AND_SAMPLE),
        ("remote_not_sampled", Decision.DROP, Decision.DROP),
        ("local_sampled", Decision.RECORD_AND_SAMPLE, Decision.RECORD_AND_SAMPLE),
        ("local_not_sampled", Decision.DROP, Decision.DROP),
    ],
)
def test_parent_based_default_delegates_table(
    context_kind: str, default_on: Decision, default_off: Decision
) -> None:
    contexts = {
        "none": None,
        "remote_sampled": parent(True, True),
        "remote_not_sampled": parent(True, False),
        "local_sampled": parent(False, True),
        "local_not_sampled": parent(False, False),
    }
    assert decide(DEFAULT_ON, contexts[context_kind]) is default_on
    assert decide(DEFAULT_OFF, contexts[context_kind]) is default_off


def test_parent_based_invalid_parent_uses_root() -> None:
    ctx = trace.set_span_in_context(trace.INVALID_SPAN)
    assert decide(DEFAULT_OFF, ctx) is Decision.DROP
    assert decide(DEFAULT_ON, ctx) is Decision.RECORD_AND_SAMPLE


def test_parent_based_description() -> None:
    assert DEFAULT_ON.get_description() == (
        "ParentBased{root:AlwaysOnSampler,remoteParentSampled:AlwaysOnSampler,"
        "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
        "localParentNotSampled:AlwaysOffSampler}"
    )


def test_parent_based_trace_id_ratio() -> None:
    sampler = ParentBasedTraceIdRatio(0.0)
    assert decide(sampler, None, 5) is Decision.DROP
    assert decide(sampler, parent(True, True), 5) is Decision.RECORD_AND_SAMPLE


@pytest.mark.parametrize(
    ("env", "arg", "check"),
    [
        (None, None, lambda s: s is DEFAULT_ON),
        ("always_on", None, lambda s: s is ALWAYS_ON),
        ("always_off", None, lambda s: s is ALWAYS_OFF),
        ("parentbased_always_on", None, lambda s: s is DEFAULT_ON),
        ("parentbased_always_off", None, lambda s: s is DEFAULT_OFF),
        ("traceidratio", "0.25", lambda s: isinstance(s, TraceIdRatioBased) and s.rate == 0.25),
        ("traceidratio", None, lambda s: isinstance(s, TraceIdRatioBased) and s.rate == 1.0),
        ("traceidratio", "nope", lambda s: isinstance(s, TraceIdRatioBased) and s.rate == 1.0),
        ("traceidratio", "2", lambda s: isinstance(s, TraceIdRatioBased) and s.rate == 1.0),
        (
            "parentbased_traceidratio",
            "0.5",
            lambda s: isinstance(s, ParentBasedTraceIdRatio) and s.rate == 0.5,
        ),
        ("ALWAYS_OFF", None, lambda s: s is ALWAYS_OFF),
        ("made_up", None, lambda s: s is DEFAULT_ON),
    ],
)
def test_sampler_from_environment(
    monkeypatch: pytest.MonkeyPatch, env: str | None, arg: str | None, check
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("OTEL_TRACES_SAMPLER", raising=False)
    monkeypatch.delenv("OTEL_TRACES_SAMPLER_ARG", raising=False)
    if env is not None:
        monkeypatch.setenv("OTEL_TRACES_SAMPLER", env)
    if arg is not None:
        monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", arg)
    assert check(_get_from_env_or_default())


def test_provider_reads_sampler_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    provider = TracerProvider(shutdown_on_exit=False)
    assert provider.sampler is ALWAYS_OFF
    assert not provider.get_tracer("t").start_span("s").is_recording()


# --- the tracer applies the decisions -------------------------------------------------


def _tracer(sampler: Sampler) -> trace.Tracer:
    return TracerProvider(sampler=sampler, shutdown_on_exit=False).get_tracer("t")


def test_tracer_drop_gives_non_recording_span_with_valid_context() -> None:
    span = _tracer(ALWAYS_OFF).start_span("s")
    assert not span.is_recording()
    assert span.get_span_context().is_valid
    assert not span.get_span_context().trace_flags.sampled


def test_tracer_record_only_records_but_is_not_sampled() -> None:
    span = _tracer(StaticSampler(Decision.RECORD_ONLY)).start_span("s")
    assert span.is_recording()
    assert not span.get_span_context().trace_flags.sampled


def test_default_fast_path_follows_the_parent() -> None:
    tracer = _tracer(DEFAULT_ON)
    for remote in (True, False):
        for sampled in (True, False):
            span = tracer.start_span("s", context=parent(remote, sampled))
            assert span.is_recording() is sampled
            assert span.get_span_context().trace_flags.sampled is sampled
            assert span.get_span_context().trace_id == 0x1234
            assert span.get_span_context().trace_state == STATE


def test_tracer_uses_sampler_attributes_and_trace_state() -> None:
    class Tagging(Sampler):
        def should_sample(
            self,
            parent_context,
            trace_id,
            name,
            kind=None,
            attributes=None,
            links=None,
            trace_state=None,
        ):  # type: ignore[no-untyped-def]
            return SamplingResult(
                Decision.RECORD_AND_SAMPLE, {"sampler": "yes"}, TraceState([("k", "v")])
            )

        def get_description(self) -> str:
            return "Tagging"

    span = _tracer(Tagging()).start_span("s", attributes={"user": 1})
    assert dict(span.attributes) == {"user": 1, "sampler": "yes"}  # type: ignore[attr-defined]
    assert span.get_span_context().trace_state == TraceState([("k", "v")])


def test_failing_sampler_drops_span_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(Sampler):
        def should_sample(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("bug")

        def get_description(self) -> str:
            return "Broken"

    with caplog.at_level(logging.ERROR):
        span = _tracer(Broken()).start_span("s")
    assert not span.is_recording()
    assert "Sampler" in caplog.text
