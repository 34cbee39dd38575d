"""Meter and MeterProvider interfaces, no-op forms, the proxy and the global provider."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence

from otel.attributes import Attributes
from otel.metrics._instruments import (
    CallbackT,
    Counter,
    Gauge,
    Histogram,
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
    UpDownCounter,
)

_logger = logging.getLogger("otel.metrics")


class Meter(ABC):
    """Creates instruments on behalf of one instrumentation scope."""

    def __init__(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> None:
        self._name = name
        self._version = version
        self._schema_url = schema_url
        self._attributes = attributes

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> str | None:
        return self._version

    @property
    def schema_url(self) -> str | None:
        return self._schema_url

    @abstractmethod
    def create_counter(self, name: str, unit: str = "", description: str = "") -> Counter:
        """A monotonic sum instrument."""

    @abstractmethod
    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> UpDownCounter:
        """A sum instrument that may go down."""

    @abstractmethod
    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> Histogram:
        """A distribution instrument; the advisory bounds replace the default buckets."""

    def create_gauge(self, name: str, unit: str = "", description: str = "") -> Gauge:
        """A synchronous gauge instrument."""
        return NoOpGauge(name, unit, description)

    @abstractmethod
    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableCounter:
        """A monotonic sum reported by callbacks."""

    @abstractmethod
    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableUpDownCounter:
        """A sum reported by callbacks that may go down."""

    @abstractmethod
    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableGauge:
        """A value reported by callbacks."""


class MeterProvider(ABC):
    """Hands out meters; the SDK's MeterProvider is the one that records."""

    @abstractmethod
    def get_meter(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> Meter:
        """The meter for this instrumentation scope."""


class NoOpMeter(Meter):
    """A Meter whose instruments record nothing."""

    def create_counter(self, name: str, unit: str = "", description: str = "") -> Counter:
        return NoOpCounter(name, unit, description)

    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> UpDownCounter:
        return NoOpUpDownCounter(name, unit, description)

    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> Histogram:
        return NoOpHistogram(name, unit, description)

    def create_gauge(self, name: str, unit: str = "", description: str = "") -> Gauge:
        return NoOpGauge(name, unit, description)

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableCounter:
        return NoOpObservableCounter(name, callbacks, unit, description)

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableUpDownCounter:
        return NoOpObservableUpDownCounter(name, callbacks, unit, description)

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableGauge:
        return NoOpObservableGauge(name, callbacks, unit, description)


class NoOpMeterProvider(MeterProvider):
    """Hands out no-op meters."""

    def get_meter(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> Meter:
        return NoOpMeter(name, version, schema_url, attributes)


# --- proxy: meters and instruments created before set_meter_provider ----------------------


# The proxies below keep the measurement method in a slot of the same name: binding
# stores the real instrument's bound method there, so a bound proxy costs nothing extra.


class _ProxyCounter(Counter):
    __slots__ = ("_real", "add")

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._real: Counter = NoOpCounter(name, unit, description)
        self.add = self._real.add  # type: ignore[method-assign]

    def _bind(self, meter: Meter) -> None:
        self._real = meter.create_counter(self._name, self._unit, self._description)
        self.add = self._real.add  # type: ignore[method-assign]


class _ProxyUpDownCounter(UpDownCounter):
    __slots__ = ("_real", "add")

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._real: UpDownCounter = NoOpUpDownCounter(name, unit, description)
        self.add = self._real.add  # type: ignore[method-assign]

    def _bind(self, meter: Meter) -> None:
        self._real = meter.create_up_down_counter(self._name, self._unit, self._description)
        self.add = self._real.add  # type: ignore[method-assign]


class _ProxyHistogram(Histogram):
    __slots__ = ("_advisory", "_real", "record")

    def __init__(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> None:
        super().__init__(name, unit, description)
        self._advisory = explicit_bucket_boundaries_advisory
        self._real: Histogram = NoOpHistogram(name, unit, description)
        self.record = self._real.record  # type: ignore[method-assign]

    def _bind(self, meter: Meter) -> None:
        self._real = meter.create_histogram(
            self._name,
            self._unit,
            self._description,
            explicit_bucket_boundaries_advisory=self._advisory,
        )
        self.record = self._real.record  # type: ignore[method-assign]


class _ProxyGauge(Gauge):
    __slots__ = ("_real", "set")

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._real: Gauge = NoOpGauge(name, unit, description)
        self.set = self._real.set  # type: ignore[method-assign]

    def _bind(self, meter: Meter) -> None:
        self._real = meter.create_gauge(self._name, self._unit, self._description)
        self.set = self._real.set  # type: ignore[method-assign]


class _ProxyObservableCounter(ObservableCounter):
    __slots__ = ()

    def _bind(self, meter: Meter) -> None:
        meter.create_observable_counter(self._name, self._callbacks, self._unit, self._description)


class _ProxyObservableUpDownCounter(ObservableUpDownCounter):
    __slots__ = ()

    def _bind(self, meter: Meter) -> None:
        meter.create_observable_up_down_counter(
            self._name, self._callbacks, self._unit, self._description
        )


class _ProxyObservableGauge(ObservableGauge):
    __slots__ = ()

    def _bind(self, meter: Meter) -> None:
        meter.create_observable_gauge(self._name, self._callbacks, self._unit, self._description)


_Bindable = (
    _ProxyCounter
    | _ProxyUpDownCounter
    | _ProxyHistogram
    | _ProxyGauge
    | _ProxyObservableCounter
    | _ProxyObservableUpDownCounter
    | _ProxyObservableGauge
)


class _ProxyMeter(Meter):
    """A meter handed out before an SDK provider is set; binds to it once it is."""

    def __init__(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> None:
        super().__init__(name, version, schema_url, attributes)
        self._lock = threading.Lock()
        self._instruments: list[_Bindable] = []
        self._real: Meter | None = None

    def _bind(self, provider: MeterProvider) -> None:
        with self._lock:
            real = provider.get_meter(self._name, self._version, self._schema_url, self._attributes)
            self._real = real
            instruments, self._instruments = self._instruments, []
        for instrument in instruments:
            try:
                instrument._bind(real)
            except Exception:
                _logger.exception("Failed to bind instrument %s", instrument.name)

    def _add(self, instrument: _Bindable) -> None:
        with self._lock:
            real = self._real
            if real is None:
                self._instruments.append(instrument)
                return
        instrument._bind(real)

    def create_counter(self, name: str, unit: str = "", description: str = "") -> Counter:
        if self._real is not None:
            return self._real.create_counter(name, unit, description)
        proxy = _ProxyCounter(name, unit, description)  # type: ignore[abstract]
        self._add(proxy)
        return proxy

    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> UpDownCounter:
        if self._real is not None:
            return self._real.create_up_down_counter(name, unit, description)
        proxy = _ProxyUpDownCounter(name, unit, description)  # type: ignore[abstract]
        self._add(proxy)
        return proxy

    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> Histogram:
        if self._real is not None:
            return self._real.create_histogram(
                name,
                unit,
                description,
                explicit_bucket_boundaries_advisory=explicit_bucket_boundaries_advisory,
            )
        proxy = _ProxyHistogram(name, unit, description, explicit_bucket_boundaries_advisory)  # type: ignore[abstract]
        self._add(proxy)
        return proxy

    def create_gauge(self, name: str, unit: str = "", description: str = "") -> Gauge:
        if self._real is not None:
            return self._real.create_gauge(name, unit, description)
        proxy = _ProxyGauge(name, unit, description)  # type: ignore[abstract]
        self._add(proxy)
        return proxy

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableCounter:
        if self._real is not None:
            return self._real.create_observable_counter(name, callbacks, unit, description)
        proxy = _ProxyObservableCounter(name, callbacks, unit, description)
        self._add(proxy)
        return proxy

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableUpDownCounter:
        if self._real is not None:
            return self._real.create_observable_up_down_counter(name, callbacks, unit, description)
        proxy = _ProxyObservableUpDownCounter(name, callbacks, unit, description)
        self._add(proxy)
        return proxy

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableGauge:
        if self._real is not None:
            return self._real.create_observable_gauge(name, callbacks, unit, description)
        proxy = _ProxyObservableGauge(name, callbacks, unit, description)
        self._add(proxy)
        return proxy


class _ProxyMeterProvider(MeterProvider):
    """The provider ``get_meter_provider`` returns until ``set_meter_provider`` is called."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._meters: list[_ProxyMeter] = []
        self._real: MeterProvider | None = None

    def get_meter(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> Meter:
        with self._lock:
            real = self._real
            if real is None:
                meter = _ProxyMeter(name, version, schema_url, attributes)
                self._meters.append(meter)
                return meter
        return real.get_meter(name, version, schema_url, attributes)

    def _bind(self, provider: MeterProvider) -> None:
        with self._lock:
            self._real = provider
            meters, self._meters = self._meters, []
        for meter in meters:
            meter._bind(provider)


_provider_lock = threading.Lock()
_global_provider: MeterProvider | None = None
_proxy_provider = _ProxyMeterProvider()


def get_meter_provider() -> MeterProvider:
    """The global MeterProvider (a proxy that binds later until one is set)."""
    provider = _global_provider
    return provider if provider is not None else _proxy_provider


def set_meter_provider(meter_provider: MeterProvider) -> None:
    """Set the global MeterProvider, once; later calls are logged and ignored."""
    global _global_provider
    with _provider_lock:
        if _global_provider is not None:
            _logger.warning("Overriding of current MeterProvider is not allowed")
            return
        _global_provider = meter_provider
    _proxy_provider._bind(meter_provider)


def get_meter(
    name: str,
    version: str = "",
    meter_provider: MeterProvider | None = None,
    schema_url: str | None = None,
    attributes: Attributes = None,
) -> Meter:
    """A meter for ``name`` from ``meter_provider`` (default: the global provider)."""
    provider = meter_provider if meter_provider is not None else get_meter_provider()
    return provider.get_meter(name, version or None, schema_url, attributes)


def _reset_globals() -> None:
    """Forget the global provider and every proxy (used by ``otel.testing``)."""
    global _global_provider, _proxy_provider
    with _provider_lock:
        _global_provider = None
        _proxy_provider = _ProxyMeterProvider()
