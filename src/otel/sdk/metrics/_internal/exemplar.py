"""Exemplar filters and reservoirs under the official private path."""

from otel.sdk.metrics._exemplar import (
    AlignedHistogramBucketExemplarReservoir,
    AlwaysOffExemplarFilter,
    AlwaysOnExemplarFilter,
    ExemplarFilter,
    ExemplarReservoir,
    SimpleFixedSizeExemplarReservoir,
    TraceBasedExemplarFilter,
)
from otel.sdk.metrics._point import Exemplar
from otel.sdk.metrics._view import ExemplarReservoirBuilder, ExemplarReservoirFactory

__all__ = [
    "AlignedHistogramBucketExemplarReservoir",
    "AlwaysOffExemplarFilter",
    "AlwaysOnExemplarFilter",
    "Exemplar",
    "ExemplarFilter",
    "ExemplarReservoir",
    "ExemplarReservoirBuilder",
    "ExemplarReservoirFactory",
    "SimpleFixedSizeExemplarReservoir",
    "TraceBasedExemplarFilter",
]
