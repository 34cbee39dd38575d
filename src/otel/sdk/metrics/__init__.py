"""The metrics SDK: MeterProvider, instruments, exemplars (official 1.x names).

Views and aggregations are in ``otel.sdk.metrics.view``; readers, exporters and the data
model in ``otel.sdk.metrics.export``.
"""

from otel._lazy import lazy_exports

TYPE_CHECKING = False
if TYPE_CHECKING:
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

# Each name is imported from its module on first use (importing a submodule such as
# ``otel.sdk.metrics.export`` does not load the rest of the package).
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "AlignedHistogramBucketExemplarReservoir": "otel.sdk.metrics._exemplar",
        "AlwaysOffExemplarFilter": "otel.sdk.metrics._exemplar",
        "AlwaysOnExemplarFilter": "otel.sdk.metrics._exemplar",
        "ExemplarFilter": "otel.sdk.metrics._exemplar",
        "ExemplarReservoir": "otel.sdk.metrics._exemplar",
        "SimpleFixedSizeExemplarReservoir": "otel.sdk.metrics._exemplar",
        "TraceBasedExemplarFilter": "otel.sdk.metrics._exemplar",
        "Counter": "otel.sdk.metrics._instrument",
        "Gauge": "otel.sdk.metrics._instrument",
        "Histogram": "otel.sdk.metrics._instrument",
        "ObservableCounter": "otel.sdk.metrics._instrument",
        "ObservableGauge": "otel.sdk.metrics._instrument",
        "ObservableUpDownCounter": "otel.sdk.metrics._instrument",
        "UpDownCounter": "otel.sdk.metrics._instrument",
        "_Gauge": "otel.sdk.metrics._instrument",
        "Exemplar": "otel.sdk.metrics._point",
        "Meter": "otel.sdk.metrics._provider",
        "MeterProvider": "otel.sdk.metrics._provider",
        "MetricsTimeoutError": "otel.sdk.metrics._provider",
    },
)
