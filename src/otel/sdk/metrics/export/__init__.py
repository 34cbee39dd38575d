"""Metric readers, exporters and the data model they exchange (official 1.x names)."""

from otel.sdk.metrics._point import (
    AggregationTemporality,
    Buckets,
    DataPointT,
    DataT,
    Exemplar,
    ExponentialHistogram,
    ExponentialHistogramDataPoint,
    Gauge,
    Histogram,
    HistogramDataPoint,
    Metric,
    MetricsData,
    NumberDataPoint,
    ResourceMetrics,
    ScopeMetrics,
    Sum,
)

__all__ = [
    "AggregationTemporality",
    "Buckets",
    "DataPointT",
    "DataT",
    "Exemplar",
    "ExponentialHistogram",
    "ExponentialHistogramDataPoint",
    "Gauge",
    "Histogram",
    "HistogramDataPoint",
    "Metric",
    "MetricsData",
    "NumberDataPoint",
    "ResourceMetrics",
    "ScopeMetrics",
    "Sum",
]
