"""Meter and MeterProvider interfaces, no-op forms, the proxy and the global provider."""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel.attributes import Attributes
from otel.metrics._instruments import (
    Asynchronous,
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
    Synchronous,
    UpDownCounter,
)

_logger = get_logger("otel.metrics")


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


class _ProxySync(Synchronous):
    """Binding shared by the synchronous proxies.

    ``_noop`` is the instrument used while unbound, ``_create`` the Meter method that
    makes the real one, ``_method`` the measurement method (and the subclass's slot).
    """

    __slots__ = ("_real",)

    _noop: type[Synchronous]
    _create: str
    _method: str

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._bind(None)

    def _create_kwargs(self) -> dict[str, Any]:
        return {}

    def _bind(self, meter: Meter | None) -> None:
        if meter is None:
            self._real = self._noop(self._name, self._unit, self._description)
        else:
            self._real = getattr(meter, self._create)(
                self._name, self._unit, self._description, **self._create_kwargs()
            )
        setattr(self, self._method, getattr(self._real, self._method))


class _ProxyCounter(_ProxySync, Counter):
    __slots__ = ("add",)
    add: Callable[..., None]  # the slot: the bound add of the real or no-op instrument
    _noop, _create, _method = NoOpCounter, "create_counter", "add"


class _ProxyUpDownCounter(_ProxySync, UpDownCounter):
    __slots__ = ("add",)
    add: Callable[..., None]  # the slot: the bound add of the real or no-op instrument
    _noop, _create, _method = NoOpUpDownCounter, "create_up_down_counter", "add"


class _ProxyHistogram(_ProxySync, Histogram):
    __slots__ = ("_advisory", "record")
    record: Callable[..., None]  # the slot: the bound record of the real or no-op instrument
    _noop, _create, _method = NoOpHistogram, "create_histogram", "record"

    def __init__(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> None:
        super().__init__(name, unit, description)
        self._advisory = explicit_bucket_boundaries_advisory

    def _create_kwargs(self) -> dict[str, Any]:
        return {"explicit_bucket_boundaries_advisory": self._advisory}


class _ProxyGauge(_ProxySync, Gauge):
    __slots__ = ("set",)
    set: Callable[..., None]  # the slot: the bound set of the real or no-op instrument
    _noop, _create, _method = NoOpGauge, "create_gauge", "set"


class _ProxyObservable(Asynchronous):
    """Binding shared by the observable proxies: register the callbacks with the real meter."""

    __slots__ = ()

    _create: str

    def _bind(self, meter: Meter | None) -> None:
        if meter is not None:
            getattr(meter, self._create)(self._name, self._callbacks, self._unit, self._description)


class _ProxyObservableCounter(_ProxyObservable, ObservableCounter):
    __slots__ = ()
    _create = "create_observable_counter"


class _ProxyObservableUpDownCounter(_ProxyObservable, ObservableUpDownCounter):
    __slots__ = ()
    _create = "create_observable_up_down_counter"


class _ProxyObservableGauge(_ProxyObservable, ObservableGauge):
    __slots__ = ()
    _create = "create_observable_gauge"


_OBSERVABLE_PROXIES = (
    _ProxyObservableCounter,
    _ProxyObservableUpDownCounter,
    _ProxyObservableGauge,
)

_P = TypeVar(
    "_P",
    _ProxyCounter,
    _ProxyUpDownCounter,
    _ProxyHistogram,
    _ProxyGauge,
    _ProxyObservableCounter,
    _ProxyObservableUpDownCounter,
    _ProxyObservableGauge,
)

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
    """A meter handed out while no SDK provider is set.

    It keeps its instruments (proxies themselves) and rebinds them whenever the global
    provider changes: to the new provider's instruments, or back to no-ops when it is
    reset. A bound proxy instrument calls the real one's method directly.
    """

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
        self._synchronous: dict[tuple[type, str], _Bindable] = {}
        self._real: Meter | None = None

    def _bind(self, provider: MeterProvider | None) -> None:
        with self._lock:
            real = (
                None
                if provider is None
                else provider.get_meter(
                    self._name, self._version, self._schema_url, self._attributes
                )
            )
            self._real = real
            instruments = list(self._instruments)
        for instrument in instruments:
            try:
                instrument._bind(real)
            except Exception:
                _logger.exception("Failed to bind instrument %s", instrument.name)

    def _existing_or_new(self, kind: type[_P], name: str, *args: Any) -> _P:
        """The proxy already made for this kind and name (the SDK would return it too),
        else a new one, kept for rebinding."""
        existing = self._synchronous.get((kind, name.casefold()))
        return existing if isinstance(existing, kind) else self._add(kind(name, *args))

    def _add(self, instrument: _P) -> _P:
        with self._lock:
            if not isinstance(instrument, _OBSERVABLE_PROXIES):
                key = (type(instrument), instrument.name.casefold())
                if key in self._synchronous:
                    return instrument
                self._synchronous[key] = instrument
            self._instruments.append(instrument)
            real = self._real
        if real is not None:
            instrument._bind(real)
        return instrument

    def create_counter(self, name: str, unit: str = "", description: str = "") -> Counter:
        return self._existing_or_new(_ProxyCounter, name, unit, description)

    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> UpDownCounter:
        return self._existing_or_new(_ProxyUpDownCounter, name, unit, description)

    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> Histogram:
        return self._existing_or_new(
            _ProxyHistogram,
            name,
            unit,
            description,
            explicit_bucket_boundaries_advisory,
        )

    def create_gauge(self, name: str, unit: str = "", description: str = "") -> Gauge:
        return self._existing_or_new(_ProxyGauge, name, unit, description)

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableCounter:
        return self._add(_ProxyObservableCounter(name, callbacks, unit, description))

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableUpDownCounter:
        return self._add(_ProxyObservableUpDownCounter(name, callbacks, unit, description))

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> ObservableGauge:
        return self._add(_ProxyObservableGauge(name, callbacks, unit, description))


class _ProxyMeterProvider(MeterProvider):
    """The provider ``get_meter_provider`` returns until ``set_meter_provider`` is called.

    Its meters are kept (one per scope) and rebound whenever the global provider is set
    or reset, so instruments made at import time follow the provider of the moment.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._meters: dict[tuple[str, str | None, str | None], _ProxyMeter] = {}
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
                key = (name, version, schema_url)
                meter = self._meters.get(key)
                if meter is None:
                    meter = self._meters[key] = _ProxyMeter(name, version, schema_url, attributes)
                return meter
        return real.get_meter(name, version, schema_url, attributes)

    def _bind(self, provider: MeterProvider | None) -> None:
        with self._lock:
            self._real = provider
            meters = list(self._meters.values())
        for meter in meters:
            meter._bind(provider)


_provider_lock = threading.Lock()
renew_lock_after_fork(sys.modules[__name__], "_provider_lock")
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


def _swap_meter_provider(meter_provider: MeterProvider | None) -> MeterProvider | None:
    """Replace the global provider (None: no provider); return the previous one.

    For ``otel.testing``: proxies rebind to the new provider (or back to no-ops).
    """
    global _global_provider
    with _provider_lock:
        previous, _global_provider = _global_provider, meter_provider
    _proxy_provider._bind(meter_provider)
    return previous


def _reset_globals() -> None:
    """Forget the global provider; proxies go back to no-ops (used by ``otel.testing``)."""
    _swap_meter_provider(None)
