"""``MetricsData`` (the SDK's public data model) into an :class:`Exposition`.

Per the OpenTelemetry Prometheus compatibility specification: monotonic cumulative sums are
counters, other cumulative sums and gauges are gauges, explicit and exponential histograms
are histograms (exponential ones become classic buckets at encode time), the resource is
``target_info``, every series carries ``otel_scope_name``/``otel_scope_version``. Delta
data (the Prometheus reader always asks for cumulative) cannot be expressed and is dropped
with a warning logged once per metric.

A ``Translator`` belongs to one reader and caches label texts per attribute set; it is not
thread-safe (the reader translates under its own lock).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from otel.exporter.prometheus._model import Exposition, Family, warn_once
from otel.exporter.prometheus._names import (
    escape_label_value,
    family_name,
    format_float,
    label_value,
    prometheus_unit,
    render_labels,
)
from otel.sdk.metrics.export import (
    AggregationTemporality,
    Exemplar,
    ExponentialHistogram,
    Gauge,
    Histogram,
    Metric,
    MetricsData,
    Sum,
)

_CUMULATIVE = AggregationTemporality.CUMULATIVE
_RESERVED = frozenset({"le", "quantile", "otel_scope_name", "otel_scope_version"})
_EXEMPLAR_LABEL_CHARS = 128  # OpenMetrics: the exemplar's label names and values together
_LABEL_CACHE_MAX = 100_000
TARGET_INFO_HELP = "Target metadata"


def exemplar_text(exemplar: Exemplar) -> str:
    """The OpenMetrics exemplar after ``# ``: ``{trace_id="..",span_id=".."} value time``.

    ``filtered_attributes`` join the labels only while all of them fit the 128-character
    limit of OpenMetrics; otherwise only the ids are kept.
    """
    pairs: list[tuple[str, str]] = []
    if exemplar.trace_id:
        pairs.append(("trace_id", format(exemplar.trace_id, "032x")))
    if exemplar.span_id:
        pairs.append(("span_id", format(exemplar.span_id, "016x")))
    extra = exemplar.filtered_attributes
    if extra:
        more = [(k, label_value(v)) for k, v in extra.items()]
        size = sum(len(k) + len(v) for k, v in pairs + more)
        if size <= _EXEMPLAR_LABEL_CHARS:
            seen = {k for k, _ in pairs}
            pairs.extend((k, v) for k, v in more if k not in seen and k.isidentifier())
    labels = ",".join(f'{k}="{escape_label_value(v)}"' for k, v in pairs)
    seconds = format_float(exemplar.time_unix_nano / 1e9)
    return f"{{{labels}}} {_number(exemplar.value)} {seconds}"


def _number(value: int | float) -> str:
    return str(value) if type(value) is int else format_float(float(value))


def _created(start_time_unix_nano: int) -> float | None:
    return start_time_unix_nano / 1e9 if start_time_unix_nano else None


class Translator:
    """Turns one reader's collections into exposition families (see module doc)."""

    def __init__(
        self,
        *,
        prefix: str = "",
        scope_labels: bool = True,
        target_info: bool = True,
        resource_attribute_filter: Callable[[str], bool] | None = None,
        reserved: frozenset[str] = _RESERVED,
    ) -> None:
        self._prefix = prefix
        self._scope_labels = scope_labels
        self._target_info = target_info
        self._resource_filter = resource_attribute_filter
        self._reserved = reserved
        self._renamed: dict[str, str] = {}
        self._labels: dict[Any, str] = {}
        self._names: dict[tuple[str, str | None, str], tuple[str, str]] = {}

    # --- labels --------------------------------------------------------------------------

    def labels(self, attributes: Mapping[str, Any]) -> str:
        """The sorted, sanitized, escaped label text of an attribute set (cached)."""
        if not attributes:
            return ""
        try:
            key: Any = tuple(attributes.items())
            text = self._labels.get(key)
        except TypeError:  # an unhashable value: render without the cache
            key, text = None, None
        if text is not None:
            return text
        text, collided = render_labels(attributes, self._renamed, self._reserved)
        if collided:
            warn_once(
                ("collide", tuple(collided)),
                "Prometheus: attributes %s map to the same label name; their values are "
                "joined with ';'",
                collided,
            )
        if key is not None:
            if len(self._labels) >= _LABEL_CACHE_MAX:
                self._labels.clear()
            self._labels[key] = text
        return text

    def _name(self, metric: Metric, kind: str, is_gauge: bool) -> tuple[str, str]:
        key = (metric.name, metric.unit, kind)
        found = self._names.get(key)
        if found is None:
            unit = prometheus_unit(metric.unit, is_gauge=is_gauge)
            name = family_name(metric.name, unit, counter=kind == "counter", prefix=self._prefix)
            found = self._names[key] = (name, unit)
        return found

    # --- translation ---------------------------------------------------------------------

    def translate(self, metrics_data: MetricsData, out: Exposition) -> None:
        """Add the families of ``metrics_data`` to ``out``."""
        for resource_metrics in metrics_data.resource_metrics:
            resource_attrs = getattr(resource_metrics.resource, "attributes", None) or {}
            if self._target_info and resource_attrs:
                family = out.family("target", "info", TARGET_INFO_HELP, "")
                if family is not None:
                    out.add(family, self.labels(resource_attrs), [1])
            chosen: dict[str, Any] = {}
            if self._resource_filter is not None:
                keep = self._resource_filter
                chosen = {k: v for k, v in resource_attrs.items() if keep(k)}
            for scope_metrics in resource_metrics.scope_metrics:
                scope = scope_metrics.scope
                scope_text = ""
                if self._scope_labels:
                    scope_text = (
                        f'otel_scope_name="{escape_label_value(scope.name or "")}",'
                        f'otel_scope_version="{escape_label_value(scope.version or "")}"'
                    )
                for metric in scope_metrics.metrics:
                    self._metric(metric, scope_text, chosen, out)

    def _metric(
        self, metric: Metric, scope_text: str, chosen: dict[str, Any], out: Exposition
    ) -> None:
        data = metric.data
        if isinstance(data, Gauge):
            kind, is_gauge = "gauge", True
        elif isinstance(data, Sum):
            kind, is_gauge = ("counter" if data.is_monotonic else "updown"), False
        elif isinstance(data, (Histogram, ExponentialHistogram)):
            kind, is_gauge = "histogram", False
        else:
            warn_once(
                ("kind", metric.name),
                "Prometheus: metric %r has data of type %s, which has no Prometheus form; "
                "it is not exposed",
                metric.name,
                type(data).__name__,
            )
            return
        temporality = getattr(data, "aggregation_temporality", _CUMULATIVE)
        if temporality != _CUMULATIVE:
            warn_once(
                ("delta", metric.name),
                "Prometheus: metric %r has delta temporality, which Prometheus cannot "
                "express; it is not exposed (the Prometheus reader asks for cumulative)",
                metric.name,
            )
            return
        name, unit = self._name(metric, kind, is_gauge)
        family = out.family(name, kind, metric.description or metric.name, unit)
        if family is None:
            return
        labels = self.labels
        add = out.add
        for point in data.data_points:
            attributes = point.attributes
            if chosen:
                attributes = {**chosen, **attributes}
            key = labels(attributes)
            if scope_text:
                key = f"{key},{scope_text}" if key else scope_text
            add(family, key, _series(family, point))


def _series(family: Family, point: Any) -> list[Any]:
    kind = family.kind
    if kind in ("gauge", "updown"):
        return [point.value]
    exemplars = point.exemplars
    if kind == "counter":
        text = None
        if exemplars:
            text = exemplar_text(max(exemplars, key=lambda e: e.time_unix_nano))
        return [point.value, _created(point.start_time_unix_nano), text]
    rendered = [[e.value, exemplar_text(e)] for e in exemplars] if exemplars else []
    low = point.min
    if hasattr(point, "explicit_bounds"):
        bounds = list(point.explicit_bounds)
        negative = (low is not None and low < 0) or (bool(bounds) and bounds[0] < 0)
        return [
            "h",
            bounds,
            list(point.bucket_counts),
            point.sum,
            point.count,
            _created(point.start_time_unix_nano),
            negative,
            rendered,
        ]
    negative_counts = list(point.negative.bucket_counts)
    return [
        "e",
        point.scale,
        point.zero_count,
        point.zero_threshold,
        point.positive.offset,
        list(point.positive.bucket_counts),
        point.negative.offset,
        negative_counts,
        point.sum,
        point.count,
        _created(point.start_time_unix_nano),
        (low is not None and low < 0) or bool(negative_counts),
        rendered,
    ]
