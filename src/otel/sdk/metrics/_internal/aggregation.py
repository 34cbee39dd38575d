"""Aggregations under the official private names (``_SumAggregation`` ...).

Each underscored name is otel's public aggregation class itself, so a reservoir factory
that tests ``issubclass(aggregation_type, _ExplicitBucketHistogramAggregation)`` sees the
type otel passes it (the aggregation the view resolved for the instrument).
"""

from otel.sdk.metrics._view import (
    Aggregation,
    DefaultAggregation,
    DropAggregation,
    ExplicitBucketHistogramAggregation,
    ExponentialBucketHistogramAggregation,
    LastValueAggregation,
    SumAggregation,
)

_Aggregation = Aggregation
_DropAggregation = DropAggregation
_SumAggregation = SumAggregation
_LastValueAggregation = LastValueAggregation
_ExplicitBucketHistogramAggregation = ExplicitBucketHistogramAggregation
_ExponentialBucketHistogramAggregation = ExponentialBucketHistogramAggregation

__all__ = [
    "Aggregation",
    "DefaultAggregation",
    "DropAggregation",
    "ExplicitBucketHistogramAggregation",
    "ExponentialBucketHistogramAggregation",
    "LastValueAggregation",
    "SumAggregation",
    "_Aggregation",
    "_DropAggregation",
    "_ExplicitBucketHistogramAggregation",
    "_ExponentialBucketHistogramAggregation",
    "_LastValueAggregation",
    "_SumAggregation",
]
