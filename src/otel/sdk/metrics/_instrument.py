"""SDK instruments: validate the measurement, hand it to the instrument's stream(s).

The hot path is ``add``/``record``/``set``: a type check, a range check and one call into
the stream. Bad input is dropped with one warning per instrument, never raised.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Callable, Iterable, Sequence
from types import GeneratorType
from typing import TYPE_CHECKING, Any

from otel import metrics as _api
from otel._log import get_logger
from otel.attributes import Attributes
from otel.context import Context
from otel.context._context import _CURRENT
from otel.metrics._instruments import CallbackOptions, CallbackT, Observation, _callback_list
from otel.sdk.metrics._aggregation import (
    GIL_ATOMIC,
    LOWEST_UP_DOWN,
    HistogramRecord,
    HistogramStream,
    SumRecord,
    SumStream,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from otel.sdk.metrics._aggregation import _Stream

    # A callback as the SDK calls it: a plain callback, or a started generator's ``send``.
    # What it returns is checked item by item (applications return anything).
    _Observer: TypeAlias = Callable[[CallbackOptions], Iterable[object] | None]

_logger = get_logger("otel.sdk.metrics")
_INF = float("inf")
_get_context = _CURRENT.get
_EX_TRACE = 2

_Record = Callable[[Any, Any, Any], None]


def _noop_record(value: Any, attributes: Any, context: Any) -> None:
    return None


def _fan_out(records: tuple[_Record, ...]) -> _Record:
    def record(value: Any, attributes: Any, context: Any) -> None:
        for each in records:
            each(value, attributes, context)

    return record


def _as_number(amount: object) -> int | float | None:
    """An exact ``int``/``float`` for any other real number (subclasses, numpy, Fraction).

    Never raises (a broken ``__int__``/``__float__`` gives None). The record paths only
    ever store exact ``int``/``float``: their lock-free ``cell.value += amount`` (see
    ``GIL_ATOMIC`` in ``_aggregation._base``) is one C-level operation only for those; a subclass
    with a Python ``__add__`` could switch threads in the middle and lose updates. So the
    hot paths accept ``type(amount) is int``/``float`` and everything else comes here.
    """
    if isinstance(amount, bool) or not isinstance(amount, numbers.Real):
        return None
    try:
        number = int(amount) if isinstance(amount, numbers.Integral) else float(amount)
    except Exception:  # a user type's conversion failing (or warning as an error)
        return None
    t = type(number)
    return number if t is int or t is float else None


class _SyncMixin(_api.Synchronous):
    """Stream wiring and bad-input handling shared by the synchronous instruments."""

    if TYPE_CHECKING:  # the concrete classes hold these slots (two slotted bases cannot)
        __slots__ = (
            "_bounds",
            "_cell_for",
            "_ex_mode",
            "_fast_cache",
            "_floor",
            "_offer",
            "_record",
            "_warned",
        )
    else:
        __slots__ = ()

    _record: _Record
    _warned: bool
    _fast_type: type | None = None

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._record = _noop_record
        self._warned = False
        if self._fast_type is not None:
            self._fast_cache: dict[Any, Any] | None = None

    def _set_streams(self, streams: Sequence[_Stream]) -> None:
        # Inline fast path: one stream of the instrument's default kind, GIL build.
        fast = (
            streams[0]
            if len(streams) == 1 and GIL_ATOMIC and type(streams[0]) is self._fast_type
            else None
        )
        # Rewiring can happen while other threads record (a reader added or removed at
        # run time): the inline path is switched off first and on again last, so a
        # concurrent measurement goes either the old way or the new way, not half of each.
        if self._fast_type is not None:
            self._fast_cache = None
        if not streams:
            self._record = _noop_record
        elif len(streams) == 1:
            self._record = streams[0].record
        else:
            self._record = _fan_out(tuple(s.record for s in streams))
        if fast is not None:
            cache, self._cell_for, self._ex_mode, self._offer = fast._inline_parts()
            if isinstance(fast, HistogramStream):
                self._bounds = fast.bounds
            self._fast_cache = cache

    def _warn(self, reason: str, amount: object) -> None:
        if not self._warned:
            self._warned = True
            _logger.warning(
                "Dropped measurement %r on instrument %s: %s (logged once per instrument)",
                amount,
                self._name,
                reason,
            )

    def _failed(self) -> None:
        if not self._warned:
            self._warned = True
            _logger.exception("Recording on instrument %s failed", self._name)


class _SumInstrument(SumRecord, _SyncMixin):
    """``add`` of Counter and UpDownCounter: :class:`SumRecord`'s, the stream's own
    definition (with one sum stream it updates the stream's cells itself, one call per
    measurement); the lower bound ``_floor`` is a field.
    """

    __slots__ = ()
    _fast_type = SumStream
    _lowest: int | float = 0
    _out_of_range = "a counter only accepts non-negative, finite amounts"
    _floor: int | float

    def __init__(self, name: str, unit: str = "", description: str = "") -> None:
        super().__init__(name, unit, description)
        self._floor = self._lowest

    def _slow_add(self, amount: object, attributes: Attributes, context: Context | None) -> None:
        number = _as_number(amount)
        if number is None:
            self._warn("not a number", amount)
        elif not self._floor <= number < _INF:
            self._warn(self._out_of_range, amount)
        else:
            self.add(number, attributes, context)


class Counter(_SumInstrument, _api.Counter):
    """Monotonic sum. ``add`` takes a non-negative, finite int or float."""

    __slots__ = ("_cell_for", "_ex_mode", "_fast_cache", "_floor", "_offer", "_record", "_warned")


class UpDownCounter(_SumInstrument, _api.UpDownCounter):
    """Sum that may go down. ``add`` takes any finite int or float."""

    __slots__ = ("_cell_for", "_ex_mode", "_fast_cache", "_floor", "_offer", "_record", "_warned")
    _lowest = LOWEST_UP_DOWN
    _out_of_range = "not a finite number"


class Histogram(_SyncMixin, HistogramRecord, _api.Histogram):
    """Distribution. ``record`` takes a non-negative, finite int or float.

    ``record`` is :class:`HistogramRecord`'s, the stream's own definition: with one
    histogram stream it updates the stream's cells itself (one call per measurement).
    """

    __slots__ = (
        "_advisory",
        "_bounds",
        "_cell_for",
        "_ex_mode",
        "_fast_cache",
        "_offer",
        "_record",
        "_warned",
    )
    _fast_type = HistogramStream

    def __init__(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> None:
        super().__init__(name, unit, description)
        self._advisory = explicit_bucket_boundaries_advisory
        self._bounds: tuple[float, ...] = ()

    def _rejected(self, amount: object, attributes: Attributes, context: Context | None) -> None:
        number = _as_number(amount)
        if number is None:
            self._warn("not a number", amount)
        elif not 0 <= number < _INF:
            self._warn("a histogram only accepts non-negative, finite values", amount)
        else:
            self.record(number, attributes, context)


class Gauge(_SyncMixin, _api.Gauge):
    """Synchronous gauge. ``set`` takes any finite int or float."""

    __slots__ = ("_record", "_warned")

    def set(
        self, amount: int | float, attributes: Attributes = None, context: Context | None = None
    ) -> None:
        t = type(amount)
        if t is int or (t is float and -_INF < amount < _INF):
            try:
                self._record(amount, attributes, context)
            except Exception:
                self._failed()
            return
        number = _as_number(amount)
        if number is None or not -_INF < number < _INF:
            self._warn("not a finite number", amount)
        else:
            self.set(number, attributes, context)


_Gauge = Gauge


class _AsyncMixin(_api.Asynchronous):
    """Callbacks and their invocation, shared by the observable instruments.

    The API's ``_callbacks`` stays empty: the SDK keeps the callables it calls in
    ``_observers`` (a generator callback is stored as its ``send``).
    """

    __slots__ = ("_observers",)

    def __init__(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> None:
        super().__init__(name, None, unit, description)
        self._observers = self._prepare_callbacks(callbacks)

    def _prepare_callbacks(self, callbacks: Iterable[CallbackT] | None) -> list[_Observer]:
        prepared: list[_Observer] = []
        for callback in _callback_list(callbacks, self._name):
            if isinstance(callback, GeneratorType):
                try:
                    next(callback)  # run to the first ``yield`` so that send() works
                except Exception:
                    _logger.exception("Generator callback of %s failed to start", self._name)
                    continue
                prepared.append(callback.send)
            elif callable(callback):
                prepared.append(callback)
            else:
                _logger.warning("Ignoring non-callable callback %r of %s", callback, self._name)
        return prepared

    def _add_callbacks(self, callbacks: Iterable[CallbackT] | None) -> None:
        self._observers.extend(self._prepare_callbacks(callbacks))

    def _observe(self, timeout_millis: float) -> list[tuple[int | float, Any]]:
        """Run the callbacks in turn, each told the remaining budget; stop once it is spent.

        One that raises is logged and the others still report.
        """
        result: list[tuple[int | float, Any]] = []
        deadline = time.monotonic() + timeout_millis / 1e3
        for index, callback in enumerate(list(self._observers)):
            remaining = (deadline - time.monotonic()) * 1e3
            if index and remaining <= 0:
                _logger.warning(
                    "Callbacks of %s ran out of the collection's time; the rest are skipped",
                    self._name,
                )
                break
            try:
                observations = callback(CallbackOptions(max(remaining, 0.0)))
                if observations is None:
                    continue
                for observation in observations:
                    point = _observation_value(observation)
                    if point is None:
                        _logger.warning(
                            "Callback of %s returned an invalid observation %r",
                            self._name,
                            observation,
                        )
                        continue
                    result.append(point)
            except Exception:
                _logger.exception("Callback of instrument %s failed", self._name)
        return result


def _observation_value(observation: object) -> tuple[int | float, Any] | None:
    """``(value, attributes)`` of a valid Observation, else None."""
    if not isinstance(observation, Observation):
        return None
    value = observation.value
    t = type(value)
    if t is int or (t is float and -_INF < value < _INF):
        return value, observation._attributes
    number = _as_number(value)
    if number is None or not -_INF < number < _INF:
        return None
    return number, observation._attributes


class ObservableCounter(_AsyncMixin, _api.ObservableCounter):
    """Monotonic sum reported by callbacks (each observation is the current total)."""

    __slots__ = ()


class ObservableUpDownCounter(_AsyncMixin, _api.ObservableUpDownCounter):
    """Sum that may go down, reported by callbacks (each observation is the current total)."""

    __slots__ = ()


class ObservableGauge(_AsyncMixin, _api.ObservableGauge):
    """Value reported by callbacks."""

    __slots__ = ()


_SYNC_TYPES = (Counter, UpDownCounter, Histogram, Gauge)
_ASYNC_TYPES = (ObservableCounter, ObservableUpDownCounter, ObservableGauge)
