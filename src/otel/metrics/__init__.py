"""The OpenTelemetry metrics API (official 1.x names): meters, instruments, the global provider.

Without an SDK every instrument is a no-op. Meters obtained before
``set_meter_provider`` are proxies that start recording once an SDK provider is set.
"""

from otel.metrics._instruments import (
    Asynchronous,
    CallbackOptions,
    CallbackT,
    Counter,
    Gauge,
    Histogram,
    Instrument,
    NoOpCounter,
    NoOpGauge,
    NoOpHistogram,
    NoOpObservableCounter,
    NoOpObservableGauge,
    NoOpObservableUpDownCounter,
    NoOpUpDownCounter,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    Observation,
    Synchronous,
    UpDownCounter,
    _Gauge,
)
from otel.metrics._meter import (
    Meter,
    MeterProvider,
    NoOpMeter,
    NoOpMeterProvider,
    get_meter,
    get_meter_provider,
    set_meter_provider,
)

__all__ = [
    "Asynchronous",
    "CallbackOptions",
    "CallbackT",
    "Counter",
    "Gauge",
    "Histogram",
    "Instrument",
    "Meter",
    "MeterProvider",
    "NoOpCounter",
    "NoOpGauge",
    "NoOpHistogram",
    "NoOpMeter",
    "NoOpMeterProvider",
    "NoOpObservableCounter",
    "NoOpObservableGauge",
    "NoOpObservableUpDownCounter",
    "NoOpUpDownCounter",
    "ObservableCounter",
    "ObservableGauge",
    "ObservableUpDownCounter",
    "Observation",
    "Synchronous",
    "UpDownCounter",
    "_Gauge",
    "get_meter",
    "get_meter_provider",
    "set_meter_provider",
]
