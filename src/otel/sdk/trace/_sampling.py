"""Samplers: decide at span start whether a span records and whether it is sampled.

The default, ``ParentBased(ALWAYS_ON)``, is recognised by the tracer and decided without
calling ``should_sample`` (same decisions, no allocation); every other sampler, including
subclasses and user samplers, goes through ``should_sample``.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping, Sequence

from otel._log import get_logger
from otel.attributes import AttributeValue
from otel.context import Context
from otel.sdk.config import env_float, env_str
from otel.trace import Link, SpanKind, TraceState, get_current_span

_logger = get_logger("otel.sdk.trace.sampling")

OTEL_TRACES_SAMPLER = "OTEL_TRACES_SAMPLER"
OTEL_TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG"


class Decision(enum.Enum):
    """DROP: not recorded; RECORD_ONLY: recorded, not sampled; RECORD_AND_SAMPLE: both."""

    DROP = 0
    RECORD_ONLY = 1
    RECORD_AND_SAMPLE = 2

    def is_recording(self) -> bool:
        return self in (Decision.RECORD_ONLY, Decision.RECORD_AND_SAMPLE)

    def is_sampled(self) -> bool:
        return self is Decision.RECORD_AND_SAMPLE


class SamplingResult:
    """A sampler's answer: the decision, attributes to add, and the trace state to use."""

    __slots__ = ("attributes", "decision", "trace_state")

    def __init__(
        self,
        decision: Decision,
        attributes: Mapping[str, AttributeValue] | None = None,
        trace_state: TraceState | None = None,
    ) -> None:
        self.decision = decision
        self.attributes: Mapping[str, AttributeValue] = (
            dict(attributes) if attributes is not None else {}
        )
        self.trace_state = trace_state

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.decision}, attributes={dict(self.attributes)})"


def _parent_trace_state(parent_context: Context | None) -> TraceState | None:
    span_context = get_current_span(parent_context).get_span_context()
    if not span_context.is_valid:
        return None
    return span_context.trace_state


class Sampler(abc.ABC):
    """Interface of every sampler."""

    @abc.abstractmethod
    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        """Decide for a new span (``parent_context`` None means the current context)."""

    @abc.abstractmethod
    def get_description(self) -> str:
        """A short name with parameters, e.g. ``TraceIdRatioBased{0.5}``."""

    def __repr__(self) -> str:
        return self.get_description()


class StaticSampler(Sampler):
    """Always the same decision."""

    def __init__(self, decision: Decision) -> None:
        self._decision = decision

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if self._decision is Decision.DROP:
            attributes = None
        return SamplingResult(self._decision, attributes, _parent_trace_state(parent_context))

    def get_description(self) -> str:
        if self._decision is Decision.DROP:
            return "AlwaysOffSampler"
        return "AlwaysOnSampler"


ALWAYS_OFF = StaticSampler(Decision.DROP)
"""Never records."""

ALWAYS_ON = StaticSampler(Decision.RECORD_AND_SAMPLE)
"""Records and samples everything."""


class TraceIdRatioBased(Sampler):
    """Samples a fraction ``rate`` of traces, decided from the trace id's low 64 bits.

    The decision depends only on the trace id, so every service using the same rate
    makes the same decision for a trace.
    """

    TRACE_ID_LIMIT = (1 << 64) - 1

    def __init__(self, rate: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("Probability must be in range [0.0, 1.0].")
        self._rate = rate
        self._bound = self.get_bound_for_rate(rate)

    @classmethod
    def get_bound_for_rate(cls, rate: float) -> int:
        return round(rate * (cls.TRACE_ID_LIMIT + 1))

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def bound(self) -> int:
        return self._bound

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        decision = Decision.DROP
        if trace_id & self.TRACE_ID_LIMIT < self._bound:
            decision = Decision.RECORD_AND_SAMPLE
        if decision is Decision.DROP:
            attributes = None
        return SamplingResult(decision, attributes, _parent_trace_state(parent_context))

    def get_description(self) -> str:
        return f"TraceIdRatioBased{{{self._rate}}}"


class ParentBased(Sampler):
    """Follow the parent's sampled flag; ``root`` decides for spans without a parent.

    The four delegates cover remote/local parents that are sampled/not sampled.
    """

    def __init__(
        self,
        root: Sampler,
        remote_parent_sampled: Sampler = ALWAYS_ON,
        remote_parent_not_sampled: Sampler = ALWAYS_OFF,
        local_parent_sampled: Sampler = ALWAYS_ON,
        local_parent_not_sampled: Sampler = ALWAYS_OFF,
    ) -> None:
        self._root = root
        self._remote_parent_sampled = remote_parent_sampled
        self._remote_parent_not_sampled = remote_parent_not_sampled
        self._local_parent_sampled = local_parent_sampled
        self._local_parent_not_sampled = local_parent_not_sampled

    def _delegate(self, parent_context: Context | None) -> Sampler:
        span_context = get_current_span(parent_context).get_span_context()
        if not span_context.is_valid:
            return self._root
        if span_context.is_remote:
            if span_context.trace_flags.sampled:
                return self._remote_parent_sampled
            return self._remote_parent_not_sampled
        if span_context.trace_flags.sampled:
            return self._local_parent_sampled
        return self._local_parent_not_sampled

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        return self._delegate(parent_context).should_sample(
            parent_context, trace_id, name, kind, attributes, links
        )

    def get_description(self) -> str:
        return (
            f"ParentBased{{root:{self._root.get_description()},"
            f"remoteParentSampled:{self._remote_parent_sampled.get_description()},"
            f"remoteParentNotSampled:{self._remote_parent_not_sampled.get_description()},"
            f"localParentSampled:{self._local_parent_sampled.get_description()},"
            f"localParentNotSampled:{self._local_parent_not_sampled.get_description()}}}"
        )

    def _is_default_on(self) -> bool:
        """Exactly the spec default (root ALWAYS_ON, default delegates): tracer fast path."""
        return (
            type(self) is ParentBased
            and self._root is ALWAYS_ON
            and self._remote_parent_sampled is ALWAYS_ON
            and self._remote_parent_not_sampled is ALWAYS_OFF
            and self._local_parent_sampled is ALWAYS_ON
            and self._local_parent_not_sampled is ALWAYS_OFF
        )


DEFAULT_OFF = ParentBased(ALWAYS_OFF)
"""Sample a span when its parent is sampled; never sample root spans."""

DEFAULT_ON = ParentBased(ALWAYS_ON)
"""Sample a span when its parent is sampled, and every root span (the SDK default)."""


class AlwaysRecordSampler(Sampler):
    """Wraps ``root`` so that every span is recorded: a DROP becomes RECORD_ONLY.

    Sampled spans stay as ``root`` decided; spans ``root`` drops are still recorded (seen
    by span processors, e.g. for span-derived metrics) but not sampled, so not exported.
    """

    def __init__(self, root: Sampler) -> None:
        self._root = root

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        result = self._root.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )
        if result.decision is Decision.DROP:
            return SamplingResult(Decision.RECORD_ONLY, result.attributes, result.trace_state)
        return result

    def get_description(self) -> str:
        return f"AlwaysRecordSampler{{{self._root.get_description()}}}"


class ParentBasedTraceIdRatio(ParentBased):
    """``ParentBased`` with a ``TraceIdRatioBased(rate)`` root."""

    def __init__(self, rate: float) -> None:
        super().__init__(TraceIdRatioBased(rate))
        self._rate = rate

    @property
    def rate(self) -> float:
        return self._rate


_KNOWN_SAMPLERS = {
    "always_on": lambda _rate: ALWAYS_ON,
    "always_off": lambda _rate: ALWAYS_OFF,
    "parentbased_always_on": lambda _rate: DEFAULT_ON,
    "parentbased_always_off": lambda _rate: DEFAULT_OFF,
    "traceidratio": TraceIdRatioBased,
    "parentbased_traceidratio": ParentBasedTraceIdRatio,
}


def _get_from_env_or_default() -> Sampler:
    """The sampler named by OTEL_TRACES_SAMPLER (+ _ARG), else ``ParentBased(ALWAYS_ON)``.

    An unknown name or an invalid ratio is logged and replaced by the default
    (respectively a ratio of 1.0).
    """
    name = (env_str(OTEL_TRACES_SAMPLER) or "parentbased_always_on").lower()
    factory = _KNOWN_SAMPLERS.get(name)
    if factory is None:
        _logger.warning(
            "Unknown sampler %r in %s; using parentbased_always_on", name, OTEL_TRACES_SAMPLER
        )
        return DEFAULT_ON
    rate = 1.0
    if name.endswith("traceidratio"):
        rate = env_float(OTEL_TRACES_SAMPLER_ARG, 1.0)
        if not 0.0 <= rate <= 1.0:
            _logger.warning("%s=%s is outside [0, 1]; using 1.0", OTEL_TRACES_SAMPLER_ARG, rate)
            rate = 1.0
    return factory(rate)
