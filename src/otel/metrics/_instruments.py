"""Instrument interfaces, their no-op forms and the measurement types (official 1.x names)."""

from __future__ import annotations

import re
import types
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, TypeAlias

from otel._log import get_logger
from otel._once import FirstSeen
from otel.attributes import Attributes

if TYPE_CHECKING:
    from otel.context import Context

_logger = get_logger("otel.metrics")

# Spec: an ASCII letter then up to 254 of letters, digits, "_", ".", "-", "/".
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_./\-]{0,254}")
_MAX_UNIT_LEN = 63


def _name_is_valid(name: object) -> bool:
    return isinstance(name, str) and _NAME_RE.fullmatch(name) is not None


def _unit_is_valid(unit: object) -> bool:
    if unit is None:
        return True
    return isinstance(unit, str) and len(unit) <= _MAX_UNIT_LEN and unit.isascii()


_LONE_CALLBACK_WARNED = FirstSeen(64)


def _callback_list(callbacks: object, name: object) -> list[CallbackT]:
    """``callbacks`` as a list, never raising: a lone callable (or generator) is wrapped.

    The official signature takes a sequence of callbacks; passing one function is a
    common slip that must not raise into the application, so it is used as ``[callback]``
    with one warning per instrument name. Anything else that is not iterable is dropped
    with a warning.
    """
    if callbacks is None:
        return []
    if callable(callbacks) or isinstance(callbacks, types.GeneratorType):
        if _LONE_CALLBACK_WARNED.first(name):
            _logger.warning(
                "callbacks of instrument %r should be a sequence; a single callback was "
                "given and is used as [callback]",
                name,
            )
        return [callbacks]
    try:
        if isinstance(callbacks, Iterable):
            return list(callbacks)
    except Exception:
        pass  # an iterable that fails while being read
    _logger.warning(
        "Ignoring callbacks %r of instrument %r: not a sequence of callbacks",
        callbacks,
        name,
    )
    return []


def _check_instrument(name: object, unit: object) -> bool:
    """True when name and unit follow the spec; otherwise log why and return False."""
    if not _name_is_valid(name):
        _logger.warning(
            "Invalid instrument name %r: it must start with a letter and contain at most "
            "255 of [A-Za-z0-9_./-]; a no-op instrument is returned",
            name,
        )
        return False
    if not _unit_is_valid(unit):
        _logger.warning(
            "Invalid unit %r for instrument %r: at most 63 ASCII characters; "
            "a no-op instrument is returned",
            unit,
            name,
        )
        return False
    return True


class CallbackOptions:
    """What an observable instrument's callback is told: how long it may take."""

    __slots__ = ("timeout_millis",)

    def __init__(self, timeout_millis: float = 10_000) -> None:
        self.timeout_millis = timeout_millis

    def __repr__(self) -> str:
        return f"CallbackOptions(timeout_millis={self.timeout_millis})"


class Observation:
    """One value an observable instrument's callback reports, with its attributes."""

    __slots__ = ("_attributes", "_context", "_value")

    def __init__(
        self,
        value: int | float,
        attributes: Attributes = None,
        context: Context | None = None,
    ) -> None:
        self._value = value
        self._attributes = attributes
        self._context = context

    @property
    def value(self) -> int | float:
        return self._value

    @property
    def attributes(self) -> Attributes:
        return self._attributes

    @property
    def context(self) -> Context | None:
        return self._context

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Observation)
            and self._value == other._value
            and self._attributes == other._attributes
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Observation(value={self._value!r}, attributes={self._attributes!r})"


CallbackT: TypeAlias = (
    Callable[[CallbackOptions], Iterable[Observation]]
    | Generator[Iterable[Observation], CallbackOptions, None]
)


class Instrument(ABC):  # noqa: B024 (abstract by intent; subclasses add methods)
    """Base of every instrument: a name, a unit and a description."""

    __slots__ = ("_description", "_name", "_unit")

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        self._name = name
        self._unit = unit or ""
        self._description = description or ""

    @property
    def name(self) -> str:
        return self._name

    @property
    def unit(self) -> str:
        return self._unit

    @property
    def description(self) -> str:
        return self._description

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r}, unit={self._unit!r})"


class Synchronous(Instrument):
    """An instrument the application calls on its own path (counter, histogram, gauge)."""

    __slots__ = ()


class Asynchronous(Instrument):
    """An instrument whose callbacks the SDK calls at collection time."""

    __slots__ = ("_callbacks",)

    def __init__(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> None:
        super().__init__(name, unit, description)
        self._callbacks: list[CallbackT] = _callback_list(callbacks, name)


class Counter(Synchronous):
    """A monotonic sum: ``add`` only non-negative amounts."""

    __slots__ = ()

    @abstractmethod
    def add(
        self,
        amount: int | float,
        attributes: Attributes = None,
        context: Context | None = None,
    ) -> None:
        """Add ``amount`` (>= 0) to the series identified by ``attributes``."""


class UpDownCounter(Synchronous):
    """A sum that may go down (queue lengths, active requests)."""

    __slots__ = ()

    @abstractmethod
    def add(
        self,
        amount: int | float,
        attributes: Attributes = None,
        context: Context | None = None,
    ) -> None:
        """Add ``amount`` (any sign) to the series identified by ``attributes``."""


class Histogram(Synchronous):
    """A distribution of recorded values (latencies, sizes).

    ``explicit_bucket_boundaries_advisory`` is the instrument author's suggestion for the
    bucket boundaries; the API ignores it, an SDK may use it for the default aggregation.
    """

    __slots__ = ()

    def __init__(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> None:
        super().__init__(name, unit, description)

    @abstractmethod
    def record(
        self,
        amount: int | float,
        attributes: Attributes = None,
        context: Context | None = None,
    ) -> None:
        """Record one value (>= 0 for the default aggregation's sum to make sense)."""


class Gauge(Synchronous):
    """A synchronous gauge: ``set`` the current value (a temperature, a config value)."""

    __slots__ = ()

    @abstractmethod
    def set(
        self,
        amount: int | float,
        attributes: Attributes = None,
        context: Context | None = None,
    ) -> None:
        """Set the current value of the series identified by ``attributes``."""


_Gauge = Gauge  # the official API's name while create_gauge was experimental


class ObservableCounter(Asynchronous):
    """A monotonic sum whose callbacks report the current total."""

    __slots__ = ()


class ObservableUpDownCounter(Asynchronous):
    """A sum that may go down, whose callbacks report the current total."""

    __slots__ = ()


class ObservableGauge(Asynchronous):
    """A value whose callbacks report the current reading."""

    __slots__ = ()


def _record_nothing(
    self: Synchronous,
    amount: int | float,
    attributes: Attributes = None,
    context: Context | None = None,
) -> None:
    """The measurement method (add, record or set) of every no-op instrument."""
    return None


class NoOpCounter(Counter):
    """A Counter that records nothing."""

    __slots__ = ()
    add = _record_nothing


class NoOpUpDownCounter(UpDownCounter):
    """An UpDownCounter that records nothing."""

    __slots__ = ()
    add = _record_nothing


class NoOpHistogram(Histogram):
    """A Histogram that records nothing."""

    __slots__ = ()
    record = _record_nothing


class NoOpGauge(Gauge):
    """A Gauge that records nothing."""

    __slots__ = ()
    set = _record_nothing


_NoOpGauge = NoOpGauge  # the official API's name while create_gauge was experimental


class NoOpObservableCounter(ObservableCounter):
    """An ObservableCounter whose callbacks are never called."""

    __slots__ = ()


class NoOpObservableUpDownCounter(ObservableUpDownCounter):
    """An ObservableUpDownCounter whose callbacks are never called."""

    __slots__ = ()


class NoOpObservableGauge(ObservableGauge):
    """An ObservableGauge whose callbacks are never called."""

    __slots__ = ()
