"""Sum aggregation: counters, up-down counters and their observable forms."""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from otel.context import Context
from otel.sdk.metrics._aggregation._base import (
    _CUMULATIVE,
    _DELTA,
    _EX_TRACE,
    GIL_ATOMIC,
    NumberCell,
    ReaderState,
    _get_context,
    _logger,
    _Snap,
    _Stream,
    raw_key,
)
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._point import DataT, NumberDataPoint, Sum

if TYPE_CHECKING:
    from otel.attributes import Attributes

_INF = float("inf")
#: the lowest amount an up-down sum takes (``_floor``): -inf and NaN fail ``>=`` it
LOWEST_UP_DOWN = -sys.float_info.max


class SumRecord:
    """``add`` of a sum: its one definition, the SDK counters' ``add`` and
    :class:`SumStream`'s ``record``.

    ``_floor`` is 0 for a monotonic sum and :data:`LOWEST_UP_DOWN` otherwise, so one
    comparison rejects negative counter amounts and, with ``< inf``, infinities and NaN.
    An instrument holds the parts of its single stream (``_fast_cache``, ``_cell_for``,
    ``_ex_mode``, ``_offer``: see ``_Stream._inline_parts``), so a measurement is one call;
    with ``_fast_cache`` None (several streams, no GIL) ``_record`` takes it. A rejected
    amount goes to ``_slow_add``. Never raises (a failing ``_record`` goes to ``_failed``).
    Lock-free under the GIL: ``+=`` on ints and floats runs no Python code.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        _fast_cache: dict[Hashable, Any] | None
        _floor: int | float
        _ex_mode: int
        _cell_for: Callable[[Any], Any]
        _offer: Callable[[Any, int | float, Any, Context | None], None]
        _record: Callable[[Any, Any, Any], None]

        def _failed(self) -> None: ...

        def _slow_add(
            self, amount: object, attributes: Attributes, context: Context | None
        ) -> None: ...

    def add(
        self, amount: int | float, attributes: Attributes = None, context: Context | None = None
    ) -> None:
        t = type(amount)
        if (t is int or (t is float and amount < _INF)) and amount >= self._floor:
            cache = self._fast_cache
            if cache is not None:
                try:
                    a = attributes  # the key is raw_key(a), built inline for dicts and None
                    key = tuple(a.items()) if type(a) is dict else () if a is None else raw_key(a)
                    cell = cache[key]
                except Exception:  # new, unhashable or hostile: the slow path sorts it out
                    cell = self._cell_for(attributes)
                cell.value += amount
                cell.touched = True
                mode = self._ex_mode
                if mode and (
                    mode != _EX_TRACE or (context if context is not None else _get_context())
                ):
                    self._offer(cell, amount, attributes, context)
                return
            try:
                self._record(amount, attributes, context)
            except Exception:
                self._failed()
            return
        self._slow_add(amount, attributes, context)


class SumStream(SumRecord, _Stream):
    """Sum aggregation (counters, up-down counters, and their observable forms)."""

    __slots__ = ("_fast_cache", "_floor", "_monotonic", "_record")

    def __init__(self, config: StreamConfig, *, monotonic: bool) -> None:
        super().__init__(config)
        self._monotonic = monotonic
        self._floor = 0 if monotonic else LOWEST_UP_DOWN
        # ``record`` (SumRecord.add) updates cells lock-free under the GIL; without one, it
        # hands every measurement to the locked ``_record_locked``.
        self._fast_cache = self._cache if GIL_ATOMIC else None
        self._record = self._record_locked

    record = SumRecord.add

    def _update_cell(self, cell: NumberCell, value: int | float) -> None:
        cell.value += value
        cell.touched = True

    def _failed(self) -> None:
        _logger.exception("Recording on %s failed; measurement dropped", self.name)

    def _slow_add(self, amount: object, attributes: Attributes, context: Context | None) -> None:
        """Not reached: the instrument passes on checked values only."""

    def _new_cell(self, attributes: dict[str, Any]) -> NumberCell:
        return NumberCell(attributes)

    def _apply(self, cell: NumberCell, value: int | float) -> None:
        # An observation is the series' current total; repeated series in one callback add.
        cell.value = cell.value + value if cell.touched else value
        cell.touched = True

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        snaps: list[_Snap] = []
        for key, cell in cells.items():
            if cell.touched:
                # read-and-reset with no call in between: atomic against GIL recorders
                value = cell.value
                cell.value = 0
                cell.touched = False
                snaps.append((key, cell.attributes, value, self._take_exemplars(cell), cell.start))
        return snaps

    def _merge_observations(
        self, state: ReaderState, observations: Sequence[tuple[int | float, Any]], now: int
    ) -> None:
        # Each observation is a series' current total; series folded together (view key
        # filter, overflow) add up within one round.
        entries = state.entries
        for entry in entries.values():
            entry.touched = False
        canonical = self._canonical_cached
        start = state.last_collect_ns
        for value, attributes in observations:
            key, cleaned = canonical(attributes)
            entry = entries.get(key)
            if entry is None:
                entry = self._entry(state, key, cleaned, start)
            if entry.touched:
                entry.current += value
            else:
                entry.current = value
                entry.touched = True

    def _merge(self, state: ReaderState, snaps: list[_Snap], now: int) -> None:
        cumulative = state.temporality is _CUMULATIVE
        for key, attributes, value, exemplars, start in snaps:
            entry = self._entry(
                state, key, attributes, start if cumulative else state.last_collect_ns
            )
            entry.value += value
            entry.touched = True
            if exemplars:
                entry.exemplars = exemplars

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        points = []
        entries = state.entries
        if self._is_async:
            delta = state.temporality is _DELTA
            for entry in entries.values():
                if entry.touched:
                    if delta:
                        value = entry.current - entry.previous
                        start = state.last_collect_ns
                    else:
                        value = entry.current
                        start = entry.start
                    entry.previous = entry.current
                    points.append(NumberDataPoint(entry.attributes, start, now, value, []))
        elif state.temporality is _DELTA:
            start = state.last_collect_ns
            for entry in entries.values():
                points.append(
                    NumberDataPoint(entry.attributes, start, now, entry.value, entry.exemplars)
                )
            entries.clear()
        else:
            for entry in entries.values():
                points.append(
                    NumberDataPoint(
                        entry.attributes, entry.start, now, entry.value, entry.exemplars
                    )
                )
                entry.exemplars = []
        if not points:
            return None
        return Sum(points, state.temporality, self._monotonic)
