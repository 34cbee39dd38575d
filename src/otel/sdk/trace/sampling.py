"""Samplers (official ``opentelemetry.sdk.trace.sampling`` names).

``OTEL_TRACES_SAMPLER`` picks the provider's default: always_on, always_off, traceidratio,
parentbased_always_on (the default), parentbased_always_off, parentbased_traceidratio;
``OTEL_TRACES_SAMPLER_ARG`` is the ratio for the ratio samplers (default 1.0).
"""

from otel.sdk.trace._sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    DEFAULT_OFF,
    DEFAULT_ON,
    OTEL_TRACES_SAMPLER,
    OTEL_TRACES_SAMPLER_ARG,
    AlwaysRecordSampler,
    Decision,
    ParentBased,
    ParentBasedTraceIdRatio,
    Sampler,
    SamplingResult,
    StaticSampler,
    TraceIdRatioBased,
    _get_from_env_or_default,
)

__all__ = [
    "ALWAYS_OFF",
    "ALWAYS_ON",
    "DEFAULT_OFF",
    "DEFAULT_ON",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "AlwaysRecordSampler",
    "Decision",
    "ParentBased",
    "ParentBasedTraceIdRatio",
    "Sampler",
    "SamplingResult",
    "StaticSampler",
    "TraceIdRatioBased",
    "_get_from_env_or_default",
]
