"""The metrics data model handed to exporters, shaped like OTLP's ``metrics.proto``.

Plain slotted dataclasses: readers build them once per collection, exporters only read
them. Field names follow the official Python SDK so encoders written for it fit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, TypeAlias

from otel.attributes import AttributeValue

if TYPE_CHECKING:
    from otel.sdk.resources import Resource
    from otel.sdk.util.instrumentation import InstrumentationScope

_Attrs: TypeAlias = Mapping[str, AttributeValue]


class AggregationTemporality(IntEnum):
    """How successive data points of a stream relate (OTLP ``AggregationTemporality``)."""

    UNSPECIFIED = 0
    DELTA = 1
    CUMULATIVE = 2


class _ToJson:
    """``to_json(indent=4)``: the object as JSON text (for consoles and debugging)."""

    __slots__ = ()

    def _to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self, indent: int | None = 4) -> str:
        """This object as a JSON document; ``indent=None`` gives one line."""
        return json.dumps(self._to_dict(), indent=indent, default=str)


@dataclass(slots=True)
class Exemplar:
    """One sampled measurement, with the attributes the view filtered out and its span."""

    filtered_attributes: _Attrs | None
    value: int | float
    time_unix_nano: int
    span_id: int | None = None
    trace_id: int | None = None

    def _to_dict(self) -> dict[str, Any]:
        return {
            "filtered_attributes": _attrs_json(self.filtered_attributes),
            "value": self.value,
            "time_unix_nano": self.time_unix_nano,
            "span_id": None if self.span_id is None else format(self.span_id, "016x"),
            "trace_id": None if self.trace_id is None else format(self.trace_id, "032x"),
        }


@dataclass(slots=True)
class NumberDataPoint(_ToJson):
    """A Sum or Gauge point."""

    attributes: _Attrs
    start_time_unix_nano: int
    time_unix_nano: int
    value: int | float
    exemplars: Sequence[Exemplar] = field(default_factory=list)

    def _to_dict(self) -> dict[str, Any]:
        return {
            "attributes": _attrs_json(self.attributes),
            "start_time_unix_nano": self.start_time_unix_nano,
            "time_unix_nano": self.time_unix_nano,
            "value": self.value,
            "exemplars": [e._to_dict() for e in self.exemplars],
        }


@dataclass(slots=True)
class HistogramDataPoint(_ToJson):
    """An explicit-bucket histogram point; ``len(bucket_counts) == len(explicit_bounds) + 1``."""

    attributes: _Attrs
    start_time_unix_nano: int
    time_unix_nano: int
    count: int
    sum: int | float
    bucket_counts: Sequence[int]
    explicit_bounds: Sequence[float]
    min: int | float | None
    max: int | float | None
    exemplars: Sequence[Exemplar] = field(default_factory=list)

    def _to_dict(self) -> dict[str, Any]:
        return {
            "attributes": _attrs_json(self.attributes),
            "start_time_unix_nano": self.start_time_unix_nano,
            "time_unix_nano": self.time_unix_nano,
            "count": self.count,
            "sum": self.sum,
            "bucket_counts": list(self.bucket_counts),
            "explicit_bounds": list(self.explicit_bounds),
            "min": self.min,
            "max": self.max,
            "exemplars": [e._to_dict() for e in self.exemplars],
        }


@dataclass(slots=True)
class Buckets:
    """One side of an exponential histogram: ``bucket_counts[i]`` is bucket ``offset + i``."""

    offset: int
    bucket_counts: Sequence[int]

    def _to_dict(self) -> dict[str, Any]:
        return {"offset": self.offset, "bucket_counts": list(self.bucket_counts)}


@dataclass(slots=True)
class ExponentialHistogramDataPoint(_ToJson):
    """A base-2 exponential histogram point (bucket index i covers (base**i, base**(i+1)])."""

    attributes: _Attrs
    start_time_unix_nano: int
    time_unix_nano: int
    count: int
    sum: int | float
    scale: int
    zero_count: int
    positive: Buckets
    negative: Buckets
    flags: int
    min: int | float | None
    max: int | float | None
    exemplars: Sequence[Exemplar] = field(default_factory=list)
    zero_threshold: float = 0.0

    def _to_dict(self) -> dict[str, Any]:
        return {
            "attributes": _attrs_json(self.attributes),
            "start_time_unix_nano": self.start_time_unix_nano,
            "time_unix_nano": self.time_unix_nano,
            "count": self.count,
            "sum": self.sum,
            "scale": self.scale,
            "zero_count": self.zero_count,
            "positive": self.positive._to_dict(),
            "negative": self.negative._to_dict(),
            "flags": self.flags,
            "min": self.min,
            "max": self.max,
            "exemplars": [e._to_dict() for e in self.exemplars],
            "zero_threshold": self.zero_threshold,
        }


def _temporal_points_dict(data: Sum | Histogram | ExponentialHistogram) -> dict[str, Any]:
    """The JSON form of the fields every data kind with a temporality has."""
    return {
        "data_points": [p._to_dict() for p in data.data_points],
        "aggregation_temporality": int(data.aggregation_temporality),
    }


@dataclass(slots=True)
class Sum(_ToJson):
    """A sum of measurements: monotonic (counters) or not (up-down counters)."""

    data_points: Sequence[NumberDataPoint]
    aggregation_temporality: AggregationTemporality
    is_monotonic: bool

    def _to_dict(self) -> dict[str, Any]:
        return {**_temporal_points_dict(self), "is_monotonic": self.is_monotonic}


@dataclass(slots=True)
class Gauge(_ToJson):
    """Last observed values; gauges have no temporality."""

    data_points: Sequence[NumberDataPoint]

    def _to_dict(self) -> dict[str, Any]:
        return {"data_points": [p._to_dict() for p in self.data_points]}


@dataclass(slots=True)
class Histogram(_ToJson):
    """Explicit-bucket histogram points."""

    data_points: Sequence[HistogramDataPoint]
    aggregation_temporality: AggregationTemporality

    _to_dict = _temporal_points_dict


@dataclass(slots=True)
class ExponentialHistogram(_ToJson):
    """Base-2 exponential histogram points."""

    data_points: Sequence[ExponentialHistogramDataPoint]
    aggregation_temporality: AggregationTemporality

    _to_dict = _temporal_points_dict


DataT: TypeAlias = Sum | Gauge | Histogram | ExponentialHistogram
DataPointT: TypeAlias = NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint


@dataclass(slots=True)
class Metric(_ToJson):
    """One metric stream's points, named as the view (or the instrument) says."""

    name: str
    description: str | None
    unit: str | None
    data: DataT

    def _to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description or "",
            "unit": self.unit or "",
            "data": self.data._to_dict(),
        }


@dataclass(slots=True)
class ScopeMetrics(_ToJson):
    """The metrics one meter (instrumentation scope) produced."""

    scope: InstrumentationScope
    metrics: Sequence[Metric]
    schema_url: str = ""

    def _to_dict(self) -> dict[str, Any]:
        scope = self.scope
        return {
            "scope": {
                "name": scope.name,
                "version": scope.version or "",
                "schema_url": scope.schema_url or "",
                "attributes": _attrs_json(scope.attributes),
            },
            "metrics": [m._to_dict() for m in self.metrics],
            "schema_url": self.schema_url or "",
        }


@dataclass(slots=True)
class ResourceMetrics(_ToJson):
    """Everything one MeterProvider (one resource) produced in a collection."""

    resource: Resource
    scope_metrics: Sequence[ScopeMetrics]
    schema_url: str = ""

    def _to_dict(self) -> dict[str, Any]:
        resource = self.resource
        return {
            "resource": {
                "attributes": _attrs_json(getattr(resource, "attributes", None)),
                "schema_url": getattr(resource, "schema_url", "") or "",
            },
            "scope_metrics": [s._to_dict() for s in self.scope_metrics],
            "schema_url": self.schema_url or "",
        }


@dataclass(slots=True)
class MetricsData(_ToJson):
    """The result of one collection: what ``MetricExporter.export`` receives."""

    resource_metrics: Sequence[ResourceMetrics]

    def _to_dict(self) -> dict[str, Any]:
        return {"resource_metrics": [r._to_dict() for r in self.resource_metrics]}


def _attrs_json(attributes: Mapping[str, object] | None) -> dict[str, object]:
    if not attributes:
        return {}
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in attributes.items()}
