"""The metrics SDK: MeterProvider, instruments, exemplars (official 1.x names).

Views and aggregations are in ``otel.sdk.metrics.view``; readers, exporters and the data
model in ``otel.sdk.metrics.export``.
"""

from otel.sdk.metrics._exemplar import (
    AlignedHistogramBucketExemplarReservoir,
    AlwaysOffExemplarFilter,
    AlwaysOnExemplarFilter,
    ExemplarFilter,
    ExemplarReservoir,
    SimpleFixedSizeExemplarReservoir,
    TraceBasedExemplarFilter,
)
from otel.sdk.metrics._instrument import (
    Counter,
    Gauge,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
    _Gauge,
)
from otel.sdk.metrics._point import Exemplar
from otel.sdk.metrics._provider import Meter, MeterProvider, MetricsTimeoutError

__all__ = [
    "AlignedHistogramBucketExemplarReservoir",
    "AlwaysOffExemplarFilter",
    "AlwaysOnExemplarFilter",
    "Counter",
    "Exemplar",
    "ExemplarFilter",
    "ExemplarReservoir",
    "Gauge",
    "Histogram",
    "Meter",
    "MeterProvider",
    "MetricsTimeoutError",
    "ObservableCounter",
    "ObservableGauge",
    "ObservableUpDownCounter",
    "SimpleFixedSizeExemplarReservoir",
    "TraceBasedExemplarFilter",
    "UpDownCounter",
    "_Gauge",
]
